"""Zero-sum two-player games by linear programming: the value and the whole equilibrium set.

In a zero-sum game (``B = -A``, or ``A + B`` constant) the equilibria are exactly the pairs of
optimal strategies, so the set is a product of two polytopes (von Neumann 1928; Dantzig 1951):
``X* = {x in simplex : x'A >= v}`` and ``Y* = {y in simplex : A y <= v}``.  The value ``v``
comes from one LP (HiGHS), is recomputed exactly from the optimal basis when the payoffs are
rational, and is certified: ``min_j (x'A)_j = max_i (A y)_i`` with exact arithmetic.  The vertices
of ``X*`` and ``Y*`` are then enumerated exactly by walking the feasible bases of each polytope
(adjacent bases differ by one pivot; the graph of feasible bases of a polytope is connected, so
the walk misses no vertex).

>>> from fractions import Fraction as F
>>> s = solve_zero_sum([[F(1), F(-1)], [F(-1), F(1)]])  # matching pennies
>>> s.value, s.row_vertices, s.col_vertices, s.complete
(Fraction(0, 1), [(Fraction(1, 2), Fraction(1, 2))], [(Fraction(1, 2), Fraction(1, 2))], True)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.budget import UNBOUNDED, Budget, lp_options
from solver.core.errors import BudgetSpent, SolverError
from solver.core.linalg import solve_unique
from solver.core.tolerances import LP_SUPPORT

#: at most this many feasible bases are visited per polytope (beyond it: incomplete)
MAX_BASES = 200_000


@dataclass(frozen=True)
class ZeroSumSet:
    """The value to the row player and the vertices of both optimal-strategy polytopes."""

    value: Fraction
    row_vertices: list[tuple[Fraction, ...]]
    col_vertices: list[tuple[Fraction, ...]]
    #: False when a polytope walk was cut short (budget or :data:`MAX_BASES`)
    complete: bool


def is_zero_sum(a: Any, b: Any) -> bool:
    """Whether ``A + B`` is constant (a constant-sum game is zero-sum after a shift)."""
    total = np.asarray(a, dtype=object) + np.asarray(b, dtype=object)
    first = total.flat[0]
    return all(v == first for v in total.flat)


def _lp_strategy(a: Sequence[Sequence[Fraction]], budget: Budget = UNBOUNDED) -> tuple[Fraction, ...]:
    """An optimal (maximin) strategy of the row player, exact: HiGHS, then the basis solved
    again in rationals (support of ``x`` and the tight columns).  HiGHS gets the time left in
    ``budget``; :class:`BudgetSpent` when it runs out first."""
    from scipy.optimize import linprog

    m, n = len(a), len(a[0])
    af = np.array([[float(v) for v in row] for row in a])
    # variables (x_1..x_m, v): maximise v  s.t.  v - (A'x)_j <= 0,  sum x = 1,  x >= 0
    cost = np.zeros(m + 1)
    cost[-1] = -1.0
    a_ub = np.hstack([-af.T, np.ones((n, 1))])
    a_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(n),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs-ds",
        options=lp_options(budget),
    )
    if res.status == 1:
        raise BudgetSpent("the time budget ran out during the zero-sum linear program")
    if res.status != 0:
        raise SolverError(f"the zero-sum LP failed: {res.message}")
    x, slack = res.x[:m], res.slack
    support = [i for i in range(m) if x[i] > LP_SUPPORT]
    tight = sorted((j for j in range(n) if slack[j] <= LP_SUPPORT), key=lambda j: float(slack[j]))
    z = _basis_point(a, support, tight)
    if z is None:  # a column within float noise of tight is not: keep the tightest, as many as unknowns
        z = _basis_point(a, support, tight[: len(support)])
    if z is None or min(z[:-1], default=Fraction(0)) < 0:
        raise SolverError("the zero-sum LP's optimal basis is degenerate beyond exact recovery")
    out = [Fraction(0)] * m
    for i, v in zip(support, z, strict=False):
        out[i] = v
    return tuple(out)


def _basis_point(
    a: Sequence[Sequence[Fraction]], support: Sequence[int], tight: Sequence[int]
) -> tuple[Fraction, ...] | None:
    """``(x on support, v)`` solving ``sum x = 1`` and ``(A'x)_j = v`` for the ``tight`` columns."""
    rows = [[Fraction(1)] * len(support) + [Fraction(0)]]
    rhs = [Fraction(1)]
    for j in tight:
        rows.append([Fraction(a[i][j]) for i in support] + [Fraction(-1)])
        rhs.append(Fraction(0))
    return solve_unique(rows, rhs)


def _vertices(
    g: list[list[Fraction]], h: list[Fraction], start: Sequence[Fraction], budget: Budget
) -> tuple[list[tuple[Fraction, ...]], bool]:
    """Every vertex of ``{u >= 0 : G u = h}`` (exact), by a breadth-first walk over feasible
    bases from the one at the vertex ``start``; ``(vertices, complete)``."""
    rows, cols = len(g), len(g[0])
    basis = _basis_at(g, start)
    seen = {tuple(sorted(basis))}
    queue = deque([tuple(sorted(basis))])
    found: set[tuple[Fraction, ...]] = {tuple(start)}  # the LP's own vertex, even if time is up
    while queue:
        if len(seen) > MAX_BASES or budget.expired():
            return sorted(found), False
        b = list(queue.popleft())
        tab = _tableau(g, h, b)
        if tab is None:
            continue
        point = [Fraction(0)] * cols
        for r, var in enumerate(b):
            point[var] = tab[r][-1]
        found.add(tuple(point))
        for j in range(cols):
            if j in b:
                continue
            pos = [r for r in range(rows) if tab[r][j] > 0]
            if not pos:
                continue
            best = min(tab[r][-1] / tab[r][j] for r in pos)
            for r in pos:
                if tab[r][-1] / tab[r][j] == best:
                    nb = tuple(sorted([*b[:r], j, *b[r + 1 :]]))
                    if nb not in seen:
                        seen.add(nb)
                        queue.append(nb)
    return sorted(found), True


def _tableau(g: list[list[Fraction]], h: list[Fraction], basis: list[int]) -> list[list[Fraction]] | None:
    """``B^-1 [G | h]`` for the basis (Gauss-Jordan in rationals), or ``None`` if singular."""
    rows = [[*g[r], h[r]] for r in range(len(g))]
    for r, var in enumerate(basis):
        piv = next((k for k in range(r, len(rows)) if rows[k][var] != 0), None)
        if piv is None:
            return None
        rows[r], rows[piv] = rows[piv], rows[r]
        p = rows[r][var]
        rows[r] = [v / p for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][var] != 0:
                f = rows[k][var]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r], strict=True)]
    return rows


