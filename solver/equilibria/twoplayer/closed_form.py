"""Closed form for nondegenerate 2x2 games, the analyst's building blocks.

A nondegenerate 2x2 game has its pure equilibria plus, when no player has a dominant strategy,
exactly one fully mixed equilibrium where each player makes the *other* indifferent (Osborne 2004,
§4.3).  The algebra is the batched kernel :func:`solver.equilibria.batched.closed_form.closed_2x2_batch`
on a batch of one; exact games stay exact (object arrays of fractions, no tolerance).  Degenerate
games (a tie in some player's payoffs against a pure strategy) return ``None`` so the caller
uses the general vertex enumeration.

>>> from solver.core.game import Game
>>> r = solve_two_by_two(Game.from_bimatrix([[0, 3], [1, 2]], [[0, 1], [3, 2]]))
>>> r.signature(), r.complete
('mixed (full support) + pure (1, 2) + pure (2, 1)', True)
"""

from __future__ import annotations

import numpy as np

from solver.core import tolerances
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.batched.closed_form import closed_2x2_batch
from solver.equilibria.verify import one_point


def solve_two_by_two(game: Game) -> Result | None:
    """All equilibria of a nondegenerate 2x2 game, or ``None`` if the game is degenerate."""
    if game.is_exact:
        u, tol = np.asarray(game.payoffs, dtype=object)[..., None], np.array([0], dtype=object)
    else:
        u = game.float_payoffs()[..., None]
        tol = np.array([tolerances.scaled(tolerances.TIE, game.scale())])
    eqs = one_point(game, closed_2x2_batch(u, tol))
    if eqs is None:
        return None
    if any(not e.is_pure for e in eqs):
        eqs.sort(key=lambda e: (e.describe(), e.vectors))
    comps = tuple((k,) for k in range(len(eqs)))
    return Result(game, tuple(eqs), "vertex", True, False, game.is_exact, (), comps)
