"""One application of the Abreu-Sannikov operator ``R`` to a float polygon, labelled.

Abreu & Sannikov (2014), "An algorithm for two-player repeated games with perfect monitoring",
Theoretical Economics 9, 313-338.  For every action profile ``a`` the operator generates either
the payoff ``g(a)`` itself (slot 0: when ``g(a) >= IC(a)`` and ``g(a)`` lies in the polygon ``w``)
or ``(1 - delta) g(a) + delta c`` for the ends ``c`` of ``w ∩ {x >= IC(a)}`` on the two
incentive lines (slots 1-4: line ``x_0 = IC_0`` top and bottom, line ``x_1 = IC_1`` right and
left); the new polygon is their convex hull.  A stage Nash equilibrium's payoff (no deviation
gains) is kept whatever the polygon: repeating it is subgame perfect, so it lies in ``V`` and in
every iterate, and rounding must not lose it.  :func:`step` also returns which (profile, slot)
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
    a, b = u0.tolist(), u1.tolist()  # plain floats: a 3x3 game is cheaper without numpy
    col_best = [max(row[j] for row in a) for j in range(len(a[0]))]  # the row player's best reply
    row_best = [max(row) for row in b]
    factor = (1.0 - delta) / delta  # IC(a) = threat + h(a), h = factor * the deviation gains
    flat = [(a[i][j], b[i][j], col_best[j] - a[i][j], row_best[i] - b[i][j])
            for i in range(len(a)) for j in range(len(a[0]))]
    lo = min(min(x, y) for x, y, _, _ in flat)
    scale = max(max(max(x, y) for x, y, _, _ in flat) - lo, 1.0)
    geo = scaled(REPEATED_GEOMETRY, scale)
    rows = []
    for gx, gy, ex, ey in flat:
        hx, hy = factor * ex, factor * ey
        rows.append((gx, gy, hx, hy, gx - hx + geo, gy - hy + geo, (1.0 - delta) * gx, (1.0 - delta) * gy))
    pay = np.array([[gx, gy] for gx, gy, _, _ in flat]).reshape(-1, 2)
    return Stage(pay, delta, geo, scale, tuple(rows))


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
    # the bounds (m, q) that the edges put on a line: on x = c, y <= q - m c (below) or y >=
    # q - m c (above); on y = c, x <= q - m c (left) or x >= q - m c (right)
    below: list[tuple[float, float]] = []
    above: list[tuple[float, float]] = []
    left: list[tuple[float, float]] = []
    right: list[tuple[float, float]] = []
    for j in range(k):
        (x0, y0), (x1, y1) = pts[j], pts[j + 1 - k]
        nx, ny = y1 - y0, x0 - x1
        b = nx * x0 + ny * y0
        sides.append((nx, ny, b + geo * (nx * nx + ny * ny) ** 0.5))
        if ny > geo:  # an edge along the line bounds nothing on it
            below.append((nx / ny, b / ny))
        elif ny < -geo:
            above.append((nx / ny, b / ny))
        if nx > geo:
            left.append((ny / nx, b / nx))
        elif nx < -geo:
            right.append((ny / nx, b / nx))
    if k < 3:  # a segment or a point: its box bounds it, too
        sides += [(1.0, 0.0, xhi + geo), (-1.0, 0.0, geo - xlo), (0.0, 1.0, yhi + geo), (0.0, -1.0, geo - ylo)]
    out_x: list[float] = []
    out_y: list[float] = []
    out_label: list[int] = []
    base = 0  # profile * SLOTS
    for gx, gy, hx, hy, kx, ky, rx, ry in s.rows:
        if hx == 0.0 and hy == 0.0:  # a stage Nash equilibrium: repeating it is in V, always kept
            out_x.append(gx)
            out_y.append(gy)
            out_label.append(base)
            base += SLOTS
            continue
        if kx >= tx and ky >= ty:
            for nx, ny, bound in sides:
                if nx * gx + ny * gy > bound:
                    break
            else:  # g(a) itself: incentive compatible and in the polygon
                out_x.append(gx)
                out_y.append(gy)
                out_label.append(base)
                base += SLOTS
                continue
        cx, cy = tx + hx, ty + hy
        if xlo - geo <= cx <= xhi + geo:  # the line x = cx meets the polygon in [lo, hi]
            at = xlo if cx < xlo else xhi if cx > xhi else cx
            hi = yhi
            for m, q in below:
                hi = min(hi, q - m * at)
            if hi >= cy - geo:
                lo = max(ylo, cy)
                for m, q in above:
                    lo = max(lo, q - m * at)
                px = delta * cx + rx
                out_x += (px, px)
                out_y += (delta * hi + ry, delta * lo + ry)
                out_label += (base + 1, base + 2)
        if ylo - geo <= cy <= yhi + geo:  # the line y = cy
            at = ylo if cy < ylo else yhi if cy > yhi else cy
            hi = xhi
            for m, q in left:
                hi = min(hi, q - m * at)
            if hi >= cx - geo:
                lo = max(xlo, cx)
                for m, q in right:
                    lo = max(lo, q - m * at)
                py = delta * cy + ry
                out_x += (delta * hi + rx, delta * lo + rx)
                out_y += (py, py)
                out_label += (base + 3, base + 4)
        base += SLOTS
    if not out_x:
        return [], [], threat
    order = hull_order(out_x, out_y, geo)
    new = [[out_x[j], out_y[j]] for j in order]
    return new, [out_label[j] for j in order], (max(tx, min([p[0] for p in new])), max(ty, min([p[1] for p in new])))
