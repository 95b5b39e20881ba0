"""Predictor-corrector path following for the logit equations of :mod:`.form`.

The principal branch of the logit QRE correspondence is the curve of solutions ``(y, lam)`` of
the logit equations through uniform play at ``lam = 0`` (McKelvey & Palfrey 1995, "Quantal
response equilibria for normal form games", GEB 10:6-38: for almost every game it is a smooth
curve whose limit is a Nash equilibrium).  It is followed as a curve in arclength, not
in ``lam``, so it may fold back in ``lam`` (a *turning point*, reported) and carry on (Turocy
2005, "A dynamic homotopy interpretation of the logistic quantal response equilibrium
correspondence", GEB 51:243-263; Allgower & Georg 1990, "Numerical Continuation Methods",
ch. 2 and 6, for the Euler predictor, the Newton corrector on the hyperplane normal to the
tangent, and the step-size control).

The step grows by ``accel`` after an easy correction and halves after a failed one (a Newton
step that does not contract, a first correction longer than half the step or than
``MAX_CORRECTION``, or a tangent that turned by more than ``arccos(MIN_COS)``); the tangent is
the Jacobian's kernel, oriented along the previous one.  A step that would be refused for its
Newton correction is accepted when the point already solves the equations to rounding
(``QRE_ROUNDING`` times their terms' size): near a bifurcation the Jacobian is nearly singular and
the correction is rounding amplified by it, never below ``QRE_NEWTON`` (in symmetric games the
tracer stalled there, halving its step to nothing).  Target lambdas crossed by a step are
hit exactly by Newton's method on the equations with ``lam`` fixed.  Where the orientation
``det [J; t]`` changes sign across a step, either the step jumped onto a sheet of the curve that
the branch traverses the other way (across a narrow S-shaped double fold; the step is refused and
halved) or, when the step is already shorter than ``BIFURCATION_STEP``, the branch has passed a
bifurcation point (games with a symmetry, such as the battle of the sexes): the trace goes
straight on, along the branch it was on, and reports the lambdas between which it happened.

>>> from solver.core.game import Game
>>> from solver.equilibria.qre.form import game_form
>>> t = trace(game_form(Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])), 50.0)
>>> t.status, float(t.hits[0][-1])
('done', 50.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg.lapack import dgesv as _dgesv

from solver.core.budget import UNBOUNDED, Budget
from solver.core.tolerances import QRE_NEWTON, QRE_RESIDUAL, QRE_ROUNDING
from solver.equilibria.qre.form import Floats, Form, augmented, start

#: Newton iterations per correction, and per fixed-lambda solve
CORRECTOR_STEPS = 8
FIXED_STEPS = 60
#: the first arclength step, the most the step may grow by after an easy correction, the smallest
#: step tried before the tracer gives up
FIRST_STEP = 0.03
ACCEL = 1.5
MIN_STEP = 2.0**-40
#: a step is refused when its first Newton correction is longer than this (in log-probabilities
#: and lambda) or half the step: the predictor may have left the branch's basin for another's
MAX_CORRECTION = 0.1
#: a step is refused when the tangent turns by more than the angle of this cosine (a step across
#: a fold, or onto another branch, turns it sharply)
MIN_COS = 0.95
#: the orientation ``det [J; t]`` changing sign is believed (a bifurcation) only across a step
#: shorter than this; a longer step is refused: across a narrow S-shaped double fold, a step can
#: land on the middle sheet, which the branch traverses the other way
BIFURCATION_STEP = 1e-4
#: Newton's method counts as converging quadratically when a step is at most this fraction of the
#: one before (then the next step is estimated from the two; see ``_settled``)
CONTRACTION = 0.01
#: the most steps one trace takes
MAX_STEPS = 20000


@dataclass
class Trace:
    """What a trace found: the accepted points ``(y, lam)`` in order, the points at the targets
    (target index -> point), the lambdas of the turning points, and how it ended: ``"done"``
    (reached the last target), ``"budget"`` (time ran out), ``"stalled"`` (the step shrank to
    nothing: a singular point) or ``"steps"`` (the step cap)."""

    points: list[Floats] = field(default_factory=list)
    hits: dict[int, Floats] = field(default_factory=dict)
    turning: list[float] = field(default_factory=list)
    status: str = "done"
    #: targets where Newton's method at the exact lambda failed (their point is interpolated)
    rough: set[int] = field(default_factory=set)
    #: every crossing of a target, in the order met: (target index, point)
    crossings: list[tuple[int, Floats]] = field(default_factory=list)
    #: lambdas of the two points between which the orientation ``det [J; t]`` changed sign: a
    #: bifurcation (other branches cross this one there; in a game with a symmetry, typically)
    bifurcations: list[tuple[float, float]] = field(default_factory=list)
    #: where the trace stopped: (point, tangent, step, orientation), to go on from (``resume``)
    state: tuple[Floats, Floats, float, float] | None = None


def _tangent(aug: Floats) -> tuple[Floats, float] | None:
    """The unit tangent ``x / |x|`` with ``[J; t_prev] x = e`` (``aug`` is ``[J; t_prev]``) and
    the sign of ``det [J; x / |x|]``: it changes where the branch passes a simple bifurcation
    point (Allgower & Georg 1990, section 8.1), not at a turning point.  By the matrix
    determinant lemma ``det [J; x] = det(aug) |x|^2`` (as ``t_prev . x = 1``), so the sign is read
    off LU factors of ``aug``.  None if ``aug`` is singular.  (``x`` from ``numpy.linalg.solve``:
    at the deep forks of symmetric games the branch followed depends on its rounding.)"""
    n = aug.shape[0]
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    try:
        x = np.linalg.solve(aug, rhs)
    except np.linalg.LinAlgError:
        return None
    if not np.isfinite(x).all():
        return None
    lu, piv = _dgesv(aug, rhs)[:2]
    swaps = int(np.count_nonzero(piv != np.arange(n)))  # scipy's pivots are 0-based
    neg = int(np.count_nonzero(np.diagonal(lu) < 0))
    unit = np.asarray(x / float(np.sqrt(x @ x)), dtype=np.float64)
    return unit, -1.0 if (swaps + neg) % 2 else 1.0


def _correct(form: Form, pred: Floats, t: Floats, h: float) -> tuple[Floats, int, Floats] | None:
    """Newton on the equations plus the hyperplane through ``pred`` normal to ``t``: the point,
    the iterations it took and the system ``[J; t]`` (the tangent's), or None.  The iteration
    whose step is below :data:`~solver.core.tolerances.QRE_NEWTON` is the last: its step is added
    and the system it was computed from, at most that far from the point, serves the tangent (one
    evaluation fewer than evaluating again at the point)."""
    z = pred
    last = np.inf
    for it in range(CORRECTOR_STEPS):
        res, aug = augmented(form, z, t)
        dz, info = _dgesv(aug, -res)[2:]
        if info != 0:
            return None
        size = float(np.abs(dz).max())
        if not size < np.inf:  # nan or inf
            return None
        tol = QRE_NEWTON * max(1.0, float(np.abs(z).max()))
        if it > 0 and size <= tol:
            return (z + dz, it, aug) if _solves(form, z + dz, res) else None
        if _settled(size, last, tol):
            return z + dz, it, aug
        if (it == 0 and size > min(0.5 * h, MAX_CORRECTION)) or (it > 0 and size > 0.5 * last):
            # refused, unless z already solves the equations to rounding: then the Newton step is
            # rounding amplified by a nearly singular Jacobian (near a bifurcation), not a way back
            return (z, it, aug) if float(np.abs(res).max()) <= _rounding(form, z) else None
        z = z + dz
        last = size
    return None


def _solves(form: Form, x: Floats, before: Floats) -> bool:
    """The residual at ``x`` is below :data:`~solver.core.tolerances.QRE_RESIDUAL` (times
    ``max(1, lam)``): read off ``before``, the residual where the negligible Newton step to ``x``
    started, when that is already small enough (it only shrinks), else evaluated at ``x``."""
    bound = QRE_RESIDUAL * max(1.0, abs(float(x[-1])))
    if float(np.abs(before).max()) <= bound:
        return True
    return float(np.abs(augmented(form, x)[0]).max()) <= bound


def _settled(size: float, last: float, tol: float) -> bool:
    """Newton's method has converged to ``tol`` with the step of ``size`` just taken: the last two
    steps contract fast (``theta = size / last <= CONTRACTION``) and the error left after this
    step, bounded as for a contraction by ``theta / (1 - theta) * size`` (Deuflhard 2004, "Newton
    Methods for Nonlinear Problems", section 2.1), is below ``tol``.  Saves the evaluation and the
    step that would only confirm it."""
    return last < np.inf and size <= CONTRACTION * last and size * size <= tol * (last - size)


def _rounding(form: Form, x: Floats) -> float:
    """The residual the logit equations can be solved to in floats at ``x``: their terms (``y``
    and ``lam`` times the payoffs) times :data:`~solver.core.tolerances.QRE_ROUNDING`."""
    scale = max(1.0, float(np.abs(x[:-1]).max()), abs(float(x[-1])) * float(np.abs(form.payoffs).max(initial=0.0)))
    return QRE_ROUNDING * scale


def fixed_lambda(form: Form, y0: Floats, lam: float) -> Floats | None:
    """Newton's method on the logit equations at ``lam`` from ``y0``; the solution or None (its
    log-probabilities at most ``QRE_RESIDUAL``: a probability of one may round above it)."""
    y = y0.copy()
    last = before = np.inf
    for _ in range(FIXED_STEPS):
        res, aug = augmented(form, np.append(y, lam))
        dy, info = _dgesv(aug[:-1, :-1], -res[:-1])[2:]
        if info != 0 or not np.isfinite(dy).all():
            return None
        res, size, valid = res[:-1], float(np.abs(dy).max()), bool((y <= QRE_RESIDUAL).all())
        if size > 0.5 * last and float(np.abs(res).max()) <= _rounding(form, np.append(y, lam)) and valid:
            return y  # stopped contracting at rounding level (near a bifurcation, the Jacobian is singular)
        before, last = last, size
        y = y + np.clip(dy, -2.0, 2.0)  # damped: log-probabilities move at most e^2-fold a step
        tol, valid = QRE_NEWTON * max(1.0, float(np.abs(y).max())), bool((y <= QRE_RESIDUAL).all())
        if size <= tol:
            return y if _solves(form, np.append(y, lam), res) and valid else None
        if _settled(size, before, tol) and size <= 2.0:
            return y if valid else None
    return None


def trace(
    form: Form,
    lambda_max: float,
    targets: Sequence[float] = (),
    *,
    budget: Budget = UNBOUNDED,
    first_step: float = FIRST_STEP,
    accel: float = ACCEL,
    max_steps: int = MAX_STEPS,
    every: bool = False,
    resume: Trace | None = None,
) -> Trace:
    """Follow the principal branch from ``lam = 0`` until it reaches ``lambda_max`` (hit
    exactly, the last point), hitting each of ``targets`` on the way (their first crossing; with
    ``every``, the trace goes on to ``lambda_max`` and keeps every crossing in ``crossings``).
    ``resume``: go on from where that trace stopped instead (its points are not repeated)."""
    goal = sorted({*(float(v) for v in targets if 0 <= v <= lambda_max), float(lambda_max)})
    out = Trace()
    if resume is not None and resume.state is not None:
        x, t, h, sign = resume.state
    else:
        x = np.append(start(form), 0.0)
        e = np.zeros(x.size)
        e[-1] = 1.0
        t, sign = _tangent(augmented(form, x, e)[1]) or (e, 1.0)  # never None: regular at lambda = 0
        out.points.append(x)
        for k, v in enumerate(goal):
            if v == 0:
                out.hits[k] = x
        h = first_step
    for _ in range(max_steps):
        out.state = (x, t, h, sign)
        if len(out.hits) == len(goal) and (not every or float(x[-1]) >= goal[-1]):
            return out
        if budget.expired():
            out.status = "budget"
            return out
        got = _correct(form, x + h * t, t, h)
        if got is None:
            h *= 0.5
            if h < MIN_STEP:
                out.status = "stalled"
                return out
            continue
        z, its, aug = got
        tangent = _tangent(aug)
        if tangent is None or float(tangent[0] @ t) < MIN_COS:  # the tangent turned too far: the step may have jumped
            h *= 0.5
            continue
        tn, now = tangent
        if np.sign(tn[-1]) != np.sign(t[-1]) and tn[-1] != 0 and t[-1] != 0:
            out.turning.append(float(z[-1]))
        if now * sign < 0:
            if h > BIFURCATION_STEP:  # a jump onto a sheet traversed the other way, or a bifurcation
                h *= 0.5
                continue
            out.bifurcations.append((float(x[-1]), float(z[-1])))
        sign = now if now != 0 else sign
        _hit(form, x, z, goal, out, t, tn)
        x, t = z, tn
        out.points.append(x)
        h *= accel if its <= 3 else (1.0 if its <= 5 else 0.7)
        budget.report("tracing the logit branch", min(1.0, float(x[-1]) / lambda_max))
    out.status = "steps" if len(out.hits) < len(goal) else "done"
    return out


def _hit(form: Form, x: Floats, z: Floats, goal: list[float], out: Trace, tx: Floats, tz: Floats) -> None:
    """The targets between ``x`` and ``z`` (not hit before), solved at their exact lambda from
    the cubic Hermite interpolant of the step (points ``x``, ``z``, unit tangents ``tx``, ``tz``)."""
    lo, hi = sorted((float(x[-1]), float(z[-1])))
    for k, v in enumerate(goal):
        if not lo <= v <= hi or hi == lo or (v == float(x[-1]) and k in out.hits):
            continue
        guess = _hermite(x, z, tx, tz, v)
        y = fixed_lambda(form, guess, v)
        point = np.append(guess if y is None else y, v)
        out.crossings.append((k, point))
        if k in out.hits:
            continue
        if y is None:
            out.rough.add(k)
        out.hits[k] = point


def _hermite(x: Floats, z: Floats, tx: Floats, tz: Floats, v: float) -> Floats:
    """The log-probabilities where the cubic Hermite interpolant between ``x`` and ``z`` (chord
    length times the unit tangents as end slopes; Allgower & Georg 1990, section 6.3) has
    ``lam = v``: the fraction ``s`` from the linear interpolation in lambda, refined by Newton's
    method on the cubic; the linear guess where that leaves ``[0, 1]``."""
    d = float(np.sqrt((z - x) @ (z - x)))
    lx, lz, sx, sz = float(x[-1]), float(z[-1]), d * float(tx[-1]), d * float(tz[-1])
    s = lin = (v - lx) / (lz - lx)
    for _ in range(3):
        s2, s3 = s * s, s * s * s
        lam = (2 * s3 - 3 * s2 + 1) * lx + (s3 - 2 * s2 + s) * sx + (3 * s2 - 2 * s3) * lz + (s3 - s2) * sz
        slope = (6 * s2 - 6 * s) * lx + (3 * s2 - 4 * s + 1) * sx + (6 * s - 6 * s2) * lz + (3 * s2 - 2 * s) * sz
        if slope == 0:
            break
        s -= (lam - v) / slope
    if not 0.0 <= s <= 1.0:
        return np.asarray((1 - lin) * x[:-1] + lin * z[:-1], dtype=float)
    s2, s3 = s * s, s * s * s
    out = (2 * s3 - 3 * s2 + 1) * x + (s3 - 2 * s2 + s) * d * tx + (3 * s2 - 2 * s3) * z + (s3 - s2) * d * tz
    return np.asarray(out[:-1], dtype=float)
