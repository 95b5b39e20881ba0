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

from solver.core.budget import UNBOUNDED, Budget
from solver.core.tolerances import QRE_NEWTON, QRE_RESIDUAL, QRE_ROUNDING
from solver.equilibria.qre.form import Floats, Form, jacobian, start

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


def _tangent(jac: Floats, prev: Floats) -> Floats:
    aug = np.vstack([jac, prev])
    rhs = np.zeros(aug.shape[0])
    rhs[-1] = 1.0
    t = np.linalg.solve(aug, rhs)
    return np.asarray(t / np.linalg.norm(t), dtype=float)


def _orientation(jac: Floats, t: Floats) -> float:
    """The sign of ``det [J; t]``: it changes where the branch passes a simple bifurcation point
    (Allgower & Georg 1990, section 8.1), not at a turning point."""
    return float(np.linalg.slogdet(np.vstack([jac, t]))[0])


def _correct(form: Form, pred: Floats, t: Floats, h: float) -> tuple[Floats, int, Floats] | None:
    """Newton on the equations plus the hyperplane through ``pred`` normal to ``t``: the point,
    the iterations it took and the Jacobian there, or None."""
    z = pred.copy()
    last = np.inf
    for it in range(CORRECTOR_STEPS):
        res, jac = jacobian(form, z)
        try:
            dz = np.linalg.solve(np.vstack([jac, t]), np.append(-res, 0.0))
        except np.linalg.LinAlgError:
            return None
        size = float(np.abs(dz).max())
        if not np.isfinite(size):
            return None
        if (it == 0 and size > min(0.5 * h, MAX_CORRECTION)) or (it > 0 and size > 0.5 * last):
            # refused, unless z already solves the equations to rounding: then the Newton step is
            # rounding amplified by a nearly singular Jacobian (near a bifurcation), not a way back
            return (z, it, jac) if float(np.abs(res).max()) <= _rounding(form, z) else None
        z = z + dz
        last = size
        if size <= QRE_NEWTON * max(1.0, float(np.abs(z).max())):
            res, jac = jacobian(form, z)
            return (z, it + 1, jac) if float(np.abs(res).max()) <= QRE_RESIDUAL * max(1.0, abs(z[-1])) else None
    return None


def _rounding(form: Form, x: Floats) -> float:
    """The residual the logit equations can be solved to in floats at ``x``: their terms (``y``
    and ``lam`` times the payoffs) times :data:`~solver.core.tolerances.QRE_ROUNDING`."""
    scale = max(1.0, float(np.abs(x[:-1]).max()), abs(float(x[-1])) * float(np.abs(form.payoffs).max(initial=0.0)))
    return QRE_ROUNDING * scale


def fixed_lambda(form: Form, y0: Floats, lam: float) -> Floats | None:
    """Newton's method on the logit equations at ``lam`` from ``y0``; the solution or None."""
    y = y0.copy()
    last = np.inf
    for _ in range(FIXED_STEPS):
        res, jac = jacobian(form, np.append(y, lam))
        try:
            dy = np.linalg.solve(jac[:, :-1], -res)
        except np.linalg.LinAlgError:
            return None
        if not np.isfinite(dy).all():
            return None
        size = float(np.abs(dy).max())
        if size > 0.5 * last and float(np.abs(res).max()) <= _rounding(form, np.append(y, lam)) and (y <= 0).all():
            return y  # stopped contracting at rounding level (near a bifurcation, the Jacobian is singular)
        last = size
        y = y + np.clip(dy, -2.0, 2.0)  # damped: log-probabilities move at most e^2-fold a step
        if float(np.abs(dy).max()) <= QRE_NEWTON * max(1.0, float(np.abs(y).max())):
            res, _ = jacobian(form, np.append(y, lam))
            ok = float(np.abs(res).max()) <= QRE_RESIDUAL * max(1.0, abs(lam)) and (y <= 0).all()
            return y if ok else None
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
        _, jac = jacobian(form, x)
        e = np.zeros(x.size)
        e[-1] = 1.0
        t = _tangent(jac, e)
        out.points.append(x)
        sign = _orientation(jac, t)
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
        z, its, jac = got
        tn = _tangent(jac, t)
        if float(tn @ t) < MIN_COS:  # the tangent turned too far: the step may have jumped
            h *= 0.5
            continue
        if np.sign(tn[-1]) != np.sign(t[-1]) and tn[-1] != 0 and t[-1] != 0:
            out.turning.append(float(z[-1]))
        now = _orientation(jac, tn)
        if now * sign < 0:
            if h > BIFURCATION_STEP:  # a jump onto a sheet traversed the other way, or a bifurcation
                h *= 0.5
                continue
            out.bifurcations.append((float(x[-1]), float(z[-1])))
        sign = now if now != 0 else sign
        _hit(form, x, z, goal, out)
        x, t = z, tn
        out.points.append(x)
        h *= accel if its <= 3 else (1.0 if its <= 5 else 0.7)
        budget.report("tracing the logit branch", min(1.0, float(x[-1]) / lambda_max))
    out.status = "steps" if len(out.hits) < len(goal) else "done"
    return out


def _hit(form: Form, x: Floats, z: Floats, goal: list[float], out: Trace) -> None:
    """The targets between ``x`` and ``z`` (not hit before), solved at their exact lambda."""
    lo, hi = sorted((float(x[-1]), float(z[-1])))
    for k, v in enumerate(goal):
        if not lo <= v <= hi or hi == lo or (v == float(x[-1]) and k in out.hits):
            continue
        s = (v - float(x[-1])) / (float(z[-1]) - float(x[-1]))
        guess = (1 - s) * x[:-1] + s * z[:-1]
        y = fixed_lambda(form, guess, v)
        point = np.append(guess if y is None else y, v)
        out.crossings.append((k, point))
        if k in out.hits:
            continue
        if y is None:
            out.rough.add(k)
        out.hits[k] = point
