"""Simple penal codes with stick-and-carrot punishments (Abreu 1988; Abreu 1986), exactly.

A simple penal code is the target path plus one punishment path ``Q^j`` per player: whoever
deviates (alone) from whichever path is being played, the punishment path of the deviator starts.
Here ``Q^j`` is either

* a *stick and carrot*: one period of a pure profile ``p^j``, then back to the target, or
* *Nash reversion* (the fallback): the stage equilibrium ``e^j`` worst for ``j``, forever (a
  stage equilibrium needs no enforcement; deviations from it are ignored).

By Abreu's one-shot deviation principle the code is subgame perfect iff no player gains by one
deviation at any point of any path.  Normalised, with ``gamma = d_j(p) - u_j(p) >= 0`` the gain of
``j`` at the profile ``p`` being played and ``u_j(a)`` the value of the path after it, every such
constraint reads ``(1 - delta) (-gamma) + delta (u_j(a) - w_j) >= 0`` with ``w_j`` the value of
``Q^j``: for a stick ``w_j = (1 - delta) u_j(p^j) + delta u_j(a)``, and the constraint becomes
``delta (u_j(a) - u_j(p^j)) >= gamma``; for Nash reversion ``delta (gamma + u_j(a) - u_j(e^j)) >=
gamma``.  Each is linear in delta, so every code is subgame perfect exactly on ``[delta_0, 1)``;
the finitely many codes are searched for the smallest ``delta_0``.

Prisoner's dilemma (T = 5, R = 3, P = 1, S = 0): no stick beats Nash reversion, delta* = 1/2.

>>> from solver.core.game import Game
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> best = best_penal_code(pd, (0, 0), [1, 1])
>>> best.delta, best.options
(Fraction(1, 2), (None, None))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.game import Game, short
from solver.equilibria.repeated.result import Delta, Punishment
from solver.equilibria.repeated.stage import Profile, describe, gains

#: at most this many codes (one punishment per player) are searched; beyond it each player's
#: sticks are limited to the harshest ones (lowest payoff to the punished player)
MAX_CODES = 1_000_000


@dataclass(frozen=True)
class Code:
    """The best code found: each player's stick profile (None: Nash reversion) and deltas."""

    delta: Delta
    options: tuple[Profile | None, ...]
    by_player: tuple[Delta, ...]
    complete: bool = True


def _bound(gamma: Fraction, slope: Fraction) -> Delta:
    """Smallest delta in [0, 1) with ``delta * slope >= gamma`` (gamma >= 0); None if none."""
    if gamma == 0:
        return Fraction(0) if slope >= 0 else None
    if slope <= 0 or gamma >= slope:
        return None
    return gamma / slope


def _menus(game: Game, u: Any) -> tuple[list[list[Profile | None]], bool]:
    """Each player's punishments: Nash reversion (None) then sticks, harshest first, cut so that
    the codes number at most :data:`MAX_CODES`."""
    n = game.n_players
    profiles = [tuple(int(k) for k in p) for p in np.ndindex(*game.shape)]
    per = len(profiles)
    while (per + 1) ** n > MAX_CODES and per > 1:
        per //= 2
    menus: list[list[Profile | None]] = []
    for j in range(n):
        harsh: list[Profile | None] = [*sorted(profiles, key=_payoff_of(u, j))[:per]]
        menus.append([None, *harsh])
    return menus, per == len(profiles)


def _payoff_of(u: Any, j: int) -> Any:
    return lambda p: u[(j, *p)]


