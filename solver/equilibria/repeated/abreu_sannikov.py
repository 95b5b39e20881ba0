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

The new polygon is the convex hull of these points (:mod:`~solver.equilibria.repeated.as_operator`);
the threat point rises to its lower-left corner.  Starting from the feasible payoffs above the
pure minmax values (a superset of ``V``), the polygons decrease to ``V``, geometrically near it.
The plain iteration stops when both the polygon (Hausdorff distance) and the threat point move
less than :data:`~solver.core.tolerances.REPEATED_CONVERGENCE` times the payoff scale.  The
accelerated one (the default) also extrapolates, once the vertices' labels repeat, with
Anderson's mixing (:mod:`~solver.equilibria.repeated.as_anderson`) to a polygon that one step
of ``R`` moves less than that tolerance, a fixed point; it ends there as soon as an iterate lies
within :data:`~solver.core.tolerances.REPEATED_CERTIFIED` (times the scale) of it.  A fixed point
is self-generating, so it lies inside ``V``, and every iterate contains ``V``: that distance
bounds the answer's error, whatever the extrapolation did.

Prisoner's dilemma (the QuantEcon test game), delta = 0.9: ``V`` is the feasible IR set.

>>> import numpy as np
>>> s = abreu_sannikov(np.array([[9.0, 1.0], [10.0, 3.0]]), np.array([[9.0, 10.0], [1.0, 3.0]]), 0.9)
>>> [tuple(round(float(x), 6) for x in v) for v in s.vertices], s.converged
([(3.0, 3.0), (9.75, 3.0), (9.0, 9.0), (3.0, 9.75)], True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ModelError, ParameterError
from solver.core.tolerances import REPEATED_CERTIFIED, REPEATED_CONVERGENCE, scaled
from solver.equilibria.repeated.as_anderson import ANDERSON_MEMORY, ANDERSON_STEPS, anderson
from solver.equilibria.repeated.as_operator import Stage, stage, step_floats
from solver.equilibria.repeated.polygon import _distances, clip_above, convex_hull, hausdorff
from solver.equilibria.repeated.result import PayoffSet

FloatArray = npt.NDArray[np.float64]

#: the iteration gives up (flagged not converged) after this many rounds; it contracts at rate
#: about delta, so 10^4 rounds reach the tolerance for any delta up to about 0.997
MAX_ITERATIONS = 10_000
#: after an extrapolation fails, this many plain rounds pass before the next one
RETRY = 3


@dataclass(frozen=True)
class _Game:
    """The stage data and the distances the iteration stops on (absolute: times the scale)."""

    stage: Stage
    stop: float  # convergence: the polygon and threat point move less than this
    gap: float  # certification: an iterate this close to a fixed point ends the iteration
    geo: float  # geometric slack (the stage's)


def _moved(old: FloatArray, new: FloatArray, geo: float) -> float:
    """An upper bound on the Hausdorff distance, exact enough to stop on: with as many vertices
    (both listed from the lowest), the largest vertex displacement bounds it (a convex
    combination of old vertices moves at most that far); otherwise the distance itself, or (when
    it exceeds ``geo``) the largest difference of the support functions in the directions normal
    to the edges (the Hausdorff distance of convex sets is the largest such difference over all
    directions), a lower bound on it that is enough to go on."""
    if old.shape == new.shape:
        return float(np.abs(old - new).max())
    edges = np.concatenate([np.diff(old, axis=0, append=old[:1]), np.diff(new, axis=0, append=new[:1])])
    normals = np.stack([edges[:, 1], -edges[:, 0]], axis=1)
    normals /= np.maximum(np.hypot(normals[:, 0], normals[:, 1]), geo)[:, None]
    lower = float(np.abs((old @ normals.T).max(axis=0) - (new @ normals.T).max(axis=0)).max())
    return lower if lower > geo else hausdorff(old, new, geo)


def _within(x: FloatArray, w: list[list[float]], g: _Game) -> bool:
    """Whether polygon ``x`` lies in ``w`` (within ``g.geo``) and ``w`` within ``g.gap`` of it.
    For a fixed point ``x`` (self-generating, so inside the payoff set ``V``) and an iterate ``w``
    (which contains ``V``) this bounds the distance from ``x`` to ``V`` by ``g.gap``.  With as
    many vertices (the usual case) in plain floats: the largest vertex displacement bounds the
    distance (see :func:`_moved`), and each vertex of ``x`` must lie within ``g.geo`` of every
    edge line of ``w`` (counter-clockwise), on its inner side."""
    if len(x) != len(w) or len(w) < 3:
        wa = np.array(w).reshape(-1, 2)
        if _moved(x, wa, g.geo) > g.gap or _distances(x, wa, g.geo).max() > g.geo:
            return False
        return x.shape == wa.shape or hausdorff(x, wa, g.geo) <= g.gap
    pts = x.tolist()
    if _shift(pts, w, g.geo) > g.gap:
        return False
    for j in range(len(w)):
        (ax, ay), (bx, by) = w[j - 1], w[j]
        ex, ey = bx - ax, by - ay
        slack = g.geo * (ex * ex + ey * ey) ** 0.5
        if any(ex * (py - ay) - ey * (px - ax) < -slack for px, py in pts):
            return False
    return True


def _shift(old: list[list[float]], new: list[list[float]], geo: float) -> float:
    """:func:`_moved` for vertex lists, without numpy where the vertex counts agree."""
    if not old or not new:
        return _moved(np.array(old).reshape(-1, 2), np.array(new).reshape(-1, 2), geo)
    if len(old) == len(new):
        return max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(old, new, strict=True))
    lower = 0.0  # the support functions' largest difference over the edges' normals
    for poly in (old, new):
        for j in range(len(poly)):
            (x0, y0), (x1, y1) = poly[j - 1], poly[j]
            nx, ny = y1 - y0, x0 - x1
            norm = max((nx * nx + ny * ny) ** 0.5, geo)
            h_old = max(nx * x + ny * y for x, y in old)
            h_new = max(nx * x + ny * y for x, y in new)
            lower = max(lower, abs(h_old - h_new) / norm)
    return lower if lower > geo else hausdorff(np.array(old), np.array(new), geo)


