"""Equilibrium solvers: one entry point, one result type.

``solve`` picks the algorithm: pure best-response checks for one player; vertex enumeration of
the best-response polytopes for two (all extreme equilibria and the components of degenerate
games); support enumeration with an exact polynomial solve per support for three or more.

>>> from solver.core.game import Game
>>> r = solve(Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
>>> [e.profile["Row"] for e in r.equilibria], r.complete
([{'1': Fraction(1, 2), '2': Fraction(1, 2)}], True)

Every solve can be bounded in time: ``timeout=`` seconds (or a :class:`~solver.core.budget.Budget`
shared with the caller).  When it runs out, the result holds what was found and verified, with
``complete = False`` and what was not searched in ``limits``:

>>> r = solve(Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), timeout=60)
>>> r.time_budget, r.limits
(60, ())
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

import numpy as np

from solver.core.budget import Budget, Progress
from solver.core.errors import ModelError, ParameterError, SolverError
from solver.core.game import Game, Number
from solver.core.result import Result

#: a player whose largest payoff magnitude lies outside [2^-LOG2_RANGE, 2^LOG2_RANGE] is solved
#: on payoffs divided by a power of two (exact in floats and rationals): products and differences
#: of raw payoffs near 1e308 overflow and near 1e-308 underflow, and equilibria do not change
#: when one player's payoffs are multiplied by a positive number
LOG2_RANGE = 500

METHODS = (
    "auto",
    "pure",
    "vertex",
    "support",
    "polynomial",
    "nashpy-vertex",
    "nashpy-support",
    "nashpy-lh",
)


def solve(
    game: Game,
    *,
    method: str = "auto",
    exact: bool | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
) -> Result:
    """Every Nash equilibrium of ``game`` (see the module docstring for the algorithms).

    ``exact=None`` computes exactly when the payoffs are rational, in floats otherwise;
    ``exact=True`` forces rationals; ``exact=False`` forces floats (faster).  ``timeout``
    (seconds, ``None``: no limit) bounds the computation, ``progress(phase, fraction)`` hears
    how far it is; ``budget`` passes both at once (it wins over ``timeout`` and ``progress``).
    A player whose payoffs would overflow or underflow floats (1e308, 1e-308) is solved on them
    divided by a power of two (:func:`normalised`); the result is in the game's own units.  A
    result with no equilibrium is never ``complete`` (every finite game has one, Nash 1951).
    """
    if timeout is not None and not (isinstance(timeout, int | float) and timeout >= 0):
        raise ParameterError(f"timeout must be a number of seconds >= 0 (or None), got {timeout!r}")
    bud = Budget.of(budget, timeout, progress)
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r} (expected one of {', '.join(METHODS)})")
    if not isinstance(game, Game):
        raise ModelError(f"solve() takes a Game, got {type(game).__name__}")
    if game.n_players == 0 or 0 in game.shape:
        raise ModelError(f"an empty game (shape {game.shape}): nothing to solve")
    if exact is None:
        exact = game.is_exact
    g = game.as_exact() if exact else game.as_float()
    scaled, factors = normalised(g)
    result = _solve(scaled, method, bud)
    if factors is not None:
        result = rescaled(result, g, factors)
    if result.complete and not result.equilibria:  # Nash 1951: never "all of none"
        result = replace(
            result,
            complete=False,
            notes=(
                *result.notes,
                "no equilibrium was found, although every finite game has one (Nash 1951): the "
                "computation lost precision; the list is not complete (try exact arithmetic)",
            ),
        )
    return result


def _solve(g: Game, method: str, bud: Budget) -> Result:
    n = g.n_players
    if method == "auto":
        method = "pure" if n == 1 else "vertex" if n == 2 else "polynomial"
    if method == "pure":
        from solver.equilibria.pure import solve_pure

        return _timed(solve_pure(g), bud)
    if method in ("vertex", "support", "nashpy-vertex", "nashpy-support", "nashpy-lh") and n != 2:
        raise SolverError(f"method {method!r} needs exactly two players; this game has {n}")
    if method == "vertex":
        from solver.equilibria.twoplayer.vertex import solve_bimatrix

        if g.shape == (2, 2):
            from solver.equilibria.twoplayer.closed_form import solve_two_by_two

            closed = solve_two_by_two(g)
            if closed is not None:
                return _timed(closed, bud)
        from solver.equilibria.twoplayer.zero_sum_result import is_exact_zero_sum, solve_zero_sum_game

        if is_exact_zero_sum(g):  # one LP per player instead of every vertex of both polytopes
            return solve_zero_sum_game(g, budget=bud)
        return solve_bimatrix(g, budget=bud)
    if method == "support":
        from solver.equilibria.twoplayer.support import solve_support

        return solve_support(g, budget=bud)
    if method.startswith("nashpy-"):
        from solver.equilibria.twoplayer.nashpy_adapter import solve_nashpy

        algorithm = {
            "nashpy-vertex": "vertex",
            "nashpy-support": "support",
            "nashpy-lh": "lemke-howson",
        }[method]
        return solve_nashpy(g, algorithm=algorithm, budget=bud)
    if g.shape == (2, 2, 2) and not g.is_exact:
        from solver.equilibria.nplayer.closed_form import solve_two_by_two_by_two

        closed3 = solve_two_by_two_by_two(g)
        if closed3 is not None:
            return _timed(closed3, bud)
    from solver.equilibria.nplayer.polynomial import solve_polynomial

    return solve_polynomial(g, budget=bud)


def _timed(result: Result, budget: Budget) -> Result:
    """``result`` (of a solver that always finishes at once) with the budget it ran under."""
    return result if budget.seconds is None else replace(result, time_budget=budget.seconds)


def _exponent(m: Number) -> int:
    """``e`` with ``2^e <= |m| < 2^(e+1)`` roughly (exact enough to pick a scale)."""
    if isinstance(m, Fraction):
        return m.numerator.bit_length() - m.denominator.bit_length()
    return math.frexp(m)[1] - 1


def normalised(game: Game) -> tuple[Game, tuple[int, ...] | None]:
    """The game with player ``i``'s payoffs divided by ``2^e_i`` where they would overflow or
    underflow floats, and the exponents ``e_i`` (``None`` when no player needed it)."""
    exps: list[int] = []
    for i in range(game.n_players):
        m = max(abs(v) for v in game.payoffs[i].flat) if game.is_exact else float(np.abs(game.payoffs[i]).max())
        e = _exponent(m) if m else 0
        exps.append(e if abs(e) > LOG2_RANGE else 0)
    if not any(exps):
        return game, None
    if game.is_exact:
        arr = np.empty(game.payoffs.shape, dtype=object)
        for i, e in enumerate(exps):
            arr[i] = game.payoffs[i] * (Fraction(1, 2**e) if e >= 0 else Fraction(2**-e))
    else:
        arr = np.stack([np.ldexp(game.payoffs[i], -e) for i, e in enumerate(exps)])
    return Game(game.players, game.strategies, arr, game.title, game.is_exact), tuple(exps)


def rescaled(result: Result, game: Game, exps: tuple[int, ...]) -> Result:
    """``result`` (solved on :func:`normalised` payoffs) in the units of ``game``: the profiles
    are the same, payoffs and regrets are multiplied back."""
    from solver.equilibria.verify import regrets

    def back(v: Number, e: int) -> Number:
        if isinstance(v, Fraction):
            return v * Fraction(2) ** e
        return math.ldexp(float(v), e)

    eqs = []
    for eq in result.equilibria:
        regs, _ = regrets(result.game, eq.vectors)
        worst = max(float(back(r, e)) for r, e in zip(regs, exps, strict=True))
        values = tuple(back(v, e) for v, e in zip(eq.values, exps, strict=True))
        eqs.append(replace(eq, values=values, max_regret=max(worst, 0.0)))
    note = (
        "payoffs were divided by powers of two per player to stay within float range "
        "(equilibria do not change); payoffs are shown in the game's own units"
    )
    return replace(result, game=game, equilibria=tuple(eqs), notes=(*result.notes, note))
