"""``redline explain``: the plain-language brief agrees with the solver and the thresholds.

Every shipped model is explained (text, Markdown, JSON); every threshold the brief cites is the
exact value :func:`solver.analysis.thresholds.thresholds` finds, and every outcome probability and
expected payoff is the solver's own.  The mixing explanation of ``syria_deconfliction`` is checked
against the hand derivation in the model file (P(Strike) = tech_value / (assad_stake -
conflict_cost_russia), Russia's payoffs only).
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from clirun import run_json
from hostile import assert_one_line_error, run_cli
from library import HEAVY, LIGHT
from typer.testing import CliRunner

from solver.analysis.explain import explain
from solver.analysis.explain_types import Brief
from solver.analysis.thresholds import thresholds
from solver.cli import app
from solver.formats import load
from solver.formats.claims import read_claims
from solver.render.explain import GLOSSARY, brief_doc, brief_markdown, brief_text, glossary_markdown

ROOT = Path(__file__).resolve().parents[1]
MODELS = LIGHT  # the heavy trees: test_every_heavy_tree_renders_within_a_budget


@cache
def brief(name: str) -> Brief:
    return explain(load(name), claims=read_claims())


@cache
def exact_thresholds(name: str, parameter: str) -> tuple[tuple[str, float], ...]:
    m = load(name)
    others = {k: v for k, v in m.values({}).items() if k != parameter}
    return tuple((t.exact_string, t.decimal) for t in thresholds(m, parameter, others))


@pytest.mark.parametrize("name", MODELS, ids=MODELS)
def test_every_format_renders(name: str) -> None:
    b = brief(name)
    text, md, doc = brief_text(b), brief_markdown(b), json.loads(json.dumps(brief_doc(b)))
    assert b.title in " ".join(text.split()) and md.startswith(f"# {b.title}")
    assert doc["model"] == name and len(doc["equilibria"]) == len(b.equilibria) >= 1
    assert all(len(line) <= 100 for line in text.splitlines() if " " in line.strip())


@pytest.mark.parametrize("name", MODELS, ids=MODELS)
def test_cited_thresholds_are_the_exact_thresholds(name: str) -> None:
    b = brief(name)
    for a in b.assumptions:
        if not a.computed or a.note == "does not enter the payoffs":
            continue
        found = exact_thresholds(name, a.parameter)
        cited = [c.exact for c in (a.below, a.above) if c is not None]
        assert all(c in [s for s, _ in found] for c in cited), (a.parameter, cited, found)
        # the nearest on each side: nothing found lies between them and the current value
        value = float(Fraction(a.value))
        decimals = sorted(d for _, d in found)
        below = [d for d in decimals if d < value]
        above = [d for d in decimals if d > value]
        assert (a.below is None) == (not below) and (a.above is None) == (not above), a.parameter
        if below and a.below is not None:
            assert a.below.decimal == pytest.approx(below[-1])
        if above and a.above is not None:
            assert a.above.decimal == pytest.approx(above[0])


@pytest.mark.parametrize("name", HEAVY, ids=HEAVY)
def test_every_heavy_tree_renders_within_a_budget(name: str) -> None:
    """The brief of a heavy tree, cut by a 3 s budget: what it did compute renders, and what it
    did not is listed, never hidden."""
    b = explain(load(name), claims=read_claims(), timeout=3)
    doc = json.loads(json.dumps(brief_doc(b)))
    assert doc["model"] == name and len(doc["equilibria"]) == len(b.equilibria) >= 1
    assert b.title in " ".join(brief_text(b).split())


@cache
def solved_json(name: str) -> dict[str, Any]:
    return run_json("solve", name)


@pytest.mark.parametrize("name", MODELS, ids=MODELS)
def test_probabilities_and_payoffs_are_the_solvers(name: str) -> None:
    """The brief lists the equilibria `redline solve` lists, in its order, each with its outcome
    odds and expected payoffs, exactly (``probability_exact``, ``payoffs_exact``)."""
    b = brief(name)
    doc = solved_json(name)
    assert len(b.equilibria) == len(doc["equilibria"])
    for e, s in zip(b.equilibria, doc["equilibria"], strict=True):
        odds = {" > ".join(o["path"]) if "path" in o else o["outcome"]: o for o in s["outcomes"]}
        assert {o.profile for o in e.outcomes} == set(odds)
        for o in e.outcomes:
            given = odds[o.profile]
            assert o.exact == given.get("probability_exact", o.exact) and o.decimal == given["probability"]
        payoffs = s.get("payoffs_exact") or s["payoffs"]
        assert [Fraction(a.payoff) for a in e.actors] == [Fraction(payoffs[a.player]) for a in e.actors]
        assert sum(Fraction(o.exact) for o in e.outcomes) == 1


def test_deconfliction_mixing_is_set_by_russias_payoffs() -> None:
    b = brief("syria_deconfliction")
    israel = next(m for m in b.equilibria[0].mixing if m.player == "Israel")
    assert israel.indifferent == ("Russia",)
    assert ("Strike", "3/5", "tech_value/(assad_stake - conflict_cost_russia)") in israel.probabilities
    assert set(israel.parameters) == {"tech_value", "assad_stake", "conflict_cost_russia"}
    text = " ".join(brief_text(b, width=10_000).split())
    assert "Israel's mixing is set by Russia's payoffs" in text
    assert 'not Israel\'s "propensity"' in text
    odds = {o.profile: o.exact for o in b.equilibria[0].outcomes}
    assert odds["Strike, Confront"] == "1/5" and odds["Tolerate, Acquiesce"] == "4/15"


def test_deconfliction_red_line_ties_c1_to_iran_cost() -> None:
    b = brief("syria_deconfliction")
    (a,) = [a for a in b.assumptions if a.parameter == "iran_cost"]
    assert ("C1", "israel-red-line") in a.claims
    assert (a.below and a.below.exact, a.above and a.above.exact) == ("2", "14")
    assert any("C1 israel-red-line is encoded by iran_cost" in s for s in b.red_lines)


def test_stag_hunt_selection() -> None:
    """Payoff dominance picks (Stag, Stag), risk dominance (Hare, Hare): Harsanyi & Selten 1988."""
    lines = " ".join(brief("stag_hunt").selection)
    assert "Payoff dominance: equilibrium" in lines and "(pure (Stag, Stag))" in lines
    assert "Risk dominance: equilibrium" in lines and "(pure (Hare, Hare))" in lines
    # a symmetric 2x2 coordination game: the logit tracing limit is the risk-dominant equilibrium
    # (McKelvey & Palfrey 1995; here (R - T)^2 = 1 < (P - S)^2 = 4, so (Hare, Hare))
    (logit,) = [s for s in brief("stag_hunt").selection if s.startswith("Logit tracing")]
    assert "(pure (Hare, Hare))" in logit


def test_entry_deterrence_fight_is_not_credible() -> None:
    assert any(
        s.startswith("Not credible: after Entrant In, Incumbent threatens Fight")
        for s in brief("entry_deterrence").credibility
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"], ids=["text", "markdown", "json"])
def test_cli_formats(fmt: str) -> None:
    r = CliRunner().invoke(app, ["explain", "matching_pennies", "--format", fmt, "--set", "win_heads=2"])
    assert r.exit_code == 0, r.stderr
    if fmt == "json":
        assert dict(json.loads(r.stdout)["values"])["win_heads"] == "2"
    else:
        assert "win_heads = 2" in r.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"], ids=["text", "markdown", "json"])
def test_glossary_lists_every_term(fmt: str) -> None:
    r = CliRunner().invoke(app, ["explain", "--glossary", "--format", fmt])
    assert r.exit_code == 0
    for term in (
        "equilibrium",
        "mixed strategy",
        "red line",
        "threshold",
        "degenerate",
        "credible threat",
        "subgame perfect",
        "regret",
        "complete",
        "support",
        "maximal Nash subset",
        "perfect Bayesian",
        "discount factor / self-enforcing",
        "pooling / separating",
        "intuitive criterion",
        "quantal response (QRE) / lambda",
    ):
        assert term in r.stdout
    assert len(GLOSSARY) == 16


def test_readme_glossary_is_the_commands() -> None:
    assert glossary_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("no_such_model",), "no shipped model"),
        (("syria_deconfliction", "--set", "iran_cost=abc"), "not a number"),
        (("syria_deconfliction", "--set", "nope=1"), "unknown parameter"),
        (("syria_deconfliction", "--set", "iran_cost=99"), "outside its declared range"),
    ],
    ids=["unknown-model", "not-a-number", "unknown-parameter", "out-of-range"],
)
def test_bad_input_is_one_line(args: tuple[str, ...], needle: str, tmp_path: Any) -> None:
    assert_one_line_error(run_cli("explain", *args, cwd=tmp_path), needle)


def test_declared_distributions_give_uncertainty_shares(write_model: Any) -> None:
    """Chicken (T=4, R=3, S=2, P=1): T is drawn on [0, 10]; below T = 3 = R the game has (Swerve,
    Swerve) too, so both answers get a share, and the shares are those of the drawn points."""
    from conftest import chicken_with

    line = 'T = { value = 4, range = [0, 10], doc = "temptation", distribution = { kind = "triangular", mode = 4 } }'
    b = explain(load(str(write_model(chicken_with(T=line)))))
    said = [s for s in b.robustness if s.startswith("Under the model's distributions")]
    assert said and "2000 draws" in said[0]
    shares = [float(s.split(": ")[1].split("%")[0]) for s in b.robustness if s.startswith(("Row", "every"))]
    assert len(shares) >= 2 and sum(shares) == pytest.approx(100, abs=1)
