"""Real solutions of a polynomial system over QQ: Gaussian elimination or a Gröbner basis.

Linear systems by Gauss-Jordan elimination; others by a Gröbner basis (grevlex, Buchberger's
algorithm in ``sympy.polys.groebnertools``), the multiplication matrix of a random linear form
``t`` on the quotient ring, its characteristic polynomial (the univariate eliminant of ``t``),
real root isolation and the eigenvectors (Stetter's eigenvector method; Cox, Little & O'Shea,
"Using Algebraic Geometry", 2005, ch. 2).  Rational roots give exact points, irrational ones floats.

>>> sorted(solve_polys([{(2,): 1, (0,): -4}], 1).rational)     # x**2 - 4 = 0
[(Fraction(-2, 1),), (Fraction(2, 1),)]
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import combinations, product
from typing import Any, NamedTuple

import numpy as np
from sympy.polys.densebasic import dup_degree
from sympy.polys.domains import QQ
from sympy.polys.factortools import dup_factor_list
from sympy.polys.groebnertools import groebner
from sympy.polys.matrices import DomainMatrix
from sympy.polys.orderings import grevlex
from sympy.polys.rings import PolyRing, ring
from sympy.polys.rootisolation import dup_isolate_real_roots_sqf, dup_refine_real_root
from sympy.polys.sqfreetools import dup_sqf_p, dup_sqf_part

from solver.core.tolerances import ROOT_BOX, ROOT_IMAGINARY
from solver.equilibria.nplayer.supports import Poly

Point = tuple[Any, ...]


class Solutions(NamedTuple):
    """Real solutions of a polynomial system: exact rational points, float points, dimension."""

    rational: list[Point]
    approx: list[Point]
    dimension: int  # 0 for finitely many (or none), > 0 for a continuum of complex solutions
    solved: bool = True  # False: the algebra gave up (never expected; reported, not hidden)


def _qq(c: Any) -> Any:
    return QQ(int(c.numerator), int(c.denominator))


def _q(x: Any) -> Fraction:
    return Fraction(int(x.numerator), int(x.denominator))


def solve_linear(polys: Sequence[Poly], m: int) -> Solutions:
    """Gauss-Jordan elimination over the rationals for a system of degree <= 1.

    >>> solve_linear([{(1, 0): 1, (0, 1): 1, (0, 0): -1}, {(1, 0): 2, (0, 0): -1}], 2).rational
    [(Fraction(1, 2), Fraction(1, 2))]
    """
    rows = []
    for p in polys:
        row = [Fraction(0)] * (m + 1)
        for exp, c in p.items():
            row[exp.index(1) if any(exp) else m] += c
        rows.append(row)
    pivots: list[int] = []
    r = 0
    for col in range(m):
        piv = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        inv = 1 / rows[r][col]
        rows[r] = [v * inv for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                f = rows[k][col]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(row[m] != 0 for row in rows[r:]):
        return Solutions([], [], 0)
    if r < m:
        return Solutions([], [], m - r)
    x = [Fraction(0)] * m
    for k, col in enumerate(pivots):
        x[col] = -rows[k][m]
    return Solutions([tuple(x)], [], 0)


@lru_cache(maxsize=32)
def _ring(m: int) -> tuple[PolyRing, tuple[Any, ...]]:
    r, *gens = ring([f"x{i}" for i in range(m)], QQ, grevlex)
    return r, tuple(gens)


def _dimension(lms: Sequence[tuple[int, ...]], m: int) -> int:
    """Krull dimension from the leading monomials: largest set of variables no LM lives on."""
    for size in range(m, 0, -1):
        for vs in combinations(range(m), size):
            if not any(all(e == 0 or k in vs for k, e in enumerate(lm)) for lm in lms):
                return size
    return 0


def _charpoly(rows: list[list[Any]]) -> list[Any]:
    return DomainMatrix(rows, (len(rows), len(rows)), QQ).charpoly()  # type: ignore[no-any-return]


def real_roots(
    f: list[Any], dom: Any = QQ, inf: Any = None, sup: Any = None, factor: bool = True
) -> list[tuple[Fraction | None, float]]:
    """Real roots (in ``[inf, sup]`` if given) of a dense polynomial over ``dom`` (QQ or ZZ):
    (exact value, float) for the rational ones (its linear factors), (None, float) for the
    others (isolated exactly by sympy's Vincent-Akritas-Strzeboński continued fractions, then
    located in floats).  ``factor=False``: every root as (None, float).

    >>> sorted(real_roots([QQ(2), QQ(-1), QQ(-1)]))   # 2 x**2 - x - 1 = (2 x + 1)(x - 1)
    [(Fraction(-1, 2), -0.5), (Fraction(1, 1), 1.0)]
    >>> [float(round(x, 12)) for _, x in real_roots([QQ(1), QQ(0), QQ(-2)], inf=QQ(0))]   # x**2 - 2
    [1.414213562373]
    """
    out: list[tuple[Fraction | None, float]] = []
    parts = dup_factor_list(f, dom)[1] if factor else [(dup_sqf_part(f, dom), 1)]
    for h, _ in parts:
        if factor and dup_degree(h) == 1:
            root = -_q(h[1]) / _q(h[0])
            if (inf is None or root >= _q(inf)) and (sup is None or root <= _q(sup)):
                out.append((root, float(root)))
            continue
        intervals = dup_isolate_real_roots_sqf(h, dom, inf=inf, sup=sup)
        if not intervals:
            continue
        approx = np.roots([float(_q(c)) for c in h])
        for a, b in intervals:
            lo, hi = float(_q(a)), float(_q(b))
            inside = [
                z.real
                for z in approx
                if lo - ROOT_BOX * (1 + abs(lo)) <= z.real <= hi + ROOT_BOX * (1 + abs(hi))
                and abs(z.imag) <= ROOT_IMAGINARY * (1 + abs(z))
            ]
            if len(inside) != 1:
                a, b = dup_refine_real_root(h, a, b, dom, eps=QQ(1, 10**12))
                inside = [float((_q(a) + _q(b)) / 2)]
            out.append((None, inside[0]))
    return out


def _den_lcm(f: Sequence[Any]) -> int:
    from math import lcm

    return lcm(*(int(c.denominator) for c in f))


def _eigen_points(mt: list[list[Any]], nfs: list[list[Any]], one: int) -> Solutions | None:
    """Points from the left eigenvectors of the multiplication matrix; None if t is unfit."""
    f = _charpoly(mt)
    if not dup_sqf_p(f, QQ):
        return None
    rational, approx = [], []
    size = len(mt)
    mt_f = np.array([[float(_q(v)) for v in row] for row in mt])
    nfs_f = np.array([[float(_q(v)) for v in row] for row in nfs])
    for exact, lam in real_roots(dup_sqf_part(f, QQ) if dup_degree(f) > 0 else f):
        if exact is not None:
            q = QQ(exact.numerator, exact.denominator)
            a = DomainMatrix(
                [[mt[c][r] - (q if r == c else QQ(0)) for c in range(size)] for r in range(size)],
                (size, size),
                QQ,
            )
            v = [_q(x) for x in a.nullspace().to_Matrix().row(0)]
            rational.append(
                tuple(sum((_q(c) * w for c, w in zip(nf, v, strict=True)), Fraction(0)) / v[one] for nf in nfs)
            )
        else:
            _, _, vt = np.linalg.svd(mt_f.T - lam * np.eye(size))
            v = vt[-1]
            approx.append(tuple(float(x) for x in (nfs_f @ v) / v[one]))
    return Solutions(rational, approx, 0)


def solve_polys(polys: Sequence[Poly], m: int, seed: int = 0) -> Solutions:
    """Real solutions of a polynomial system over QQ in ``m`` variables (see module docstring)."""
    polys = [p for p in polys if p]
    if m == 0:
        return Solutions([] if polys else [()], [], 0)
    if all(sum(e) <= 1 for p in polys for e in p):
        return solve_linear(polys, m)
    r, gens = _ring(m)
    basis = groebner([r.from_dict({e: _qq(c) for e, c in p.items()}) for p in polys], r)
    if any(g.is_ground and g for g in basis):
        return Solutions([], [], 0)
    lms = [g.LM for g in basis]
    dim = _dimension(lms, m)
    if dim:
        return Solutions([], [], dim)
    bound = [min(lm[i] for lm in lms if all(e == 0 for k, e in enumerate(lm) if k != i)) for i in range(m)]
    normal = [
        mono
        for mono in product(*(range(b) for b in bound))
        if not any(all(a >= b for a, b in zip(mono, lm, strict=True)) for lm in lms)
    ]
    index = {mono: k for k, mono in enumerate(normal)}

    def coords(poly: Any) -> list[Any]:
        vec = [QQ(0)] * len(normal)
        for mono, c in poly.rem(basis).terms():
            vec[index[mono]] = c
        return vec

    nfs = [coords(g) for g in gens]
    rng = random.Random(seed)
    for _ in range(4):
        t = sum((rng.randint(1, 9 + m) * g for g in gens), r.zero)
        cols = [coords(t * r.from_dict({mono: QQ(1)})) for mono in normal]
        mt = [[cols[c][row] for c in range(len(normal))] for row in range(len(normal))]
        found = _eigen_points(mt, nfs, index[(0,) * m])
        if found is not None:
            return found
    # not radical: add the squarefree parts of each variable's eliminant (Seidenberg's lemma)
    extra = []
    for i, g in enumerate(gens):
        cols = [coords(g * r.from_dict({mono: QQ(1)})) for mono in normal]
        f = dup_sqf_part(
            _charpoly([[cols[c][row] for c in range(len(normal))] for row in range(len(normal))]),
            QQ,
        )
        extra.append(
            {
                tuple(d if k == i else 0 for k in range(m)): c
                for d, c in zip(range(len(f) - 1, -1, -1), f, strict=True)
                if c
            }
        )
    if seed == 0:
        return solve_polys([*polys, *extra], m, seed=1)
    return Solutions([], [], 0, solved=False)


def free_variables(polys: Sequence[Poly], m: int) -> tuple[int, ...]:
    """A maximal set of variables independent modulo the ideal (from grevlex leading monomials)."""
    r, _ = _ring(m)
    basis = groebner([r.from_dict({e: _qq(c) for e, c in p.items()}) for p in polys if p], r)
    lms = [g.LM for g in basis]
    dim = _dimension(lms, m)
    for vs in combinations(range(m), dim):
        if not any(all(e == 0 or k in vs for k, e in enumerate(lm)) for lm in lms):
            return vs
    return ()
