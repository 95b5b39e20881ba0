"""Support enumeration + polynomial algebra for n-player games (solver.equilibria.nplayer.polynomial).

Known games with known equilibrium sets, agreement with pygambit's ``enumpoly`` on random
generic games (run in a subprocess: every pygambit equilibrium must be among ours; pygambit may
miss mixed ones), and hypothesis properties (simplex, regret, affine and relabelling invariance).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oracle import gambit_equilibria_many

from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria.nplayer.polynomial import solve_polynomial
from solver.equilibria.nplayer.supports import support_profiles
from solver.equilibria.verify import max_regret, regret_tolerance

F = Fraction
GAMES = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit" / "contrib" / "games"

# McKelvey & McLennan's 2x2x2 game (Gambit contrib/games/2x2x2.nfg): outcome per profile, first
# player's strategy changing fastest.
_MM_OUTCOMES = [
    (9, 8, 12),
    (0, 0, 0),
    (0, 0, 0),
    (9, 8, 2),
    (0, 0, 0),
    (3, 4, 6),
    (3, 4, 6),
    (0, 0, 0),
]


def from_payoff_list(shape: tuple[int, ...], vectors: list[tuple[int, ...]]) -> Game:
    """A game from payoff vectors listed with the first player's strategy changing fastest."""
    u = np.zeros((len(shape), *shape), dtype=object)
    for k, vec in enumerate(vectors):
        prof = np.unravel_index(k, shape, order="F")
        for i, v in enumerate(vec):
            u[(i, *prof)] = v
    return Game.from_arrays(u.tolist())


def mm_game() -> Game:
    return from_payoff_list((2, 2, 2), _MM_OUTCOMES)


MM_EQUILIBRIA = {
    ((1, 0), (1, 0), (1, 0)),
    ((1, 0), (0, 1), (0, 1)),
    ((0, 1), (1, 0), (0, 1)),
    ((0, 1), (0, 1), (1, 0)),
    ((0, 1), (F(1, 4), F(3, 4)), (F(1, 3), F(2, 3))),
    ((F(1, 3), F(2, 3)), (1, 0), (F(1, 4), F(3, 4))),
    ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)), (1, 0)),
    ((F(2, 5), F(3, 5)), (F(1, 2), F(1, 2)), (F(1, 3), F(2, 3))),
    ((F(1, 2), F(1, 2)), (F(2, 5), F(3, 5)), (F(1, 4), F(3, 4))),
}


def dominant_game() -> Game:
    """Each player's first strategy strictly dominates: the unique equilibrium is pure (1, 1, 1)."""
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for prof in np.ndindex(2, 2, 2):
        for i in range(3):
            u[(i, *prof)] = (5 if prof[i] == 0 else 0) + prof[(i + 1) % 3]
    return Game.from_arrays(u.tolist())


def horse() -> Game:
    """Selten's (1975) horse in normal form, strategies (R, L): two continua of equilibria."""
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for s2 in range(2):
        for s3 in range(2):
            u[:, 0, 0, s3] = (1, 1, 1)
            u[:, 1, s2, s3] = (3, 2, 2) if s3 == 0 else (0, 0, 0)
    u[:, 0, 1, 0], u[:, 0, 1, 1] = (4, 4, 0), (0, 0, 1)
    return Game.from_arrays(u.tolist(), strategies=[("R", "L")] * 3)


def indifferent_third() -> Game:
    """Matching pennies between players 1 and 2; player 3 gets 0 whatever happens."""
    u = np.zeros((3, 2, 2, 2), dtype=int)
    for a, b, c in np.ndindex(2, 2, 2):
        u[0, a, b, c] = 1 if a == b else -1
        u[1, a, b, c] = -u[0, a, b, c]
    return Game.from_arrays(u.tolist())


def as_set(result: Result) -> set[tuple[tuple[Fraction, ...], ...]]:
    return {tuple(tuple(F(v) for v in vec) for vec in e.vectors) for e in result.equilibria}


def norm(eqs: set[Any]) -> set[tuple[tuple[Fraction, ...], ...]]:
    return {tuple(tuple(F(v) for v in vec) for vec in e) for e in eqs}


