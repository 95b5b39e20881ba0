"""The sweep engine agrees with exact per-point solvers; sweeps are chunked, resumable and scale out.

The reference for every batched kernel is an exact solver that shares no code with it: vertex
enumeration (``solve_bimatrix``) for two players, because ``solve`` sends a 2x2 game to the closed
form, which is the batched 2x2 kernel on a batch of one; the polynomial solver for three or more
(``solve(..., exact=True)``: the 2x2x2 closed form, the batched 2x2x2 kernel, serves float games
only).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import exact_reference, same_set

from solver.core.game import Game
from solver.core.symbolic import evaluate, from_game
from solver.equilibria import solve
from solver.equilibria.batched import three_binary, two_player
from solver.formats import load, shipped_models
from solver.sweep import solve_batch, sweep

NORMAL = [
    name
    for name, path in shipped_models().items()
    if 'kind = "sequential"' not in path.read_text() and 'kind = "bargaining"' not in path.read_text()
]


def exact_signature(model, point):  # type: ignore[no-untyped-def]
    return exact_reference(evaluate(model, point, check_range=False)).signature()


def _random_columns(model, n, seed):
    rng = np.random.default_rng(seed)
    return {p.name: rng.uniform(float(p.low), float(p.high), n) for p in model.parameters}


def test_reference_is_not_a_batched_kernel(monkeypatch):
    import solver.equilibria.nplayer.closed_form as closed3
    import solver.equilibria.twoplayer.closed_form as closed2

    def kernel(*args, **kwargs):
        raise AssertionError("the reference called a batched kernel")

    monkeypatch.setattr(closed2, "gains", kernel)  # the batched kernel's algebra
    monkeypatch.setattr(closed3, "three_binary", kernel)
    with pytest.raises(AssertionError, match="batched kernel"):
        solve(Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]))  # the trap is set
    assert exact_reference(Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])).equilibria
    assert exact_reference(evaluate(load("syria_triad")).as_float()).method == "polynomial"


@pytest.mark.parametrize("name", NORMAL)
def test_batch_equals_exact_solve_on_shipped_models(name):
    model = load(name)
    cols = _random_columns(model, 60, 7)
    # add the defaults and a few grid-aligned (often degenerate) points
    for p in model.parameters:
        cols[p.name] = np.concatenate(
            [cols[p.name], [float(p.value)] * 2, [float(p.low), float(p.high)]]
        )
    batch = solve_batch(model, cols)
    for k in range(batch.n_points):
        point = {n: float(v[k]) for n, v in cols.items()}
        assert batch.labels[batch.codes[k]] == exact_signature(model, point), point


def _vectors(values):
    return [np.asarray(v, dtype=float) for v in values]


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)], ids=str)
def test_two_player_batch_equals_vertex_enumeration_on_random_games(shape):
    rng = np.random.default_rng(sum(shape))
    n = 40
    u = rng.normal(size=(2, *shape, n))
    found = two_player(u, np.full(n, 1e-9 * 8))
    cands, suspect = found.candidates, found.suspect
    assert not suspect.any()  # continuous random games are generic
    for k in range(n):
        ours = [[p[k] for p in c.probs] for c in cands if c.mask[k]]
        ref = exact_reference(Game.from_arrays(u[..., k], exact=False))
        assert ref.complete and not ref.degenerate
        assert same_set(ours, [_vectors(e.vectors) for e in ref.equilibria], tol=1e-7), k


def test_binary_three_batch_equals_polynomial_solver_on_random_games():
    rng = np.random.default_rng(3)
    n = 40
    u = rng.normal(size=(3, 2, 2, 2, n))
    found = three_binary(u, np.full(n, 1e-8))
    cands, suspect = found.candidates, found.suspect
    assert suspect.sum() < n // 4
    for k in np.flatnonzero(~suspect):
        ours = [[p[k] for p in c.probs] for c in cands if c.mask[k]]
        ref = exact_reference(Game.from_arrays(u[..., k], exact=False))
        assert ref.method == "polynomial" and ref.complete
        assert same_set(ours, [_vectors(e.vectors) for e in ref.equilibria], tol=1e-6), k


def test_degenerate_points_fall_back_and_are_flagged():
    # matching-pennies-like game with a tie exactly at the grid point T = 3
    model = load("prisoners_dilemma")
    batch = solve_batch(
        model,
        {
            "T": np.array([2.0, 3.0, 4.0]),
            "R": np.full(3, 3.0),
            "P": np.full(3, 1.0),
            "S": np.full(3, 0.0),
        },
    )
    assert batch.fallback[1] and batch.degenerate[1]
    assert not batch.fallback[0] and not batch.fallback[2]


def test_boundary_refined_to_exact_threshold():
    # Chicken with R=3, S=1, P=0: (Straight, Straight) becomes an equilibrium when P > S ... vary P
    # Prisoner's dilemma vs stag hunt: the equilibrium set changes exactly at T = R = 3
    r = sweep(load("prisoners_dilemma"), {"T": np.linspace(0, 10, 11)}, {"R": 3, "P": 1, "S": 0})
    (b,) = r.boundaries
    assert abs(b.value - 3.0) <= 1e-9
    assert b.before != b.after


def test_every_grid_crossing_is_refined_to_the_exact_red_line():
    """2-D prisoner's dilemma (P = 1, S = 0): cooperation is an equilibrium iff T <= R (and
    R >= P), so every crossing along T lies on T = R; all crossings are refined at once."""
    grid = {"T": np.linspace(0, 10, 101), "R": np.linspace(0.0123, 9.9871, 57)}
    r = sweep(load("prisoners_dilemma"), grid, {"P": 1, "S": 0})
    assert r.degenerate_points == 0  # no grid point on a red line: every crossing is a bracket
    codes = r.codes.reshape(r.plan.shape)
    crossings = int((codes[1:, :] != codes[:-1, :]).sum() + (codes[:, 1:] != codes[:, :-1]).sum())
    assert len(r.boundaries) == crossings and not r.notes
    along_t = [b for b in r.boundaries if b.parameter == "T"]
    assert along_t and all(abs(b.value - b.at["R"]) <= 1e-9 for b in along_t)
    assert sweep(load("prisoners_dilemma"), grid, {"P": 1, "S": 0}, refine=False).boundaries == []


def test_sweep_regimes_cover_the_grid_and_match_signatures():
    model = load("syria_deconfliction")
    r = sweep(
        model, {"iran_cost": np.linspace(0, 20, 41), "conflict_cost_israel": np.linspace(0, 20, 21)}
    )
    assert sum(g["points"] for g in r.regimes()) == r.n_points == 41 * 21
    assert abs(sum(g["share"] for g in r.regimes()) - 1) < 1e-12
    sigs = r.signatures()
    pts = r.points()
    for k in np.random.default_rng(0).choice(r.n_points, 25, replace=False):
        point = {
            "iran_cost": pts["iran_cost"][k],
            "conflict_cost_israel": pts["conflict_cost_israel"][k],
        }
        assert sigs[k] == exact_signature(model, point)


def test_chunking_does_not_change_results():
    model = load("syria_triad")
    vary = {"entrench_cost": np.linspace(0, 10, 37), "base_value": np.linspace(0, 10, 23)}
    a = sweep(model, vary, chunk=100)
    b = sweep(model, vary, chunk=65536)
    assert a.signatures() == b.signatures()
    assert [(x.parameter, x.before, x.after) for x in a.boundaries] == [
        (x.parameter, x.before, x.after) for x in b.boundaries
    ]


def test_local_workers_equal_in_process():
    model = load("syria_deconfliction")
    vary = {"iran_cost": np.linspace(0, 20, 30), "assad_stake": np.linspace(0, 20, 30)}
    a = sweep(model, vary, chunk=97)
    b = sweep(model, vary, chunk=97, workers=2)
    assert a.signatures() == b.signatures()


def test_dask_local_cluster_equals_in_process():
    distributed = pytest.importorskip("distributed")
    model = load("syria_triad")
    vary = {"entrench_cost": np.linspace(0, 10, 25), "strike_eff": np.linspace(0, 1, 20)}
    a = sweep(model, vary, chunk=64)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        b = sweep(model, vary, chunk=64, scheduler=client)
        c = sweep(model, vary, chunk=64, scheduler=cluster.scheduler_address)
    assert a.signatures() == b.signatures() == c.signatures()
    assert list(a.counts) == list(b.counts)


def test_resume_after_interruption(tmp_path: Path):
    model = load("chicken")
    out = tmp_path / "sweep.csv"
    vary = {"T": np.linspace(-10, 10, 50), "S": np.linspace(-10, 10, 40)}

    class Stop(Exception):
        pass

    def interrupt(done: int, total: int) -> None:
        if done == 3:
            raise Stop

    with pytest.raises(Stop):
        sweep(model, vary, chunk=200, out=out, progress=interrupt)
    assert not out.exists()  # nothing half-written
    parts = out.with_name(out.name + ".parts")
    assert len(list(parts.glob("chunk-*.npz"))) == 3
    computed = []
    import solver.sweep.runner as runner

    original = runner.run_chunk

    def counting(*args, **kwargs):
        computed.append(args[2])
        return original(*args, **kwargs)

    runner.run_chunk = counting
    try:
        resumed = sweep(model, vary, chunk=200, out=out, resume=True)
    finally:
        runner.run_chunk = original
    assert len(computed) == resumed.plan.n_chunks - 3
    assert out.exists() and not parts.exists()
    fresh = tmp_path / "fresh.csv"
    sweep(model, vary, chunk=200, out=fresh)
    assert out.read_text() == fresh.read_text()


def test_samples_are_reproducible_and_inside_ranges():
    model = load("syria_triad")
    a = sweep(model, samples=500, seed=4, chunk=128)
    b = sweep(model, samples=500, seed=4, chunk=128)
    assert a.signatures() == b.signatures()
    pts = a.points()
    for p in model.parameters:
        assert pts[p.name].min() >= float(p.low) and pts[p.name].max() <= float(p.high)


def test_from_game_model_sweeps_with_constant_payoffs():
    g = Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    batch = solve_batch(from_game(g), {})
    assert batch.labels[batch.codes[0]] == "mixed (full support)"


def test_tidy_csv_has_one_row_per_point_and_equilibrium(tmp_path: Path):
    out = tmp_path / "t.csv"
    r = sweep(load("chicken"), {"T": [3.5, 5.0]}, {"R": 3, "S": 1, "P": 0}, out=out)
    lines = out.read_text().strip().splitlines()
    assert lines[0].startswith("point,T,signature,equilibrium,description,P(Row=Swerve)")
    assert len(lines) == 1 + 2 * 3  # two points, three equilibria each
    assert r.n_points == 2


def test_json_summary_output(tmp_path: Path):
    out = tmp_path / "s.json"
    sweep(load("stag_hunt"), {"R": np.linspace(-10, 10, 21)}, out=out)
    doc = json.loads(out.read_text())
    assert doc["points"] == 21 and doc["regimes"] and "boundaries" in doc


def test_to_dataframe_has_one_row_per_point():
    pd = pytest.importorskip("pandas")  # an extra: pip install 'redline-solver[pandas]'
    r = sweep(load("chicken"), {"T": [3.5, 5.0]}, {"R": 3, "S": 1, "P": 0})
    df = r.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["T", "signature"] and df["signature"].tolist() == r.signatures()


def test_to_dataframe_without_pandas_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    r = sweep(load("chicken"), {"T": [3.5]}, {"R": 3, "S": 1, "P": 0})
    with pytest.raises(ImportError, match=r"redline-solver\[pandas\]"):
        r.to_dataframe()
