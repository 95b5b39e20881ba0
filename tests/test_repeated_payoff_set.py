"""The subgame-perfect payoff set (Abreu & Sannikov 2014) against QuantEcon, and the feasible IR set.

QuantEcon's ``RepeatedGame(NormalFormGame, delta).equilibrium_payoffs()`` implements the same
algorithm independently (numba, Qhull).  Its own test suite checks the example of Abreu &
Sannikov (2014) at delta = 0.3 and a prisoner's dilemma at delta = 0.9 against published
vertices; both are reproduced here, plus random 2x2 and 3x3 games.  Agreement is measured by the
Hausdorff distance between the polygons.  The accelerated iteration (Anderson's extrapolation,
ended once a plain iterate certifies it) must give the plain iteration's polygon, a fixed point
of the operator, and QuantEcon's and the exact iteration's sets where those exist.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from quantecon.game_theory import NormalFormGame, RepeatedGame
from scipy.spatial import QhullError

from solver.core.budget import Budget
from solver.core.errors import ModelError, ParameterError
from solver.core.game import Game
from solver.core.tolerances import REPEATED_CONVERGENCE
from solver.equilibria.repeated import abreu_sannikov, analyse_repeated, exact_payoff_set
from solver.equilibria.repeated.as_operator import stage, step
from solver.equilibria.repeated.polygon import hausdorff

#: polygons agree when their Hausdorff distance is below this times the payoff spread
#: (QuantEcon stops at 1e-12 on its vertex coordinates)
AGREE = 1e-7

#: Abreu & Sannikov (2014), the 3x3 example (as in QuantEcon's test suite), delta = 0.3
AS_EXAMPLE = [[(16, 9), (3, 13), (0, 3)], [(21, 1), (10, 4), (-1, 0)], [(9, 0), (5, -4), (-5, -15)]]
AS_VERTICES = [
    [7.33770472e00, 1.09826253e01],
    [1.12568240e00, 2.80000000e00],
    [7.33770472e00, 4.44089210e-16],
    [7.86308964e00, 4.44089210e-16],
    [1.97917977e01, 2.80000000e00],
    [1.55630896e01, 9.10000000e00],
]
QE_PD = [[(9, 9), (1, 10)], [(10, 1), (3, 3)]]


#: bench/repeated.py's random 3x3 games #1 and #3 at delta = 0.5 (its seed 2024)
BENCH_3X3_1 = [
    [(4.748, 1.076), (2.814, 0.742), (-7.629, 4.428)],
    [(2.074, -6.753), (-3.212, -1.24), (1.629, 8.644)],
    [(0.089, -9.706), (3.249, -0.84), (-8.714, -11.409)],
]
BENCH_3X3_3 = [
    [(0.816, 3.92), (-0.569, -2.562), (0.596, -2.857)],
    [(3.3, 2.084), (2.781, 2.262), (-2.096, -8.615)],
    [(6.336, 5.425), (-3.718, 4.496), (0.776, -0.367)],
]


def _random(seed: int, m: int) -> list:
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(scale=5.0, size=(m, m, 2)), 3).tolist()


CASES = {
    "as-example-0.3": (AS_EXAMPLE, 0.3),
    "as-example-0.6": (AS_EXAMPLE, 0.6),
    "qe-pd-0.9": (QE_PD, 0.9),
    "axelrod-pd-0.5": ([[(3, 3), (0, 5)], [(5, 0), (1, 1)]], 0.5),
    "axelrod-pd-0.4": ([[(3, 3), (0, 5)], [(5, 0), (1, 1)]], 0.4),
    "random-2x2-a": (_random(1, 2), 0.7),
    "random-2x2-b": (_random(2, 2), 0.7),
    "random-3x3-a": (_random(2, 3), 0.5),
    "random-3x3-b": (_random(4, 3), 0.8),
    "random-3x3-c": (_random(5, 3), 0.3),
    # approached geometrically, where the accelerated iteration extrapolates: a transient vertex
    # structure with a smaller fixed point of its own (0.8), slow (0.8), a vertex that comes and
    # goes every round (5, 0.3; in CASES above)
    "random-3x3-slow-a": (_random(0, 3), 0.8),
    "random-3x3-slow-b": (_random(6, 3), 0.8),
    "random-3x3-slow-c": (_random(0, 3), 0.5),
    "random-3x3-slow-d": (_random(2, 3), 0.8),
    # bench/repeated.py's "random 3x3 #1" and "#3" (seed 2024): a single vertex approaches the set
    # geometrically (rate about 0.42) while QuantEcon, from its own start, lands on the set exactly
    "bench-3x3-1": (BENCH_3X3_1, 0.5),
    "bench-3x3-3": (BENCH_3X3_3, 0.5),
}


def _ours(bimatrix, delta, **options):
    arr = np.asarray(bimatrix, dtype=float)
    return abreu_sannikov(arr[:, :, 0], arr[:, :, 1], delta, **options)


@pytest.fixture(scope="module")
def quantecon_sets():
    """QuantEcon's answers, computed once (its first call compiles with numba)."""
    out = {}
    for name, (bimatrix, delta) in CASES.items():
        try:
            hull = RepeatedGame(NormalFormGame(np.asarray(bimatrix, dtype=float)), delta).equilibrium_payoffs()
            out[name] = hull.points[hull.vertices]
        except (ValueError, QhullError):  # empty, or a degenerate set Qhull cannot hull
            out[name] = None
    return out


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_same_polygon_as_quantecon(name, quantecon_sets):
    bimatrix, delta = CASES[name]
    theirs = quantecon_sets[name]
    assert theirs is not None, "every case here is one QuantEcon can hull"
    ours = _ours(bimatrix, delta)
    assert ours is not None and ours.converged
    spread = float(np.ptp(np.asarray(bimatrix, dtype=float)))
    assert hausdorff(ours.vertices, theirs) < AGREE * spread
    assert len(ours.vertices) == len(theirs)


