"""The critical discount factor of a 2x2 game in closed form, vectorised over arrays of games.

For sweeps: ``a`` and ``b`` hold the row and column player's payoffs with shape ``(2, 2, *batch)``
(any batch shape), and the answer is an array of the batch shape.  With target ``(r, c)``:

* grim trigger with Nash reversion (Friedman 1971): ``delta_i = (d_i - u_i) / (d_i - e_i)`` with
  ``e_i`` the payoff of the stage equilibrium worst for ``i`` among the pure equilibria (best-reply
  checks) and the completely mixed one (indifference: ``q = (a11 - a01) / (a00 - a01 - a10 +
  a11)``, valid when strictly inside (0, 1) for both players);
* the minmax bound (Fudenberg & Maskin 1986): ``e_i`` replaced by the mixed minmax, the value of
  the 2x2 zero-sum game on ``i``'s payoffs (the saddle point, else ``(a00 a11 - a01 a10) /
  (a00 + a11 - a01 - a10)``).

``delta* = max_i delta_i``; NaN where no delta < 1 works.  These are the formulas of
:mod:`solver.equilibria.repeated.grim` for games without payoff ties (on a tie the stage game may
have a continuum of equilibria: use the exact path there).

Prisoner's dilemma grid over T (R = 3, P = 1, S = 0): ``(T - 3) / (T - 1)``.

>>> import numpy as np
>>> t = np.array([4.0, 5.0, 7.0])
>>> a = np.array([[np.full(3, 3.0), np.zeros(3)], [t, np.ones(3)]])
>>> b = a.transpose(1, 0, 2)
>>> grim_delta(a, b, (0, 0))
array([0.33333333, 0.5       , 0.66666667])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _critical(d: FloatArray, u: FloatArray, e: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (d - u) / (d - e)
    return np.where(d <= u, 0.0, np.where(u > e, ratio, np.nan))


def worst_equilibrium(a: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each player's lowest payoff over the stage equilibria (pure and completely mixed)."""
    worst_a = np.full(a.shape[2:], np.inf)
    worst_b = np.full(a.shape[2:], np.inf)
    for i in (0, 1):
        for j in (0, 1):
            ne = (a[i, j] >= a[1 - i, j]) & (b[i, j] >= b[i, 1 - j])
            worst_a = np.where(ne, np.minimum(worst_a, a[i, j]), worst_a)
            worst_b = np.where(ne, np.minimum(worst_b, b[i, j]), worst_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (a[1, 1] - a[0, 1]) / (a[0, 0] - a[0, 1] - a[1, 0] + a[1, 1])
        p = (b[1, 1] - b[1, 0]) / (b[0, 0] - b[1, 0] - b[0, 1] + b[1, 1])
        va = a[0, 0] * q + a[0, 1] * (1 - q)
        vb = b[0, 0] * p + b[1, 0] * (1 - p)
    mixed = (q > 0) & (q < 1) & (p > 0) & (p < 1)
    worst_a = np.where(mixed, np.minimum(worst_a, va), worst_a)
    worst_b = np.where(mixed, np.minimum(worst_b, vb), worst_b)
    return worst_a, worst_b


def _zero_sum_value(m: FloatArray) -> FloatArray:
    """Value to the row (maximising) player of 2x2 zero-sum games ``m[i, j, ...]``."""
    lower = np.maximum(np.minimum(m[0, 0], m[0, 1]), np.minimum(m[1, 0], m[1, 1]))
    upper = np.minimum(np.maximum(m[0, 0], m[1, 0]), np.maximum(m[0, 1], m[1, 1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        mixed = (m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]) / (m[0, 0] + m[1, 1] - m[0, 1] - m[1, 0])
    return np.asarray(np.where(lower >= upper, lower, mixed), dtype=float)


def _targets(a: Any, b: Any, target: tuple[int, int]) -> tuple[FloatArray, ...]:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape[:2] != (2, 2) or b.shape != a.shape:
        raise ValueError(f"payoff arrays must have shape (2, 2, ...) alike; got {a.shape} and {b.shape}")
    r, c = target
    return a, b, a[r, c], a[:, c].max(axis=0), b[r, c], b[r, :].max(axis=0)


def grim_delta(a: Any, b: Any, target: tuple[int, int], by_player: bool = False) -> Any:
    """delta* of grim trigger (reversion to the stage equilibrium worst for the deviator) for
    every game of the batch; with ``by_player`` also the two players' own deltas."""
    a, b, ua, da, ub, db = _targets(a, b, target)
    ea, eb = worst_equilibrium(a, b)
    return _combine(_critical(da, ua, ea), _critical(db, ub, eb), by_player)


def minmax_delta(a: Any, b: Any, target: tuple[int, int], by_player: bool = False) -> Any:
    """The folk-theorem bound (deviator held to the mixed minmax) for every game of the batch."""
    a, b, ua, da, ub, db = _targets(a, b, target)
    va, vb = _zero_sum_value(a), _zero_sum_value(b.swapaxes(0, 1))
    return _combine(_critical(da, ua, va), _critical(db, ub, vb), by_player)


def _combine(da: FloatArray, db: FloatArray, by_player: bool) -> Any:
    both = np.where(np.isnan(da) | np.isnan(db), np.nan, np.maximum(da, db))
    return (both, da, db) if by_player else both
