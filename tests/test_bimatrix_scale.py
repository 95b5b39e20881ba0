"""Two-player vertex enumeration at scale: bounded-memory matching, one-sided (lrsNash-style)
partner solves, and agreement with pygambit's ``enummixed`` on larger and degenerate games."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from oracle import gambit_equilibria, gambit_equilibria_many

from solver.core.budget import Budget
from solver.core.game import Game
from solver.equilibria.twoplayer import partners, vertex
from solver.equilibria.twoplayer.matching import complete_pairs
from solver.equilibria.verify import is_equilibrium


def _game(m: int, n: int, seed: int, spread: int = 1000) -> Game:
    rng = np.random.default_rng(seed)
    a, b = (rng.integers(-spread, spread + 1, size=(m, n)).tolist() for _ in range(2))
    return Game.from_bimatrix(a, b)


def _flat(vectors: Any) -> np.ndarray:
    return np.concatenate([np.asarray([float(v) for v in vec]) for vec in vectors])


def _same_sets(ours: list[np.ndarray], theirs: list[np.ndarray], tol: float) -> bool:
    matched = all(any(np.abs(p - q).max() <= tol for q in theirs) for p in ours)
    return matched and all(any(np.abs(p - q).max() <= tol for q in ours) for p in theirs)


# --- the matching: pairs of label sets whose union is everything -----------------------------


def _labels(rng: np.random.Generator, count: int, size: int, dim: int) -> np.ndarray:
    """Label sets of ``dim`` labels, a quarter of them with one extra label (degenerate)."""
    out = np.array([rng.permutation(size) < dim for _ in range(count)])
    extra = rng.random(count) < 0.25
    for r in np.flatnonzero(extra):
        out[r, rng.choice(np.flatnonzero(~out[r]))] = True
    return out


@pytest.mark.parametrize(
    ("m", "n"),
    [pytest.param(4, 5, id="bitmask-9-labels"), pytest.param(33, 34, id="packed-67-labels")],
)
def test_complete_pairs_equal_the_outer_product(m: int, n: int) -> None:
    rng = np.random.default_rng(m)
    tx, ty = _labels(rng, 300, m + n, m), _labels(rng, 200, m + n, n)
    if m > 8:  # make complementary pairs likely: Q label sets from complements of P's
        ty[:150] = ~tx[:150]
        ty[:150, np.flatnonzero(tx[0])[:1]] |= rng.random(150)[:, None] < 0.3
    found = complete_pairs(tx, ty, m)
    brute = set(zip(*np.nonzero((tx[:, None, :] | ty[None, :, :]).all(axis=2)), strict=True))
    assert found.complete and brute
    assert set(zip(found.ix.tolist(), found.iy.tolist(), strict=True)) == brute


def test_complete_pairs_stop_when_the_budget_is_spent() -> None:
    rng = np.random.default_rng(0)
    tx, ty = _labels(rng, 100, 12, 6), _labels(rng, 100, 12, 6)
    found = complete_pairs(tx, ty, 6, Budget.start(0.0))
    assert not found.complete
    assert (tx[found.ix] | ty[found.iy]).all()


# --- one-sided enumeration agrees with enumerating both polytopes ----------------------------


@pytest.mark.parametrize(
    ("m", "n", "exact", "spread"),
    [
        pytest.param(12, 12, False, 1000, id="12x12-float"),
        pytest.param(10, 14, True, 1000, id="10x14-exact"),
        pytest.param(14, 10, True, 1000, id="14x10-exact-transposed"),
        pytest.param(12, 12, True, 2, id="12x12-exact-degenerate"),
    ],
)
def test_one_sided_equals_two_sided(
    m: int, n: int, exact: bool, spread: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large games enumerate one polytope (comb(m + n, n) > ONE_SIDED); the same pairs, flags
    and components as enumerating both."""
    game = _game(m, n, seed=m * n, spread=spread)
    a, b = (game.as_exact() if exact else game.as_float()).payoffs
    one = vertex.extreme_equilibria(a, b, exact)
    monkeypatch.setattr(partners, "ONE_SIDED", 10**30)
    two = vertex.extreme_equilibria(a, b, exact)
    assert one.complete and one.degenerate is two.degenerate is (spread < 10)
    assert len(one.pairs) == len(two.pairs) > 0
    if exact:
        assert one.pairs == two.pairs and one.components == two.components
    assert _same_sets([_flat(p) for p in one.pairs], [_flat(p) for p in two.pairs], 1e-9)


