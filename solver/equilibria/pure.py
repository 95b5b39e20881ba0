"""Pure-strategy equilibria of any number of players by vectorised best-response checks.

A pure profile is a Nash equilibrium iff every player's payoff there is maximal along that
player's own axis of the payoff tensor (Nash 1951; e.g. Shoham & Leyton-Brown 2009, §3.3).
Trailing *batch* axes are allowed, so the sweep engine reuses the same function over a grid.

>>> import numpy as np
>>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)
>>> np.argwhere(pure_equilibrium_mask(pd)).tolist()
[[1, 1]]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.equilibria.verify import make_equilibrium


def best_response_masks(
    payoffs: npt.NDArray[Any], n_players: int | None = None, tol: float = 0.0
) -> list[npt.NDArray[np.bool_]]:
    """For each player i, a mask over profiles (and batch axes): is s_i a best response there?

    ``payoffs`` has shape ``(n, s1, ..., sn, *batch)``; ``tol`` is an absolute slack for floats
    (0 for exact object arrays, where comparisons are exact).
    """
    n = payoffs.shape[0] if n_players is None else n_players
    masks = []
    for i in range(n):
        u = payoffs[i]
        best = u.max(axis=i, keepdims=True)
        masks.append(u >= best - tol if tol else u >= best)
    return masks


def pure_equilibrium_mask(
    payoffs: npt.NDArray[Any], n_players: int | None = None, tol: float = 0.0
) -> npt.NDArray[np.bool_]:
    """Mask of pure Nash equilibria over profiles (and any trailing batch axes)."""
    masks = best_response_masks(payoffs, n_players, tol)
    out = masks[0]
    for m in masks[1:]:
        out = out & m
    return np.asarray(out, dtype=bool)


def pure_equilibria(game: Game) -> list[tuple[int, ...]]:
    """Index tuples of all pure equilibria of ``game``."""
    from solver.core.tolerances import TIE, scaled

    tol = 0.0 if game.is_exact else scaled(TIE, game.scale())
    return [
        tuple(int(k) for k in idx)
        for idx in np.argwhere(pure_equilibrium_mask(game.payoffs, tol=tol))
    ]


def pure_profiles(game: Game, *, verify: bool = True) -> list[Equilibrium]:
    """Every pure equilibrium of ``game`` as an :class:`Equilibrium`.

    ``verify``: each passes the regret check of :func:`.verify.make_equilibrium` (a float game
    gets float vectors); otherwise exact one-hot vectors at regret 0, trusting the best-response
    masks (a tree's reduced normal form, whose vectors become behaviour strategies).
    """
    eqs = []
    zero, one = Fraction(0), Fraction(1)
    units = [[tuple(one if k == j else zero for k in range(m)) for j in range(m)] for m in game.shape]
    for idx in pure_equilibria(game):
        if verify:
            vecs = [[1 if k == idx[i] else 0 for k in range(m)] for i, m in enumerate(game.shape)]
            eqs.append(make_equilibrium(game, vecs))
        else:
            one_hot = tuple(units[i][k] for i, k in enumerate(idx))
            eqs.append(Equilibrium(game.players, game.strategies, one_hot, game.payoff(idx), 0.0, {}))
    return eqs


def solve_pure(game: Game) -> Result:
    """All pure equilibria (complete for pure strategies only: ``complete`` is False for n >= 2
    unless the game is a one-player decision problem)."""
    eqs = pure_profiles(game)
    one = game.n_players == 1
    degenerate = one and len(eqs) > 1
    notes = ("pure strategies only: mixed equilibria were not searched",) if not one else ()
    if degenerate:
        notes = ("several optimal choices: every mixture of them is optimal too",)
    components = (tuple(range(len(eqs))),) if degenerate else tuple((k,) for k in range(len(eqs)))
    return Result(game, tuple(eqs), "pure", one, degenerate, game.is_exact, notes, components)
