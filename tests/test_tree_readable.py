"""Trees read as trees (issue 13): outcome probabilities of tree equilibria against a hand walk
of the tree, the credible equilibria listed by default, strategies by information set, beliefs
in the table, and ``show`` as an outline.

The hand walk here multiplies, along each root-to-leaf path, chance's probabilities and the
behaviour profile's (``extra["behaviour"]``, by information set); it shares no code with
:func:`solver.core.treeform.outcome_distribution`.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from clirun import run

from solver.core.tree import Tree, chance, decision, from_named, leaf
from solver.equilibria.trees.sequential import solve_numeric_tree, solve_tree
from solver.formats import load

MODELS = Path(__file__).resolve().parents[1] / "models"
SEQUENTIAL = sorted(p.stem for p in MODELS.glob("*.toml") if load(p.stem).kind == "sequential")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit" / "catalog"
EFG = [
    "books/myerson1991/fig2_1.efg",  # one-card poker: chance, mixing, beliefs
    "journals/ijgt/selten1975/fig1.efg",  # Selten's horse: no proper subgame
    "journals/other/reiley2008/fig1.efg",  # poker again, other payoffs
]


def hand_walk(tree: Tree, behaviour: dict[str, dict[str, dict[str, Any]]]) -> dict[tuple[str, ...], Any]:
    """Each leaf's realisation probability, by its moves: chance times behaviour along the path
    (exact where every behaviour probability is an integer, i.e. pure)."""
    by_set = {(tree.players[h.player], h.label): h for h in tree.infosets if h.player >= 0}
    moves: dict[int, dict[str, Any]] = {}
    for player, sets in behaviour.items():
        for label, row in sets.items():
            moves[tree.infosets.index(by_set[player, label])] = row
    out: dict[tuple[str, ...], Any] = {}
    todo: list[tuple[int, tuple[str, ...], Any]] = [(0, (), F(1))]
    while todo:
        n, path, p = todo.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            out[path] = p
            continue
        acts = tree.infosets[node.infoset].actions
        for k, child in enumerate(node.children):
            q = node.probs[k] if node.is_chance else moves[node.infoset][acts[k]]
            todo.append((child, (*path, acts[k]), p * q))
    return out


def cases() -> list[Any]:
    out = [pytest.param(name, id=name) for name in SEQUENTIAL]
    for rel in EFG:
        mark = pytest.mark.skipif(not (SHARED / rel).is_file(), reason="../shared Gambit games not here")
        out.append(pytest.param(str(SHARED / rel), id=Path(rel).stem + "-" + Path(rel).parent.name, marks=mark))
    return out


@pytest.mark.parametrize("spec", cases())
def test_outcomes_are_the_realisation_probabilities(spec: str) -> None:
    model = load(spec)
    assert model.tree is not None
    tree = model.tree.at(model.values(None))
    result = solve_tree(model, model.values(None))
    checked = 0
    for e in result.equilibria:
        if not e.extra.get("behaviour"):
            continue
        walk = hand_walk(tree, e.extra["behaviour"])
        got = {tuple(o["path"]): o for o in e.extra["outcomes"]}
        assert set(got) == {path for path, p in walk.items() if p != 0}
        for path, o in got.items():
            assert o["probability"] == pytest.approx(float(walk[path]))
            if isinstance(walk[path], F):  # pure behaviour, exact chance: exactly
                assert F(o["probability_exact"]) == walk[path]
        exact = [F(o["probability_exact"]) for o in got.values()]
        assert len(exact) == len(got) and sum(exact) == 1
        probs = [o["probability"] for o in e.extra["outcomes"]]
        assert probs == sorted(probs, reverse=True)  # most likely first
        checked += 1
    assert checked


def test_model_leaf_names_are_the_outcome_names() -> None:
    """A leaf the model names is its outcome's name; inline leaves are named by their moves."""
    tree = from_named(
        ("Entrant", "Incumbent"),
        "entrant",
        {
            "entrant": decision("Entrant", {"Out": "stay_out", "In": "inc"}),
            "inc": decision("Incumbent", {"Fight": "price_war", "Accommodate": "a"}),
            "stay_out": leaf((F(1), F(5))),
            "price_war": leaf((F(0), F(0))),
            "a": leaf((F(2), F(2))),
        },
    )
    names = {e.extra["outcomes"][0]["outcome"] for e in solve_numeric_tree(tree).equilibria}
    assert names == {"stay_out", "a"}
    syria = solve_tree(load("syria_sequential")).equilibria[0]
    assert syria.extra["outcomes"] == [
        {
            "outcome": "Entrench, Tolerate, Acquiesce",
            "probability": 1.0,
            "probability_exact": "1",
            "path": ["Entrench", "Tolerate", "Acquiesce"],
        }
    ]