def _basis_at(g: list[list[Fraction]], point: Sequence[Fraction]) -> list[int]:
    """A basis whose basic solution is ``point``: its positive coordinates, completed to full
    rank with zero ones (incremental elimination: each column is reduced against the chosen)."""
    order = [j for j in range(len(point)) if point[j] > 0] + [j for j in range(len(point)) if point[j] == 0]
    chosen: list[int] = []
    echelon: list[tuple[int, list[Fraction]]] = []  # (pivot row, reduced column)
    for j in order:
        col = [g[r][j] for r in range(len(g))]
        for piv, vec in echelon:
            if col[piv]:
                f = col[piv] / vec[piv]
                col = [a - f * b for a, b in zip(col, vec, strict=True)]
        lead = next((r for r, v in enumerate(col) if v), None)
        if lead is not None:
            echelon.append((lead, col))
            chosen.append(j)
        if len(chosen) == len(g):
            break
    return chosen


def _optimal_polytope(
    a: Sequence[Sequence[Fraction]],
    value: Fraction,
    x: tuple[Fraction, ...],
    other: tuple[Fraction, ...],
    budget: Budget,
) -> tuple[list[tuple[Fraction, ...]], bool]:
    """Vertices of ``{x in simplex : x'A >= value}``, in equality form with slacks.

    Every optimal ``x`` is a best reply to the other's optimal ``other`` and makes each column
    in ``other``'s support exactly ``value`` (optimal strategies are interchangeable), so rows
    that are not best replies are dropped and those columns get no slack: the walk runs in the
    face where the optimal set lives, usually a single basis.
    """
    m, n = len(a), len(a[0])
    payoff = [sum((a[i][j] * other[j] for j in range(n)), Fraction(0)) for i in range(m)]
    keep = [i for i in range(m) if payoff[i] == value]
    loose = [j for j in range(n) if other[j] == 0]
    g = [[Fraction(1)] * len(keep) + [Fraction(0)] * len(loose)]
    h = [Fraction(1)]
    for j in range(n):
        g.append([Fraction(a[i][j]) for i in keep] + [Fraction(-int(k == j)) for k in loose])
        h.append(value)
    slack = [sum((x[i] * a[i][j] for i in range(m)), Fraction(0)) - value for j in loose]
    start = [x[i] for i in keep] + slack
    if all(v > 0 for v in start) and solve_unique(g, h) is not None:
        # the equations alone pin the point down: the optimal set is this one point
        return [x], True
    points, complete = _vertices(g, h, start, budget)
    out = set()
    for p in points:
        full = [Fraction(0)] * m
        for i, v in zip(keep, p, strict=False):
            full[i] = v
        out.add(tuple(full))
    return sorted(out), complete


def solve_zero_sum(a: Sequence[Sequence[Any]], budget: Budget = UNBOUNDED) -> ZeroSumSet:
    """Value and every extreme optimal strategy of the zero-sum game with row payoffs ``a``
    (rational entries; floats are taken at their decimal value)."""
    from solver.core.game import to_fraction

    fa = [[to_fraction(v) for v in row] for row in a]
    ft = [list(col) for col in zip(*fa, strict=True)]
    neg_t = [[-v for v in row] for row in ft]  # the column player's game, as a row player
    x = _lp_strategy(fa, budget)
    y = _lp_strategy(neg_t, budget)
    low = min(sum((x[i] * fa[i][j] for i in range(len(fa))), Fraction(0)) for j in range(len(ft)))
    high = max(sum((fa[i][j] * y[j] for j in range(len(ft))), Fraction(0)) for i in range(len(fa)))
    if low != high:
        raise SolverError("the zero-sum LP's strategies failed their exact certificate")
    rows, done_r = _optimal_polytope(fa, low, x, y, budget)
    cols, done_c = _optimal_polytope(neg_t, -low, y, x, budget)
    return ZeroSumSet(low, rows, cols, done_r and done_c)
