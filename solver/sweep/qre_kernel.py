"""The logit QRE of a sweep's 2x2 games at one lambda: a direct solver where the QRE is unique,
the batched tracer (:mod:`solver.equilibria.qre.batched2x2`) elsewhere.

With ``p``, ``q`` the probabilities of each player's first strategy, the logit QRE of a 2x2 game
solves (McKelvey & Palfrey 1995, GEB 10:6-38, section 3) ``F(x) = x - lam * (alpha * g(x) +
beta) = 0`` in ``x = logit(p)``, with ``g(x) = logistic(lam * (gamma * logistic(x) + delta))``.
Its slope is ``F_x = 1 - lam^2 * alpha * gamma * p (1 - p) g (1 - g)``, and ``p (1 - p) g (1 - g)
<= 1/16``: where ``lam^2 * alpha * gamma < 16`` (always where ``alpha * gamma <= 0``, no pure
coordination: matching pennies, the Syria deconfliction game's cycle; and in coordination games
while lambda is small) ``F_x > 0``, so ``F`` is increasing, the QRE at ``lam`` is unique, and the
principal branch's point is simply the root of ``F``, bracketed by ``lam * (beta + min(alpha,
0))`` and ``lam * (beta + max(alpha, 0))``.  It is found by Newton's method safeguarded by
bisection (``rtsafe``, Press et al., *Numerical Recipes*, 3rd ed., sec. 9.4), every game of a
chunk at once: no tracing from
lambda = 0 at all.  The other games may have several QRE at ``lam`` and are traced by
:func:`~solver.equilibria.qre.batched2x2.qre_2x2` (lockstep, arclength), whose few unsolved games
go to the single-game tracer :func:`~solver.equilibria.qre.branch.qre_at` under the budget.

>>> al, be, ga, de = (np.array([v]) for v in (10.0, -1.0, -2.0, 1.0))  # asymmetric pennies
>>> p, q, ok = unique_2x2(al, be, ga, de, 2.0)
>>> round(float(p[0]), 9), round(float(q[0]), 9), bool(ok[0])
(0.860754394, 0.191078494, True)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from solver.core.budget import UNBOUNDED, Budget
from solver.core.game import Game
from solver.core.tolerances import QRE_NEWTON, QRE_RESIDUAL

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

#: safeguarded Newton steps taken on a whole chunk before the unconverged games are gathered
FIRST = 6
#: ... from a neighbour's root (every STRIDE-th game's)
WARM = 2
STRIDE = 16
#: the most further steps (bisection alone halves the bracket each time: 200 steps suffice
#: for any bracket of doubles)
MORE = 200
#: games per chunk (the chunk's arrays stay in the processor's cache)
CHUNK = 1 << 14
#: games with ``lam^2 * alpha * gamma`` below this (``F_x >= 1/16``) are solved directly
UNIQUE = 15.0


def one_game(subject: Any, lam: float, budget: Budget) -> tuple[tuple[float, ...], ...] | None:
    """The single-game tracer's QRE at ``lam`` (:func:`~solver.equilibria.qre.branch.qre_at`:
    per choice its action probabilities), or None when the budget ran out before it."""
    from solver.equilibria.qre.branch import qre_at

    if budget.expired():
        return None
    try:
        points = qre_at(subject, float(lam), budget=budget).points
    except IndexError:  # the budget ran out before the first point (qre_at has none to report)
        return None
    return points[0].vectors if points else None


def coefficients(pay: Floats) -> tuple[Floats, Floats, Floats, Floats]:
    """``(alpha, beta, gamma, delta)`` of games given as a payoff tensor ``(2, 2, 2, N)``
    (player, Row's strategy, Column's strategy, game), without copying the tensor.

    >>> pay = np.array([[[9.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])[..., None]
    >>> [float(c[0]) for c in coefficients(pay)]
    [10.0, -1.0, -2.0, 1.0]
    """
    beta = pay[0, 0, 1] - pay[0, 1, 1]
    delta = pay[1, 1, 0] - pay[1, 1, 1]
    return pay[0, 0, 0] - pay[0, 1, 0] - beta, beta, pay[1, 0, 0] - pay[1, 0, 1] - delta, delta


def _step(
    x: Floats, lo: Floats, hi: Floats, old: Floats, coef: tuple[Floats, ...]
) -> tuple[Floats, Floats, Floats, Floats]:
    """One safeguarded Newton step: ``(x, lo, hi, |move|)``; bisection where Newton would leave
    the bracket or shrink the step by less than half of the step before last (``old``).
    ``coef``: ``lam`` times alpha, beta, gamma, delta, and ``lam^2 alpha gamma`` (in place where
    it saves a pass over the arrays)."""
    lal, lbe, lga, lde, l2 = coef
    p = expit(x)
    g = np.multiply(lga, p)
    g += lde
    g = expit(g, out=g)
    f = np.multiply(lal, g)
    f += lbe
    np.subtract(x, f, out=f)
    slope = p - p * p
    slope *= g - g * g
    slope *= l2
    np.subtract(1.0, slope, out=slope)
    step = np.divide(f, slope, out=slope)
    up = f > 0
    hi = np.where(up, x, hi)
    lo = np.where(up, lo, x)
    new = x - step
    bisect = (new < lo) | (new > hi) | (np.abs(step) > 0.5 * old)
    np.copyto(new, 0.5 * (lo + hi), where=bisect)
    return new, lo, hi, np.abs(new - x)


def _root(al: Floats, be: Floats, ga: Floats, de: Floats, lam: float, start: Floats | None, first: int) -> Floats:
    """The root ``x`` of ``F`` per game: ``first`` safeguarded Newton steps on every game from
    ``start`` (default: one fixed-point pass from uniform play), then on the unconverged ones."""
    lo = lam * (be + np.minimum(al, 0.0))
    hi = lam * (be + np.maximum(al, 0.0))
    if start is None:
        start = lam * (al * expit(lam * (0.5 * ga + de)) + be)
    x = np.clip(start, lo, hi)
    coef = (lam * al, lam * be, lam * ga, lam * de, lam * lam * al * ga)
    old = hi - lo + 1.0
    move = old.copy()
    for _ in range(first):
        x, lo, hi, new = _step(x, lo, hi, old, coef)
        old, move = move, new
    live = np.flatnonzero(move > QRE_NEWTON * np.maximum(1.0, np.abs(x)))
    for _ in range(MORE):
        if not live.size:
            break
        sub = tuple(c[live] for c in coef)
        xs, lo[live], hi[live], new = _step(x[live], lo[live], hi[live], old[live], sub)
        x[live], old[live], move[live] = xs, move[live], new
        live = live[new > QRE_NEWTON * np.maximum(1.0, np.abs(xs))]
    return x


def unique_2x2(al: Floats, be: Floats, ga: Floats, de: Floats, lam: float) -> tuple[Floats, Floats, Bools]:
    """``(p, q, ok)`` of games with ``lam^2 * alpha * gamma <`` :data:`UNIQUE` (one QRE at ``lam``):
    the root of ``F`` by safeguarded Newton; ``ok`` where its residual passes
    :data:`~solver.core.tolerances.QRE_RESIDUAL`.  Neighbouring games (a sweep's grid in order)
    usually have nearby roots: every :data:`STRIDE`-th game is solved first and its root starts
    Newton's method for the games after it (only a start: every root is solved to the same
    tolerance)."""
    coarse = _root(al[::STRIDE], be[::STRIDE], ga[::STRIDE], de[::STRIDE], lam, None, FIRST)
    x = _root(al, be, ga, de, lam, np.repeat(coarse, STRIDE)[: al.size], WARM)
    p = expit(x)
    q = expit(lam * (ga * p + de))
    res = x - lam * (al * q + be)
    return p, q, np.abs(res) <= QRE_RESIDUAL * (1.0 + np.abs(x))


def _unique_chunks(coef: tuple[Floats, Floats, Floats, Floats], lam: float) -> tuple[Floats, Floats, Bools]:
    """:func:`unique_2x2` chunk by chunk, on every core (numpy releases the GIL)."""
    n = coef[0].size
    p, q, ok = np.empty(n), np.empty(n), np.zeros(n, dtype=bool)

    def run(lo: int) -> None:
        part = slice(lo, min(n, lo + CHUNK))
        al, be, ga, de = (c[part] for c in coef)
        p[part], q[part], ok[part] = unique_2x2(al, be, ga, de, lam)

    starts = range(0, n, CHUNK)
    if len(starts) > 1:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(run, starts))
    elif n:
        run(0)
    return p, q, ok


def qre_2x2_sweep(pay: Floats, lam: float, budget: Budget = UNBOUNDED) -> tuple[Floats, Floats, int, Bools]:
    """``(p, q, fallback, unsolved)`` of the games of a payoff tensor ``(2, 2, 2, N)`` at
    ``lam``, on the principal branch (its first crossing of ``lam``): games with one QRE at ``lam`` by
    :func:`unique_2x2`, the others by the batched tracer; ``fallback`` counts the games handed to
    the single-game tracer, ``unsolved`` the games it had no time for (``nan``).  Games with a
    non-finite payoff are ``nan`` too (and not counted unsolved).

    >>> pay = np.array([[[9.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
    >>> p, q, fb, un = qre_2x2_sweep(np.stack([pay, 2 * pay], axis=-1), 1.0)
    >>> [round(float(v), 6) for v in p], fb, bool(un.any())
    ([0.893576, 0.860754], 0, False)
    """
    from solver.equilibria.qre.batched2x2 import qre_2x2

    al, be, ga, de = coefficients(pay)
    n = al.size
    p, q = np.full(n, np.nan), np.full(n, np.nan)
    unsolved = np.zeros(n, dtype=bool)
    finite = np.isfinite(al) & np.isfinite(be) & np.isfinite(ga) & np.isfinite(de)
    with np.errstate(all="ignore"):
        easy = finite & (lam * lam * al * ga < UNIQUE)
    if easy.all():
        p, q, ok = _unique_chunks((al, be, ga, de), lam)
        hard = ~ok
    else:
        idx = np.flatnonzero(easy)
        p[idx], q[idx], ok = _unique_chunks((al[idx], be[idx], ga[idx], de[idx]), lam)
        hard = finite & ~easy
        hard[idx[~ok]] = True
    rest = np.flatnonzero(hard)
    fallback = 0
    if rest.size:  # a, b with the same coefficients (the QRE depends on nothing else)
        zero = np.zeros(rest.size)
        a = np.stack([al[rest] + be[rest], be[rest], zero, zero], axis=1).reshape(-1, 2, 2)
        b = np.stack([ga[rest] + de[rest], zero, de[rest], zero], axis=1).reshape(-1, 2, 2)
        p[rest], q[rest], marked = qre_2x2(a, b, lam, fallback=False)
        for k in np.flatnonzero(marked).tolist():
            vecs = one_game(Game.from_arrays(np.stack([a[k], b[k]]), exact=False), lam, budget)
            if vecs is not None:
                fallback += 1
                p[rest[k]], q[rest[k]] = vecs[0][0], vecs[1][0]
            else:
                p[rest[k]] = q[rest[k]] = np.nan
                unsolved[rest[k]] = True
    return p, q, fallback, unsolved
