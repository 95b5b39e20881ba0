"""The principal-branch logit QRE of many 2x2 games at one lambda, all at once.

In a 2x2 game with ``p`` = P(Row plays its first strategy) and ``q`` = P(Column plays its
first), the logit QRE is the fixed point (McKelvey & Palfrey 1995, GEB 10:6-38, section 3)::

    p = logistic(lam * (alpha * q + beta)),   q = logistic(lam * (gamma * p + delta))

with ``alpha = a11 - a21 - a12 + a22``, ``beta = a12 - a22`` (Row's payoff gain of its first
strategy is ``alpha * q + beta``) and ``gamma``, ``delta`` likewise for Column.  In the log-odds
``x = logit(p)`` it is one equation ``F(x, lam) = x - lam * (alpha * g + beta) = 0`` with
``g = logistic(lam * (gamma * logistic(x) + delta))``.  Every game's principal branch is followed
in lockstep: equal steps in lambda from 0 (as many as :func:`plan` gives the game's group), a
Newton correction and an Euler predictor (``dx/dlam = -F_lam / F_x``) each, then Newton at
``lam``; chunks of games run on every core.  A game
whose slope ``F_x`` falls below :data:`~solver.core.tolerances.QRE_FOLD` on the way (its branch
folds back, or nearly) or whose residual stays above
:data:`~solver.core.tolerances.QRE_RESIDUAL` is marked, and ``fallback`` recomputes it with the
single-game tracer (:func:`solver.equilibria.qre.branch.qre_at`), so the answer is the principal
branch's first crossing of ``lam`` for every game.  So is a game that may have several QRE
(``alpha * gamma > 0``) and a near tie in a best reply at a pure profile (one of ``beta``,
``alpha + beta``, ``delta``, ``gamma + delta`` below :data:`~solver.core.tolerances.QRE_NEAR_TIE`
times the spread): its branch can fold back and forth within a step in lambda, unseen.

>>> a = np.array([[[9.0, 0.0], [0.0, 1.0]]]); b = np.array([[[0.0, 1.0], [1.0, 0.0]]])
>>> p, q, marked = qre_2x2(a, b, 2.0)
>>> round(float(p[0]), 9), round(float(q[0]), 9), int(marked.sum())
(0.860754394, 0.191078494, 0)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from solver.core.game import Game
from solver.core.tolerances import QRE_FOLD, QRE_NEAR_TIE, QRE_NEWTON, QRE_RESIDUAL
from solver.equilibria.qre.arclength2x2 import arclength_2x2, parts
from solver.equilibria.qre.branch import qre_at

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: a lockstep step moves lambda times the payoff gains' spread by at most this; Newton steps at
#: the end
STEP = 4.0
FINAL = 4
#: games with one QRE at every lambda (``alpha * gamma <= 0``) take this many times longer steps
UNIQUE = 1.0
#: a Newton correction longer than this times (the predictor's move + the step in lambda times
#: the payoff gains' spread) is a jump to another branch, or near one: the game is marked
JUMP = 0.5
#: games per chunk (a chunk's arrays stay in the processor's cache)
CHUNK = 1 << 15


def coefficients(a: Floats, b: Floats) -> tuple[Floats, Floats, Floats, Floats]:
    """``(alpha, beta, gamma, delta)`` of games with Row payoffs ``a`` and Column payoffs ``b``,
    each of shape ``(N, 2, 2)``."""
    beta = a[:, 0, 1] - a[:, 1, 1]
    delta = b[:, 1, 0] - b[:, 1, 1]
    return a[:, 0, 0] - a[:, 1, 0] - beta, beta, b[:, 0, 0] - b[:, 0, 1] - delta, delta


def _chunk(al: Floats, be: Floats, ga: Floats, de: Floats, lam: float, steps: int) -> tuple[Floats, Floats, Bools]:
    """One chunk of games traced in lockstep: per step one evaluation of ``F``, ``F_x`` and
    ``F_lam`` at the predicted point, a Newton correction there and the Euler predictor to the
    next lambda from the same derivatives; then Newton at ``lam``."""
    x = np.zeros_like(al)
    h = lam / steps
    spread = np.abs(al) + np.abs(be) + np.abs(ga) + np.abs(de)
    reach = h * spread
    several = al * ga > 0
    reach[~several] = np.inf  # F_x >= 1: one QRE at every lambda, no branch to jump to
    # a near tie in a best reply at a pure profile can fold the branch within one step
    tie = np.minimum(np.minimum(np.abs(be), np.abs(al + be)), np.minimum(np.abs(de), np.abs(ga + de)))
    bad = several & (tie < QRE_NEAR_TIE * spread)
    move = np.zeros_like(al)
    for k in range(steps):
        f, fx, flam = parts(x, k * h, al, be, ga, de)
        bad |= fx < QRE_FOLD
        corr = f / fx
        bad |= np.abs(corr) > JUMP * (np.abs(move) + reach)
        move = h * flam / fx
        x = x - corr - move
    for it in range(FINAL + 1):
        f, fx, _ = parts(x, lam, al, be, ga, de)
        bad |= fx < QRE_FOLD
        corr = f / fx
        if it == FINAL or float(np.abs(corr).max()) <= QRE_NEWTON:
            break
        x = x - corr
    bad |= ~(np.abs(f) <= QRE_RESIDUAL * (1.0 + np.abs(x)))
    p = expit(x)
    return p, expit(lam * (ga * p + de)), bad


def plan(al: Floats, be: Floats, ga: Floats, de: Floats, lam: float, step: float) -> npt.NDArray[np.int64]:
    """Each game's number of lockstep steps, as a power of two: its exponent, so that the steps
    are at least ``lam`` times the game's payoff gains' spread over ``step`` (over ``UNIQUE *
    step`` where the QRE is unique at every lambda, ``alpha * gamma <= 0``, so that
    ``F_x >= 1``)."""
    spread = lam * (np.abs(al) + np.abs(be) + np.abs(ga) + np.abs(de))
    need = np.maximum(1.0, np.where(al * ga > 0, spread / step, spread / (UNIQUE * step)))
    return np.asarray(np.ceil(np.log2(need)), dtype=np.int64)


def lockstep(al: Floats, be: Floats, ga: Floats, de: Floats, lam: float, step: float) -> tuple[Floats, Floats, Bools]:
    """``(p, q, marked)`` of games given by their coefficients: each group of games with the
    same :func:`plan` traced together, chunk by chunk."""
    n = al.size
    p, q, marked = np.empty(n), np.empty(n), np.zeros(n, dtype=bool)
    exps = plan(al, be, ga, de, lam, step)
    jobs = []
    for e in np.flatnonzero(np.bincount(exps)).tolist():
        group = np.flatnonzero(exps == e)
        jobs += [(group[lo : lo + CHUNK], 2**e) for lo in range(0, group.size, CHUNK)]

    def run(job: tuple[npt.NDArray[np.intp], int]) -> None:
        idx, count = job
        p[idx], q[idx], marked[idx] = _chunk(al[idx], be[idx], ga[idx], de[idx], lam, count)

    if len(jobs) > 1:  # numpy's ufuncs release the GIL: one thread per core
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(run, jobs))
    elif jobs:
        run(jobs[0])
    return p, q, marked


def qre_2x2(a: Floats, b: Floats, lam: float, *, fallback: bool = True) -> tuple[Floats, Floats, Bools]:
    """``(p, q, marked)`` for games with Row payoffs ``a`` and Column payoffs ``b`` (arrays of
    shape ``(N, 2, 2)``) at ``lam``: the probabilities of each player's first strategy on the
    principal branch.  The games the lockstep pass cannot vouch for (a fold, a jump or a
    residual) are traced in arclength by :func:`.arclength2x2.arclength_2x2`; ``marked``: those
    it did not solve either, recomputed (with ``fallback``) by the single-game tracer and still
    marked, so that a caller can count them."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 3 or a.shape[1:] != (2, 2):
        raise ValueError(f"payoffs must be two arrays of shape (N, 2, 2), not {a.shape} and {b.shape}")
    if not lam >= 0:
        raise ValueError(f"lambda must be >= 0, not {lam}")
    coef = coefficients(a, b)
    p, q, marked = lockstep(*coef, float(lam), STEP)
    again = np.flatnonzero(marked)
    if again.size:  # the games the lockstep pass cannot vouch for, traced in arclength
        s_al, s_be, s_ga, s_de = (c[again] for c in coef)
        x, solved = arclength_2x2(s_al, s_be, s_ga, s_de, float(lam))
        p[again] = expit(x)
        q[again] = expit(lam * (s_ga * p[again] + s_de))
        marked[again[solved]] = False
    if fallback:
        for k in np.flatnonzero(marked).tolist():
            game = Game.from_arrays(np.stack([a[k], b[k]]))
            vecs = qre_at(game, float(lam)).points[0].vectors
            p[k], q[k] = vecs[0][0], vecs[1][0]
    return p, q, marked


