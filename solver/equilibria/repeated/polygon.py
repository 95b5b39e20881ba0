"""Convex polygons in the payoff plane: hulls, clipping to a quadrant, Hausdorff distances.

Hulls by Andrew's monotone chain (Andrew 1979), in exact rationals or floats (with a collinearity
slack; :func:`hull_order` gives the vertices' indices among plain float coordinates); clipping to
``w_i >= c`` by Sutherland & Hodgman (1974); the Hausdorff distance between convex polygons is
attained at a vertex (the distance to a convex set is a convex function), so it is the largest
vertex-to-polygon distance either way, vectorised with numpy.

>>> from fractions import Fraction as F
>>> pd = [(F(3), F(3)), (F(0), F(5)), (F(5), F(0)), (F(1), F(1))]   # prisoner's dilemma payoffs
>>> hull = convex_hull(pd)
>>> [tuple(map(str, p)) for p in hull]
[('5', '0'), ('3', '3'), ('0', '5'), ('1', '1')]
>>> [tuple(map(str, p)) for p in clip_above(clip_above(hull, 0, F(1)), 1, F(1))]
[('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')]
>>> hausdorff([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)], [(0.0, 0.0), (2.0, 0.0), (0.0, 1.0)])
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Point = tuple[Any, Any]
FloatArray = npt.NDArray[np.float64]


def _cross(o: Point, a: Point, b: Point) -> Any:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[Point], eps: float = 0.0) -> list[Point]:
    """Vertices of the convex hull, counter-clockwise from the lowest-leftmost; a segment or a
    point when the points are collinear.  ``eps`` (floats): afterwards a vertex within ``eps`` of
    the segment joining its neighbours is dropped (rounding noise); exact input uses 0."""
    pts = sorted({(p[0], p[1]) for p in points})
    if len(pts) <= 2:
        return pts
    hull: list[Point] = []
    for chain in (pts, pts[::-1]):  # lower hull left to right, then upper right to left
        half: list[Point] = []
        for x, y in chain:
            while len(half) >= 2:
                (ox, oy), (ax, ay) = half[-2], half[-1]
                if (ax - ox) * (y - oy) - (ay - oy) * (x - ox) > 0:
                    break
                half.pop()
            half.append((x, y))
        hull += half[:-1]
    if eps > 0:
        hull = _simplified(hull, eps)
    return _start_low(hull)


def hull_order(xs: list[float], ys: list[float], eps: float) -> list[int]:
    """Indices of the convex hull's vertices among the float points ``(xs[j], ys[j])``,
    counter-clockwise from the lowest (then leftmost), as :func:`convex_hull` with slack ``eps``
    would list them (one index per distinct point; near-collinear vertices dropped).

    >>> hull_order([0.0, 1.0, 0.5, 1.0, 0.0], [0.0, 0.0, 0.2, 1.0, 0.0], 1e-12)
    [0, 1, 3]
    """
    pts = sorted(zip(xs, ys, range(len(xs)), strict=True))
    if len(pts) == 2 and pts[0][:2] == pts[1][:2]:
        return [pts[0][2]]
    if len(pts) <= 2:
        return [p[2] for p in pts]
    hull: list[tuple[float, float, int]] = []
    for chain in (pts, pts[::-1]):  # lower hull left to right, then upper right to left
        half: list[tuple[float, float, int]] = []
        for p in chain:
            x, y = p[0], p[1]
            while len(half) >= 2:
                (ox, oy, _), (ax, ay, _) = half[-2], half[-1]
                if (ax - ox) * (y - oy) - (ay - oy) * (x - ox) > 0:
                    break
                half.pop()
            half.append(p)
        hull += half[:-1]
    if _needs_simplifying(hull, eps):
        kept = _simplified([(x, y) for x, y, _ in hull], eps)
        index = {(x, y): j for x, y, j in hull}
        hull = [(x, y, index[x, y]) for x, y in kept]
    low = min(range(len(hull)), key=lambda j: (hull[j][1], hull[j][0]))
    return [j for _, _, j in hull[low:] + hull[:low]]


def _needs_simplifying(hull: list[tuple[float, float, int]], eps: float) -> bool:
    """Whether :func:`_simplified` would drop a vertex (squared distances: no roots)."""
    e2 = eps * eps
    for k in range(len(hull)):
        (ax, ay, _), (vx, vy, _), (bx, by, _) = hull[k - 1], hull[k], hull[(k + 1) % len(hull)]
        cross = (vx - ax) * (by - ay) - (vy - ay) * (bx - ax)
        if (vx - ax) ** 2 + (vy - ay) ** 2 <= e2 or cross * cross <= e2 * ((bx - ax) ** 2 + (by - ay) ** 2):
            return True
    return False


def _simplified(hull: list[Point], eps: float) -> list[Point]:
    """Drop vertices within ``eps`` of the chord (the segment, not its line) between their
    neighbours, until none is.  The segment matters for a flat hull (collinear points up to
    rounding): there the end of the segment lies near the line through its two neighbours, but
    far from the chord between them, and it must stay.

    >>> _simplified([(0.0, 0.0), (0.5, 0.5 + 1e-15), (1.0, 1.0)], 1e-12)
    [(0.0, 0.0), (1.0, 1.0)]
    """
    changed = True
    while changed and len(hull) > 1:
        changed = False
        for k in range(len(hull)):
            a, v, b = hull[k - 1], hull[k], hull[(k + 1) % len(hull)]
            ex, ey = b[0] - a[0], b[1] - a[1]
            chord2 = ex * ex + ey * ey
            chord = chord2**0.5
            near = ((v[0] - a[0]) ** 2 + (v[1] - a[1]) ** 2) ** 0.5
            along = (v[0] - a[0]) * ex + (v[1] - a[1]) * ey  # v's projection on the chord, times it
            between = -eps * chord <= along <= chord2 + eps * chord
            if near <= eps or (len(hull) > 2 and between and abs(_cross(a, v, b)) <= eps * chord):
                del hull[k]
                changed = True
                break
    return hull


def _start_low(hull: list[Point]) -> list[Point]:
    """The same cycle, starting at the vertex with the lowest (second, first) coordinates."""
    k = min(range(len(hull)), key=lambda j: (hull[j][1], hull[j][0]))
    return hull[k:] + hull[:k]


def clip_above(poly: Sequence[Point], axis: int, c: Any) -> list[Point]:
    """The part of a convex polygon (vertices in order) with coordinate ``axis`` at least ``c``
    (exact for rationals); empty when none is."""
    if not poly:
        return []
    if len(poly) == 1:
        return list(poly) if poly[0][axis] >= c else []
    out: list[Point] = []
    ring = list(poly) if len(poly) > 2 else [poly[0], poly[1]]
    for k, p in enumerate(ring):
        q = ring[(k + 1) % len(ring)]
        if p[axis] >= c:
            out.append(p)
        if (p[axis] - c) * (q[axis] - c) < 0:
            t = (c - p[axis]) / (q[axis] - p[axis])
            x = p[1 - axis] + t * (q[1 - axis] - p[1 - axis])
            out.append((c, x) if axis == 0 else (x, c))
    return convex_hull(out)


def _distances(points: FloatArray, poly: FloatArray, tol: float) -> FloatArray:
    """Distance of each point to the convex polygon ``poly`` (counter-clockwise vertices)."""
    a = poly
    b = np.roll(poly, -1, axis=0)
    ab = b - a
    length2 = np.einsum("ij,ij->i", ab, ab)
    rel = points[:, None, :] - a[None, :, :]
    safe = np.where(length2 > 0, length2, 1.0)
    t = np.clip(np.einsum("kij,ij->ki", rel, ab) / safe, 0.0, 1.0)
    nearest = a[None, :, :] + t[:, :, None] * ab[None, :, :]
    d = np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
    if len(poly) >= 3:
        cross = ab[None, :, 0] * rel[:, :, 1] - ab[None, :, 1] * rel[:, :, 0]
        d = np.where((cross >= -tol).all(axis=1), 0.0, d)
    return np.asarray(d, dtype=float)


def hausdorff(p: Sequence[Point] | FloatArray, q: Sequence[Point] | FloatArray, tol: float = 0.0) -> float:
    """Hausdorff distance between two convex polygons given by their vertices in order (either
    orientation is read as counter-clockwise after a check); ``inf`` when exactly one is empty."""
    pa, qa = _ccw(np.asarray(p, dtype=float)), _ccw(np.asarray(q, dtype=float))
    if len(pa) == 0 or len(qa) == 0:
        return 0.0 if len(pa) == len(qa) else float("inf")
    return float(max(_distances(pa, qa, tol).max(), _distances(qa, pa, tol).max()))


def _ccw(poly: FloatArray) -> FloatArray:
    poly = poly.reshape(-1, 2)
    if len(poly) >= 3:
        x, y = poly[:, 0], poly[:, 1]
        if float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) < 0:
            return poly[::-1].copy()
    return poly


def area(poly: Sequence[Point]) -> Any:
    """Signed area (shoelace), exact for rationals."""
    total: Any = 0
    for k, p in enumerate(poly):
        q = poly[(k + 1) % len(poly)]
        total += p[0] * q[1] - p[1] * q[0]
    return total / 2
