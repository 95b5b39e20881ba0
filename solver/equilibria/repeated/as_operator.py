"""One application of the Abreu-Sannikov operator ``R`` to a float polygon, labelled.

Abreu & Sannikov (2014), "An algorithm for two-player repeated games with perfect monitoring",
Theoretical Economics 9, 313-338.  For every action profile ``a`` the operator generates either
the payoff ``g(a)`` itself (slot 0: when ``g(a) >= IC(a)`` and ``g(a)`` lies in the polygon ``w``)
or ``(1 - delta) g(a) + delta c`` for the ends ``c`` of ``w ∩ {x >= IC(a)}`` on the two
incentive lines (slots 1-4: line ``x_0 = IC_0`` top and bottom, line ``x_1 = IC_1`` right and
left); the new polygon is their convex hull.  :func:`step` also returns which (profile, slot)
each new vertex came from: while those labels repeat, ``R`` is a smooth map of the vertex
coordinates, which :mod:`solver.equilibria.repeated.as_anderson` extrapolates.

The polygon is its bounding box cut by the half-planes ``n . x <= b`` of its edges (outward
normals ``n``; a segment's two edges pin it to its line), so its slice by the incentive line
``x_i = c`` runs between the largest lower and the smallest upper bound those half-planes put on
the other coordinate at ``c`` (clipped into the box: an end on the line).  The loops run over
plain floats: for the handful of profiles and edges of a small game that beats numpy's per-call
cost several times over.

>>> import numpy as np
>>> pd = stage(np.array([[9.0, 1.0], [10.0, 3.0]]), np.array([[9.0, 10.0], [1.0, 3.0]]), 0.9)
>>> w = np.array([[3.0, 3.0], [9.75, 3.0], [9.0, 9.0], [3.0, 9.75]])   # its payoff set
>>> new, labels, threat = step(w, np.array([3.0, 3.0]), pd)
>>> new.round(6).tolist(), threat.tolist(), labels
([[3.0, 3.0], [9.75, 3.0], [9.0, 9.0], [3.0, 9.75]], [3.0, 3.0], [15, 13, 0, 6])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solver.core.tolerances import REPEATED_GEOMETRY, scaled
from solver.equilibria.repeated.polygon import hull_order

FloatArray = npt.NDArray[np.float64]

#: candidate slots per action profile: the payoff itself, then four ends on the incentive lines
SLOTS = 5


@dataclass(frozen=True)
class Stage:
    """What every application of ``R`` needs, computed once per game and discount factor."""

    pay: FloatArray  # (P, 2) stage payoffs g(a), profiles row-major
    delta: float
    geo: float  # geometric slack: REPEATED_GEOMETRY times the payoff scale
    scale: float  # the payoff scale (spread of the payoffs, at least 1)
    #: per profile, as floats: g(a); h(a) = (1 - delta)/delta times the best deviation gains, so
    #: IC(a) = threat + h(a); keep(a) = g(a) - h(a) + geo (g(a) >= IC(a) within geo
    #: iff keep(a) >= the threat point); rest(a) = (1 - delta) g(a), a generated point's first part
    rows: tuple[tuple[float, float, float, float, float, float, float, float], ...]


def stage(u0: FloatArray, u1: FloatArray, delta: float) -> Stage:
    """The :class:`Stage` of the game with payoff matrices ``u0`` (row) and ``u1`` (column)."""
    pay = np.stack([u0.ravel(), u1.ravel()], axis=1)
    gain = np.stack([(u0.max(axis=0) - u0).ravel(), (u1.max(axis=1, keepdims=True) - u1).ravel()], axis=1)
    h = (1.0 - delta) / delta * gain  # IC(a) = threat + h(a)
    scale = max(float(pay.max() - pay.min()), 1.0)
    geo = scaled(REPEATED_GEOMETRY, scale)
    keep, rest = pay - h + geo, (1.0 - delta) * pay
    rows = tuple((gx, gy, hx, hy, kx, ky, rx, ry) for (gx, gy), (hx, hy), (kx, ky), (rx, ry)
                 in zip(pay.tolist(), h.tolist(), keep.tolist(), rest.tolist(), strict=True))
    return Stage(pay, delta, geo, scale, rows)


def step(w: FloatArray, threat: FloatArray, s: Stage) -> tuple[FloatArray, list[int], FloatArray]:
    """One application of ``R`` to polygon ``w`` ``(k, 2)`` (counter-clockwise; a segment or a
    point for ``k`` < 3) with threat point ``threat``: the new polygon (counter-clockwise from the
    lowest vertex; empty when nothing is generated), the label ``profile * SLOTS + slot`` of each
    of its vertices, and the new threat point (raised to the polygon's lowest coordinates)."""
    new, labels, (tx, ty) = step_floats(w.tolist(), (float(threat[0]), float(threat[1])), s)
    return np.array(new).reshape(-1, 2), labels, np.array([tx, ty])


def step_floats(
    pts: list[list[float]], threat: tuple[float, float], s: Stage
) -> tuple[list[list[float]], list[int], tuple[float, float]]:
    """:func:`step` on plain floats: the vertices ``[[x, y], ...]`` and threat ``(x, y)`` in and out."""
    k, geo, delta = len(pts), s.geo, s.delta
    tx, ty = threat
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    xlo, xhi, ylo, yhi = min(xs), max(xs), min(ys), max(ys)
    sides = []  # n . x <= b + slack
    # the bounds (m, q) that the edges put on a line: on x = c, y <= q - m c (cuts[0]) or y >=
    # q - m c (cuts[1]); on y = c, x <= q - m c (cuts[2]) or x >= q - m c (cuts[3])
    cuts: tuple[list[tuple[float, float]], ...] = ([], [], [], [])
    for j in range(k):
        (x0, y0), (x1, y1) = pts[j], pts[j + 1 - k]
        nx, ny = y1 - y0, x0 - x1
        b = nx * x0 + ny * y0
        sides.append((nx, ny, b + geo * (nx * nx + ny * ny) ** 0.5))
        if ny > geo or ny < -geo:  # an edge along the line bounds nothing on it
            cuts[0 if ny > 0 else 1].append((nx / ny, b / ny))
        if nx > geo or nx < -geo:
            cuts[2 if nx > 0 else 3].append((ny / nx, b / nx))
    if k < 3:  # a segment or a point: its box bounds it, too
        sides += [(1.0, 0.0, xhi + geo), (-1.0, 0.0, geo - xlo), (0.0, 1.0, yhi + geo), (0.0, -1.0, geo - ylo)]
    out_x: list[float] = []
    out_y: list[float] = []
    out_label: list[int] = []
    for p, (gx, gy, hx, hy, kx, ky, rx, ry) in enumerate(s.rows):
        if kx >= tx and ky >= ty:
            for nx, ny, bound in sides:
                if nx * gx + ny * gy > bound:
                    break
            else:  # g(a) itself: incentive compatible and in the polygon
                out_x.append(gx)
                out_y.append(gy)
                out_label.append(p * SLOTS)
                continue
        cx, cy = tx + hx, ty + hy
        if xlo - geo <= cx <= xhi + geo:  # the line x = cx meets the polygon in [lo, hi]
            at = xlo if cx < xlo else xhi if cx > xhi else cx
            hi = min([yhi] + [q - m * at for m, q in cuts[0]])
            lo = max([ylo, cy] + [q - m * at for m, q in cuts[1]])
            if hi >= cy - geo:
                out_x += [delta * cx + rx, delta * cx + rx]
                out_y += [delta * hi + ry, delta * lo + ry]
                out_label += [p * SLOTS + 1, p * SLOTS + 2]
        if ylo - geo <= cy <= yhi + geo:  # the line y = cy
            at = ylo if cy < ylo else yhi if cy > yhi else cy
            hi = min([xhi] + [q - m * at for m, q in cuts[2]])
            lo = max([xlo, cx] + [q - m * at for m, q in cuts[3]])
            if hi >= cx - geo:
                out_x += [delta * hi + rx, delta * lo + rx]
                out_y += [delta * cy + ry, delta * cy + ry]
                out_label += [p * SLOTS + 3, p * SLOTS + 4]
    if not out_x:
        return [], [], threat
    order = hull_order(out_x, out_y, geo)
    new_x, new_y = [out_x[j] for j in order], [out_y[j] for j in order]
    new = [[x, y] for x, y in zip(new_x, new_y, strict=True)]
    return new, [out_label[j] for j in order], (max(tx, min(new_x)), max(ty, min(new_y)))