#: random 2x2 games (seeds 509, 1283, 539 of ``_random``) whose set is a point or a segment, once
#: answered wrongly (empty, empty, and 10^4 rounds without converging): a hull of collinear points
#: lost an end of the segment to the near-collinearity cleanup
SEED_509 = [[(-0.159, 5.665), (-0.017, 0.678)], [(-4.592, -4.911), (-1.57, -1.848)]]
SEED_1283 = [[(4.787, 6.229), (-2.168, 9.551)], [(0.241, -5.753), (9.983, -5.773)]]
SEED_539 = [[(0.787, -5.557), (-5.473, 1.328)], [(4.506, 0.487), (-3.427, -13.202)]]

#: sets QuantEcon cannot hull (a point or a segment: Qhull needs a full-dimensional set)
DEGENERATE = {
    "point-2x2": (_random(3, 2), 0.5),
    "segment-3x3": (_random(4, 3), 0.4),
    "point-3x3": (_random(10, 3), 0.3),
    "seed-509-point": (SEED_509, 0.7),
    "seed-1283-segment": (SEED_1283, 0.3),
    "seed-539-segment": (SEED_539, 0.5),
}


@pytest.mark.parametrize(
    ("name", "want", "exact_stops"),
    [
        # (0, 0) is the only stage equilibrium.  Row 1 is never played: at delta = 0.7 it pays the
        # row player at most 0.3 * (-1.57) + 0.7 * (-0.017) < -0.159, his minmax, whatever follows.
        # So the column player's lowest payoff y is made by row 0, where his best reply pays 5.665,
        # and y >= 0.3 * 5.665 + 0.7 * y: y >= 5.665, which only (0, 0) forever gives.  V is a point;
        # the rational iteration reaches it exactly.
        pytest.param("seed-509-point", [(F("-0.159"), F("5.665"))], True, id="seed-509-point"),
        # No stage equilibrium.  (1, 0) and (0, 1) are never played: the row player's deviation
        # gains (4.546, 12.151) times (1 - delta)/delta = 7/3 exceed what continuations can repay
        # (his payoffs span 4.787, his minmax, to 9.983).  So V lies on the segment from g(0, 0) to
        # g(1, 1); the column player's minmax -5.753 cuts it at x = 4.787 + 5.196 * 11.982/12.002,
        # and that piece is self-generating ((1, 1)'s incentive binds exactly at the cut: his
        # deviation there pays his minmax).  Reached only geometrically in rationals; QuantEcon
        # gives the same segment.
        pytest.param(
            "seed-1283-segment", [(F("4.787"), F("6.229")), (F(59856023, 6001000), F("-5.753"))], False,
            id="seed-1283-segment",
        ),
        # (1, 0) is the only stage equilibrium, so V is not empty.  (0, 0) and (1, 1) are never
        # played: the column player's gains (6.885, 13.689) exceed his payoffs' range above his
        # minmax 0.487 (to 1.328).  So V lies on the segment from g(1, 0) to g(0, 1), cut by the row
        # player's minmax -3.427 at y = 0.487 + 0.841 * 7.933/9.979; that piece is self-generating.
        pytest.param(
            "seed-539-segment", [(F("4.506"), F("0.487")), (F("-3.427"), F(5765713, 4989500))], False,
            id="seed-539-segment",
        ),
    ],
)
def test_point_and_segment_sets_by_hand(name, want, exact_stops):
    """Point and segment sets, derived by hand, from the float iteration (converged, not empty,
    within the agreement tolerance) and from the rational one (exactly, where it stops; where it
    does not, it must not claim an empty set)."""
    bimatrix, delta = DEGENERATE[name]
    arr = np.asarray(bimatrix, dtype=float)
    spread = float(np.ptp(arr))
    ours = _ours(bimatrix, delta)
    assert ours is not None and ours.converged and len(ours.vertices) == len(want)
    assert hausdorff(ours.vertices, [(float(x), float(y)) for x, y in want]) < AGREE * spread
    exact = exact_payoff_set(arr[:, :, 0].tolist(), arr[:, :, 1].tolist(), F(str(delta)))
    if exact_stops:
        assert exact is not None and sorted(exact.vertices) == sorted(want)
    else:
        assert exact is None


