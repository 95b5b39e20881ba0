"""Game trees solved as trees (issue 11): Kuhn poker by the sequence-form LP through the solve
entry point, a generated 100,000-node perfect-information tree against an independent backward
walk written here, every SPE of a small tree with ties against brute force over all pure
profiles, and syria_resolve's thresholds and sensitivity unchanged by the faster paths (the
answers recorded before the change).  Nothing here is timed."""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from solver.analysis.sensitivity import sensitivity
from solver.analysis.thresholds import thresholds
from solver.cli import app
from solver.core.tree import Tree
from solver.equilibria.trees.sequential import credible_solve, solve_numeric_tree, solve_tree
from solver.formats import load
from solver.formats.efg import parse_efg

KUHN = Path(__file__).parent / "data" / "efg" / "kuhn_poker.efg"


def random_pi_efg(leaves: int, seed: int, values: int | None = None) -> str:
    """A random binary perfect-information tree with ``leaves`` leaves (``2 * leaves - 1``
    nodes), two players alternating by depth, unique labels; payoffs distinct (``values``
    None) or drawn from ``range(values)`` (ties).  Written iteratively, prefix order."""
    rng = random.Random(seed)
    pool = list(range(1, 2 * leaves + 1))
    rng.shuffle(pool)
    out = ['EFG 2 R "random" { "A" "B" }', '""', ""]
    stack = [(leaves, 0)]
    sets = outs = 0
    while stack:
        n, depth = stack.pop()
        if n == 1:
            outs += 1
            if values is None:
                a, b = pool[2 * outs - 2], pool[2 * outs - 1]
            else:
                a, b = rng.randrange(values), rng.randrange(values)
            out.append(f't "" {outs} "" {{ {a}, {b} }}')
            continue
        sets += 1
        k = rng.randint(1, n - 1)
        out.append(f'p "" {depth % 2 + 1} {sets} "s{sets}" {{ "L{sets}" "R{sets}" }} 0')
        stack.append((n - k, depth + 1))
        stack.append((k, depth + 1))
    return "\n".join(out) + "\n"


def backward_walk(tree: Tree) -> tuple[tuple[Any, ...], list[str]]:
    """The unique SPE of a tree with distinct payoffs, by an explicit post-order walk (no
    arrays, no kernel): (payoffs, action labels along the path of play)."""
    value: dict[int, tuple[Any, ...]] = {}
    best: dict[int, int] = {}
    stack = [(0, False)]
    while stack:
        n, done = stack.pop()
        node = tree.nodes[n]
        if not node.children:
            value[n] = tuple(node.payoffs)
        elif done:
            a = max(range(len(node.children)), key=lambda a: value[node.children[a]][node.player])
            best[n], value[n] = a, value[node.children[a]]
        else:
            stack.append((n, True))
            stack.extend((c, False) for c in node.children)
    path, n = [], 0
    while tree.nodes[n].children:
        path.append(tree.infosets[tree.nodes[n].infoset].actions[best[n]])
        n = tree.nodes[n].children[best[n]]
    return value[0], path


def brute_force_spe(tree: Tree) -> set[tuple[int, ...]]:
    """Every pure SPE of a small perfect-information tree: each profile of actions (one per
    decision node) kept when every mover's action is optimal given the profile below it."""
    movers = [k for k, node in enumerate(tree.nodes) if node.children]
    found = set()
    for profile in itertools.product(*(range(len(tree.nodes[k].children)) for k in movers)):
        choice = dict(zip(movers, profile, strict=True))
        value: dict[int, tuple[Any, ...]] = {}
        ok = True
        for n in range(len(tree.nodes) - 1, -1, -1):  # children follow their parent
            node = tree.nodes[n]
            if not node.children:
                value[n] = tuple(node.payoffs)
                continue
            mine = [value[c][node.player] for c in node.children]
            ok = ok and mine[choice[n]] == max(mine)
            value[n] = value[node.children[choice[n]]]
        if ok:
            found.add(tuple(profile))
    return found


