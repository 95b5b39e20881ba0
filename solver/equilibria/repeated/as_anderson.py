"""Anderson acceleration of the Abreu-Sannikov iteration near its fixed point.

Abreu & Sannikov (2014) iterate ``w -> R(w)`` from a superset of the equilibrium payoff set ``V``;
near ``V`` the vertices converge geometrically (often at a rate near ``delta``), so the last
digits of a 1e-12 answer take dozens of rounds.  While the vertex count stays the same, ``R`` is a
smooth map of the vertex coordinates, and Anderson's mixing (Anderson 1965; Walker & Ni 2011,
"Anderson acceleration for fixed-point iterations", SIAM J. Numer. Anal. 49, 1715-1735) combines
the last few iterates so that the residuals' combination is least: for a map that is linear with
a few dominant modes it lands on the fixed point in as many steps as there are modes.  The
history it starts from is the plain iteration's own, so the first extrapolation is free.  Its
answer is kept only as a fixed point (one step of ``R`` moves it less than the tolerance), and
:func:`~solver.equilibria.repeated.abreu_sannikov.abreu_sannikov` ends there only once a plain
iterate comes close enough to certify it: ``R`` has other, smaller fixed points, which an
extrapolation from a transient vertex structure can land on.  Everything runs on plain floats
(the least squares by modified Gram-Schmidt): for a handful of vertices numpy's per-call cost
would dominate.

Axelrod's prisoner's dilemma at delta = 0.4 (the plain iteration takes 29 rounds to 1e-12):

>>> import numpy as np
>>> from solver.equilibria.repeated.as_operator import stage, step
>>> pd = stage(np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[3.0, 5.0], [0.0, 1.0]]), 0.4)
>>> w, threat = np.array([[1.0, 1.0], [4.5, 1.0], [1.0, 4.5]]), np.array([1.0, 1.0])
>>> history = [w]
>>> for _ in range(3):
...     w, _, threat = step(w, threat, pd)
...     history.append(w)
>>> found, used = anderson(history, threat, pd, 1e-12)
>>> found[0].round(9).tolist(), used
([[1.0, 1.0], [4.0, 1.0], [1.0, 4.0]], 1)
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from operator import mul, sub

import numpy as np
import numpy.typing as npt

from solver.equilibria.repeated.as_operator import Stage, step_floats
from solver.equilibria.repeated.polygon import hausdorff

FloatArray = npt.NDArray[np.float64]

#: operator evaluations per attempt
ANDERSON_STEPS = 8
#: iterates the mixing combines (its memory)
ANDERSON_MEMORY = 4
#: the least-squares solve's rank cut (relative): the square root of the machine epsilon, where
#: the differences of iterates that converge along one direction stop carrying information
CUT = sys.float_info.epsilon ** 0.5
TINY = sys.float_info.min


Vector = list[float]


def _solve(cols: list[Vector], rhs: Vector) -> list[float]:
    """Least-squares weights ``gamma`` with ``sum_j gamma_j cols[j]`` closest to ``rhs``, by
    modified Gram-Schmidt in plain floats (a handful of short columns: numpy's per-call cost
    dominates there); a column that is (numerically) a combination of the ones before it gets
    weight 0.  The extrapolation that uses the weights is verified afterwards, whatever they are.

    >>> [round(g, 12) for g in _solve([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [2.0, 1.0, 0.0]], [3.0, 1.0, 5.0])]
    [2.0, 1.0, 0.0]
    """
    q: list[Vector] = []
    r: list[list[float]] = []  # r[k][i]: the coefficient of q[i] in the k-th kept column
    kept: list[int] = []
    # what is left of a column below CUT times the largest column is read as noise: the weights
    # then stay those of the columns before it (a truncated solve, like lstsq's rcond but coarser)
    cut = CUT * max(max(map(abs, col)) for col in cols)
    for j, col in enumerate(cols):
        v, coef = col, []
        for u in q:
            c = sum(map(mul, u, v))
            coef.append(c)
            v = [a - c * b for a, b in zip(v, u, strict=True)]
        norm = sum(map(mul, v, v)) ** 0.5
        if norm <= cut or norm <= TINY:
            continue
        q.append([a / norm for a in v])
        r.append([*coef, norm])
        kept.append(j)
    y = [sum(map(mul, u, rhs)) for u in q]
    z = [0.0] * len(q)
    for i in range(len(q) - 1, -1, -1):  # back substitution, R upper triangular (r[k][i], i <= k)
        z[i] = (y[i] - sum(r[k][i] * z[k] for k in range(i + 1, len(q)))) / r[i][i]
    gamma = [0.0] * len(cols)
    for i, j in enumerate(kept):
        gamma[j] = z[i]
    return gamma


def _mixed(xs: list[Vector], gs: list[Vector]) -> Vector:
    """Anderson's next iterate from inputs ``xs`` and their images ``gs`` (type II: the images
    combined with the weights that make the residuals' combination least)."""
    if len(xs) < 2:
        return gs[-1]
    f = [list(map(sub, g, x)) for x, g in zip(xs, gs, strict=True)]
    df = [list(map(sub, f[i + 1], f[i])) for i in range(len(f) - 1)]
    gamma = _solve(df, f[-1])
    out = gs[-1]
    for i, c in enumerate(gamma):  # out -= c * (gs[i + 1] - gs[i])
        out = [o - c * (b - a) for o, a, b in zip(out, gs[i], gs[i + 1], strict=True)]
    return out