#: seed 123 of ``_random`` (3x3), delta = 0.9: no stage equilibrium, and the iterates shrink to
#: nothing after 16 rounds; the rational iteration, given enough bits, ends empty too
EMPTY_3X3 = [
    [(-4.946, -1.839), (6.44, 0.97), (4.601, 2.886)],
    [(-3.182, 2.71), (-1.583, -1.612), (0.486, -7.63)],
    [(5.961, -3.355), (5.001, 0.682), (7.66, -3.3)],
]


def test_empty_set_is_recognised_as_the_rational_iteration_finds_it(monkeypatch):
    """Empty is an answer, found when an iterate is empty (long before the round cap), not a
    polygon shrunk to rounding noise; the rational iteration agrees (its bit cap raised)."""
    from solver.equilibria.repeated import abreu_sannikov_exact

    arr = np.asarray(EMPTY_3X3, dtype=float)
    assert _ours(EMPTY_3X3, 0.9) is None
    assert _ours(EMPTY_3X3, 0.9, accelerate=False, max_iter=20) is None
    monkeypatch.setattr(abreu_sannikov_exact, "MAX_EXACT_BITS", 20_000)
    exact = exact_payoff_set(arr[:, :, 0].tolist(), arr[:, :, 1].tolist(), F("0.9"))
    assert exact is not None and exact.vertices == ()


def test_segment_matches_quantecon_where_it_hulls_it():
    """Seed 1283: Qhull hulls this segment (as a sliver), and its ends are ours."""
    hull = RepeatedGame(NormalFormGame(np.asarray(SEED_1283, dtype=float)), 0.3).equilibrium_payoffs()
    ours = _ours(SEED_1283, 0.3)
    assert ours is not None
    assert hausdorff(ours.vertices, hull.points[hull.vertices]) < AGREE * float(np.ptp(SEED_1283))


