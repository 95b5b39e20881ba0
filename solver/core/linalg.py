"""Exact rational linear algebra for the polyhedral equilibrium solvers.

Systems are solved by fraction-free Gaussian elimination (Bareiss 1968) on rows scaled to
integers, so the work is Python-integer arithmetic and the answer an exact
:class:`~fractions.Fraction` vector.  Overdetermined systems are accepted: the solution is
returned when it is *unique and consistent* (the degenerate vertex of a best-response polytope,
which satisfies more tight constraints than its dimension), ``None`` otherwise.

>>> F = Fraction
>>> solve_unique([[1, 1], [1, -1], [2, 0]], [3, 1, 4])  # 3 equations, 2 unknowns, consistent
(Fraction(2, 1), Fraction(1, 1))
>>> solve_unique([[1, 1], [1, 1]], [1, 2]) is None  # singular
True
>>> vertices([[F(-1)], [F(2)]], [F(0), F(1)])  # the segment 0 <= z <= 1/2
[((Fraction(0, 1),), (0,)), ((Fraction(1, 2),), (1,))]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations

Rational = Fraction | int


def _integer_row(row: Sequence[Rational], rhs: Rational) -> list[int]:
    """The equation ``row . z = rhs`` multiplied by the lcm of its denominators."""
    vals = [Fraction(v) for v in (*row, rhs)]
    scale = math.lcm(*(v.denominator for v in vals))
    return [int(v * scale) for v in vals]


def solve_unique(
    rows: Sequence[Sequence[Rational]], rhs: Sequence[Rational]
) -> tuple[Fraction, ...] | None:
    """The unique exact solution of ``rows @ z = rhs``, or ``None`` (singular or inconsistent).

    ``rows`` may have more equations than unknowns; the surplus must then be consistent.
    Bareiss (1968) fraction-free elimination with row pivoting, then back substitution.
    """
    if not rows:
        return None
    ncols = len(rows[0])
    mat = [_integer_row(r, b) for r, b in zip(rows, rhs, strict=True)]
    nrows = len(mat)
    if nrows < ncols:
        return None
    prev = 1
    for k in range(ncols):
        piv = next((i for i in range(k, nrows) if mat[i][k] != 0), None)
        if piv is None:
            return None  # rank deficient: not a unique point
        mat[k], mat[piv] = mat[piv], mat[k]
        pk = mat[k]
        for i in range(k + 1, nrows):
            ri = mat[i]
            f = ri[k]
            for j in range(k + 1, ncols + 1):
                ri[j] = (pk[k] * ri[j] - f * pk[j]) // prev
            ri[k] = 0
        prev = pk[k]
    if any(mat[i][ncols] != 0 for i in range(ncols, nrows)):
        return None  # overdetermined and inconsistent
    z = [Fraction(0)] * ncols
    for k in range(ncols - 1, -1, -1):
        acc = Fraction(mat[k][ncols]) - sum(
            (mat[k][j] * z[j] for j in range(k + 1, ncols)), Fraction(0)
        )
        z[k] = acc / mat[k][k]
    return tuple(z)


def residuals(
    g: Sequence[Sequence[Fraction]], h: Sequence[Fraction], z: Sequence[Fraction]
) -> list[Fraction]:
    """Slacks ``h - g @ z`` of every constraint at ``z`` (>= 0 means feasible, 0 means tight)."""
    return [
        hk - sum((gk[j] * z[j] for j in range(len(z)) if gk[j]), Fraction(0))
        for gk, hk in zip(g, h, strict=True)
    ]


def vertex_at(
    g: Sequence[Sequence[Fraction]], h: Sequence[Fraction], tight: Sequence[int]
) -> tuple[tuple[Fraction, ...], tuple[int, ...]] | None:
    """The exact vertex of ``{z : g z <= h}`` where the constraints ``tight`` bind.

    Returns the point and its *full* exact label set (every binding constraint), or ``None``
    when those constraints do not pin down a unique feasible point.
    """
    z = solve_unique([g[k] for k in tight], [h[k] for k in tight])
    if z is None:
        return None
    slack = residuals(g, h, z)
    if any(s < 0 for s in slack):
        return None
    return z, tuple(k for k, s in enumerate(slack) if s == 0)


def vertices(
    g: Sequence[Sequence[Fraction]], h: Sequence[Fraction]
) -> list[tuple[tuple[Fraction, ...], tuple[int, ...]]]:
    """Every vertex of the bounded polyhedron ``{z : g z <= h}`` with its full label set.

    Exhaustive: each ``d``-subset of constraints is tried (``d`` the dimension), so it is always
    correct but exponential; the fallback when Qhull cannot be used.
    """
    d = len(g[0])
    seen: dict[tuple[int, ...], tuple[Fraction, ...]] = {}
    for subset in combinations(range(len(g)), d):
        found = vertex_at(g, h, subset)
        if found is not None and found[1] not in seen:
            seen[found[1]] = found[0]
    return sorted(((z, labels) for labels, z in seen.items()), key=lambda t: t[1])
