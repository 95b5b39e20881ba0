"""Many games of one shape (or one tree's structure), their principal branches traced at once.

The games share a :class:`~solver.equilibria.qre.form.Form`'s structure (its incidence, choices
and chance) and differ in their payoffs, ``(B, outcomes, players)``: a parameter sweep of one
model.  Each game's branch is followed in arclength as in :mod:`.trace` (Euler predictor, Newton
on the normal hyperplane, the same refusals: a long first correction, a slow contraction, a sharp
turn of the tangent, a flip of the orientation ``det [J; t]``), with its own step size, all games
in one array: the Jacobians are built with ``einsum`` and solved by numpy's batched
``linalg.solve``.  A game is done at its branch's first crossing of ``lam``, where Newton's method
with lambda fixed lands on it exactly.  Games not done within ``MAX_ROUNDS`` rounds, or whose
orientation flips at the smallest step (a bifurcation, as in symmetric games), are reported
unsolved: :func:`solver.equilibria.qre.branch.qre_at` handles them one by one.

>>> from solver.core.game import Game
>>> from solver.equilibria.qre.form import game_form
>>> f = game_form(Game.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]]))
>>> probs, ok = qre_many(f, np.stack([f.payoffs, 2 * f.payoffs]), 1.0)
>>> np.round(probs[:, [0, 2]], 6).tolist(), ok.tolist()  # 2 * payoffs at 1: payoffs at 2
([[0.893576, 0.31278], [0.860754, 0.191078]], [True, True])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from solver.core.tolerances import QRE_NEWTON, QRE_RESIDUAL
from solver.equilibria.qre.form import Floats, Form, start

Bools = npt.NDArray[np.bool_]

#: rounds of predictor-corrector, Newton steps per correction and at the end, first step, growth
MAX_ROUNDS = 2000
CORRECT = 5
FINAL = 30
FIRST = 0.03
GROW = 1.5
SMALLEST = 2.0**-30
#: refusals, as in :mod:`.trace`
MAX_CORRECTION = 0.1
MIN_COS = 0.95


def system(form: Form, pay: Floats, x: Floats) -> tuple[Floats, Floats]:
    """Residuals ``(B, m)`` and Jacobians ``(B, m, m + 1)`` of the logit equations of games
    with payoffs ``pay`` ``(B, outcomes, players)`` at ``x = (y, lam)`` ``(B, m + 1)``."""
    y, lam = x[:, :-1], x[:, -1]
    log_r = form.log_chance + y @ form.incidence.T  # (B, P)
    masked = log_r[:, :, None] + form.off  # (B, P, m)
    top = masked.max(axis=1, keepdims=True)
    w = np.exp(masked - np.where(np.isfinite(top), top, 0.0))
    w /= np.maximum(w.sum(axis=1, keepdims=True), np.finfo(float).tiny)
    own = pay[:, :, form.owner]  # (B, P, m)
    v = (w * own).sum(axis=1)  # (B, m)
    dv = np.swapaxes(w * (own - v[:, None, :]), 1, 2) @ form.incidence  # (B, m, m)
    m, h = form.n_actions, form.n_choices
    p = np.exp(y)
    jac = np.zeros((x.shape[0], m, m + 1))
    jac[:, form.choice, np.arange(m)] = p
    dif_v = v @ form.diff.T  # (B, m - h)
    jac[:, h:, :m] = form.diff[None] - lam[:, None, None] * (form.diff @ dv)
    jac[:, h:, m] = -dif_v
    sums = p @ (form.choice[:, None] == np.arange(h)).astype(float)
    res = np.concatenate([sums - 1.0, y @ form.diff.T - lam[:, None] * dif_v], axis=1)
    return res, jac


def _tangent(jac: Floats, prev: Floats) -> tuple[Floats, Floats]:
    aug = np.concatenate([jac, prev[:, None, :]], axis=1)
    rhs = np.zeros(aug.shape[:2])
    rhs[:, -1] = 1.0
    t = np.linalg.solve(aug, rhs[..., None])[..., 0]
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    sign = np.linalg.slogdet(np.concatenate([jac, t[:, None, :]], axis=1))[0]
    return t, sign


def qre_many(form: Form, pay: Floats, lam: float) -> tuple[Floats, Bools]:
    """``(probs, solved)``: each game's action probabilities ``(B, m)`` at the first crossing of
    ``lam`` by its principal branch, and whether it was reached and solved."""
    pay = np.asarray(pay, dtype=float)
    n = pay.shape[0]
    x = np.tile(np.append(start(form), 0.0), (n, 1))
    e = np.zeros_like(x)
    e[:, -1] = 1.0
    _, jac = system(form, pay, x)
    t, sign = _tangent(jac, e)
    h = np.full(n, FIRST)
    out, solved = np.tile(np.exp(start(form)), (n, 1)), np.zeros(n, dtype=bool)
    live = np.full(n, lam > 0)
    solved[:] = lam <= 0
    for _ in range(MAX_ROUNDS):
        idx = np.flatnonzero(live)
        if not idx.size:
            break
        sub, x0, t0, hh = pay[idx], x[idx], t[idx], h[idx]
        z = x0 + hh[:, None] * t0
        ok = np.ones(idx.size, dtype=bool)
        last = np.full(idx.size, np.inf)
        for it in range(CORRECT):
            res, jac = system(form, sub, z)
            aug = np.concatenate([jac, t0[:, None, :]], axis=1)
            rhs = np.concatenate([-res, np.zeros((idx.size, 1))], axis=1)
            with np.errstate(all="ignore"):
                dz = np.linalg.solve(aug, rhs[..., None])[..., 0]
            size = np.abs(dz).max(axis=1)
            done = size <= QRE_NEWTON * np.maximum(1.0, np.abs(z).max(axis=1))
            bound = np.minimum(0.5 * hh, MAX_CORRECTION) if it == 0 else 0.5 * last
            ok &= np.isfinite(size) & (done | (size <= bound))
            z = z + np.where(ok[:, None], dz, 0.0)
            last = size
        res, jac = system(form, sub, z)
        scale = np.maximum(1.0, np.abs(z).max(axis=1))
        ok &= (np.abs(res).max(axis=1) <= QRE_RESIDUAL * scale) & (last <= np.sqrt(QRE_NEWTON) * scale)
        tn, now = _tangent(jac, t0)
        ok &= ((tn * t0).sum(axis=1) >= MIN_COS) & (now * sign[idx] > 0)
        fail = idx[~ok]
        h[fail] *= 0.5
        live[fail[h[fail] < SMALLEST]] = False
        acc = idx[ok]
        x[acc], t[acc], h[acc], sign[acc] = z[ok], tn[ok], hh[ok] * GROW, now[ok]
        crossed = ok & (z[:, -1] >= lam)
        if crossed.any():
            k = idx[crossed]
            s = (lam - x0[crossed, -1]) / (z[crossed, -1] - x0[crossed, -1])
            y, good = _fixed(
                form, sub[crossed], (1 - s)[:, None] * x0[crossed, :-1] + s[:, None] * z[crossed, :-1], lam
            )
            out[k], solved[k], live[k] = np.exp(y), good, False
    return out, solved


def _fixed(form: Form, pay: Floats, y: Floats, lam: float) -> tuple[Floats, Bools]:
    """Newton's method with lambda fixed, every game at once."""
    lams = np.full((y.shape[0], 1), lam)
    for _ in range(FINAL):
        res, jac = system(form, pay, np.concatenate([y, lams], axis=1))
        with np.errstate(all="ignore"):
            dy = np.linalg.solve(jac[:, :, :-1], -res[..., None])[..., 0]
        dy = np.where(np.isfinite(dy), dy, 0.0)
        y = y + np.clip(dy, -2.0, 2.0)
        if float(np.abs(dy).max()) <= QRE_NEWTON:
            break
    res, _ = system(form, pay, np.concatenate([y, lams], axis=1))
    return y, np.abs(res).max(axis=1) <= QRE_RESIDUAL * max(1.0, lam)
