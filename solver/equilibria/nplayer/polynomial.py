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
from solver.core.budget import UNBOUNDED, Budget, run_streaming
from solver.core.errors import SolverError
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.equilibria.nplayer.elimination import eliminate
from solver.equilibria.nplayer.exclusion import excluded
from solver.equilibria.nplayer.groebner import Solutions, free_variables, solve_polys
from solver.equilibria.nplayer.multilinear import layout
from solver.equilibria.nplayer.subdivision import as_solutions, isolate
from solver.equilibria.nplayer.supports import (
    Support,
    System,
    comparable,
    full_profile,
    indifference_system,
    integer_payoffs,
    residuals,
    support_profiles,
)
from solver.equilibria.verify import dedupe, make_equilibrium, pure_payoffs, regret_tolerance, regrets

__all__ = ["Solutions", "newton", "solve_polynomial", "solve_polys"]

#: under a time budget, games with at most this many unknowns (sum of strategies minus one per
#: player: 2x2x2 has 3) solve their small systems inline; larger ones in a child process
INLINE_VARIABLES = 4
#: supports with at most this many unknowns are solved one by one, by elimination first (quicker
#: than subdivision there); larger ones are isolated together by subdivision
ELIMINATE_UP_TO = 3


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


def _accept(run: _Run, system: System, sols: Solutions) -> tuple[list[Equilibrium], int]:
    """The candidates that are equilibria (positive on the support, no profitable deviation),
    and how many float candidates could be neither verified nor ruled out."""
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
    unsure = 0
    for x0 in sols.approx:
        polished = newton(system, x0)
        fvecs = full_profile(system, [float(v) for v in polished], run.shape, 0.0, 1.0)
        low = min(fvecs[i][k] for i, s in enumerate(system.support) for k in s)
        if low < -tolerances.PROBABILITY:
            unsure += low >= -tolerances.AMBIGUOUS  # outside the simplex, but only just
            continue
        try:
            out.append(make_equilibrium(fgame, fvecs, irrational=True))
        except ValueError:
            unsure += not _clearly_not(fgame, system, fvecs)
    return out, unsure


def _clearly_not(game: Game, system: System, vecs: list[list[float]]) -> bool:
    """A polished candidate that fails the regret check is clearly no equilibrium when it solves
    its indifference system (within the regret tolerance) and some strategy off the support gains
    more than ``AMBIGUOUS`` (times the payoff scale) against it; otherwise it is in doubt."""
    clean = [np.clip(np.asarray(v, dtype=float), 0.0, None) for v in vecs]
    clean = [v / v.sum() for v in clean]
    gain = 0.0
    for i, supp in enumerate(system.support):
        u = pure_payoffs(game, clean, i)
        on = u[list(supp)]
        if float(on.max() - on.min()) > regret_tolerance(game):
            return False  # Newton did not settle on the system: undecided
        gain = max(gain, float(u.max()) - float(on.max()))
    return gain > tolerances.scaled(tolerances.AMBIGUOUS, game.scale())


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
            found += _accept(run, sub, sols)[0]
    # a sample point: the free variables at their uniform values
    lms_free = free_variables(system.polys, m)
    fix = []
    for v in lms_free:
        owner = max(j for j, o in enumerate(system.offsets) if o <= v and system.nvars[j])
        fix.append({tuple(1 if k == v else 0 for k in range(m)): len(supp[owner]), (0,) * m: -1})
    sols = solve_polys([*system.polys, *fix], m)
    if sols.dimension == 0:
        found += _accept(run, system, sols)[0]
    return found


def _label(game: Game, supp: Sequence[Sequence[int]]) -> str:
    return "; ".join(
        f"{p}: {{{', '.join(game.strategies[i][k] for k in s)}}}"
        for i, (p, s) in enumerate(zip(game.players, supp, strict=True))
    )


class _Record(NamedTuple):
    """What one support profile gave: its equilibria, notes, and whether it leaves the set
    degenerate or possibly incomplete."""

    key: int
    found: list[Equilibrium]
    notes: list[str]
    degenerate: bool
    incomplete: bool


def _support(
    run: _Run, exact: bool, index: int, supp: Support, label: str, roots: list[Any] | None, floats: list[Any]
) -> _Record:
    """One support profile: its certified ``roots`` (from :func:`isolate`), or else elimination,
    subdivision, exact algebra and, for a continuum, finitely many of its points."""
    if roots is not None and not roots:
        return _Record(index, [], [], False, False)
    system = indifference_system(run.ints, supp)
    sols = None if roots is None else as_solutions(system, roots)
    if sols is None and system.polys and any(sum(e) > 1 for p in system.polys for e in p):
        sols = eliminate(system, exact)
        if sols is None and floats:
            [alone] = isolate(layout(floats, [supp]))
            sols = None if alone is None else as_solutions(system, alone)
        if sols is None and excluded(system, run.ints):
            return _Record(index, [], [], False, False)
    if sols is None:
        sols = solve_polys(system.polys, sum(system.nvars))
    notes = []
    if not sols.solved:
        notes.append(f"support {label}: algebra gave up; equilibria there may be missing")
    if sols.dimension:
        points = _continuum(run, system, sols.dimension)
        notes.append(
            f"support {label}: the indifference system has a {sols.dimension}-dimensional "
            f"solution set (degenerate game); {len(points)} point(s) of it reported"
        )
        return _Record(index, points, notes, True, True)
    found, unsure = _accept(run, system, sols)
    if unsure:
        notes.append(
            f"support {label}: {unsure} candidate(s) from the exact roots could not be verified or "
            "ruled out after Newton polishing; equilibria there may be missing"
        )
    return _Record(index, found, notes, False, not sols.solved or bool(unsure))


