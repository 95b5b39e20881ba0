"""One-sided vertex enumeration: the partners of each vertex of one polytope by a small solve.

As in lrsNash (Avis, Rosenberg, Savani & von Stengel 2010, "Enumeration of Nash equilibria for
two-player games", Economic Theory 42), only the vertices of one best-response polytope are
enumerated.  A *nondegenerate* vertex ``x`` of P (exactly ``m`` labels) can only pair with a
vertex ``y`` of Q that has every other label, i.e. the ``n`` complementary constraints of Q are
tight: one ``n x n`` linear system, solved for all ``x`` at once in bounded chunks, and ``y`` is
kept when it is feasible and nonzero.  So Q's vertex set (often far larger than P's: 882,810
against 54,641 for a random 12 x 24 game) is never built.  When P has a degenerate vertex, or a
complementary system is singular (then the partners of ``x`` form a face of Q), the caller
enumerates Q in full instead.  On this path ``degenerate`` covers P's vertices and the partners
found; a degenerate vertex of Q in no equilibrium is not looked at (it changes no equilibrium:
every equilibrium is then isolated, as a nondegenerate x pins its partner down).

>>> g = np.array([[3.0, 1.0], [1.0, 3.0], [-1.0, 0.0], [0.0, -1.0]])  # Q of a 2 x 2 game
>>> h = np.array([1.0, 1.0, 0.0, 0.0])
>>> tx = np.array([[0, 1, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1], [1, 0, 1, 0]], dtype=bool)
>>> found = complementary_partners(g, h, tx)
>>> found is not None and (found[0].round(6) + 0.0).tolist(), found[3].tolist(), found[4].tolist()
([[0.333333, 0.0], [0.0, 0.333333], [0.25, 0.25]], [0, 1, 2], [0, 1, 2])
"""

from __future__ import annotations

from math import comb

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget
from solver.equilibria.twoplayer.matching import weights
from solver.equilibria.twoplayer.polytope import Vertices, float_systems, float_vertices, labelled

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IndexArray = npt.NDArray[np.intp]
#: games whose larger polytope has more constraint subsets than this enumerate the vertices of
#: the smaller-dimensional polytope only and solve for their partners (:mod:`.partners`)
ONE_SIDED = 1_000_000
#: complementary systems are solved this many at a time (memory: CHUNK * n * n floats)
CHUNK = 4096
#: partners: distinct points, their label sets, their constraint residuals, and the index pairs
#: (vertex of the enumerated polytope, partner) of the completely labelled pairs
Partners = tuple[FloatArray, BoolArray, FloatArray, IndexArray, IndexArray]


def complementary_partners(
    g: FloatArray, h: FloatArray, tx: BoolArray, budget: Budget = UNBOUNDED
) -> Partners | None:
    """The vertices of ``{z : g z <= h}`` (rows in label order) that complete the nondegenerate
    label sets ``tx`` of the other polytope.  ``None`` when a complementary system is singular
    (a face of partners, not a point) or the budget ran out (the caller then enumerates)."""
    size, d = g.shape
    if len(tx) and not (tx.sum(axis=1) == size - d).all():
        return None
    pts, resids, owners = [], [], []
    for start in range(0, len(tx), CHUNK):
        if budget.expired():
            return None
        block = tx[start : start + CHUNK]
        comp = np.nonzero(~block)[1].reshape(len(block), d)  # the d complementary labels per row
        mats, rhs = g[comp], h[comp]
        if not (np.abs(np.linalg.det(mats)) > tolerances.PIVOT).all():
            return None
        z = np.linalg.solve(mats, rhs[..., None])[..., 0]
        resid = z @ g.T - h
        keep = (resid.max(axis=1) <= tolerances.FEASIBILITY) & (z.max(axis=1) > tolerances.FEASIBILITY)
        pts.append(z[keep])
        resids.append(np.abs(resid[keep]))
        owners.append(start + np.flatnonzero(keep))
    points: FloatArray = np.concatenate(pts) if pts else np.zeros((0, d))
    resid = np.concatenate(resids) if resids else np.zeros((0, size))
    tight = resid <= tolerances.FEASIBILITY
    codes = [row.tobytes() for row in np.packbits(tight, axis=1)] if size > 62 else (tight @ weights(size)).tolist()
    first: dict[object, int] = {}
    iy = np.array([first.setdefault(c, len(first)) for c in codes], dtype=np.intp)
    # the first occurrence of each distinct label set (ids are in order of first appearance)
    firsts = np.unique(iy, return_index=True)[1] if len(iy) else np.zeros(0, np.intp)
    ix = np.concatenate(owners).astype(np.intp) if owners else np.zeros(0, np.intp)
    return points[firsts], tight[firsts], resid[firsts], ix, iy


def enumerate_vertices(norm: FloatArray, exact: bool) -> list[Vertices | None]:
    """:func:`.polytope.float_vertices` of both polytopes; for large games (:data:`ONE_SIDED`)
    only the smaller-dimensional one, with the other's completing vertices solved for (as in
    lrsNash) unless it has a degenerate vertex or a complementary system is singular."""
    m, n = norm.shape[1:]
    if comb(m + n, max(m, n)) <= ONE_SIDED or min(m, n) < 2:
        return float_vertices(norm, exact)
    side = 0 if m <= n else 1
    other, dim = 1 - side, (m, n)[1 - side]
    found = float_vertices(norm, exact, only=side)
    own = found[side]
    got = None
    if own is not None and not own[2]:
        g, h = float_systems(norm)
        got = complementary_partners(g[other, :, :dim], h[other], own[1])
    if got is None:
        found[other] = float_vertices(norm, exact, only=other)[other]
    else:
        found[other] = labelled(got[0], got[2], exact, dim)
    return found
