"""Every vertex of a polyhedron ``{z : G z = b, z_j >= 0 for j not free}``, exactly, by a
depth-first search over its *lexicographically feasible* bases with integer pivoting.

Degenerate polyhedra (the sequence form's are: an information set that the other player cuts
off makes all its action constraints tight at once) have vertices with very many feasible
bases.  As in lrs (Avis 2000; Avis, Rosenberg, Savani & von Stengel 2010, Sec. 5), the right
side is perturbed to ``b + B0 (eps, eps^2, ...)`` with ``B0`` the starting basis: the perturbed
polyhedron is simple, its vertices are the bases whose rows of ``[B^-1 b | B^-1 B0]`` are
lexicographically positive, the lexicographic ratio test makes every pivot unique, and every
vertex of the original polyhedron is the limit of at least one perturbed vertex (maximise an
objective that exposes it).  Bases are visited in place (pivot forward, pivot back); the tableau
is kept as integers ``det(B) * B^-1 [G | b]`` (integer pivoting: von Stengel 2002, Sec. 3.5), so
there are no fractions and no growth beyond the basis determinants.  Free variables (the
sequence form's duals) enter the starting basis and never leave it.

Memory: the tableau, the depth-first stack and one integer per visited basis.  Cost: the
perturbed polyhedron can have many vertices per original one where the payoffs tie massively
(Gambit's ``nim7.efg``: 126 and 44 vertices, about 87,000 and 90,000 bases, 18 s in all).

>>> # the square [0, 1]^2 as x + s = 1, y + t = 1 (all variables >= 0)
>>> rows, rhs = [[1, 0, 1, 0], [0, 1, 0, 1]], [1, 1]
>>> sorted(v.zero for v in lex_vertices(rows, rhs, [2, 3], set()))
[3, 6, 9, 12]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import SolverError

#: look at the time budget once every this many bases
CHECK_EVERY = 64


@dataclass(frozen=True)
class Vertex:
    """A basic feasible solution: ``zero`` has bit ``j`` set when variable ``j`` (not free) is
    zero there; ``values`` are the requested variables' values."""

    zero: int
    values: tuple[Fraction, ...]


