"""``redline sweep --qre L``: the logit QRE over a sweep's points (:mod:`solver.sweep.qre`), against
the single-game tracer ``qre_at`` and pygambit's ``logit_solve_lambda`` point by point, against
hand-solved QRE, and converging to the Nash sweep as lambda grows.

Hand derivation used below (a symmetric 2x2 coordination game, the stag hunt with R, T, P, S):
on the symmetric principal branch both play Stag with probability ``p``, and Stag's payoff gain
is ``d1 p - d2 (1 - p)`` with ``d1 = R - T``, ``d2 = P - S``, so the logit QRE solves
``logit(p) = lam (d1 p - d2 (1 - p))``: at ``p`` the branch is at ``lam = logit(p) / (d1 p - d2
(1 - p))``.  With R, T, P, S = 5, 1, 1, 0: ``lam(0.9) = ln 9 / (4 * 0.9 - 0.1) = ln 9 / 3.5``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from clirun import run
from oracle import CHILD_PRELUDE, run_child

from solver.core.symbolic import evaluate
from solver.equilibria.qre.branch import qre_at
from solver.formats import load
from solver.sweep.engine import solve_batch
from solver.sweep.qre import sweep_qre
from solver.sweep.qre_kernel import qre_2x2_sweep, unique_2x2

TOL = 1e-6

CASES = [
    # (id, model, varied values, fixed, lambdas)
    ("syria-2x2", "syria_deconfliction", {"iran_cost": [0.0, 2.0, 4.0, 6.0, 10.0, 14.0, 20.0]}, {}, (0.5, 2.0, 20.0)),
    ("syria-2x2-deal", "syria_deconfliction", {"deal_value": [0.0, 5.0, 8.0, 9.5]}, {"iran_cost": "12"}, (0.3, 3.0)),
    ("stag-hunt-coordination", "stag_hunt", {"P": [-1.0, 1.0, 2.0, 3.5]}, {}, (0.5, 3.0)),
    ("chicken", "chicken", {"T": [1.0, 3.0, 5.0]}, {}, (0.4, 2.0)),
    ("syria-triad-2x2x2", "syria_triad", {"iran_cost": [0.0, 6.0, 12.0]}, {}, (0.5, 2.0)),
    ("tree-entry", "entry_deterrence", {"incumbent_war": [-2.0, 0.0, 1.0, 3.0]}, {}, (0.5, 4.0)),
    ("tree-syria-sequential", "syria_sequential", {"iran_cost": [2.0, 6.0, 12.0]}, {}, (0.5,)),
    ("tree-chance-varies", "syria_russia_signal", {"p_resolute": [0.1, 0.6]}, {}, (1.0,)),
]


def _subject(model: Any, point: dict[str, float]) -> Any:
    values = model.values({k: str(v) for k, v in point.items()})
    if model.tree is not None:
        return model.tree.at({k: float(v) for k, v in values.items()}, exact=False)
    return evaluate(model, {k: str(v) for k, v in point.items()}).as_float()


@pytest.mark.parametrize(("name", "vary", "fixed", "lams"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sweep_points_equal_qre_at(name: str, vary: dict[str, list[float]], fixed: dict[str, str], lams: Any) -> None:
    """Every point of the sweep is the single-game tracer's QRE there (first crossing of lambda);
    outcome probabilities sum to 1 and are the products along the profile or the path."""
    m = load(name)
    for lam in lams:
        r = sweep_qre(m, vary, fixed, lam=lam)
        assert r.complete and r.undefined_points == 0
        np.testing.assert_allclose(r.reach.sum(axis=1), 1.0, atol=1e-12)
        pts = r.points()
        for k in range(r.n_points):
            here = {**{n: float(v) for n, v in fixed.items()}, **{n: float(pts[n][k]) for n in pts}}
            ref = qre_at(_subject(m, here), lam).points[0]
            assert np.abs(r.probs[k] - np.concatenate(ref.vectors)).max() <= TOL, (lam, here)
            assert np.abs(r.payoffs[k] - np.asarray(ref.values)).max() <= TOL * 100


@pytest.mark.parametrize("name", ["syria_deconfliction", "syria_triad", "entry_deterrence", "syria_russia_signal"])
def test_lambda_zero_is_uniform(name: str) -> None:
    m = load(name)
    p = m.parameters[0]
    r = sweep_qre(m, {p.name: [float(p.low), float(p.high)]}, lam=0.0)
    start = 0
    for acts in r.actions:
        np.testing.assert_allclose(r.probs[:, start : start + len(acts)], 1.0 / len(acts))
        start += len(acts)


def test_hand_solved_symmetric_branch() -> None:
    """The stag hunt R, T, P, S = 5, 1, 1, 0 at lam = ln 9 / 3.5: both play Stag with 0.9."""
    lam = math.log(9.0) / 3.5
    r = sweep_qre(load("stag_hunt"), {"R": [5.0]}, {"T": "1", "P": "1", "S": "0"}, lam=lam)
    np.testing.assert_allclose(r.probs[0], [0.9, 0.1, 0.9, 0.1], atol=1e-12)
    assert r.outcomes[0] == "Stag, Stag" and abs(r.reach[0, 0] - 0.81) < 1e-12


def test_large_lambda_approaches_the_nash_sweep() -> None:
    """Away from the red lines (iran_cost 2 and 14) the QRE's outcome distribution tends to the
    unique Nash equilibrium's as lambda grows, and gets closer with every tenfold lambda."""
    m = load("syria_deconfliction")
    xs = [0.5, 1.0, 4.0, 6.0, 10.0, 12.5, 15.0, 19.0]
    cols = {p.name: np.full(len(xs), float(p.value)) for p in m.parameters}
    nash = solve_batch(m, {**cols, "iran_cost": np.array(xs)})
    target = nash.outcome_probabilities().reshape(len(xs), -1)
    gaps = [np.abs(sweep_qre(m, {"iran_cost": xs}, lam=lam).reach - target).max() for lam in (1.0, 10.0, 100.0, 1000.0)]
    assert all(a > b for a, b in itertools.pairwise(gaps)) and gaps[-1] < 0.01, gaps


