"""Closed form for nondegenerate 2x2 games, the analyst's building blocks.

A nondegenerate 2x2 game has its pure equilibria plus, when no player has a dominant strategy,
exactly one fully mixed equilibrium where each player makes the *other* indifferent (Osborne 2004,
§4.3).  The algebra (the gains, which signs make a pure profile an equilibrium, the mixed point)
is the batched kernel's, :mod:`solver.equilibria.batched.closed_form`, applied to one game in
plain Python: a batch of one through numpy measured 5x slower.  Exact games stay exact.  Degenerate
games (a tie in some player's payoffs against a pure strategy) return ``None`` so the caller
uses the general vertex enumeration.

>>> from solver.core.game import Game
>>> r = solve_two_by_two(Game.from_bimatrix([[0, 3], [1, 2]], [[0, 1], [3, 2]]))
>>> r.signature(), r.complete
('mixed (full support) + pure (1, 2) + pure (2, 1)', True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from solver.core import tolerances
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.batched.closed_form import PURE_SIGNS, gains, mixed_point
from solver.equilibria.verify import verified_profiles


def solve_two_by_two(game: Game) -> Result | None:
    """All equilibria of a nondegenerate 2x2 game, or ``None`` if the game is degenerate."""
    a, b = game.payoffs[0].tolist(), game.payoffs[1].tolist()
    tol = 0 if game.is_exact else tolerances.scaled(tolerances.TIE, game.scale())
    g = gains(a, b)
    if any(abs(d) <= tol for d in g):
        return None
    one: Any = Fraction(1) if game.is_exact else 1.0
    zero: Any = Fraction(0) if game.is_exact else 0.0
    profiles: list[tuple[tuple[tuple[Any, Any], tuple[Any, Any]], tuple[Any, Any]]] = []
    for (i, j), signs in PURE_SIGNS.items():
        if all((g[k] > 0) == want for k, want in signs):
            x, y = (one, zero) if i == 0 else (zero, one), (one, zero) if j == 0 else (zero, one)
            profiles.append(((x, y), (a[i][j], b[i][j])))
    if (g[0] > 0) != (g[1] > 0) and (g[2] > 0) != (g[3] > 0):
        p, q, v_row, v_col = mixed_point(a, b, g)
        profiles.append((((p, one - p), (q, one - q)), (v_row, v_col)))
    eqs = verified_profiles(game, profiles)
    if eqs is None:
        return None
    if any(not e.is_pure for e in eqs):
        eqs.sort(key=lambda e: (e.describe(), e.vectors))
    comps = tuple((k,) for k in range(len(eqs)))
    return Result(game, tuple(eqs), "vertex", True, False, game.is_exact, (), comps)
