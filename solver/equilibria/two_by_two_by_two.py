"""Closed form for nondegenerate 2x2x2 float games (three players, two strategies each).

The same algebra as the sweep engine's batched path (:mod:`solver.sweep.binary3`): pure
profiles by best responses, two-mixer supports as 2x2 subgames, and the fully mixed support
through the quadratic eliminant (McKelvey & McLennan 1997: at most two fully mixed equilibria
in a generic 2x2x2 game).  Returns ``None`` when a tie makes the game possibly degenerate, so
the caller falls back to the exact polynomial solver.

>>> import numpy as np
>>> from solver.game import Game
>>> u = np.zeros((3, 2, 2, 2)); u[0, 0] = 1; u[1, :, 0] = 1; u[2, :, :, 0] = 1
>>> solve_two_by_two_by_two(Game.from_arrays(u + 0.0, exact=False)).signature()
'pure (1, 1, 1)'
"""

from __future__ import annotations

import numpy as np

from .. import tolerances
from ..game import Game
from ..result import Result
from .verify import make_equilibrium


def solve_two_by_two_by_two(game: Game) -> Result | None:
    """All equilibria of a nondegenerate float 2x2x2 game, or ``None`` on ties."""
    from ..sweep.engine import binary_three

    u = game.float_payoffs()[..., None]
    tol = np.array([tolerances.scaled(tolerances.TIE, game.scale())])
    cands: list = []  # type: ignore[type-arg]
    if binary_three(u, tol, cands)[0]:
        return None
    try:
        eqs = [make_equilibrium(game, [p[0] for p in c.probs]) for c in cands if c.mask[0]]
    except ValueError:
        return None
    eqs.sort(key=lambda e: (e.describe(), e.vectors))
    comps = tuple((k,) for k in range(len(eqs)))
    return Result(game, tuple(eqs), "polynomial", True, False, False, (), comps)
