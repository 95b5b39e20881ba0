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
extrapolation from a transient vertex structure can land on.

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

import numpy as np
import numpy.typing as npt

from solver.equilibria.repeated.as_operator import Stage, step
from solver.equilibria.repeated.polygon import hausdorff

FloatArray = npt.NDArray[np.float64]

#: operator evaluations per attempt
ANDERSON_STEPS = 8
#: iterates the mixing combines (its memory)
ANDERSON_MEMORY = 4


def _mixed(xs: list[FloatArray], gs: list[FloatArray]) -> FloatArray:
    """Anderson's next iterate from inputs ``xs`` and their images ``gs`` (type II: the images
    combined with the weights that make the residuals' combination least)."""
    if len(xs) < 2:
        return gs[-1]
    f = [g - x for x, g in zip(xs, gs, strict=True)]
    df = np.stack([f[i + 1] - f[i] for i in range(len(f) - 1)], axis=1)
    dg = np.stack([gs[i + 1] - gs[i] for i in range(len(gs) - 1)], axis=1)
    gamma = np.linalg.lstsq(df, f[-1])[0]
    return np.asarray(gs[-1] - dg @ gamma, dtype=float)


def anderson(
    history: list[FloatArray], threat: FloatArray, s: Stage, stop: float
) -> tuple[tuple[FloatArray, FloatArray] | None, int]:
    """From the plain iterates ``history`` (each the operator's image of the one before, all
    with as many vertices; ``threat`` the last one's threat point), Anderson's extrapolation
    until one step of ``R`` moves the polygon and threat point less than ``stop``: (that step's
    polygon and threat, or None when it does not get there; the evaluations of ``R`` used).  A
    step that changes the vertex count (a vertex reaching an edge drops out) restarts the
    memory from its image; one that collapses the polygon to a segment or a point gives up."""
    xs = [h.ravel() for h in history[:-1]]
    gs = [h.ravel() for h in history[1:]]  # g_i = R(x_i)
    x = _mixed(xs, gs)
    for used in range(1, ANDERSON_STEPS + 1):
        if not np.isfinite(x).all():
            return None, used - 1
        poly = x.reshape(-1, 2)
        t = np.maximum(threat, poly.min(axis=0))
        new, _, new_threat = step(poly, t, s)
        if len(new) < 3:  # a segment or a point: left to the plain iteration
            return None, used
        moved = float(np.abs(new - poly).max()) if new.shape == poly.shape else hausdorff(poly, new, s.geo)
        if moved <= stop and float(np.abs(new_threat - t).max()) <= stop:
            return (new, new_threat), used
        if new.shape == poly.shape:
            xs, gs = [*xs, x][-ANDERSON_MEMORY:], [*gs, new.ravel()][-ANDERSON_MEMORY:]
            x = _mixed(xs, gs)
        else:
            xs, gs, x = [], [], new.ravel()
    return None, ANDERSON_STEPS
