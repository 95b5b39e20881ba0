"""Indifference systems solved by elimination: two players linear, the rest by resultants.

In a support profile's indifference system (McKelvey & McLennan 1996) player ``q``'s equations do
not involve ``q``'s own mix.  Fix the mixes ``z`` of every player but two, ``q`` and ``r``, with as
many unknowns each (``s``): ``q``'s equations are then linear in ``r``'s mix and ``r``'s in
``q``'s, so Cramer's rule gives ``y_r = N_r(z) / D_q(z)`` and ``y_q = N_q(z) / D_r(z)``.  Put into
the other players' (multilinear) equations, homogenised, they leave ``k = dim z`` polynomial
equations in ``z`` over ZZ: one univariate polynomial (``k = 1``) or two bivariate ones whose
resultant is the eliminant (``k = 2``; Sylvester 1840, sympy's subresultant PRS).  This is the
elimination of Datta (2003) specialised to the block-multilinear structure; it replaces a Gröbner
basis for 3x3x3 and 2x2x2x2 supports.  Real roots are isolated exactly in ``[0, 1]``; rational
ones stay exact.  Whenever the elimination could lose a solution (an eliminant vanishes, a
solution could sit where a Cramer denominator vanishes) the answer is ``None``: the caller falls
back to the Gröbner basis.

>>> import numpy as np
>>> from solver.equilibria.nplayer.supports import indifference_system
>>> u = np.array([[[[1, 2], [2, 1]], [[1, 1], [1, 3]]], [[[3, 0], [1, 0]], [[0, 0], [1, 3]]],
...               [[[0, 3], [3, 0]], [[0, 1], [1, 0]]]], dtype=object)     # a 2x2x2 game
>>> eliminate(indifference_system(list(u), ((0, 1),) * 3)).rational   # the Groebner basis also
[(Fraction(1, 3), Fraction(1, 2), Fraction(1, 2))]
>>> # finds (3/2, 5/24, -5/4), outside the simplex: only roots in [0, 1] are kept
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from sympy.polys.densebasic import dup_strip
from sympy.polys.domains import QQ, ZZ
from sympy.polys.euclidtools import dup_gcd
from sympy.polys.rings import PolyRing, ring
from sympy.polys.rootisolation import dup_isolate_real_roots_sqf
from sympy.polys.sqfreetools import dup_sqf_part

from solver.core.tolerances import ELIMINATION_SINGULAR, ELIMINATION_SLACK, RESIDUAL, ROOT_IMAGINARY
from solver.equilibria.nplayer.groebner import Solutions, real_roots, solve_linear
from solver.equilibria.nplayer.supports import System


@lru_cache(maxsize=4)
def _zring(k: int) -> tuple[PolyRing, tuple[Any, ...]]:
    r, *gens = ring([f"z{i}" for i in range(k)], ZZ)
    return r, tuple(gens)


def _plan(nv: Sequence[int]) -> tuple[int, int, list[int]] | None:
    """Two players with equally many unknowns, the others' unknowns 1 or 2 in all; None if none."""
    best = None
    for q in range(len(nv)):
        for r in range(q + 1, len(nv)):
            k = sum(nv) - nv[q] - nv[r]
            if nv[q] == nv[r] > 0 and 1 <= k <= 2 and (best is None or k < best[0]):
                best = (k, q, r)
    if best is None:
        return None
    _, q, r = best
    return q, r, [j for j in range(len(nv)) if j not in (q, r) and nv[j]]


def _contract(t: Any, others: Sequence[int], vecs: Sequence[Any], keep: int | None = None) -> Any:
    """The tensor ``t`` (axes: ``others``) contracted with ``vecs[j]`` on every axis but ``keep``."""
    res = t
    for ax in range(len(others) - 1, -1, -1):
        j = others[ax]
        if j != keep:
            res = np.tensordot(res, vecs[j], axes=([ax], [0]))
    return res


def _det(m: list[list[Any]]) -> Any:
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** c * m[0][c] * _det([row[:c] + row[c + 1 :] for row in m[1:]]) for c in range(len(m)))


def _cramer(rows: list[Any]) -> tuple[Any, list[Any]]:
    """``D`` and numerators ``N_k`` of ``y = N / D`` for the rows ``c0 + c . y = 0``."""
    a = [list(row[1:]) for row in rows]
    b = [-row[0] for row in rows]
    nums = [_det([[*r[:k], bb, *r[k + 1 :]] for r, bb in zip(a, b, strict=True)]) for k in range(len(a))]
    return _det(a), nums


