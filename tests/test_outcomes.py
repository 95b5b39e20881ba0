"""Outcome probabilities (issue 13): ``solve``'s ``outcomes``, and ``--outcome`` in ``sensitivity``,
``sweep`` and ``uncertainty``, checked against hand derivations.

On syria_deconfliction, with p = Pr(Strike) = tech_value/(assad_stake - conflict_cost_russia) and
q = Pr(Confront) = (strike_eff*iran_cost - strike_cost)/(conflict_cost_israel - deal_value)
(each player's mix keeps the *other* indifferent), P(Strike, Confront) = p*q: 3/5 * 1/3 = 1/5 at
the defaults, and P(Tolerate, Acquiesce) = 2/5 * 2/3 = 4/15.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.core import tolerances
from solver.core.game import Game
from solver.equilibria import solve
from solver.formats import load
from solver.render.text import result_dict

MODELS = Path(__file__).resolve().parents[1] / "models"
NORMAL = sorted(p.stem for p in MODELS.glob("*.toml") if load(p.stem).kind == "normal")
SYRIA_DEFAULTS = [
    "iran_cost=6", "strike_eff=1/2", "strike_cost=1", "deal_value=2", "conflict_cost_israel=8",
    "conflict_cost_russia=5", "assad_stake=10", "tech_value=3",
]


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def solve_json(*args: str) -> dict:
    code, out, err = run("solve", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    ("outcome", "exact"),
    [("Strike, Confront", "1/5"), ("Tolerate, Acquiesce", "4/15"), ("Strike, Acquiesce", "2/5"),
     ("Tolerate, Confront", "2/15")],
    ids=["strike-confront", "tolerate-acquiesce", "strike-acquiesce", "tolerate-confront"],
)
def test_syria_deconfliction_outcomes_are_exact(outcome, exact):
    [eq] = solve_json("syria_deconfliction")["equilibria"]
    found = {o["outcome"]: o for o in eq["outcomes"]}
    assert found[outcome]["probability_exact"] == exact
    assert found[outcome]["probability"] == pytest.approx(float(F(exact)))


def test_outcomes_are_listed_most_likely_first_and_tables_print_three():
    [eq] = solve_json("syria_deconfliction")["equilibria"]
    probs = [F(o["probability_exact"]) for o in eq["outcomes"]]
    assert probs == sorted(probs, reverse=True)
    code, out, _ = run("solve", "syria_deconfliction", "--exact")
    assert code == 0
    assert "#1: Strike, Acquiesce 2/5; Tolerate, Acquiesce 4/15; Strike, Confront 1/5" in out


def _check_outcomes(eq: dict) -> None:
    """Each outcome is the product of the players' exact probabilities, and they sum to 1."""
    total = F(0)
    for o in eq["outcomes"]:
        labels = o["outcome"].split(", ")
        product = F(1)
        for probs, label in zip(eq["profile_exact"].values(), labels, strict=True):
            product *= F(probs[label])
        assert F(o["probability_exact"]) == product
        total += product
    assert total == 1


@pytest.mark.parametrize("name", NORMAL)
def test_outcomes_sum_to_one_on_every_shipped_strategic_form_model(name):
    doc = solve_json(name, "--exact")
    assert doc["equilibria"]
    for eq in doc["equilibria"]:
        _check_outcomes(eq)


@pytest.mark.parametrize(
    ("seed", "shape"),
    [(0, (2, 3, 3)), (1, (2, 4, 4)), (2, (2, 5, 3)), (3, (3, 2, 2, 2)), (4, (3, 3, 2, 2))],
    ids=["3x3", "4x4", "5x3", "2x2x2", "3x2x2"],
)
def test_outcomes_sum_to_one_on_random_games(seed, shape):
    payoffs = np.random.default_rng(seed).integers(-9, 10, size=shape)
    result = solve(Game.from_arrays(payoffs), exact=True)
    doc = result_dict(result)
    assert doc["equilibria"]
    for eq in doc["equilibria"]:
        _check_outcomes(eq)


def test_tree_output_keeps_its_own_rendering():
    code, out, _ = run("solve", "entry_deterrence")
    assert code == 0 and "outcome: In, Accommodate (certain)" in out
    assert "most likely outcomes" not in out


