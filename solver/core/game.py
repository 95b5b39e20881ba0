"""The numeric game in strategic form: a small frozen value (labels + payoff tensor).

``payoffs[i][s1, ..., sn]`` is player ``i``'s payoff at pure profile ``(s1, ..., sn)``.
Exact games hold :class:`fractions.Fraction` in an ``object`` array; float games hold
``float64``.  Algorithms take this value (or its arrays) and never mutate it.

>>> g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="Prisoner's dilemma")
>>> g.shape, g.is_exact, g.players
((2, 2), True, ('Row', 'Column'))
>>> g.payoff((1, 1))
(Fraction(1, 1), Fraction(1, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

Number = Fraction | float


def to_fraction(value: Any) -> Fraction:
    """Exact rational of an int, Fraction, decimal string or float (floats via their decimal repr).

    >>> to_fraction(0.1), to_fraction("2/3"), to_fraction(4)
    (Fraction(1, 10), Fraction(2, 3), Fraction(4, 1))
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a payoff")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):  # np.float64 too: repr() of the plain float, not numpy's
        return Fraction(repr(float(value)))
    if isinstance(value, str):
        return Fraction(value.strip())
    # numpy scalars, sympy Rationals
    if hasattr(value, "p") and hasattr(value, "q"):
        return Fraction(int(value.p), int(value.q))
    return Fraction(repr(float(value)))


@dataclass(frozen=True, eq=False)
class Game:
    """A finite game in strategic form with labelled players and strategies."""

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: npt.NDArray[Any]
    title: str = ""
    is_exact: bool = field(default=False)

    def __post_init__(self) -> None:
        shape = tuple(len(s) for s in self.strategies)
        if len(self.players) != len(self.strategies):
            raise ValueError("one strategy list per player")
        if self.payoffs.shape != (len(self.players), *shape):
            raise ValueError(
                f"payoff tensor has shape {self.payoffs.shape}, expected {(len(self.players), *shape)}"
            )
        self.payoffs.setflags(write=False)

    @classmethod
    def from_arrays(
        cls,
        payoffs: Any,
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        exact: bool | None = None,
    ) -> Game:
        """Build a game from a payoff tensor of shape ``(n, s1, ..., sn)``.

        ``exact=None`` keeps integer/rational input exact and float input as floats.
        """
        raw = np.asarray(payoffs, dtype=object)
        n = raw.shape[0]
        if exact is None:
            exact = all(isinstance(v, int | Fraction) and not isinstance(v, bool) for v in raw.flat)
        arr = (
            np.vectorize(to_fraction, otypes=[object])(raw)
            if exact
            else np.asarray(payoffs, dtype=float)
        )
        shape = arr.shape[1:]
        names = tuple(players) if players is not None else default_players(n)
        labels = (
            tuple(tuple(s) for s in strategies)
            if strategies is not None
            else tuple(tuple(f"{k + 1}" for k in range(m)) for m in shape)
        )
        return cls(names, labels, arr, title, bool(exact))

    @classmethod
    def from_bimatrix(cls, a: Any, b: Any, **kwargs: Any) -> Game:
        """A two-player game from the row player's matrix ``a`` and the column player's ``b``."""
        return cls.from_arrays(
            np.array([np.asarray(a, dtype=object), np.asarray(b, dtype=object)]), **kwargs
        )

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)

    def payoff(self, profile: Sequence[int]) -> tuple[Number, ...]:
        """Payoffs of every player at a pure profile given by strategy indices."""
        return tuple(self.payoffs[(i, *profile)] for i in range(self.n_players))

    def as_float(self) -> Game:
        """The same game with float payoffs."""
        if not self.is_exact:
            return self
        return Game(self.players, self.strategies, self.payoffs.astype(float), self.title, False)

    def as_exact(self) -> Game:
        """The game with every float payoff replaced by the rational of its decimal repr."""
        if self.is_exact:
            return self
        arr = np.vectorize(to_fraction, otypes=[object])(self.payoffs)
        return Game(self.players, self.strategies, arr, self.title, True)

    def float_payoffs(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.payoffs, dtype=float)

    def scale(self) -> float:
        """Payoff spread, the yardstick for the named tolerances (computed once per game)."""
        return self._scale

    @cached_property
    def _scale(self) -> float:
        p = self.float_payoffs()
        return float(p.max() - p.min()) if p.size else 1.0

    def index(self, player: str, strategy: str | None = None) -> tuple[int, int | None]:
        """Indices of a player (and optionally one of their strategies) by label."""
        i = self.players.index(player)
        return i, (self.strategies[i].index(strategy) if strategy is not None else None)


def default_players(n: int) -> tuple[str, ...]:
    """Row/Column for two players, Player 1..n otherwise."""
    return ("Row", "Column") if n == 2 else tuple(f"Player {i + 1}" for i in range(n))
