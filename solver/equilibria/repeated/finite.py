"""Finitely repeated games: backward induction and equilibrium switching (Benoit & Krishna 1985).

* Unique stage equilibrium: by backward induction the last period's play is that equilibrium
  whatever happened before, so the one before it is a one-shot game too, and so on: the unique
  subgame-perfect outcome plays the stage equilibrium in every period (Luce & Raiffa 1957;
  the finitely repeated prisoner's dilemma defects throughout).
* Several stage equilibria: a target can be played early when the last ``L`` periods reward
  staying in line.  The path plays the target in periods ``1..T-L`` and a *reward* stage
  equilibrium ``e*`` in the last ``L``; the first lone deviator ``i`` is punished by the stage
  equilibrium ``e^i`` worst for ``i`` for the rest of the game (stage equilibria need no
  enforcement).  Undiscounted, a deviation in target period ``t`` gains ``g_i = d_i - u_i(a)`` and
  loses ``(T-L-t)(u_i(a) - u_i(e^i)) + L(u_i(e*) - u_i(e^i))``; the loss is linear in ``t``, so
  checking ``t = 1`` and ``t = T-L`` decides.  The smallest ``L`` that works is reported.

>>> from solver.core.game import Game
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Row", "Column"),
...                         strategies=(("C", "D"), ("C", "D")))
>>> r = finitely_repeated(pd, (0, 0), 3)
>>> r.path, r.target_periods
(('pure (D, D)', 'pure (D, D)', 'pure (D, D)'), 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from solver.core.errors import ParameterError
from solver.core.game import Game, short, to_fraction
from solver.core.result import Equilibrium, Result
from solver.equilibria.repeated.stage import Profile, describe, deviation_payoffs, stage_equilibria

#: periods beyond this are refused (the path is listed period by period)
MAX_PERIODS = 100_000


@dataclass(frozen=True)
class FiniteResult:
    """The subgame-perfect path found, one entry per period, and how it is enforced."""

    periods: int
    #: what is played in each period, in words (a profile or a stage equilibrium)
    path: tuple[str, ...]
    #: how many leading periods play the target
    target_periods: int
    #: the reward equilibrium of the last periods and each player's punishment (None if unused)
    reward: str | None
    punishments: dict[str, str]
    unique_stage_equilibrium: bool
    note: str


def _worst(eqs: tuple[Equilibrium, ...], i: int) -> Equilibrium:
    """The stage equilibrium with the lowest payoff to player ``i``."""
    return min(eqs, key=lambda e: to_fraction(e.values[i]))


def _losses_ok(g: Fraction, per: Fraction, end: Fraction, span: int, last: int) -> bool:
    """Whether a deviation gaining ``g`` loses at least ``g`` in every target period."""
    return all(g <= (span - t) * per + last * end for t in (1, span))


def finitely_repeated(game: Game, target: Profile, periods: int, stage: Result | None = None) -> FiniteResult:
    """The T-fold repetition of ``game`` (undiscounted): the backward-induction path when the
    stage equilibrium is unique, else the shortest equilibrium-switching ending that lets the
    target be played in the early periods."""
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS:
        raise ParameterError(f"the number of periods must be an integer from 1 to {MAX_PERIODS}, got {periods!r}")
    stage = stage or stage_equilibria(game)
    eqs: tuple[Equilibrium, ...] = stage.equilibria
    if len(eqs) == 1 and stage.complete and not stage.degenerate:
        e = eqs[0]
        note = (
            f"the stage game has a unique equilibrium, {e.describe()}: by backward induction it is "
            f"played in every one of the {periods} periods (unravelling); nothing else is subgame perfect"
        )
        return FiniteResult(periods, (e.describe(),) * periods, 0, None, {}, True, note)
    u = [to_fraction(v) for v in game.payoff(target)]
    d = [to_fraction(v) for v in deviation_payoffs(game.payoffs, target)]
    n = game.n_players
    worst = [_worst(eqs, i) for i in range(n)]
    best: tuple[int, Equilibrium] | None = None
    for reward in eqs:
        for last in range(0, periods):
            span = periods - last
            ok = all(
                d[i] <= u[i]
                or _losses_ok(
                    d[i] - u[i],
                    u[i] - to_fraction(worst[i].values[i]),
                    to_fraction(reward.values[i]) - to_fraction(worst[i].values[i]),
                    span,
                    last,
                )
                for i in range(n)
            )
            if ok:
                if best is None or last < best[0]:
                    best = (last, reward)
                break
    name = describe(game, target)
    pun = {p: worst[i].describe() for i, p in enumerate(game.players)}
    if best is None:
        fallback = min(eqs, key=lambda e: tuple(to_fraction(v) for v in e.values))
        note = (
            f"{name} cannot be played in any period by switching between stage equilibria at the "
            "end (the rewards do not outweigh the deviation gains); a stage equilibrium every "
            "period is always subgame perfect"
        )
        return FiniteResult(periods, (fallback.describe(),) * periods, 0, None, pun, False, note)
    last, reward = best
    path = (f"target {name}",) * (periods - last) + (reward.describe(),) * last
    note = (
        f"several stage equilibria (Benoit & Krishna 1985): {name} is played in periods 1 to "
        f"{periods - last}, then {reward.describe()} in the last {last}; a lone deviator is held to "
        "their worst stage equilibrium for the rest of the game ("
        + "; ".join(f"{p}: {pun[p]}, payoff {short(worst[i].values[i])}" for i, p in enumerate(game.players))
        + ")"
    )
    return FiniteResult(periods, path, periods - last, reward.describe(), pun, False, note)
