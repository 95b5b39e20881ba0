"""Batched equilibria of 2x2x2 games (three players, two strategies each).

With ``p_i`` the probability of player i's first strategy, player i's payoff gain from the first
over the second strategy is multilinear: ``D_i = a + b p_j + c p_k + d p_j p_k``.  Supports with
two mixers are 2x2 subgames (one linear condition each); the fully mixed support reduces, after
eliminating ``p_1`` and ``p_2``, to a quadratic in ``p_3`` (McKelvey & McLennan 1997: a generic
2x2x2 game has at most two fully mixed equilibria).  Ties and double roots mark points suspect.

>>> import numpy as np
>>> from solver.core.game import Game
>>> g = np.zeros((3, 2, 2, 2))
>>> g[0, 0] = 1; g[1, :, 0] = 1; g[2, :, :, 0] = 1   # everyone prefers their first strategy
>>> f = binary_three_batch(g[..., None], np.array([1e-9])); bool(f.suspect[0]), len(f.candidates)
(False, 0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.equilibria.batched.candidate import Candidate, Found

Array = npt.NDArray[Any]


def _gain_coefficients(u: Array, i: int) -> Array:
    """Coefficients (a, b, c, d) of D_i in (p_j, p_k), j < k the other players; shape (4, N)."""
    d = np.take(u[i], 0, axis=i) - np.take(u[i], 1, axis=i)  # (2, 2, N) over (s_j, s_k)
    # D = sum_{sj,sk} d[sj,sk] * P(sj) * P(sk) with P(0)=p, P(1)=1-p
    d00, d01, d10, d11 = d[0, 0], d[0, 1], d[1, 0], d[1, 1]
    a = d11
    b = d01 - d11  # coefficient of p_j
    c = d10 - d11  # coefficient of p_k
    dd = d00 - d01 - d10 + d11
    return np.stack([a, b, c, dd])


def _gain(co: Array, pj: Array, pk: Array) -> Array:
    gain: Array = co[0] + co[1] * pj + co[2] * pk + co[3] * pj * pk
    return gain


def binary_three_batch(u: Array, tol: Array) -> Found:
    """The mixed candidates of a batch of 2x2x2 games (u: (3, 2, 2, 2, N)) and the suspect points."""
    cands: list[Candidate] = []
    npts = u.shape[-1]
    ptol = tolerances.PROBABILITY
    suspect = np.zeros(npts, dtype=bool)
    co = [_gain_coefficients(u, i) for i in range(3)]
    others = {0: (1, 2), 1: (0, 2), 2: (0, 1)}

    def emit(support: tuple[tuple[int, ...], ...], p: list[Array], mask: Array) -> None:
        probs = tuple(np.stack([pi, 1.0 - pi], axis=1) for pi in p)
        values = tuple(np.einsum("abcn,na,nb,nc->n", u[i], *probs) for i in range(3))
        cands.append(Candidate(support, mask, probs, values))

    # two mixers (i, j), the third player k pure at s
    for k in range(3):
        i, j = others[k]
        for s in (0, 1):
            pk = np.full(npts, 1.0 - s)
            # D_i(p_j, p_k) = 0 is linear in p_j; D_j(p_i, p_k) = 0 linear in p_i
            ci, cj = co[i], co[j]
            # D_i's variables are (others[i]) ordered; find which slot is j and which is k
            pj = _solve_linear(ci, others[i], j, k, pk, tol)
            pi = _solve_linear(cj, others[j], i, k, pk, tol)
            valid = np.isfinite(pi[0]) & np.isfinite(pj[0])
            p = [np.zeros(npts) for _ in range(3)]
            p[i], p[j], p[k] = pi[0], pj[0], pk
            inside = (
                valid & (pi[0] > -ptol) & (pi[0] < 1 + ptol) & (pj[0] > -ptol) & (pj[0] < 1 + ptol)
            )
            edge = inside & (
                (np.minimum(pi[0], 1 - pi[0]) <= ptol) | (np.minimum(pj[0], 1 - pj[0]) <= ptol)
            )
            ck = co[k]
            a_, b_ = others[k]
            dk = _gain(ck, p[a_], p[b_])
            prefer = dk >= 0 if s == 0 else dk <= 0
            tie = np.abs(dk) <= tol
            suspect |= (inside & (edge | tie)) | pi[1] | pj[1]
            mask = inside & ~edge & prefer & ~tie
            if mask.any():
                sup: list[tuple[int, ...]] = [(0, 1)] * 3
                sup[k] = (s,)
                emit(tuple(sup), [np.where(mask, x, 0.5) for x in p], mask)
    # all three mix: quadratic in p3 after eliminating p1 (from D_2) and p2 (from D_1)
    a1, b1, c1, d1 = co[0]  # D_1(p2, p3)
    a2, b2, c2, d2 = co[1]  # D_2(p1, p3)
    a3, b3, c3, d3 = co[2]  # D_3(p1, p2)

    # p2 = -(a1 + c1 p3)/(b1 + d1 p3), p1 = -(a2 + c2 p3)/(b2 + d2 p3)
    # D_3 * B1 * B2 = a3 B1 B2 - b3 A2 B1 - c3 A1 B2 + d3 A1 A2, A = a + c p3, B = b + d p3
    def mul(x: tuple[Array, Array], y: tuple[Array, Array]) -> tuple[Array, Array, Array]:
        return x[0] * y[0], x[0] * y[1] + x[1] * y[0], x[1] * y[1]

    A1, B1, A2, B2 = (a1, c1), (b1, d1), (a2, c2), (b2, d2)
    terms = [(a3, mul(B1, B2)), (-b3, mul(A2, B1)), (-c3, mul(A1, B2)), (d3, mul(A1, A2))]
    q0 = sum(w * t[0] for w, t in terms)
    q1 = sum(w * t[1] for w, t in terms)
    q2 = sum(w * t[2] for w, t in terms)
    scale = np.maximum(np.maximum(np.abs(q0), np.abs(q1)), np.maximum(np.abs(q2), tolerances.FLOOR))
    q0, q1, q2 = q0 / scale, q1 / scale, q2 / scale
    # a multilinear D_i takes its extremes at the corners: if it has one strict sign there, player i
    # is never indifferent and no fully mixed equilibrium exists at that point
    possible = np.ones(npts, dtype=bool)
    for c_ in co:
        corners = [c_[0], c_[0] + c_[1], c_[0] + c_[2], c_[0] + c_[1] + c_[2] + c_[3]]
        lo, hi = np.minimum.reduce(corners), np.maximum.reduce(corners)
        possible &= (lo <= tol) & (hi >= -tol)
    vanish = tolerances.COEFFICIENT
    degenerate_poly = possible & (np.abs(q0) <= vanish) & (np.abs(q1) <= vanish) & (np.abs(q2) <= vanish)
    suspect |= degenerate_poly
    disc = q1 * q1 - 4 * q2 * q0
    suspect |= possible & (np.abs(disc) <= tolerances.DISCRIMINANT) & (np.abs(q2) > vanish)
    with np.errstate(all="ignore"):
        sq = np.sqrt(np.maximum(disc, 0.0))
        quad = np.abs(q2) > vanish
        r1 = np.where(quad, (-q1 - sq) / (2 * q2), -q0 / q1)
        r2 = np.where(quad, (-q1 + sq) / (2 * q2), np.nan)
        for root, exists in ((r1, (disc > 0) | ~quad), (r2, (disc > 0) & quad)):
            p3 = root
            den1 = b1 + d1 * p3
            den2 = b2 + d2 * p3
            p2 = -(a1 + c1 * p3) / den1
            p1 = -(a2 + c2 * p3) / den2
            exists = exists & possible
            ok = exists & np.isfinite(p1) & np.isfinite(p2) & np.isfinite(p3) & ~degenerate_poly
            suspect |= exists & ((np.abs(den1) <= tol) | (np.abs(den2) <= tol))
            inside = (
                ok
                & (np.minimum(np.minimum(p1, p2), p3) > -ptol)
                & (np.maximum(np.maximum(p1, p2), p3) < 1 + ptol)
            )
            edge = inside & (np.minimum.reduce([p1, 1 - p1, p2, 1 - p2, p3, 1 - p3]) <= ptol)
            suspect |= edge
            mask = inside & ~edge & ~suspect
            if mask.any():
                emit(((0, 1), (0, 1), (0, 1)), [np.where(mask, x, 0.5) for x in (p1, p2, p3)], mask)
    return Found(tuple(cands), suspect)


def _solve_linear(
    co: Array, slots: tuple[int, int], var: int, fixed: int, pfixed: Array, tol: Array
) -> tuple[Array, npt.NDArray[np.bool_]]:
    """Solve D(.) = 0 for the probability of player ``var`` with player ``fixed`` at ``pfixed``.

    Returns (solution or nan, mask of points where D does not depend on it but vanishes: a tie).
    """
    a, b, c, d = co
    if slots[0] == var:  # D = a + b p_var + c p_fixed + d p_var p_fixed
        const, slope = a + c * pfixed, b + d * pfixed
    else:
        const, slope = a + b * pfixed, c + d * pfixed
    flat = np.abs(slope) <= tol
    with np.errstate(all="ignore"):
        sol = np.where(flat, np.nan, -const / np.where(flat, 1.0, slope))
    return sol, flat & (np.abs(const) <= tol)