@pytest.mark.parametrize("name", list(CASES) + list(DEGENERATE), ids=list(CASES) + list(DEGENERATE))
def test_every_pure_stage_equilibrium_payoff_is_in_the_set(name):
    """Playing a pure stage equilibrium forever is subgame perfect, so its payoff lies in V --
    also where V is a point or a segment, which Qhull (and so QuantEcon) cannot represent."""
    from solver.equilibria.pure import pure_equilibria

    bimatrix, delta = {**CASES, **DEGENERATE}[name]
    arr = np.asarray(bimatrix, dtype=float)
    ours = _ours(bimatrix, delta)
    game = Game.from_arrays(np.moveaxis(arr, 2, 0))
    for prof in pure_equilibria(game):
        assert ours is not None
        assert _inside(np.array([float(x) for x in game.payoff(prof)]), ours.vertices), prof
    if name in DEGENERATE:
        assert ours is not None and len(ours.vertices) <= 2


def test_abreu_sannikov_example_vertices():
    """The published vertices of the example (QuantEcon's reference values), delta = 0.3."""
    ours = _ours(AS_EXAMPLE, 0.3)
    assert ours is not None
    assert hausdorff(ours.vertices, AS_VERTICES) < 1e-6
    assert ours.threat == pytest.approx((1.12568240, 0.0), abs=1e-7)


def test_no_pure_subgame_perfect_equilibrium_is_an_empty_set():
    """QuantEcon's own example with no pure-action SPE at delta = 0.05 (it raises ValueError)."""
    assert _ours([[(1, -1), (-1, 2)], [(-2, 2), (1, 0)]], 0.05) is None
    assert _ours([[(1, -1), (-1, 1)], [(-1, 1), (1, -1)]], 0.9) is None  # matching pennies


def test_prisoners_dilemma_sets_by_hand():
    """Axelrod's PD: feasible IR set = hull{(1,1), (13/3,1), (3,3), (1,13/3)} exactly (the minmax
    is P = 1 and the edges from (5,0) and (0,5) to (3,3) cross the minmax lines there).  At
    delta = 1/2 (= delta*) the AS set is that whole set; below 1/4 only (1, 1) remains, since
    any pure SPE first period other than (D, D) needs delta >= 1/4 (a deviation from (C, D)'s
    sucker payoff 0 to 1 is worth at most delta/(1-delta) (3 - 1) -- a bound met at 1/3 here;
    we only check the endpoints)."""
    res = analyse_repeated(
        Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]), ("1", "1"), delta=F(1, 2)
    )
    assert res.feasible_ir_set is not None and res.payoff_set is not None
    assert res.feasible_ir_set.vertices == ((1, 1), (F(13, 3), 1), (3, 3), (1, F(13, 3)))
    assert res.payoff_set.vertices == res.feasible_ir_set.vertices  # exact: the iteration stops
    assert res.payoff_set.note.startswith("exact") and not res.tolerances
    low = _ours([[(3, 3), (0, 5)], [(5, 0), (1, 1)]], 0.2)
    assert low is not None and hausdorff(low.vertices, [(1.0, 1.0)]) < 1e-9


@pytest.mark.parametrize("name", ["as-example-0.3", "random-3x3-a", "random-3x3-b", "axelrod-pd-0.5"])
def test_target_payoff_lies_in_the_set_once_a_penal_code_sustains_it(name):
    """Theory links the two computations: when a simple penal code with pure punishments
    sustains a pure target at delta, its payoff is a pure SPE payoff, inside the AS set."""
    bimatrix, delta = CASES[name]
    arr = np.asarray(bimatrix, dtype=float)
    game = Game.from_arrays(np.moveaxis(arr, 2, 0))
    inside = 0
    for target in np.ndindex(*game.shape):
        res = analyse_repeated(game, target, delta=delta)
        code = res.punishment("penal_code")
        pure_code = code.sustains(res.delta) and all("mixed" not in v for v in code.detail.values())
        if pure_code:
            assert res.payoff_set is not None
            u = np.array([float(x) for x in game.payoff(target)])
            assert _inside(u, res.payoff_set.vertices)
            inside += 1
    assert inside >= 1