def test_syria_resolve_default_listing_is_short() -> None:
    """176 Nash equilibria, one perfect Bayesian: the default shows it and counts the rest."""
    text = run("solve", "syria_resolve")
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) <= 40
    assert "176 Nash equilibria found" in text.stdout and "1 perfect Bayesian shown" in text.stdout
    doc = run("solve", "syria_resolve", "--format", "json")
    assert len(doc.stdout.encode()) < 200_000
    data = json.loads(doc.stdout)
    assert data["nash_equilibria"] == 176 and len(data["equilibria"]) == 1
    (pbe,) = data["equilibria"]
    assert pbe["perfect_bayesian"] is True
    # the PBE of the model's description at p_resolute = 1/2: Entrench, Tolerate, Acquiesce
    assert {o["outcome"]: o["probability_exact"] for o in pbe["outcomes"]} == {
        "Resolute, Entrench, Tolerate, Acquiesce": "1/2",
        "Irresolute, Entrench, Tolerate, Acquiesce": "1/2",
    }
    every = json.loads(run("solve", "syria_resolve", "--nash", "all", "--format", "json").stdout)
    assert every["nash_equilibria"] == len(every["equilibria"]) == 176


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        pytest.param("syria_sequential", "after Entrench, Tolerate (russia_entrench_tolerate): Acquiesce", id="syria"),
        pytest.param(
            "syria_sequential", "after Entrench, Strike (russia_entrench_strike): Confront  (off path)", id="threat"
        ),
        pytest.param("entry_deterrence", "after In (incumbent): Accommodate", id="entry"),
        pytest.param(
            "syria_resolve", "after Resolute or Irresolute, Entrench (israel_after_entrench): Tolerate", id="infoset"
        ),
    ],
)
def test_strategies_by_information_set(model: str, expected: str) -> None:
    out = run("solve", model).stdout
    assert expected in out
    body = out.splitlines()[3:]  # below the title, the values and the count
    assert not any(re.search(r"\w+/\w+/\w+", line) for line in body)  # no reduced-form plan labels


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # Israel's move does not depend on Russia's type: beliefs are the prior, 1/2
        pytest.param(
            "syria_resolve",
            "Israel after Resolute or Irresolute, Entrench: Resolute 0.5, Irresolute 0.5",
            id="syria_resolve",
        ),
        # Fred raises on Red always, on Black 1/3: Bayes' rule gives Alice (1/2)/(1/2 + 1/6) = 3/4 on Red
        pytest.param(
            str(SHARED / EFG[0]),
            "Alice after Red or Black, Raise: Red 0.75, Black 0.25",
            id="poker",
            marks=pytest.mark.skipif(not (SHARED / EFG[0]).is_file(), reason="../shared not here"),
        ),
    ],
)
def test_beliefs_in_the_table(spec: str, expected: str) -> None:
    out = run("solve", spec).stdout
    assert "beliefs:" in out and expected in out


