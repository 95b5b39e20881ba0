"""Subgame-perfect payoffs of a two-player repeated game: the Abreu-Sannikov algorithm.

Abreu & Sannikov (2014), "An algorithm for two-player repeated games with perfect monitoring",
Theoretical Economics 9, 313-338: the set ``V`` of payoffs of pure-strategy subgame-perfect
equilibria with public randomisation (normalised, discount factor ``delta``) is the largest fixed
point of the APS operator (Abreu, Pearce & Stacchetti 1990).  Their operator ``R`` keeps, for
every action profile ``a``, only the points that can be extreme: with ``w`` the current convex
polygon, ``u`` its threat point (each player's lowest payoff in ``w``) and the incentive corner
``IC(a) = u + (1 - delta)/delta * h(a)`` (``h`` the best deviation gains):

* if ``g(a) >= IC(a)`` and ``g(a)`` lies in ``w``: the point ``g(a)`` itself (``a`` forever);
* otherwise ``(1 - delta) g(a) + delta c`` for the at most four extreme points ``c`` of
  ``w ∩ {x >= IC(a)}`` on the two incentive lines ``x_i = IC_i(a)``.

The new polygon is the convex hull of these points; the threat point rises to its lower-left
corner.  Starting from the feasible payoffs above the pure minmax values (a superset of ``V``), the
polygons decrease to ``V``; the iteration stops when both the polygon (Hausdorff distance) and
the threat point move less than :data:`~solver.core.tolerances.REPEATED_CONVERGENCE` times the
payoff scale.  Every step is vectorised over the action profiles and polygon edges.

Prisoner's dilemma (the QuantEcon test game), delta = 0.9: ``V`` is the feasible IR set.

>>> import numpy as np
>>> s = abreu_sannikov(np.array([[9.0, 1.0], [10.0, 3.0]]), np.array([[9.0, 10.0], [1.0, 3.0]]), 0.9)
>>> [tuple(round(float(x), 6) for x in v) for v in s.vertices], s.converged
([(3.0, 3.0), (9.75, 3.0), (9.0, 9.0), (3.0, 9.75)], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ModelError, ParameterError
from solver.core.tolerances import REPEATED_CONVERGENCE, REPEATED_GEOMETRY, scaled
from solver.equilibria.repeated.polygon import _distances, clip_above, convex_hull, hausdorff
from solver.equilibria.repeated.result import PayoffSet

FloatArray = npt.NDArray[np.float64]

#: the iteration gives up (flagged not converged) after this many rounds; it contracts at rate
#: about delta, so 10^4 rounds reach the tolerance for any delta up to about 0.997
MAX_ITERATIONS = 10_000


def _generate(w: FloatArray, pay: FloatArray, ic: FloatArray, delta: float, geo: float) -> FloatArray:
    """The points the operator ``R`` generates from polygon ``w`` (vertices counter-clockwise):
    for each profile either its payoff (self-generating) or the images of the extreme points of
    ``w ∩ {x >= IC}`` on the two incentive lines, both lines and all profiles at once."""
    k = len(w)
    ab = w[(np.arange(k) + 1) % k] - w
    if k >= 3:
        rel = pay[:, None, :] - w[None, :, :]
        cross = ab[None, :, 0] * rel[:, :, 1] - ab[None, :, 1] * rel[:, :, 0]
        inside = np.asarray((cross >= -geo * np.hypot(ab[:, 0], ab[:, 1])[None, :]).all(axis=1))
    else:
        inside = np.asarray(_distances(pay, w, geo) <= geo)
    itself = np.asarray(inside & (pay >= ic - geo).all(axis=1), dtype=bool)
    # the line x_axis = IC_axis meets w in a segment of the other coordinate: [lo, hi]
    own, other, step, step_other = w.T, w[:, ::-1].T, ab.T, ab[:, ::-1].T  # (2, k): per axis
    slanted = np.abs(step) > geo
    safe = np.where(slanted, step, 1.0)
    t = (ic[:, :, None] - own[None]) / safe[None]
    slack = geo / np.abs(safe)
    hit = slanted[None] & (t >= -slack[None]) & (t <= 1.0 + slack[None])
    x = other[None] + np.clip(t, 0.0, 1.0) * step_other[None]
    on = np.abs(own[None] - ic[:, :, None]) <= geo
    xs = np.concatenate([x, np.broadcast_to(other[None], x.shape)], axis=2)
    met = np.concatenate([hit, on], axis=2)
    lo = np.where(met, xs, np.inf).min(axis=2)
    hi = np.where(met, xs, -np.inf).max(axis=2)
    ic_other = ic[:, ::-1]
    ok = ~itself[:, None] & (hi >= ic_other - geo)
    # c[profile, line, end]: the two ends of w ∩ {x >= IC} on each incentive line
    c = np.empty((len(pay), 2, 2, 2))
    c[:, 0, :, 0] = ic[:, :1]
    c[:, 1, :, 1] = ic[:, 1:]
    c[:, 0, 0, 1], c[:, 0, 1, 1] = hi[:, 0], np.maximum(lo[:, 0], ic_other[:, 0])
    c[:, 1, 0, 0], c[:, 1, 1, 0] = hi[:, 1], np.maximum(lo[:, 1], ic_other[:, 1])
    mask = np.broadcast_to(ok[:, :, None], (len(pay), 2, 2))
    here = np.broadcast_to(pay[:, None, None, :], c.shape)[mask]
    return np.concatenate([pay[itself], delta * c[mask] + (1.0 - delta) * here])


def _moved(old: FloatArray, new: FloatArray, geo: float) -> float:
    """An upper bound on the Hausdorff distance, exact enough to stop on: with as many vertices
    (both listed from the lowest), the largest vertex displacement bounds it (a convex
    combination of old vertices moves at most that far); otherwise the distance itself."""
    if old.shape == new.shape:
        return float(np.abs(old - new).max())
    return hausdorff(old, new, geo)


def _hull(points: FloatArray, scale: float) -> FloatArray:
    eps = scaled(REPEATED_GEOMETRY, scale)
    return np.asarray(convex_hull(list(map(tuple, points.tolist())), eps), dtype=float).reshape(-1, 2)


def abreu_sannikov(
    u0: Any,
    u1: Any,
    delta: float,
    *,
    tol: float = REPEATED_CONVERGENCE,
    max_iter: int = MAX_ITERATIONS,
    budget: Budget = UNBOUNDED,
) -> PayoffSet | None:
    """The pure-strategy subgame-perfect payoff set (with public randomisation) of the repeated
    two-player game with payoff matrices ``u0`` (row player) and ``u1`` (column player), or
    ``None`` when it is empty (no pure-strategy subgame-perfect equilibrium at this delta)."""
    a = np.asarray(u0, dtype=float)
    b = np.asarray(u1, dtype=float)
    if a.ndim != 2 or a.shape != b.shape or a.size == 0 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ModelError(f"two payoff matrices of one shape (m x n, finite) are needed; got {a.shape} and {b.shape}")
    if not 0 < delta < 1:
        raise ParameterError(f"the discount factor must lie strictly between 0 and 1, got {delta}")
    pay = np.stack([a.ravel(), b.ravel()], axis=1)
    gain = np.stack([(a.max(axis=0, keepdims=True) - a).ravel(), (b.max(axis=1, keepdims=True) - b).ravel()], axis=1)
    h = (1.0 - delta) / delta * gain
    scale = max(float(pay.max() - pay.min()), 1.0)
    geo = scaled(REPEATED_GEOMETRY, scale)
    stop = scaled(tol, scale)
    threat = np.array([a.max(axis=0).min(), b.max(axis=1).min()])  # pure minmax: a lower bound
    start = convex_hull([(float(x), float(y)) for x, y in pay], geo)
    w = np.asarray(clip_above(clip_above(start, 0, float(threat[0])), 1, float(threat[1])), dtype=float)
    if len(w) == 0:  # every pure-strategy equilibrium pays each player their pure minmax or more
        return None
    iterations, converged = 0, False
    while iterations < max_iter and not budget.expired():
        iterations += 1
        ic = threat[None, :] + h
        points = _generate(w, pay, ic, delta, geo)
        if len(points) == 0:
            return None
        new = _hull(points, scale)
        new_threat = np.maximum(threat, new.min(axis=0))
        moved = _moved(w, new, geo)
        shift = float(np.abs(new_threat - threat).max())
        w, threat = new, new_threat
        if moved <= stop and shift <= stop:
            converged = True
            break
    note = "" if converged else f"stopped after {iterations} iterations before the tolerance was met"
    return PayoffSet(
        tuple((float(x), float(y)) for x, y in w),
        iterations,
        converged,
        (float(threat[0]), float(threat[1])),
        note,
    )
