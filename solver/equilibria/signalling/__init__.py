"""Signalling games: every perfect Bayesian equilibrium, exact, with the Cho-Kreps refinements.

* :mod:`.solve`: :func:`~.solve.solve_signalling` (the entry point), :class:`~.solve.PBE`;
* :mod:`.supports`: the support-pattern enumeration (two polytopes per pattern);
* :mod:`.polytope`: exact vertices of small polytopes;
* :mod:`.model`: the game in Fractions, Bayes' rule, belief regions;
* :mod:`.refine`: the intuitive criterion and D1 (Cho & Kreps 1987);
* :mod:`.check`: the exact PBE test;
* :mod:`.tree`: the PBE as equilibria of a game tree (:func:`~solver.equilibria.trees.sequential.solve_tree`).

The game value and its recognition in a tree are :mod:`solver.core.signalling`.
"""
