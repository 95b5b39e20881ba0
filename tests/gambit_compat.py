"""pygambit 16.x and 17.x behind one small interface, for the oracle (``oracle.py``) and the child
scripts it runs.

16.x hands out Player and Strategy objects and builds games with ``Game.from_arrays``; 17.x works
with labels (``list(game.players)`` are strings, ``game.get_strategies(label)``,
``game.get_payoffs({player: strategy})``) and builds them with ``StrategicGame.from_arrays``.
The version is read from ``pygambit.__version__``; pygambit is imported on first use only, so
this module imports without it.
"""

from __future__ import annotations

from functools import cache
from typing import Any


def gambit() -> Any:
    import pygambit

    return pygambit


@cache
def major() -> int:
    return int(gambit().__version__.split(".")[0])


def game_from_arrays(*arrays: Any) -> Any:
    gbt = gambit()
    return (gbt.StrategicGame if major() >= 17 else gbt.Game).from_arrays(*arrays)


def players(game: Any) -> list[Any]:
    """The players, as the handles that index a profile (labels in 17, objects in 16)."""
    return list(game.players)


def strategies(game: Any, player: Any) -> list[Any]:
    return list(game.get_strategies(player)) if major() >= 17 else list(player.strategies)


def label(item: Any) -> str:
    return item if isinstance(item, str) else str(item.label)


def equilibria(result: Any) -> list[Any]:
    """The profiles of a solver's result (17's ``lp_solve`` has one ``equilibrium``)."""
    eqs = getattr(result, "equilibria", None)
    return list(eqs) if eqs is not None else [result.equilibrium]


def profile_payoff(profile: Any, player: Any) -> Any:
    """A player's expected payoff under a mixed (strategy or behaviour) profile."""
    return profile.payoffs[player] if major() >= 17 else profile.payoff(player)


def cell_payoffs(game: Any, index: tuple[int, ...]) -> list[Any]:
    """Every player's payoff at the pure profile ``index`` (0-based strategy numbers)."""
    ps = players(game)
    if major() >= 17:
        contingency = {p: strategies(game, p)[k] for p, k in zip(ps, index, strict=True)}
        payoffs = game.get_payoffs(contingency)
        return [payoffs[p] for p in ps]
    outcome = game[tuple(int(k) for k in index)]  # None for the null outcome
    return [0 if outcome is None else outcome[p] for p in ps]
