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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from fractions import Fraction
from functools import cached_property
from math import isfinite
from numbers import Real
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ModelError

Number = Fraction | float

#: a number written as text (``--set T=...``) may be at most this many characters long
MAX_NUMBER_CHARS = 400
#: ... and its decimal exponent (``1e400``) at most this large in magnitude: converting
#: ``1e99999999`` exactly would build a hundred-million-digit integer
MAX_NUMBER_EXPONENT = 400
_EXPONENT = re.compile(r"[eE]\s*([+-]?\s*[0-9_]+)")


def short(x: Any) -> str:
    """A number for a message: integers below 10^15 in full, everything else to eight digits.

    >>> short(Fraction(10**400)), short(Fraction(1, 3)), short(7)
    ('1e+400', '0.33333333', '7')
    """
    if isinstance(x, float):
        return f"{x:g}"
    q = Fraction(x)
    if q.denominator == 1 and abs(q.numerator) < 10**15:
        return str(q.numerator)
    ctx = Context(prec=8)
    return f"{ctx.divide(Decimal(q.numerator), Decimal(q.denominator)).normalize(ctx):g}"


def parse_number(text: str) -> Fraction:
    """The exact rational a decimal or ``a/b`` string names, refused (``ValueError``) when it is
    not a number or is longer or has a larger exponent than the limits above.

    >>> parse_number("2/3"), parse_number(" 1.5e2 ")
    (Fraction(2, 3), Fraction(150, 1))
    """
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters, more than the limit of {MAX_NUMBER_CHARS}")
    match = _EXPONENT.search(text)
    if match is not None:
        digits = match.group(1).replace("_", "").replace(" ", "")
        if abs(int(digits or "0")) > MAX_NUMBER_EXPONENT:
            raise ValueError(f"exponent {digits} is larger in magnitude than the limit of {MAX_NUMBER_EXPONENT}")
    return Fraction(text)


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
        return parse_number(value)
    # numpy scalars, sympy Rationals
    if hasattr(value, "p") and hasattr(value, "q"):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, np.bool_ | np.complexfloating):
        raise TypeError(f"a {type(value).__name__} is not a payoff")
    if isinstance(value, np.integer):
        return Fraction(int(value))
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
            raise ModelError(
                f"{len(self.players)} player names but {len(self.strategies)} strategy lists"
            )
        if self.payoffs.shape != (len(self.players), *shape):
            raise ModelError(
                f"payoff tensor has shape {self.payoffs.shape}, expected {(len(self.players), *shape)}"
            )
        if self.payoffs.dtype.kind == "f" and not np.isfinite(self.payoffs).all():
            at = tuple(int(i) for i in np.argwhere(~np.isfinite(self.payoffs))[0])
            raise ModelError(
                f"payoff {float(self.payoffs[at])} of {self.players[at[0]]} at profile {at[1:]} "
                "is not a finite number"
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

        ``exact=None`` keeps integer/rational input exact and float input as floats.  Anything
        that is not such a tensor of finite real numbers raises :class:`ModelError`.
        """
        raw = checked_payoffs(payoffs)
        n = raw.shape[0]
        if exact is None:
            exact = all(isinstance(v, int | Fraction | np.integer) for v in raw.flat)
        arr = (
            np.vectorize(to_fraction, otypes=[object])(raw)
            if exact
            else raw.astype(float)
        )
        shape = arr.shape[1:]
        names = tuple(players) if players is not None else default_players(n)
        labels = (
            tuple(tuple(s) for s in strategies)
            if strategies is not None
            else tuple(tuple(f"{k + 1}" for k in range(m)) for m in shape)
        )
        _check_labels(names, labels)
        return cls(names, labels, arr, title, bool(exact))

    @classmethod
    def from_bimatrix(cls, a: Any, b: Any, **kwargs: Any) -> Game:
        """A two-player game from the row player's matrix ``a`` and the column player's ``b``."""
        ma, mb = checked_matrix(a, "row player's"), checked_matrix(b, "column player's")
        if ma.shape != mb.shape:
            raise ModelError(
                f"the row player's matrix has shape {ma.shape} but the column player's {mb.shape}"
            )
        both = np.empty((2, *ma.shape), dtype=object)
        both[0], both[1] = ma, mb
        return cls.from_arrays(both, **kwargs)

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
        return Game(self.players, self.strategies, self.float_payoffs(), self.title, False)

    def as_exact(self) -> Game:
        """The game with every float payoff replaced by the rational of its decimal repr."""
        if self.is_exact:
            return self
        arr = np.vectorize(to_fraction, otypes=[object])(self.payoffs)
        return Game(self.players, self.strategies, arr, self.title, True)

    def float_payoffs(self) -> npt.NDArray[np.float64]:
        """The payoffs in float64 (refused, ModelError, where an exact one exceeds the float range)."""
        try:
            return np.asarray(self.payoffs, dtype=float)
        except OverflowError:
            raise ModelError(
                "a payoff exceeds the float range (about 1.8e308): solve this game exactly"
            ) from None

    def scale(self) -> float:
        """Payoff spread, the yardstick for the named tolerances (computed once per game)."""
        return self._scale

    @cached_property
    def _scale(self) -> float:
        if self.is_exact and self.payoffs.size:  # exactly: huge integers overflow floats
            spread = max(self.payoffs.flat) - min(self.payoffs.flat)
            return float(spread) if spread < 2**1000 else float(2**1000)
        p = self.float_payoffs()
        with np.errstate(over="ignore"):  # a spread past the float range is capped at its end
            return min(float(p.max() - p.min()), float(np.finfo(float).max)) if p.size else 1.0

    def index(self, player: str, strategy: str | None = None) -> tuple[int, int | None]:
        """Indices of a player (and optionally one of their strategies) by label."""
        i = self.players.index(player)
        return i, (self.strategies[i].index(strategy) if strategy is not None else None)


def default_players(n: int) -> tuple[str, ...]:
    """Row/Column for two players, Player 1..n otherwise."""
    return ("Row", "Column") if n == 2 else tuple(f"Player {i + 1}" for i in range(n))


def _array(payoffs: Any, what: str) -> npt.NDArray[Any]:
    try:
        raw = np.asarray(payoffs, dtype=object)
    except ValueError:
        raise ModelError(f"the {what} payoffs are ragged: rows of different lengths") from None
    for v in raw.flat:
        if isinstance(v, bool | np.bool_) or not isinstance(v, Real):
            kind = "ragged (a row inside a row)" if isinstance(v, list | tuple | np.ndarray) else (
                f"{v!r} ({type(v).__name__}) is not a real number"
            )
            raise ModelError(f"the {what} payoffs: {kind}")
        if not isinstance(v, int | Fraction | np.integer) and not isfinite(v):
            raise ModelError(f"the {what} payoffs: {v!r} is not a finite number")
    return raw


def checked_matrix(matrix: Any, whose: str) -> npt.NDArray[Any]:
    """One player's payoff matrix as an object array, refused unless m x n of finite reals."""
    raw = _array(matrix, f"{whose} matrix of")
    if raw.ndim != 2 or 0 in raw.shape:
        raise ModelError(
            f"the {whose} payoff matrix must be m x n with m, n >= 1; it has shape {raw.shape}"
        )
    return raw


def checked_payoffs(payoffs: Any) -> npt.NDArray[Any]:
    """A payoff tensor ``(n, s1, ..., sn)`` as an object array of finite reals (else ModelError)."""
    raw = _array(payoffs, "game's")
    if raw.ndim < 2 or raw.shape[0] != raw.ndim - 1:
        raise ModelError(
            "payoffs must have shape (n_players, s1, ..., sn), one strategy axis per player; "
            f"got shape {raw.shape}"
        )
    if 0 in raw.shape:
        raise ModelError(f"an empty game (payoff shape {raw.shape}): every player needs a strategy")
    return raw


def _check_labels(players: tuple[str, ...], strategies: tuple[tuple[str, ...], ...]) -> None:
    if len(set(players)) != len(players):
        raise ModelError(f"player names repeat: {', '.join(players)}")
    for player, labels in zip(players, strategies, strict=False):
        if len(set(labels)) != len(labels):
            raise ModelError(f"{player}'s strategy labels repeat: {', '.join(labels)}")
