"""Signalling games as plain data, and their recognition in a game tree.

A *signalling game* (Spence 1973; Cho & Kreps 1987, §II; Fudenberg & Tirole 1991, §8.2.1):
chance draws the sender's type ``t`` (and possibly the receiver's type ``r``) with the joint
prior ``prior[t][r]``; the sender, knowing only ``t``, sends a message ``m``; the receiver, knowing
only ``m`` and ``r``, chooses a response ``a``; the payoffs are ``u_sender[t][r][m][a]`` and
``u_receiver[t][r][m][a]``.  Independent types have ``prior[t][r] = p(t) q(r)``; a receiver without
private information has the one type ``""``.  Numbers are Fractions in an exact game, floats
otherwise; the response lists may differ between messages (nested tuples, not arrays).

:func:`from_tree` recognises that structure in a numeric :class:`~solver.core.tree.Tree` (a
``kind = "sequential"`` model at its values, or a Gambit ``.efg``): chance nodes only above the
sender; every sender decision node reached through chance alone, one sender information set per
type (its nodes: that type with every receiver type), the same messages at each; after each
message a receiver node whose children are leaves; receiver information sets that join, for one
message and one receiver type, the nodes of every sender type (so the receiver sees the message
and its own type, never the sender's).  Any other tree gives ``None``.

>>> from solver.core.tree import chance, decision, from_named, leaf
>>> specs = {"n": chance({"Weak": (0.5, "w"), "Strong": (0.5, "s")}),
...     "w": decision("S", {"L": "wl", "H": "wh"}), "s": decision("S", {"L": "sl", "H": "sh"}),
...     "wl": decision("R", {"a": "1", "b": "2"}, "after L"), "sl": decision("R", {"a": "3", "b": "4"}, "after L"),
...     "wh": decision("R", {"a": "5", "b": "6"}, "after H"), "sh": decision("R", {"a": "7", "b": "8"}, "after H"),
...     **{str(k): leaf((k, -k)) for k in range(1, 9)}}
>>> g = from_tree(from_named(("S", "R"), "n", specs))
>>> g.types, g.messages, g.responses, g.u_sender[1][0][1], g.type_prior
(('Weak', 'Strong'), ('L', 'H'), (('a', 'b'), ('a', 'b')), (7, 8), (0.5, 0.5))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core.tree_value import Tree

Number = Fraction | float | int
#: ``payoff[t][r][m][a]``
Payoffs = tuple[tuple[tuple[tuple[Number, ...], ...], ...], ...]


@dataclass(frozen=True)
class Signalling:
    """A signalling game (see the module docstring); indices inside, labels in the fields."""

    sender: str
    receiver: str
    types: tuple[str, ...]
    receiver_types: tuple[str, ...]
    #: the joint prior of (sender type, receiver type)
    prior: tuple[tuple[Number, ...], ...]
    messages: tuple[str, ...]
    #: the receiver's responses after each message
    responses: tuple[tuple[str, ...], ...]
    u_sender: Payoffs
    u_receiver: Payoffs
    exact: bool = True
    #: the tree node of each (sender type, receiver type), where the game came from a tree
    states: tuple[tuple[int, ...], ...] = ()

    @property
    def type_prior(self) -> tuple[Number, ...]:
        """The sender types' marginal prior."""
        return tuple(sum(row) for row in self.prior)

    @property
    def receiver_prior(self) -> tuple[Number, ...]:
        return tuple(sum(row[r] for row in self.prior) for r in range(len(self.receiver_types)))


