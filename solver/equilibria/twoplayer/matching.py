"""Completely labelled vertex pairs of the best-response polytopes, in memory proportional to
the vertex lists.

A pair ``(x, y)`` of vertices of P and Q is an extreme equilibrium when the union of their
label sets is all ``m + n`` labels (von Stengel 2007, Thm. 3.4).  Every vertex has at least its
dimension's number of labels (``m`` for P, ``n`` for Q), so when both are *nondegenerate*
(exactly ``m`` resp. ``n`` labels) their label sets are exact complements: a hash join (sort Q's
label codes, look up the complement of each P code) finds those pairs in ``O(N log N)``.  A pair
with a degenerate vertex (more labels than its dimension) needs a superset test; those vertices
are few in a generic game and are compared against the other list in bounded blocks, checking
the time budget between blocks.  No ``|V(P)| x |V(Q)|`` matrix is ever built.

>>> tx = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [1, 1, 1, 0]], dtype=bool)  # 3rd: degenerate
>>> ty = np.array([[0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1]], dtype=bool)
>>> m = complete_pairs(tx, ty, 2)
>>> sorted(zip(m.ix.tolist(), m.iy.tolist())), m.complete
([(0, 0), (1, 1), (2, 0), (2, 1), (2, 2)], True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget

BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]
#: label sets up to this size are matched as int64 bitmasks, larger ones as packed byte strings
BITS = 62
#: the superset test of degenerate vertices compares at most this many vertex pairs at once
BLOCK = 1 << 21


@dataclass(frozen=True)
class Matches:
    """Index pairs ``(ix[k], iy[k])`` of completely labelled vertex pairs; ``complete`` is False
    when the budget ran out before every degenerate vertex was compared."""

    ix: IndexArray
    iy: IndexArray
    complete: bool = True


def weights(size: int) -> npt.NDArray[np.int64]:
    """Bit weights ``2**k`` that turn a boolean label set into an int64 code."""
    return np.int64(1) << np.arange(size, dtype=np.int64)


def _codes(tight: BoolArray) -> npt.NDArray[np.generic]:
    """One sortable code per label set: an int64 bitmask, or (over :data:`BITS` labels) the
    packed bits as a fixed-width byte string."""
    if tight.shape[1] <= BITS:
        return tight @ weights(tight.shape[1])
    packed = np.packbits(tight, axis=1)
    return np.ascontiguousarray(packed).view(f"S{packed.shape[1]}").ravel()


def exact_complements(tx: BoolArray, ty: BoolArray) -> tuple[IndexArray, IndexArray]:
    """Pairs whose label sets are exact complements (sorted join, ``O(N log N)``)."""
    if not len(tx) or not len(ty):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    cy, want = _codes(ty), _codes(~tx)
    order = np.argsort(cy, kind="stable")
    sy = cy[order]
    lo = np.searchsorted(sy, want, "left")
    count = np.searchsorted(sy, want, "right") - lo
    ix = np.repeat(np.arange(len(tx)), count)
    offset = np.arange(len(ix)) - np.repeat(np.cumsum(count) - count, count)
    return ix, order[np.repeat(lo, count) + offset]


def _covering(
    tx: BoolArray, rows: IndexArray, ty: BoolArray, cols: IndexArray, budget: Budget
) -> tuple[list[IndexArray], list[IndexArray], bool]:
    """Pairs ``(rows[i], cols[j])`` whose label sets cover everything, compared in blocks of at
    most :data:`BLOCK` pairs; stops (``False``) when ``budget`` has expired."""
    out_x: list[IndexArray] = []
    out_y: list[IndexArray] = []
    if not len(rows) or not len(cols):
        return out_x, out_y, True
    size = tx.shape[1]
    if size <= BITS:  # bitmasks: the union covers everything
        full, cy = (1 << size) - 1, ty[cols] @ weights(size)
        cx = tx @ weights(size)
    else:  # missing labels; a product entry 0: nothing missing
        uy = (~ty[cols]).astype(np.float32)
    step = max(1, BLOCK // len(cols))
    for start in range(0, len(rows), step):
        if budget.expired():
            return out_x, out_y, False
        block = rows[start : start + step]
        if size <= BITS:
            hit_x, hit_y = np.nonzero((cx[block][:, None] | cy[None, :]) == full)
        else:
            hit_x, hit_y = np.nonzero((~tx[block]).astype(np.float32) @ uy.T == 0)
        out_x.append(block[hit_x])
        out_y.append(cols[hit_y])
    return out_x, out_y, True


def complete_pairs(tx: BoolArray, ty: BoolArray, m: int, budget: Budget = UNBOUNDED) -> Matches:
    """Completely labelled pairs of P's label sets ``tx`` (dimension ``m``) and Q's ``ty``.

    Nondegenerate pairs by :func:`exact_complements`; pairs with a degenerate vertex (more labels
    than its dimension) by a blockwise superset test of the degenerate vertices against the
    other list.  Memory is proportional to the vertex lists plus one block."""
    n = tx.shape[1] - m
    dx, dy = tx.sum(axis=1) > m, ty.sum(axis=1) > n
    nx, ny = np.flatnonzero(~dx), np.flatnonzero(~dy)
    jx, jy = exact_complements(tx[nx], ty[ny])
    xs, ys = [nx[jx]], [ny[jy]]
    every_y = np.arange(len(ty))
    bx, by, done = _covering(tx, np.flatnonzero(dx), ty, every_y, budget)
    xs += bx
    ys += by
    if done:
        bx, by, done = _covering(tx, nx, ty, np.flatnonzero(dy), budget)
        xs += bx
        ys += by
    return Matches(np.concatenate(xs).astype(np.intp), np.concatenate(ys).astype(np.intp), done)