def test_fifteen_by_fifteen_exact_equals_float() -> None:
    """15 x 15: ~10^5 vertices per polytope, which the old dense matching could not hold."""
    game = _game(15, 15, seed=0)
    exact = vertex.solve_bimatrix(game)
    flt = vertex.solve_bimatrix(game, exact=False)
    assert exact.complete and exact.exact and flt.complete and len(exact) == len(flt) > 0
    assert all(isinstance(v, Fraction) for e in exact.equilibria for vec in e.vectors for v in vec)
    assert all(is_equilibrium(game, e.vectors) for e in exact.equilibria)
    assert _same_sets([_flat(e.vectors) for e in exact.equilibria], [_flat(e.vectors) for e in flt.equilibria], 1e-6)


# --- pygambit enummixed ---------------------------------------------------------------------


def test_ten_by_fourteen_equals_gambit_float() -> None:
    """The one-sided path (comb(24, 14) > ONE_SIDED) against enummixed in floats."""
    game = _game(10, 14, seed=5)
    theirs = gambit_equilibria(game, rational=False, timeout=120)
    res = vertex.solve_bimatrix(game)
    assert res.complete and not res.degenerate
    assert _same_sets([_flat(e.vectors) for e in res.equilibria], [_flat(p) for p in theirs], 1e-6)


GAMBIT_GAMES = {
    "8x8-generic": (8, 8, 1000),
    "8x8-ties-spread-2": (8, 8, 2),
    "6x9-ties-spread-1": (6, 9, 1),
}


@pytest.fixture(scope="module")
def gambit_rational() -> dict[str, Any]:
    games = [_game(m, n, seed=5, spread=s) for m, n, s in GAMBIT_GAMES.values()]
    answers = gambit_equilibria_many(games, rational=True, fractions=True, timeout=120)
    return dict(zip(GAMBIT_GAMES, answers, strict=True))


@pytest.mark.parametrize("name", list(GAMBIT_GAMES))
def test_equals_gambit_rational(name: str, gambit_rational: dict[str, Any]) -> None:
    """Exact extreme equilibria equal enummixed's (which lists the extreme equilibria of
    degenerate games too)."""
    m, n, spread = GAMBIT_GAMES[name]
    game = _game(m, n, seed=5, spread=spread)
    res = vertex.solve_bimatrix(game)
    assert res.complete or res.degenerate
    ours = {tuple(tuple(vec) for vec in e.vectors) for e in res.equilibria}
    theirs = {tuple(tuple(vec) for vec in p) for p in gambit_rational[name]}
    assert ours == theirs


# --- zero-sum games: routed to the exact LP solver -------------------------------------------


@pytest.mark.parametrize(
    ("m", "n", "spread"),
    [
        pytest.param(6, 7, 1000, id="6x7-generic"),
        pytest.param(5, 6, 1, id="5x6-ties"),
        pytest.param(4, 4, 0, id="4x4-all-zero"),
    ],
)
def test_zero_sum_route_equals_vertex_enumeration(m: int, n: int, spread: int) -> None:
    """The extreme equilibria of a zero-sum game are all pairs of extreme optimal strategies:
    the LP route gives the same set as vertex enumeration, as one component."""
    from solver import solve

    a = np.random.default_rng(m * n).integers(-spread, spread + 1, size=(m, n))
    game = Game.from_bimatrix(a.tolist(), (7 - a).tolist())  # constant-sum
    routed, enumerated = solve(game), vertex.solve_bimatrix(game)
    assert routed.complete and routed.exact and routed.method == "vertex"
    assert any("zero-sum" in note for note in routed.notes)
    assert {e.vectors for e in routed.equilibria} == {e.vectors for e in enumerated.equilibria}
    assert routed.components == (tuple(range(len(routed.equilibria))),)
    if len(routed.equilibria) > 1:
        assert routed.degenerate and enumerated.degenerate
