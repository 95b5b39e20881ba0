"""Closed form for nondegenerate float 2x2x2 games (three players, two strategies each).

The batched kernel :func:`solver.equilibria.batched.three_binary` on a batch of one: pure
profiles by best responses, two-mixer supports as 2x2 subgames, and the fully mixed support
through the quadratic eliminant (McKelvey & McLennan 1997: at most two fully mixed equilibria
in a generic 2x2x2 game).  Returns ``None`` when a tie makes the game possibly degenerate, so
the caller falls back to the exact polynomial solver.

>>> import numpy as np
>>> from solver.core.game import Game
>>> u = np.zeros((3, 2, 2, 2)); u[0, 0] = 1; u[1, :, 0] = 1; u[2, :, :, 0] = 1
>>> solve_two_by_two_by_two(Game.from_arrays(u + 0.0, exact=False)).signature()
'pure (1, 1, 1)'
"""

from __future__ import annotations

import numpy as np

from solver.core import tolerances
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.batched import three_binary
from solver.equilibria.verify import one_point


def solve_two_by_two_by_two(game: Game) -> Result | None:
    """All equilibria of a nondegenerate float 2x2x2 game, or ``None`` on ties."""
    u = game.float_payoffs()[..., None]
    tol = np.array([tolerances.scaled(tolerances.TIE, game.scale())])
    eqs = one_point(game, three_binary(u, tol))
    if eqs is None:
        return None
    eqs.sort(key=lambda e: (e.describe(), e.vectors))
    comps = tuple((k,) for k in range(len(eqs)))
    return Result(game, tuple(eqs), "polynomial", True, False, False, (), comps)
