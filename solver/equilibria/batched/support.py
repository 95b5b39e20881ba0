"""Batched support enumeration for two-player games (von Stengel 2007, §3.2 and Algorithm 3.4).

The kernel of support enumeration lives here once: the support pairs (:func:`equal_supports`)
and the indifference system of a support pair (:func:`indifference_system`), which the
single-game :func:`solver.equilibria.twoplayer.support.support_enumeration` solves for one game
(exactly, or by least squares) and :func:`bimatrix_batch` for a whole batch.

For every pair of equal-size supports (I, J), k >= 2, the indifference systems
``A[I, J] y = v 1, sum(y) = 1`` and ``B[I, J]^T x = w 1, sum(x) = 1`` are solved for all points of
the batch at once.  A candidate is an equilibrium where both solutions are positive and no
strategy outside the support does better.  Ties (a probability or a payoff gap within tolerance
of zero, or a consistent singular system) mark the point as *suspect*: it may be degenerate, and
the caller solves it exactly instead.

>>> import numpy as np
>>> A = np.array([[1., -1.], [-1., 1.]])[..., None]; B = -A
>>> f = bimatrix_batch(A, B, np.array([1e-9])); bool(f.suspect[0]), f.candidates[0].probs[0][0].tolist()
(False, [0.5, 0.5])
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.equilibria.batched.candidate import Candidate, Found

Array = npt.NDArray[Any]


def equal_supports(
    m: int, n: int, start: int = 1, surplus: int = 0
) -> Iterator[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Support pairs ``(I, J)`` of an m x n game with ``|J| = |I| + surplus``, by size ``|I|``
    from ``start`` up, then lexicographically (von Stengel 2007, Algorithm 3.4's loop).

    >>> list(equal_supports(2, 2))
    [((0,), (0,)), ((0,), (1,)), ((1,), (0,)), ((1,), (1,)), ((0, 1), (0, 1))]
    >>> list(equal_supports(2, 3, surplus=2))
    [((0,), (0, 1, 2)), ((1,), (0, 1, 2))]
    """
    for k in range(start, min(m, n - surplus) + 1):
        for rows in combinations(range(m), k):
            for cols in combinations(range(n), k + surplus):
                yield rows, cols


def indifference_system(sub: Array) -> tuple[Array, Array]:
    """The systems ``sub z = v 1, sum z = 1`` in the unknowns ``(z, v)``, stacked.

    ``sub`` has shape (N, e, k): ``e`` strategies of one player that must all earn the value
    ``v`` against the other player's mix ``z`` on ``k`` strategies.  Returns the (N, e+1, k+1)
    matrices and (N, e+1) right-hand sides; object arrays (exact fractions) stay object arrays,
    anything else becomes float.

    >>> mat, rhs = indifference_system(np.array([[[2, 0], [0, 1]]], dtype=object))
    >>> mat[0].tolist(), rhs[0].tolist()   # Battle of the sexes: 2 y0 = v, y1 = v, y0 + y1 = 1
    ([[2, 0, -1], [0, 1, -1], [1, 1, 0]], [0, 0, 1])
    """
    n, e, k = sub.shape
    dtype = object if sub.dtype == object else float
    mat = np.zeros((n, e + 1, k + 1), dtype=dtype)
    mat[:, :e, :k] = sub
    mat[:, :e, k] = -1
    mat[:, e, :k] = 1
    rhs = np.zeros((n, e + 1), dtype=dtype)
    rhs[:, e] = 1
    return mat, rhs


