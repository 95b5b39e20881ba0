"""Zero-sum trees by the sequence-form linear program (von Stengel 1996, Theorem 4.4; Koller,
Megiddo & von Stengel 1996): the value and an optimal strategy of each player, exact.

Player 1 solves ``max_{x, q} q_0  s.t.  E x = e, x >= 0, F' q <= A' x`` (``q`` free), player 2
the mirror program.  HiGHS (simplex) finds an optimal vertex in floats; the vertex is then
recomputed exactly from its support and tight rows (Bareiss elimination) and *certified*: the
value is exact only when the best reply of each player to the other's exact plan gives the same
number (no regret, exactly).  Without a certificate the float answer is returned, flagged.

>>> from solver.core.tree import decision, from_named, leaf
>>> # matching pennies as a tree: B does not see A's coin
>>> t = from_named(("A", "B"), "a", {
...     "a": decision("A", {"H": "bh", "T": "bt"}),
...     "bh": decision("B", {"H": "hh", "T": "ht"}, infoset="b"),
...     "bt": decision("B", {"H": "th", "T": "tt"}, infoset="b"),
...     "hh": leaf((1, -1)), "ht": leaf((-1, 1)), "th": leaf((-1, 1)), "tt": leaf((1, -1))})
>>> s = solve_zero_sum(t)
>>> s.value, s.exact, s.behaviour[0]
(Fraction(0, 1), True, {0: (Fraction(1, 2), Fraction(1, 2))})
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.errors import SolverError
from solver.core.linalg import solve_unique
from solver.core.tolerances import LP_SUPPORT
from solver.core.tree import Tree
from solver.equilibria.trees.sequence_form import (
    SequenceForm,
    behaviour,
    best_response_value,
    build,
)


@dataclass(frozen=True)
class ZeroSumSolution:
    """The value to player 1, realization plans and behaviour strategies of both players."""

    value: Fraction | float
    plans: tuple[tuple[Any, ...], tuple[Any, ...]]
    behaviour: tuple[dict[int, tuple[Any, ...]], dict[int, tuple[Any, ...]]]
    #: True when the value and plans are exact and certified by exact best replies
    exact: bool
    form: SequenceForm


def is_zero_sum(sf: SequenceForm) -> bool:
    """Whether the two players' payoffs sum to zero at every sequence pair (hence every leaf
    weight; a constant sum would be a positive affine change away)."""
    keys = set(sf.payoffs[0]) | set(sf.payoffs[1])
    return all(sf.payoffs[0].get(k, 0) + sf.payoffs[1].get(k, 0) == 0 for k in keys)


def _matrix(sf: SequenceForm, player: int) -> Any:
    """Player ``player``'s sparse payoff matrix, rows = its own sequences."""
    from scipy.sparse import coo_matrix

    rows, cols, vals = [], [], []
    for (s0, s1), v in sf.payoffs[player].items():
        rows.append(s0 if player == 0 else s1)
        cols.append(s1 if player == 0 else s0)
        vals.append(float(v))
    shape = (sf.size(player), sf.size(1 - player))
    return coo_matrix((vals, (rows, cols)), shape=shape).tocsr()


def _optimal_plan(sf: SequenceForm, player: int) -> tuple[Any, ...]:
    """An optimal realization plan of ``player`` (maximising its own payoff) from the LP."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack

    a = _matrix(sf, player)  # own sequences x other's sequences
    e = csr_matrix(np.array(sf.constraints(player), dtype=float))
    f = csr_matrix(np.array(sf.constraints(1 - player), dtype=float))
    n, m = sf.size(player), f.shape[0]
    cost = np.zeros(n + m)
    cost[n] = -1.0  # maximise q_0
    a_eq = hstack([e, csr_matrix((e.shape[0], m))]).tocsr()
    b_eq = np.zeros(e.shape[0])
    b_eq[0] = 1.0
    a_ub = hstack([-a.T, f.T]).tocsr()  # F' q - A' x <= 0
    bounds = [(0, None)] * n + [(None, None)] * m
    res = linprog(cost, A_ub=a_ub, b_ub=np.zeros(a_ub.shape[0]), A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs-ds")
    if res.status != 0:
        raise SolverError(f"the sequence-form LP failed: {res.message}")
    x = res.x[:n]
    exact = _exact_vertex(sf, player, x, res.x[n:], a_ub, res.slack)
    return exact if exact is not None else tuple(float(v) for v in x)


def _exact_vertex(sf: SequenceForm, player: int, x: Any, q: Any, a_ub: Any, slack: Any) -> tuple[Fraction, ...] | None:
    """The LP vertex recomputed exactly: unknowns are the support of ``x`` and all of ``q``;
    equations are ``E x = e`` and the tight rows of ``F' q <= A' x``."""
    n = sf.size(player)
    m = len(q)
    support = [j for j in range(n) if x[j] > LP_SUPPORT]
    e_rows = sf.constraints(player)
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for k, r in enumerate(e_rows):
        rows.append([Fraction(r[j]) for j in support] + [Fraction(0)] * m)
        rhs.append(Fraction(int(k == 0)))
    f_rows = sf.constraints(1 - player)
    exact_a: dict[tuple[int, int], Any] = {}
    for (s0, s1), v in sf.payoffs[player].items():
        exact_a[(s0, s1) if player == 0 else (s1, s0)] = v
    col = {j: c for c, j in enumerate(support)}
    for t in range(sf.size(1 - player)):
        if slack[t] > LP_SUPPORT:
            continue
        row = [Fraction(0)] * (len(support) + m)
        for (s, o), v in exact_a.items():
            if o == t and s in col:
                row[col[s]] -= Fraction(v)
        for k in range(m):
            if f_rows[k][t]:
                row[len(support) + k] += f_rows[k][t]
        rows.append(row)
        rhs.append(Fraction(0))
    try:
        z = solve_unique(rows, rhs)
    except (TypeError, ValueError):
        return None  # float payoffs: no exact vertex
    if z is None or any(v < 0 for v in z[: len(support)]):
        return None
    plan = [Fraction(0)] * n
    for j, v in zip(support, z, strict=False):
        plan[j] = v
    return tuple(plan)


def solve_zero_sum(tree: Tree) -> ZeroSumSolution:
    """Value and optimal strategies of a two-player zero-sum tree with perfect recall."""
    sf = build(tree)
    if not is_zero_sum(sf):
        raise SolverError("the tree is not zero-sum: use the sequence-form LCP (Lemke) instead")
    x = _optimal_plan(sf, 0)
    y = _optimal_plan(sf, 1)
    hi = best_response_value(sf, 0, y)  # the most player 1 can get against y
    lo = -best_response_value(sf, 1, x)  # the least player 1 gets with x
    exact = all(isinstance(v, Fraction) for v in (*x, *y)) and hi == lo
    value: Fraction | float = hi if exact else (float(hi) + float(lo)) / 2
    return ZeroSumSolution(value, (x, y), (behaviour(sf, 0, x), behaviour(sf, 1, y)), exact, sf)
