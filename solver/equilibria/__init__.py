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

from solver.core.budget import Budget, Progress
from solver.core.errors import SolverError
from solver.core.game import Game
from solver.core.result import Result

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
    """
    bud = Budget.of(budget, timeout, progress)
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r} (expected one of {', '.join(METHODS)})")
    if exact is None:
        exact = game.is_exact
    g = game.as_exact() if exact else game.as_float()
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
    from dataclasses import replace

    return result if budget.seconds is None else replace(result, time_budget=budget.seconds)