def test_show_prints_the_tree_and_normal_form_keeps_the_table() -> None:
    model = load("syria_sequential")
    assert model.tree is not None
    tree = model.tree.at(model.values(None))
    out = run("show", "syria_sequential").stdout.splitlines()
    leaves = [n for n in tree.nodes if n.is_terminal]
    shown = [line for line in out if "-> Iran " in line]
    assert len(shown) == len(leaves)
    # by hand at the defaults: base_value - entrench_cost = 3, deal_value - iran_cost = -4, tech_value = 3
    assert "      Acquiesce -> Iran 3, Israel -4, Russia 3" in out
    assert "  Entrench -> Israel (israel_entrench)" in out
    resolve = run("show", "syria_resolve").stdout
    assert 'Resolute (p_resolute = 1/2) -> Iran (iran_resolute), information set "iran" of 2 nodes' in resolve
    table = run("show", "syria_sequential", "--normal-form").stdout.splitlines()
    assert any(line.startswith("profile") and "Iran (formula)" in line for line in table)
    assert sum(line.startswith(("Restrain, ", "Entrench, ")) for line in table) == 2 * 4 * 16
    doc = json.loads(run("show", "syria_sequential", "--format", "json").stdout)
    assert sum("payoffs" in n for n in doc["tree_nodes"]) == len(leaves)


def test_imperfect_recall_outcomes_from_the_plans() -> None:
    """Without behaviour strategies (A forgets its first move), outcomes come from the plans:
    every pure equilibrium reaches one leaf per chance branch, each with chance's 1/2."""
    tree = from_named(
        ("A", "B"),
        "c",
        {
            "c": chance({"H": (F(1, 2), "a"), "T": (F(1, 2), "b")}),
            "a": decision("A", {"L": "x", "R": "y"}, infoset="first"),
            "b": decision("A", {"L": "x2", "R": "y2"}, infoset="second"),
            "x": decision("A", {"U": "lu", "D": "ld"}, infoset="forget"),
            "y": decision("A", {"U": "ru", "D": "rd"}, infoset="forget"),
            "x2": decision("B", {"U": "lu2", "D": "ld2"}),
            "y2": decision("B", {"U": "ru2", "D": "rd2"}),
            **{k: leaf((F(v), F(w))) for k, v, w in [("lu", 3, 0), ("ld", 0, 1), ("ru", 0, 0), ("rd", 2, 1)]},
            **{k: leaf((F(v), F(w))) for k, v, w in [("lu2", 1, 2), ("ld2", 0, 0), ("ru2", 0, 0), ("rd2", 1, 1)]},
        },
    )
    result = solve_numeric_tree(tree)
    assert any("imperfect recall" in n for n in result.notes)
    for e in result.equilibria:
        assert e.extra["behaviour"] is None and e.is_pure
        outcomes = e.extra["outcomes"]
        assert [o["probability_exact"] for o in outcomes] == ["1/2", "1/2"]
        assert sorted(o["path"][0] for o in outcomes) == ["H", "T"]
        # A's plan at "first" decides the H branch: L reaches x, where "forget"'s U or D ends it
        h_leaf = next(o for o in outcomes if o["path"][0] == "H")
        assert (
            h_leaf["outcome"]
            == {"L": {"U": "lu", "D": "ld"}, "R": {"U": "ru", "D": "rd"}}[h_leaf["path"][1]][h_leaf["path"][2]]
        )


GAMBIT_NAMED = """EFG 2 R "two-stage matching pennies" { "P1" "P2" }
p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "" { "H" "T" } 0
t "" 1 "Match" { 1, -1 }
t "" 2 "Mismatch" { -1, 1 }
p "" 2 1 "" { "H" "T" } 0
t "" 2
t "left \\\\ right" 1
"""


def test_efg_outcome_names_name_the_outcomes() -> None:
    """Gambit gives an outcome's name at its first use; a leaf with a blank name of its own takes
    it (two leaves share "Mismatch": their moves tell them apart), a named leaf keeps its own, and
    the bulk and token readers agree."""
    from solver.equilibria.trees.paths import outcome_name
    from solver.formats.efg import build_tree, parse_efg, token_layout

    bulk = parse_efg(GAMBIT_NAMED)
    careful = build_tree(*token_layout(GAMBIT_NAMED), "<string>")
    expected = {2: "Match", 3: "Mismatch", 5: "Mismatch", 6: "Match"}
    assert dict(bulk.outcome_labels) == dict(careful.outcome_labels) == expected
    leaves = [k for k, node in enumerate(bulk.nodes) if node.is_terminal]
    names = [outcome_name(bulk, k) for k in leaves]
    assert names == ["Match (H, H)", "Mismatch (H, T)", "Mismatch (T, H)", "left \\ right"]
