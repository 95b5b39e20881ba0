"""``redline repeated`` and ``thresholds --repeated`` on the Syria deal, against hand derivations.

The stage game (syria_deal_repeated = syria_deconfliction), with e = strike_eff = 1/2,
s = strike_cost = 1, D = deal_value = 2, K_I = conflict_cost_israel = 8, K_R = 5, A = 10, V = 3
and c = iran_cost:

    Tolerate, Acquiesce  (D - c, V) = (2 - c, 3)      Tolerate, Confront  (-c, 0)
    Strike,   Acquiesce  (D - (1-e)c - s, V - A)      Strike,   Confront  (-7 - c/2, -5)

Russia is never tempted: against Tolerate, Acquiesce pays 3 > 0.  Israel's deviation gain is
d - u = e*c - s = c/2 - 1 (positive for c > 2).  Grim trigger (Friedman 1971) holds iff
delta >= delta* = (d - u)/(d - u_rev), u_rev Israel's payoff in the stage equilibrium:

* 2 < c < 14: the stage equilibrium is mixed; Russia confronts with probability
  y = (c/2 - 1)/(K_I - D), Israel gets u_rev = u - y*D (indifferent, so its Tolerate payoff),
  d - u_rev = (c/2 - 1)(1 + D/(K_I - D)), so delta* = (K_I - D)/K_I = 1 - D/K_I = 3/4.
* 14 < c < 18: the stage equilibrium is (Strike, Confront), u_rev = -7 - c/2, d - u_rev = 8,
  so delta* = (c/2 - 1)/8, which is 9/10 at c = 82/5 and 1 at c = 18.
* c >= 18: u = 2 - c <= -7 - c/2 = u_rev: no delta < 1 works.
* c < 2: the deal is the stage equilibrium: delta* = 0.

Minmax at c = 6: Russia confronting holds Israel to max(-6, -10) = -6, so the minmax bound is
delta = (d - u)/(d - v) = 2/(-2 + 6) = 1/2.  Penal code (Abreu 1988): one period of (Strike,
Confront) as the stick (Israel -10), then back to the deal (-4); the stick is worth
V = (1 - delta)(-10) + delta(-4).  Israel accepts the stick rather than deviating to Tolerate
(-6) and restarting it iff V >= -6, i.e. delta >= 2/3; it keeps the deal iff
-4 >= (1 - delta)(-2) + delta V, i.e. (3 delta - 1)(delta - 1) <= 0, delta >= 1/3; Russia gains
nothing by leaving the stick (-7 < -5).  So delta = 2/3, between the bound 1/2 and 3/4.

The feasible individually rational set: the hull of the four payoff pairs is the triangle
(-10, -5), (-2, -7), (-4, 3); clipped at Israel >= -6 and Russia >= -5 its vertices are
(-6, -5), (-12/5, -5), (-4, 3), (-6, 1/3) (the edge (-10,-5)-(-4,3) meets x = -6 at y = 1/3,
the edge (-4,3)-(-2,-7) meets y = -5 at x = -12/5).
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
import sympy as sp
from clirun import cli_outcome, run, run_json
from hostile import assert_one_line_error

import solver
from solver.core.errors import UsageError

DEAL = "Tolerate, Acquiesce"
MODEL = "syria_deal_repeated"








def test_json_keys_and_exact_strings() -> None:
    doc = run_json("repeated", MODEL, "--target", DEAL, "--delta", "0.9")
    required = {"target", "punishments", "payoff_set", "feasible_ir_set", "stage_equilibria", "minmax"}
    assert required | {"notes", "complete", "limits"} <= set(doc)
    assert doc["target"] == ["Tolerate", "Acquiesce"]
    assert doc["complete"] is True and doc["limits"] == []
    kinds = {p["kind"]: p for p in doc["punishments"]}
    assert list(kinds) == ["nash", "minmax", "penal_code"]
    for p in doc["punishments"]:
        assert {"kind", "critical_delta", "by_player", "conditions"} <= set(p)
    assert {k: p["critical_delta"] for k, p in kinds.items()} == {"nash": "3/4", "minmax": "1/2", "penal_code": "2/3"}
    assert kinds["nash"]["by_player"] == {"Israel": "3/4", "Russia": "0"}
    assert doc["critical_delta"] == "2/3" and doc["sustained"] is True
    vertices = {tuple(v) for v in doc["feasible_ir_set"]["vertices"]}
    assert vertices == {("-6", "-5"), ("-12/5", "-5"), ("-4", "3"), ("-6", "1/3")}
    assert doc["payoff_set"]["vertices"]  # two players and a delta: the Abreu-Sannikov set
    assert doc["minmax"]["Israel"]["value"] == "-6" and doc["minmax"]["Russia"]["value"] == "-5"
    (eq,) = doc["stage_equilibria"]
    assert eq["strategies"]["Israel"] == {"Tolerate": "2/5", "Strike": "3/5"}
    assert eq["payoffs"] == {"Israel": "-14/3", "Russia": "-3"}


def test_table_says_it_in_words() -> None:
    out = run("repeated", MODEL, "--target", DEAL, "--delta", "0.9")
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    assert "The deal (Tolerate, Acquiesce) is self-enforcing" in text
    assert "δ ≥ 2/3" in text and "Nash reversion needs δ ≥ 3/4" in text
    assert "Israel is tempted" in text and "Russia is never tempted" in text
    assert "below δ = 1/2 (the minmax bound)" in text
    assert "At δ = 9/10 the deal holds" in text


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        ("1", "0"),
        ("6", "3/4"),
        ("10", "3/4"),
        ("15", "13/16"),
        ("16", "7/8"),
        ("82/5", "9/10"),
        ("18", None),
        ("19", None),
    ],
    ids=["stage-equilibrium", "default", "mixed-band", "conflict-15", "conflict-16", "at-red-line", "at-18", "beyond"],
)
def test_nash_reversion_delta_matches_the_hand_derivation(cost: str, expected: str | None) -> None:
    doc = run_json("repeated", MODEL, "--target", DEAL, "--set", f"iran_cost={cost}")
    nash = doc["punishments"][0]
    assert nash["kind"] == "nash"
    assert nash["critical_delta"] == expected
    assert nash["by_player"]["Russia"] == "0"  # Russia is never tempted


def test_python_api_takes_models_games_and_overrides() -> None:
    assert solver.repeated(MODEL, DEAL, set={"iran_cost": 16}).critical_delta == F(7, 8)
    game = solver.game_at(MODEL, {"iran_cost": 15})
    r = solver.repeated(game, DEAL, "0.9")
    assert r.punishment("nash").critical_delta == F(13, 16) and r.sustained() is True
    with pytest.raises(UsageError):
        solver.repeated(game, DEAL, set={"iran_cost": 1})


def test_finitely_repeated_prisoners_dilemma_defects_throughout() -> None:
    doc = run_json("repeated", "prisoners_dilemma", "--target", "Cooperate, Cooperate", "--periods", "5")
    assert doc["path"] == ["pure (Defect, Defect)"] * 5 and doc["target_periods"] == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--vary", "iran_cost", "--delta", "0.9"), [("82/5", "crosses"), ("18", "reaches 1")]),
        (("--vary", "iran_cost"), [("18", "reaches 1")]),
        (("--vary", "deal_value", "--delta", "0.7"), [("12/5", "crosses")]),  # 1 - D/8 = 7/10
        # K < 4: (Strike, Confront) is the stage equilibrium, u_rev = -2 - K, delta* = 2/K (1 at
        # K = 2, 4/5 at K = 5/2); K > 4: mixed, delta* = 1 - 2/K = 4/5 at K = 10
        (
            ("--vary", "conflict_cost_israel", "--delta", "0.8"),
            [("2", "reaches 1"), ("5/2", "crosses"), ("10", "crosses")],
        ),
    ],
    ids=["iran-cost", "iran-cost-no-delta", "deal-value", "conflict-cost"],
)
def test_thresholds_of_the_critical_delta(args: tuple[str, ...], expected: list[tuple[str, str]]) -> None:
    doc = run_json("thresholds", MODEL, "--repeated", DEAL, *args)
    assert [(t["exact"], t["kind"]) for t in doc["thresholds"]] == expected


def test_thresholds_iran_cost_before_and_after() -> None:
    doc = run_json("thresholds", MODEL, "--repeated", DEAL, "--vary", "iran_cost", "--delta", "0.9")
    first = doc["thresholds"][0]
    assert first["critical_delta_before"] == "iran_cost/16 - 1/8"  # (c/2 - 1)/8
    assert (first["held_before"], first["held_after"]) == (True, False)


@pytest.mark.parametrize(
    ("args", "needles", "code"),
    [
        (("repeated", MODEL, "--target", "Tolerate, Foo"), ("Foo", "Russia"), 2),
        (("repeated", MODEL, "--target", "Tolerate"), ("2 players",), 2),
        (("repeated", MODEL, "--target", DEAL, "--delta", "1"), ("between 0 and 1",), 1),
        (("repeated", MODEL, "--target", DEAL, "--delta", "0"), ("between 0 and 1",), 1),
        (("repeated", MODEL, "--target", DEAL, "--delta", "abc"), ("discount factor",), 1),
        (
            ("repeated", "syria_triad", "--target", "Tolerate, Acquiesce, Entrench", "--delta", "0.9", "--payoff-set"),
            ("two players", "3"),
            1,
        ),
        (("repeated", MODEL, "--target", DEAL, "--periods", "3", "--delta", "0.9"), ("--periods",), 2),
        (("repeated", MODEL), ("--target",), 2),
        (("thresholds", MODEL, "--repeated", DEAL, "--vary", "iran_cost", "--delta", "1.5"), ("between 0 and 1",), 1),
        (("thresholds", MODEL, "--vary", "iran_cost", "--delta", "0.5"), ("--repeated",), 2),
    ],
    ids=[
        "unknown-strategy",
        "short-target",
        "delta-1",
        "delta-0",
        "delta-text",
        "payoff-set-3-players",
        "periods-and-delta",
        "no-target",
        "thresholds-delta",
        "delta-without-repeated",
    ],
)
def test_bad_input_one_line(tmp_path: Path, args: tuple[str, ...], needles: tuple[str, ...], code: int) -> None:
    assert_one_line_error(cli_outcome(tmp_path, *args), *needles, code=code)


@pytest.mark.parametrize(
    ("cost", "formula"),
    [
        ("6", "1 - deal_value/conflict_cost_israel"),  # mixed band: (K_I - D)/K_I
        ("16", "(strike_eff*iran_cost - strike_cost)/conflict_cost_israel"),  # (e c - s)/K_I
        ("19", None),  # the deal pays Israel no more than open conflict
    ],
    ids=["mixed-band", "open-conflict-reversion", "no-delta"],
)
def test_closed_form_in_the_parameters_matches_the_hand_derivation(cost: str, formula: str | None) -> None:
    """From the module docstring with the parameters left free: in the mixed band d - u = e c - s
    and d - u_rev = (e c - s) K_I/(K_I - D), so delta* = (K_I - D)/K_I; with (Strike, Confront) as
    the reversion d - u_rev = K_I, so delta* = (e c - s)/K_I."""
    doc = run_json("repeated", MODEL, "--target", DEAL, "--set", f"iran_cost={cost}")
    closed = doc["closed_form"]
    if formula is None:
        assert closed["critical_delta"] is None
    else:
        # at the default reading of the deal under conflict (convoys_kept_in_conflict = 1)
        got = sp.sympify(closed["critical_delta"]).subs(sp.Symbol("convoys_kept_in_conflict"), 1)
        assert sp.simplify(got - sp.sympify(formula)) == 0
    assert closed["conditions"] and doc["punishments"][0]["conditions"] == closed["conditions"]
    assert closed["by_player"]["Russia"] == "0"
