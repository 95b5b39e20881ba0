"""nashpy (Knight & Campbell 2018) as an independent second opinion for two-player games.

nashpy's algorithms (von Stengel 2007: support enumeration, vertex enumeration, Lemke-Howson
from every dropped label) work in floats and are not guarded against degeneracy, so every
profile they return is re-verified by regret here: failures are dropped (and counted in the
notes), duplicates merged.  ``complete`` is only claimed where the algorithm guarantees it:
never for Lemke-Howson, and for the enumerations only on nondegenerate games.

>>> from solver.core.game import Game
>>> res = solve_nashpy(Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), algorithm="support")
>>> len(res), res.complete, res.exact
(3, True, True)
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.errors import SolverError
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.equilibria.twoplayer.vertex import extreme_equilibria
from solver.equilibria.verify import dedupe, make_equilibrium

ALGORITHMS = ("vertex", "support", "lemke-howson")
#: denominators tried when snapping nashpy's floats back to rationals for an exact game
_MAX_DENOMINATOR = 10**6


def _profiles(a: Any, b: Any, algorithm: str) -> list[tuple[Any, Any]]:
    """Raw nashpy output (Lemke-Howson: one run per dropped label; failing runs skipped)."""
    import nashpy

    nash = nashpy.Game(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if algorithm == "vertex":
            return list(nash.vertex_enumeration())
        if algorithm == "support":
            return list(nash.support_enumeration())
        found = []
        for label in range(sum(a.shape)):
            try:
                found.append(nash.lemke_howson(initial_dropped_label=label))
            except (ValueError, IndexError, np.linalg.LinAlgError):
                continue
        return found


def _snap(vec: Sequence[float]) -> tuple[Fraction, ...]:
    """Nearest rationals with small denominators, renormalised to sum exactly 1."""
    fr = [Fraction(float(v)).limit_denominator(_MAX_DENOMINATOR) for v in vec]
    fr = [max(v, Fraction(0)) for v in fr]
    total = sum(fr, Fraction(0))
    return tuple(v / total for v in fr) if total else tuple(fr)


def _verify_all(game: Game, profiles: list[tuple[Any, Any]]) -> tuple[list[Equilibrium], int, bool]:
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


def solve_nashpy(game: Game, algorithm: str = "vertex") -> Result:
    """Equilibria of a two-player game by nashpy, each verified by regret (method ``nashpy-*``).

    ``algorithm`` is ``"vertex"``, ``"support"`` or ``"lemke-howson"``.  For exact games the
    float output is snapped to nearby rationals and verified exactly; if any profile fails
    that, all are verified in floats instead (``exact=False``).
    """
    if algorithm not in ALGORITHMS:
        raise SolverError(
            f"unknown nashpy algorithm {algorithm!r} (expected one of {', '.join(ALGORITHMS)})"
        )
    if game.n_players != 2:
        raise SolverError(f"nashpy needs 2 players, not {game.n_players}")
    a, b = (np.asarray(p, dtype=float) for p in game.float_payoffs())
    raw = _profiles(a, b, algorithm)
    eqs, dropped, exact = _verify_all(game, raw)
    unique = dedupe(eqs)
    degenerate = extreme_equilibria(
        game.payoffs[0], game.payoffs[1], exact=game.is_exact
    ).degenerate
    notes: list[str] = []
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
    complete = algorithm != "lemke-howson" and not degenerate and not dropped
    return Result(
        game,
        tuple(unique),
        f"nashpy-{algorithm}",
        complete,
        degenerate,
        exact,
        tuple(notes),
        tuple((k,) for k in range(len(unique))),
    )
