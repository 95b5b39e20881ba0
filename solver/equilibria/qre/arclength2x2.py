"""Many 2x2 principal branches traced in arclength at once, folds and all.

The games :mod:`.batched2x2`'s lockstep pass in lambda cannot vouch for (their branch folds back
in lambda, or a step jumped) are traced here as curves ``F(x, lam) = 0`` in the plane (Allgower &
Georg 1990, "Numerical Continuation Methods", ch. 2: Euler predictor along the tangent, Newton
corrector on the normal hyperplane), each game with its own step size, all in one array: a step
is accepted game by game (Newton converged, the tangent turned by less than ``arccos(MIN_COS)``
and kept its orientation: the tangent ``(-F_lam, F_x)`` turns continuously along a generic
curve, folds included, so a reversal means the step landed on a sheet traversed the other way),
halved where it fails and lengthened by ``GROW`` where it is accepted.  A
game is done at its branch's first crossing of the target lambda, where Newton's method in ``x``
alone lands exactly on it.  Games still running after ``MAX_STEPS`` rounds are reported unsolved.

>>> import numpy as np
>>> x, ok = arclength_2x2(*(np.array([v]) for v in (10.0, -1.0, -2.0, 1.0)), 2.0)
>>> round(float(x[0]), 9), bool(ok[0])  # logit(0.860754394): asymmetric pennies, Row
(1.821569886, True)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from solver.core.tolerances import QRE_NEWTON, QRE_RESIDUAL

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: rounds of predictor-corrector, Newton steps per correction, first step, growth after a
#: step accepted, smallest step
MAX_STEPS = 4000
CORRECT = 4
FIRST = 0.05
GROW = 1.5
SMALLEST = 2.0**-30
#: a step is refused where its first Newton correction is longer than this or half the step
MAX_CORRECTION = 0.1
#: a step is refused where the tangent turns by more than the angle of this cosine
MIN_COS = 0.95


def parts(
    x: Floats, t: Floats | float, al: Floats, be: Floats, ga: Floats, de: Floats
) -> tuple[Floats, Floats, Floats]:
    """``F``, ``F_x`` and ``F_lam`` at ``(x, t)`` (see :mod:`.batched2x2` for ``F``)."""
    s = expit(x)
    g = expit(t * (ga * s + de))
    dg = g * (1.0 - g)
    f = x - t * (al * g + be)
    fx = 1.0 - t * t * al * ga * dg * s * (1.0 - s)
    fl = -(al * g + be) - t * al * dg * (ga * s + de)
    return f, fx, fl


def _newton_x(x: Floats, lam: float, c: tuple[Floats, ...]) -> tuple[Floats, Bools]:
    for _ in range(3 * CORRECT):
        f, fx, _ = parts(x, np.full_like(x, lam), *c)
        x = x - f / np.where(fx == 0, 1.0, fx)
    f, _, _ = parts(x, np.full_like(x, lam), *c)
    return x, np.abs(f) <= QRE_RESIDUAL * (1.0 + np.abs(x))


def arclength_2x2(al: Floats, be: Floats, ga: Floats, de: Floats, lam: float) -> tuple[Floats, Bools]:
    """``(x, solved)``: the log-odds of Row's first strategy at the first crossing of ``lam``
    by each game's principal branch (games given by their coefficients), and whether it was
    reached and solved."""
    n = al.size
    x, t = np.zeros(n), np.zeros(n)
    _, fx, fl = parts(x, t, al, be, ga, de)
    tx, tl = -fl, fx
    norm = np.hypot(tx, tl)
    tx, tl = tx / norm, tl / norm
    h = np.full(n, FIRST)
    out, solved = np.zeros(n), np.zeros(n, dtype=bool)
    live = np.ones(n, dtype=bool) if lam > 0 else np.zeros(n, dtype=bool)
    for _ in range(MAX_STEPS):
        idx = np.flatnonzero(live)
        if not idx.size:
            break
        c = (al[idx], be[idx], ga[idx], de[idx])
        x0, t0, ux, ul, hh = x[idx], t[idx], tx[idx], tl[idx], h[idx]
        xp, tp = x0 + hh * ux, t0 + hh * ul
        xs, ts = xp.copy(), tp.copy()
        ok = np.ones(idx.size, dtype=bool)
        for it in range(CORRECT):
            f, fx, fl = parts(xs, ts, *c)
            det = fx * ul - fl * ux
            det = np.where(det == 0, np.finfo(float).tiny, det)
            dx, dt = -f * ul / det, f * ux / det
            size = np.maximum(np.abs(dx), np.abs(dt))
            if it == 0:
                ok &= size <= np.minimum(0.5 * hh, MAX_CORRECTION)
            xs, ts = xs + dx, ts + dt
        f, fx, fl = parts(xs, ts, *c)
        ok &= (np.abs(f) <= QRE_RESIDUAL * (1.0 + np.abs(xs))) & (size <= np.sqrt(QRE_NEWTON) * (1.0 + np.abs(xs)))
        # tangent at the new point, oriented along the old one
        nx, nl = -fl, fx
        nn = np.hypot(nx, nl)
        nx, nl = nx / nn, nl / nn
        # the tangent (-F_lam, F_x) is never flipped: it turns continuously along a generic curve
        # (through its folds too), so it reverses only where a step landed on a sheet the branch
        # traverses the other way; and a sharp turn means the step may have jumped branches
        ok &= nx * ux + nl * ul >= MIN_COS
        fail = ~ok
        h[idx[fail]] = hh[fail] * 0.5
        live[idx[fail & (hh * 0.5 < SMALLEST)]] = False
        acc = idx[ok]
        crossed = ok & (ts >= lam)
        x[acc], t[acc], tx[acc], tl[acc] = xs[ok], ts[ok], nx[ok], nl[ok]
        h[acc] = hh[ok] * GROW
        if crossed.any():
            k = idx[crossed]
            s = (lam - t0[crossed]) / (ts[crossed] - t0[crossed])
            xk, good = _newton_x((1 - s) * x0[crossed] + s * xs[crossed], lam, tuple(v[crossed] for v in c))
            out[k], solved[k], live[k] = xk, good, False
    return out, solved
