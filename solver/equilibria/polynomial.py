"""All isolated Nash equilibria of an n-player game: support enumeration + polynomial algebra.

For every support profile that survives conditional dominance (Porter, Nudelman & Shoham 2008)
the indifference system (McKelvey & McLennan 1996; Datta 2003 "Using computer algebra to find
Nash equilibria"; Gambit's ``enumpoly``) is solved exactly over QQ: linear systems by Gaussian
elimination, others by a Gröbner basis (grevlex, ``sympy.polys.groebnertools``), the
multiplication matrix of a random linear form ``t`` on the quotient ring, its characteristic
polynomial (the univariate eliminant of ``t``), real root isolation and the eigenvectors
(Stetter's eigenvector method).  Rational roots give exact ``Fraction`` equilibria; irrational ones
become floats polished by Newton's method on the full system.  Every candidate is then checked:
positive on its support, no better strategy off it (regret).  A support whose system has a
positive-dimensional solution set marks the game degenerate; finitely many points of it (where an
off-support strategy becomes indifferent, and a sample point) are reported, ``complete=False``.

>>> from solver.game import Game
>>> import numpy as np
>>> u = np.zeros((3, 2, 2, 2), dtype=int)   # McKelvey & McLennan's 2x2x2 game: 9 equilibria
>>> u[:, 0, 0, 0], u[:, 1, 1, 0] = (9, 8, 12), (9, 8, 2)
>>> u[:, 0, 1, 1] = u[:, 1, 0, 1] = (3, 4, 6)
>>> r = solve_polynomial(Game.from_arrays(u.tolist()))
>>> len(r.equilibria), r.complete, r.degenerate, r.exact
(9, True, False, True)
>>> sorted(e.vectors[0] for e in r.equilibria if all(0 < v[0] < 1 for v in e.vectors))
[(Fraction(2, 5), Fraction(3, 5)), (Fraction(1, 2), Fraction(1, 2))]
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

from .. import tolerances
from ..game import Game
from ..result import Equilibrium, Result
from . import exact_game
from .supports import (
    Poly,
    System,
    comparable,
    excluded,
    full_profile,
    indifference_system,
    integer_payoffs,
    residuals,
    support_profiles,
)
from .verify import dedupe, make_equilibrium, regrets

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


def _linear(polys: Sequence[Poly], m: int) -> Solutions:
    """Gauss-Jordan elimination over the rationals for a system of degree <= 1."""
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


def _real_roots(f: list[Any]) -> list[tuple[Fraction | None, float]]:
    """Real roots of a polynomial over QQ: (exact value, float) for the rational ones (its linear
    factors), (None, float) for the others (isolated exactly, located in floats)."""
    out: list[tuple[Fraction | None, float]] = []
    for h, _ in dup_factor_list(f, QQ)[1]:
        if dup_degree(h) == 1:
            root = -_q(h[1]) / _q(h[0])
            out.append((root, float(root)))
            continue
        intervals = dup_isolate_real_roots_sqf(h, QQ)
        if not intervals:
            continue
        approx = np.roots([float(_q(c)) for c in h])
        for a, b in intervals:
            lo, hi = float(_q(a)), float(_q(b))
            inside = [
                z.real
                for z in approx
                if lo - 1e-9 * (1 + abs(lo)) <= z.real <= hi + 1e-9 * (1 + abs(hi))
                and abs(z.imag) <= 1e-6 * (1 + abs(z))
            ]
            if len(inside) != 1:
                a, b = dup_refine_real_root(h, a, b, QQ, eps=QQ(1, 10**12))
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
    for exact, lam in _real_roots(dup_sqf_part(f, QQ) if dup_degree(f) > 0 else f):
        if exact is not None:
            q = QQ(exact.numerator, exact.denominator)
            a = DomainMatrix(
                [[mt[c][r] - (q if r == c else QQ(0)) for c in range(size)] for r in range(size)],
                (size, size),
                QQ,
            )
            v = [_q(x) for x in a.nullspace().to_Matrix().row(0)]
            rational.append(
                tuple(
                    sum((_q(c) * w for c, w in zip(nf, v, strict=True)), Fraction(0)) / v[one]
                    for nf in nfs
                )
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
        return _linear(polys, m)
    r, gens = _ring(m)
    basis = groebner([r.from_dict({e: _qq(c) for e, c in p.items()}) for p in polys], r)
    if any(g.is_ground and g for g in basis):
        return Solutions([], [], 0)
    lms = [g.LM for g in basis]
    dim = _dimension(lms, m)
    if dim:
        return Solutions([], [], dim)
    bound = [
        min(lm[i] for lm in lms if all(e == 0 for k, e in enumerate(lm) if k != i))
        for i in range(m)
    ]
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


def newton(system: System, x0: Sequence[float], steps: int = 30) -> np.ndarray:
    """Newton's method (least squares steps) on the float system from ``x0``."""
    x = np.asarray(x0, dtype=float)
    for _ in range(steps):
        vals, jac = residuals(system, x)
        if not np.all(np.isfinite(vals)):
            break
        dx = np.linalg.lstsq(jac, -vals, rcond=None)[0]
        x = x + dx
        if np.max(np.abs(dx), initial=0.0) < 1e-15 * max(
            1.0, float(np.max(np.abs(x), initial=0.0))
        ):
            break
    return x