# d P(Strike, Confront) / d theta at the defaults, by hand from P = p*q (p = 3/5, q = 1/3):
HAND = {
    "iran_cost": F(3, 5) * F(1, 2) / 6,  # p * strike_eff/(cci - dv) = 1/20
    "strike_eff": F(3, 5) * 6 / 6,  # p * iran_cost/(cci - dv) = 3/5
    "strike_cost": -F(3, 5) / 6,  # -p/(cci - dv) = -1/10
    "tech_value": F(1, 3) / 5,  # q/(assad - ccr) = 1/15
    "conflict_cost_israel": -F(1, 5) / 6,  # -p*q/(cci - dv) = -1/30
    "assad_stake": -F(1, 5) / 5,  # -p*q/(assad - ccr) = -1/25
}


@pytest.mark.parametrize("param", sorted(HAND))
def test_sensitivity_derivative_of_an_outcome_matches_the_hand_derivation(param):
    code, out, err = run("sensitivity", "syria_deconfliction", "--outcome", "Strike, Confront",
                         "--no-margins", "--format", "json")
    assert code == 0, err
    [eq] = json.loads(out)["equilibria"]
    o = eq["outcome"]
    assert o["probability_exact"] == "1/5"
    assert F(o["derivatives_exact"][param]) == HAND[param]
    assert o["formula"]  # the support has a closed form: P is a rational function of the parameters


@pytest.mark.parametrize("closed", [True, False], ids=["closed-form", "implicit"])
def test_outcome_derivative_either_way(closed):
    from solver.analysis.outcomes import outcome_sensitivity
    from solver.analysis.sensitivity import sensitivity

    m = load("syria_deconfliction")
    s = sensitivity(m, margins=False, closed_form=closed)
    o = outcome_sensitivity(s.equilibria[0], m.strategies, (1, 1), s.values)
    assert {k: F(str(v)) for k, v in o.derivatives.items() if k in HAND} == HAND


def test_sensitivity_table_prints_the_outcome_column():
    code, out, _ = run("sensitivity", "syria_deconfliction", "--outcome", "Strike, Confront", "--no-margins")
    assert code == 0
    assert "P(Strike, Confront) = 1/5" in out
    assert any(line.startswith("iran_cost") and line.rstrip().endswith("1/20") for line in out.splitlines())


@pytest.mark.parametrize(
    ("iran_cost", "expected"),
    [(0, F(0)), (4, F(1, 10)), (6, F(1, 5)), (10, F(2, 5)), (12, F(1, 2)), (16, F(1)), (20, F(1))],
    ids=["tolerate", "ic4", "ic6", "ic10", "ic12", "strike16", "strike20"],
)
def test_sweep_tracks_the_outcome(iran_cost, expected):
    # mixed for 2 < iran_cost < 14: p*q = 3/5 * (iran_cost/2 - 1)/6; pure below and above
    code, out, err = run("sweep", "syria_deconfliction", "--vary", "iran_cost=0,4,6,10,12,16,20",
                         "--outcome", "Strike, Confront", "--format", "json", "-q")
    assert code == 0, err
    doc = json.loads(out)
    k = [0, 4, 6, 10, 12, 16, 20].index(iran_cost)
    assert doc["outcome"]["probability"][k] == pytest.approx(float(expected))
    assert doc["weighting"]["rule"] == "all"


def test_sweep_csv_has_the_outcome_column():
    code, out, _ = run("sweep", "syria_deconfliction", "--vary", "iran_cost=6,20",
                       "--outcome", "Strike, Confront", "--format", "csv", "-q")
    assert code == 0
    rows = out.strip().splitlines()
    assert rows[0].endswith('"P(Strike, Confront)"')
    assert [float(r.rsplit(",", 1)[1]) for r in rows[1:]] == pytest.approx([0.2, 1.0])


def test_sweep_plot_of_the_outcome(tmp_path):
    target = tmp_path / "p.png"
    code, _, err = run("sweep", "syria_deconfliction", "--vary", "iran_cost=0:20:9",
                       "--outcome", "Strike, Confront", "--plot", str(target), "-q")
    assert code == 0, err
    assert target.stat().st_size > 0


