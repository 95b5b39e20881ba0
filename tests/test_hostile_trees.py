"""Hostile game trees (issue 10): trees too large for the reduced normal form, deep chains,
``.efg`` files with no players or contradictory outcomes, colliding node names, chance
probabilities that go negative inside the parameter ranges or at the values used.

Every refusal is one ``redline:`` line on stderr naming the file, the key or limit and what is
wrong, exit code 1, no traceback, under the harness's memory limit and timeout.  Rows go
through the command line where the failure was a crash, a hang or a memory bomb; finer checks
run in-process (:func:`solver.formats.load`, :func:`solve_tree`), the same code and faster.
Trees that should work are solved and checked against the answer derived by hand.  A property
test feeds garbled ``.efg`` token streams to ``load``: a model or a :class:`RedlineError`,
never another exception.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hostile import assert_one_line_error, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.core.errors import ModelError, RedlineError
from solver.core.treeform import MAX_CELLS, normal_form, plan_count, reduced_plans
from solver.equilibria.trees.sequential import solve_tree
from solver.formats import load

HEAD = 'EFG 2 R "x" { "A" "B" }\n""\n'
TWO_LEAVES = 't "" 1 "" { 1, 2 }\nt "" 2 "" { 3, 4 }\n'
CHAIN = 5000


def centipede_efg(n: int) -> str:
    """A chain of ``n`` moves, A and B alternating: at move ``i`` the mover stops (mover
    ``i + 2``, other ``i``) or goes on; at the end both get ``n``.  By hand: the last mover
    stops (``n + 1 > n``), and so, one step up, does every mover (``i + 2`` beats the ``i + 1``
    that going on leaves it): the only SPE stops at once, payoffs (2, 0)."""
    lines = ['EFG 2 R "centipede" { "A" "B" }', '""']
    for i in range(n):
        pay = (i + 2, i) if i % 2 == 0 else (i, i + 2)
        lines.append(f'p "" {i % 2 + 1} {i + 1} "" {{ "stop" "go" }} 0')
        lines.append(f't "" {i + 1} "" {{ {pay[0]}, {pay[1]} }}')
    lines.append(f't "" {n + 1} "" {{ {n}, {n} }}')
    return "\n".join(lines) + "\n"


def centipede_toml(n: int) -> str:
    """:func:`centipede_efg` as a model file (inline leaves for the stops)."""
    lines = ["[model]", 'name = "centipede"', 'kind = "sequential"', "[tree]", 'players = ["A", "B"]', 'root = "n0"']
    for i in range(n):
        pay = (i + 2, i) if i % 2 == 0 else (i, i + 2)
        nxt = f"n{i + 1}" if i + 1 < n else "end"
        lines += [
            f"[nodes.n{i}]",
            f'player = "{"AB"[i % 2]}"',
            f'actions = {{ stop = [{pay[0]}, {pay[1]}], go = "{nxt}" }}',
        ]
    lines += ["[nodes.end]", f"payoffs = [{n}, {n}]"]
    return "\n".join(lines) + "\n"


def binary_efg(depth: int, forgetful_b: bool = False) -> str:
    """A complete binary tree, A and B alternating by level (``2^(depth+1) - 1`` nodes).  With
    ``forgetful_b`` B sees only its own earlier moves (one set per level and own history):
    perfect recall, no perfect information, and a reduced normal form far over the limit."""
    lines = [HEAD.rstrip("\n")]
    sets: dict[tuple[int, object], int] = {}
    count = [0, 0]
    leaves = 0
    stack: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = [(0, (), ())]
    while stack:
        d, path, own_b = stack.pop()
        if d == depth:
            leaves += 1
            lines.append(f't "" {leaves} "" {{ {leaves % 7}, {leaves % 5} }}')
            continue
        who = d % 2
        key: tuple[int, object] = (d, own_b) if who == 1 and forgetful_b else (d, path)
        if key not in sets:
            count[who] += 1
            sets[key] = count[who]
            lines.append(f'p "" {who + 1} {sets[key]} "" {{ "a" "b" }} 0')
        else:
            lines.append(f'p "" {who + 1} {sets[key]} 0')
        for a in (1, 0):
            stack.append((d + 1, (*path, a), (*own_b, a) if who == 1 else own_b))
    return "\n".join(lines) + "\n"


def tree_toml(nodes: str, params: str = "", players: str = '"A"', root: str = "b") -> str:
    head = f'[model]\nname = "t"\nkind = "sequential"\n{params}[tree]\nplayers = [{players}]\nroot = "{root}"\n'
    return head + nodes


P_RANGE = '[parameters]\np = { value = 0, range = [0, 1], doc = "a probability" }\n'


def chance_toml(heads: str, tails: str) -> str:
    nodes = (
        f'[nodes.b]\nchance = {{ H = ["{heads}", "x"], T = ["{tails}", "y"] }}\n'
        '[nodes.x]\nplayer = "A"\nactions = { L = [1], R = [0] }\n[nodes.y]\npayoffs = [2]\n'
    )
    return tree_toml(nodes, P_RANGE)


# --- refused, in-process: one ModelError naming the key --------------------------------------
REFUSED = [
    pytest.param("z.efg", 'EFG 2 R "x" { }\nt "" 1 "o" { 1 }\n', ("no players",), id="efg-zero-players"),
    pytest.param(
        "z.efg", 'EFG 2 R "x" { }\n""\np "" 1 1 "" { "a" } 0\nt "" 1 "" { }\n', ("no players",), id="efg-zero-players-p"
    ),
    pytest.param(
        "m.efg",
        'EFG 2 R "x" { ' + " ".join(f'"P{i}"' for i in range(70)) + " }\n" + 't "" 1 "" { ' + "1 " * 70 + "}\n",
        ("line 1", "70 players", "limit of 20"),
        id="efg-too-many-players",
    ),
    pytest.param(
        "m.toml",
        tree_toml("[nodes.b]\npayoffs = [" + "1, " * 70 + "]\n", players=", ".join(f'"P{i}"' for i in range(70))),
        ("tree.players", "70 players", "limit of 20"),
        id="toml-too-many-players",
    ),
    pytest.param(
        "d.efg",
        HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1, 2 }\nt "" 1 "" { 3, 4 }\n',
        ("line 5", "outcome 1", "other payoffs"),
        id="efg-outcome-two-payoffs",
    ),
    pytest.param(
        "d.efg",
        HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { 1, 2 }\nt "" 1 "" { 1 3 }\n',
        ("outcome 1", "other payoffs"),
        id="efg-outcome-two-payoffs-tokens",
    ),
    pytest.param(
        "p.efg", HEAD + 'p "" 3 1 "" { "a" "b" } 0\n' + TWO_LEAVES, ("player 3 does not exist",), id="efg-player-3"
    ),
    pytest.param(
        "p.efg", HEAD + 'p "" 0 1 "" { "a" "b" } 0\n' + TWO_LEAVES, ("player 0 does not exist",), id="efg-player-0"
    ),
    pytest.param(
        "c.efg", HEAD + 'c "" 1 "" { "a" 1/2 "b" 1/3 } 0\n' + TWO_LEAVES, ("node 1", "sum to 5/6"), id="efg-chance-sum"
    ),
    pytest.param(
        "c.efg",
        HEAD + 'c "" 1 "" { "a" -1/2 "b" 3/2 } 0\n' + TWO_LEAVES,
        ("node 1", "negative chance probability -1/2"),
        id="efg-chance-negative",
    ),
    pytest.param("e.efg", HEAD + 'p "" 1 1 "" { } 0\n', ("at least one action",), id="efg-empty-actions"),
    pytest.param(
        "m.efg",
        HEAD
        + 'p "" 1 1 "" { "a" "b" } 0\np "" 2 1 "" { "x" "y" } 0\n'
        + TWO_LEAVES
        + 'p "" 2 1 "" { "x" "y" "z" } 0\nt "" 3 "" { 1, 2 }\nt "" 4 "" { 3, 4 }\nt "" 5 "" { 3, 4 }\n',
        ("line 7", "information set 1", "different actions"),
        id="efg-set-action-count",
    ),
    pytest.param(
        "m.efg",
        HEAD
        + 'p "" 1 1 "" { "a" "b" } 0\np "" 2 1 "" { "x" "y" } 0\n'
        + TWO_LEAVES
        + 'p "" 2 1 "" { "x" "w" } 0\nt "" 3 "" { 1, 2 }\nt "" 4 "" { 3, 4 }\n',
        ("information set 1", "different actions"),
        id="efg-set-action-labels",
    ),
    pytest.param(
        "x.efg",
        HEAD + 'p "" 1 1 "" { "a" "b" } 0\n' + TWO_LEAVES + 't "" 3 "" { 3, 4 }\n',
        ("second root",),
        id="efg-extra-node",
    ),
    pytest.param(
        "c.toml",
        tree_toml('[nodes.b]\nplayer = "A"\nactions = { l = [1], r = "b.l" }\n[nodes."b.l"]\npayoffs = [5]\n'),
        ("nodes.b.actions.l", "'b.l'", 'nodes."b.l"', "collides"),
        id="toml-inline-leaf-name-collision",
    ),
    pytest.param(
        "c.toml",
        tree_toml('[nodes."b.l"]\npayoffs = [5]\n[nodes.b]\nplayer = "A"\nactions = { l = [1], r = "b.l" }\n'),
        ("nodes.b.actions.l", "collides"),
        id="toml-inline-leaf-name-collision-before",
    ),
    pytest.param(
        "s.toml",
        tree_toml('[nodes.b]\nplayer = "A"\nactions = { l = [1], r = "b" }\n'),
        ("nodes.b", "cycle: b -> b"),
        id="toml-self",
    ),
    pytest.param(
        "s.toml",
        tree_toml(
            '[nodes.b]\nplayer = "A"\nactions = { l = [1], r = "q" }\n[nodes.q]\nplayer = "A"\nactions = { x = "b" }\n'
        ),
        ("cycle: b -> q -> b",),
        id="toml-cycle",
    ),
    pytest.param(
        "u.toml",
        tree_toml('[nodes.b]\nplayer = "A"\nactions = { l = [1], r = [2] }\n[nodes.q]\npayoffs = [2]\n'),
        ("nodes.q", "not reachable"),
        id="toml-unreachable",
    ),
    pytest.param(
        "n.toml",
        chance_toml("p - 0.2", "1.2 - p"),
        ("nodes.b", "'H'", "-1/5 at p=0", "negative"),
        id="toml-chance-affine-negative",
    ),
    pytest.param(
        "n.toml",
        chance_toml("(p - 1/2)**2 - 1/100", "101/100 - (p - 1/2)**2"),
        ("nodes.b", "'H'", "-1/100 at p=1/2", "inside the declared parameter ranges"),
        id="toml-chance-negative-inside-range-only",
    ),
    pytest.param(
        "n.toml",
        chance_toml("p*p - p + 0.2", "0.8 + p - p*p"),
        ("nodes.b", "'H'", "p=1/2", "negative"),
        id="toml-chance-quadratic-critical-point",
    ),
    pytest.param("n.toml", chance_toml("p", "1 - p - 0.1"), ("nodes.b", "not 1"), id="toml-chance-sum"),
]


@pytest.mark.parametrize(("name", "text", "needles"), REFUSED)
def test_refused_in_process(tmp_path: Path, name: str, text: str, needles: tuple[str, ...]) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ModelError) as info:
        load(str(path))
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    for needle in needles:
        assert needle in message, message


def test_long_labels_are_read(tmp_path: Path) -> None:
    big = "x" * 100_000
    path = tmp_path / "long.efg"
    path.write_text(f'EFG 2 R "{big}" {{ "A" "B" }}\n""\np "{big}" 1 1 "{big}" {{ "{big}" "b" }} 0\n{TWO_LEAVES}')
    model = load(str(path))
    assert model.tree is not None and model.tree.infosets[0].actions[0] == big


# --- values set at solve time -----------------------------------------------------------------
def test_forced_value_makes_chance_negative(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text(chance_toml("p", "1 - p"))
    model = load(str(path))
    with pytest.raises(RedlineError, match="outside its declared range"):
        solve_tree(model, {"p": Fraction(3, 2)})
    with pytest.raises(ModelError) as info:
        solve_tree(model, {"p": Fraction(3, 2)}, check_range=False)
    assert str(info.value) == f"{path}: nodes.b: chance probability of 'T' is -1/2 at these parameter values: negative"


# --- size: counted before anything is built -----------------------------------------------------
def test_plan_count_agrees_with_enumeration() -> None:
    from solver.formats.efg import parse_efg

    for text in (binary_efg(4), binary_efg(5, forgetful_b=True), centipede_efg(9)):
        tree = parse_efg(text)
        for i in range(2):
            count, exact = plan_count(tree, i)
            assert exact and count == len(reduced_plans(tree, i))


def test_huge_normal_form_refused_at_once() -> None:
    from solver.formats.efg import parse_efg

    tree = parse_efg(binary_efg(10))  # 2047 nodes, 341 + 682 sets: 2^(...) profiles
    with pytest.raises(ModelError, match=f"more than the limit of {MAX_CELLS:,} payoff cells"):
        normal_form(tree)


# --- through the command line: crashes, hangs and memory bombs before ---------------------------
def _spe_path(stdout: str) -> tuple[list[str], dict[str, str]]:
    doc = json.loads(stdout)
    spe = [e for e in doc["equilibria"] if e.get("subgame_perfect")]
    assert len(spe) == 1
    return spe[0]["path"], spe[0]["payoffs_exact"]


CLI_WORKS: list[object] = [
    pytest.param("chain.efg", centipede_efg, ("solve", "--format", "json"), id="solve-efg-chain-5000"),
    pytest.param("chain.toml", centipede_toml, ("solve", "--format", "json"), id="solve-toml-chain-5000"),
    pytest.param("chain.efg", centipede_efg, ("credibility",), id="credibility-efg-chain-5000"),
]


@pytest.mark.parametrize(("name", "make", "command"), CLI_WORKS)
def test_deep_chain_solves(tmp_path: Path, name: str, make: Callable[[int], str], command: tuple[str, ...]) -> None:
    (tmp_path / name).write_text(make(CHAIN))
    out = run_cli(command[0], name, *command[1:], cwd=tmp_path)
    assert out.code == 0 and "Traceback" not in out.stderr, out.stderr
    if command[0] == "solve":
        path, payoffs = _spe_path(out.stdout)
        assert path == ["stop"] and payoffs == {"A": "2", "B": "0"}


@pytest.mark.parametrize("command", ["solve", "credibility"])
def test_imperfect_information_too_large_refused(tmp_path: Path, command: str) -> None:
    (tmp_path / "wide.efg").write_text(binary_efg(10, forgetful_b=True))
    out = run_cli(command, "wide.efg", cwd=tmp_path, timeout=30)
    assert_one_line_error(out, "wide.efg", "strategy profiles", f"more than the limit of {MAX_CELLS:,} payoff cells")


def test_zero_players_cli(tmp_path: Path) -> None:
    (tmp_path / "zero.efg").write_text('EFG 2 R "x" { }\nt "" 1 "o" { 1 }\n')
    assert_one_line_error(run_cli("solve", "zero.efg", cwd=tmp_path), "zero.efg", "line 1", "no players")


# --- property: garbled .efg text ------------------------------------------------------------------
TOKENS = [
    "EFG",
    "2",
    "R",
    "D",
    '"x"',
    '""',
    '"A"',
    '"B"',
    "{",
    "}",
    "p",
    "c",
    "t",
    "0",
    "1",
    "2",
    "3",
    "-1",
    "1/2",
    "1/0",
    "0.5",
    "1e9",
    "99999999999999999999",
    ",",
    '"a\\"b"',
    "\n",
    "#",
    "-",
    "/",
]
PREFIX = 'EFG 2 R "g" { "A" "B" } ""\n'


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.booleans(), st.lists(st.sampled_from(TOKENS), max_size=60))
def test_garbled_efg_is_a_model_or_a_redline_error(tmp_path: Path, prefixed: bool, tokens: list[str]) -> None:
    path = tmp_path / "g.efg"
    path.write_text((PREFIX if prefixed else "") + " ".join(tokens))
    with contextlib.suppress(RedlineError):
        load(str(path))


def test_listed_spe_judge_as_the_subgame_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``SUBGAME_CHECKS`` subgames the listed SPE decide subgame perfection: the verdicts
    of one reduced normal form per subgame where those decide, and never undecided."""
    from solver.equilibria.trees import sequential

    n = 12
    path = tmp_path / "c.efg"  # a trust chain: stopping gives the mover 1, the other 0; the end 2 each
    text = centipede_efg(n)
    for i in range(n):
        pay = (i + 2, i) if i % 2 == 0 else (i, i + 2)
        text = text.replace(f"{{ {pay[0]}, {pay[1]} }}", "{ 1, 0 }" if i % 2 == 0 else "{ 0, 1 }", 1)
    path.write_text(text.replace(f"{{ {n}, {n} }}", "{ 2, 2 }"))
    model = load(str(path))

    def verdicts(threshold: int) -> list[tuple[str, object]]:
        monkeypatch.setattr(sequential, "SUBGAME_CHECKS", threshold)
        return sorted((e.describe(), e.extra["subgame_perfect"]) for e in solve_tree(model).equilibria)

    fast, slow = verdicts(0), verdicts(10**9)  # slow: undecided past 256 completions
    assert [e for e, _ in fast] == [e for e, _ in slow] and len(fast) > 2
    assert all(a == b for (_, a), (_, b) in zip(fast, slow, strict=True) if b is not None)
    assert [spe for _, spe in fast].count(True) == 1 and None not in [spe for _, spe in fast]