_GAMBIT = (
    CHILD_PRELUDE
    + r"""
import json
import numpy as np
out = []
for job in json.loads(sys.stdin.read()):
    arr = np.array(job["payoffs"], dtype=float)
    g = gc.game_from_arrays(*[arr[i] for i in range(arr.shape[0])])
    (r,) = gbt.qre.logit_solve_lambda(g, lam=[job["lam"]], use_strategic=True)
    out.append([float(r.profile[p][s]) for p in g.players for s in g.get_strategies(p)])
print(json.dumps(out))
"""
)


def test_sweep_points_equal_pygambit() -> None:
    """A few points of a 2x2 and a 2x2x2 sweep against pygambit's ``logit_solve_lambda``."""
    jobs, ours = [], []
    cases = (
        ("syria_deconfliction", {"iran_cost": [1.0, 8.0, 15.0]}, 1.5),
        ("syria_triad", {"iran_cost": [3.0, 9.0]}, 0.7),
    )
    for name, vary, lam in cases:
        m = load(name)
        r = sweep_qre(m, vary, lam=lam)
        for k, v in enumerate(next(iter(vary.values()))):
            game = evaluate(m, {next(iter(vary)): str(v)}).as_float()
            jobs.append({"payoffs": game.float_payoffs().tolist(), "lam": lam})
            ours.append(r.probs[k])
    theirs = json.loads(run_child(_GAMBIT, stdin=json.dumps(jobs), timeout=120))
    assert max(float(np.abs(a - np.asarray(b)).max()) for a, b in zip(ours, theirs, strict=True)) <= TOL


def test_unique_solver_against_the_batched_tracer() -> None:
    """The direct solver (unique QRE, ``alpha * gamma <= 0``) equals ``qre_2x2``'s tracing on
    random cyclic games, steep ones included; the dispatcher leaves coordination games to it."""
    from solver.equilibria.qre.batched2x2 import qre_2x2_grid

    rng = np.random.default_rng(3)
    pay = rng.normal(size=(2, 2, 2, 4000)) * rng.choice([0.1, 1.0, 10.0], size=4000)
    for lam in (0.5, 3.0, 30.0):
        p, q, _, un = qre_2x2_sweep(pay, lam)
        p0, q0, _ = qre_2x2_grid(pay, lam)
        assert not un.any() and max(np.abs(p - p0).max(), np.abs(q - q0).max()) <= TOL
    al, be, ga, de = (np.array([v]) for v in (-6.0, 2.0, 5.0, -3.0))
    assert bool(unique_2x2(al, be, ga, de, 50.0)[2][0])


def _cli(*args: str) -> Any:
    r = run("sweep", *args)
    assert r.exit_code == 0, r.stderr
    return r


