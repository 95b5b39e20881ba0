"""Signalling games in ``redline explain``, ``report`` and ``credibility``: the perfect Bayesian
equilibria they show are ``redline solve``'s, read as the papers read them.

* Cho & Kreps (1987, QJE 102(2), §II and §IV), beer-quiche at prior weak 1/10: two pooling
  outcomes; pooling on quiche fails the intuitive criterion (beer cannot pay for the weak type,
  and a strong type recognised by beer is not dueled), pooling on beer survives; the receiver's
  off-path threat is to duel after the unsent breakfast, supported by beliefs that the sender is
  weak with probability 1/2 or more.
* Spence (1973) in its discrete form with Cho & Kreps §IV: the intuitive criterion keeps only the
  least-cost separating (Riley) outcome, Group II at y1; the pool at no education fails because
  y1 = 6/5 lies in (q1, 2 q1) = (3/4, 3/2), Group II gaining 2 - y1/2 = 7/5 over the pooled 5/4.
* Every signalling model of the library: the brief's kind and verdict are the solver's, and the
  re-reading of the criterion (which types the unsent message cannot pay, which type breaks away)
  gives the solver's verdict.
* The briefing page lists exactly ``solve``'s equilibria and labels (the former gaps included),
  from equilibria solved in full; the rest of the page runs on a tiny budget.
"""

from __future__ import annotations

import json
import re
from functools import cache
from html import unescape
from typing import Any

import pytest
from clirun import run_json
from library import GAME_MODELS

from solver.analysis.credibility import threats
from solver.analysis.explain import explain
from solver.analysis.explain_signalling import read_pbe, signalling_game
from solver.analysis.explain_trees import solved
from solver.analysis.report import gather
from solver.formats import load
from solver.render.explain import brief_doc, brief_text
from solver.render.report import report_html

#: the library's signalling games (a tree :func:`solver.core.signalling.from_tree` recognises)
SIGNALLING = [m for m in GAME_MODELS if signalling_game(load(m), load(m).values({})) is not None]


@cache
def solve_json(name: str) -> dict[str, Any]:
    return run_json("solve", name)


@cache
def solution(name: str) -> tuple[str, Any]:
    m = load(name)
    return solved(m, m.values({}))


@cache
def brief(name: str) -> Any:
    """The brief on the equilibria solved in full; the rest cut by a tiny budget (heavy trees)."""
    return explain(load(name), solution=solution(name), timeout=0.05)


def test_the_library_has_signalling_games() -> None:
    assert {"beer_quiche", "spence_job_market"} <= set(SIGNALLING)


def test_beer_quiche_pbe_as_cho_and_kreps() -> None:
    b = brief("beer_quiche")
    assert len(b.equilibria) == 4
    for e in b.equilibria:
        sig = e.signalling
        assert sig is not None and sig["kind"] == "pooling"
        pooled = {o.profile.split(" > ")[1] for o in e.outcomes}
        assert len(pooled) == 1
        # pooling on beer survives the intuitive criterion, pooling on quiche fails it
        assert sig["intuitive_criterion"] is (pooled == {"Beer"})
        verdict = "survives" if pooled == {"Beer"} else "fails"
        assert e.tags == ("perfect Bayesian", "pooling", f"{verdict} the intuitive criterion")
        # a pool: the receiver keeps its prior after the pooled message
        assert sig["beliefs"] == [f"after {pooled.pop()}: Weak 1/10, Strong 9/10"]
        # off the path: Duel, for any belief that A is weak with probability 1/2 or more (the
        # mixed answer: exactly 1/2, where B is indifferent)
        (off,) = sig["off_path"]
        low, high = ("1/2", "1") if off["response"] == "Duel" else ("1/2", "1/2")
        assert off["supporting"] == {"type": "Weak", "min": low, "max": high}
    text = " ".join(brief_text(b, width=10_000).split())
    assert "4 credible (perfect Bayesian) equilibria" in text and "subgame perfect" not in text
    assert "Intuitive criterion (Cho & Kreps 1987): fails: Beer cannot pay for Weak" in text


