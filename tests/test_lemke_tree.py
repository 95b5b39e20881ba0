"""One equilibrium of general-sum two-player trees by Lemke on the sequence form, checked by
brute force written here (every pure strategy of each player, evaluated by walking the tree)
and by Kuhn poker's known value."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from test_sequence_form import poker_like

from solver.core.tree import Tree
from solver.equilibria.trees.lemke import lemke_tree
from solver.formats.efg import parse_efg, read_efg

DATA = Path(__file__).parent / "data" / "efg"


def general_sum(seed: int) -> Tree:
    """A poker-like tree whose second payoff is drawn independently (general-sum)."""
    rng = random.Random(1000 + seed)
    lines = []
    for line in poker_like(seed).splitlines():
        if line.startswith("t "):
            head, first = line[: line.index("{")], line[line.index("{") + 1 :].split(",")[0]
            line = f"{head}{{ {first.strip()}, {rng.randint(-5, 5)} }}"
        lines.append(line)
    return parse_efg("\n".join(lines) + "\n")


def value(tree: Tree, strategy: dict[int, tuple[Any, ...]], player: int) -> Fraction:
    """``player``'s expected payoff when every information set plays ``strategy`` (a plain
    walk over the nodes with the reach probability)."""
    total = Fraction(0)
    stack = [(0, Fraction(1))]
    while stack:
        n, p = stack.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            total += p * Fraction(node.payoffs[player])
        elif node.is_chance:
            stack.extend((c, p * Fraction(q)) for c, q in zip(node.children, node.probs, strict=True))
        else:
            probs = strategy[node.infoset]
            stack.extend((c, p * Fraction(q)) for c, q in zip(node.children, probs, strict=True) if q)
    return total


def best_pure(tree: Tree, profile: dict[int, tuple[Any, ...]], player: int) -> Fraction:
    """The best payoff ``player`` gets by any pure strategy against ``profile`` (exhaustive)."""
    own = [h for h, info in enumerate(tree.infosets) if info.player == player]
    best = None
    for choice in itertools.product(*(range(len(tree.infosets[h].actions)) for h in own)):
        trial = dict(profile)
        for h, a in zip(own, choice, strict=True):
            k = len(tree.infosets[h].actions)
            trial[h] = tuple(Fraction(int(j == a)) for j in range(k))
        v = value(tree, trial, player)
        best = v if best is None or v > best else best
    assert best is not None
    return best


def test_kuhn_poker_equilibrium_value() -> None:
    eq = lemke_tree(read_efg(DATA / "kuhn_poker.efg"))
    assert eq.payoffs == (Fraction(-1, 18), Fraction(1, 18))  # Kuhn (1950)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"general-sum-{s}") for s in range(12)])
def test_lemke_finds_an_exact_equilibrium(seed: int) -> None:
    tree = general_sum(seed)
    eq = lemke_tree(tree)
    profile = {**eq.behaviour[0], **eq.behaviour[1]}
    for player in (0, 1):
        got = value(tree, profile, player)
        assert got == eq.payoffs[player]
        assert best_pure(tree, profile, player) == got  # regret exactly zero


def test_affine_payoff_change_keeps_the_equilibrium() -> None:
    """Doubling player 1's payoffs and adding 7 changes no best reply (Nash 1951)."""
    tree = general_sum(3)
    from solver.core.tree import Node

    nodes = tuple(
        Node(n.name, n.player, n.infoset, n.children, n.probs, (2 * n.payoffs[0] + 7, n.payoffs[1]))
        if n.is_terminal
        else n
        for n in tree.nodes
    )
    moved = Tree(tree.players, nodes, tree.infosets, tree.title)
    eq = lemke_tree(moved)
    profile = {**eq.behaviour[0], **eq.behaviour[1]}
    for player in (0, 1):
        assert best_pure(moved, profile, player) == value(moved, profile, player)


def test_lemke_stops_when_the_budget_is_spent() -> None:
    import threading

    from solver.core.budget import Budget
    from solver.core.errors import SolverError

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SolverError, match="time budget ran out during Lemke"):
        lemke_tree(read_efg(DATA / "kuhn_poker.efg"), Budget.start(None, cancel=cancel))