def _flat(poly: Sequence[Sequence[float]]) -> Vector:
    return [float(v) for p in poly for v in p]


def anderson(
    history: Sequence[Sequence[Sequence[float]]], threat: FloatArray, s: Stage, stop: float
) -> tuple[tuple[FloatArray, FloatArray] | None, int]:
    """From the plain iterates ``history`` (each the operator's image of the one before, all
    with as many vertices, as ``(k, 2)`` arrays or lists of ``[x, y]``; ``threat`` the last
    one's threat point), Anderson's extrapolation until one step of ``R`` moves the polygon and
    threat point less than ``stop``: (that step's polygon and threat, or None when it does not
    get there; the evaluations of ``R`` used).  A step that changes the vertex count (a vertex
    reaching an edge drops out) restarts the memory from its image; one that collapses the
    polygon to a segment or a point ends there: with that segment or point when the polygon
    (a triangle flattened onto it, say) was already within ``stop`` of it, else with None."""
    xs = [_flat(h) for h in history[:-1]]
    gs = [_flat(h) for h in history[1:]]  # g_i = R(x_i)
    x = _mixed(xs, gs)
    tx0, ty0 = float(threat[0]), float(threat[1])
    for used in range(1, ANDERSON_STEPS + 1):
        if not all(math.isfinite(v) for v in x):
            return None, used - 1
        poly = [[x[i], x[i + 1]] for i in range(0, len(x), 2)]
        t = (max(tx0, min(x[0::2])), max(ty0, min(x[1::2])))
        new, _, nt = step_floats(poly, t, s)
        if len(new) < 3:  # a segment or a point: a fixed point if the polygon was one, too
            still = max(abs(nt[0] - t[0]), abs(nt[1] - t[1])) <= stop
            if new and still and hausdorff(np.array(poly), np.array(new), s.geo) <= stop:
                return (np.array(new), np.array(nt)), used
            return None, used
        flat = _flat(new)
        if len(flat) == len(x):
            moved = max(abs(a - b) for a, b in zip(flat, x, strict=True))
        else:
            moved = hausdorff(np.array(poly), np.array(new), s.geo)
        if moved <= stop and max(abs(nt[0] - t[0]), abs(nt[1] - t[1])) <= stop:
            return (np.array(new), np.array(nt)), used
        if len(flat) == len(x):
            xs, gs = [*xs, x][-ANDERSON_MEMORY:], [*gs, flat][-ANDERSON_MEMORY:]
            x = _mixed(xs, gs)
        else:
            xs, gs, x = [], [], flat
    return None, ANDERSON_STEPS
