"""Vertices of the best-response polytopes of a bimatrix game, with their full label sets.

With payoffs shifted to be positive, the best-response polytopes are (von Stengel 2007,
"Equilibrium computation for two-player games in strategic and extensive form", Sec. 3.3)

    P = {x in R^m : x >= 0, B^T x <= 1}     Q = {y in R^n : A y <= 1, y >= 0}

written as ``g z <= h`` with rows in label order: ``0..m-1`` for the row strategies (``x_i = 0``
resp. ``(A y)_i = 1``), ``m..m+n-1`` for the columns.  Vertices come from Qhull
(``scipy.spatial``) as the facets of the polar polytope, as in QuantEcon's
``vertex_enumeration``; small polytopes instead solve every ``d``-subset of constraints in one
batched numpy call, which is faster there.  Each vertex gets its *full* label set by evaluating
every constraint (Qhull triangulates degenerate facets).  Exact vertices are re-solved in
rationals from their tight constraints (:func:`rational_vertices`).

>>> rps = np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]]] * 2, dtype=float) + 2
>>> [(len(z), t.sum(axis=1).tolist(), degenerate) for z, t, degenerate, _ in float_vertices(rps)]
[(7, [3, 3, 3, 3, 3, 3, 3], False), (7, [3, 3, 3, 3, 3, 3, 3], False)]
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import ConvexHull, QhullError

from solver.core import linalg as exact_linalg
from solver.core import tolerances
from solver.equilibria.twoplayer.matching import BITS, weights

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
#: float vertices of one polytope: points, label sets, any degenerate vertex, rows with
#: ambiguous labels
Vertices = tuple[FloatArray, BoolArray, bool, BoolArray]
#: polytopes with (number of d-subsets of constraints) * d up to this skip Qhull (batched solves)
BATCH = 300


def systems(a: Any, b: Any, one: Any, zero: Any) -> list[tuple[list[list[Any]], list[Any]]]:
    """Constraint systems ``g z <= h`` of P (z = x) and Q (z = y), rows in label order."""
    m, n = len(a), len(a[0])
    gp = [[-one if i == k else zero for i in range(m)] for k in range(m)]
    gp += [[b[i][j] for i in range(m)] for j in range(n)]
    gq = [list(a[i]) for i in range(m)]
    gq += [[-one if j == k else zero for j in range(n)] for k in range(n)]
    return [(gp, [zero] * m + [one] * n), (gq, [one] * m + [zero] * n)]


@lru_cache(maxsize=64)
def _templates(m: int, n: int) -> tuple[FloatArray, FloatArray]:
    """Constant parts of the float systems of P (index 0) and Q (index 1), padded to a common
    width ``max(m, n)`` so that square games stack them in one array."""
    d = max(m, n)
    g, h = np.zeros((2, m + n, d)), np.zeros((2, m + n))
    g[0, :m, :m] = -np.eye(m)
    g[1, m:, :n] = -np.eye(n)
    h[0, m:] = h[1, :m] = 1.0
    return g, h


def float_systems(norm: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:func:`systems` in floats for positive payoffs ``norm`` of shape ``(2, m, n)``, stacked;
    for ``m != n`` the narrower system has zero padding columns."""
    m, n = norm.shape[1:]
    g, h = _templates(m, n)
    g = g.copy()
    g[0, m:, :m] = norm[1].T
    g[1, :m, :n] = norm[0]
    return g, h


@lru_cache(maxsize=128)
def _subsets(
    size: int, d: int, h: bytes
) -> tuple[npt.NDArray[np.intp], FloatArray, FloatArray]:
    """Every ``d``-subset of ``size`` constraints, the right-hand sides ``h`` (raw float64, one
    row per polytope) of each subset, and ``h`` shaped for the residuals; cached per shape."""
    sub = np.array(list(combinations(range(size), d)), dtype=np.intp).reshape(-1, d)
    rhs = np.frombuffer(h).reshape(-1, size)
    return sub, rhs[:, sub][..., None], rhs[:, None, :]


def _batched(g: FloatArray, h: FloatArray) -> list[tuple[FloatArray, FloatArray]]:
    """Vertices of small polytopes ``{z : g[p] z <= h[p]}`` (stacked along ``p``), by solving
    every ``d``-subset of constraints at once; no Qhull call."""
    sub, rhs, hrow = _subsets(*g.shape[1:], h.tobytes())
    mats = np.take(g, sub, axis=1)
    if g.shape[2] == 2:  # Cramer's rule: the common 2 x n case without LAPACK call overhead
        a00, a01, a10, a11 = mats[..., 0, 0], mats[..., 0, 1], mats[..., 1, 0], mats[..., 1, 1]
        r0, r1 = rhs[..., 0, 0], rhs[..., 1, 0]
        det = a00 * a11 - a01 * a10
        ok = np.abs(det) > tolerances.PIVOT  # a singular d-subset of (normalised) constraints
        inv = 1.0 / np.where(ok, det, 1.0)
        z = np.empty((*ok.shape, 2))
        z[..., 0] = (r0 * a11 - a01 * r1) * inv
        z[..., 1] = (a00 * r1 - a10 * r0) * inv
    else:
        ok = np.abs(np.linalg.det(mats)) > tolerances.PIVOT
        if ok.all():  # the generic case: one LAPACK call, no masking
            z = np.linalg.solve(mats, rhs)[..., 0]
        else:
            z = np.zeros((*ok.shape, g.shape[2]))
            z[ok] = np.linalg.solve(mats[ok], rhs[ok])[..., 0]
    resid = z @ g.transpose(0, 2, 1) - hrow
    tol = tolerances.FEASIBILITY
    keep = ok & (resid.max(axis=2) <= tol) & (z.max(axis=2) > tol)  # feasible, not the origin
    return [(z[p][keep[p]], np.abs(resid[p][keep[p]])) for p in range(len(g))]


