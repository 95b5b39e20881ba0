"""A game tree's nodes as flat arrays, read once per tree: the form array algorithms start from.

Nodes keep the tree's prefix order (Gambit's ``.efg`` order, Kuhn 1953 for the extensive form):
``children[ptr[k]:ptr[k + 1]]`` are node ``k``'s children.  :func:`tree_columns` reads the
nodes' fields in one C-level pass each and keeps the answer with the tree; a reader that has
the arrays already (the bulk ``.efg`` reader) hands them over with :func:`keep_columns`.

>>> from solver.core.tree_named import decision, from_named, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> c = tree_columns(t)  # entry deterrence (Selten 1978): nodes e, o, i, f, a
>>> c.ptr.tolist(), c.children.tolist(), c.player.tolist(), c.leaves.tolist(), c.payoffs
([0, 2, 2, 4, 4, 4], [1, 2, 3, 4], [0, -2, 1, -2, -2], [1, 3, 4], [1, 5, 0, 0, 2, 2])
>>> tree_columns(t) is c
True
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.tree_value import CHANCE, Tree

Ints = npt.NDArray[np.int64]
_FIELDS = ("player", "infoset", "children", "probs", "payoffs")


@dataclass(frozen=True)
class Columns:
    """``ptr`` and ``children`` (CSR), each node's ``player`` (-1 chance, -2 terminal) and
    ``infoset`` (-1 at leaves); ``leaves`` the nodes without children and ``chance`` the chance
    nodes (indices, in order); ``payoffs`` the leaves' payoffs one after another, ``probs`` the
    chance nodes' probabilities likewise; ``numbers`` every payoff and probability of every node."""

    ptr: Ints
    children: Ints
    player: Ints
    infoset: Ints
    leaves: Ints
    chance: Ints
    payoffs: list[Any]
    probs: list[Any]
    numbers: list[Any]


def tree_columns(tree: Tree) -> Columns:
    """The :class:`Columns` of ``tree``, read once and kept with it: each field of the nodes
    fetched by one C-level pass (no Python loop per node, no container per node)."""
    kept = tree.memo.get("columns")
    if isinstance(kept, Columns):
        return kept
    nodes = tree.nodes
    count = len(nodes)
    player, infoset, children, probs, payoffs = (list(map(attrgetter(f), nodes)) for f in _FIELDS)
    counts = np.fromiter(map(len, children), np.int64, count)
    ptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    players = np.fromiter(player, np.int64, count)
    leaves, chance = np.flatnonzero(counts == 0), np.flatnonzero(players == CHANCE)
    flat = chain.from_iterable
    cols = Columns(
        ptr,
        np.fromiter(flat(children), np.int64, int(ptr[-1])),
        players,
        np.fromiter(infoset, np.int64, count),
        leaves,
        chance,
        list(flat([payoffs[k] for k in leaves.tolist()])),
        list(flat([probs[k] for k in chance.tolist()])),
        [*flat(payoffs), *flat(probs)],
    )
    return keep_columns(tree, cols)


def keep_columns(tree: Tree, cols: Columns) -> Columns:
    """Keep ``cols`` as the columns of ``tree`` (from the code that built it, which knows them:
    they must be what :func:`tree_columns` would read)."""
    tree.memo["columns"] = cols
    return cols
