"""Repeated games with perfect monitoring: critical discount factors and payoff sets.

* :func:`analyse_repeated` -- one :class:`RepeatedResult` for a target profile: grim trigger with
  Nash reversion (Friedman 1971), the minmax bound (Fudenberg & Maskin 1986), simple penal codes
  with stick-and-carrot punishments (Abreu 1988), the feasible individually rational set and the
  subgame-perfect payoff set at a given delta (Abreu & Sannikov 2014; exact when the iteration
  stops exactly, :func:`exact_payoff_set`, else in floats, :func:`abreu_sannikov`);
* :func:`symbolic_grim` -- the grim-trigger delta* as sympy expressions, branch by branch;
* :func:`grim_delta`, :func:`minmax_delta` -- closed forms over arrays of 2x2 games (sweeps);
* :func:`finitely_repeated` -- backward induction / equilibrium switching (Benoit & Krishna 1985).

>>> from solver.core.game import Game
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> analyse_repeated(pd, ("1", "1")).critical_delta
Fraction(1, 2)
"""

from __future__ import annotations

from solver.equilibria.repeated.abreu_sannikov import abreu_sannikov
from solver.equilibria.repeated.abreu_sannikov_exact import exact_payoff_set
from solver.equilibria.repeated.analyse import analyse_repeated, feasible_ir_set
from solver.equilibria.repeated.closed_form import grim_delta, minmax_delta
from solver.equilibria.repeated.finite import FiniteResult, finitely_repeated
from solver.equilibria.repeated.result import PayoffSet, Punishment, RepeatedResult, Reversion
from solver.equilibria.repeated.symbolic import Branch, SymbolicGrim, symbolic_grim

#: ``solver.repeated(game, target, delta=...)`` once ``solver/__init__.py`` maps it lazily here
repeated = analyse_repeated

__all__ = [
    "Branch",
    "FiniteResult",
    "PayoffSet",
    "Punishment",
    "RepeatedResult",
    "Reversion",
    "SymbolicGrim",
    "abreu_sannikov",
    "analyse_repeated",
    "exact_payoff_set",
    "feasible_ir_set",
    "finitely_repeated",
    "grim_delta",
    "minmax_delta",
    "repeated",
    "symbolic_grim",
]