def _groups(sups: list[Support]) -> dict[tuple[int, ...], list[int]]:
    """The supports whose systems are nonlinear (three or more players mix) and too large for
    elimination, by support sizes (the caller skips this where floats would not be exact)."""
    out: dict[tuple[int, ...], list[int]] = {}
    for k, s in enumerate(sups):
        if sum(len(x) > 1 for x in s) >= 3 and sum(len(x) - 1 for x in s) > ELIMINATE_UP_TO:
            out.setdefault(tuple(map(len, s)), []).append(k)
    return out


def _work(emit: Any, run: _Run, exact: bool, sups: list[Support], labels: list[str], budget: Budget) -> None:
    """Solve the supports, fewest strategies first, handing each :class:`_Record` to ``emit``.
    Nonlinear systems with the same support sizes are isolated together by certified
    subdivision (:mod:`.subdivision`) when the first of them comes up."""
    big = max((abs(int(v)) for u in run.ints for v in u.flat), default=0) >= 2**53
    groups = {} if big else _groups(sups)
    floats = [] if big else [np.asarray(u, dtype=float) for u in run.ints]
    roots: dict[int, list[Any] | None] = {}
    for k in sorted(range(len(sups)), key=lambda k: (sum(map(len, sups[k])), k)):
        if budget.expired():
            return
        sizes = tuple(map(len, sups[k]))
        if k not in roots and k in groups.get(sizes, ()):
            members = groups[sizes]
            roots.update(zip(members, isolate(layout(floats, [sups[j] for j in members]), budget), strict=True))
        tried = k in roots  # isolated with its group: no second subdivision if it gave up
        emit(_support(run, exact, k, sups[k], labels[k], roots.get(k), [] if tried else floats))


def solve_polynomial(game: Game, *, exact: bool | None = None, budget: Budget = UNBOUNDED) -> Result:
    """Every isolated Nash equilibrium of ``game`` by support enumeration + polynomial algebra.

    ``exact=None`` reports exact equilibria when the payoffs are rational.  Irrational equilibria
    are floats (Newton-polished, regret-verified) with ``extra['irrational'] = True``.  Supports
    are solved fewest strategies first; under a bounded ``budget`` games with more than
    ``INLINE_VARIABLES`` unknowns solve them in a child process (Gröbner bases cannot be
    interrupted), and when the budget runs out the supports not searched are named in ``limits``.
    """
    exact = game.is_exact if exact is None else exact
    eg = game.as_exact()
    run = _Run(eg, eg if exact else game.as_float(), integer_payoffs(eg.payoffs), game.shape)
    budget.report("support profiles", 0.0)
    sups = list(support_profiles(comparable(run.ints), budget))
    enumerated = not budget.expired()
    labels = [_label(game, s) for s in sups]
    done: dict[int, _Record] = {}

    def arrived(rec: _Record) -> None:
        done[rec.key] = rec
        budget.report("polynomial solves per support", len(done) / max(1, len(sups)))

    small = sum(m - 1 for m in game.shape) <= INLINE_VARIABLES
    _, status = run_streaming(_work, (run, exact, sups, labels, budget), budget, arrived, inline=small)
    if status.startswith("error"):
        raise SolverError(f"polynomial solve failed ({status.removeprefix('error: ')})")
    records = [done[k] for k in sorted(done)]
    found = [e for r in records for e in r.found]
    notes = [note for r in records for note in r.notes]
    degenerate = any(r.degenerate for r in records)
    limits = []
    missing = [k for k in range(len(sups)) if k not in done]
    if missing or not enumerated:
        sizes = sorted({sum(map(len, sups[k])) for k in missing}) or [0]
        span = f"{sizes[0]}" if sizes[0] == sizes[-1] else f"{sizes[0]} to {sizes[-1]}"
        listed = f"{len(missing)} of {len(sups)} support profiles"
        what = f"{listed} (with {span} strategies in all; e.g. {labels[missing[0]]})" if missing else ""
        if not enumerated:
            what = f"support profiles beyond the first {len(sups)} enumerated" + (f", and {what}" if what else "")
        limits.append(budget.limit("support enumeration with polynomial solves", what))
    eqs = tuple(dedupe(found))
    irrational = sum(1 for e in eqs if e.extra.get("irrational"))
    if irrational:
        notes.append(
            f"{irrational} irrational equilibri{'um' if irrational == 1 else 'a'}: "
            "floats from certified subdivision or exact root isolation, Newton-polished and regret-verified"
        )
    complete = not limits and not any(r.incomplete for r in records)
    is_exact = exact and not irrational
    return Result(
        game, eqs, "polynomial", complete, degenerate, is_exact, tuple(notes + limits),
        limits=tuple(limits), time_budget=budget.seconds,
    )