def _iterate(
    w: FloatArray, threat: FloatArray, g: _Game, max_iter: int, budget: Budget, accelerate: bool
) -> tuple[FloatArray, FloatArray, int, bool]:
    """Apply ``R`` until the polygon and threat point move less than ``g.stop``, or (``accelerate``)
    until an iterate comes within ``g.gap`` of a fixed point found by Anderson's extrapolation
    once the vertices' labels repeat and the moves predict that gap.  (polygon, threat,
    iterations, converged); an empty polygon when nothing is generated."""
    iterations, before, wait, last = 0, [-1], 0, np.inf
    pts, (tx, ty) = w.tolist(), (float(threat[0]), float(threat[1]))
    history: list[list[list[float]]] = [pts]
    fixed: tuple[FloatArray, FloatArray] | None = None
    while iterations < max_iter and not budget.expired():
        iterations += 1
        new, labels, (nx, ny) = step_floats(pts, (tx, ty), g.stage)
        if not new:
            return np.empty((0, 2)), np.array([tx, ty]), iterations, False
        moved, shift = _shift(pts, new, g.geo), max(nx - tx, ny - ty)
        pts, tx, ty = new, nx, ny
        if moved <= g.stop and shift <= g.stop:
            return np.array(pts), np.array([tx, ty]), iterations, True
        if fixed is not None and _within(fixed[0], pts, g):
            return fixed[0], fixed[1], iterations, True
        if labels != before:  # a new vertex structure: a new history, and a new extrapolation
            history, fixed = [], None
        history = [*history[-ANDERSON_MEMORY:], pts]
        wait -= 1
        near = moved < last and moved * moved <= g.gap * (last - moved)  # tail moved rho/(1 - rho)
        ready = near and fixed is None and wait <= 0 and len(history) >= 3 and len(pts) >= 3
        if accelerate and ready and iterations + ANDERSON_STEPS < max_iter:
            fixed, used = anderson(history, np.array([tx, ty]), g.stage, g.stop)
            iterations += used
            if fixed is None:
                wait = RETRY
            elif _within(fixed[0], pts, g):
                return fixed[0], fixed[1], iterations, True
        before, last = labels, moved
    return np.array(pts).reshape(-1, 2), np.array([tx, ty]), iterations, False


def abreu_sannikov(
    u0: Any,
    u1: Any,
    delta: float,
    *,
    tol: float = REPEATED_CONVERGENCE,
    max_iter: int = MAX_ITERATIONS,
    budget: Budget = UNBOUNDED,
    accelerate: bool = True,
) -> PayoffSet | None:
    """The pure-strategy subgame-perfect payoff set (with public randomisation) of the repeated
    two-player game with payoff matrices ``u0`` (row player) and ``u1`` (column player), or
    ``None`` when it is empty (no pure-strategy subgame-perfect equilibrium at this delta).
    ``accelerate=False``: the plain iteration alone (no extrapolation), for comparison."""
    a = np.asarray(u0, dtype=float)
    b = np.asarray(u1, dtype=float)
    if a.ndim != 2 or a.shape != b.shape or a.size == 0 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ModelError(f"two payoff matrices of one shape (m x n, finite) are needed; got {a.shape} and {b.shape}")
    if not 0 < delta < 1:
        raise ParameterError(f"the discount factor must lie strictly between 0 and 1, got {delta}")
    s = stage(a, b, delta)
    threat = np.array([a.max(axis=0).min(), b.max(axis=1).min()])  # pure minmax: a lower bound
    start = convex_hull([(float(x), float(y)) for x, y in s.pay], s.geo)
    w = np.asarray(clip_above(clip_above(start, 0, float(threat[0])), 1, float(threat[1])), dtype=float)
    if len(w) == 0:  # every pure-strategy equilibrium pays each player their pure minmax or more
        return None
    g = _Game(s, scaled(tol, s.scale), scaled(REPEATED_CERTIFIED, s.scale), s.geo)
    w, threat, iterations, converged = _iterate(w, threat, g, max_iter, budget, accelerate)
    if len(w) == 0:
        return None
    note = "" if converged else f"stopped after {iterations} iterations before the tolerance was met"
    return PayoffSet(
        tuple((float(x), float(y)) for x, y in w),
        iterations,
        converged,
        (float(threat[0]), float(threat[1])),
        note,
    )