def best_penal_code(
    game: Game,
    target: Profile,
    nash: Sequence[Any],
    budget: Budget = UNBOUNDED,
) -> Code:
    """The code with the smallest critical delta: ``nash[j]`` is ``j``'s payoff in the stage
    equilibrium worst for ``j`` (the fallback punishment).

    Player ``j``'s constraints in a code bind at the largest gain ``G_j`` among the profiles on
    its paths (the target and every stick), and ``j``'s delta is increasing in ``G_j``; so each
    player gets an exact table ``delta_j(own punishment, G_j)`` and the search over all codes is
    integer work on ranks (numpy broadcasting over one axis per player), exact throughout.
    """
    del budget  # one vectorised pass: nothing to interrupt
    u = game.as_exact().payoffs
    g = gains(u)
    n = game.n_players
    menus, complete = _menus(game, u)
    shape = tuple(len(m) for m in menus)
    tables: list[list[list[Delta]]] = []
    gain_rank: list[list[npt.NDArray[np.int64]]] = []
    base_rank: list[int] = []
    for j in range(n):
        ua, base = u[(j, *target)], g[(j, *target)]
        values = sorted({base, *(g[(j, *p)] for m in menus for p in m if p is not None)})
        index = {v: k for k, v in enumerate(values)}
        base_rank.append(index[base])
        # the gain each player's punishment puts on j's paths (Nash reversion: none beyond base)
        gain_rank.append(
            [np.array([index[g[(j, *p)]] if p is not None else index[base] for p in m]) for m in menus]
        )
        ej = Fraction(nash[j])
        tables.append(
            [[_bound(G, ua - u[(j, *p)] if p is not None else G + ua - ej) for G in values] for p in menus[j]]
        )
    ranked = sorted({d for t in tables for row in t for d in row if d is not None})
    rank = {d: k for k, d in enumerate(ranked)}
    worst = np.zeros(shape, dtype=np.int64)
    ranks_at = []
    for j in range(n):
        rg = np.full(shape, base_rank[j], dtype=np.int64)  # the target's own gain is always there
        for i in range(n):
            rg = np.maximum(rg, gain_rank[j][i].reshape([-1 if k == i else 1 for k in range(n)]))
        table = np.array([[rank[d] if d is not None else len(ranked) for d in row] for row in tables[j]])
        own = np.arange(shape[j]).reshape([-1 if k == j else 1 for k in range(n)])
        here = table[own, rg]
        ranks_at.append(here)
        worst = np.maximum(worst, here)
    best = np.unravel_index(int(np.argmin(worst)), shape)  # first: Nash reversion wins ties
    if int(worst[best]) >= len(ranked):
        return Code(None, tuple(None for _ in range(n)), tuple(None for _ in range(n)), complete)
    options = tuple(menus[j][int(best[j])] for j in range(n))
    by = tuple(ranked[int(r[best])] if int(r[best]) < len(ranked) else None for r in ranks_at)
    return Code(ranked[int(worst[best])], options, by, complete)


def penal_punishment(game: Game, target: Profile, code: Code, nash_names: Sequence[str]) -> Punishment:
    """The best code as a :class:`Punishment` saying which punishment each player faces."""
    u = game.as_exact().payoffs
    detail = {}
    for j, p in enumerate(game.players):
        opt = code.options[j]
        if code.by_player[j] == 0:
            detail[p] = f"no profitable deviation for {p} on any path: no punishment needed"
        elif opt is None:
            detail[p] = f"reversion to {nash_names[j]} forever (no stick does better)"
        else:
            detail[p] = (
                f"stick and carrot: one period of {describe(game, opt)} (payoff "
                f"{short(u[(j, *opt)])} to {p}), then back to the target"
            )
    note = (
        "simple penal code (Abreu 1988): a lone deviator from any path starts their own "
        "punishment; punishments are one-period sticks then the target, or Nash reversion; "
        "checked exactly by the one-shot deviation principle"
    )
    if not code.complete:
        note += f"; only the harshest sticks were searched (more than {MAX_CODES} codes)"
    by = {p: code.by_player[j] if code.delta is not None else None for j, p in enumerate(game.players)}
    if code.delta is None:
        detail = {p: "no code of this family sustains the target for any delta < 1" for p in game.players}
    return Punishment("penal_code", code.delta, by, detail=detail, note=note)
