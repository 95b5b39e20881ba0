"""One equilibrium of a two-player tree: Lemke's algorithm on the sequence-form LCP (Koller,
Megiddo & von Stengel 1996, Section 4; Lemke 1965), exact, in memory linear in the sequence form.

The conditions: realization plans ``x, y`` (``E x = e``, ``F y = f``) and duals ``p, q`` with
``E' p - A y >= 0`` complementary to ``x`` and ``F' q - B' x >= 0`` complementary to ``y``.  Leaf
payoffs are first shifted below zero (the same constant at every leaf changes no equilibrium),
which lets the equations be relaxed to ``E x >= e, F y >= f`` with nonnegative duals: a standard
LCP ``w = r + M z >= 0, z >= 0, z'w = 0`` (:func:`sequence_lcp`).  Lemke's complementary pivoting
with the covering vector of ones runs on an exact rational tableau; ties in the ratio test are
broken lexicographically, so degenerate trees cannot cycle.  The answer is verified exactly (each
plan a best reply to the other).

>>> from solver.core.tree import decision, from_named, leaf
>>> t = from_named(("Entrant", "Incumbent"), "e", {
...     "e": decision("Entrant", {"Out": "o", "In": "i"}), "o": leaf((1, 5)),
...     "i": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> eq = lemke_tree(t)
>>> eq.payoffs, eq.behaviour
((Fraction(2, 1), Fraction(2, 1)), ({0: (Fraction(0, 1), Fraction(1, 1))}, {1: (Fraction(0, 1), Fraction(1, 1))}))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import SolverError
from solver.core.tree import Tree
from solver.equilibria.trees.sequence_form import (
    SequenceForm,
    behaviour,
    best_response_value,
    build,
)

#: Lemke's path has at most this many pivots per LCP row before we call it a failure
MAX_PIVOTS_PER_ROW = 50


@dataclass(frozen=True)
class TreeEquilibrium:
    """A behaviour-strategy equilibrium of a two-player tree, with its realization plans."""

    plans: tuple[tuple[Fraction, ...], tuple[Fraction, ...]]
    behaviour: tuple[dict[int, tuple[Fraction, ...]], dict[int, tuple[Fraction, ...]]]
    payoffs: tuple[Fraction, Fraction]
    pivots: int


def lemke(
    m: Sequence[Sequence[Fraction]], r: Sequence[Fraction], budget: Budget = UNBOUNDED
) -> tuple[list[Fraction], int]:
    """A solution ``z`` of the LCP ``w = r + M z >= 0, z >= 0, z'w = 0`` by Lemke's algorithm
    (covering vector of ones, lexicographic ratio test), and the number of pivots.

    >>> F = Fraction
    >>> lemke([[F(2), F(1)], [F(1), F(2)]], [F(-5), F(-6)])[0]
    [Fraction(4, 3), Fraction(7, 3)]
    """
    n = len(r)
    if all(v >= 0 for v in r):
        return [Fraction(0)] * n, 0
    # tableau rows: [w (n) | z (n) | z0 | rhs], from  w - M z - 1 z0 = r
    rows = [
        [Fraction(int(i == j)) for j in range(n)] + [-Fraction(v) for v in m[i]] + [Fraction(-1), Fraction(r[i])]
        for i in range(n)
    ]
    basis = list(range(n))
    z0 = 2 * n
    leave = min(range(n), key=lambda i: (r[i], i))
    _pivot(rows, leave, z0)
    entering = n + basis[leave]  # the complement of the variable that left
    basis[leave] = z0
    pivots = 1
    limit = MAX_PIVOTS_PER_ROW * n + 10
    while pivots < limit:
        if budget.expired():
            raise SolverError(f"time budget ran out during Lemke's algorithm (after {pivots} pivots)")
        row = _ratio_test(rows, entering, n, basis, z0)
        if row is None:
            raise SolverError("Lemke's algorithm ended on a ray (the LCP has no solution found)")
        _pivot(rows, row, entering)
        left = basis[row]
        basis[row] = entering
        pivots += 1
        if left == z0:
            z = [Fraction(0)] * n
            for i, v in enumerate(basis):
                if n <= v < 2 * n:
                    z[v - n] = rows[i][-1]
            return z, pivots
        entering = left + n if left < n else left - n
    raise SolverError(f"Lemke's algorithm did not finish within {limit} pivots")


def _pivot(rows: list[list[Fraction]], r: int, c: int) -> None:
    piv = rows[r][c]
    row = [v / piv for v in rows[r]]
    rows[r] = row
    nz = [j for j, v in enumerate(row) if v]
    for i, other in enumerate(rows):
        if i != r and other[c]:
            f = other[c]
            for j in nz:
                other[j] -= f * row[j]


def _ratio_test(rows: list[list[Fraction]], c: int, n: int, basis: list[int], z0: int) -> int | None:
    """The leaving row: min rhs/coef over positive coefficients; ties broken by z0 first, then
    lexicographically on the rows of the basis inverse (the w columns)."""
    cands = [i for i, row in enumerate(rows) if row[c] > 0]
    if not cands:
        return None
    best = min(rows[i][-1] / rows[i][c] for i in cands)
    ties = [i for i in cands if rows[i][-1] / rows[i][c] == best]
    if len(ties) == 1:
        return ties[0]
    for i in ties:
        if basis[i] == z0:
            return i
    for j in range(n):
        if len(ties) == 1:
            break
        least = min(rows[i][j] / rows[i][c] for i in ties)
        ties = [i for i in ties if rows[i][j] / rows[i][c] == least]
    return ties[0]


def sequence_lcp(sf: SequenceForm) -> tuple[list[list[Fraction]], list[Fraction], tuple[int, ...]]:
    """The LCP ``(M, r)`` of the sequence form and the offsets of ``x, y, p`` in ``z``.

    As in Koller, Megiddo & von Stengel (1996) and Gambit's ``efglcp``: with every leaf payoff
    shifted below zero, the constraints ``E x = e`` may be relaxed to ``E x >= e`` with duals
    ``p >= 0`` (a player never puts more weight on a sequence than needed, since every leaf
    costs), so ``z = (x, y, p, q) >= 0`` and ``w = r + M z`` with
    ``w_x = -A y - E'p``, ``w_y = -B'x - F'q``, ``w_p = E x - e``, ``w_q = F y - f``.
    """
    n1, n2 = sf.size(0), sf.size(1)
    e, f = sf.constraints(0), sf.constraints(1)
    m1, m2 = len(e), len(f)
    leaves = [Fraction(v) for node in sf.tree.nodes if node.is_terminal for v in node.payoffs]
    shift = max(leaves, default=Fraction(0)) + 1
    ox, oy, op, oq = 0, n1, n1 + n2, n1 + n2 + m1
    size = oq + m2
    mat = [[Fraction(0)] * size for _ in range(size)]
    rhs = [Fraction(0)] * size
    for (s0, s1), v in sf.payoffs[0].items():
        mat[ox + s0][oy + s1] -= Fraction(v) - shift * Fraction(sf.reach[(s0, s1)])
    for (s0, s1), v in sf.payoffs[1].items():
        mat[oy + s1][ox + s0] -= Fraction(v) - shift * Fraction(sf.reach[(s0, s1)])
    for offset, dual, rows in ((ox, op, e), (oy, oq, f)):
        for k, row in enumerate(rows):
            for j, c in enumerate(row):
                if c:
                    mat[offset + j][dual + k] -= c
                    mat[dual + k][offset + j] += c
            rhs[dual + k] = -Fraction(int(k == 0))
    return mat, rhs, (ox, oy, op)


def normalised(sf: SequenceForm, player: int, plan: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """The realization plan of the behaviour ``plan[h, a] / sum_b plan[h, b]`` (uniform where the
    sum is zero): an LCP solution may overshoot ``E x = e`` where nothing is at stake."""
    first = sf.first(player)
    out = [Fraction(0)] * len(plan)
    out[0] = Fraction(1)
    for h, parent in zip(sf.infosets[player], sf.parents[player], strict=True):
        k = len(sf.tree.infosets[h].actions)
        total = sum(plan[first[h] + a] for a in range(k))
        for a in range(k):
            share = plan[first[h] + a] / total if total else Fraction(1, k)
            out[first[h] + a] = out[parent] * share
    return tuple(out)


def expected(sf: SequenceForm, player: int, x: Sequence[Any], y: Sequence[Any]) -> Any:
    return sum((v * x[s0] * y[s1] for (s0, s1), v in sf.payoffs[player].items()), Fraction(0))


def lemke_tree(tree: Tree, budget: Budget = UNBOUNDED) -> TreeEquilibrium:
    """One exact equilibrium of a two-player tree with perfect recall (numeric payoffs); a
    :class:`SolverError` if ``budget`` runs out first."""
    sf = build(tree)
    mat, rhs, (ox, oy, op) = sequence_lcp(sf)
    z, pivots = lemke(mat, rhs, budget)
    x, y = normalised(sf, 0, z[ox:oy]), normalised(sf, 1, z[oy:op])
    u1, u2 = expected(sf, 0, x, y), expected(sf, 1, x, y)
    if best_response_value(sf, 0, y) != u1 or best_response_value(sf, 1, x) != u2:
        raise SolverError("Lemke's answer failed its exact best-reply check")
    return TreeEquilibrium((x, y), (behaviour(sf, 0, x), behaviour(sf, 1, y)), (u1, u2), pivots)