def _indifference(sub: Array) -> tuple[Array, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Solve sub z = v 1, sum z = 1 for each point; sub has shape (N, k, k).

    Returns (z with the value last, shape (N, k+1); solvable mask; consistent-singular mask).
    """
    n, k, _ = sub.shape
    mat, rhs = indifference_system(sub)
    scale = np.maximum(1.0, np.abs(sub).max(axis=(1, 2)))
    det = np.linalg.det(mat / scale[:, None, None])
    ok = np.abs(det) > tolerances.SINGULAR
    z = np.zeros((n, k + 1))
    if ok.any():
        z[ok] = np.linalg.solve(mat[ok], rhs[ok][..., None])[..., 0]
    singular_consistent = np.zeros(n, dtype=bool)
    bad = ~ok
    if bad.any():
        pinv = np.linalg.pinv(mat[bad])
        zz = (pinv @ rhs[bad][..., None])[..., 0]
        resid = np.abs((mat[bad] @ zz[..., None])[..., 0] - rhs[bad]).max(axis=1)
        singular_consistent[bad] = resid <= tolerances.RESIDUAL * scale[bad]
    return z, ok, singular_consistent


def _pair_k2(
    a: Array, r: list[int], c: list[int], tol: Array
) -> tuple[Array, Array, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Closed form for k = 2 on the (m, n, N) layout: (z (N, 2), value, solvable, tie-singular).

    Solves d0 z0 + d1 z1 = 0, z0 + z1 = 1 with d = A[r0, c] - A[r1, c] (Cramer's rule).
    """
    d0 = a[r[0], c[0]] - a[r[1], c[0]]
    d1 = a[r[0], c[1]] - a[r[1], c[1]]
    den = d1 - d0
    ok = np.abs(den) > tol
    with np.errstate(all="ignore"):
        z0 = np.where(ok, d1 / np.where(ok, den, 1.0), 0.0)
    z1 = 1.0 - z0
    value = a[r[0], c[0]] * z0 + a[r[0], c[1]] * z1
    singular_tie = ~ok & (np.abs(d0) <= tol)
    return np.stack([z0, z1], axis=1), value, ok, singular_tie


def bimatrix_batch(a: Array, b: Array, tol: Array) -> Found:
    """Mixed candidates (k >= 2) and the suspect-point mask.

    ``a``, ``b`` have shape (m, n, N): the row and column player's payoffs at each point.
    """
    m, n, npts = a.shape
    bT = np.swapaxes(b, 0, 1)  # (n, m, N): the column player's payoffs, rows = own strategies
    suspect = np.zeros(npts, dtype=bool)
    cands: list[Candidate] = []
    ptol = tolerances.PROBABILITY
    at = bt = None
    for rows, cols in equal_supports(m, n, start=2):
        k, r, c = len(rows), list(rows), list(cols)
        if k == 2:
            zy_, v, oky, sy = _pair_k2(a, r, c, tol)
            zx_, w, okx, sx = _pair_k2(bT, c, r, tol)
        else:
            if at is None:
                at, bt = np.moveaxis(a, -1, 0), np.moveaxis(b, -1, 0)
            assert at is not None and bt is not None
            zy, oky, sy = _indifference(at[:, r][:, :, c])
            zx, okx, sx = _indifference(np.swapaxes(bt[:, r][:, :, c], 1, 2))
            zy_, v, zx_, w = zy[:, :k], zy[:, k], zx[:, :k], zx[:, k]
        suspect |= sy | sx
        zy_cols = [zy_[:, t] for t in range(k)]
        zx_cols = [zx_[:, t] for t in range(k)]
        # payoffs of every pure strategy against the candidate mixtures, (m, N) and (n, N)
        row_pay = a[:, c[0]] * zy_cols[0]
        for t in range(1, k):
            row_pay = row_pay + a[:, c[t]] * zy_cols[t]
        col_pay = bT[:, r[0]] * zx_cols[0]
        for t in range(1, k):
            col_pay = col_pay + bT[:, r[t]] * zx_cols[t]
        zy_min = np.minimum.reduce(zy_cols)
        zx_min = np.minimum.reduce(zx_cols)
        y_side = oky & (zy_min >= -ptol) & (row_pay.max(0) <= v + tol)
        x_side = okx & (zx_min >= -ptol) & (col_pay.max(0) <= w + tol)
        # ties: a zero probability, or more best responses than the support size
        y_tie = (zy_min <= ptol) | (np.count_nonzero(row_pay >= v - tol, axis=0) > k)
        x_tie = (zx_min <= ptol) | (np.count_nonzero(col_pay >= w - tol, axis=0) > k)
        suspect |= (y_side & y_tie) | (x_side & x_tie)
        mask = y_side & x_side & ~y_tie & ~x_tie
        if mask.any():
            x = np.zeros((npts, m))
            x[:, r] = zx_
            y = np.zeros((npts, n))
            y[:, c] = zy_
            cands.append(Candidate((rows, cols), mask, (x, y), (v, w)))
    return Found(tuple(cands), suspect)
