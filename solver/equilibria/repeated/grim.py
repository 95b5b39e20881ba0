"""Critical discount factors of grim-trigger strategies and the minmax (folk-theorem) bound.

Grim trigger with Nash reversion (Friedman 1971): play the target ``a`` until someone deviates,
then a stage equilibrium ``e`` forever.  Player ``i`` (normalised payoffs) stays in line iff
``u_i(a) >= (1 - delta) d_i + delta u_i(e)``, where ``d_i`` is the best deviation payoff, so

    delta_i = (d_i - u_i(a)) / (d_i - u_i(e))

when a deviation pays and ``u_i(a) > u_i(e)``; ``0`` when no deviation pays; no delta < 1 when a
deviation pays and ``u_i(a) <= u_i(e)``.  The target is sustained from ``max_i delta_i`` on.  With
several stage equilibria each deviator is punished by the one worst for them (still a stage
equilibrium forever: subgame perfect), which gives the smallest ``delta_i``.

Replacing ``u_i(e)`` by the minmax value ``v_i`` gives the folk-theorem bound (Fudenberg & Maskin
1986): in any equilibrium a deviator gets at least ``v_i`` afterwards, so no equilibrium sustains
the target below ``max_i (d_i - u_i(a)) / (d_i - v_i)``.

Prisoner's dilemma, T = 5, R = 3, P = 1: ``delta* = (T - R) / (T - P) = 1/2`` (Axelrod 1984):

>>> from fractions import Fraction
>>> critical(Fraction(5), Fraction(3), Fraction(1))
Fraction(1, 2)
>>> critical(5, 5, 1), critical(5, 1, 1) is None
(Fraction(0, 1), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from solver.core.game import Game, short, to_fraction
from solver.core.result import Equilibrium
from solver.equilibria.repeated.result import Delta, Punishment, Reversion
from solver.equilibria.repeated.stage import Profile, deviation_payoffs


def critical(d: Any, u: Any, e: Any) -> Delta:
    """Smallest ``delta`` with ``u >= (1 - delta) d + delta e`` (deviation ``d``, target ``u``,
    punishment ``e``); ``None`` when no ``delta < 1`` satisfies it."""
    dq, uq, eq = to_fraction(d), to_fraction(u), to_fraction(e)
    if dq <= uq:
        return Fraction(0)
    if uq <= eq:
        return None
    return (dq - uq) / (dq - eq)


def overall(values: Sequence[Delta]) -> Delta:
    """The critical delta of all players together: the largest, or None if any is None."""
    if any(v is None for v in values):
        return None
    return max((Fraction(v) for v in values if v is not None), default=Fraction(0))


def reversions(game: Game, target: Profile, equilibria: Sequence[Equilibrium]) -> list[Reversion]:
    """Grim trigger with reversion to each stage equilibrium in turn (exact)."""
    u, d = game.payoff(target), deviation_payoffs(game.payoffs, target)
    out = []
    for eq in equilibria:
        by = {p: critical(d[i], u[i], eq.values[i]) for i, p in enumerate(game.players)}
        out.append(Reversion(eq.describe(), eq.payoffs, overall(list(by.values())), by))
    return out


def _plain(x: Any) -> str:
    """A payoff in words: a small fraction as ``p/q`` (exact), anything else as :func:`short`."""
    if isinstance(x, Fraction | int) and not isinstance(x, bool):
        q = Fraction(x)
        if q.denominator < 10**6 and abs(q.numerator) < 10**12:
            return str(q)
    return short(x)


def nash_reversion(game: Game, target: Profile, equilibria: Sequence[Equilibrium]) -> Punishment:
    """Grim trigger where a deviator is punished by the stage equilibrium worst for them."""
    u, d = game.payoff(target), deviation_payoffs(game.payoffs, target)
    by: dict[str, Delta] = {}
    detail: dict[str, str] = {}
    for i, p in enumerate(game.players):
        worst = min(equilibria, key=lambda e: to_fraction(e.values[i]))
        by[p] = critical(d[i], u[i], worst.values[i])
        if d[i] <= u[i]:
            detail[p] = "no profitable deviation from the target"
        else:
            detail[p] = (
                f"reversion to {worst.describe()}, the stage equilibrium worst for {p} "
                f"(payoff {_plain(worst.values[i])} against {_plain(u[i])} on the target, "
                f"{_plain(d[i])} by deviating)"
            )
    note = (
        "grim trigger: after a deviation the stage equilibrium worst for the deviator is "
        "played forever (subgame perfect for every delta at or above the critical one)"
    )
    return Punishment("nash", overall(list(by.values())), by, detail=detail, note=note)


def minmax_bound(game: Game, target: Profile, values: Sequence[Any], mixed: bool) -> Punishment:
    """The folk-theorem bound: deviators held to their minmax value ``values[i]`` forever."""
    u, d = game.payoff(target), deviation_payoffs(game.payoffs, target)
    by = {p: critical(d[i], u[i], values[i]) for i, p in enumerate(game.players)}
    detail = {
        p: f"{'mixed' if mixed else 'pure'} minmax value {short(values[i])}"
        + ("" if u[i] > values[i] else " (the target gives no more: not individually rational)")
        for i, p in enumerate(game.players)
    }
    if mixed:
        note = (
            "a lower bound: in any equilibrium a deviator can still secure the mixed minmax "
            "value, so no equilibrium sustains the target at a smaller delta; it is reached when "
            "holding the deviator to the minmax is itself enforceable (see penal_code)"
        )
    else:
        note = (
            "pure minmax (the mixed minmax is computed for two players only): a lower bound over "
            "equilibria that punish with pure actions; punishing with mixtures may need less"
        )
    return Punishment("minmax", overall(list(by.values())), by, detail=detail, note=note)
