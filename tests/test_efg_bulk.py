"""The bulk ``.efg`` reader (issue 11): on every plainly written file it gives exactly the tree,
the labels and the notes that reading token by token gives (Gambit's documented format is the
reference: the token reader takes every spelling it allows); on every other file it hands over,
and the error is the one reading token by token reports.  Nothing here is timed."""

from __future__ import annotations

import random
from dataclasses import fields
from fractions import Fraction

import numpy as np
import pytest

from solver.core.errors import ModelError
from solver.core.tree import Tree, validate
from solver.core.tree_columns import Columns, tree_columns
from solver.formats.efg import build_tree, parse_efg, parse_efg_labelled, token_layout
from solver.formats.efg_bulk import bulk_tree

HEAD = 'EFG 2 R "g" { "A" "B" }\n""\n'


def careful(text: str, source: str = "t.efg") -> tuple[Tree, list[str]]:
    """The tree and notes of the token-by-token reader."""
    notes: list[str] = []
    return build_tree(*token_layout(text, source), source, notes), notes


def same(a, b) -> bool:  # type: ignore[no-untyped-def]
    fields = ("players", "title", "nodes", "infosets", "_parents")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def same_columns(a: Columns, b: Columns) -> bool:
    return all(
        (x.tolist() if isinstance(x, np.ndarray) else x) == (y.tolist() if isinstance(y, np.ndarray) else y)
        for x, y in ((getattr(a, f.name), getattr(b, f.name)) for f in fields(Columns))
    )


def random_efg(seed: int, *, chance: bool, shared_sets: bool, labels: bool, ties: bool) -> str:
    """A random tree in Gambit's plain layout: decision nodes of 1 to 3 actions (players 1 and
    2, set numbers reused with the actions omitted where ``shared_sets``), chance nodes with
    rational probabilities, leaves whose outcomes are often reused by number alone; blank and
    repeated labels, escaped quotes in node names where ``labels``."""
    rng = random.Random(seed)
    out = [HEAD.rstrip("\n")]
    sets: dict[tuple[int, int], int] = {}
    outcomes: list[int] = []
    fresh = {1: 0, 2: 0}  # the last set number given to each player
    budget = [60]

    def node(depth: int) -> None:
        budget[0] -= 1
        if depth > 5 or budget[0] <= 0 or rng.random() < 0.3:
            if outcomes and rng.random() < 0.3:
                out.append(f't "" {rng.choice(outcomes)}')
                return
            k = len(outcomes) + 1
            outcomes.append(k)
            pay = [rng.randrange(3) if ties else rng.randrange(-50, 50) for _ in range(2)]
            name = rng.choice(['"o"', '"a\\"b"', '""']) if labels else '""'
            out.append(f't {name} {k} "x" {{ {pay[0]}, {pay[1]} }}')
            return
        if chance and rng.random() < 0.25:
            k = rng.randint(1, 3)
            probs = [Fraction(1, k)] * k
            acts = " ".join(f'"h{j}" {p}' for j, p in enumerate(probs))
            out.append(f'c "" {len(out)} "" {{ {acts} }} 0')  # a set of its own
            for _ in range(k):
                node(depth + 1)
            return
        who = depth % 2 + 1
        arity = rng.randint(1, 3)
        key = (who, arity)
        if shared_sets and key in sets and rng.random() < 0.5:
            out.append(f'p "" {who} {sets[key]} 0')
        else:
            number = fresh[who] = fresh[who] + 1
            sets.setdefault(key, number)
            names = [rng.choice(["L", "R", "", "L"]) if labels else f"a{j}" for j in range(arity)]
            acts = " ".join(f'"{a}"' for a in names)
            label = rng.choice(["s", "", "s"]) if labels else ""
            out.append(f'p "" {who} {number} "{label}" {{ {acts} }} 0')
        for _ in range(arity):
            node(depth + 1)

    node(0)
    return "\n".join(out) + "\n"


KINDS = [
    pytest.param({"chance": False, "shared_sets": False, "labels": False, "ties": False}, id="perfect-information"),
    pytest.param({"chance": False, "shared_sets": False, "labels": False, "ties": True}, id="ties"),
    pytest.param({"chance": True, "shared_sets": False, "labels": False, "ties": False}, id="chance"),
    pytest.param({"chance": True, "shared_sets": True, "labels": False, "ties": True}, id="shared-sets"),
    pytest.param({"chance": True, "shared_sets": True, "labels": True, "ties": True}, id="labels"),
]


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_reader_agrees_with_the_token_reader(kind: dict[str, bool]) -> None:
    for seed in range(40):
        text = random_efg(seed, **kind)
        notes: list[str] = []
        found = bulk_tree(text, "t.efg", notes)
        assert found is not None, text
        tree, want_notes = careful(text)
        assert same(found[0], tree) and notes == want_notes, text
        ends = [tree.end(k) for k in range(len(tree.nodes))]  # a walk over the nodes: no columns yet
        assert [found[0].end(k) for k in range(len(tree.nodes))] == ends  # from the columns
        validate(found[0], "t.efg")  # what the reader checks by hand, checked the long way
        assert same_columns(tree_columns(found[0]), tree_columns(tree))  # handed over = read from nodes
        labelled, file_labels = parse_efg_labelled(text, "t.efg")
        assert same(labelled, tree)
        assert (file_labels is None) == (not want_notes)
        assert all(type(v) is Fraction for n in found[0].nodes for v in n.payoffs + n.probs)


