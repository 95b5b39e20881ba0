"""Gambit .efg files: the corpus parses, round trips, loads as a model; errors name the line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from solver.errors import ModelError
from solver.formats import load
from solver.formats.efg import format_efg, parse_efg, read_efg, same_tree, write_efg

SHARED = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit"
DATA = Path(__file__).parent / "data" / "efg"


def corpus() -> list[Path]:
    return sorted(SHARED.rglob("*.efg")) if SHARED.is_dir() else []


@pytest.fixture(scope="module")
def files() -> list[Path]:
    found = corpus()
    if not found:
        pytest.skip("../shared/games/gambit is not available")
    return found


def test_corpus_parses_and_round_trips(files: list[Path], tmp_path: Path) -> None:
    assert len(files) >= 170
    for f in files:
        tree = read_efg(f)
        out = tmp_path / "rt.efg"
        write_efg(tree, out)
        assert same_tree(read_efg(out), tree), f


def test_corpus_loads_as_models(files: list[Path]) -> None:
    from solver import render
    from solver.symbolic import evaluate

    for f in files:
        m = load(str(f))
        assert m.tree is not None
        doc = render.model_dict(m, m.values(), evaluate(m).payoffs)
        assert doc["players"] == list(m.players)


def test_outcomes_on_inner_nodes_add_up() -> None:
    t = read_efg(DATA / "entry_outcomes.efg")
    assert [tuple(map(int, n.payoffs)) for n in t.nodes if n.is_terminal] == [
        (1, 5),
        (0, 0),
        (2, 2),
    ]


BAD = [
    ("version", 'EFG 1 R "x" { "A" }', "version"),
    ("player", 'EFG 2 R "x" { "A" } p "" 2 1 "" { "a" } 0 t "" 0', "player 2"),
    ("missing-subtree", 'EFG 2 R "x" { "A" } p "" 1 1 "" { "a" "b" } 0 t "" 1 "" { 1 }', "missing"),
    ("outcome", 'EFG 2 R "x" { "A" } t "" 3', "outcome 3"),
    ("payoffs", 'EFG 2 R "x" { "A" "B" } t "" 1 "" { 1 }', "expected 2"),
    ("chance", 'EFG 2 R "x" { "A" } c "" 1 "" { "h" 1/2 "t" 1/3 } 0 t "" 0 t "" 0', "sum"),
]


@pytest.mark.parametrize("name,text,words", BAD, ids=[b[0] for b in BAD])
def test_bad_efg(name: str, text: str, words: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_efg(text, source=f"{name}.efg")
    assert words in str(info.value) and f"{name}.efg" in str(info.value)


def test_write_is_atomic_and_readable(tmp_path: Path) -> None:
    m = load("syria_sequential")
    out = tmp_path / "syria.efg"
    write_efg(m, out)
    assert [p.name for p in tmp_path.iterdir()] == ["syria.efg"]
    t = read_efg(out)
    assert len(t.nodes) == len(m.tree.nodes) and same_tree(parse_efg(format_efg(t)), t)


_CHILD = r"""
import json, sys
import pygambit as gbt
g = gbt.read_efg(sys.argv[1])
res = gbt.nash.enumpure_solve(g)
print(json.dumps(sorted({tuple(str(eq.payoff(p)) for p in g.players) for eq in res.equilibria})))
"""

ORACLE_GAMES = [
    "doc/poker.efg",
    "contrib/games/e04.efg",
    "contrib/games/bhg1.efg",
    "contrib/games/cent2.efg",
]


@pytest.mark.parametrize("rel", ORACLE_GAMES)
def test_pure_equilibria_agree_with_pygambit(rel: str) -> None:
    from fractions import Fraction

    from solver.equilibria.sequential import solve_tree

    f = SHARED / rel
    if not f.exists():
        pytest.skip(f"{rel} not in the corpus")
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(f)], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.skip("pygambit timed out")
    if proc.returncode != 0:
        pytest.skip("pygambit unavailable")
    theirs = {tuple(Fraction(x) for x in row) for row in json.loads(proc.stdout)}
    r = solve_tree(load(str(f)), nash="pure")
    ours = {tuple(Fraction(v) for v in e.values) for e in r.equilibria if e.is_pure}
    assert ours == theirs
