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

>>> from solver.core.game import Game
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

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any, NamedTuple

import numpy as np

from solver.core import tolerances
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.equilibria.nplayer.elimination import eliminate
from solver.equilibria.nplayer.exclusion import excluded
from solver.equilibria.nplayer.groebner import Solutions, free_variables, solve_polys
from solver.equilibria.nplayer.supports import (
    System,
    comparable,
    full_profile,
    indifference_system,
    integer_payoffs,
    residuals,
    support_profiles,
)
from solver.equilibria.verify import dedupe, make_equilibrium, regrets

__all__ = ["Solutions", "newton", "solve_polynomial", "solve_polys"]


def newton(system: System, x0: Sequence[float], steps: int = 30) -> np.ndarray:
    """Newton's method (least squares steps) on the float system from ``x0``."""
    x = np.asarray(x0, dtype=float)
    for _ in range(steps):
        vals, jac = residuals(system, x)
        if not np.all(np.isfinite(vals)):
            break
        dx = np.linalg.lstsq(jac, -vals, rcond=None)[0]
        x = x + dx
        if np.max(np.abs(dx), initial=0.0) < tolerances.NEWTON_STEP * max(1.0, float(np.max(np.abs(x), initial=0.0))):
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
        if any(fvecs[i][k] < -tolerances.PROBABILITY for i, s in enumerate(system.support) for k in s):
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
    lms_free = free_variables(system.polys, m)
    fix = []
    for v in lms_free:
        owner = max(j for j, o in enumerate(system.offsets) if o <= v and system.nvars[j])
        fix.append({tuple(1 if k == v else 0 for k in range(m)): len(supp[owner]), (0,) * m: -1})
    sols = solve_polys([*system.polys, *fix], m)
    if sols.dimension == 0:
        found += _accept(run, system, sols)
    return found


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
    eg = game.as_exact()
    run = _Run(eg, eg if exact else game.as_float(), integer_payoffs(eg.payoffs), game.shape)
    found: list[Equilibrium] = []
    notes: list[str] = []
    degenerate = False
    complete = True
    for supp in support_profiles(comparable(run.ints)):
        system = indifference_system(run.ints, supp)
        sols = None
        if system.polys and any(sum(e) > 1 for p in system.polys for e in p):
            sols = eliminate(system, exact)
            if sols is None and excluded(system, run.ints):
                continue
        if sols is None:
            sols = solve_polys(system.polys, sum(system.nvars))
        if not sols.solved:
            complete = False
            notes.append(f"support {_label(game, supp)}: algebra gave up; equilibria there may be missing")
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
