"""The Abreu-Sannikov iteration in exact rationals, for games whose iteration stops exactly.

The operator of :mod:`solver.equilibria.repeated.abreu_sannikov` (Abreu & Sannikov 2014) maps
a polygon with rational vertices to one with rational vertices: incentive corners, line-edge
intersections and the images ``(1 - delta) g(a) + delta c`` are all rational when the payoffs
and ``delta`` are.  Often (always when every extreme point of the set is self-generating or
generated within a few steps) the iteration reaches its fixed point exactly after finitely many
steps; then that polygon, exact, *is* the subgame-perfect payoff set.  When it has not stopped
after ``max_iter`` steps (the approach is geometric), :func:`exact_payoff_set` returns ``None``
and the float iteration answers instead.

Prisoner's dilemma (T = 5, R = 3, P = 1, S = 0) at delta = 1/2: the whole feasible IR set.

>>> from fractions import Fraction as F
>>> s = exact_payoff_set([[3, 0], [5, 1]], [[3, 5], [0, 1]], F(1, 2))
>>> [tuple(map(str, v)) for v in s.vertices], s.iterations
([('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')], 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from solver.core.budget import UNBOUNDED, Budget
from solver.core.game import to_fraction
from solver.equilibria.repeated.polygon import Point, clip_above, convex_hull
from solver.equilibria.repeated.result import PayoffSet

#: exact steps tried before handing over to floats (denominators grow with every step)
MAX_EXACT_ITERATIONS = 64

#: ... and while every vertex's numerators and denominators stay within this many bits (each
#: step can square them: a set approached geometrically would blow them up)
MAX_EXACT_BITS = 512

#: what :func:`exact_payoff_set` returns when the set is empty (no pure-strategy SPE)
EMPTY = PayoffSet((), note="empty: no pure-strategy subgame-perfect equilibrium")


def _inside(poly: Sequence[Point], p: Point) -> bool:
    """Whether ``p`` lies in the convex polygon (counter-clockwise; a segment or a point)."""
    k = len(poly)
    if k >= 3:
        return all(
            (poly[(i + 1) % k][0] - poly[i][0]) * (p[1] - poly[i][1])
            - (poly[(i + 1) % k][1] - poly[i][1]) * (p[0] - poly[i][0])
            >= 0
            for i in range(k)
        )
    a, b = poly[0], poly[-1]
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    between = min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])
    return bool(cross == 0 and between)


def _segment(poly: Sequence[Point], axis: int, c: Fraction) -> tuple[Fraction, Fraction] | None:
    """The range of the other coordinate over the polygon's points with ``x_axis = c``."""
    other = 1 - axis
    xs = [p[other] for p in poly if p[axis] == c]
    k = len(poly)
    for i in range(k if k > 2 else k - 1):
        p, q = poly[i], poly[(i + 1) % k]
        if (p[axis] - c) * (q[axis] - c) < 0:
            t = (c - p[axis]) / (q[axis] - p[axis])
            xs.append(p[other] + t * (q[other] - p[other]))
    return (min(xs), max(xs)) if xs else None


def exact_payoff_set(
    u0: Any, u1: Any, delta: Any, *, max_iter: int = MAX_EXACT_ITERATIONS, budget: Budget = UNBOUNDED
) -> PayoffSet | None:
    """The subgame-perfect payoff set in rationals when the iteration stops exactly within
    ``max_iter`` steps (:data:`EMPTY` when it is empty); ``None`` when it does not stop."""
    d = to_fraction(delta)
    a = [[to_fraction(v) for v in row] for row in u0]
    b = [[to_fraction(v) for v in row] for row in u1]
    m, n = len(a), len(a[0])
    best_a = [max(a[i][j] for i in range(m)) for j in range(n)]
    best_b = [max(b[i][j] for j in range(n)) for i in range(m)]
    factor = (1 - d) / d
    prof = [(i, j) for i in range(m) for j in range(n)]
    pay = [(a[i][j], b[i][j]) for i, j in prof]
    h = [(factor * (best_a[j] - a[i][j]), factor * (best_b[i] - b[i][j])) for i, j in prof]
    threat = (min(best_a), min(best_b))
    w = clip_above(clip_above(convex_hull(pay), 0, threat[0]), 1, threat[1])
    for step in range(1, max_iter + 1):
        if not w:
            return EMPTY
        if budget.expired():
            return None
        points: list[Point] = []
        for g, (h0, h1) in zip(pay, h, strict=True):
            ic = (threat[0] + h0, threat[1] + h1)
            if g[0] >= ic[0] and g[1] >= ic[1] and _inside(w, g):
                points.append(g)
                continue
            for axis in (0, 1):
                seg = _segment(w, axis, ic[axis])
                if seg is None or seg[1] < ic[1 - axis]:
                    continue
                for y in (seg[1], max(seg[0], ic[1 - axis])):
                    c = (ic[0], y) if axis == 0 else (y, ic[1])
                    points.append(((1 - d) * g[0] + d * c[0], (1 - d) * g[1] + d * c[1]))
        new = convex_hull(points)
        if not new:
            return EMPTY
        if any(max(q.numerator.bit_length(), q.denominator.bit_length()) > MAX_EXACT_BITS for p in new for q in p):
            return None
        low = (max(threat[0], min(p[0] for p in new)), max(threat[1], min(p[1] for p in new)))
        if new == w and low == threat:
            note = f"exact: the iteration reached its fixed point after {step} steps"
            return PayoffSet(tuple(new), step, True, threat, note)
        w, threat = new, low
    return None