def test_kuhn_poker_value_through_solve() -> None:
    res = solve_tree(load(str(KUHN)))
    # Kuhn (1950): value -1/18; the first player's equilibrium strategies form a segment (a Jack
    # bet with probability 0 to 1/3), the second player's is unique: two extreme equilibria
    assert [e.values for e in res.equilibria] == [(Fraction(-1, 18), Fraction(1, 18))] * 2
    assert "sequence-form vertex enumeration" in res.method and res.complete is True
    assert any("value to Player 1 is -1/18" in note and "exact" in note for note in res.notes)


def test_kuhn_poker_value_through_the_cli() -> None:
    out = CliRunner().invoke(app, ["solve", str(KUHN), "--nash", "all", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["complete"] is True
    assert [e["payoffs_exact"] for e in doc["equilibria"]] == [{"Player 1": "-1/18", "Player 2": "1/18"}] * 2


def test_large_perfect_information_tree_against_a_walk() -> None:
    tree = parse_efg(random_pi_efg(50_000, seed=11))  # 99,999 nodes
    res = solve_numeric_tree(tree)
    payoffs, path = backward_walk(tree)
    assert len(res.equilibria) == 1 and res.complete is False  # every SPE, not every Nash equilibrium
    (e,) = res.equilibria
    assert e.extra["subgame_perfect"] is True and e.values == payoffs and e.extra["path"] == path


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"ties-{s}") for s in range(4)])
def test_every_spe_with_ties_against_brute_force(seed: int) -> None:
    tree = parse_efg(random_pi_efg(9, seed=seed, values=3))  # 8 decision nodes, many ties
    res = solve_numeric_tree(tree)
    movers = [k for k, node in enumerate(tree.nodes) if node.children]
    got = set()
    for e in res.equilibria:
        if e.extra.get("subgame_perfect"):
            beh = e.extra["behaviour"]
            moves = []
            for k in movers:
                info = tree.infosets[tree.nodes[k].infoset]
                probs = beh[tree.players[info.player]][info.label]
                moves.append([probs[a] for a in info.actions].index(1))
            got.add(tuple(moves))
    assert got == brute_force_spe(tree)


def _both(iran: str, israel: str, resolute: str = "Acquiesce") -> str:
    return (
        f"PBE Irresolute -> {iran} -> {israel} -> Acquiesce | Resolute -> {iran} -> {israel} -> {resolute}"
    )


E, R, S = _both("Entrench", "Tolerate"), _both("Restrain", "Tolerate"), _both("Entrench", "Strike", "Confront")
#: recorded before the change (redline thresholds syria_resolve --vary ... -f json): value, before,
#: after; each red line once (the tie band at it, where both sides' equilibria hold, is its ``at``),
#: and none at the range's ends (p_resolute = 0 or 1 removes a type: a tie there, not a red line)
SYRIA_THRESHOLDS = {
    "p_resolute": [("~0.25", R, E)],
    "iran_cost": [("~10", E, f"{S} + {R}")],
}
SYRIA_AT = {"p_resolute": [f"{E} + {R}"], "iran_cost": [f"{S} + {E} + {R}"]}


@pytest.mark.parametrize("parameter", [pytest.param(p, id=f"syria-{p}") for p in SYRIA_THRESHOLDS])
def test_syria_resolve_thresholds_unchanged(parameter: str) -> None:
    found = thresholds(load("syria_resolve"), parameter)
    assert [(t.exact_string, t.before, t.after) for t in found] == SYRIA_THRESHOLDS[parameter]
    assert [t.at for t in found] == SYRIA_AT[parameter]


def test_syria_resolve_sensitivity_unchanged() -> None:
    s = sensitivity(load("syria_resolve"), margins=False)
    assert s.signature == E
    assert len(s.equilibria) == 176 and all(e.method == "closed form" for e in s.equilibria)
    first = s.equilibria[0]
    assert first.description.startswith("pure (Restrain, Tolerate/Strike, Acquiesce/Confront/")
    assert first.derivatives["deal_value"]["payoffs"] == [0, 1, 0]  # Israel's payoff moves with the deal
    assert first.derivatives["tech_value"]["payoffs"] == [0, 0, 1]


def test_credible_solve_keeps_the_signature() -> None:
    from solver.equilibria.trees.paths import tree_signature

    model = load("syria_resolve")
    full, fast = solve_tree(model), credible_solve(model, model.values(None))
    assert tree_signature(full) == tree_signature(fast)
    assert len(fast.equilibria) < len(full.equilibria)
