"""``redline sweep --repeated``: delta* over parameter grids against hand derivations, the files
and the figure the command writes, and every bad input.

Hand derivations (grim trigger with Nash reversion: a player deviating from the target gains
``d - u`` once and then loses ``u - e`` forever, ``e`` the payoff of the stage equilibrium worst
for them, so they stay in line iff ``delta >= (d - u) / (d - e)``):

* Prisoner's dilemma (R = 3, P = 1, S = 0) along T > R: ``u = R``, ``d = T``, ``e = P`` (the unique
  stage equilibrium is mutual defection), so ``delta* = (T - R) / (T - P) = (T - 3) / (T - 1)``
  (Axelrod 1984).  The minmax value is also P, so the minmax bound is the same, and no
  stick-and-carrot code does better (a stick below P would need a profile worse than P for the
  punished player that the punisher is willing to play).
* syria_deconfliction along iran_cost = c, target (Tolerate, Acquiesce), other parameters at their
  defaults (D = 2, e = 1/2, s = 1, K_I = 8): Israel gets ``u = D - c = 2 - c``; its deviation is
  Strike against Acquiesce, ``d = D - (1 - e) c - s = 1 - c/2``, profitable iff c > 2.  Russia gets
  tech_value = 3 at the target against 0 from Confront: Russia is never tempted (its delta is 0).
  - c < 2: Tolerate is Israel's best reply, the target is a stage equilibrium: delta* = 0 (at c = 2
    Israel is indifferent: still a stage equilibrium, 0).
  - 2 < c < 14: the unique stage equilibrium is mixed, Russia confronts with probability
    ``q = (c/2 - 1)/6``; Israel's value there is its Tolerate payoff ``e_I = 2 - c - 2q``, so
    ``d - u = c/2 - 1`` and ``d - e_I = c/2 - 1 + 2q = (4/3)(c/2 - 1)``: delta* = 3/4.
  - 14 < c < 18: Strike dominates; the unique stage equilibrium is (Strike, Confront), paying Israel
    ``D - (1 - e) c - s - K_I = -7 - c/2``; ``d - u = c/2 - 1``, ``d - e = 8``: delta* = (c/2 - 1)/8
    (3/4 at c = 14, where both formulas meet).
  - c >= 18: (c/2 - 1)/8 >= 1: no delta < 1 sustains the deal.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from clirun import run

from solver.core.budget import Budget
from solver.formats import load
from solver.sweep.repeated import sweep_repeated

PD_FIXED = {"R": 3, "P": 1, "S": 0}
PD_T = [3.5, 4.0, 5.0, 7.0, 10.0]


def pd_delta(t: float) -> float:
    return (t - 3) / (t - 1)


def syria_delta(c: float) -> float:
    if c <= 2:
        return 0.0
    if c <= 14:
        return 0.75
    if c < 18:
        return (c / 2 - 1) / 8
    return math.nan


SYRIA_C = [0.0, 1.5, 2.0, 3.0, 6.0, 10.0, 14.0, 15.0, 16.0, 17.5, 17.9, 18.0, 19.0, 20.0]

CASES = [
    pytest.param("prisoners_dilemma", "Cooperate, Cooperate", "T", PD_T, PD_FIXED, p, pd_delta, id=f"pd-{p}")
    for p in ("nash", "minmax", "best")
] + [
    pytest.param(
        "syria_deconfliction", "Tolerate, Acquiesce", "iran_cost", SYRIA_C, {}, "nash", syria_delta, id="syria-nash"
    ),
]


@pytest.mark.parametrize(("model", "target", "name", "values", "fixed", "punishment", "expected"), CASES)
def test_delta_star_agrees_with_the_hand_derivation(
    model: str, target: str, name: str, values: list[float], fixed: dict[str, Any], punishment: str, expected: Any
) -> None:
    r = sweep_repeated(load(model), target, {name: values}, fixed, punishment=punishment)
    want = np.array([expected(v) for v in values])
    np.testing.assert_allclose(r.delta_star, want, rtol=0, atol=1e-12, equal_nan=True)
    assert r.complete and r.solved.all()


def test_syria_russia_is_never_tempted_and_ties_are_solved_exactly() -> None:
    r = sweep_repeated(load("syria_deconfliction"), "Tolerate, Acquiesce", {"iran_cost": SYRIA_C}, punishment="nash")
    assert (r.by_player["Russia"] == 0).all()
    np.testing.assert_allclose(r.by_player["Israel"], r.delta_star, atol=1e-12, equal_nan=True)
    ties = {c for c, e in zip(SYRIA_C, r.exact, strict=True) if e}
    assert {2.0, 14.0} <= ties  # Israel indifferent: a continuum of stage equilibria there


def test_the_best_code_is_never_worse_than_nash_reversion() -> None:
    m = load("syria_deconfliction")
    grid = {"iran_cost": np.linspace(0, 20, 81), "strike_eff": [0.3, 0.5, 0.9]}
    best = sweep_repeated(m, "Tolerate, Acquiesce", grid, punishment="best").delta_star
    nash = sweep_repeated(m, "Tolerate, Acquiesce", grid, punishment="nash").delta_star
    both = ~np.isnan(nash)
    assert (~np.isnan(best[both])).all() and (best[both] <= nash[both] + 1e-12).all()


THREE = """
[model]
name = "pd_with_exit"
title = "Prisoner's dilemma with a dominated exit"
kind = "normal"
[parameters]
T = { value = 5, range = [3.5, 10], doc = "temptation" }
[players]
Row = ["C", "D"]
Column = ["C", "D", "X"]
[payoffs]
"C, C" = ["3", "3"]
"C, D" = ["0", "T"]
"C, X" = ["-1", "-9"]
"D, C" = ["T", "0"]
"D, D" = ["1", "1"]
"D, X" = ["-1", "-9"]
"""


def test_games_without_a_closed_form_are_solved_exactly_point_by_point(tmp_path: Path) -> None:
    """X is strictly dominated for Column, so (D, D) stays the only stage equilibrium and the
    deviation payoffs are unchanged: delta* = (T - 3)/(T - 1) as in the 2x2 game."""
    path = tmp_path / "pd_exit.toml"
    path.write_text(THREE)
    r = sweep_repeated(load(str(path)), "C, C", {"T": PD_T}, punishment="nash")
    assert r.method.startswith("exact") and r.exact.all()
    np.testing.assert_allclose(r.delta_star, [pd_delta(t) for t in PD_T], atol=1e-12)


def test_a_spent_budget_leaves_the_exact_points_unsolved_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "pd_exit.toml"
    path.write_text(THREE)
    r = sweep_repeated(load(str(path)), "C, C", {"T": PD_T}, budget=Budget.start(0.0))
    assert not r.complete and not r.solved.any() and np.isnan(r.delta_star).all()
    assert "5 of 5 points" in r.limits[0]


# --- the command line ----------------------------------------------------------------------------


SYRIA = ("sweep", "syria_deconfliction", "--repeated", "Tolerate, Acquiesce")


def test_cli_writes_the_phase_diagram_and_the_csv(tmp_path: Path) -> None:
    png, out = tmp_path / "phase.png", tmp_path / "deltas.csv"
    r = run(*SYRIA, "--vary", "iran_cost=0:20:201", "--punishment", "nash", "--plot", str(png), "--out", str(out))
    assert r.exit_code == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 201 and {"delta_star", "delta_Israel", "delta_Russia"} <= set(rows[0])
    by_c = {round(float(row["iran_cost"]), 6): row for row in rows}
    assert float(by_c[6.0]["delta_star"]) == pytest.approx(0.75)
    assert math.isnan(float(by_c[19.0]["delta_star"]))  # no delta < 1
    assert "0.75" in r.stdout and "none (no delta < 1)" in r.stdout


def test_cli_json_two_parameters_with_a_delta(tmp_path: Path) -> None:
    png, out = tmp_path / "phase2.png", tmp_path / "deltas.json"
    r = run(
        *SYRIA, "--vary", "iran_cost=4,10,16,19", "--vary", "strike_eff=0.4,0.5", "--delta", "0.9",
        "--punishment", "nash", "--plot", str(png), "--out", str(out), "--format", "json",
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc == json.loads(out.read_text())
    assert png.stat().st_size > 0
    at = dict(zip(zip(doc["values"]["iran_cost"], doc["values"]["strike_eff"], strict=True), range(8), strict=True))
    k = at[(19.0, 0.5)]
    assert doc["delta_star"][k] is None and doc["holds"][k] is False  # beyond c = 18
    k = at[(10.0, 0.5)]
    assert doc["delta_star"][k] == pytest.approx(0.75) and doc["holds"][k] is True
    assert doc["target"] == ["Tolerate", "Acquiesce"] and doc["punishment"] == "nash"


def test_cli_one_parameter_names_where_the_deal_stops_holding() -> None:
    """(c/2 - 1)/8 = 0.9 at c = 16.4: between the grid points 16 and 17."""
    r = run(*SYRIA, "--vary", "iran_cost=0:20:21", "--punishment", "nash", "--delta", "0.9", "--format", "json")
    assert r.exit_code == 0, r.stderr
    (cross,) = json.loads(r.stdout)["crossings"]
    assert cross["between"] == [16.0, 17.0] and cross["holds_after"] is False


BAD = [
    pytest.param(["--repeated", "Tolerate"], 2, "names 1 strategy", id="not-a-profile"),
    pytest.param(["--repeated", "Tolerate, Nope"], 2, "not a strategy of Russia", id="unknown-label"),
    pytest.param([*SYRIA[2:], "--delta", "1.5"], 1, "strictly between 0 and 1", id="delta-above-1"),
    pytest.param([*SYRIA[2:], "--delta", "0"], 1, "strictly between 0 and 1", id="delta-zero"),
    pytest.param([*SYRIA[2:], "--delta", "abc"], 1, "discount factor", id="delta-not-a-number"),
    pytest.param(["--punishment", "nash"], 2, "go with --repeated", id="punishment-alone"),
    pytest.param(["--timeout", "5"], 2, "go with --repeated", id="timeout-alone"),
    pytest.param([*SYRIA[2:], "--workers", "2"], 2, "one process", id="workers"),
    pytest.param([*SYRIA[2:], "--vary", "strike_eff=0:1:3", "--plot", "{tmp}/p.png"], 1, "needs --delta", id="2d-plot"),
    pytest.param([*SYRIA[2:], "--out", "{tmp}/x.txt"], 1, "unsupported output format", id="out-suffix"),
]


@pytest.mark.parametrize(("extra", "code", "words"), BAD)
def test_cli_bad_inputs_get_one_line_and_write_nothing(tmp_path: Path, extra: list[str], code: int, words: str) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    r = run("sweep", "syria_deconfliction", "--vary", "iran_cost=0:20:5", *args, "--plot", str(tmp_path / "f.png"))
    assert r.exit_code == code, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("redline: ") and words in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_cli_csv_on_stdout_has_one_row_per_point_and_nan_where_none() -> None:
    r = run(*SYRIA, "--vary", "iran_cost=17,19", "--punishment", "nash", "--delta", "0.95", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert [row["holds"] for row in rows] == ["1", "0"]  # (17/2 - 1)/8 = 0.9375 <= 0.95
    assert float(rows[0]["delta_star"]) == pytest.approx(0.9375) and rows[1]["delta_star"] == "nan"


def test_a_delta_equal_to_delta_star_holds() -> None:
    """delta >= delta* (not >): at delta = 3/4 the deal holds wherever delta* = 3/4 (2 < c <= 14)."""
    r = sweep_repeated(load("syria_deconfliction"), "Tolerate, Acquiesce", {"iran_cost": [3.0, 6.0, 14.0, 15.0]},
                       punishment="nash", delta="3/4")
    assert r.holds().tolist() == [True, True, True, False]