def qre_2x2_grid(payoffs: Floats, lam: float, *, fallback: bool = True) -> tuple[Floats, Floats, Bools]:
    """:func:`qre_2x2` on a payoff tensor of shape ``(2, 2, 2, *B)`` (players, Row's strategy,
    Column's strategy, then a batch of any shape ``B``, as
    :func:`solver.core.symbolic.batch_evaluator` returns it): ``(p, q, marked)`` of shape ``B``.

    >>> pay = np.array([[[9.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
    >>> p, q, _ = qre_2x2_grid(np.stack([pay, 2 * pay], axis=-1), 1.0)  # 2 * pay at 1: pay at 2
    >>> [round(float(v), 6) for v in p], [round(float(v), 6) for v in q]
    ([0.893576, 0.860754], [0.31278, 0.191078])
    """
    pay = np.asarray(payoffs, dtype=float)
    if pay.ndim < 3 or pay.shape[:3] != (2, 2, 2):
        raise ValueError(f"payoffs must have shape (2, 2, 2, ...), not {pay.shape}")
    batch = pay.shape[3:]
    flat = np.moveaxis(pay.reshape(2, 2, 2, -1), -1, 0)  # (N, player, row, column)
    p, q, marked = qre_2x2(flat[:, 0], flat[:, 1], lam, fallback=fallback)
    return p.reshape(batch), q.reshape(batch), marked.reshape(batch)
