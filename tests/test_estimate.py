"""Maximum-likelihood estimation of the logit QRE (:mod:`solver.analysis.estimate`): lambda and a
parameter recovered from choices simulated at known values, standard errors shrinking like
1/sqrt(n), agreement with pygambit's ``logit_estimate`` (strategic games and trees, agent QRE),
covariates (Signorino's strategic logit), the time budget, and bad data refused in one line
through the command line.

pygambit fits the per-player (per-information-set) action counts; the profile counts' likelihood
is the same sum (independent mixing), so both must find the same lambda and log-likelihood.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from clirun import cli_outcome, run, run_json
from hostile import assert_one_line_error, listing, run_cli
from oracle import CHILD_PRELUDE, run_child

from solver.analysis.estimate import EstimationResult, estimate
from solver.analysis.estimate_sim import simulate
from solver.core.game import Game
from solver.core.symbolic import Model, from_game
from solver.formats import load
from solver.formats.choices import choices_csv, parse_choices

DATA = Path(__file__).parent / "data"


def _labels(model: Model) -> dict[str, tuple[str, ...]]:
    if model.tree is None:
        return dict(zip(model.players, model.strategies, strict=True))
    sets = model.tree.infosets
    return {
        p: tuple(dict.fromkeys(a for h in sets if h.player == i for a in h.actions))
        for i, p in enumerate(model.players)
    }


@cache
def _fit(name: str, n: int, seed: int, free: str, truth: tuple[tuple[str, float], ...]) -> EstimationResult:
    """Simulate ``n`` plays of ``name`` at ``truth`` (lambda first) and fit ``free`` to them."""
    model = load(name)
    lam, values = truth[0][1], dict(truth[1:])
    columns, rows = simulate(model, lam, n, values, seed=seed)
    data = parse_choices(choices_csv(columns, rows), "sim.csv", _labels(model), sequences=model.tree is not None)
    return estimate(model, data, free)


SYRIA_TRUTH = (("lambda", 0.5), ("iran_cost", 8.0))
SIZES = (500, 2000, 8000)


@pytest.mark.parametrize("n", [pytest.param(n, id=f"n={n}") for n in SIZES])
def test_recovers_lambda_and_iran_cost(n: int) -> None:
    """syria_deconfliction simulated at lambda = 0.5, iran_cost = 8: both estimates within 3
    standard errors of the truth, converged, the LR test rejecting lambda = 0 at n >= 2000."""
    r = _fit("syria_deconfliction", n, n, "lambda,iran_cost", SYRIA_TRUTH)
    assert r.converged
    for name, true in SYRIA_TRUTH:
        se = r.se(name)
        assert se is not None and abs(r.value(name) - true) <= 3 * se, (name, r.value(name), se)
    assert r.lr_test is not None and r.lr_test[1] == 2
    if n >= 2000:
        assert r.lr_test[2] < 0.01


def test_standard_errors_shrink_like_one_over_sqrt_n() -> None:
    """sqrt(n) * se stays within a factor 2 across sample sizes 500 -> 8000 (the information
    grows like n); and the same data counted 4 times over give the same estimates and exactly
    half the standard errors."""
    fits = [_fit("syria_deconfliction", n, n, "lambda,iran_cost", SYRIA_TRUTH) for n in SIZES]
    for name, _ in SYRIA_TRUTH:
        scaled = [math.sqrt(r.n) * (r.se(name) or math.nan) for r in fits]
        assert max(scaled) / min(scaled) < 2.0, (name, scaled)
    model = load("syria_deconfliction")
    text = (DATA / "choices_syria.csv").read_text()
    four = "\n".join(
        text.splitlines()[:1]
        + [f"{line.rsplit(',', 1)[0]},{4 * int(line.rsplit(',', 1)[1])}" for line in text.splitlines()[1:]]
    )
    one = estimate(model, parse_choices(text, "x1.csv", _labels(model)), "lambda,iran_cost")
    times4 = estimate(model, parse_choices(four, "x4.csv", _labels(model)), "lambda,iran_cost")
    assert times4.n == 4 * one.n
    for name, _ in SYRIA_TRUTH:
        assert times4.value(name) == pytest.approx(one.value(name), rel=1e-5)
        assert times4.se(name) == pytest.approx(0.5 * (one.se(name) or 0), rel=1e-3)
    assert times4.loglik == pytest.approx(4 * one.loglik, rel=1e-9)


_GAMBIT = (
    CHILD_PRELUDE
    + r"""