def _inside(point, vertices, slack=1e-9) -> bool:
    """Whether ``point`` lies in the convex polygon (or on the segment, or at the point)."""
    v = np.asarray(vertices, dtype=float)
    if len(v) >= 3:
        edges = np.roll(v, -1, axis=0) - v
        rel = point - v
        cross = edges[:, 0] * rel[:, 1] - edges[:, 1] * rel[:, 0]
        return bool((cross >= -slack * np.hypot(edges[:, 0], edges[:, 1])).all())
    a, b = v[0], v[-1]
    t = 0.0 if np.allclose(a, b) else float(np.clip(np.dot(point - a, b - a) / np.dot(b - a, b - a), 0, 1))
    return bool(np.linalg.norm(point - (a + t * (b - a))) < slack)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (([[1, 2]], [[1, 2], [3, 4]], 0.5), ModelError),
        (([[1, 2]], [[1, float("nan")]], 0.5), ModelError),
        (([[1, 2]], [[1, 2]], 1.0), ParameterError),
        (([[1, 2]], [[1, 2]], 0.0), ParameterError),
    ],
    ids=["shapes", "nan", "delta-1", "delta-0"],
)
def test_abreu_sannikov_bad_input(args, error):
    with pytest.raises(error):
        abreu_sannikov(*args)


def test_payoff_set_needs_a_delta():
    with pytest.raises(ParameterError, match="discount factor"):
        analyse_repeated(Game.from_bimatrix([[1]], [[1]]), ("1", "1"), payoff_set=True)


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_exact_iteration_agrees_with_quantecon_where_it_stops(name, quantecon_sets):
    """In rationals the iteration either stops at its fixed point exactly (then the polygon is
    QuantEcon's, to its tolerance) or gives way to floats (the AS example: approached
    geometrically)."""
    bimatrix, delta = CASES[name]
    arr = np.asarray(bimatrix, dtype=float)
    exact = exact_payoff_set(arr[:, :, 0].tolist(), arr[:, :, 1].tolist(), F(str(delta)))
    if name.startswith("as-example"):
        assert exact is None
        return
    if exact is None:
        return
    assert all(isinstance(x, F) for v in exact.vertices for x in v)
    spread = float(np.ptp(arr))
    assert hausdorff(exact.vertices, quantecon_sets[name]) < AGREE * spread


def test_analysis_falls_back_to_floats_when_the_exact_iteration_does_not_stop():
    arr = np.moveaxis(np.asarray(AS_EXAMPLE), 2, 0)
    res = analyse_repeated(Game.from_arrays(arr), ("1", "1"), delta=F(3, 10))
    assert res.payoff_set is not None and res.payoff_set.converged
    assert isinstance(res.payoff_set.vertices[0][0], float)
    assert hausdorff(res.payoff_set.vertices, AS_VERTICES) < 1e-6
    assert res.tolerances["convergence"] > 0


# --- the accelerated iteration (Anderson extrapolation, certified by the plain iterates) ---------


@pytest.mark.parametrize("name", list(CASES) + list(DEGENERATE), ids=list(CASES) + list(DEGENERATE))
def test_accelerated_answer_equals_the_plain_iterations(name):
    """Extrapolating changes how fast, not what: the same polygon and threat point as the plain
    iteration (to the plain iteration's own tolerance), in at most as many rounds."""
    bimatrix, delta = {**CASES, **DEGENERATE}[name]
    plain = _ours(bimatrix, delta, accelerate=False)
    fast = _ours(bimatrix, delta)
    assert plain is not None and fast is not None and plain.converged and fast.converged
    spread = float(np.ptp(np.asarray(bimatrix, dtype=float)))
    assert hausdorff(fast.vertices, plain.vertices) < AGREE * spread
    assert fast.threat == pytest.approx(plain.threat, abs=AGREE * spread)
    assert fast.iterations <= plain.iterations


