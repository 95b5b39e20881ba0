"""``solve``: known games with known equilibrium sets across methods, exact vs float agreement,
and invariance under positive affine payoff transforms and relabelling (hypothesis).

Tests that need the bimatrix or polynomial modules skip (with the reason) only while those
modules are missing.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import as_fractions, same_set
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solver import solve
from solver.core.errors import SolverError
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.verify import max_regret, regret_tolerance

Profile = tuple[tuple[Any, ...], ...]
h = F(1, 2)
t = F(1, 3)

# (id, A, B, the complete set of (extreme) equilibria)
NONDEGENERATE: list[tuple[str, Any, Any, list[Profile]]] = [
    ("matching-pennies", [[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [((h, h), (h, h))]),
    ("prisoners-dilemma", [[3, 0], [5, 1]], [[3, 5], [0, 1]], [((0, 1), (0, 1))]),
    (
        "battle-of-the-sexes",
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5)))],
    ),
    (
        "chicken",
        [[3, 2], [4, 1]],
        [[3, 4], [2, 1]],
        [((1, 0), (0, 1)), ((0, 1), (1, 0)), ((h, h), (h, h))],
    ),
    (
        "stag-hunt",
        [[4, 0], [3, 3]],
        [[4, 3], [0, 3]],
        [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((F(3, 4), F(1, 4)), (F(3, 4), F(1, 4)))],
    ),
    (
        "rock-paper-scissors",
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        [((t, t, t), (t, t, t))],
    ),
    (
        "coordination-3x3",
        np.eye(3, dtype=int).tolist(),
        np.eye(3, dtype=int).tolist(),
        [
            (v, v)
            for v in [
                (1, 0, 0),
                (0, 1, 0),
                (0, 0, 1),
                (h, h, 0),
                (h, 0, h),
                (0, h, h),
                (t, t, t),
            ]
        ],
    ),
    (
        "von-stengel-3x2",  # von Stengel 2007, AGT ch. 3: nondegenerate, 3 equilibria
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        [
            ((1, 0, 0), (1, 0)),
            ((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))),
            ((0, t, 2 * t), (t, 2 * t)),
        ],
    ),
    (
        "dominance-2x3",
        [[2, 0, 1], [1, 1, 0]],
        [[1, 0, 0], [0, 2, 0]],
        [((1, 0), (1, 0, 0)), ((0, 1), (0, 1, 0)), ((F(2, 3), F(1, 3)), (h, h, 0))],
    ),
]

# (id, A, B, extreme equilibria, components as sets of indices into that list)
DEGENERATE: list[tuple[str, Any, Any, list[Profile], list[set[int]]]] = [
    (
        "indifferent-column",
        [[1, 1], [0, 0]],
        [[1, 1], [1, 1]],
        [((1, 0), (1, 0)), ((1, 0), (0, 1))],
        [{0, 1}],
    ),
    (
        "von-stengel-degenerate",
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        [((1, 0, 0), (1, 0)), ((1, 0, 0), (F(2, 3), t)), ((0, t, 2 * t), (t, 2 * t))],
        [{0, 1}, {2}],
    ),
]

METHODS = ["auto", "vertex", "support", "nashpy-vertex", "nashpy-support", "polynomial"]


def game_of(a: Any, b: Any, *, exact: bool = True) -> Game:
    g = Game.from_bimatrix(a, b)
    return g if exact else g.as_float()


def run_solve(game: Game, method: str = "auto", exact: bool | None = None) -> Result:
    return solve(game, method=method, exact=exact)


def check_verified(result: Result) -> None:
    game = result.game
    tol = regret_tolerance(game)
    for e in result.equilibria:
        assert e.max_regret <= tol
        assert float(max_regret(game, e.vectors)) <= tol
        for vec in e.vectors:
            assert all(v >= 0 for v in vec)
            assert abs(float(sum(vec)) - 1) <= 1e-12


def vectors(result: Result) -> list[Profile]:
    return [e.vectors for e in result.equilibria]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("a", "b", "expected"), [pytest.param(a, b, e, id=i) for i, a, b, e in NONDEGENERATE]
)
def test_known_nondegenerate_games(method: str, a: Any, b: Any, expected: list[Profile]) -> None:
    result = run_solve(game_of(a, b), method)
    check_verified(result)
    assert same_set(vectors(result), expected), vectors(result)
    assert not result.degenerate
    if method in ("auto", "vertex", "support"):
        assert result.complete


@pytest.mark.parametrize(
    ("a", "b", "expected"), [pytest.param(a, b, e, id=i) for i, a, b, e in NONDEGENERATE]
)
def test_pure_method_finds_exactly_the_pure_equilibria(
    a: Any, b: Any, expected: list[Profile]
) -> None:
    result = run_solve(game_of(a, b), "pure")
    pure = [p for p in expected if all(sorted(v)[-1] == 1 for v in p)]
    assert same_set(vectors(result), pure)
    assert result.complete is False  # mixed equilibria were not searched
    check_verified(result)


@pytest.mark.parametrize(
    ("a", "b", "expected"), [pytest.param(a, b, e, id=i) for i, a, b, e in NONDEGENERATE]
)
def test_lemke_howson_finds_one_of_them(a: Any, b: Any, expected: list[Profile]) -> None:
    result = run_solve(game_of(a, b), "nashpy-lh")
    check_verified(result)
    assert result.equilibria
    assert all(any(same_set([p], [q]) for q in expected) for p in vectors(result))


@pytest.mark.parametrize("method", ["auto", "vertex"])
@pytest.mark.parametrize(
    ("a", "b", "expected", "components"),
    [pytest.param(a, b, e, c, id=i) for i, a, b, e, c in DEGENERATE],
)
def test_degenerate_games_report_extreme_points_and_components(
    method: str, a: Any, b: Any, expected: list[Profile], components: list[set[int]]
) -> None:
    result = run_solve(game_of(a, b), method)
    check_verified(result)
    assert result.degenerate
    assert same_set(vectors(result), expected)
    index = {as_fractions(p): k for k, p in enumerate(expected)}
    got = [
        {index[as_fractions(result.equilibria[k].vectors)] for k in comp}
        for comp in result.components
    ]
    assert sorted(map(sorted, got)) == sorted(map(sorted, components))


@pytest.mark.parametrize(
    ("a", "b", "expected"), [pytest.param(a, b, e, id=i) for i, a, b, e in NONDEGENERATE]
)
def test_exact_and_float_agree(a: Any, b: Any, expected: list[Profile]) -> None:
    exact = run_solve(game_of(a, b), exact=True)
    floats = run_solve(game_of(a, b), exact=False)
    assert exact.exact and not floats.exact
    assert same_set(vectors(floats), vectors(exact), tol=1e-9)
    for e in exact.equilibria:
        assert all(isinstance(v, F) for vec in e.vectors for v in vec)
        assert all(isinstance(v, F) for v in e.values)
        assert all(isinstance(v, F) for d in e.profile.values() for v in d.values())
    for e in floats.equilibria:
        assert all(isinstance(v, float) for vec in e.vectors for v in vec)


def test_exact_true_forces_fractions_on_a_float_game() -> None:
    g = Game.from_bimatrix([[0.5, 0.0], [0.0, 0.25]], [[0.25, 0.0], [0.0, 0.5]])
    assert not g.is_exact
    result = run_solve(g, exact=True)
    assert result.exact
    mixed = [e for e in result.equilibria if not e.is_pure]
    assert mixed and mixed[0].vectors == ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))


def test_unknown_method_and_wrong_player_count() -> None:
    g = game_of([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(SolverError, match="unknown method"):
        solve(g, method="magic")
    three = Game.from_arrays(np.zeros((3, 2, 2, 2), dtype=int))
    with pytest.raises(SolverError, match="two players"):
        solve(three, method="vertex")


# --- three players ----------------------------------------------------------------------------


def jordan_game() -> Game:
    """Jordan (1993): 1 matches 2, 2 matches 3, 3 mismatches 1; unique equilibrium all 1/2."""
    u = np.zeros((3, 2, 2, 2), dtype=object)
    for s in np.ndindex(2, 2, 2):
        u[(0, *s)] = 1 if s[0] == s[1] else -1
        u[(1, *s)] = 1 if s[1] == s[2] else -1
        u[(2, *s)] = 1 if s[2] != s[0] else -1
    return Game.from_arrays(u)


@pytest.mark.parametrize("method", ["auto", "polynomial"])
def test_jordan_three_player_matching_pennies(method: str) -> None:
    result = run_solve(jordan_game(), method)
    check_verified(result)
    assert same_set(vectors(result), [((h, h), (h, h), (h, h))])


def test_three_player_pure_method() -> None:
    result = run_solve(jordan_game(), "pure")
    assert result.equilibria == () and result.complete is False


MCKELVEY_MCLENNAN = (
    Path(__file__).resolve().parents[2] / "shared/games/gambit/contrib/games/2x2x2.nfg"
)


def test_mckelvey_mclennan_has_nine_equilibria() -> None:
    if not MCKELVEY_MCLENNAN.exists():
        pytest.skip(f"{MCKELVEY_MCLENNAN} is missing")
    from solver.formats.nfg import read_nfg

    game = read_nfg(MCKELVEY_MCLENNAN)
    result = run_solve(game)
    check_verified(result)
    assert len(result.equilibria) == 9


# --- invariance (hypothesis) ------------------------------------------------------------------

PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def bimatrix(draw: Any, low: int = -20, high: int = 20) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 4))
    n = draw(st.integers(2, 4))
    cells = st.integers(low, high)
    a = np.array(draw(st.lists(cells, min_size=m * n, max_size=m * n)), dtype=object).reshape(m, n)
    b = np.array(draw(st.lists(cells, min_size=m * n, max_size=m * n)), dtype=object).reshape(m, n)
    return a, b


scales = st.sampled_from([F(1, 3), F(1, 2), F(1), F(2), F(7, 3), F(10)])
shifts = st.integers(-10, 10)


def exact_set(result: Result) -> set[Profile]:
    return {as_fractions(e.vectors) for e in result.equilibria}


@PROPERTY
@given(bimatrix(), scales, scales, shifts, shifts)
def test_invariant_under_positive_affine_transforms(
    ab: tuple[np.ndarray, np.ndarray], sa: F, sb: F, ca: int, cb: int
) -> None:
    a, b = ab
    base = run_solve(Game.from_bimatrix(a, b))
    check_verified(base)
    moved = run_solve(Game.from_bimatrix(a * sa + ca, b * sb + cb))
    check_verified(moved)
    assert exact_set(moved) == exact_set(base)
    assert moved.degenerate == base.degenerate


@PROPERTY
@given(bimatrix(), st.randoms(use_true_random=False), st.booleans())
def test_invariant_under_relabelling(
    ab: tuple[np.ndarray, np.ndarray], rnd: Any, swap: bool
) -> None:
    a, b = ab
    m, n = a.shape
    rows, cols = list(range(m)), list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    base = run_solve(Game.from_bimatrix(a, b))
    a2, b2 = a[np.ix_(rows, cols)], b[np.ix_(rows, cols)]
    game = Game.from_bimatrix(b2.T, a2.T) if swap else Game.from_bimatrix(a2, b2)
    moved = run_solve(game)
    check_verified(moved)

    def back(p: Profile) -> Profile:
        x, y = (p[1], p[0]) if swap else (p[0], p[1])
        xs, ys = [F(0)] * m, [F(0)] * n
        for k, r in enumerate(rows):
            xs[r] = F(x[k])
        for k, c in enumerate(cols):
            ys[c] = F(y[k])
        return (tuple(xs), tuple(ys))

    assert {back(as_fractions(e.vectors)) for e in moved.equilibria} == exact_set(base)


@settings(max_examples=10, deadline=None)
@given(
    st.lists(st.integers(-99, 99), min_size=24, max_size=24),
    st.sampled_from([F(1, 2), F(3)]),
    st.integers(-5, 5),
    st.permutations([0, 1, 2]),
)
def test_three_player_invariance(cells: list[int], scale: F, shift: int, order: list[int]) -> None:
    u = np.array(cells, dtype=object).reshape(3, 2, 2, 2)
    base = run_solve(Game.from_arrays(u))
    assume(not base.degenerate)
    check_verified(base)
    # scale/shift every player's payoffs and reorder the players
    v = np.transpose(u * scale + shift, (0, *(1 + k for k in order)))[order]
    moved = run_solve(Game.from_arrays(v))
    check_verified(moved)
    mapped = [tuple(e.vectors[order.index(i)] for i in range(3)) for e in moved.equilibria]
    assert same_set(mapped, vectors(base), tol=1e-7)
