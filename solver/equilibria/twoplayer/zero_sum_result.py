"""Exact zero-sum two-player games as a :class:`~solver.core.result.Result`: the LP route.

In a zero-sum (constant-sum) game the equilibria are exactly the pairs of optimal strategies, so
the equilibrium set is the product ``X* x Y*`` of two polytopes (:mod:`.zero_sum`): one component,
whose extreme equilibria are all pairs (vertex of ``X*``, vertex of ``Y*``).  One LP per player
replaces the enumeration of every vertex of both best-response polytopes (exponential in the
size of the game).  ``degenerate`` is set as the vertex path sets it for the equilibrium
vertices: an extreme optimal strategy with more pure best replies against it than its support
size (a vertex with more labels than its dimension), or more than one extreme equilibrium.

>>> from solver.core.game import Game
>>> r = solve_zero_sum_game(Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
>>> [e.describe() for e in r.equilibria], r.degenerate, r.complete, r.components
(['mixed (full support)'], False, True, ((0,),))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import BudgetSpent
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.twoplayer.zero_sum import is_zero_sum, solve_zero_sum
from solver.equilibria.verify import dropped_note, verified


def is_exact_zero_sum(game: Game) -> bool:
    """An exact two-player game whose payoffs sum to a constant in every cell."""
    return game.n_players == 2 and game.is_exact and is_zero_sum(game.payoffs[0], game.payoffs[1])


def _too_many_replies(a: Any, vertices: list[tuple[Fraction, ...]], value: Fraction, row: bool) -> bool:
    """Whether an extreme optimal strategy has more pure best replies than its support size."""
    m, n = len(a), len(a[0])
    for v in vertices:
        if row:  # the column player's best replies to x minimise x'A
            pay = [sum((v[i] * a[i][j] for i in range(m)), Fraction(0)) for j in range(n)]
        else:  # the row player's best replies to y maximise A y
            pay = [sum((a[i][j] * v[j] for j in range(n)), Fraction(0)) for i in range(m)]
        if sum(p == value for p in pay) > sum(1 for p in v if p):
            return True
    return False


def solve_zero_sum_game(game: Game, budget: Budget = UNBOUNDED) -> Result:
    """Every equilibrium of an exact zero-sum two-player game (method ``"vertex"``: the same
    extreme equilibria and component the vertex enumeration gives, by linear programming)."""
    exact = game.as_exact()
    a = exact.payoffs[0].tolist()
    budget.report("zero-sum linear programs", 0.0)
    try:
        sol = solve_zero_sum(a, budget)
    except BudgetSpent:
        limit = budget.limit("the zero-sum linear programs", "the value and the equilibria")
        return Result(game, (), "vertex", False, False, True, (limit,), limits=(limit,), time_budget=budget.seconds)
    budget.report("zero-sum linear programs", 1.0)
    pairs = [(x, y) for x in sol.row_vertices for y in sol.col_vertices]
    eqs, kept = verified(exact, pairs)
    degenerate = len(pairs) > 1 or (
        _too_many_replies(a, sol.row_vertices, sol.value, True)
        or _too_many_replies(a, sol.col_vertices, sol.value, False)
    )
    notes: list[str] = [f"zero-sum game: value {sol.value} to the row player, solved by linear programming"]
    limits: tuple[str, ...] = ()
    if degenerate:
        notes.append(
            f"degenerate game: {len(eqs)} extreme equilibria in 1 maximal Nash subset; every "
            "convex combination of them is an equilibrium too (optimal strategies are interchangeable)"
        )
    if len(kept) < len(pairs):
        notes.append(dropped_note(len(pairs) - len(kept)))
    if not sol.complete:
        limits = (budget.limit("zero-sum vertex walk", "further extreme optimal strategies were"),)
        notes.extend(limits)
    comps = (tuple(range(len(eqs))),) if eqs else ()
    return Result(
        game,
        tuple(eqs),
        "vertex",
        sol.complete and len(kept) == len(pairs),
        degenerate,
        True,
        tuple(notes),
        comps,
        limits=limits,
        time_budget=budget.seconds,
    )