@pytest.mark.parametrize(
    "name", ["as-example-0.3", "axelrod-pd-0.4", "random-3x3-slow-a", "random-3x3-slow-b", "bench-3x3-1", "bench-3x3-3"]
)
def test_every_iterate_contains_the_set(name):
    """The premise of the acceleration's certificate: the plain iterates (stopped after n rounds)
    all contain the payoff set, so an extrapolated fixed point (which lies inside it) within the
    certified gap of an iterate is within that gap of the set."""
    bimatrix, delta = CASES[name]
    final = _ours(bimatrix, delta, accelerate=False)
    assert final is not None and final.converged
    spread = float(np.ptp(np.asarray(bimatrix, dtype=float)))
    for n in range(1, final.iterations, 3):
        outer = _ours(bimatrix, delta, accelerate=False, max_iter=n)
        assert outer is not None and not outer.converged
        assert all(_inside(np.asarray(v), outer.vertices, AGREE * spread) for v in final.vertices), n


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_answer_is_a_fixed_point_of_the_operator(name):
    """What ``converged`` promises: one more application of the Abreu-Sannikov operator moves
    the polygon and its threat point by less than the convergence tolerance."""
    bimatrix, delta = CASES[name]
    arr = np.asarray(bimatrix, dtype=float)
    ours = _ours(bimatrix, delta)
    assert ours is not None and ours.converged
    s = stage(arr[:, :, 0], arr[:, :, 1], delta)
    w, threat = np.asarray(ours.vertices), np.asarray(ours.threat)
    again, _, moved_threat = step(w, threat, s)
    stop = REPEATED_CONVERGENCE * s.scale
    assert hausdorff(again, w) <= stop and np.abs(moved_threat - threat).max() <= stop


def test_published_example_is_a_fixed_point():
    """Abreu & Sannikov's published vertices (delta = 0.3) reproduce themselves under one step."""
    arr = np.asarray(AS_EXAMPLE, dtype=float)
    s = stage(arr[:, :, 0], arr[:, :, 1], 0.3)
    w = np.asarray(AS_VERTICES)[[2, 3, 4, 5, 0, 1]]  # counter-clockwise from the lowest
    again, _, threat = step(w, w.min(axis=0), s)
    assert hausdorff(again, w) < 1e-6 and threat == pytest.approx((1.12568240, 0.0), abs=1e-7)


def test_payoff_set_equals_the_exact_set_where_that_stops():
    """Where the iteration in rationals reaches its fixed point exactly, the float answer is that
    polygon.  (It stops where the float iteration stops within a few rounds too: where the floats
    approach the set geometrically and extrapolate, so do the rationals, without end.)"""
    stopped = []
    for name, (bimatrix, delta) in CASES.items():
        arr = np.asarray(bimatrix, dtype=float)
        exact = exact_payoff_set(arr[:, :, 0].tolist(), arr[:, :, 1].tolist(), F(str(delta)))
        if exact is None or not exact.vertices:  # approached geometrically: no exact end
            continue
        ours = _ours(bimatrix, delta)
        assert ours is not None
        want = [(float(x), float(y)) for x, y in exact.vertices]
        assert hausdorff(ours.vertices, want) < AGREE * float(np.ptp(arr)), name
        stopped.append(name)
    assert {"axelrod-pd-0.5", "random-2x2-a", "random-3x3-a", "random-3x3-b"} <= set(stopped)


def test_iteration_cap_and_budget_are_honest():
    """Stopped early, the answer says so: not converged, within the cap, with a note."""
    capped = _ours(AS_EXAMPLE, 0.3, max_iter=5)
    assert capped is not None and not capped.converged and capped.iterations <= 5
    assert "before the tolerance was met" in capped.note
    spent = _ours(AS_EXAMPLE, 0.3, budget=Budget.start(0.0))
    assert spent is not None and not spent.converged and spent.iterations == 0


# --- the bench's slow 3x3 games, and the plain-float pieces of the iteration ---------------------


