"""What a two-player solve still finds when the time budget stops vertex enumeration.

Vertex enumeration of a large game (Qhull on polytopes of dimension 27 and 64 for the reduced
normal form of Kuhn poker) can run far past any budget, and it reports nothing until it is done.
In the time that is left, the pure equilibria (best-response checks, :mod:`solver.equilibria.pure`)
and Lemke-Howson from every dropped label (Lemke & Howson 1964; nashpy's implementation, one
forked run per label, each stopped if it cycles on a degenerate game) still give equilibria;
each is verified by regret (:func:`.nashpy_runs.verify_profiles`).  The result says it is not
complete and what was not searched.

>>> from solver.core.budget import Budget
>>> from solver.core.game import Game
>>> bos = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])   # battle of the sexes
>>> eqs, labels = lemke_howson_fallback(bos, Budget.start(5.0))
>>> sorted(e.describe() for e in eqs), labels   # Lemke-Howson reaches its pure equilibria only
(['pure (1, 1)', 'pure (2, 2)'], 4)
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.budget import Budget, run_bounded
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.equilibria.pure import pure_profiles
from solver.equilibria.twoplayer.nashpy_runs import verify_profiles
from solver.equilibria.verify import dedupe, same_profile

#: seconds one Lemke-Howson run may take before it counts as cycling
RUN_CAP = 0.5


def _lemke_howson(a: Any, b: Any, label: int) -> Any:
    import nashpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nashpy.Game(a, b).lemke_howson(initial_dropped_label=label)


def _key(profile: Any) -> tuple[float, ...]:
    """A profile rounded to the duplicate tolerance's order, as a dictionary key."""
    return tuple(np.round(np.concatenate([np.asarray(v, dtype=float) for v in profile]), 9).tolist())


def lemke_howson_fallback(game: Game, budget: Budget) -> tuple[list[Equilibrium], int]:
    """Verified pure equilibria and Lemke-Howson equilibria found within ``budget``, and the
    number of dropped labels whose run finished (with an equilibrium or a failure).

    The pure equilibria pass the regret check as they are found (:func:`.pure.pure_profiles`:
    exactly for an exact game, where a best response along every axis is zero regret), so that
    a degenerate game with thousands of them is still answered at once."""
    import nashpy  # noqa: F401  (imported here, once, not in every forked run)

    m, n = game.shape
    a, b = (np.asarray(p, dtype=float) for p in game.float_payoffs())
    jobs = [(_lemke_howson, (a, b, label)) for label in range(m + n)]
    outcomes = run_bounded(jobs, RUN_CAP, budget=budget, phase="Lemke-Howson")
    runs = {_key(v): v for status, v in outcomes if status == "ok"}  # many labels, few distinct ends
    found, _, exact = verify_profiles(game, list(runs.values()))
    target = game if exact or not found else game.as_float()
    pure = pure_profiles(target, verify=not target.is_exact)
    extra = [e for e in dedupe(found) if not any(same_profile(e, p) for p in pure)]
    return pure + extra, sum(status != "timeout" for status, _ in outcomes)


def unfinished(game: Game, budget: Budget) -> Result:
    """The result of vertex enumeration that ran out of time: what :func:`lemke_howson_fallback`
    finds in the rest of the budget, ``complete = False``, and the limit in words."""
    eqs, runs = lemke_howson_fallback(game, budget)
    m, n = game.shape
    limit = budget.limit(
        "vertex enumeration",
        f"the best-response polytopes ({m} x {n}) were not enumerated: equilibria beyond the pure "
        f"ones and those Lemke-Howson reached from {runs} of {m + n} dropped labels were",
    )
    found = f"{len(eqs)} equilibri{'um' if len(eqs) == 1 else 'a'}"
    how = "from pure best-response checks and Lemke-Howson (nashpy), each verified by regret; degeneracy not tested"
    notes = (f"{found} {how}", limit)
    exact = bool(eqs) and all(isinstance(v, Fraction) for e in eqs for vec in e.vectors for v in vec)
    comps = tuple((k,) for k in range(len(eqs)))
    return Result(
        game, tuple(eqs), "vertex", False, False, exact, notes, comps, limits=(limit,), time_budget=budget.seconds
    )