def test_beer_quiche_off_path_threat() -> None:
    """B duels after the breakfast nobody orders, believing A weak with probability >= 1/2; the
    intuitive criterion keeps the duel after quiche (only Weak could gain from it) and kills the
    duel after beer (only Strong could, and B would not duel a strong A)."""
    found = {(t.where, t.action): t for t in threats(load("beer_quiche")) if t.signalling}
    quiche, beer = found["A Quiche", "Duel"], found["A Beer", "Duel"]
    for t in (quiche, beer):
        assert t.player == "B" and t.credible
        assert t.signalling["supporting"] == {"type": "Weak", "min": "1/2", "max": "1"}
        assert t.condition == f"P(Weak | {t.signalling['message']}) in [1/2, 1]"
    assert not quiche.signalling["killed"] and quiche.signalling["equilibrium_survives"]
    assert quiche.signalling["dominated"] == ("Strong",) and quiche.signalling["breakers"] == ()
    assert beer.signalling["killed"] and not beer.signalling["equilibrium_survives"]
    assert beer.signalling["dominated"] == ("Weak",) and beer.signalling["breakers"] == ("Strong",)
    # the mixed answer needs the belief 1/2 exactly: on Strong the criterion puts none, so it is killed
    mixed = found["A Quiche", "Duel 1/2, Not duel 1/2"]
    assert mixed.signalling["supporting"]["min"] == mixed.signalling["supporting"]["max"] == "1/2"
    assert mixed.signalling["killed"] and mixed.signalling["equilibrium_survives"]
    # the CLI's JSON carries them
    doc = run_json("credibility", "beer_quiche")
    shown = {(t["where"], t["action"]): t["signalling"]["killed"] for t in doc["threats"] if "signalling" in t}
    assert shown[("A Quiche", "Duel")] is False and shown[("A Beer", "Duel")] is True


def test_spence_intuitive_criterion_keeps_the_riley_outcome() -> None:
    b = brief("spence_job_market")
    survivors = [e for e in b.equilibria if e.signalling and e.signalling["intuitive_criterion"]]
    assert survivors and all(e.signalling["kind"] == "separating" for e in survivors)
    assert {o.profile for e in survivors for o in e.outcomes} == {
        "Group I > No education > Low wage",
        "Group II > Education y1 > High wage",
    }
    pool = next(e for e in b.equilibria if e.signalling and e.signalling["kind"] == "pooling")
    why = next(o["why"] for o in pool.signalling["off_path"] if o["message"] == "Education y1")
    assert "Group I gets 5/4 here, at most 4/5 from Education y1" in why
    assert "Group II gets 7/5 instead of 5/4" in why


@pytest.mark.parametrize("name", SIGNALLING, ids=SIGNALLING)
def test_brief_agrees_with_solve(name: str) -> None:
    """The brief's PBE are `solve`'s, in its order: odds, kind, verdict; the re-reading of the
    criterion gives the solver's verdict and kind."""
    doc = solve_json(name)
    b = json.loads(json.dumps(brief_doc(brief(name))))
    g = signalling_game(load(name), load(name).values({}))
    assert g is not None and len(b["equilibria"]) == len(doc["equilibria"])
    for e, s in zip(b["equilibria"], doc["equilibria"], strict=True):
        assert {o["profile"]: o["exact"] for o in e["outcomes"]} == {
            " > ".join(o["path"]): o.get("probability_exact", str(o["probability"])) for o in s["outcomes"]
        }
        assert e["signalling"]["kind"] == s["signalling"]["kind"]
        assert e["signalling"]["intuitive_criterion"] == s["signalling"]["intuitive_criterion"]
        r = read_pbe(g, s["behaviour"])
        assert (r.kind, r.intuitive_criterion) == (s["signalling"]["kind"], s["signalling"]["intuitive_criterion"])
        assert "subgame perfect" not in e["tags"]


REPORTED = ["beer_quiche", "chain_store_3", "kreps_wilson_reputation", "spence_job_market", "syria_russia_signal"]


@pytest.mark.parametrize("name", REPORTED, ids=REPORTED)
def test_report_lists_solves_equilibria(name: str) -> None:
    rep = gather(load(name), solution=solution(name), timeout=0.05, sweeps=False)
    page = report_html(rep)
    shown = [unescape(x) for x in re.findall(r'data-equilibrium="([^"]*)" data-credible="true"', page)]
    assert shown == [e["description"] for e in solve_json(name)["equilibria"]]
    assert 'data-credible="false"' not in page
