"""The layout and the play of a game tree for :func:`solver.render.tree_svg.tree_svg`: each
node's depth and row (leaves one row each in prefix order, inner nodes centred over their
children, as Gambit draws trees), each action's probability under a behaviour profile (Kuhn
1953), and which nodes are reached with positive probability.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("A",), "a", {"a": decision("A", {"L": "l", "R": "r"}), "l": leaf((1,)), "r": leaf((0,))})
>>> layout(t), reach(t, probabilities(t, {"A": {"a": {"L": 1, "R": 0}}}))
(([0, 1, 1], [0.5, 0, 1]), [True, True, False])
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.tree import Tree

#: player -> information-set label -> action -> probability (``Equilibrium.extra["behaviour"]``)
Behaviour = Mapping[str, Mapping[str, Mapping[str, Any]]]


def as_fraction(p: Any) -> Fraction | float:
    if isinstance(p, (Fraction, int)):
        return Fraction(p)
    if isinstance(p, str):
        return Fraction(p)
    return float(p)


def probabilities(tree: Tree, behaviour: Behaviour | None) -> dict[int, list[Any]]:
    """Node -> the probability of each of its actions: chance nodes from the tree, decision
    nodes from ``behaviour`` (by the information set's label); nodes with no entry are absent."""
    out: dict[int, list[Any]] = {}
    by_label: dict[str, Mapping[str, Any]] = {}
    for rows in (behaviour or {}).values():
        by_label.update(rows)
    for k, node in enumerate(tree.nodes):
        if node.is_chance and node.probs:
            out[k] = list(node.probs)
        elif node.infoset >= 0 and not node.is_terminal:
            row = by_label.get(tree.infosets[node.infoset].label)
            if row is not None:
                out[k] = [as_fraction(row.get(a, 0)) for a in tree.actions(k)]
    return out


def reach(tree: Tree, probs: dict[int, list[Any]]) -> list[bool]:
    """Whether each node is reached with positive probability (prefix order: parents first).
    A chance probability that is a formula counts as positive."""
    reached = [False] * len(tree.nodes)
    reached[0] = True
    for k, node in enumerate(tree.nodes):
        p = probs.get(k)
        for a, c in enumerate(node.children):
            reached[c] = reached[k] and p is not None and positive(p[a])
    return reached


def positive(p: Any) -> bool:
    try:
        return bool(p > 0)
    except TypeError:  # a symbolic probability: it may be positive
        return True


def layout(tree: Tree) -> tuple[list[int], list[float]]:
    """(depth, row) per node: leaves in prefix order one row each, inner nodes centred."""
    n = len(tree.nodes)
    depth = [0] * n
    for k, node in enumerate(tree.nodes):
        for c in node.children:
            depth[c] = depth[k] + 1
    row = [0.0] * n
    nxt = 0
    for k, node in enumerate(tree.nodes):
        if node.is_terminal or not node.children:
            row[k] = nxt
            nxt += 1
    for k in range(n - 1, -1, -1):
        kids = tree.nodes[k].children
        if kids:
            row[k] = (row[kids[0]] + row[kids[-1]]) / 2
    return depth, row