def test_uncertainty_with_every_parameter_fixed_gives_the_point_probability():
    sets = [a for s in SYRIA_DEFAULTS for a in ("--set", s)]
    code, out, err = run("uncertainty", "syria_deconfliction", "-n", "50", *sets,
                         "--outcome", "Strike, Confront", "--format", "json")
    assert code == 0, err
    o = json.loads(out)["outcome"]
    assert o["mean"] == pytest.approx(0.2) and o["sd"] == pytest.approx(0.0, abs=tolerances.PROBABILITY)
    assert all(v == pytest.approx(0.2) for v in o["quantiles"].values())
    assert o["share_positive"] == 1.0


WEIGHTED = [
    ("uncertainty", ["uncertainty", "stag_hunt", "-n", "400"]),
    ("sweep", ["sweep", "stag_hunt", "--vary", "T=0:8:9", "--outcome", "Stag, Stag", "-q"]),
]


@pytest.mark.parametrize(("cmd", "args"), WEIGHTED, ids=[w[0] for w in WEIGHTED])
def test_the_weighting_is_said_where_several_equilibria_exist(cmd, args):
    code, out, _ = run(*args)
    assert code == 0
    assert "note: weighting:" in out and "several equilibria" in out and "weighted equally" in out
    code, out, _ = run(*args, "--format", "json")
    w = json.loads(out)["weighting"]
    assert w["rule"] == "all" and w["several_equilibria"] > 0 and w["equal_weights"] == w["several_equilibria"]
    assert "weighted equally" in w["note"]


BAD = [
    ("too-few", ["--outcome", "Strike"], "one strategy for each of the 2 players"),
    ("too-many", ["--outcome", "Strike, Confront, Strike"], "one strategy for each of the 2 players"),
    ("empty", ["--outcome", ""], "one strategy for each"),
    ("unknown", ["--outcome", "Strike, Confrnt"], "'Confrnt' is not a strategy of Russia"),
    ("wrong-order", ["--outcome", "Confront, Strike"], "'Confront' is not a strategy of Israel"),
    ("bad-select", ["--outcome", "Strike, Confront", "--select", "risk"], "--select 'risk' is not a rule"),
]
COMMANDS = {
    "sweep": ["sweep", "syria_deconfliction", "--vary", "iran_cost=4,6", "-q"],
    "uncertainty": ["uncertainty", "syria_deconfliction", "-n", "20"],
    "sensitivity": ["sensitivity", "syria_deconfliction", "--no-margins"],
}


CASES = [  # sensitivity lists every equilibrium: it has no --select
    pytest.param(command, extra, message, id=f"{command}-{case}")
    for command in sorted(COMMANDS)
    for case, extra, message in BAD
    if not (command == "sensitivity" and "--select" in extra)
]


@pytest.mark.parametrize(("command", "extra", "message"), CASES)
def test_bad_outcome_or_select_is_one_clear_line(command, extra, message):
    code, out, err = run(*COMMANDS[command], *extra)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("redline: ") and message in lines[0]


def test_sweep_select_needs_an_outcome():
    code, _, err = run("sweep", "stag_hunt", "--vary", "T=0,8", "--select", "payoff-dominance", "-q")
    assert code == 2 and err.strip().splitlines() == [
        'redline: --select weighs the equilibria behind --outcome: add --outcome, e.g. "Strike, Confront"'
    ]


def test_many_outcomes_are_listed_best_first_and_counted() -> None:
    """20 x 20 x 20 fully mixed (8,000 profiles, past the full listing): the 1,000 listed are the
    1,000 largest products, found without listing the rest, and the count is exact."""
    from itertools import product

    from solver.core.result import MAX_OUTCOMES, Equilibrium

    rng = np.random.default_rng(5)
    vecs = []
    for _ in range(3):
        w = rng.integers(1, 50, size=20)
        vecs.append(tuple(F(int(x), int(w.sum())) for x in w))
    labels = tuple(tuple(f"s{j}" for j in range(20)) for _ in range(3))
    e = Equilibrium(("A", "B", "C"), labels, tuple(vecs), (0, 0, 0), 0.0)
    listed = e.outcomes()
    everything = sorted((a * b * c for a, b, c in product(*vecs)), reverse=True)
    assert e.outcome_count() == 8000 and len(listed) == MAX_OUTCOMES
    assert sorted((p for _, p in listed), reverse=True) == everything[:MAX_OUTCOMES]
    assert all(p == vecs[0][int(k[0][1:])] * vecs[1][int(k[1][1:])] * vecs[2][int(k[2][1:])] for k, p in listed)
