"""Gambit .efg files: the corpus parses, round trips, loads as a model; errors name the line."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from oracle import CHILD_PRELUDE, run_child

from solver.core.errors import ModelError
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
    from solver.core.symbolic import evaluate
    from solver.render import text as render

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


_CHILD = (
    CHILD_PRELUDE
    + r"""
import json
g = gbt.read_efg(sys.argv[1])
res = gbt.nash.enumpure_solve(g)
payoffs = {tuple(str(gc.profile_payoff(eq, p)) for p in gc.players(g)) for eq in gc.equilibria(res)}
print(json.dumps(sorted(payoffs)))
"""
)

ORACLE_GAMES = [
    "doc/poker.efg",
    "contrib/games/e04.efg",
    "contrib/games/bhg1.efg",
    "contrib/games/cent2.efg",
]


@pytest.mark.parametrize("rel", ORACLE_GAMES)
def test_pure_equilibria_agree_with_pygambit(rel: str) -> None:
    from fractions import Fraction

    from solver.equilibria.trees.sequential import solve_tree

    f = SHARED / rel
    if not f.exists():
        pytest.skip(f"{rel} not in the corpus")
    out = run_child(_CHILD, str(f), timeout=30)
    theirs = {tuple(Fraction(x) for x in row) for row in json.loads(out)}
    r = solve_tree(load(str(f)), nash="pure")
    ours = {tuple(Fraction(v) for v in e.values) for e in r.equilibria if e.is_pure}
    assert ours == theirs


# --- the fast reader agrees with the checking reader -----------------------------------------


def _careful_tree(text: str, source: str = "<string>"):  # type: ignore[no-untyped-def]
    from solver.formats.efg import build_tree as build
    from solver.formats.efg import token_layout as careful

    return build(*careful(text, source), source)


def _same_everything(a, b) -> bool:  # type: ignore[no-untyped-def]
    return (a.players, a.title, a.nodes, a.infosets, a._parents) == (
        b.players,
        b.title,
        b.nodes,
        b.infosets,
        b._parents,
    )


def test_corpus_fast_and_careful_readers_agree(files: list[Path]) -> None:
    from solver.core.tree import Infoset, Node, validate
    from solver.formats.efg import pattern_layout as _fast
    from solver.formats.gambit_tokens import read_text

    for f in files:
        text = read_text(f)
        assert _fast(text) is not None, f"{f}: the fast reader handed over"
        tree = parse_efg(text, str(f))
        assert _same_everything(tree, _careful_tree(text, str(f))), f
        validate(tree, str(f))  # what the reader checks by hand, checked the long way
        # nodes and infosets built without __init__ are the same values as built with it
        assert all(Node(**vars(n)) == n and vars(Node(**vars(n))) == vars(n) for n in tree.nodes)
        assert all(Infoset(**vars(h)) == h for h in tree.infosets)


HEAD = 'EFG 2 R "g" { "A" "B" }\n""\n'
EDGE = [
    ("plain", HEAD + 'p "" 1 1 "" { "L" "R" } 0\nt "" 1 "" { 1, 2 }\nt "" 2 "" { 3 4 }'),
    ("escapes", HEAD + 'p "a\\"b" 1 1 "s\\\\" { "L\\"" "R" } 0\nt "" 1 "" { 1, 2 }\nt "" 0'),
    ("no-blanks", 'EFG 2 R"g"{"A""B"}p"x"1 1"s"{"L""R"}1"o"{1,2}t""1 t""2"o2"{0,0}'),
    ("glued-tokens", 'EFG 2 R"g"{"A""B"}p"x"1 1"s"{"L""R"}1"o"{1,2}t""1t""2"o2"{0,0}'),
    ("signs-and-zeros", HEAD + 'p "" +1 01 "" { "L" } 0 t "" 00 "" { -0 +3 }'),
    (
        "numbers",
        HEAD + 'c "" 1 "" { "h" 0.25 "t" 3/4 } 0 t "" 1 "" { 1e1, .5 } t "" 2 "" { 1/3 -2/6 }',
    ),
    ("inner-outcomes", HEAD + 'p "" 1 1 "" { "L" "R" } 1 "" { 1 1 } t "" 2 "" { 1 2 } t "" 1'),
    (
        "redefined-outcome",
        HEAD + 'p "" 1 1 "" { "L" "R" "M" } 0 t "" 1 "" { 1 1 } t "" 1 "" { 2 2 } t "" 1',
    ),
    (
        "set-reused",
        HEAD + 'p "" 1 1 "" { "L" "R" } 0 p "" 2 1 "" { "l" } 0 t "" 0 p "" 2 1 0 t "" 0',
    ),
    ("empty-labels", HEAD + 'p "" 1 1 "" { "" "" } 0 t "" 0 t "" 0'),
    ("duplicate-labels", HEAD + 'p "" 1 1 "" { "a2" "a" "a" } 0 t "" 0 t "" 0 t "" 0'),
    (
        "chance-bad-sum",
        HEAD + 'p "" 1 1 "" { "L" "R" } 0 t "" 0\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0 t "" 0 t "" 0',
    ),
    ("chance-negative", HEAD + 'c "" 1 "" { "h" 3/2 "t" -1/2 } 0 t "" 0 t "" 0'),
    ("empty-payoffs", HEAD + 'p "" 1 1 "" { "L" "R" } 0 t "" 1 "" { 1 2 }\nt "" 1 "" { }'),
    ("underscore", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { 1_0 2 }'),
    ("divide-by-zero", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { 1/0 2 }'),
    ("nbsp", HEAD + 'p "" 1 1 "" { "L" } 0\nt ""\xa01 "" { 1 2 }'),
    ("different-actions", HEAD + 'p "" 1 1 "" { "L" "R" } 0 p "" 1 1 "" { "L" } 0 t "" 0 t "" 0'),
    ("second-root", HEAD + 't "" 0\nt "" 0'),
    ("trailing-garbage", HEAD + 't "" 0\n}'),
    ("chance-with-player", HEAD + 'c "" 1 2 "" { "h" 1 } 0 t "" 0'),
    ("player-zero", HEAD + 'p "" 0 1 "" { "L" } 0 t "" 0'),
    ("no-players", 'EFG 2 R "g" { } t "" 0'),
    ("version-1", 'EFG 1 R "g" { "A" } t "" 0'),
]


@pytest.mark.parametrize("name,text", EDGE, ids=[e[0] for e in EDGE])
def test_fast_reader_matches_checking_reader(name: str, text: str) -> None:
    try:
        expected = _careful_tree(text, f"{name}.efg")
    except ModelError as exc:
        with pytest.raises(ModelError) as info:
            parse_efg(text, f"{name}.efg")
        assert str(info.value) == str(exc)
        return
    tree = parse_efg(text, f"{name}.efg")
    assert _same_everything(tree, expected)
    assert all(type(v) is Fraction for n in tree.nodes for v in n.payoffs + n.probs)


LINES = [
    ("bad-number", HEAD + 'p "" 1 1 "" { "L" } 0\n\nt "" 1 "" { 1x 2 }', "line 5"),
    ("zero-division", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 1 "" { 1/0 2 }', "line 4"),
    ("missing-outcome", HEAD + 'p "" 1 1 "" { "L" } 0\nt "" 7', "line 4"),
]


@pytest.mark.parametrize("name,text,line", LINES, ids=[e[0] for e in LINES])
def test_errors_name_the_line(name: str, text: str, line: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_efg(text, f"{name}.efg")
    assert line in str(info.value)
