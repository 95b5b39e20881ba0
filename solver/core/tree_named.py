"""Building a game tree from named nodes, as a model file writes them (``[nodes.NAME]`` tables).

A model names each node and each action's target node; :func:`from_named` lays the nodes out in
prefix order (the order of a Gambit ``.efg`` file, Gambit documentation, "The extensive game
(.efg) file format"), checks the graph is a tree rooted at ``root`` (no cycle, one parent per
node, every node reachable), gathers information sets (a node's own, or the ``infoset`` it
names; Kuhn 1953) and runs :func:`~solver.core.tree_check.validate`.

>>> t = from_named(("Entrant", "Incumbent"), "entrant", {
...     "entrant": decision("Entrant", {"Out": "out", "In": "inc"}),
...     "inc": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
...     "out": leaf((1, 5)), "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> [n.name for n in t.nodes], t.perfect_information
(['entrant', 'out', 'inc', 'f', 'a'], True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from solver.core.errors import ModelError
from solver.core.tree_check import validate
from solver.core.tree_value import CHANCE, TERMINAL, Infoset, Node, Tree


@dataclass(frozen=True)
class Spec:
    """A node as a model file names it; ``targets`` are node names, one per action."""

    player: str | None
    actions: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    probs: tuple[Any, ...] = ()
    payoffs: tuple[Any, ...] = ()
    infoset: str = ""


def decision(player: str, actions: Mapping[str, str], infoset: str = "") -> Spec:
    return Spec(player, tuple(actions), tuple(actions.values()), infoset=infoset)


def chance(branches: Mapping[str, tuple[Any, str]]) -> Spec:
    return Spec(
        None,
        tuple(branches),
        tuple(t for _, t in branches.values()),
        tuple(p for p, _ in branches.values()),
    )


def leaf(payoffs: Sequence[Any]) -> Spec:
    return Spec(None, payoffs=tuple(payoffs))


def from_named(
    players: Sequence[str],
    root: str,
    specs: Mapping[str, Spec],
    *,
    title: str = "",
    source: str | None = None,
    symbolic: bool = False,
    parameters: Iterable[Any] = (),
) -> Tree:
    """Lay out named nodes in prefix order, checking the graph is a tree rooted at ``root``."""
    players = tuple(players)
    if root not in specs:
        raise ModelError(f"root node {root!r} is not defined", source=source, key="tree.root")
    order: list[str] = []
    index: dict[str, int] = {}
    stack: list[tuple[str, str | None, int]] = [(root, None, 0)]
    on_path: list[str] = []
    while stack:
        name, parent, depth = stack.pop()
        del on_path[depth:]
        if name in on_path:
            raise ModelError(
                f"cycle: {' -> '.join([*on_path[on_path.index(name) :], name])}",
                source=source,
                key=f"nodes.{parent}",
            )
        if name in index:
            raise ModelError(
                f"node {name!r} is reached twice (from {parent!r} and earlier): a tree node "
                "has one parent",
                source=source,
                key=f"nodes.{parent}",
            )
        if name not in specs:
            raise ModelError(
                f"action leads to undefined node {name!r}", source=source, key=f"nodes.{parent}"
            )
        index[name] = len(order)
        order.append(name)
        on_path.append(name)
        spec = specs[name]
        for t in reversed(spec.targets):
            stack.append((t, name, depth + 1))
    unreachable = [n for n in specs if n not in index]
    if unreachable:
        raise ModelError(
            f"not reachable from the root {root!r}", source=source, key=f"nodes.{unreachable[0]}"
        )
    nodes: list[Node] = []
    sets: dict[str, tuple[int, str, tuple[str, ...], list[int]]] = {}
    number: dict[str, int] = {}  # each set's position in ``sets``
    for k, name in enumerate(order):
        spec = specs[name]
        children = tuple(index[t] for t in spec.targets)
        if spec.payoffs:
            if len(spec.payoffs) != len(players):
                raise ModelError(
                    f"expected {len(players)} payoffs ({', '.join(players)})",
                    source=source,
                    key=f"nodes.{name}",
                )
            nodes.append(Node(name, TERMINAL, -1, (), (), tuple(spec.payoffs)))
            continue
        if not spec.actions:
            raise ModelError(
                "a node needs actions (a decision), chance branches, or payoffs (a leaf)",
                source=source,
                key=f"nodes.{name}",
            )
        if spec.probs:
            key, who = f"chance:{name}", CHANCE
        else:
            if spec.player not in players:
                raise ModelError(
                    f"unknown player {spec.player!r} (players: {', '.join(players)})",
                    source=source,
                    key=f"nodes.{name}",
                )
            key, who = spec.infoset or name, players.index(spec.player)
        if key in sets:
            p0, first, acts, members = sets[key]
            if p0 != who:
                raise ModelError(
                    f"information set {key!r} joins nodes of different players "
                    f"({players[p0]} at {first!r})",
                    source=source,
                    key=f"nodes.{name}",
                )
            if acts != spec.actions:
                raise ModelError(
                    f"information set {key!r} joins nodes with different actions "
                    f"({', '.join(acts)} at {first!r})",
                    source=source,
                    key=f"nodes.{name}",
                )
            members.append(k)
        else:
            number[key] = len(sets)
            sets[key] = (who, name, spec.actions, [k])
        nodes.append(Node(name, who, number[key], children, tuple(spec.probs)))
    infosets = tuple(Infoset(p, key, acts, tuple(m), key) for key, (p, _, acts, m) in sets.items())
    tree = Tree(players, tuple(nodes), infosets, title, symbolic)
    validate(tree, source, parameters)
    return tree
