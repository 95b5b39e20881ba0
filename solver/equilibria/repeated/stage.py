"""Stage-game facts a repeated game is built from: deviation gains, minmax values, equilibria.

* Best one-shot deviation payoff ``d_i(a) = max_{b_i} u_i(b_i, a_-i)`` and gain ``d_i(a) - u_i(a)``
  at every pure profile at once (a maximum along each player's own axis of the payoff tensor).
* Pure minmax ``min_{a_-i} max_{a_i} u_i`` and the punishers' profile; for two players the mixed
  minmax, which by von Neumann's minimax theorem (1928) is the value of the zero-sum game on
  ``u_i``, from one exact LP (:func:`solver.equilibria.twoplayer.zero_sum.solve_zero_sum`).
* The stage Nash equilibria, exactly, from :func:`solver.equilibria.solve`.

(Fudenberg & Tirole 1991, ch. 5; Mailath & Samuelson 2006, ch. 2.)

>>> from solver.core.game import Game
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])   # C, D for each player
>>> target = target_index(pd, "1, 1")
>>> target, deviation_payoffs(pd.payoffs, target)
((0, 0), [Fraction(5, 1), Fraction(5, 1)])
>>> pure_minmax(pd.payoffs)[0]
(Fraction(1, 1), (1, 1))
>>> [v for v, _ in mixed_minmax(pd)]
[Fraction(1, 1), Fraction(1, 1)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ParameterError, SolverError, UsageError
from solver.core.game import Game, Number, to_fraction
from solver.core.result import Result

Profile = tuple[int, ...]


def target_index(game: Game, target: Any) -> Profile:
    """The pure profile ``target`` names, as strategy indices.

    ``target`` is a string of labels separated by commas (``"Tolerate, Acquiesce"``), a sequence
    of labels (or indices) in player order, or a mapping player -> label.  Anything else, or a
    label that is not one of that player's strategies, raises :class:`UsageError`.
    """
    n = game.n_players
    if isinstance(target, str):
        parts: list[Any] = [s.strip() for s in target.split(",")]
    elif isinstance(target, Mapping):
        unknown = [p for p in target if p not in game.players]
        if unknown:
            raise UsageError(f"target names {unknown[0]!r}, not a player ({', '.join(game.players)})")
        missing = [p for p in game.players if p not in target]
        if missing:
            raise UsageError(f"target gives no strategy for {', '.join(missing)}")
        parts = [target[p] for p in game.players]
    elif isinstance(target, Sequence):
        parts = list(target)
    else:
        raise UsageError(f"a target is a profile of strategy labels, got {type(target).__name__}")
    if len(parts) != n:
        raise UsageError(
            f"target {target!r} names {len(parts)} strateg{'y' if len(parts) == 1 else 'ies'} "
            f"but the game has {n} players ({', '.join(game.players)})"
        )
    out = []
    for player, labels, part in zip(game.players, game.strategies, parts, strict=True):
        if isinstance(part, int | np.integer) and not isinstance(part, bool) and 0 <= part < len(labels):
            out.append(int(part))
        elif isinstance(part, str) and part in labels:
            out.append(labels.index(part))
        else:
            raise UsageError(f"{part!r} is not a strategy of {player} ({', '.join(labels)})")
    return tuple(out)


def check_delta(delta: Any) -> Number:
    """``delta`` as an exact rational (floats and strings by their decimal value), refused with
    :class:`ParameterError` unless it is a number strictly between 0 and 1."""
    try:
        if isinstance(delta, float) and not np.isfinite(delta):
            raise ValueError
        value = to_fraction(delta)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        raise ParameterError(f"the discount factor must be a number in (0, 1), got {delta!r}") from None
    if not 0 < value < 1:
        raise ParameterError(f"the discount factor must lie strictly between 0 and 1, got {value}")
    return value


def best_replies(payoffs: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """``d[i][a] = max_{b_i} u_i(b_i, a_-i)`` for every profile ``a`` (same shape as a payoff)."""
    n = payoffs.shape[0]
    return [np.broadcast_to(payoffs[i].max(axis=i, keepdims=True), payoffs.shape[1:]) for i in range(n)]


def gains(payoffs: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Best one-shot deviation gain ``d_i(a) - u_i(a) >= 0`` of every player at every profile."""
    d = best_replies(payoffs)
    return np.stack([d[i] - payoffs[i] for i in range(payoffs.shape[0])])


def deviation_payoffs(payoffs: npt.NDArray[Any], profile: Profile) -> list[Any]:
    """Each player's best one-shot deviation payoff against ``profile``."""
    out = []
    for i in range(payoffs.shape[0]):
        line = list(profile)
        line[i] = slice(None)  # type: ignore[call-overload]
        out.append(max(payoffs[(i, *line)]))
    return out


def pure_minmax(payoffs: npt.NDArray[Any]) -> list[tuple[Any, Profile]]:
    """Per player: the pure minmax value and a profile where the others punish (and the player
    best responds): ``v_i = min_{a_-i} max_{a_i} u_i(a_i, a_-i)``."""
    out = []
    for i in range(payoffs.shape[0]):
        best = payoffs[i].max(axis=i, keepdims=True)
        flat = int(np.argmin(best))  # first of the minimisers
        idx = [int(k) for k in np.unravel_index(flat, best.shape)]
        line: list[Any] = list(idx)
        line[i] = slice(None)
        idx[i] = int(np.argmax(payoffs[i][tuple(line)]))
        out.append((best.flat[flat], tuple(int(k) for k in idx)))
    return out


def mixed_minmax(game: Game) -> list[tuple[Fraction, tuple[Fraction, ...]]]:
    """Two players: each player's mixed minmax value and the opponent's punishing mixture, exact
    (the value of the zero-sum game on that player's payoffs: one LP, recomputed in rationals)."""
    from solver.equilibria.twoplayer.zero_sum import solve_zero_sum

    if game.n_players != 2:
        raise SolverError(f"the mixed minmax is computed for two players; this game has {game.n_players}")
    exact = game.as_exact().payoffs
    out = []
    for matrix in (exact[0], exact[1].T):  # rows: the punished player's own strategies
        z = solve_zero_sum(matrix.tolist())
        out.append((z.value, z.col_vertices[0]))
    return out


def stage_equilibria(game: Game, timeout: float | None = None) -> Result:
    """Every (extreme) Nash equilibrium of the stage game, exactly."""
    from solver.equilibria import solve

    return solve(game, exact=True, timeout=timeout)


def describe(game: Game, profile: Profile) -> str:
    """``(Cooperate, Defect)``: a pure profile by its labels."""
    return "(" + ", ".join(s[k] for s, k in zip(game.strategies, profile, strict=True)) + ")"