#: files the bulk reader hands over: the node-by-node reader gives the tree or the error
HANDED_OVER = [
    ("inner-outcome", HEAD + 'p "" 1 1 "" { "L" "R" } 1 "" { 1 1 } t "" 2 "" { 1 2 } t "" 1'),
    ("outcome-redefined", HEAD + 'p "" 1 1 "" { "L" "R" } 0 t "" 1 "" { 1 1 } t "" 1 "" { 2 2 }'),
    ("outcome-undefined", HEAD + 'p "" 1 1 "" { "L" "R" } 0 t "" 1 "" { 1 1 } t "" 7'),
    ("payoff-count", HEAD + 'p "" 1 1 "" { "L" "R" } 0 t "" 1 "" { 1 1 } t "" 2 "" { 1 2 3 }'),
    ("second-root", HEAD + 't "" 1 "" { 1 1 }\nt "" 2 "" { 1 1 }'),
    ("missing-subtree", HEAD + 'p "" 1 1 "" { "L" "R" } 0 t "" 1 "" { 1 1 }'),
    ("player-three", HEAD + 'p "" 3 1 "" { "L" } 0 t "" 1 "" { 1 1 }'),
    ("set-before-actions", HEAD + 'p "" 1 1 0 t "" 1 "" { 1 1 }'),
    ("other-actions", HEAD + 'p "" 1 1 "" { "L" "R" } 0 p "" 1 1 "" { "L" } 0 t "" 0 t "" 0'),
    ("chance-sum", HEAD + 'c "" 1 "" { "h" 1/2 "t" 1/3 } 0 t "" 0 t "" 0'),
    ("divide-by-zero", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { 1/0 2 }'),
    ("long-integer", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { ' + "9" * 4100 + " 2 }"),
    ("bad-number", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { 1-2 2 }'),
    ("signed-player", HEAD + 'p "" +1 1 "" { "L" } 0 t "" 1 "" { 1 2 }'),
    ("trailing-garbage", HEAD + 't "" 1 "" { 1 1 }\n}'),
    ("escaped-action", HEAD + 'p "" 1 1 "" { "L\\"" "R" } 0 t "" 0 t "" 0'),
]


@pytest.mark.parametrize("name,text", HANDED_OVER, ids=[h[0] for h in HANDED_OVER])
def test_other_files_are_read_node_by_node(name: str, text: str) -> None:
    source = f"{name}.efg"
    try:
        expected, _ = careful(text, source)
    except ModelError as exc:
        assert bulk_tree(text, source) is None
        with pytest.raises(ModelError) as info:
            parse_efg(text, source)
        assert str(info.value) == str(exc)
        return
    assert same(parse_efg(text, source), expected)


#: plain spellings the bulk reader takes: the same tree as the token reader
PLAIN = [
    ("decimals", HEAD + 'c "" 1 "" { "h" 0.25 "t" 3/4 } 0 t "" 1 "" { 1e1, .5 } t "" 2 "" { 1/3 -2/6 }'),
    ("signs-and-zeros", HEAD + 'p "" 1 01 "" { "L" } 0 t "" 00 "" { -0 +3 }'),
    ("no-blanks", 'EFG 2 R"g"{"A""B"}p"x"1 1"s"{"L""R"}0 t""1"o"{1,2}t""2"o2"{0,0}'),
    ("wide-and-uneven", HEAD + 'p "" 1 1 "" { "a" "b" "c" } 0 t "" 0 p "" 2 1 "" { "x" } 0 t "" 1 "" { 1 2 } t "" 0'),
    ("long-numbers", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { ' + "7" * 300 + " -" + "3" * 120 + " }"),
    ("escaped-names", HEAD + 'p "n\\"1" 1 1 "s\\\\" { "L" "R" } 0 t "\\\\" 1 "" { 1 1 } t "" 1'),
]


@pytest.mark.parametrize("name,text", PLAIN, ids=[p[0] for p in PLAIN])
def test_plain_spellings_read_in_bulk(name: str, text: str) -> None:
    found = bulk_tree(text, f"{name}.efg")
    assert found is not None
    tree = careful(text, f"{name}.efg")[0]
    assert same(found[0], tree) and same_columns(tree_columns(found[0]), tree_columns(tree))
