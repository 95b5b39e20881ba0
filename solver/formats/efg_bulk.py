"""Reading a plainly written ``.efg`` file in bulk, a column of fields at a time.

:mod:`.efg` reads a file node by node (Gambit documentation, "The extensive game (.efg) file
format").  Here one scan with the same pattern (:data:`.efg_syntax.NODE`) takes the fields of
every node, and each kind of field is then decoded for the whole file at once: payoff lists and
numbers once per distinct text (all of them split in one pass, integers by ``int``), action
lists likewise (one match checks them all), the information sets in one loop, the tree's shape
in another (prefix order: each node fills the latest pending child slot), the nodes and sets
built last.  :func:`bulk_tree` accepts only a file that reading node by node would read by
pattern alone and without an error, and then gives the same tree; on anything else (a node the
pattern does not take, a number or list the plain decoders refuse, an outcome on an inner node,
any error) it gives up, None, and the caller reads the file node by node, which gives the tree
or the error.

>>> t, _, actions = bulk_tree('EFG 2 R "E" { "A" "B" } "" p "" 1 1 "" { "L" "R" } 0 '
...                        't "" 1 "" { 1, 2 } t "" 2 "" { 0, 3 }', "doc")
>>> [tuple(map(int, n.payoffs)) for n in t.nodes if n.is_terminal], actions, t.parent(2)
([(1, 2), (0, 3)], (('L', 'R'),), 0)
>>> bulk_tree('EFG 2 R "E" { "A" "B" } "" t "" 1', "doc") is None  # outcome 1 never given
True
"""

from __future__ import annotations

import re
from itertools import chain, compress, islice
from typing import Any

import numpy as np

from solver.core.errors import ModelError
from solver.core.tree import CHANCE, TERMINAL, Node, Tree, check_probabilities
from solver.core.tree_columns import Columns, keep_columns
from solver.formats.efg_fields import _new, action_lists, infosets, leaf_labels, leaf_payoffs, set_columns
from solver.formats.efg_syntax import (
    BLANK,
    NODE,
    plain_header,
    unquote,
)
from solver.formats.gambit_tokens import MAX_PLAYERS
from solver.formats.labels import player, renamed, unique

#: matches taken from the scanner at a time (each holds the file's text and its groups' offsets)
_BATCH = 1 << 12

#: an information set while it is read: name, actions, probabilities, members, index
Sets = dict[tuple[int, int], list[Any]]
#: what :func:`bulk_tree` reads: the tree, the file's players and each set's actions
Bulk = tuple[Tree, tuple[str, ...], tuple[tuple[str, ...], ...]]


def bulk_tree(text: str, source: str, notes: list[str] | None = None) -> Bulk | None:
    """The tree of ``text``, and the players and each information set's actions as the file
    gives them; None where the file is to be read node by node.  ``notes`` gets a line per
    renamed label."""
    head = plain_header(text)
    if head is None:
        return None
    players, title, pos = head
    if not 0 < len(players) <= MAX_PLAYERS:
        return None
    cols = _scan(text, pos)
    if not cols or not cols[0]:
        return None
    mine: list[str] = []  # the caller's notes only once the file is read
    try:
        found = _build(cols, players, title, source, mine)
    except (ValueError, ZeroDivisionError, ModelError):
        return None
    if found is not None and notes is not None:
        notes += mine
    return found


def _scan(text: str, pos: int) -> list[list[Any]] | None:
    """The columns of every node's :data:`NODE` groups, from ``pos`` to the end; None where a
    node is not plain or something follows the last one (the scanner matches node after node,
    no gaps)."""
    step = iter(_scanner(text, pos).match, None)
    groups = re.Match.groups
    cols: list[list[Any]] = [[] for _ in range(NODE.groups)]
    end = pos
    while batch := list(islice(step, _BATCH)):
        for col, part in zip(cols, zip(*map(groups, batch), strict=True), strict=True):
            col += part
        end = batch[-1].end()
    return None if text[end:].strip(BLANK) else cols


def _scanner(text: str, pos: int) -> Any:
    """:data:`NODE`'s scanner over ``text`` from ``pos`` (untyped in typeshed)."""
    return NODE.scanner(text, pos)  # type: ignore[attr-defined]


