"""Critical discount factors of 2x2 stage games over whole arrays of games (repeated-game sweeps).

Payoffs ``a`` (row player) and ``b`` (column player) are shaped ``(2, 2, *batch)``; the answers
are ``(delta*, delta_row, delta_col)`` arrays of the batch shape, NaN where no delta < 1 works.

* ``"nash"``: grim trigger with reversion to the stage equilibrium worst for the deviator
  (Friedman 1971), :func:`solver.equilibria.repeated.grim_delta`;
* ``"minmax"``: the folk-theorem bound (Fudenberg & Maskin 1986),
  :func:`solver.equilibria.repeated.minmax_delta`;
* ``"best"``: the best subgame-perfect punishment searched by
  :func:`solver.equilibria.repeated.penal.best_penal_code` (simple penal codes, Abreu 1988): each
  player's punishment is Nash reversion or one period of a pure "stick" profile then back to the
  target, 5 x 5 codes per game.  Player ``j``'s constraints bind at the largest one-shot gain
  ``G_j`` on the paths of the code; ``delta_j = G_j / (u_j(a) - u_j(stick))`` for a stick and
  ``G_j / (G_j + u_j(a) - e_j)`` for Nash reversion, the code's delta is the larger of the two
  players', and ``delta*`` the smallest over the codes (Nash reversion wins ties).

The formulas hold for games without best-reply ties; :func:`tie_mask` marks the points where a tie
(within tolerance), or a delta within tolerance of 1, makes the floats unsafe, for the exact path.

Prisoner's dilemma over T (R = 3, P = 1, S = 0): no stick beats Nash reversion, ``(T - 3)/(T - 1)``.

>>> t = np.array([4.0, 5.0, 7.0])
>>> a = np.array([[np.full(3, 3.0), np.zeros(3)], [t, np.ones(3)]])
>>> b = a.transpose(1, 0, 2)
>>> critical_deltas(a, b, (0, 0), "best")[0]
array([0.33333333, 0.5       , 0.66666667])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.equilibria.repeated import grim_delta, minmax_delta
from solver.equilibria.repeated.closed_form import worst_equilibrium

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Triple = tuple[FloatArray, FloatArray, FloatArray]

#: the punishments a repeated sweep maps; ``best`` is the best subgame-perfect one
PUNISHMENTS = ("nash", "minmax", "best")
#: the four pure profiles of a 2x2 game
PROFILES = ((0, 0), (0, 1), (1, 0), (1, 1))


def _bound(gain: FloatArray, slope: FloatArray) -> FloatArray:
    """Smallest delta in [0, 1) with ``delta * slope >= gain`` (gain >= 0), NaN where none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = gain / slope
    ok = (slope > 0) & (gain < slope)
    return np.where(gain <= 0, np.where(slope >= 0, 0.0, np.nan), np.where(ok, ratio, np.nan))


def penal_delta(a: FloatArray, b: FloatArray, target: tuple[int, int]) -> Triple:
    """(delta*, delta_row, delta_col) of the best simple penal code, for every game of the batch;
    the per-player deltas are those of the best code (NaN for both where no code works)."""
    r, c = target
    pay = (a, b)
    gain = (a.max(axis=0, keepdims=True) - a, b.max(axis=1, keepdims=True) - b)
    worst = worst_equilibrium(a, b)
    best = np.full(a.shape[2:], np.inf)
    by = [np.full(a.shape[2:], np.nan), np.full(a.shape[2:], np.nan)]
    options: tuple[tuple[int, int] | None, ...] = (None, *PROFILES)
    for o0 in options:
        for o1 in options:
            deltas = []
            for j, own in ((0, o0), (1, o1)):
                u, g = pay[j], gain[j]
                top = g[r, c]
                for o in (o0, o1):
                    if o is not None:
                        top = np.maximum(top, g[o])
                slope = u[r, c] - u[own] if own is not None else top + u[r, c] - worst[j]
                deltas.append(_bound(top, slope))
            code = np.maximum(deltas[0], deltas[1])  # NaN if either player cannot be held
            better = code < best
            best = np.where(better, code, best)
            by = [np.where(better, d, old) for d, old in zip(deltas, by, strict=True)]
    best = np.where(np.isinf(best), np.nan, best)
    return best, by[0], by[1]


def critical_deltas(a: Any, b: Any, target: tuple[int, int], punishment: str) -> Triple:
    """(delta*, delta_row, delta_col) under ``punishment`` (one of :data:`PUNISHMENTS`)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if punishment == "nash":
        out: Triple = grim_delta(a, b, target, by_player=True)
    elif punishment == "minmax":
        out = minmax_delta(a, b, target, by_player=True)
    elif punishment == "best":
        out = penal_delta(a, b, target)
    else:
        raise ValueError(f"unknown punishment {punishment!r} (one of {', '.join(PUNISHMENTS)})")
    return out


def tie_mask(a: FloatArray, b: FloatArray, deltas: Triple, tie: float = tolerances.TIE) -> BoolArray:
    """Points to solve exactly: a best-reply tie of either player (within ``tie`` times the point's
    payoff range: the stage game may have a continuum of equilibria there), or a delta within
    ``tie`` of 1 (the floats cannot tell "just below 1" from "none")."""
    n = a.shape[2:]
    both = np.stack([a.reshape(4, *n), b.reshape(4, *n)])
    scale = np.maximum(1.0, both.max(axis=(0, 1)) - both.min(axis=(0, 1)))
    tol = tie * scale
    mask = (np.abs(a[0] - a[1]) <= tol).any(axis=0) | (np.abs(b[:, 0] - b[:, 1]) <= tol).any(axis=0)
    for d in deltas:
        mask |= np.abs(d - 1.0) <= tie  # False where d is NaN
    return np.asarray(mask, dtype=bool)