def test_cli_json_matches_the_library() -> None:
    doc = json.loads(_cli("syria_deconfliction", "--qre", "2", "--vary", "iran_cost=0:20:5", "--format", "json").stdout)
    r = sweep_qre(load("syria_deconfliction"), {"iran_cost": np.linspace(0, 20, 5)}, lam=2.0)
    assert doc["qre_lambda"] == 2.0 and doc["points"] == 5 and doc["complete"] is True
    assert doc["parameters"]["iran_cost"] == [0.0, 5.0, 10.0, 15.0, 20.0]
    conflict = next(o for o in doc["outcomes"] if o["outcome"] == "Strike, Confront")
    assert conflict["probability"] == pytest.approx(r.reach[:, 3].tolist(), abs=1e-12)
    strike = next(s for s in doc["strategies"] if (s["player"], s["action"]) == ("Israel", "Strike"))
    assert strike["probability"] == pytest.approx(r.probs[:, 1].tolist(), abs=1e-12)


def test_cli_csv_and_files(tmp_path: Path) -> None:
    args = ("entry_deterrence", "--qre", "1", "--vary", "incumbent_war=-2:2:3", "--format", "csv")
    out = list(csv.reader(io.StringIO(_cli(*args).stdout)))
    assert out[0][:4] == ["point", "incumbent_war", "qre_lambda", "P(entrant=Out)"] and len(out) == 4
    row = dict(zip(out[0], out[1], strict=True))
    assert abs(sum(float(row[k]) for k in row if k.startswith("P(Entrant")) - 1) < 1e-9
    for suffix in ("csv", "npz", "json"):
        path = tmp_path / f"q.{suffix}"
        _cli("syria_deconfliction", "--qre", "2", "--vary", "iran_cost=0:20:3", "--out", str(path), "-q")
        assert path.exists()
    z = np.load(tmp_path / "q.npz")
    assert float(z["qre_lambda"]) == 2.0 and z["outcome_probabilities"].shape == (3, 4)
    assert list(z["outcome_columns"])[3] == "P(Strike, Confront)"
    assert json.loads((tmp_path / "q.json").read_text())["qre_lambda"] == 2.0
    assert (tmp_path / "q.csv").read_text().splitlines()[0].split(",")[2] == "qre_lambda"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("--vary", "iran_cost=0:20:41"), id="one-parameter"),
        pytest.param(("--vary", "iran_cost=0:20:21", "--vary", "deal_value=0:10:11"), id="most-likely"),
        pytest.param(
            ("--vary", "iran_cost=0:20:21", "--vary", "deal_value=0:10:11", "--outcome", "Strike, Confront"),
            id="outcome-map",
        ),
    ],
)
def test_cli_plot(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = tmp_path / "qre.png"
    _cli("syria_deconfliction", "--qre", "2", *args, "--plot", str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(("--qre", "-1"), "--qre must be a finite lambda >= 0", id="negative-lambda"),
        pytest.param(("--qre", "nan"), "--qre must be a finite lambda >= 0", id="nan-lambda"),
        pytest.param(("--qre", "1", "--workers", "2"), "--workers do not apply", id="workers"),
        pytest.param(("--qre", "1", "--repeated", "Tolerate, Acquiesce"), "--repeated do not apply", id="repeated"),
        pytest.param(("--qre", "1", "--select", "nonsense"), "is not a rule", id="bad-select"),
        pytest.param(("--qre", "1", "--outcome", "Strike, Nothing"), "Nothing", id="bad-outcome"),
    ],
)
def test_cli_bad_input_is_one_line(args: tuple[str, ...], words: str) -> None:
    r = run("sweep", "syria_deconfliction", "--vary", "iran_cost=0:20:3", *args)
    assert r.exit_code in (1, 2) and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("redline: ") and words in lines[0], r.stderr


def test_cli_bad_tree_outcome_is_one_line() -> None:
    r = run("sweep", "entry_deterrence", "--qre", "1", "--vary", "incumbent_war=0,1", "--outcome", "Entrant Sideways")
    assert r.exit_code == 2 and "not a terminal node" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["syria_deconfliction", "syria_triad", "syria_russia_signal"])
def test_a_spent_budget_leaves_points_unsolved_and_says_so(name: str) -> None:
    """A cancelled budget (Ctrl-C) stops before the work: every point nan, counted, one limit."""
    import threading

    from solver.core.budget import Budget

    stop = threading.Event()
    stop.set()
    m = load(name)
    p = m.parameters[0]
    r = sweep_qre(m, {p.name: [float(p.low), float(p.high)]}, lam=1.0, budget=Budget.start(None, None, stop))
    assert not r.complete and r.unsolved_points == 2 and r.undefined_points == 0
    assert np.isnan(r.probs).all() and r.limits and "interrupted" in r.limits[0]
