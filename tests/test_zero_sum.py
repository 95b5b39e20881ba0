"""Zero-sum games by linear programming: the value and the whole equilibrium set, against
pygambit's enummixed (every extreme equilibrium) and by hand."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from oracle import gambit_equilibria_many

from solver.equilibria.twoplayer.zero_sum import is_zero_sum, solve_zero_sum

F = Fraction

HAND = [
    pytest.param([[1, -1], [-1, 1]], F(0), [(F(1, 2), F(1, 2))], [(F(1, 2), F(1, 2))], id="matching-pennies"),
    pytest.param(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]], F(0), [(F(1, 3),) * 3], [(F(1, 3),) * 3], id="rock-paper-scissors"
    ),
    # a dominated column: the column player never plays it; value 2 by hand
    pytest.param([[3, 1, 3], [1, 3, 3]], F(2), [(F(1, 2), F(1, 2))], [(F(1, 2), F(1, 2), F(0))], id="dominated-column"),
    # a constant game: every strategy is optimal, the sets are whole simplices
    pytest.param([[1, 1], [1, 1]], F(1), [(F(0), F(1)), (F(1), F(0))], [(F(0), F(1)), (F(1), F(0))], id="constant"),
    # a saddle point at (row 2, column 1)
    pytest.param([[1, 0], [4, 3]], F(4) - 1, [(F(0), F(1))], [(F(0), F(1))], id="saddle"),
]


@pytest.mark.parametrize(("a", "value", "rows", "cols"), HAND)
def test_hand_derived(a: list[list[int]], value: Fraction, rows: list, cols: list) -> None:
    s = solve_zero_sum(a)
    assert s.complete
    assert (s.value, s.row_vertices, s.col_vertices) == (value, rows, cols)


def test_affine_change_scales_the_value_and_keeps_the_sets() -> None:
    a = [[3, -1, 2], [0, 2, -2], [1, 1, 0]]
    s = solve_zero_sum(a)
    t = solve_zero_sum([[5 * v + 7 for v in row] for row in a])
    assert t.value == 5 * s.value + 7
    assert (t.row_vertices, t.col_vertices) == (s.row_vertices, s.col_vertices)


def _random_games() -> list[np.ndarray]:
    rng = np.random.default_rng(20261202)
    games = [rng.integers(-3, 4, size=(m, n)) for m, n in [(3, 3), (4, 3), (3, 5), (5, 5)] * 4]
    games += [rng.integers(-1, 2, size=(4, 4)) for _ in range(6)]  # many ties: degenerate
    return games


def test_random_games_match_gambit_enummixed() -> None:
    games = _random_games()
    expected = gambit_equilibria_many([np.stack([a, -a]) for a in games], "enummixed", fractions=True, timeout=120)
    for a, eqs in zip(games, expected, strict=True):
        s = solve_zero_sum(a.tolist())
        assert s.complete
        ours = {(r, c) for r in s.row_vertices for c in s.col_vertices}
        theirs = {(tuple(e[0]), tuple(e[1])) for e in eqs}
        assert ours == theirs, a
        x, y = s.row_vertices[0], s.col_vertices[0]
        assert sum(x[i] * int(a[i, j]) * y[j] for i in range(len(x)) for j in range(len(y))) == s.value


def test_recognises_constant_sum() -> None:
    assert is_zero_sum([[1, 2]], [[3, 2]])
    assert not is_zero_sum([[1, 2]], [[3, 3]])


def test_a_spent_budget_stops_the_linear_program_with_a_named_limit() -> None:
    """HiGHS gets the time left: with none left, the answer is empty, incomplete and says why."""
    from solver import solve
    from solver.core.game import Game

    a = np.random.default_rng(3).integers(-9, 10, size=(120, 120))
    res = solve(Game.from_bimatrix(a.tolist(), (-a).tolist()), timeout=0.0)
    assert not res.complete and res.limits and "zero-sum linear programs" in res.limits[0]


def test_columns_within_float_noise_of_tight_do_not_break_exact_recovery() -> None:
    """Row 2 dominates row 1; the column player's two options differ by 1e-15, below HiGHS's
    tolerance, yet only one is optimal.  By hand: value = -9.999999999999999, both pure."""
    big = 10**15
    a = [[-8, -10], [Fraction(-1999999999999999, big), Fraction(-9999999999999999, big)]]
    sol = solve_zero_sum(a)
    assert sol.value == Fraction(-9999999999999999, big)
    assert sol.row_vertices == [(0, 1)] and sol.col_vertices == [(0, 1)]
