"""Published results on game trees: subgame perfection, non-credible threats, deterrence
thresholds, Bayesian play; all SPE with ties; credibility regions."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
from typer.testing import CliRunner

from solver.analysis.credibility import threats
from solver.cli import app
from solver.equilibria.trees.sequential import solve_tree
from solver.formats import load


def spe(model: str, **values: object) -> list:  # type: ignore[type-arg]
    r = solve_tree(load(model), values)
    return [e for e in r.equilibria if e.extra["subgame_perfect"]]


def test_entry_deterrence_fight_is_not_credible() -> None:
    # Selten (1978): (Out, Fight) is Nash but not subgame perfect; (In, Accommodate) is the SPE
    r = solve_tree(load("entry_deterrence"))
    marks = {e.describe(): e.extra["subgame_perfect"] for e in r.equilibria}
    assert marks == {"pure (In, Accommodate)": True, "pure (Out, Fight)": False}
    (t,) = threats(load("entry_deterrence"))
    assert (t.player, t.action, t.credible, t.in_spe) == ("Incumbent", "Fight", False, False)
    # credible once a war pays the incumbent more than sharing the market
    (t2,) = [
        x for x in threats(load("entry_deterrence"), {"incumbent_war": 3}) if x.action == "Fight"
    ]
    assert t2.credible and t2.in_spe


def test_syria_sequential_spe() -> None:
    (e,) = spe("syria_sequential")
    assert e.extra["path"] == ["Entrench", "Tolerate", "Acquiesce"]
    assert e.values == (3, -4, 3)
    b = e.extra["behaviour"]
    assert b["Russia"]["russia_entrench_strike"] == {"Acquiesce": 0, "Confront": 1}
    assert b["Israel"]["israel_entrench"] == {"Tolerate": 1, "Strike": 0}


def test_syria_sequential_without_credible_red_line_iran_is_deterred() -> None:
    (e,) = spe("syria_sequential", assad_stake=6)
    assert e.extra["path"] == ["Restrain", "Tolerate", "Acquiesce"]
    assert e.extra["behaviour"]["Israel"]["israel_entrench"]["Strike"] == 1


def test_russias_red_line_credibility_region() -> None:
    ts = [
        t
        for t in threats(load("syria_sequential"))
        if t.in_spe and t.player == "Russia" and t.action == "Confront"
    ]
    assert ts and all(t.credible for t in ts)
    assert {t.condition for t in ts} == {"assad_stake - conflict_cost_russia - tech_value >= 0"}
    low = [
        t
        for t in threats(load("syria_sequential"), {"assad_stake": 7})
        if t.action == "Confront" and t.where.endswith("Israel Strike")
    ]
    assert low and not any(t.credible for t in low)


@pytest.mark.parametrize(
    "p,challenge", [(F(1, 4), True), (F(3, 10), True), (F(2, 5), False), (F(1, 2), False)]
)
def test_zagare_kilgour_threshold(p: F, challenge: bool) -> None:
    # A challenges iff p < (a_DC - a_SQ)/(a_DC - a_DD) = 1/3 (Zagare & Kilgour 2000)
    r = solve_tree(load("zagare_kilgour_deterrence"), {"p": p})
    pbe = [e for e in r.equilibria if e.extra["perfect_bayesian"]]
    assert len(pbe) == 1
    first_moves = {path["path"][1] for path in pbe[0].extra["path"]}
    assert first_moves == ({"Defect"} if challenge else {"Cooperate"})
    assert pbe[0].extra["beliefs"]["Challenger"]["challenge"]["chance Hard"] == pytest.approx(
        float(p)
    )


def test_zagare_kilgour_threshold_other_payoffs() -> None:
    # a_DD, a_SQ, a_DC = -2, 1, 4: threshold (4 - 1)/(4 + 2) = 1/2
    vals = {"a_DD": -2, "a_SQ": 1, "a_DC": 4}
    for p, move in ((F(49, 100), "Defect"), (F(51, 100), "Cooperate")):
        r = solve_tree(load("zagare_kilgour_deterrence"), {**vals, "p": p})
        (e,) = [e for e in r.equilibria if e.extra["perfect_bayesian"]]
        assert e.extra["path"][0]["path"][1] == move


def test_chicken_first_mover_wins() -> None:
    (e,) = spe("chicken_commitment")
    assert e.extra["path"] == ["Straight", "Swerve"] and e.values == (1, -1)
    bad = [
        t
        for t in threats(load("chicken_commitment"))
        if t.where == "Driver 1 Straight" and t.action == "Straight"
    ]
    assert bad and not bad[0].credible and bad[0].condition == "-crash + win >= 0"


def test_syria_resolve_bayesian() -> None:
    r = solve_tree(load("syria_resolve"))
    (e,) = [e for e in r.equilibria if e.extra["perfect_bayesian"]]
    assert {tuple(p["path"][1:]) for p in e.extra["path"]} == {
        ("Entrench", "Tolerate", "Acquiesce")
    }
    beliefs = e.extra["beliefs"]["Israel"][
        "israel_after_restrain"
    ]  # off path: Bayes given the deviation
    assert sorted(beliefs.values()) == [0.5, 0.5]
    r = solve_tree(load("syria_resolve"), {"p_resolute": F(1, 5)})
    (e,) = [e for e in r.equilibria if e.extra["perfect_bayesian"]]
    assert {tuple(p["path"][1:]) for p in e.extra["path"]} == {
        ("Restrain", "Tolerate", "Acquiesce")
    }
    assert e.extra["behaviour"]["Israel"]["israel_after_entrench"]["Strike"] == 1


def test_ties_branch_into_all_spe() -> None:
    from solver.core.tree import decision, from_named, leaf
    from solver.equilibria.trees.backward import all_spe

    t = from_named(
        ("A", "B"),
        "a",
        {
            "a": decision("A", {"L": "b", "R": "r"}),
            "b": decision("B", {"x": "x", "y": "y"}),
            "r": leaf((F(1), F(0))),
            "x": leaf((F(2), F(1))),
            "y": leaf((F(0), F(1))),
        },
    )
    found, complete = all_spe(t)
    assert complete and sorted(tuple(sorted(m.items())) for m, _ in found) == [
        ((0, 0), (1, 0)),
        ((0, 1), (1, 1)),
    ]


def test_fast_backward_induction_agrees() -> None:
    import numpy as np

    from solver.equilibria.trees.backward import all_spe, spe_arrays, tree_arrays

    tree = load("syria_sequential").tree.at(
        {p.name: p.value for p in load("syria_sequential").parameters}
    )
    arrs = tree_arrays(tree)
    values, _choice, tie = spe_arrays(**arrs)
    ((_moves, vals),), _ = all_spe(tree)
    assert not tie and np.allclose(values[0], [float(v) for v in vals])


def test_cli_json_contract() -> None:
    out = CliRunner().invoke(app, ["solve", "entry_deterrence", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    first = doc["equilibria"][0]
    assert first["path"] == ["In", "Accommodate"] and first["subgame_perfect"] is True
    assert first["behaviour"]["Incumbent"]["incumbent"] == {"Fight": 0, "Accommodate": 1}
    out = CliRunner().invoke(app, ["credibility", "syria_sequential", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert any(
        t["action"] == "Confront" and t["credible"] for t in json.loads(out.output)["threats"]
    )
    out = CliRunner().invoke(app, ["credibility", "syria_deconfliction"])
    assert out.exit_code == 1 and "game tree" in out.output


def test_threat_credibility_uses_credible_continuation():
    """Israel's strike on an entrenching Iran meets Russia's (credible) confrontation, so it is not
    credible while open conflict costs Israel more than the strike gains."""
    from solver.analysis.credibility import threats
    from solver.formats import load

    model = load("syria_sequential")

    def israel_strike(values):
        (t,) = [t for t in threats(model, values) if t.player == "Israel" and t.action == "Strike"
                and "Entrench" in t.where]
        return t

    assert not israel_strike({}).credible  # 6*0.5 - 1 - 8 < 0
    assert "conflict_cost_israel" in israel_strike({}).condition
    assert israel_strike({"conflict_cost_israel": 1}).credible  # 3 - 1 - 1 >= 0


@pytest.mark.parametrize(
    "args",
    [["sensitivity", "chicken_commitment"], ["sensitivity", "entry_deterrence"],
     ["thresholds", "entry_deterrence", "--vary", "incumbent_war"], ["regions", "syria_sequential", "--fallback"]],
    ids=["sensitivity-commitment", "sensitivity-entry", "thresholds-entry", "regions-fallback-tree"],
)
def test_analysis_commands_work_on_trees(args):
    from typer.testing import CliRunner

    from solver.cli import app

    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, (r.stdout, r.stderr, r.exception)
    assert "Traceback" not in r.stdout + r.stderr