def from_tree(tree: Tree) -> Signalling | None:
    """The signalling game of a numeric ``tree`` with that structure, else ``None`` (see the
    module docstring; two players, at least two sender types)."""
    if tree.symbolic or len(tree.players) != 2 or not tree.nodes or not tree.nodes[0].is_chance:
        return None
    leaves = _chance_leaves(tree)
    if leaves is None:
        return None
    states = [s for s, _, _ in leaves]
    sender = tree.nodes[states[0]].player
    if any(tree.nodes[s].player != sender for s in states):
        return None
    sets = list(dict.fromkeys(tree.nodes[s].infoset for s in states))
    inside = set(states)
    if len(sets) < 2 or any(not set(tree.infosets[h].members) <= inside for h in sets):
        return None
    messages = tree.infosets[sets[0]].actions
    if any(sorted(tree.infosets[h].actions) != sorted(messages) for h in sets):
        return None
    after = _receiver_nodes(tree, states, messages, 1 - sender)
    if after is None:
        return None
    cells = _cells(tree, states, after)
    if cells is None:
        return None
    kind = {s: sets.index(tree.nodes[s].infoset) for s in states}
    grid: dict[tuple[int, int], int] = {}
    for s in states:
        if (kind[s], cells[s]) in grid:
            return None  # two nodes of one type for one receiver type: not a type space
        grid[kind[s], cells[s]] = s
    nt, nr = len(sets), 1 + max(cells.values())
    if len(grid) != nt * nr:
        return None
    table = [[grid[t, r] for r in range(nr)] for t in range(nt)]
    responses = []
    for m in range(len(messages)):
        acts = [tree.infosets[tree.nodes[after[table[0][r]][m]].infoset].actions for r in range(nr)]
        if any(sorted(a) != sorted(acts[0]) for a in acts):
            return None
        responses.append(acts[0])
    weight = {s: w for s, w, _ in leaves}
    paths = {s: p for s, _, p in leaves}
    pay = [_payoffs(tree, after, table, responses, i) for i in (sender, 1 - sender)]
    exact = all(isinstance(w, (Fraction, int)) for w in weight.values()) and all(
        isinstance(v, (Fraction, int)) for n in tree.nodes if n.is_terminal for v in n.payoffs
    )
    one = nr == 1
    return Signalling(
        tree.players[sender],
        tree.players[1 - sender],
        _labels([[paths[s] for s in row] for row in table], [tree.infosets[h].label for h in sets]),
        ("",) if one else _labels(
            [[paths[table[t][r]] for t in range(nt)] for r in range(nr)],
            [tree.infosets[tree.nodes[after[table[0][r]][0]].infoset].label for r in range(nr)],
        ),
        tuple(tuple(weight[s] for s in row) for row in table),
        messages,
        tuple(responses),
        pay[0],
        pay[1],
        exact,
        tuple(tuple(row) for row in table),
    )


def _chance_leaves(tree: Tree) -> list[tuple[int, Any, tuple[str, ...]]] | None:
    """(first decision node below the chance moves, its probability, the chance labels on the way),
    in prefix order; None if a leaf follows chance directly."""
    out = []
    stack: list[tuple[int, Any, tuple[str, ...]]] = [(0, Fraction(1), ())]
    while stack:
        n, p, path = stack.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            return None
        if not node.is_chance:
            out.append((n, p, path))
            continue
        labels = tree.actions(n)
        for c, q, a in reversed(list(zip(node.children, node.probs, labels, strict=True))):
            stack.append((c, p * q, (*path, a)))
    return out


def _receiver_nodes(
    tree: Tree, states: list[int], messages: tuple[str, ...], receiver: int
) -> dict[int, list[int]] | None:
    """state -> its receiver node after each message; None unless each is the receiver's, has
    only leaves below, and shares its information set only with such nodes after that message."""
    after: dict[int, list[int]] = {}
    where: dict[int, int] = {}  # receiver node -> message
    for s in states:
        acts = tree.actions(s)
        row = [tree.nodes[s].children[acts.index(m)] for m in messages]
        for m, c in enumerate(row):
            node = tree.nodes[c]
            if node.player != receiver or any(not tree.nodes[k].is_terminal for k in node.children):
                return None
            where[c] = m
        after[s] = row
    for c, m in where.items():
        members = tree.infosets[tree.nodes[c].infoset].members
        if any(where.get(k) != m for k in members):
            return None
    return after


def _cells(tree: Tree, states: list[int], after: dict[int, list[int]]) -> dict[int, int] | None:
    """state -> receiver type: the receiver's information set after the first message, the same
    partition of the states after every message (None otherwise)."""
    count = len(after[states[0]])
    first = {s: tree.nodes[after[s][0]].infoset for s in states}
    order = list(dict.fromkeys(first.values()))
    for m in range(1, count):
        pairs = {(first[s], tree.nodes[after[s][m]].infoset) for s in states}
        if len(pairs) != len(order) or len({b for _, b in pairs}) != len(order):
            return None
    return {s: order.index(first[s]) for s in states}


def _payoffs(
    tree: Tree, after: dict[int, list[int]], table: list[list[int]], responses: list[tuple[str, ...]], i: int
) -> Payoffs:
    def cell(s: int, m: int) -> tuple[Number, ...]:
        node = after[s][m]
        acts = tree.actions(node)
        kids = tree.nodes[node].children
        return tuple(tree.nodes[kids[acts.index(a)]].payoffs[i] for a in responses[m])

    return tuple(
        tuple(tuple(cell(s, m) for m in range(len(responses))) for s in row) for row in table
    )


def _labels(paths: Sequence[Sequence[tuple[str, ...]]], fallback: list[str]) -> tuple[str, ...]:
    """Per group of chance paths, the chance moves all of them share (``Weak``); the fallback
    labels where a group shares none or two groups would read the same."""
    out = []
    for group in paths:
        if len({len(p) for p in group}) != 1:
            out.append("")
            continue
        common = [group[0][k] for k in range(len(group[0])) if len({p[k] for p in group}) == 1]
        out.append(", ".join(common))
    if "" in out or len(set(out)) != len(out):
        return tuple(fallback)
    return tuple(out)