@pytest.mark.parametrize(
    ("name", "vertices"),
    [
        pytest.param("bench-3x3-1", [(3.249, -0.84), (4.452090644820297, 1.794), (1.629, 8.644), (2.65624, 1.794)],
                     id="bench-3x3-1"),
        pytest.param("bench-3x3-3", [(2.781, 2.262), (4.5585, 3.46893), (6.336, 5.425)], id="bench-3x3-3"),
    ],
)
def test_bench_games_match_quantecon_to_its_own_digits(name, vertices, quantecon_sets):
    """The two games where QuantEcon lands on the set exactly after five rounds: our certified
    answer is its polygon within 1e-9 of the payoff spread, vertex for vertex (its rounded
    vertices as printed by its hull, to 1e-5), and the plain iteration's."""
    bimatrix, delta = CASES[name]
    spread = float(np.ptp(np.asarray(bimatrix, dtype=float)))
    ours = _ours(bimatrix, delta)
    plain = _ours(bimatrix, delta, accelerate=False)
    assert ours is not None and ours.converged and plain is not None
    assert hausdorff(ours.vertices, quantecon_sets[name]) < 1e-9 * spread
    assert hausdorff(ours.vertices, plain.vertices) < 1e-9 * spread
    assert np.asarray(ours.vertices) == pytest.approx(np.asarray(vertices), abs=1e-5)
    assert ours.iterations < plain.iterations


def test_plain_float_stage_matches_its_definition():
    """:func:`stage` (plain floats) against the definitions in numpy: deviation gains scaled by
    (1 - delta)/delta, the incentive test's keep = g - h + slack, and (1 - delta) g."""
    arr = np.asarray(AS_EXAMPLE, dtype=float)
    u0, u1, delta = arr[:, :, 0], arr[:, :, 1], 0.3
    s = stage(u0, u1, delta)
    pay = np.stack([u0.ravel(), u1.ravel()], axis=1)
    gain = np.stack([(u0.max(axis=0) - u0).ravel(), (u1.max(axis=1, keepdims=True) - u1).ravel()], axis=1)
    h = (1 - delta) / delta * gain
    want = np.concatenate([pay, h, pay - h + s.geo, (1 - delta) * pay], axis=1)
    assert np.array_equal(np.asarray(s.rows), want) and np.array_equal(s.pay, pay)
    assert s.scale == float(pay.max() - pay.min())


def test_anderson_least_squares_matches_numpy():
    """The plain-float least-squares weights of the Anderson mixing equal numpy's lstsq on a
    well-conditioned problem, and a column that repeats another gets weight 0."""
    from solver.equilibria.repeated.as_anderson import _solve

    rng = np.random.default_rng(7)
    cols, rhs = rng.normal(size=(3, 8)), rng.normal(size=8)
    want = np.linalg.lstsq(cols.T, rhs, rcond=None)[0]
    assert _solve(cols.tolist(), rhs.tolist()) == pytest.approx(want.tolist(), abs=1e-12)
    again = _solve([cols[0].tolist(), cols[0].tolist()], rhs.tolist())
    assert again[1] == 0.0 and again[0] == pytest.approx(float(cols[0] @ rhs / (cols[0] @ cols[0])), abs=1e-12)


@pytest.mark.parametrize("name", ["bench-3x3-1", "bench-3x3-3", "as-example-0.3", "random-3x3-slow-a"])
def test_certificate_only_accepts_iterates_within_the_gap(name):
    """The certificate's plain-float test (as many vertices: the largest vertex displacement and
    the edge half-planes) accepts an iterate only where the exact Hausdorff distance is within the
    gap and the fixed point lies inside the iterate; and it does accept the converged answer."""
    from solver.core.tolerances import REPEATED_CERTIFIED, scaled
    from solver.equilibria.repeated.abreu_sannikov import _Game, _within

    bimatrix, delta = CASES[name]
    arr = np.asarray(bimatrix, dtype=float)
    s = stage(arr[:, :, 0], arr[:, :, 1], delta)
    g = _Game(s, scaled(REPEATED_CONVERGENCE, s.scale), scaled(REPEATED_CERTIFIED, s.scale), s.geo)
    final = _ours(bimatrix, delta)
    assert final is not None
    fixed = np.asarray(final.vertices)
    assert _within(fixed, fixed.tolist(), g)
    for n in range(1, 40):
        outer = _ours(bimatrix, delta, accelerate=False, max_iter=n)
        assert outer is not None
        if _within(fixed, [list(v) for v in outer.vertices], g):
            assert hausdorff(fixed, outer.vertices) <= g.gap
            assert all(_inside(v, outer.vertices, 10 * REPEATED_CONVERGENCE * s.scale) for v in fixed)
