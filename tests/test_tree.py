"""Game trees: building, validation errors naming the node, reduced normal form, TOML models."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from solver.core.errors import ModelError
from solver.core.symbolic import evaluate
from solver.core.tree import chance, decision, from_named, leaf
from solver.core.treeform import behaviour_from_mixed, mixed_from_behaviour, normal_form, reduced_plans
from solver.formats import load
from solver.formats.toml_model import read_model

HEAD = """
[model]
name = "t"
kind = "sequential"
[parameters]
p = { value = 0.5, range = [0, 1], doc = "probability" }
[tree]
players = ["A", "B"]
"""

GOOD_NODES = """
[nodes.a]
player = "A"
actions = { L = "b", R = [1, 1] }
[nodes.b]
player = "B"
actions = { l = [0, 2], r = [2, 0] }
"""

BAD = [
    (
        "cycle",
        """[nodes.a]\nplayer = "A"\nactions = { L = "b", R = [1, 1] }\n[nodes.b]\nplayer = "B"
actions = { l = "a", r = [2, 0] }\n""",
        "nodes.b",
        "cycle",
    ),
    (
        "reached-twice",
        """[nodes.a]\nplayer = "A"\nactions = { L = "b", R = "b" }\n[nodes.b]
payoffs = [0, 0]\n""",
        "nodes.a",
        "reached twice",
    ),
    (
        "undefined-child",
        """[nodes.a]\nplayer = "A"\nactions = { L = "nowhere", R = [1, 1] }\n""",
        "nodes.a",
        "undefined node",
    ),
    ("no-actions", """[nodes.a]\nplayer = "A"\nactions = {}\n""", "nodes.a", "non-empty"),
    ("unreachable", GOOD_NODES + """[nodes.z]\npayoffs = [0, 0]\n""", "nodes.z", "not reachable"),
    (
        "chance-sum",
        """[nodes.c]\nchance = { H = ["p", "x"], T = ["p", "y"] }\n[nodes.x]\npayoffs = [0, 0]
[nodes.y]\npayoffs = [0, 0]\n""",
        "nodes.c",
        "sum to",
    ),
    (
        "chance-negative",
        """[nodes.c]\nchance = { H = ["2*p", "x"], T = ["1 - 2*p", "y"] }\n[nodes.x]
payoffs = [0, 0]\n[nodes.y]\npayoffs = [0, 0]\n""",
        "nodes.c",
        "negative",
    ),
    (
        "infoset-players",
        """[nodes.a]\nplayer = "A"\ninfoset = "h"\nactions = { L = "b", R = [1, 1] }
[nodes.b]\nplayer = "B"\ninfoset = "h"\nactions = { L = [0, 2], R = [2, 0] }\n""",
        "nodes.b",
        "different players",
    ),
    (
        "infoset-actions",
        """[nodes.c]\nchance = { H = ["p", "x"], T = ["1 - p", "y"] }\n[nodes.x]\nplayer = "A"
infoset = "h"\nactions = { L = [0, 0], R = [1, 1] }\n[nodes.y]\nplayer = "A"\ninfoset = "h"
actions = { L = [0, 0], M = [1, 1] }\n""",
        "nodes.y",
        "different actions",
    ),
    (
        "payoff-count",
        """[nodes.a]\nplayer = "A"\nactions = { L = [1], R = [1, 1] }\n""",
        "nodes.a",
        "expected 2",
    ),
    (
        "no-eval",
        """[nodes.a]\nplayer = "A"\nactions = { L = ["__import__('os')", 0], R = [1, 1] }\n""",
        "nodes.a",
        "not allowed",
    ),
    (
        "unknown-player",
        """[nodes.a]\nplayer = "C"\nactions = { L = [0, 0] }\n""",
        "nodes.a",
        "unknown player",
    ),
]


@pytest.mark.parametrize("name,nodes,key,words", BAD, ids=[b[0] for b in BAD])
def test_bad_trees_name_the_node(
    tmp_path: Path, name: str, nodes: str, key: str, words: str
) -> None:
    f = tmp_path / f"{name}.toml"
    f.write_text(HEAD + nodes)
    with pytest.raises(ModelError) as info:
        read_model(f)
    assert info.value.key is not None and info.value.key.startswith(key), str(info.value)
    assert words in str(info.value)
    assert str(f) in str(info.value)


def test_cli_bad_tree_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from solver.cli import app

    f = tmp_path / "cycle.toml"
    f.write_text(HEAD + BAD[0][1])
    out = CliRunner().invoke(app, ["solve", str(f)])
    assert out.exit_code == 1
    assert "Traceback" not in out.output and "cycle" in out.output


def test_good_tree_and_normal_form(tmp_path: Path) -> None:
    f = tmp_path / "good.toml"
    f.write_text(HEAD + GOOD_NODES)
    m = read_model(f)
    assert m.tree is not None and m.strategies == (("L", "R"), ("l", "r"))
    g = evaluate(m)
    assert g.payoffs[:, 1, 0].tolist() == [1, 1] and g.payoffs[:, 0, 1].tolist() == [2, 0]


def test_reduced_plans_drop_unreached_moves() -> None:
    # A moves, B moves, A moves again only after (L, l): A has 3 reduced plans, not 4
    t = from_named(
        ("A", "B"),
        "a",
        {
            "a": decision("A", {"L": "b", "R": "r"}),
            "b": decision("B", {"l": "a2", "r": "br"}),
            "a2": decision("A", {"x": "x", "y": "y"}),
            "r": leaf((0, 0)),
            "br": leaf((1, 1)),
            "x": leaf((2, 0)),
            "y": leaf((0, 2)),
        },
    )
    assert len(reduced_plans(t, 0)) == 3
    nf = normal_form(t)
    assert nf.strategies[0] == ("L/x", "L/y", "R/*")


def test_kuhn_round_trip_on_syria_resolve() -> None:
    tree = load("syria_resolve").tree.at(
        {"p_resolute": Fraction(1, 2)}
        | {p.name: p.value for p in load("syria_resolve").parameters if p.name != "p_resolute"}
    )
    nf = normal_form(tree)
    beh = [
        {
            h: [Fraction(1, len(s.actions))] * len(s.actions)
            for h, s in enumerate(tree.infosets)
            if s.player == i
        }
        for i in range(3)
    ]
    mixed = mixed_from_behaviour(nf, beh)
    assert all(sum(v) == 1 for v in mixed)
    assert behaviour_from_mixed(tree, nf, mixed) == beh


def test_chance_probabilities_in_payoffs() -> None:
    m = load("zagare_kilgour_deterrence")
    g = evaluate(m, {"p": 0.25})
    # Defect against (Resist if Hard, Concede if Soft): p*a_DD + (1 - p)*a_DC = 9/4
    i = m.strategies[1].index("Resist/Concede")
    assert g.payoffs[0, m.strategies[0].index("Defect"), i] == Fraction(9, 4)


def test_chance_tree_value() -> None:
    t = from_named(
        ("A",),
        "c",
        {
            "c": chance({"H": (Fraction(1, 3), "x"), "T": (Fraction(2, 3), "y")}),
            "x": leaf((Fraction(3),)),
            "y": leaf((Fraction(0),)),
        },
    )
    assert normal_form(t).payoffs.tolist() == [[Fraction(1)]]
