"""Every isolated root of an indifference system in the probability box, by certified subdivision.

The system of a support profile (:mod:`.supports`) is *multilinear*: no variable appears squared,
since a player's equations never involve that player's own probabilities.  So the exact range of
an equation over a box is spanned by its values at the box's corners, and those values come from
one tensor contraction per player, batched over every box at once.  The search (in the spirit of
Gambit's ``enumpoly`` subdivision, with the exclusion test made exact and the inclusion test made
rigorous) keeps a list of boxes in ``[0, 1]^m``:

* a box is dropped when some equation's corner values all have one sign (with a rounding margin,
  ``SUBDIVISION_ROUNDING``) or when it lies outside a player's simplex (``sum x > 1``);
* a box is *certified* by the Krawczyk test (Krawczyk 1969; Moore, Kearfott & Cloud 2009,
  "Introduction to Interval Analysis", section 8.2) on the box inflated by 10%: with ``c`` its
  centre, ``Y`` the inverse Jacobian at ``c`` and ``J(X)`` the Jacobian's exact range over the box
  (its entries are multilinear too), ``|Y f(c)| + (|I - Y mid J| + |Y| rad J) r < r`` proves that
  the box holds exactly one root, which Newton's method from ``c`` then finds;
* every other box is halved along its widest side.

No isolated nonsingular root is lost: a box is only dropped when it provably holds no root.  A
singular root or a continuum of solutions never certifies; when a box gets narrower than
``SUBDIVISION_WIDTH`` (or the box count ``MAX_BOXES`` is reached) the search gives up and returns
``None``, and the caller falls back to exact algebra.

>>> import numpy as np
>>> from solver.equilibria.nplayer.multilinear import layout
>>> u = np.zeros((3, 2, 2, 2))   # McKelvey & McLennan's 2x2x2 game
>>> u[:, 0, 0, 0], u[:, 1, 1, 0] = (9, 8, 12), (9, 8, 2)
>>> u[:, 0, 1, 1] = u[:, 1, 0, 1] = (3, 4, 6)
>>> [roots] = isolate(layout(list(u), [((0, 1), (0, 1), (0, 1))]))
>>> sorted(round(float(r[0]), 6) for r in roots)   # player 1's second strategy, 2 mixed equilibria
[0.5, 0.6]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.tolerances import FLOOR, PROBABILITY, SUBDIVISION_ROUNDING, SUBDIVISION_WIDTH
from solver.equilibria.nplayer.exact_roots import rational_root
from solver.equilibria.nplayer.groebner import Solutions
from solver.equilibria.nplayer.multilinear import (
    Array,
    Index,
    Layout,
    block_values,
    corners,
    inverse,
    jacobian,
    points,
    values,
)
from solver.equilibria.nplayer.supports import System

#: boxes examined per support before handing it to exact algebra
MAX_BOXES = 200_000
#: the Krawczyk test runs on the box inflated by this fraction of its half-width (a root on a
#: shared side, as a dyadic rational is after halving, is then inside some test box)
INFLATE = 0.1
#: certified only if the Krawczyk bound is below this fraction of the half-width
CONTRACTION = 0.99

#: up to this many unknowns, boxes the cheap test keeps get the exact range of ``Y f`` (over all
#: ``2**m`` corners of the box)
EXACT_COMBINATION_UP_TO = 10
#: ... and only while it rules out at least this fraction of the boxes it is given
EXACT_COMBINATION_YIELD = 0.1

Mask = npt.NDArray[np.bool_]


def _krawczyk(
    lay: Layout, lo: Array, hi: Array, sid: Index, vals: list[Array], margin: Array, exact: bool, tally: list[int]
) -> tuple[Mask, Array, Array, Array]:
    """Krawczyk's operator on every box: which boxes provably hold exactly one root (tested on
    the box inflated by ``INFLATE``), and each box cut down to ``X & K(X)``, which holds all of its
    roots (empty, ``lo > hi``, where it has none).  ``vals`` (every equation at every corner)
    also rule a box out when a preconditioned combination ``(Y f)_v`` (multilinear too, so its
    corner values span its range) keeps one sign on it."""
    m = lo.shape[1]
    c = (lo + hi) / 2
    r = (hi - lo) / 2
    wide = r * (1 + INFLATE)
    jlo, jhi = jacobian(lay, corners(lay, c - wide, c + wide), sid)
    mid, rad = (jlo + jhi) / 2, (jhi - jlo) / 2
    y, ok = inverse(mid)
    f = values(lay, points(lay, c), sid)[:, :, 0]
    spread = np.abs(np.eye(m)[None] - y @ mid) + np.abs(y) @ rad
    centre = c - np.einsum("nij,nj->ni", y, f)
    ok &= np.all(np.abs(centre - c) + np.einsum("nij,nj->ni", spread, wide) < CONTRACTION * wide, axis=1)
    half = np.einsum("nij,nj->ni", spread, r) * (1 + SUBDIVISION_ROUNDING) + SUBDIVISION_ROUNDING
    usable = np.isfinite(half).all(axis=1) & np.isfinite(centre).all(axis=1)
    low, high = np.zeros_like(lo), np.zeros_like(lo)
    for b, v in zip(lay.blocks, vals, strict=True):  # (Y f)_v's range is within the sum of its parts'
        part = y[:, :, b.rows] @ v
        low += part.min(axis=2)
        high += part.max(axis=2)
    slack = np.einsum("nij,nj->ni", np.abs(y), margin)
    none = usable & np.any((low > slack) | (high < -slack), axis=1)
    rest = np.flatnonzero(usable & ~none & ~ok)
    if len(rest) and exact:  # the exact range over all 2**m corners, for the boxes still kept
        full = y[rest] @ values(lay, corners(lay, lo[rest], hi[rest]), sid[rest])
        none[rest] = np.any((full.min(axis=2) > slack[rest]) | (full.max(axis=2) < -slack[rest]), axis=1)
        tally[0] += len(rest)
        tally[1] += int(np.count_nonzero(none[rest]))
    half[none] = -1.0
    new_lo = np.where(usable[:, None], np.maximum(lo, centre - half), lo)
    new_hi = np.where(usable[:, None], np.minimum(hi, centre + half), hi)
    # the maximal smear (Kearfott 1996): split where an equation's value can move the most
    steep = np.maximum(np.abs(jlo), np.abs(jhi)) / np.maximum(margin, FLOOR)[:, :, None]
    return ok, new_lo, new_hi, steep.max(axis=1)


def _newton(lay: Layout, x: Array, sid: Index) -> Array:
    """Newton's method from the centres of certified boxes (each holds one root, and the
    Krawczyk contraction makes the iteration converge to it)."""
    for _ in range(8 if len(x) else 0):
        vecs = points(lay, x)
        y = inverse(jacobian(lay, vecs, sid)[0])[0]
        x = x - np.einsum("nij,nj->ni", y, values(lay, vecs, sid)[:, :, 0])
    return x


def _halve(lo: Array, hi: Array, sid: Index, smear: Array) -> tuple[Array, Array, Index]:
    """Halve every box along the side of largest smear."""
    axis = np.argmax(smear, axis=1)
    rows = np.arange(len(lo))
    mid = (lo[rows, axis] + hi[rows, axis]) / 2
    lo2, hi1 = lo.copy(), hi.copy()
    hi1[rows, axis] = mid
    lo2[rows, axis] = mid
    return np.concatenate([lo, lo2]), np.concatenate([hi1, hi]), np.concatenate([sid, sid])


def _clip(lay: Layout, lo: Array, hi: Array) -> Array:
    """Upper bounds cut to each player's simplex: ``x_v <= 1 - (sum of the player's other lower
    bounds)``; a box whose lower corner is already outside gets ``hi < lo`` (empty)."""
    hi = hi.copy()
    for o, mj in zip(lay.offsets, lay.nvars, strict=True):
        if mj:
            group = lo[:, o : o + mj]
            room = 1 + SUBDIVISION_ROUNDING - (group.sum(axis=1, keepdims=True) - group)
            hi[:, o : o + mj] = np.minimum(hi[:, o : o + mj], room)
    return hi


def isolate(lay: Layout, budget: Budget = UNBOUNDED, max_boxes: int = MAX_BOXES) -> list[list[Array] | None]:
    """Per support of ``lay``: every isolated root in ``[0, 1]^m`` (a superset of those in the
    simplices, plus perhaps roots just outside), or ``None`` when the search cannot certify them
    all (a singular root, a continuum of solutions, or ``max_boxes`` / ``budget`` spent)."""
    count, m = lay.blocks[0].coeffs.shape[0], sum(lay.nvars)
    margin = np.concatenate(
        [np.abs(b.coeffs).reshape(count, b.coeffs.shape[1], -1).sum(axis=2) for b in lay.blocks], axis=1
    ) * SUBDIVISION_ROUNDING
    lo, hi, sid = np.zeros((count, m)), np.ones((count, m)), np.arange(count)
    failed = np.zeros(count, dtype=bool)
    seen = np.zeros(count, dtype=np.int64)
    found: list[tuple[Array, Index]] = []
    tally = [0, 0]  # boxes given the exact combination test, and boxes it ruled out
    while len(lo):
        seen += np.bincount(sid, minlength=count)
        failed |= seen > max_boxes
        if budget.expired():
            failed[sid] = True
        hi = _clip(lay, lo, hi)
        live = np.all(lo <= hi, axis=1) & ~failed[sid]
        lo, hi, sid = lo[live], hi[live], sid[live]
        if not len(lo):
            break
        vals = block_values(lay, corners(lay, lo, hi), sid)
        low = np.concatenate([v.min(axis=2) for v in vals], axis=1)
        high = np.concatenate([v.max(axis=2) for v in vals], axis=1)
        keep = ~np.any((low > margin[sid]) | (high < -margin[sid]), axis=1)
        lo, hi, sid, vals = lo[keep], hi[keep], sid[keep], [v[keep] for v in vals]
        if not len(lo):
            break
        exact = m <= EXACT_COMBINATION_UP_TO and tally[1] >= EXACT_COMBINATION_YIELD * tally[0]
        ok, cut_lo, cut_hi, steep = _krawczyk(lay, lo, hi, sid, vals, margin[sid], exact, tally)
        found.append(((lo[ok] + hi[ok]) / 2, sid[ok]))
        keep = ~ok & np.all(cut_lo <= cut_hi, axis=1)
        lo, hi, sid = cut_lo[keep], cut_hi[keep], sid[keep]
        failed[sid[np.max(hi - lo, axis=1) < SUBDIVISION_WIDTH]] = True
        smear = np.where(np.isfinite(steep[keep]), steep[keep], 1.0) * (hi - lo) + (hi - lo) * SUBDIVISION_ROUNDING
        lo, hi, sid = _halve(lo, hi, sid, smear)
    centres = np.concatenate([np.zeros((0, m)), *(c for c, _ in found)])
    owners = np.concatenate([np.zeros(0, dtype=np.intp), *(s for _, s in found)])
    roots = _newton(lay, centres, owners)
    return [None if failed[s] else _distinct(list(roots[owners == s])) for s in range(count)]


def _distinct(roots: list[Array]) -> list[Array]:
    """One copy of each root (certified boxes may overlap after inflation)."""
    out: list[Array] = []
    for x in roots:
        if all(float(np.max(np.abs(x - y))) > SUBDIVISION_WIDTH for y in out):
            out.append(x)
    return out


def _in_simplices(system: System, x: Array) -> bool:
    """Every probability of the support at least ``-PROBABILITY`` (else no equilibrium)."""
    for o, mj in zip(system.offsets, system.nvars, strict=True):
        group = x[o : o + mj]
        if mj and (float(group.min()) < -PROBABILITY or float(group.sum()) > 1 + PROBABILITY):
            return False
    return True


def as_solutions(system: System, roots: list[Array]) -> Solutions:
    """The certified roots that are probability vectors, as :class:`Solutions`: exact rationals
    where a root is rational (:func:`.exact_roots.rational_root`, checked exactly on ``system``),
    Newton-polished floats otherwise."""
    rational, approx = [], []
    for x in roots:
        if not _in_simplices(system, x):
            continue
        q = rational_root(system.polys, list(x))
        if q is None:
            approx.append(tuple(float(v) for v in x))
        else:
            rational.append(q)
    return Solutions(rational, approx, 0, True)
