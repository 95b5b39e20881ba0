"""The agent QRE of a game tree over a sweep's points: the leaves' payoffs compiled once.

The agent QRE (McKelvey & Palfrey 1998, "Quantal response equilibria for extensive form games",
Experimental Economics 1:9-41) is computed on the tree's behaviour strategies by
:func:`~solver.equilibria.qre.many.qre_many`, which needs every point's payoffs at the leaves
chance reaches with positive probability, in the order of
:func:`~solver.equilibria.qre.form.tree_form` (prefix order).  The leaves' payoff formulas are
compiled here with ``sympy.lambdify``, like the strategic payoffs by
:func:`solver.core.symbolic.batch_evaluator`.  Chance probabilities that vary with the swept
parameters would change the form from point to point: then each point is solved on its own tree
by :func:`~solver.equilibria.qre.branch.qre_at` (:func:`one_point`), slowly but exactly.

>>> from solver.formats import load
>>> m = load("entry_deterrence")
>>> leaves = TreeLeaves(m, m.values())
>>> leaves.outcomes
('Entrant Out', 'Entrant In, Incumbent Fight', 'Entrant In, Incumbent Accommodate')
>>> leaves.payoffs({p.name: np.array([float(p.value)]) for p in m.parameters})[0].tolist()
[[1.0, 5.0], [0.0, 0.0], [2.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.symbolic import Model
from solver.core.tree_value import Tree
from solver.equilibria.qre.form import Form

Floats = npt.NDArray[np.float64]


def reached_leaves(tree: Tree) -> list[int]:
    """The leaves chance reaches with positive probability, in prefix order (the outcomes of
    :func:`~solver.equilibria.qre.form.tree_form`, in its order)."""
    live = {0}
    out = []
    for k, node in enumerate(tree.nodes):
        if k not in live:
            continue
        if node.is_terminal:
            out.append(k)
        elif node.is_chance:
            live.update(c for c, p in zip(node.children, node.probs, strict=True) if float(p) > 0)
        else:
            live.update(node.children)
    return out


def chance_varies(model: Model, names: tuple[str, ...]) -> bool:
    """Whether a chance probability of ``model``'s tree depends on one of ``names``."""
    assert model.tree is not None
    varied = set(names)
    for node in model.tree.nodes:
        for p in node.probs if node.is_chance else ():
            if {str(s) for s in getattr(p, "free_symbols", ())} & varied:
                return True
    return False


class TreeLeaves:
    """The numeric tree's agent form at ``values`` and its reached leaves' compiled payoffs."""

    def __init__(self, model: Model, values: Mapping[str, Fraction | float]):
        from solver.equilibria.qre.branch import form_of

        assert model.tree is not None
        self.model = model
        self.tree = model.tree.at({k: float(v) for k, v in values.items()}, exact=False)
        self.form: Form = form_of(self.tree)
        self.leaves = reached_leaves(self.tree)
        self.terminals = [k for k, n in enumerate(model.tree.nodes) if n.is_terminal]
        self.outcomes = tuple(model.tree.describe(k) for k in self.terminals)
        self.column = np.searchsorted(self.terminals, self.leaves)
        self.funcs: list[list[Any]] = []

    def compile(self) -> list[list[Any]]:
        """The reached leaves' payoff formulas as numpy functions (compiled once, on first use)."""
        if not self.funcs:
            import sympy

            from solver.core.expr import symbol, to_sympy

            assert self.model.tree is not None
            syms = [symbol(p.name) for p in self.model.parameters]
            self.funcs = [
                [sympy.lambdify(syms, to_sympy(v), modules="numpy") for v in self.model.tree.nodes[k].payoffs]
                for k in self.leaves
            ]
        return self.funcs

    def payoffs(self, cols: Mapping[str, Floats]) -> Floats:
        """The reached leaves' payoffs at every point, ``(B, leaves, players)``."""
        arrays = [np.asarray(cols[p.name], dtype=float) for p in self.model.parameters]
        size = arrays[0].size if arrays else 1
        out = np.empty((size, len(self.leaves), len(self.model.players)))
        with np.errstate(all="ignore"):
            for z, fs in enumerate(self.compile()):
                for i, f in enumerate(fs):
                    out[:, z, i] = np.broadcast_to(np.asarray(f(*arrays), dtype=float), (size,))
        return out

    def reach(self, probs: Floats) -> Floats:
        """Each terminal node's probability under behaviour ``probs`` ``(B, actions)``: chance
        times the actions on its path (0 below a chance move of probability 0)."""
        with np.errstate(divide="ignore"):
            logs = self.form.log_chance + np.log(probs) @ self.form.incidence.T
        out = np.zeros((probs.shape[0], len(self.terminals)))
        out[:, self.column] = np.exp(logs)
        return out

    def expected(self, probs: Floats, pay: Floats) -> Floats:
        """Each player's expected payoff ``(B, players)``."""
        with np.errstate(divide="ignore"):
            reach = np.exp(self.form.log_chance + np.log(probs) @ self.form.incidence.T)
        return np.asarray(np.einsum("bz,bzn->bn", reach, pay))


def one_point(
    model: Model, values: Mapping[str, float], lam: float, budget: Any
) -> tuple[Floats, Floats, Floats] | None:
    """``(probs, reach, payoffs)`` of one point on its own tree (chance varying with the
    parameters), or None when the budget ran out first."""
    from solver.equilibria.qre.form import expected
    from solver.sweep.qre_kernel import one_game

    leaves = TreeLeaves(model, values)
    vecs = one_game(leaves.tree, lam, budget)
    if vecs is None:
        return None
    probs = np.concatenate([np.asarray(v) for v in vecs])[None, :]
    return probs[0], leaves.reach(probs)[0], np.asarray(expected(leaves.form, np.log(probs[0])))
