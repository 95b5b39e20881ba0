"""Support enumeration for two-player games (von Stengel 2007, Algorithm 3.4), exact or float.

The support pairs and indifference systems are the batched kernel's
(:func:`solver.equilibria.batched.support.equal_supports`,
:func:`solver.equilibria.batched.support.indifference_system`), stacked over the support pairs of
one game.  Each is solved exactly (exact games) or by least squares with a rank and residual test
(floats), and a pair stops at its first failed test: faster here than the batched kernel on a
batch of one, which works every pair in full.  Complete only for nondegenerate games; degeneracy
is tested exactly and reported.

>>> support_enumeration([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], exact=True)   # matching pennies
([((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))], False, None)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from itertools import groupby, islice
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import linalg as exact_linalg
from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget
from solver.core.game import Game, to_fraction
from solver.core.result import Result
from solver.equilibria.batched.support import equal_supports, indifference_system
from solver.equilibria.twoplayer.vertex import Pair, require_two_players
from solver.equilibria.verify import dedupe, dropped_note, verified

Support = tuple[int, ...]
#: one support pair's indifference system: (mix support, indifferent strategies, matrix, rhs)
System = tuple[Support, Support, npt.NDArray[Any], npt.NDArray[Any]]
#: support pairs stacked into one array at a time (memory stays bounded on large games)
CHUNK = 4096


def _systems(
    mat: list[list[Any]], exact: bool, supports: Iterable[tuple[Support, Support]]
) -> Iterator[System]:
    """The indifference systems of ``mat`` for the ``supports`` (a mix on rows, those columns
    indifferent; sizes ascending), built as stacks of at most ``CHUNK`` pairs of one size."""
    arr = np.array(mat, dtype=object if exact else float)
    for _, group in groupby(supports, key=lambda p: (len(p[0]), len(p[1]))):
        while pairs := list(islice(group, CHUNK)):
            yield from _stack(arr, pairs)


def _stack(arr: npt.NDArray[Any], pairs: list[tuple[Support, Support]]) -> Iterator[System]:
    mix, ind = (np.array([p[side] for p in pairs], dtype=np.intp) for side in (0, 1))
    eqs, rhs = indifference_system(arr[mix[:, None, :], ind[:, :, None]])
    for (rows, cols), lhs, r in zip(pairs, eqs, rhs, strict=True):
        yield rows, cols, lhs, r


def _indifferent(system: System, size: int, exact: bool, tie: float) -> tuple[list[Any], Any] | None:
    """The unique mix on the system's rows making its columns equally good, and its value."""
    rows, _, lhs, r = system
    k = len(rows)
    if exact:
        sol: Sequence[Any] | None = exact_linalg.solve_unique(lhs.tolist(), r.tolist())
    else:
        s, _, rank, _ = np.linalg.lstsq(lhs, r, rcond=None)
        sol = s.tolist() if rank == k + 1 and np.abs(lhs @ s - r).max() <= tie else None
    if sol is None:
        return None
    x: list[Any] = [Fraction(0) if exact else 0.0] * size
    for i, v in zip(rows, sol[:k], strict=True):
        x[i] = v
    return x, sol[k]


def _is_best(mat: list[list[Any]], x: Sequence[Any], value: Any, tie: float) -> bool:
    """No pure column of ``mat`` does better than ``value`` against ``x``."""
    bound = value + tie if tie else value  # exact games: no float slack
    return all(
        sum(xi * row[j] for xi, row in zip(x, mat, strict=True) if xi) <= bound
        for j in range(len(mat[0]))
    )


def has_degenerate_strategy(
    mat: list[list[Any]], *, exact: bool, tie: float = 0.0, budget: Budget = UNBOUNDED
) -> bool | None:
    """Does some mix ``x`` over the rows have more best-response columns than its support size?
    ``None``: the budget ran out before it was decided.

    Tests every support ``I`` (size ``k``) against every ``k + 1`` columns: a unique indifferent
    mix that is a probability vector with those columns all best responses witnesses degeneracy
    (every degenerate vertex of the best-response polytope has such a witness).

    >>> has_degenerate_strategy([[1, 1], [0, 0]], exact=True)
    True
    >>> has_degenerate_strategy([[1, 0], [0, 1]], exact=True)
    False
    """
    floor = 0.0 if exact else -tolerances.PROBABILITY
    supports = equal_supports(len(mat), len(mat[0]), surplus=1)
    for system in _systems(mat, exact, supports):
        if budget.expired():
            return None
        sol = _indifferent(system, len(mat), exact, tie)
        if sol and min(sol[0][i] for i in system[0]) >= floor and _is_best(mat, *sol, tie):
            return True
    return False