def _ev(p: Any, z: Sequence[Any]) -> Any:
    """Value of the ZZ polynomial ``p`` at ``z`` (Fractions or floats)."""
    total: Any = 0
    for mono, c in p.terms():
        term: Any = int(c)
        for zi, e in zip(z, mono, strict=True):
            if e:
                term = term * zi**e
        total += term
    return total


def _at(f: Any, x: Any, v: Fraction) -> list[Any]:
    """Dense QQ coefficients (in ``x``) of ``f`` with the other variable at ``v``."""
    out = []
    for d in range(f.degree(x), -1, -1):
        c = Fraction(_ev(f.coeff_wrt(x, d), [Fraction(0), v]))
        out.append(QQ(c.numerator, c.denominator))
    stripped: list[Any] = dup_strip(out)
    return stripped


def _scale(p: Any, z: Sequence[float]) -> float:
    return float(sum(abs(float(c)) for c in p.coeffs())) * max(1.0, *(abs(v) for v in z))


def _univariate_roots(f: Any, exact: bool) -> list[tuple[Fraction | None, float]]:
    """Real roots in [0, 1] of a univariate ZZ polynomial (given as a one-variable ring element);
    factored (for the exact rational roots) only when there is one."""
    dense = f.to_dense()
    if len(dense) < 2:
        return []
    if not dup_isolate_real_roots_sqf(dup_sqf_part(dense, ZZ), ZZ, inf=QQ(0), sup=QQ(1)):
        return []
    return real_roots(dense, ZZ, QQ(0), QQ(1), factor=exact)


def eliminate(system: System, exact: bool = True) -> Solutions | None:
    """Real solutions of ``system`` by the elimination above; None where it does not apply.

    ``exact=False``: no factoring, every solution comes as floats (verified later).
    """
    nv = system.nvars
    plan = _plan(nv)
    if plan is None:
        return None
    q, r, zp = plan
    k = sum(nv[j] for j in zp)
    zr, gens = _zring(k)
    one = zr.one
    vecs: list[Any] = [np.array([one], dtype=object) for _ in nv]
    pos = 0
    for j in zp:
        vecs[j] = np.array([one, *gens[pos : pos + nv[j]]], dtype=object)
        pos += nv[j]
    n = len(nv)
    rows: dict[int, list[Any]] = {q: [], r: [], **{j: [] for j in zp}}
    for i, t in zip(system.owners, system.tensors, strict=True):
        others = [j for j in range(n) if j != i]
        if i in (q, r):
            rows[i].append([zr(0) + c for c in _contract(t, others, vecs, r if i == q else q)])
        else:
            rows[i].append((i, t, others))
    dq, nr = _cramer(rows[q])
    dr, nq = _cramer(rows[r])
    if not dq or not dr:
        return None
    vecs[q] = np.array([dr, *nq], dtype=object)
    vecs[r] = np.array([dq, *nr], dtype=object)
    eqs = [zr(0) + _contract(t, others, vecs) for j in zp for (_, t, others) in rows[j]]
    if any(not f for f in eqs):
        return None
    if k == 1:
        # a solution with D = 0 needs every maximal minor of [A | b] zero: no common root allowed
        for den, num in ((dq, nr), (dr, nq)):
            g = den
            for p in num:
                g = g.gcd(p)
            if not g.is_ground:
                return None
        return _finish(system, q, r, zp, (dq, nr, dr, nq), [(x,) for x in _univariate_roots(eqs[0], exact)])
    f1, f2 = eqs
    res = f1.resultant(f2)  # eliminates z0: a polynomial in z1
    if not res:
        return None
    points: list[tuple[tuple[Fraction | None, float], ...]] = []
    for z1 in _univariate_roots(res, exact):
        if z1[0] is not None:
            g = dup_gcd(_at(f1, gens[0], z1[0]), _at(f2, gens[0], z1[0]), QQ)
            if not g:
                return None
            roots = real_roots(g, QQ, QQ(0), QQ(1)) if len(g) > 1 else []
            points += [(z0, z1) for z0 in roots]
            continue
        cands = []
        for f in (f1, f2):
            coeffs = [_ev(f.coeff_wrt(gens[0], d), [0.0, z1[1]]) for d in range(f.degree(gens[0]), -1, -1)]
            scale = _scale(f, [1.0, z1[1]])
            if max((abs(c) for c in coeffs), default=0.0) > RESIDUAL * scale:
                cands = [
                    z.real
                    for z in np.roots(coeffs)
                    if abs(z.imag) <= ROOT_IMAGINARY * (1 + abs(z))
                    and -ELIMINATION_SLACK <= z.real <= 1 + ELIMINATION_SLACK
                ]
                break
        else:
            return None
        points += [((None, z0), z1) for z0 in cands]
    return _finish(system, q, r, zp, (dq, nr, dr, nq), points)