def check_all(game: Game, result: Result) -> None:
    tol = regret_tolerance(game)
    for e in result.equilibria:
        for vec in e.vectors:
            assert all(v >= 0 for v in vec) and abs(float(sum(vec)) - 1) < 1e-12
        assert (
            float(max_regret(game.as_float(), [[float(v) for v in vec] for vec in e.vectors]))
            <= tol
        )


KNOWN = [
    pytest.param(mm_game, MM_EQUILIBRIA, True, id="mckelvey-mclennan-2x2x2-nine"),
    pytest.param(dominant_game, {((1, 0), (1, 0), (1, 0))}, True, id="dominant-unique-pure"),
    pytest.param(
        horse,
        {
            ((1, 0), (1, 0), (0, 1)),
            ((1, 0), (1, 0), (F(1, 4), F(3, 4))),
            ((0, 1), (1, 0), (1, 0)),
            ((0, 1), (F(1, 3), F(2, 3)), (1, 0)),
        },
        False,
        id="selten-horse-continua",
    ),
    pytest.param(
        indifferent_third,
        {
            ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)), (1, 0)),
            ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)), (0, 1)),
        },
        False,
        id="indifferent-player-degenerate",
    ),
]


@pytest.mark.parametrize(("make", "expected", "generic"), KNOWN)
def test_known_games(make: Any, expected: set[Any], generic: bool) -> None:
    game = make()
    result = solve_polynomial(game)
    check_all(game, result)
    assert result.method == "polynomial"
    if generic:
        assert as_set(result) == norm(expected)
        assert result.complete and not result.degenerate and result.exact
    else:  # degenerate: the listed points (pure ones and ends of the continua) are reported
        assert norm(expected) <= as_set(result)
        assert result.degenerate and not result.complete
        assert any("dimensional solution set" in n and "{" in n for n in result.notes)


def test_mckelvey_mclennan_file() -> None:
    path = GAMES / "2x2x2.nfg"
    if not path.exists():
        pytest.skip("../shared games not available")
    from solver.formats.nfg import read_nfg

    assert as_set(solve_polynomial(read_nfg(path))) == norm(MM_EQUILIBRIA)


@pytest.mark.parametrize(
    ("name", "count"), [("g1.nfg", 1), ("2x2x2x2.nfg", 3), ("g3.nfg", 5), ("g2.nfg", 1)]
)
def test_gambit_contrib_counts(name: str, count: int) -> None:
    """Gambit's contrib games whose titles state their number of equilibria."""
    path = GAMES / name
    if not path.exists():
        pytest.skip("../shared games not available")
    from solver.formats.nfg import read_nfg

    game = read_nfg(path)
    result = solve_polynomial(game)
    check_all(game, result)
    assert len(result.equilibria) == count and result.complete


