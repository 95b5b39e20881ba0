"""Support enumeration for two-player games (von Stengel 2007, Algorithm 3.4), exact or float.

Complete only for nondegenerate games; degeneracy is tested exactly and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from solver.core import linalg as exact_linalg
from solver.core import tolerances
from solver.core.game import Game, to_fraction
from solver.core.result import Result
from solver.equilibria.twoplayer.vertex import Pair, require_two_players
from solver.equilibria.verify import dedupe, dropped_note, verified


def _indifferent(
    mat: list[list[Any]], rows: Sequence[int], cols: Sequence[int], exact: bool, tie: float
) -> tuple[list[Any], Any] | None:
    """The unique mix on ``rows`` making columns ``cols`` of ``mat`` equally good, and its value."""
    k = len(rows)
    eqs = [[mat[i][j] for i in rows] + [-1] for j in cols] + [[1] * k + [0]]
    rhs = [0] * len(cols) + [1]
    if exact:
        sol: Sequence[Any] | None = exact_linalg.solve_unique(eqs, rhs)
    else:
        lhs, r = np.array(eqs, dtype=float), np.array(rhs, dtype=float)
        s, _, rank, _ = np.linalg.lstsq(lhs, r, rcond=None)
        sol = s.tolist() if rank == k + 1 and np.abs(lhs @ s - r).max() <= tie else None
    if sol is None:
        return None
    x: list[Any] = [Fraction(0) if exact else 0.0] * len(mat)
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


def has_degenerate_strategy(mat: list[list[Any]], *, exact: bool, tie: float = 0.0) -> bool:
    """Does some mix ``x`` over the rows have more best-response columns than its support size?

    Tests every support ``I`` (size ``k``) against every ``k + 1`` columns: a unique indifferent
    mix that is a probability vector with those columns all best responses witnesses degeneracy
    (every degenerate vertex of the best-response polytope has such a witness).

    >>> has_degenerate_strategy([[1, 1], [0, 0]], exact=True)
    True
    >>> has_degenerate_strategy([[1, 0], [0, 1]], exact=True)
    False
    """
    r, c = len(mat), len(mat[0])
    floor = 0.0 if exact else -tolerances.PROBABILITY
    for k in range(1, min(r, c - 1) + 1):
        for rows in combinations(range(r), k):
            for cols in combinations(range(c), k + 1):
                sol = _indifferent(mat, rows, cols, exact, tie)
                if sol and min(sol[0][i] for i in rows) >= floor and _is_best(mat, *sol, tie):
                    return True
    return False


def support_enumeration(
    a: Any, b: Any, *, exact: bool, tie: float = 0.0
) -> tuple[list[Pair], bool]:
    """Equilibria with equal-size supports, and whether the game is degenerate.

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
    for k in range(1, min(m, n) + 1):
        for rows in combinations(range(m), k):
            for cols in combinations(range(n), k):
                sx = _indifferent(bmat, rows, cols, exact, tie)
                if not sx or min(sx[0][i] for i in rows) <= floor or not _is_best(bmat, *sx, tie):
                    continue
                sy = _indifferent(at, cols, rows, exact, tie)
                if not sy or min(sy[0][j] for j in cols) <= floor or not _is_best(at, *sy, tie):
                    continue
                pairs.append((tuple(sx[0]), tuple(sy[0])))
    degenerate = has_degenerate_strategy(bmat, exact=exact, tie=tie) or has_degenerate_strategy(
        at, exact=exact, tie=tie
    )
    return pairs, degenerate


def solve_support(game: Game) -> Result:
    """Support enumeration, equal-size supports (von Stengel 2007, Alg. 3.4): method ``"support"``.

    Exact for exact games.  Complete only for nondegenerate games: degeneracy is tested exactly
    (a mixed strategy with more pure best responses than its support size) and, when found,
    reported with ``complete=False``.

    >>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> res = solve_support(pd)
    >>> res.signature(), res.complete, res.degenerate
    ('pure (2, 2)', True, False)
    """
    require_two_players(game)
    a, b = game.payoffs
    tie = 0.0 if game.is_exact else tolerances.scaled(tolerances.TIE, game.scale())
    pairs, degenerate = support_enumeration(a, b, exact=game.is_exact, tie=tie)
    eqs, kept = verified(game, pairs)
    eqs = dedupe(eqs)
    notes = []
    if degenerate:
        notes.append(
            "degenerate game: support enumeration over equal supports may miss equilibria "
            "(use the vertex method for the complete set)"
        )
    if len(kept) < len(pairs):
        notes.append(dropped_note(len(pairs) - len(kept)))
    return Result(
        game,
        tuple(eqs),
        "support",
        not degenerate and len(kept) == len(pairs),
        degenerate,
        game.is_exact,
        tuple(notes),
        tuple((k,) for k in range(len(eqs))),
    )
