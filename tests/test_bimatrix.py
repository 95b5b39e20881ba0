"""Two-player solvers: vertex enumeration (exact, degenerate-aware), support enumeration and the
nashpy adapter, against classic games, pygambit's ``enummixed`` and game-theoretic invariances."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import gambit_equilibria_many

from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.twoplayer.nashpy_adapter import solve_nashpy
from solver.equilibria.twoplayer.support import has_degenerate_strategy, solve_support
from solver.equilibria.twoplayer.vertex import extreme_equilibria, maximal_nash_subsets, solve_bimatrix
from solver.equilibria.verify import max_regret, regret_tolerance

H = F(1, 2)
T = F(1, 3)

# name: (A, B, expected extreme equilibria as ((x), (y)), degenerate, components as sets of
# indices into the expected list)
KNOWN: dict[str, tuple[Any, Any, list[Any], bool, list[set[int]] | None]] = {
    "matching-pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [((H, H), (H, H))], False, None),
    "battle-of-the-sexes": (
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        [((1, 0), (1, 0)), ((F(2, 3), T), (T, F(2, 3))), ((0, 1), (0, 1))],
        False,
        None,
    ),
    "prisoners-dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]], [((0, 1), (0, 1))], False, None),
    "chicken": (
        [[3, 2], [4, 1]],
        [[3, 4], [2, 1]],
        [((1, 0), (0, 1)), ((H, H), (H, H)), ((0, 1), (1, 0))],
        False,
        None,
    ),
    "stag-hunt": (
        [[4, 0], [3, 3]],
        [[4, 3], [0, 3]],
        [((1, 0), (1, 0)), ((F(3, 4), F(1, 4)), (F(3, 4), F(1, 4))), ((0, 1), (0, 1))],
        False,
        None,
    ),
    "rock-paper-scissors": (
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        [((T, T, T), (T, T, T))],
        False,
        None,
    ),
    "von-stengel-3x2": (  # nondegenerate example of von Stengel (2007), Fig. 3.x
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        [
            ((1, 0, 0), (1, 0)),
            ((F(4, 5), F(1, 5), 0), (F(2, 3), T)),
            ((0, T, F(2, 3)), (T, F(2, 3))),
        ],
        False,
        None,
    ),
    "von-stengel-3x2-degenerate": (  # B[0][1] = 3: a segment of equilibria
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        [((1, 0, 0), (1, 0)), ((1, 0, 0), (F(2, 3), T)), ((0, T, F(2, 3)), (T, F(2, 3)))],
        True,
        [{0, 1}, {2}],
    ),
    "continuum-2x2": (  # Row's first strategy dominates; Column indifferent: x = e1, any y
        [[1, 1], [0, 0]],
        [[1, 1], [1, 1]],
        [((1, 0), (1, 0)), ((1, 0), (0, 1))],
        True,
        [{0, 1}],
    ),
    "all-zero-2x2": (
        [[0, 0], [0, 0]],
        [[0, 0], [0, 0]],
        [((1, 0), (1, 0)), ((1, 0), (0, 1)), ((0, 1), (1, 0)), ((0, 1), (0, 1))],
        True,
        [{0, 1, 2, 3}],
    ),
    "one-row": ([[1, 2, 0]], [[3, 1, 3]], [((1,), (1, 0, 0)), ((1,), (0, 0, 1))], True, [{0, 1}]),
    "one-by-one": ([[5]], [[-2]], [((1,), (1,))], False, None),
}


def as_profile(vectors: Any) -> tuple[tuple[F, ...], ...]:
    return tuple(tuple(F(v) for v in vec) for vec in vectors)


def check_result(game: Game, res: Result) -> None:
    """Every reported profile is a verified equilibrium on the simplex."""
    tol = regret_tolerance(game)
    for eq in res.equilibria:
        for vec in eq.vectors:
            assert min(vec) >= 0
            assert abs(float(sum(vec)) - 1) <= 1e-12
        assert float(max_regret(game, eq.vectors)) <= tol
        if game.is_exact and res.exact:
            assert max_regret(game, eq.vectors) == 0


@pytest.mark.parametrize("name", list(KNOWN), ids=list(KNOWN))
def test_known_games_exact(name: str) -> None:
    a, b, expected, degenerate, components = KNOWN[name]
    game = Game.from_bimatrix(a, b, title=name)
    res = solve_bimatrix(game)
    check_result(game, res)
    found = [as_profile(e.vectors) for e in res.equilibria]
    assert sorted(found) == sorted(as_profile(p) for p in expected)
    assert res.exact and res.complete and res.method == "vertex"
    assert res.degenerate is degenerate
    if degenerate:
        assert any("convex combination" in note for note in res.notes)
        want = {frozenset(as_profile(expected[k]) for k in comp) for comp in components or []}
        got = {frozenset(found[k] for k in comp) for comp in res.components}
        assert got == want
    else:
        assert sorted(res.components) == [(k,) for k in range(len(found))]


@pytest.mark.parametrize("name", list(KNOWN), ids=list(KNOWN))
def test_known_games_float(name: str) -> None:
    a, b, expected, degenerate, _ = KNOWN[name]
    game = Game.from_bimatrix(np.array(a, dtype=float), np.array(b, dtype=float))
    res = solve_bimatrix(game)
    check_result(game, res)
    assert not res.exact and res.degenerate is degenerate
    want = sorted(tuple(float(v) for vec in p for v in vec) for p in expected)
    got = sorted(tuple(v for vec in e.vectors for v in vec) for e in res.equilibria)
    assert np.allclose(got, want, atol=1e-9)
    assert all(isinstance(v, float) for e in res.equilibria for vec in e.vectors for v in vec)


def test_convex_combination_in_component_is_equilibrium() -> None:
    a, b, *_ = KNOWN["von-stengel-3x2-degenerate"]
    game = Game.from_bimatrix(a, b)
    res = solve_bimatrix(game)
    for comp in res.components:
        eqs = [res.equilibria[k] for k in comp]
        xs = {e.vectors[0] for e in eqs}
        ys = {e.vectors[1] for e in eqs}
        mid = [
            tuple(
                sum((F(v[i]) for v in vecs), F(0)) / len(vecs) for i in range(len(next(iter(vecs))))
            )
            for vecs in (xs, ys)
        ]
        assert max_regret(game, mid) == 0


def test_maximal_nash_subsets_overlapping() -> None:
    # x0 with y0,y1 ; x1 with y1 : two maximal bicliques sharing (x0, y1)
    assert maximal_nash_subsets([(0, 0), (0, 1), (1, 1)]) == ((0, 1), (1, 2))
    assert maximal_nash_subsets([(0, 0), (1, 0), (0, 1), (1, 1)]) == ((0, 1, 2, 3),)


@pytest.mark.parametrize(
    ("mat", "degenerate"),
    [
        ([[1, 1], [0, 0]], True),
        ([[1, 0], [0, 1]], False),
        ([[3, 3], [2, 6], [3, 1]], True),
        ([[3, 2], [2, 6], [3, 1]], False),
    ],
    ids=["tie-at-pure", "identity", "tie-at-mixed-and-pure", "von-stengel"],
)
def test_degeneracy_test(mat: list[list[int]], degenerate: bool) -> None:
    assert has_degenerate_strategy(mat, exact=True) is degenerate


@pytest.mark.parametrize("name", list(KNOWN), ids=list(KNOWN))
def test_support_enumeration_honest(name: str) -> None:
    a, b, expected, degenerate, _ = KNOWN[name]
    game = Game.from_bimatrix(a, b)
    res = solve_support(game)
    check_result(game, res)
    assert res.degenerate is degenerate and res.complete is (not degenerate)
    found = {as_profile(e.vectors) for e in res.equilibria}
    want = {as_profile(p) for p in expected}
    if not degenerate:
        assert found == want
    else:
        assert any("degenerate" in note for note in res.notes)


# --- pygambit oracle ---------------------------------------------------------------------------


SEEDS = range(20)


def random_integer_game(seed: int) -> Game:
    """Seeds 0-15: small random integer games (odd seeds: ties, so often degenerate); 16-19:
    near-ties (payoffs 10^8 k + {0, 1}) that float labels alone cannot be trusted with."""
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in rng.integers(2, 7 if seed < 16 else 5, size=2))
    if seed >= 16:
        a, b = (
            (10**8 * rng.integers(0, 3, size=(m, n)) + rng.integers(0, 2, size=(m, n))).tolist()
            for _ in range(2)
        )
        return Game.from_bimatrix(a, b)
    spread = 3 if seed % 2 else 20  # small spreads give ties (degenerate games) too
    a, b = (rng.integers(-spread, spread + 1, size=(m, n)).tolist() for _ in range(2))
    return Game.from_bimatrix(a, b)


@pytest.fixture(scope="module")
def gambit_answers() -> dict[int, Any]:
    """pygambit ``enummixed_solve(rational=True)`` on every random game, in one subprocess."""
    answers = gambit_equilibria_many(
        [random_integer_game(s) for s in SEEDS], "enummixed", rational=True, fractions=True
    )
    return dict(zip(SEEDS, answers, strict=True))


@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed{s}" for s in SEEDS])
def test_agrees_with_gambit_enummixed(seed: int, gambit_answers: dict[int, Any]) -> None:
    game = random_integer_game(seed)
    expected = gambit_answers[seed]
    res = solve_bimatrix(game)
    check_result(game, res)
    ours = {as_profile(e.vectors) for e in res.equilibria}
    assert {as_profile(p) for p in expected} <= ours
    if not res.degenerate:
        assert len(ours) == len(expected)
    support = solve_support(game)
    assert support.degenerate is res.degenerate
    if not support.degenerate:
        assert {as_profile(e.vectors) for e in support.equilibria} == ours


# --- invariances (hypothesis) ------------------------------------------------------------------

payoff = st.integers(min_value=-4, max_value=4)


@st.composite
def bimatrix(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]]]:
    m = draw(st.integers(1, 4))
    n = draw(st.integers(1, 4))
    mat = st.lists(st.lists(payoff, min_size=n, max_size=n), min_size=m, max_size=m)
    return draw(mat), draw(mat)


def canonical(res: Result) -> set[tuple[tuple[F, ...], ...]]:
    return {as_profile(e.vectors) for e in res.equilibria}


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(bimatrix())
def test_regret_and_simplex(ab: Any) -> None:
    a, b = ab
    for game in (
        Game.from_bimatrix(a, b),
        Game.from_bimatrix(np.array(a, float), np.array(b, float)),
    ):
        res = solve_bimatrix(game)
        assert res.equilibria, "every finite game has an equilibrium"
        check_result(game, res)
        assert all(set(c) <= set(range(len(res))) for c in res.components)
        assert set().union(*map(set, res.components)) == set(range(len(res)))


@SETTINGS
@given(bimatrix(), st.integers(1, 5), st.integers(-7, 7), st.integers(1, 5), st.integers(-7, 7))
def test_positive_affine_invariance(ab: Any, s1: int, c1: int, s2: int, c2: int) -> None:
    a, b = ab
    base = solve_bimatrix(Game.from_bimatrix(a, b))
    a2 = (F(s1, 2) * np.array(a, dtype=object) + c1).tolist()
    b2 = (F(s2, 3) * np.array(b, dtype=object) + c2).tolist()
    moved = solve_bimatrix(Game.from_bimatrix(a2, b2))
    assert canonical(moved) == canonical(base)
    assert moved.degenerate is base.degenerate


@SETTINGS
@given(bimatrix(), st.randoms(use_true_random=False))
def test_relabelling_invariance(ab: Any, rnd: Any) -> None:
    a, b = (np.array(p, dtype=object) for p in ab)
    rows, cols = list(range(a.shape[0])), list(range(a.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    base = solve_bimatrix(Game.from_bimatrix(a.tolist(), b.tolist()))
    perm = solve_bimatrix(Game.from_bimatrix(a[rows][:, cols].tolist(), b[rows][:, cols].tolist()))
    back = {
        (
            tuple(x[rows.index(i)] for i in range(len(rows))),
            tuple(y[cols.index(j)] for j in range(len(cols))),
        )
        for x, y in canonical(perm)
    }
    assert back == canonical(base)
    assert perm.degenerate is base.degenerate
    assert sorted(map(len, perm.components)) == sorted(map(len, base.components))


@SETTINGS
@given(bimatrix())
def test_float_matches_exact(ab: Any) -> None:
    a, b = ab
    exact = solve_bimatrix(Game.from_bimatrix(a, b))
    flt = extreme_equilibria(np.array(a, dtype=float), np.array(b, dtype=float))
    assert flt.degenerate is exact.degenerate
    want = [tuple(float(v) for vec in e.vectors for v in vec) for e in exact.equilibria]
    got = [tuple(v for vec in p for v in vec) for p in flt.pairs]
    # match as sets within the tolerance (sorting floats can order near-equal entries apart)
    assert len(got) == len(want)
    left = list(want)
    for g in got:
        k = next((k for k, w in enumerate(left) if np.allclose(g, w, atol=1e-9)), None)
        assert k is not None, (g, want)
        left.pop(k)


def test_float_game_solved_exactly_on_request() -> None:
    game = Game.from_bimatrix([[0.5, 0.0], [0.0, 0.25]], [[0.25, 0.0], [0.0, 0.5]])
    res = solve_bimatrix(game, exact=True)
    assert res.exact
    assert ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))) in canonical(res)


# --- nashpy adapter ----------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["vertex", "support", "lemke-howson"])
@pytest.mark.parametrize("name", ["battle-of-the-sexes", "rock-paper-scissors", "von-stengel-3x2"])
def test_nashpy_nondegenerate(name: str, algorithm: str) -> None:
    a, b, expected, *_ = KNOWN[name]
    game = Game.from_bimatrix(a, b)
    res = solve_nashpy(game, algorithm=algorithm)
    check_result(game, res)
    assert res.method == f"nashpy-{algorithm}"
    found = canonical(res)
    want = {as_profile(p) for p in expected}
    assert found <= want and found
    assert res.complete is (algorithm == "vertex")  # nashpy's support enumeration: no guarantee
    if res.complete:
        assert found == want


@pytest.mark.parametrize("name", ["von-stengel-3x2-degenerate", "continuum-2x2"])
def test_nashpy_support_degenerate_is_incomplete(name: str) -> None:
    a, b, *_ = KNOWN[name]
    game = Game.from_bimatrix(a, b)
    res = solve_nashpy(game, algorithm="support")
    check_result(game, res)  # whatever nashpy returned, only verified equilibria survive
    assert res.degenerate and not res.complete
    full = solve_bimatrix(game)
    for eq in res.equilibria:  # each lies in some maximal Nash subset
        assert max_regret(game, eq.vectors) == 0
    assert len(res) <= len(full)


def test_nashpy_adapter_drops_bogus_and_duplicate_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    import nashpy

    good = (np.array([2 / 3, 1 / 3]), np.array([1 / 3, 2 / 3]))
    bogus = (np.array([1.0, 0.0]), np.array([0.0, 1.0]))  # not an equilibrium of BoS

    def fake(self: Any, *args: Any, **kwargs: Any) -> Any:
        yield good
        yield bogus
        yield (good[0] + 1e-12, good[1])  # a numerical duplicate

    monkeypatch.setattr(nashpy.Game, "support_enumeration", fake)
    game = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    res = solve_nashpy(game, algorithm="support")
    check_result(game.as_float(), res)
    assert len(res) == 1 and not res.complete
    assert any("1 nashpy profile(s) failed" in note for note in res.notes)
    assert np.allclose([float(v) for v in res.equilibria[0].vectors[0]], [2 / 3, 1 / 3])


# --- vertex enumeration internals: the fast paths agree with the plain ones --------------------


@pytest.mark.parametrize("size", [3, 4, 5, 6], ids=lambda s: f"{s}x{s}")
def test_batched_and_qhull_vertices_agree(size: int) -> None:
    from solver.equilibria.twoplayer import polytope

    rng = np.random.default_rng(size)
    norm = 1.0 + rng.random((2, size, size))
    g, h = polytope.float_systems(norm)
    for side in (0, 1):
        batched = polytope._batched(g[side][None], h[side][None])[0]
        qhull = polytope._qhull(g[side], h[side])
        key = [sorted(map(tuple, (r <= 1e-9).astype(int).tolist())) for _, r in (batched, qhull)]
        assert key[0] == key[1]


@pytest.mark.parametrize("seed", range(4))
def test_sorted_join_matches_outer_match(seed: int) -> None:
    from solver.equilibria.twoplayer import vertex as bimatrix

    rng = np.random.default_rng(seed)
    size, half = 12, 6  # 924 label sets: many complementary pairs
    labels = np.array([rng.permutation(size) < half for _ in range(400)])
    tx, ty = labels[:300], ~labels[100:]
    fast = set(zip(*map(list, bimatrix._match(tx, ty, simple=True)), strict=True))
    complete = (tx[:, None, :] | ty[None, :, :]).all(axis=2)
    slow = set(zip(*map(list, np.nonzero(complete)), strict=True))
    assert fast == slow and fast


def test_public_names_stay_importable() -> None:
    from solver.equilibria.twoplayer.vertex import Extreme, Pair, Vector, require_two_players  # noqa: F401