class Tableau:
    """``det * B^-1 [G | b]`` as integer rows, the basic column of each row, and ``det > 0``.

    After the starting basis is pivoted in, the rows of the free basic variables and the free
    columns are dropped (free variables never leave, so nothing reads them again): the rows
    left are exactly those of the full tableau.  Columns are renumbered; ``cols`` maps back."""

    def __init__(self, rows: Sequence[Sequence[int]], rhs: Sequence[int], basis: Sequence[int], free: set[int]) -> None:
        self.t = [[*map(int, row), int(v)] for row, v in zip(rows, rhs, strict=True)]
        self.det = 1
        self.basis = [-1] * len(self.t)
        for c in basis:  # Gaussian elimination into the starting basis, row by row
            r = next((i for i, b in enumerate(self.basis) if b < 0 and self.t[i][c]), None)
            if r is None:
                raise SolverError("the starting basis of the sequence-form polyhedron is singular")
            self.pivot(r, c)
        width = len(self.t[0]) - 1 if self.t else 0
        self.cols = [j for j in range(width) if j not in free]
        index = {j: k for k, j in enumerate(self.cols)}
        keep = [i for i, b in enumerate(self.basis) if b not in free]
        self.t = [[self.t[i][j] for j in self.cols] + [self.t[i][-1]] for i in keep]
        self.basis = [index[self.basis[i]] for i in keep]

    def pivot(self, r: int, c: int) -> None:
        """Integer pivot on row ``r``, column ``c`` (exact divisions by the old determinant)."""
        t, d = self.t, self.det
        row = t[r]
        p = row[c]
        for i, other in enumerate(t):
            if i == r:
                continue
            f = other[c]
            if f:
                t[i] = [(p * v - f * w) // d for v, w in zip(other, row, strict=True)]
            elif p != d:
                t[i] = [p * v // d for v in other]
        self.det = p
        self.basis[r] = c
        if p < 0:
            self.det = -p
            self.t = [[-v for v in line] for line in self.t]


def _lex_row(t: list[list[int]], c: int, order: Sequence[int]) -> int | None:
    """The unique leaving row for entering column ``c`` by the lexicographic ratio test over
    ``(rhs, columns of B0)``; ``None`` on an unbounded edge."""
    cands = [i for i, row in enumerate(t) if row[c] > 0]
    if len(cands) <= 1:
        return cands[0] if cands else None
    for k in (-1, *order):
        best = cands[0]
        bk, bc = t[best][k], t[best][c]
        ties = [best]
        for i in cands[1:]:  # min over t[i][k] / t[i][c], denominators positive
            lhs, rhs = t[i][k] * bc, bk * t[i][c]
            if lhs < rhs:
                best, bk, bc, ties = i, t[i][k], t[i][c], [i]
            elif lhs == rhs:
                ties.append(i)
        if len(ties) == 1:
            return best
        cands = ties
    raise SolverError("lexicographic ratio test tied: the starting basis is not lexicographically feasible")


def lex_vertices(
    rows: Sequence[Sequence[int]],
    rhs: Sequence[int],
    basis: Sequence[int],
    free: set[int],
    keep: Sequence[int] = (),
    budget: Budget = UNBOUNDED,
    done: list[bool] | None = None,
) -> Iterator[Vertex]:
    """Each vertex of ``{z : rows z = rhs, z_j >= 0 (j not in free)}`` once, from the feasible
    starting ``basis`` (one column per row; every free column in it).  ``keep``: the columns
    (not free) whose values each :class:`Vertex` carries.  ``done`` (a one-item list) is set to
    False when the budget stops the search before every basis was visited."""
    tab = Tableau(rows, rhs, basis, free)
    t = tab.t
    if any(line[-1] < 0 for line in t):
        raise SolverError("the starting basis of the sequence-form polyhedron is infeasible")
    order = list(tab.basis)  # B0 (row order, free ones left out): the lexicographic perturbation
    cols = tab.cols
    where_keep = [cols.index(j) for j in keep]
    every = (1 << len(cols)) - 1
    seen: set[int] = set()
    mask = sum(1 << c for c in tab.basis)
    visited = {mask}

    def emit() -> Vertex | None:
        zero = every
        for i, c in enumerate(tab.basis):
            if tab.t[i][-1]:
                zero ^= 1 << c
        if zero in seen:
            return None
        seen.add(zero)
        row_of = {c: i for i, c in enumerate(tab.basis)}
        d = tab.det
        vals = tuple(Fraction(tab.t[row_of[c]][-1], d) if c in row_of else Fraction(0) for c in where_keep)
        return Vertex(sum(1 << cols[k] for k in range(len(cols)) if zero >> k & 1), vals)

    first = emit()
    if first is not None:
        yield first
    stack: list[tuple[Iterator[int], tuple[int, int] | None]] = []
    stack.append((iter([j for j in range(len(cols)) if not mask >> j & 1]), None))
    count = 0
    while stack:
        entering, undo = stack[-1]
        c = next(entering, None)
        if c is None:
            stack.pop()
            if undo is not None:
                mask ^= (1 << tab.basis[undo[0]]) ^ (1 << undo[1])
                tab.pivot(*undo)
            continue
        r = _lex_row(tab.t, c, order)
        if r is None:
            continue
        left = tab.basis[r]
        key = mask ^ (1 << left) ^ (1 << c)
        if key in visited:
            continue
        count += 1
        if count % CHECK_EVERY == 0 and budget.expired():
            if done is not None:
                done[0] = False
            return
        visited.add(key)
        mask = key
        tab.pivot(r, c)
        found = emit()
        if found is not None:
            yield found
        # entering ``left`` again leads straight back: not worth a ratio test
        stack.append((iter([j for j in range(len(cols)) if not mask >> j & 1 and j != left]), (r, left)))