def _build(
    cols: list[list[Any]], players: tuple[str, ...], title: str, source: str, notes: list[str]
) -> Bulk | None:
    n, total = len(players), len(cols[0])
    leaf, kind, name, first, second, label, block, outs, onames, pay = cols
    cols.clear()  # each column freed once decoded: less memory held while the nodes are built
    if not {*compress(outs, kind)} <= {"0"} or not {*compress(pay, kind)} <= {None}:
        return None  # outcomes on inner nodes: their payoffs are added along paths, node by node
    if "\\" in "".join(name):
        name = list(map(unquote, name))
    leaf_outs = list(map(int, compress(outs, leaf)))
    leaf_names = leaf_labels(list(compress(range(total), leaf)), leaf_outs, list(compress(onames, leaf)))
    leaf_pay = leaf_payoffs(leaf_outs, list(compress(pay, leaf)), n)
    if leaf_pay is None:
        return None
    lists = action_lists(kind, block)
    inner = [k for k, x in enumerate(kind) if x is not None]
    ones, twos, labels, blocks = (list(compress(col, kind)) for col in (first, second, label, block))
    del first, second, label, block, outs, pay, onames
    found = set_columns(inner, list(compress(kind, kind)), ones, twos, labels, blocks, lists, n)
    del ones, twos, labels, blocks, lists
    if found is None:
        return None
    sets, movers, entries = found
    arity = [0] * total
    for k, e in zip(inner, entries, strict=True):
        arity[k] = len(e[1])
    parents = _parents(arity)
    if parents is None:
        return None
    nodes: list[Any] = [None] * total
    for k, called, vec in zip(compress(range(total), leaf), compress(name, leaf), leaf_pay, strict=True):
        node = nodes[k] = _new(Node)
        node.__dict__.update(name=called, player=TERMINAL, infoset=-1, children=(), probs=(), payoffs=vec)
    order = np.argsort(np.array(parents[1:], dtype=np.int64), kind="stable") + 1  # by parent, in order
    kids = _children(order.tolist(), [arity[k] for k in inner])
    for k, called, who, e, below in zip(inner, compress(name, kind), movers, entries, kids, strict=True):
        node = nodes[k] = _new(Node)
        node.__dict__.update(name=called, player=who, infoset=e[4], children=below, probs=e[2], payoffs=())
    shown = unique(players, player)
    notes += renamed(source, "player", players, shown)
    for probs in {id(e[2]): e[2] for e in sets.values() if e[2]}.values():
        check_probabilities(probs, source, "")  # an error: the node-by-node reader names the node
    sets_shown = tuple(infosets(shown, sets, source, notes))
    tree = Tree(shown, tuple(nodes), sets_shown, title, False, tuple(parents), outcome_labels=leaf_names)
    where = np.zeros((2, total), dtype=np.int64)  # each node's player and set: leaves', then the others'
    where[0], where[1] = TERMINAL, -1
    where[:, inner] = movers, [e[4] for e in entries]
    ptr = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(arity, out=ptr[1:])
    chance = np.flatnonzero(where[0] == CHANCE)
    pays = [*chain.from_iterable(leaf_pay)]
    odds = [p for who, e in zip(movers, entries, strict=True) if who == CHANCE for p in e[2]]
    leaves = np.flatnonzero(ptr[1:] == ptr[:-1])
    numbers = pays + odds if odds else pays
    keep_columns(tree, Columns(ptr, order, where[0], where[1], leaves, chance, pays, odds, numbers))
    return tree, players, tuple(e[1] for e in sets.values())


def _parents(arity: list[int]) -> list[int] | None:
    """Each node's parent (-1 for the root) from the nodes' child counts in prefix order: a node
    fills the latest pending child slot.  None for a second root or subtrees missing."""
    parents = [-1]
    stack = [0] * arity[0]
    pop, push = stack.pop, stack.extend
    for k in range(1, len(arity)):
        if not stack:
            return None
        parents.append(pop())
        if a := arity[k]:
            push([k] * a)
    return None if stack else parents


def _children(order: list[int], counts: list[int]) -> list[tuple[int, ...]]:
    """The children of each inner node (``counts`` of them each, inner nodes in prefix order)
    from ``order``, the nodes after the root grouped by parent, in order."""
    if len(set(counts)) <= 1:
        return list(zip(*[iter(order)] * (counts[0] if counts else 1), strict=True))
    it = iter(order)
    return [tuple(islice(it, c)) for c in counts]