import io, json
import numpy as np
out = {}
for key, job in json.loads(sys.stdin.read()).items():
    if "efg" in job:
        g = gbt.read_efg(io.StringIO(job["efg"]))
        p = g.mixed_behavior_profile()
        for path, counts in job["counts"]:
            p[gbt.H.path(*path)] = counts
    else:
        arr = np.array(job["payoffs"], dtype=float)
        g = gc.game_from_arrays(*[arr[i] for i in range(arr.shape[0])])
        p = g.mixed_strategy_profile()
        for pl, counts in zip(gc.players(g), job["counts"]):
            p[pl] = dict(zip(gc.strategies(g, pl), counts))
    r = gbt.qre.logit_estimate(p)
    out[key] = [float(r.lam), float(r.log_like)]
print(json.dumps(out))
"""
)


def _random_model(shape: tuple[int, ...], seed: int) -> Model:
    rng = np.random.default_rng(seed)
    return from_game(Game.from_arrays(np.round(rng.normal(size=(len(shape), *shape)), 2), exact=False), name=f"r{seed}")


def _strategic_job(model: Model, counts: np.ndarray, values: dict[str, float] | None = None) -> dict[str, Any]:
    from solver.core.symbolic import evaluate

    n = len(model.players)
    marginals = [counts.sum(axis=tuple(j for j in range(n) if j != i)).tolist() for i in range(n)]
    return {"payoffs": evaluate(model, values, exact=False).float_payoffs().tolist(), "counts": marginals}


def _tree_job(model: Model, rows: list[tuple[tuple[str, ...], int]]) -> dict[str, Any]:
    """Per decision node (its path of action labels) the count of plays through each action."""
    from solver.formats.efg import format_efg

    tree = model.tree
    assert tree is not None
    numeric = tree.at(model.values())
    leaves = [k for k, node in enumerate(tree.nodes) if node.is_terminal]
    through: dict[tuple[str, ...], dict[str, int]] = {}
    for k, (_, count) in zip(leaves, rows, strict=True):
        path: list[str] = []
        for p, a in tree.history(k):
            label = tree.actions(p)[a]
            through.setdefault(tuple(path), {b: 0 for b in tree.actions(p)})[label] += count
            path.append(label)
    return {"efg": format_efg(numeric), "counts": [[list(k), v] for k, v in through.items()]}


#: the value choices_syria.csv was simulated at (lambda alone is fitted against pygambit)
SYRIA_VALUES = {"iran_cost": 8.0}


def _cases() -> dict[str, tuple[Model, str, dict[str, Any]]]:
    """name -> (model, CSV text, the pygambit job on the same counts)."""
    out = {}
    syria = load("syria_deconfliction")
    text = (DATA / "choices_syria.csv").read_text()
    counts = np.zeros((2, 2))
    for row in parse_choices(text, "s.csv", _labels(syria)).rows:
        counts[syria.strategies[0].index(row.labels[0][0]), syria.strategies[1].index(row.labels[1][0])] += row.count
    out["syria_deconfliction"] = (syria, text, _strategic_job(syria, counts, SYRIA_VALUES))
    for shape, seed in (((2, 2), 1), ((3, 3), 2), ((2, 2, 2), 3)):
        model = _random_model(shape, seed)
        columns, rows = simulate(model, 1.5, 3000, seed=seed)
        cells = np.asarray([c for _, c in rows], dtype=float).reshape(shape)
        out[f"random-{'x'.join(map(str, shape))}"] = (model, choices_csv(columns, rows), _strategic_job(model, cells))
    for name, lam in (("entry_deterrence", 1.0), ("syria_sequential", 0.5)):
        model = load(name)
        columns, rows = simulate(model, lam, 2000, seed=5)
        out[f"tree-{name}"] = (model, choices_csv(columns, rows), _tree_job(model, rows))
    return out


CASES = _cases()


@cache
def _gambit() -> dict[str, list[float]]:
    jobs = {name: job for name, (_, _, job) in CASES.items()}
    return dict(json.loads(run_child(_GAMBIT, stdin=json.dumps(jobs), timeout=120)))


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in CASES])
def test_agrees_with_pygambit_logit_estimate(name: str) -> None:
    """Lambda within 1e-4 relative and the log-likelihood within 1e-8 relative of pygambit 17's
    ``logit_estimate`` on the same counts (strategic games and trees).  Not closer: pygambit
    reports the log-likelihood of its traced profile, which is a QRE only to its tracer's step
    tolerance (on entry_deterrence it reports -1741.8729639 at lambda 0.994024, where the exact
    QRE gives -1741.8729687, below our maximum -1741.8729675 at lambda 0.993981)."""
    model, text, _ = CASES[name]
    data = parse_choices(text, "d.csv", _labels(model), sequences=model.tree is not None)
    ours = estimate(model, data, "lambda", SYRIA_VALUES if name == "syria_deconfliction" else None)
    lam, loglik = _gambit()[name]
    assert ours.converged
    assert ours.value("lambda") == pytest.approx(lam, rel=1e-4)
    assert ours.loglik == pytest.approx(loglik, rel=1e-8)


TREE_CASES = [
    pytest.param("entry_deterrence", "choices_entry.csv", (("lambda", 1.0),), id="entry-deterrence-lambda"),
    pytest.param("syria_sequential", "choices_sequential.csv", (("lambda", 0.5),), id="syria-sequential-lambda"),
    pytest.param(
        "syria_sequential",
        "choices_sequential.csv",
        (("lambda", 0.5), ("iran_cost", 6.0)),
        id="syria-sequential-iran-cost",
    ),
]


@pytest.mark.parametrize(("name", "csv", "truth"), TREE_CASES)
def test_tree_recovers_lambda(name: str, csv: str, truth: tuple[tuple[str, float], ...]) -> None:
    """Agent QRE on the tree: the shipped plays (simulated at ``truth``; a player who does not
    move leaves its cell empty) give estimates within 3 standard errors of it."""
    r = estimate(load(name), DATA / csv, ",".join(k for k, _ in truth))
    assert r.converged and "agent" in r.method
    for key, true in truth:
        se = r.se(key)
        assert se is not None and abs(r.value(key) - true) <= 3 * se, (key, r.value(key), se)


def test_chance_observed_or_not() -> None:
    """beer_quiche (chance picks the sender's type): plays with chance's move in a ``chance``
    column, and the same plays without it (each row's likelihood then sums over chance's moves):
    both recover lambda within 3 standard errors; hiding chance loses information."""
    model = load("beer_quiche")
    columns, rows = simulate(model, 1.0, 3000, seed=3)
    assert columns[-1] == "chance"
    text = choices_csv(columns, rows)
    hidden = "\n".join(",".join(line.split(",")[:-2] + line.split(",")[-1:]) for line in text.splitlines())
    fits = [
        estimate(model, parse_choices(t, "b.csv", _labels(model), chance=("Weak", "Strong"), sequences=True))
        for t in (text, hidden)
    ]
    assert fits[0].columns[-1] == "chance" and fits[1].columns[-1] != "chance"
    for r in fits:
        se = r.se("lambda")
        assert r.converged and se is not None and abs(r.value("lambda") - 1.0) <= 3 * se
    assert (fits[1].se("lambda") or 0) > (fits[0].se("lambda") or 0)


def test_covariates_recover_a_linear_parameter() -> None:
    """One row per observation with covariate x, iran_cost = 4 + 2x (simulated at lambda 0.5):
    ``lambda,iran_cost~1+x`` recovers lambda, the intercept and the slope within 3 standard
    errors; the unused column is noted."""
    r = estimate(load("syria_deconfliction"), DATA / "choices_syria_rows.csv", "lambda,iran_cost~1+x")
    truth = {"lambda": 0.5, "iran_cost:(Intercept)": 4.0, "iran_cost:x": 2.0}
    assert [e.name for e in r.estimates] == list(truth)
    for key, true in truth.items():
        se = r.se(key)
        assert se is not None and abs(r.value(key) - true) <= 3 * se, (key, r.value(key), se)
    assert r.n == 600 and any("year" in note for note in r.notes)


def test_cli_json_and_table_equal_the_python_api() -> None:
    """``redline estimate --format json`` reports what :func:`estimate` finds: estimates with
    standard errors, loglik, n and the LR test; the table shows the same numbers."""
    path = str(DATA / "choices_entry.csv")
    doc = run_json("estimate", "entry_deterrence", "--data", path)
    r = estimate(load("entry_deterrence"), path)
    (e,) = r.estimates
    assert doc["estimates"]["lambda"]["value"] == pytest.approx(e.value, rel=1e-9)
    assert doc["estimates"]["lambda"]["se"] == pytest.approx(e.se, rel=1e-6)
    assert doc["loglik"] == pytest.approx(r.loglik) and doc["n"] == 600 and doc["converged"] is True
    assert doc["lr_test"]["df"] == 1 and doc["lr_test"]["p_value"] < 1e-6
    assert {c["choices"]["Incumbent"] for c in doc["cells"]} == {"", "Fight", "Accommodate"}
    text = run("estimate", "entry_deterrence", "--data", path).stdout
    assert "P>|z|" in text and f"{e.value:.4f}" in text and f"{e.se:.4f}" in text


def test_timeout_returns_the_best_point_not_converged() -> None:
    """A budget that runs out: exit 0, the best point so far, converged false, the limit named."""
    result = run(
        "estimate",
        "syria_deconfliction",
        "--data",
        str(DATA / "choices_syria.csv"),
        "--free",
        "lambda,iran_cost",
        "--timeout",
        "0.001",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["converged"] is False and doc["limits"] and "time budget" in doc["limits"][0]
    assert math.isfinite(doc["loglik"]) and "incomplete" in result.stderr


def test_fixed_lambda_estimates_a_parameter_alone() -> None:
    """``--set lambda=L`` with ``--free iran_cost``: no LR test, the parameter fitted."""
    r = estimate(load("syria_deconfliction"), DATA / "choices_syria.csv", "iran_cost", {"lambda": 0.5})
    assert r.lr_test is None and [e.name for e in r.estimates] == ["iran_cost"]
    se = r.se("iran_cost")
    assert se is not None and abs(r.value("iran_cost") - 8.0) <= 3 * se


HEADER = "Israel,Russia,count\n"
BAD = [
    pytest.param(HEADER + "Tolerate,Acquiesce,-5\n", [], ("row 2", "negative"), id="negative-count"),
    pytest.param(
        HEADER + "Tolerate,Acquiesce,many\n", [], ("row 2", "count", "not a whole number"), id="non-numeric-count"
    ),
    pytest.param(HEADER + "Strik,Acquiesce,4\n", [], ("row 2", "'Strik'", "Israel"), id="unknown-label"),
    pytest.param("Israel,count\nStrike,4\n", [], ("missing column", "Russia"), id="missing-column"),
    pytest.param("", [], ("empty file",), id="empty-file"),
    pytest.param(HEADER, [], ("no observations",), id="header-only"),
    pytest.param(
        HEADER + "Strike,Confront,1\nTolerate,Confront,1\n",
        ["--free", "lambda,iran_cost"],
        ("too few observations",),
        id="too-few",
    ),
    pytest.param(
        HEADER + "Strike,Confront,50\n", [], ("one cell", "Strike, Confront", "not identified"), id="one-cell"
    ),
    pytest.param(
        HEADER + "Strike,Confront,5\nTolerate,Acquiesce,5\n",
        ["--free", "lambda,iran_kost"],
        ("unknown parameter", "iran_kost"),
        id="unknown-free",
    ),
    pytest.param(
        HEADER + "Strike,Confront,5\nTolerate,Acquiesce,5\n", ["--set", "nosuch=1"], ("nosuch",), id="unknown-set"
    ),
    pytest.param(
        HEADER + "Strike,Confront,5\nTolerate,Acquiesce,5\n",
        ["--free", "lambda~1+x"],
        ("lambda cannot depend",),
        id="lambda-covariate",
    ),
    pytest.param(
        HEADER + "Strike,Confront,5\n",
        ["--free", "lambda,iran_cost~1+x"],
        ("missing column", "'x'"),
        id="missing-covariate",
    ),
    pytest.param(
        "Israel,Russia,x\nStrike,Confront,abc\n",
        ["--free", "lambda,iran_cost~x"],
        ("row 2", "covariate x", "not a finite number"),
        id="bad-covariate",
    ),
    pytest.param(HEADER + "Strike,Confront,5,7\n", [], ("row 2", "4 fields"), id="ragged-row"),
]


@pytest.mark.parametrize(("text", "extra", "needles"), BAD)
def test_bad_data_is_one_line(tmp_path: Path, text: str, extra: list[str], needles: tuple[str, ...]) -> None:
    """Bad data: one line on stderr naming the file and the row or column, exit 1, no output."""
    (tmp_path / "c.csv").write_text(text)
    o = cli_outcome(tmp_path, "estimate", "syria_deconfliction", "--data", "c.csv", *extra)
    assert_one_line_error(o, *needles)
    assert o.stdout == ""


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        pytest.param("Entrant,Incumbent,count\nOut,Fight,3\nIn,Fight,2\n", ("row 2", "no play"), id="not-a-play"),
        pytest.param("Entrant,Incumbent,count\nIn > Out,Fight,3\n", ("row 2", "no play"), id="two-moves"),
        pytest.param("Entrant,Incumbent,count\nIn,Strike,3\n", ("'Strike'", "Incumbent"), id="unknown-action"),
    ],
)
def test_bad_tree_data_is_one_line(tmp_path: Path, text: str, needles: tuple[str, ...]) -> None:
    (tmp_path / "t.csv").write_text(text)
    o = cli_outcome(tmp_path, "estimate", "entry_deterrence", "--data", "t.csv")
    assert_one_line_error(o, *needles)


def test_missing_file_and_missing_option(tmp_path: Path) -> None:
    assert_one_line_error(
        cli_outcome(tmp_path, "estimate", "syria_deconfliction", "--data", "nope.csv"), "nope.csv", "no such file"
    )
    assert_one_line_error(cli_outcome(tmp_path, "estimate", "syria_deconfliction"), "--data", code=2)


def test_console_script_refuses_negative_counts(tmp_path: Path) -> None:
    """The real console script (a child process): one line, exit 1, nothing written."""
    (tmp_path / "c.csv").write_text(HEADER + "Strike,Confront,-3\n")
    o = run_cli("estimate", "syria_deconfliction", "--data", "c.csv", cwd=tmp_path)
    assert_one_line_error(o, "c.csv", "row 2", "count")
    assert listing(tmp_path) == {"c.csv"}


def test_no_terms_left_after_dropping_the_intercept(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("Israel,Russia,x\nStrike,Confront,1\nTolerate,Acquiesce,0\nStrike,Acquiesce,2\n")
    o = cli_outcome(tmp_path, "estimate", "syria_deconfliction", "--data", "c.csv", "--free", "lambda,iran_cost~0")
    assert_one_line_error(o, "--free", "iran_cost~0", "no terms")


def test_huge_covariates_do_not_break_the_fit(tmp_path: Path) -> None:
    """Covariates of 1e300 make the payoffs overflow for any nonzero slope: those coefficients
    have no QRE, the fit stays where the likelihood is defined and says so (no traceback)."""
    pairs = [("Strike", "Acquiesce", "1e300"), ("Tolerate", "Acquiesce", "-1e300")] * 3
    rows = "".join(f"{a},{b},{x}\n" for a, b, x in pairs)
    (tmp_path / "c.csv").write_text("Israel,Russia,x\n" + rows + "Strike,Confront,0\n")
    o = cli_outcome(tmp_path, "estimate", "syria_deconfliction", "--data", "c.csv", "--free", "lambda,iran_cost~1+x")
    assert o.code == 0 and "Traceback" not in o.stderr, o.stderr[-500:]


def test_lambda_alone_uses_the_boundary_mixture() -> None:
    """With lambda the only coefficient, lambda = 0 lies on the boundary of the parameter space:
    the LR statistic is 1/2 chi2(0) + 1/2 chi2(1) under the null (Self & Liang 1987), so the
    p-value is half the chi2(1) tail."""
    from scipy.stats import chi2

    r = estimate(load("syria_deconfliction"), DATA / "choices_syria.csv", free="lambda", values={"iran_cost": 8})
    assert r.lr_test is not None
    stat, df, p = r.lr_test
    assert df == 1 and p == pytest.approx(0.5 * chi2.sf(stat, 1), rel=1e-12)
