"""nashpy's algorithms (Knight & Campbell 2018) as bounded runs, and the verification of their output.

nashpy works in floats and is not guarded against degeneracy (Lemke-Howson can cycle on a
degenerate game), so its runs go through :func:`solver.core.budget.run_streaming`: each profile
is handed over as soon as it is found, and a run that overruns the budget is stopped with what it
found so far.  :func:`verify_profiles` keeps the profiles that pass the regret check, exactly
where the game is exact.  Used by the nashpy adapter and, for games too large to finish vertex
enumeration in time, by :func:`solver.equilibria.twoplayer.vertex.solve_bimatrix`.

>>> from solver.core.game import Game
>>> bos = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> found, status = nashpy_profiles(bos, "lemke-howson")
>>> eqs, dropped, exact = verify_profiles(bos, found)
>>> status, sorted(e.describe() for e in eqs)[0], dropped, exact
('done', 'pure (1, 1)', 0, True)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.budget import UNBOUNDED, Budget, run_streaming
from solver.core.game import Game
from solver.core.result import Equilibrium
from solver.equilibria.verify import make_equilibrium

#: denominators tried when snapping nashpy's floats back to rationals for an exact game
_MAX_DENOMINATOR = 10**6


def _run(emit: Callable[[Any], None], a: Any, b: Any, algorithm: str, budget: Budget) -> None:
    """Emit nashpy's raw profiles (Lemke-Howson: one run per dropped label, failing runs skipped)."""
    import nashpy

    nash = nashpy.Game(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if algorithm in ("vertex", "support"):
            gen = nash.vertex_enumeration() if algorithm == "vertex" else nash.support_enumeration()
            for profile in gen:
                emit(profile)
                if budget.expired():
                    return
            return
        for label in range(sum(a.shape)):
            if budget.expired():
                return
            try:
                emit(nash.lemke_howson(initial_dropped_label=label))
            except (ValueError, IndexError, np.linalg.LinAlgError):
                continue


def nashpy_profiles(game: Game, algorithm: str, budget: Budget = UNBOUNDED) -> tuple[list[Any], str]:
    """nashpy's raw profiles for ``algorithm`` (vertex, support, lemke-howson) and the run's
    status (``"done"``, ``"timeout"``, ``"error: ..."``, as :func:`run_streaming`)."""
    import nashpy  # noqa: F401  (imported before the fork)

    a, b = (np.asarray(p, dtype=float) for p in game.float_payoffs())
    return run_streaming(_run, (a, b, algorithm, budget), budget)


def _snap(vec: Sequence[float]) -> tuple[Fraction, ...]:
    """Nearest rationals with small denominators, renormalised to sum exactly 1."""
    fr = [Fraction(float(v)).limit_denominator(_MAX_DENOMINATOR) for v in vec]
    fr = [max(v, Fraction(0)) for v in fr]
    total = sum(fr, Fraction(0))
    return tuple(v / total for v in fr) if total else tuple(fr)


def verify_profiles(game: Game, profiles: Sequence[tuple[Any, Any]]) -> tuple[list[Equilibrium], int, bool]:
    """Profiles that pass the regret check, how many failed, and whether they are exact.

    Checked in floats first; for an exact game the survivors are then snapped to rationals and
    kept exactly if *all* of them are exact equilibria (else all stay floats).
    """
    flt = game.as_float()
    kept: list[tuple[Any, Any]] = []
    eqs: list[Equilibrium] = []
    for x, y in profiles:
        vecs = (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        if not all(np.all(np.isfinite(v)) for v in vecs):
            continue
        try:
            eqs.append(make_equilibrium(flt, [v.tolist() for v in vecs]))
        except ValueError:
            continue
        kept.append(vecs)
    dropped = len(profiles) - len(eqs)
    if game.is_exact:
        try:
            return [make_equilibrium(game, (_snap(x), _snap(y))) for x, y in kept], dropped, True
        except (ValueError, ZeroDivisionError):
            pass
    return eqs, dropped, False
