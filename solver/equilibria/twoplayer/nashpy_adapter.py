"""nashpy (Knight & Campbell 2018) as an independent second opinion for two-player games.

nashpy's algorithms (von Stengel 2007: support enumeration, vertex enumeration, Lemke-Howson
from every dropped label) work in floats and are not guarded against degeneracy, so every
profile they return is re-verified by regret here (:mod:`.nashpy_runs`): failures are dropped
(and counted in the notes), duplicates merged.  ``complete`` is claimed only where it is checked:
never for Lemke-Howson, which finds some equilibria; never for support enumeration, whose
floating-point rank and sign tests can miss equilibria of nondegenerate games; for vertex
enumeration only on nondegenerate games where nashpy found as many equilibria as the exact
vertex enumeration (:func:`~solver.equilibria.twoplayer.vertex.extreme_equilibria`) has.

>>> from solver.core.game import Game
>>> bos = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> res = solve_nashpy(bos, algorithm="vertex")
>>> len(res), res.complete, res.exact
(3, True, True)
>>> solve_nashpy(bos, algorithm="support").complete
False
"""

from __future__ import annotations

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import SolverError
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.twoplayer.nashpy_runs import nashpy_profiles, verify_profiles
from solver.equilibria.twoplayer.vertex import bounded_extreme
from solver.equilibria.verify import dedupe

ALGORITHMS = ("vertex", "support", "lemke-howson")


def solve_nashpy(game: Game, algorithm: str = "vertex", *, budget: Budget = UNBOUNDED) -> Result:
    """Equilibria of a two-player game by nashpy, each verified by regret (method ``nashpy-*``).

    ``algorithm`` is ``"vertex"``, ``"support"`` or ``"lemke-howson"``.  For exact games the
    float output is snapped to nearby rationals and verified exactly; if any profile fails
    that, all are verified in floats instead (``exact=False``).  Under a bounded ``budget`` nashpy
    runs in a child process stopped when the budget is spent (keeping what it found).
    """
    if algorithm not in ALGORITHMS:
        raise SolverError(
            f"unknown nashpy algorithm {algorithm!r} (expected one of {', '.join(ALGORITHMS)})"
        )
    if game.n_players != 2:
        raise SolverError(f"nashpy needs 2 players, not {game.n_players}")
    budget.report(f"nashpy {algorithm}", 0.0)
    raw, status = nashpy_profiles(game, algorithm, budget)
    eqs, dropped, exact = verify_profiles(game, raw)
    unique = dedupe(eqs)
    notes: list[str] = []
    limits: list[str] = []
    if status == "timeout":
        limits.append(budget.limit(f"nashpy {algorithm}", "the rest of nashpy's search"))
    elif status != "done":
        raise SolverError(f"nashpy {algorithm} failed ({status.removeprefix('error: ')})")
    reference = bounded_extreme(game.payoffs[0], game.payoffs[1], game.is_exact, budget)
    if reference is None and status == "done":
        limits.append(budget.limit("the cross-check by exact vertex enumeration", "degeneracy"))
    degenerate = reference is not None and reference.degenerate
    expected = len(reference.pairs) if reference is not None else 0
    if dropped:
        notes.append(f"{dropped} nashpy profile(s) failed the regret check and were dropped")
    if len(unique) < len(eqs):
        notes.append(f"{len(eqs) - len(unique)} duplicate profile(s) merged")
    if degenerate:
        notes.append(
            "degenerate game: nashpy may miss equilibria or report only some points of a continuum"
        )
    if algorithm == "lemke-howson":
        notes.append("Lemke-Howson finds some equilibria, not necessarily all")
    if algorithm == "support":
        notes.append(
            "nashpy's support enumeration decides supports by floating-point rank and sign tests "
            "and can miss equilibria even of nondegenerate games: not complete by guarantee"
        )
    short = reference is not None and not degenerate and len(unique) < expected
    if algorithm == "vertex" and short:
        notes.append(
            f"nashpy found {len(unique)} of the {expected} equilibria that exact vertex "
            "enumeration finds"
        )
    complete = (
        algorithm == "vertex" and reference is not None and not degenerate and not dropped and not short
    )
    notes.extend(limits)
    return Result(
        game,
        tuple(unique),
        f"nashpy-{algorithm}",
        complete,
        degenerate,
        exact,
        tuple(notes),
        tuple((k,) for k in range(len(unique))),
        limits=tuple(limits),
        time_budget=budget.seconds,
    )