class _Run(NamedTuple):
    game: Game  # the exact game (for exact regrets)
    target: Game  # exact or float game the equilibria are reported in
    ints: list[Any]
    shape: tuple[int, ...]


def _accept(run: _Run, system: System, sols: Solutions) -> list[Equilibrium]:
    """The candidates that are equilibria: positive on the support, no profitable deviation."""
    out = []
    for x in sols.rational:
        vecs = full_profile(system, x, run.shape, Fraction(0), Fraction(1))
        if any(vecs[i][k] <= 0 for i, s in enumerate(system.support) for k in s):
            continue
        if max(regrets(run.game, vecs)[0]) > 0:
            continue
        out.append(
            make_equilibrium(
                run.target,
                vecs if run.target.is_exact else [[float(v) for v in vec] for vec in vecs],
            )
        )
    fgame = run.game.as_float()
    for x0 in sols.approx:
        polished = newton(system, x0)
        fvecs = full_profile(system, [float(v) for v in polished], run.shape, 0.0, 1.0)
        if any(
            fvecs[i][k] < -tolerances.PROBABILITY for i, s in enumerate(system.support) for k in s
        ):
            continue
        try:
            out.append(make_equilibrium(fgame, fvecs, irrational=True))
        except ValueError:
            continue
    return out


def _continuum(run: _Run, system: System, dim: int, limit: int = 40) -> list[Equilibrium]:
    """Finitely many equilibria on a positive-dimensional support: where off-support strategies
    become indifferent (the set's relative boundary), and one sample point per free variable fix."""
    supp = system.support
    off = [(i, k) for i in range(len(supp)) for k in range(run.shape[i]) if k not in supp[i]]
    found: list[Equilibrium] = []
    tries = [list(c) for size in range(1, dim + 1) for c in combinations(off, size)][:limit]
    m = sum(system.nvars)
    for extra in tries:
        sub = indifference_system(run.ints, supp, extra)
        sols = solve_polys(sub.polys, m)
        if sols.dimension == 0:
            found += _accept(run, sub, sols)
    # a sample point: the free variables at their uniform values
    r, _ = _ring(m) if m else (None, ())
    lms_free = _free_variables(system.polys, m)
    fix = []
    for v in lms_free:
        owner = max(j for j, o in enumerate(system.offsets) if o <= v and system.nvars[j])
        fix.append({tuple(1 if k == v else 0 for k in range(m)): len(supp[owner]), (0,) * m: -1})
    sols = solve_polys([*system.polys, *fix], m)
    if sols.dimension == 0:
        found += _accept(run, system, sols)
    del r
    return found


def _free_variables(polys: Sequence[Poly], m: int) -> tuple[int, ...]:
    """A maximal set of variables independent modulo the ideal (from grevlex leading monomials)."""
    r, _ = _ring(m)
    basis = groebner([r.from_dict({e: _qq(c) for e, c in p.items()}) for p in polys if p], r)
    lms = [g.LM for g in basis]
    dim = _dimension(lms, m)
    for vs in combinations(range(m), dim):
        if not any(all(e == 0 or k in vs for k, e in enumerate(lm)) for lm in lms):
            return vs
    return ()


def _label(game: Game, supp: Sequence[Sequence[int]]) -> str:
    return "; ".join(
        f"{p}: {{{', '.join(game.strategies[i][k] for k in s)}}}"
        for i, (p, s) in enumerate(zip(game.players, supp, strict=True))
    )


def solve_polynomial(game: Game, *, exact: bool | None = None) -> Result:
    """Every isolated Nash equilibrium of ``game`` by support enumeration + polynomial algebra.

    ``exact=None`` reports exact equilibria when the payoffs are rational.  Irrational equilibria
    are floats (Newton-polished, regret-verified) with ``extra['irrational'] = True``.
    """
    exact = game.is_exact if exact is None else exact
    eg = exact_game(game)
    run = _Run(eg, eg if exact else game.as_float(), integer_payoffs(eg.payoffs), game.shape)
    found: list[Equilibrium] = []
    notes: list[str] = []
    degenerate = False
    complete = True
    for supp in support_profiles(comparable(run.ints)):
        system = indifference_system(run.ints, supp)
        if not system.polys or all(sum(e) <= 1 for p in system.polys for e in p):
            pass
        elif excluded(system, run.ints):
            continue
        sols = solve_polys(system.polys, sum(system.nvars))
        if not sols.solved:
            complete = False
            notes.append(
                f"support {_label(game, supp)}: algebra gave up; equilibria there may be missing"
            )
        if sols.dimension:
            degenerate = True
            complete = False
            points = _continuum(run, system, sols.dimension)
            notes.append(
                f"support {_label(game, supp)}: the indifference system has a "
                f"{sols.dimension}-dimensional solution set (degenerate game); "
                f"{len(points)} point(s) of it reported"
            )
            found += points
        else:
            found += _accept(run, system, sols)
    eqs = tuple(dedupe(found))
    irrational = sum(1 for e in eqs if e.extra.get("irrational"))
    if irrational:
        notes.append(
            f"{irrational} irrational equilibri{'um' if irrational == 1 else 'a'}: "
            "floats from exact root isolation, Newton-polished and regret-verified"
        )
    is_exact = exact and not irrational
    return Result(game, eqs, "polynomial", complete, degenerate, is_exact, tuple(notes))