def test_two_players_match_vertex_count() -> None:
    """Works for two players too: matching pennies and a coordination game."""
    mp = solve_polynomial(Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    assert as_set(mp) == {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}
    coord = solve_polynomial(Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    assert as_set(coord) == {
        ((1, 0), (1, 0)),
        ((0, 1), (0, 1)),
        ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
    }


def test_float_game_gives_floats() -> None:
    game = mm_game().as_float()
    result = solve_polynomial(game)
    assert len(result.equilibria) == 9 and not result.exact
    assert all(isinstance(v, float) for e in result.equilibria for vec in e.vectors for v in vec)


def random_game(shape: tuple[int, ...], seed: int) -> Game:
    rs = np.random.RandomState(seed)
    return Game.from_arrays(rs.randint(0, 1000, size=(len(shape), *shape)).tolist())


RANDOM = [
    pytest.param((2, 2, 2), [0, 1, 2, 3], id="2x2x2"),
    pytest.param((3, 3, 2), [4, 5], id="3x3x2"),
    pytest.param((3, 3, 3), [1], id="3x3x3"),
    pytest.param((2, 2, 2, 2), [3, 4], id="2x2x2x2"),
]


@pytest.mark.parametrize(("shape", "seeds"), RANDOM)
def test_agrees_with_pygambit_enumpoly(shape: tuple[int, ...], seeds: list[int]) -> None:
    games = [random_game(shape, seed) for seed in seeds]
    results = [solve_polynomial(game) for game in games]
    for game, result in zip(games, results, strict=True):
        check_all(game, result)
        assert result.complete and not result.degenerate
    theirs = gambit_equilibria_many(games, "enumpoly", rational=False, timeout=60)
    for result, eqs in zip(results, theirs, strict=True):
        for eq in eqs:
            assert any(
                max(
                    abs(float(a) - float(b))
                    for va, vb in zip(eq, e.vectors, strict=True)
                    for a, b in zip(va, vb, strict=True)
                )
                < 1e-5
                for e in result.equilibria
            ), eq


def test_pruning_keeps_every_equilibrium_support() -> None:
    game = mm_game()
    supports = set(support_profiles([np.asarray(u, dtype=float) for u in game.payoffs]))
    for e in solve_polynomial(game).equilibria:
        assert e.support() in supports


payoff = st.integers(-20, 20)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(payoff, min_size=24, max_size=24),
    st.integers(0, 2),
    st.integers(1, 5),
    st.integers(-7, 7),
    st.permutations(range(2)),
    st.integers(0, 2),
)
def test_properties_2x2x2(
    values: list[int], player: int, scale: int, shift: int, perm: list[int], who: int
) -> None:
    game = Game.from_arrays(np.array(values).reshape(3, 2, 2, 2).tolist())
    result = solve_polynomial(game)
    check_all(game, result)
    assert result.equilibria  # Nash (1951): at least one equilibrium
    assume(not result.degenerate)
    # positive affine transform of one player's payoffs: same equilibria
    u = np.array(values, dtype=object).reshape(3, 2, 2, 2)
    u[player] = u[player] * F(scale, 3) + shift
    assert _close(as_set(solve_polynomial(Game.from_arrays(u.tolist()))), as_set(result))
    # relabel one player's strategies: the same equilibria, permuted
    v = np.take(np.array(values).reshape(3, 2, 2, 2), perm, axis=who + 1)
    permuted = {
        tuple(tuple(vec[k] for k in perm) if i == who else vec for i, vec in enumerate(e))
        for e in as_set(result)
    }
    assert _close(as_set(solve_polynomial(Game.from_arrays(v.tolist()))), permuted)


def _close(a: set[Any], b: set[Any]) -> bool:
    def near(x: Any, y: Any) -> bool:
        return all(
            abs(float(p) - float(q)) < 1e-9
            for vx, vy in zip(x, y, strict=True)
            for p, q in zip(vx, vy, strict=True)
        )

    return len(a) == len(b) and all(any(near(x, y) for y in b) for x in a)


@pytest.mark.parametrize(
    ("shape", "seed"),
    [
        pytest.param((2, 2, 2), 5, id="2x2x2"),
        pytest.param((3, 3, 3), 2, id="3x3x3"),
        pytest.param((2, 2, 2, 2), 3, id="2x2x2x2"),
        pytest.param((3, 3, 2), 4, id="3x3x2"),
    ],
)
def test_elimination_matches_groebner(shape: tuple[int, ...], seed: int) -> None:
    """Every Gröbner solution with all probabilities positive is found by the elimination."""
    from solver.equilibria.nplayer.elimination import eliminate
    from solver.equilibria.nplayer.groebner import solve_polys
    from solver.equilibria.nplayer.supports import comparable, indifference_system, integer_payoffs

    rng = np.random.default_rng(seed)
    u = rng.integers(-50, 51, size=(len(shape), *shape)).astype(object)
    ints = integer_payoffs(Game.from_arrays(u.tolist()).payoffs)
    checked = 0
    for supp in support_profiles(comparable(ints)):
        system = indifference_system(ints, supp)
        if not any(sum(e) > 1 for p in system.polys for e in p):
            continue
        mine = eliminate(system)
        if mine is None:
            continue
        ref = solve_polys(system.polys, sum(system.nvars))
        inside = [
            x
            for x in [*ref.rational, *ref.approx]
            if all(
                min(x[o : o + k]) > 0 and sum(x[o : o + k]) < 1
                for o, k in zip(system.offsets, system.nvars, strict=True)
                if k
            )
        ]
        got = [tuple(float(v) for v in x) for x in [*mine.rational, *mine.approx]]
        for x in inside:
            assert any(max(abs(float(a) - b) for a, b in zip(x, y, strict=True)) < 1e-6 for y in got)
        assert set(map(tuple, ref.rational)) >= {x for x in mine.rational if x in inside}
        checked += 1
    assert checked > 0