def _qhull(g: FloatArray, h: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vertices of ``{z : g z <= h}`` and their constraint slacks, via the polar hull."""
    if g.shape[1] < 2:
        raise ValueError("Qhull needs dimension >= 2")
    c = 0.5 / float(g[h > 0].sum(axis=1).max())  # z0 = c * 1 is interior
    slack = h - c * g.sum(axis=1)
    eq = ConvexHull(g / slack[:, None]).equations
    z = eq[:, :-1] / -eq[:, -1:] + c
    resid = z @ g.T - h
    if resid.max() > tolerances.FEASIBILITY:
        raise ValueError("Qhull returned an infeasible vertex")
    keep = z.max(axis=1) > tolerances.FEASIBILITY  # not the origin
    return z[keep], np.abs(resid[keep])


def _distinct(z: FloatArray, tight: BoolArray) -> tuple[npt.NDArray[np.intp], bool]:
    """Rows to keep when dropping repeated label sets (a degenerate vertex, with more tight
    constraints than the dimension, is found from several constraint subsets or Qhull facets),
    and whether there is a degenerate vertex."""
    degenerate = bool(len(z) and tight.sum(axis=1).max() > z.shape[1])
    if not degenerate:
        return np.arange(len(z)), False
    if tight.shape[1] <= BITS:
        keys: list[Any] = (tight @ weights(tight.shape[1])).tolist()
    else:
        keys = [row.tobytes() for row in tight]
    first = sorted({k: r for r, k in reversed(list(enumerate(keys)))}.values())
    return np.array(first, dtype=np.intp), True


def labelled(z: FloatArray, resid: FloatArray, exact: bool, dim: int) -> Vertices:
    """Distinct vertices ``z`` with their label sets from the constraint residuals ``resid``,
    whether one is degenerate, and (``exact`` only) which rows have a constraint value
    ambiguously close to tight (their float labels are not trusted)."""
    tol = tolerances.FEASIBILITY
    tight = resid <= tol
    keep, degenerate = _distinct(z.reshape(-1, dim), tight)
    ambiguous: BoolArray = np.zeros(len(resid), dtype=np.bool_)
    if exact:
        ambiguous = np.asarray(((resid > tol) & (resid <= tolerances.AMBIGUOUS)).any(axis=1), dtype=np.bool_)
    return z[keep], tight[keep], degenerate, ambiguous[keep]


def float_vertices(norm: FloatArray, exact: bool = False, only: int | None = None) -> list[Vertices | None]:
    """Vertices (nonzero, distinct) of P and Q in floats for positive payoffs ``norm`` of shape
    ``(2, m, n)``, with their label sets, whether one is degenerate and (``exact`` only) which
    rows have a constraint value ambiguously close to tight; ``None`` where Qhull failed (or,
    with ``only`` = 0 or 1, for the polytope not asked for)."""
    m, n = norm.shape[1:]
    g, h = float_systems(norm)
    dims = (m, n)
    small = [comb(m + n, d) * d <= BATCH for d in dims]
    found: list[tuple[FloatArray, FloatArray] | None] = [None, None]
    if m == n and small[0] and only is None:
        found = list(_batched(g, h))
    for side, d in enumerate(dims):
        gs = g[side, :, :d]
        if only is not None and side != only:
            continue
        try:
            if found[side] is None:
                found[side] = (
                    _batched(gs[None], h[side][None])[0] if small[side] else _qhull(gs, h[side])
                )
        except (QhullError, ValueError, np.linalg.LinAlgError):
            continue
    return [None if f is None else labelled(*f, exact, d) for f, d in zip(found, dims, strict=True)]


def rational_vertices(
    g: list[list[Fraction]], h: list[Fraction], nonneg: slice, tight: BoolArray | None, rows: Any
) -> tuple[dict[int, tuple[Fraction, ...]], BoolArray]:
    """Exact vertices: ``rows`` of the float label sets re-solved, or (``tight=None``) all of
    them exhaustively.  Raises ``ArithmeticError`` when an exact label set differs from the
    float one."""
    if tight is not None:
        found: dict[int, tuple[Fraction, ...]] = {}
        for r in rows:
            labels = tuple(int(k) for k in np.flatnonzero(tight[r]))
            vertex = exact_linalg.vertex_at(g, h, labels)
            if vertex is None or vertex[1] != labels:
                raise ArithmeticError("float labels disagree with the exact vertex")
            found[int(r)] = vertex[0]
        return found, tight
    every = [
        v for v in exact_linalg.vertices(g, h) if not all(k in v[1] for k in range(len(g))[nonneg])
    ]
    lab = np.zeros((len(every), len(g)), dtype=bool)
    for r, (_, labels) in enumerate(every):
        lab[r, list(labels)] = True
    return {r: v[0] for r, v in enumerate(every)}, lab