def support_enumeration(
    a: Any, b: Any, *, exact: bool, tie: float = 0.0, budget: Budget = UNBOUNDED
) -> tuple[list[Pair], bool | None, int | None]:
    """Equilibria with equal-size supports, whether the game is degenerate (``None``: not
    decided), and the support size at which ``budget`` ran out (``None``: every size searched).

    >>> support_enumeration([[2, 0], [0, 1]], [[1, 0], [0, 2]], exact=True)[0][2]
    ((Fraction(2, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3)))
    """
    amat, bmat = np.asarray(a, dtype=object).tolist(), np.asarray(b, dtype=object).tolist()
    if exact:
        amat, bmat = ([[to_fraction(v) for v in row] for row in p] for p in (amat, bmat))
    at = [list(col) for col in zip(*amat, strict=True)]
    m, n = len(amat), len(at)
    floor = 0 if exact else tolerances.PROBABILITY
    pairs: list[Pair] = []
    xsystems = _systems(bmat, exact, equal_supports(m, n))
    ysystems = _systems(at, exact, ((cols, rows) for rows, cols in equal_supports(m, n)))  # mix on cols
    top = min(m, n)
    for xs, ys in zip(xsystems, ysystems, strict=True):
        rows, cols = xs[0], ys[0]
        if budget.expired():
            return pairs, None, len(rows)
        budget.report("support enumeration", (len(rows) - 1) / top)
        sx = _indifferent(xs, m, exact, tie)
        if not sx or min(sx[0][i] for i in rows) <= floor or not _is_best(bmat, *sx, tie):
            continue
        sy = _indifferent(ys, n, exact, tie)
        if not sy or min(sy[0][j] for j in cols) <= floor or not _is_best(at, *sy, tie):
            continue
        pairs.append((tuple(sx[0]), tuple(sy[0])))
    degenerate = has_degenerate_strategy(bmat, exact=exact, tie=tie, budget=budget)
    if degenerate is False:
        degenerate = has_degenerate_strategy(at, exact=exact, tie=tie, budget=budget)
    return pairs, degenerate, None


def solve_support(game: Game, *, budget: Budget = UNBOUNDED) -> Result:
    """Support enumeration, equal-size supports (von Stengel 2007, Alg. 3.4): method ``"support"``.

    Exact for exact games.  Complete only for nondegenerate games: degeneracy is tested exactly
    (a mixed strategy with more pure best responses than its support size) and, when found,
    reported with ``complete=False``.  Supports are searched by size, smallest first; when
    ``budget`` runs out, the sizes not searched are named in ``limits``.

    >>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> res = solve_support(pd)
    >>> res.signature(), res.complete, res.degenerate
    ('pure (2, 2)', True, False)
    """
    require_two_players(game)
    a, b = game.payoffs
    tie = 0.0 if game.is_exact else tolerances.scaled(tolerances.TIE, game.scale())
    pairs, degenerate, stopped = support_enumeration(a, b, exact=game.is_exact, tie=tie, budget=budget)
    eqs, kept = verified(game, pairs)
    eqs = dedupe(eqs)
    notes = []
    limits = []
    if degenerate:
        notes.append(
            "degenerate game: support enumeration over equal supports may miss equilibria "
            "(use the vertex method for the complete set)"
        )
    if len(kept) < len(pairs):
        notes.append(dropped_note(len(pairs) - len(kept)))
    if stopped is not None:
        top = min(game.shape)
        sizes = f"supports of size {stopped}" + (f" to {top}" if top > stopped else "")
        limits.append(budget.limit("support enumeration", f"{sizes} (some of size {stopped} searched)"))
    elif degenerate is None:
        limits.append(budget.limit("the degeneracy test", "mixed strategies with extra best responses"))
    return Result(
        game,
        tuple(eqs),
        "support",
        degenerate is False and len(kept) == len(pairs),
        bool(degenerate),
        game.is_exact,
        tuple(notes + limits),
        tuple((k,) for k in range(len(eqs))),
        limits=tuple(limits),
        time_budget=budget.seconds,
    )
