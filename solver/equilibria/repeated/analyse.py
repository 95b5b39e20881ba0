"""One entry point: is a pure profile of a stage game sustained in the infinitely repeated game?

:func:`analyse_repeated` gathers, for a target profile ``a`` of a game with perfect monitoring
and a common discount factor: the stage equilibria (exact), grim trigger with Nash reversion
(Friedman 1971), the minmax bound (Fudenberg & Maskin 1986), simple penal codes with
stick-and-carrot punishments (Abreu 1988), and for two players the feasible individually
rational payoffs and, at a given delta, the subgame-perfect payoff set (Abreu & Sannikov 2014).
Labels outside, indices inside; numbers are exact (float payoffs are read at their decimal value).

Prisoner's dilemma (T = 5, R = 3, P = 1, S = 0), target mutual cooperation:

>>> from solver.core.game import Game
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                         strategies=(("Cooperate", "Defect"), ("Cooperate", "Defect")))
>>> r = analyse_repeated(pd, "Cooperate, Cooperate", delta="0.6")
>>> [(p.kind, str(p.critical_delta)) for p in r.punishments]
[('nash', '1/2'), ('minmax', '1/2'), ('penal_code', '1/2')]
>>> r.sustained(), [tuple(map(str, v)) for v in r.feasible_ir_set.vertices]
(True, [('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solver.core.budget import Budget
from solver.core.errors import ModelError, ParameterError, SolverError
from solver.core.game import Game, short, to_fraction
from solver.core.result import exact_string
from solver.core.tolerances import REPEATED_CERTIFIED, REPEATED_CONVERGENCE, REPEATED_GEOMETRY
from solver.equilibria.repeated.abreu_sannikov import abreu_sannikov
from solver.equilibria.repeated.abreu_sannikov_exact import EMPTY, exact_payoff_set
from solver.equilibria.repeated.grim import minmax_bound, nash_reversion, reversions
from solver.equilibria.repeated.penal import best_penal_code, penal_punishment
from solver.equilibria.repeated.polygon import clip_above, convex_hull
from solver.equilibria.repeated.result import PayoffSet, RepeatedResult
from solver.equilibria.repeated.stage import (
    check_delta,
    describe,
    deviation_payoffs,
    mixed_minmax,
    pure_minmax,
    stage_equilibria,
    target_index,
)


def feasible_ir_set(game: Game, minmax: Any) -> PayoffSet:
    """Feasible payoffs (convex hull of the pure profiles' payoffs; with public randomisation)
    at or above each player's minmax value: exact where the game is."""
    pts = [game.payoff(p) for p in _profiles(game)]
    hull = convex_hull([(p[0], p[1]) for p in pts])
    clipped = clip_above(clip_above(hull, 0, minmax[0]), 1, minmax[1])
    return PayoffSet(tuple(clipped), note="feasible payoffs at or above each player's minmax value")


def _mixture(game: Game, k: int, mix: Any) -> str:
    """``Column plays High`` or ``Column mixes Low 1/3, High 2/3``."""
    parts = [(s, q) for s, q in zip(game.strategies[k], mix, strict=True) if q]
    if len(parts) == 1:
        return f"{game.players[k]} plays {parts[0][0]}"
    return f"{game.players[k]} mixes " + ", ".join(f"{s} {exact_string(q)}" for s, q in parts)


def _profiles(game: Game) -> list[tuple[int, ...]]:
    return [tuple(int(k) for k in p) for p in np.ndindex(*game.shape)]


def analyse_repeated(
    game: Game,
    target: Any,
    *,
    delta: Any = None,
    payoff_set: bool | None = None,
    timeout: float | None = None,
    budget: Budget | None = None,
) -> RepeatedResult:
    """Critical discount factors of ``target`` under each punishment, and for two players the
    payoff sets.  ``delta`` (optional, in (0, 1)) is the discount factor asked about;
    ``payoff_set`` computes the Abreu-Sannikov set at ``delta`` (default: when two players and a
    delta are given; asking for it with more than two players raises :class:`SolverError`)."""
    if not isinstance(game, Game):
        raise ModelError(f"a repeated game needs a Game as its stage game, got {type(game).__name__}")
    bud = Budget.of(budget, timeout)
    a = target_index(game, target)
    d = check_delta(delta) if delta is not None else None
    n = game.n_players
    if payoff_set and n != 2:
        raise SolverError(
            f"the set of subgame-perfect payoffs is computed for two players (Abreu-Sannikov); "
            f"this game has {n}"
        )
    if payoff_set and d is None:
        raise ParameterError("the set of subgame-perfect payoffs needs a discount factor (delta)")
    exact = game.as_exact()
    stage = stage_equilibria(exact, timeout=bud.remaining())
    eqs = stage.equilibria
    if not eqs:
        raise SolverError("no stage equilibrium was found in the time allowed: nothing to revert to")
    notes: list[str] = list(stage.notes)
    limits: list[str] = list(stage.limits)
    if not stage.complete:
        notes.append("the stage equilibria may be incomplete: a worse one would lower the Nash-reversion delta")
    if not game.is_exact:
        notes.append("float payoffs were read at their decimal values: the deltas are exact for those")
    pure = pure_minmax(exact.payoffs)
    values: list[Any] = [v for v, _ in pure]
    punishers = [
        ", ".join(f"{game.players[k]} plays {game.strategies[k][prof[k]]}" for k in range(n) if k != i)
        for i, (_, prof) in enumerate(pure)
    ]
    if n == 2:
        mixed = mixed_minmax(exact)
        values = [v for v, _ in mixed]
        punishers = [_mixture(game, 1 - i, mix) for i, (_, mix) in enumerate(mixed)]
    nash = nash_reversion(exact, a, eqs)
    worst = [min(eqs, key=lambda e: to_fraction(e.values[i])) for i in range(n)]
    code = best_penal_code(exact, a, [w.values[i] for i, w in enumerate(worst)], bud)
    if not code.complete:
        limits.append("penal codes: only part of the stick-and-carrot punishments were searched")
    punishments = (
        nash,
        minmax_bound(exact, a, values, mixed=n == 2),
        penal_punishment(exact, a, code, [w.describe() for w in worst]),
    )
    feasible = feasible_ir_set(exact, values) if n == 2 else None
    found = None
    if d is not None and n == 2 and payoff_set is not False:
        found = exact_payoff_set(exact.payoffs[0].tolist(), exact.payoffs[1].tolist(), d, budget=bud)
        if found is EMPTY:
            found = None
        elif found is None:  # the exact iteration does not stop: floats, to the tolerance
            f = exact.float_payoffs()
            found = abreu_sannikov(f[0], f[1], float(d), budget=bud)
        if found is None:
            notes.append(f"no pure-strategy subgame-perfect equilibrium exists at delta = {short(d)}")
        elif not found.converged:
            limits.append(found.note)
    u = exact.payoff(a)
    dev = deviation_payoffs(exact.payoffs, a)
    notes.append(
        f"target {describe(game, a)} pays "
        + ", ".join(f"{p} {short(u[i])} (best deviation {short(dev[i])})" for i, p in enumerate(game.players))
    )
    return RepeatedResult(
        game=game,
        target=tuple(s[k] for s, k in zip(game.strategies, a, strict=True)),
        target_payoffs=dict(zip(game.players, u, strict=True)),
        deviation_payoffs=dict(zip(game.players, dev, strict=True)),
        punishments=punishments,
        reversions=tuple(reversions(exact, a, eqs)),
        stage_equilibria=eqs,
        minmax=dict(zip(game.players, values, strict=True)),
        pure_minmax=dict(zip(game.players, [v for v, _ in pure], strict=True)),
        punishers=dict(zip(game.players, punishers, strict=True)),
        delta=d,
        payoff_set=found,
        feasible_ir_set=feasible,
        notes=tuple(notes),
        method="grim trigger (Friedman 1971); minmax bound; simple penal codes (Abreu 1988)"
        + ("; Abreu-Sannikov (2014) payoff set" if found is not None else ""),
        tolerances=(
            {"convergence": REPEATED_CONVERGENCE, "certified": REPEATED_CERTIFIED, "geometry": REPEATED_GEOMETRY}
            if found is not None and not found.note.startswith("exact")
            else {}
        ),
        complete=stage.complete and code.complete and (found is None or found.converged),
        limits=tuple(limits),
    )
