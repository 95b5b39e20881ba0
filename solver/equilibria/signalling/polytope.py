"""Exact vertices of small polytopes ``{x : E x = e, G x >= h}`` (bounded: every variable of a
signalling game lies in a simplex).

The equalities are solved once by exact Gauss-Jordan elimination (``x = x0 + N y`` over the free
variables ``y``); then every choice of ``dim y`` inequalities is made tight and solved
(:func:`solver.core.linalg.solve_unique`, Bareiss 1968), and the feasible points kept: the
brute-force basis enumeration, exponential but exact, for the few variables of a support pattern
(at most :data:`MAX_BASES` bases per polytope).

>>> F = Fraction
>>> # {x1 + x2 = 1, x >= 0, x1 >= 1/4}: the segment from (1/4, 3/4) to (1, 0)
>>> vertices(2, [([F(1), F(1)], F(1))], [([F(1), F(0)], F(0)), ([F(0), F(1)], F(0)), ([F(1), F(0)], F(1, 4))])
[(Fraction(1, 4), Fraction(3, 4)), (Fraction(1, 1), Fraction(0, 1))]
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from math import comb, gcd, lcm

from solver.core import tolerances
from solver.core.linalg import solve_unique

Row = tuple[list[Fraction], Fraction]
Point = tuple[Fraction, ...]

#: at most this many bases are tried per polytope; past it :class:`TooManyBases` is raised
MAX_BASES = 200_000


class TooManyBases(Exception):
    """A polytope with more candidate bases than :data:`MAX_BASES`."""


def _eliminate(n: int, eqs: Sequence[Row]) -> tuple[list[Fraction], list[list[Fraction]], list[int]] | None:
    """``x = x0 + N y`` for the solutions of ``eqs`` (Gauss-Jordan): (x0, N as rows per x, free
    variables); None if inconsistent."""
    rows = [[*r, b] for r, b in eqs]
    pivots: list[int] = []
    k = 0
    for col in range(n):
        piv = next((i for i in range(k, len(rows)) if rows[i][col] != 0), None)
        if piv is None:
            continue
        rows[k], rows[piv] = rows[piv], rows[k]
        p = rows[k][col]
        rows[k] = [v / p for v in rows[k]]
        for i in range(len(rows)):
            if i != k and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[k], strict=True)]
        pivots.append(col)
        k += 1
    if any(r[n] != 0 for r in rows[k:]):
        return None
    free = [c for c in range(n) if c not in pivots]
    x0 = [Fraction(0)] * n
    basis = [[Fraction(int(c == f)) for f in free] for c in range(n)]
    for i, col in enumerate(pivots):
        x0[col] = rows[i][n]
        basis[col] = [-rows[i][f] for f in free]
    return x0, basis, free


def vertices(n: int, eqs: Sequence[Row], ineqs: Sequence[Row]) -> list[Point]:
    """Every vertex of ``{x in R^n : row.x = rhs (eqs), row.x >= rhs (ineqs)}``, exact, in
    lexicographic order; ``[]`` when empty.  Raises :class:`TooManyBases` past :data:`MAX_BASES`."""
    solved = _eliminate(n, eqs)
    if solved is None:
        return []
    x0, basis, free = solved
    k = len(free)
    cons: dict[tuple[int, ...], Fraction] = {}  # reduced rows g.y >= h, g in lowest integers
    for row, rhs in ineqs:
        g = [sum((row[j] * basis[j][c] for j in range(n) if row[j]), Fraction(0)) for c in range(k)]
        h = rhs - sum((row[j] * x0[j] for j in range(n) if row[j]), Fraction(0))
        if all(v == 0 for v in g):
            if h > 0:
                return []
            continue
        scale = lcm(*(v.denominator for v in (*g, h)))
        ints = [int(v * scale) for v in g]
        div = gcd(*ints)
        key = tuple(v // div for v in ints)
        bound = h * scale / div
        cons[key] = max(cons[key], bound) if key in cons else bound
    rows = [(list(g), h) for g, h in cons.items()]
    if k == 0:
        return [tuple(x0)]
    if comb(len(rows), k) > MAX_BASES:
        raise TooManyBases
    found: set[Point] = set()
    for subset in _candidates(rows, k):
        y = solve_unique([rows[i][0] for i in subset], [rows[i][1] for i in subset])
        if y is None or y in found:
            continue
        if all(sum((gi * yi for gi, yi in zip(g, y, strict=True) if gi), Fraction(0)) >= h for g, h in rows):
            found.add(y)
    points = {
        tuple(x0[j] + sum((basis[j][c] * y[c] for c in range(k) if basis[j][c]), Fraction(0)) for j in range(n))
        for y in found
    }
    return sorted(points)


def _candidates(rows: list[tuple[list[int], Fraction]], k: int) -> list[tuple[int, ...]]:
    """The ``k``-subsets of ``rows`` worth solving exactly: all of them, less those whose float
    solution is clearly infeasible (by more than :data:`~solver.core.tolerances.AMBIGUOUS` times
    the scale) or whose float determinant is clearly zero (exactly singular bases are then
    refused by the exact solve; nearly singular ones are kept)."""
    import numpy as np

    subsets = np.array(list(combinations(range(len(rows)), k)), dtype=np.intp).reshape(-1, k)
    g = np.array([[float(v) for v in r] for r, _ in rows])
    h = np.array([float(b) for _, b in rows])
    scale = max(1.0, float(np.abs(g).max()), float(np.abs(h).max()))
    mats = g[subsets]
    det = np.linalg.det(mats / scale)
    solvable = np.abs(det) > tolerances.SINGULAR
    keep = ~solvable & (np.abs(det) > 0)  # nearly singular in floats: the exact solve decides
    if solvable.any():
        y = np.linalg.solve(mats[solvable], h[subsets[solvable]][..., None])[..., 0]
        slack = y @ g.T - h  # (bases, rows)
        bound = tolerances.AMBIGUOUS * scale * (1.0 + np.abs(y).max(axis=1, initial=0.0))
        ok = (slack >= -bound[:, None]).all(axis=1)
        keep[np.flatnonzero(solvable)[ok]] = True
    return [tuple(int(i) for i in s) for s in subsets[keep]]


def simplex_vertices(n: int, ineqs: Sequence[Row]) -> list[Point]:
    """The vertices of ``{x in the unit simplex of R^n : ineqs}`` (beliefs)."""
    one = Fraction(1)
    zero = Fraction(0)
    cons = [([one if j == i else zero for j in range(n)], zero) for i in range(n)]
    return vertices(n, [([one] * n, one)], [*cons, *ineqs])
