"""Closed form for nondegenerate 2x2 games, the analyst's building blocks.

A nondegenerate 2x2 game has its pure equilibria plus, when no player has a dominant strategy,
exactly one fully mixed equilibrium where each player makes the *other* indifferent:
``q = (a22 - a12) / (a11 - a12 - a21 + a22)`` for the column player's first strategy (e.g.
Osborne 2004, §4.3).  Pure Python arithmetic keeps exact games exact; degenerate games (a tie
in some player's payoffs against a pure strategy) return ``None`` so the caller uses the general
vertex enumeration.

>>> from solver.game import Game
>>> r = solve_two_by_two(Game.from_bimatrix([[0, 3], [1, 2]], [[0, 1], [3, 2]]))
>>> r.signature(), r.complete
('mixed (full support) + pure (1, 2) + pure (2, 1)', True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .. import tolerances
from ..game import Game
from ..result import Equilibrium, Result


def solve_two_by_two(game: Game) -> Result | None:
    """All equilibria of a nondegenerate 2x2 game, or ``None`` if the game is degenerate."""
    (a11, a12), (a21, a22) = game.payoffs[0].tolist()
    (b11, b12), (b21, b22) = game.payoffs[1].tolist()
    tol = 0.0 if game.is_exact else tolerances.scaled(tolerances.TIE, game.scale())
    # row player's gain from row 1 against each column; column player's from column 1 against each row
    dr = (a11 - a21, a12 - a22)
    dc = (b11 - b12, b21 - b22)
    if any(abs(d) <= tol for d in (*dr, *dc)):
        return None
    eqs: list[Equilibrium] = []
    one: Any = Fraction(1) if game.is_exact else 1.0
    zero: Any = Fraction(0) if game.is_exact else 0.0
    for i in (0, 1):
        for j in (0, 1):
            row_best = (dr[j] > 0) == (i == 0)
            col_best = (dc[i] > 0) == (j == 0)
            if row_best and col_best:
                x = (one, zero) if i == 0 else (zero, one)
                y = (one, zero) if j == 0 else (zero, one)
                vals = (game.payoffs[(0, i, j)], game.payoffs[(1, i, j)])
                if not game.is_exact:
                    vals = (float(vals[0]), float(vals[1]))
                eqs.append(Equilibrium(game.players, game.strategies, (x, y), vals, 0.0))
    if (dr[0] > 0) != (dr[1] > 0) and (dc[0] > 0) != (dc[1] > 0):
        q = dr[1] / (dr[1] - dr[0])  # column's probability of column 1: row indifferent
        p = dc[1] / (dc[1] - dc[0])  # row's probability of row 1: column indifferent
        y = (q, one - q)
        x = (p, one - p)
        v_row = a11 * q + a12 * (one - q)
        v_col = b11 * p + b21 * (one - p)
        regret = max(
            abs(v_row - (a21 * q + a22 * (one - q))), abs(v_col - (b12 * p + b22 * (one - p)))
        )
        eqs.append(
            Equilibrium(game.players, game.strategies, (x, y), (v_row, v_col), float(regret))
        )
        eqs.sort(key=lambda e: (e.describe(), e.vectors))
    comps = tuple((k,) for k in range(len(eqs)))
    return Result(game, tuple(eqs), "vertex", True, False, game.is_exact, (), comps)