def _pin(system: System, x: list[Any], unknown: list[int], exact: bool) -> bool | None:
    """Fill ``x[unknown]`` (one player's unknowns) from the system with every other variable known
    (there it is linear).  False: no solution; None: not unique (the caller falls back)."""
    rows = []
    for poly in system.polys:
        row: dict[tuple[int, ...], Any] = {}
        for exp, c in poly.items():
            val: Any = c
            at: tuple[int, ...] = ()
            for v, e in enumerate(exp):
                if e and v in unknown:
                    at = (unknown.index(v),)
                elif e:
                    val = val * x[v]
            key = tuple(1 if (k,) == at else 0 for k in range(len(unknown)))
            row[key] = row.get(key, 0) + val
        rows.append(row)
    if exact:
        exact_rows: list[Any] = [{e: Fraction(c) for e, c in r.items()} for r in rows]
        sols = solve_linear(exact_rows, len(unknown))
        if sols.dimension:
            return None
        if not sols.rational:
            return False
        for v, val in zip(unknown, sols.rational[0], strict=True):
            x[v] = val
        return True
    mat = np.array(
        [
            [float(r.get(tuple(int(k == c) for k in range(len(unknown))), 0.0)) for c in range(len(unknown))]
            for r in rows
        ]
    )
    rhs = -np.array([float(r.get((0,) * len(unknown), 0.0)) for r in rows])
    sol, _, rank, _ = np.linalg.lstsq(mat, rhs, rcond=ELIMINATION_SINGULAR)
    if rank < len(unknown):
        return None
    size = np.linalg.norm(mat) * np.linalg.norm(sol) + np.linalg.norm(rhs)
    if np.linalg.norm(mat @ sol - rhs) > ELIMINATION_SLACK * size:
        return False
    for v, val in zip(unknown, sol, strict=True):
        x[v] = float(val)
    return True


def _finish(
    system: System,
    q: int,
    r: int,
    zp: list[int],
    cramer: tuple[Any, list[Any], Any, list[Any]],
    points: Sequence[tuple[tuple[Fraction | None, float], ...]],
) -> Solutions | None:
    """Full points from the ``z`` roots; where a Cramer denominator vanishes the singular player's
    mix comes from all equations (linear there); None if that is not unique either."""
    dq, nr, dr, nq = cramer
    m = sum(system.nvars)
    rational: list[tuple[Any, ...]] = []
    approx: list[tuple[Any, ...]] = []
    zvars = [system.offsets[j] + t for j in zp for t in range(system.nvars[j])]
    block = {j: list(range(system.offsets[j], system.offsets[j] + system.nvars[j])) for j in (q, r)}
    for pt in points:
        exact = all(e is not None for e, _ in pt)
        z: list[Any] = [e for e, _ in pt] if exact else [f for _, f in pt]
        vq, vr = _ev(dq, z), _ev(dr, z)
        sing_q = vq == 0 if exact else abs(vq) < ELIMINATION_SINGULAR * _scale(dq, z)
        sing_r = vr == 0 if exact else abs(vr) < ELIMINATION_SINGULAR * _scale(dr, z)
        if sing_q and sing_r:
            return None
        x: list[Any] = [0] * m
        for v, val in zip(zvars, z, strict=True):
            x[v] = val
        if not sing_r:
            for v, p in zip(block[q], nq, strict=True):
                x[v] = _ev(p, z) / vr
        if not sing_q:
            for v, p in zip(block[r], nr, strict=True):
                x[v] = _ev(p, z) / vq
        if sing_q or sing_r:
            pinned = _pin(system, x, block[r] if sing_q else block[q], exact)
            if pinned is None:
                return None
            if not pinned:
                continue
        if not exact and not _feasible(system, x):
            continue
        (rational if exact else approx).append(tuple(x))
    return Solutions(rational, approx, 0)


def _feasible(system: System, x: Sequence[float]) -> bool:
    """Float point inside every simplex up to ``ELIMINATION_SLACK`` (an equilibrium is positive
    there)."""
    for o, k in zip(system.offsets, system.nvars, strict=True):
        part = x[o : o + k]
        if k and (min(part) < -ELIMINATION_SLACK or sum(part) > 1 + ELIMINATION_SLACK):
            return False
    return True
