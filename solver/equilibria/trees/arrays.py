"""A game tree as flat CSR arrays, the form the backward-induction kernel works on.

Nodes keep the tree's prefix order (Gambit's .efg order: a parent precedes its children, Kuhn
1953 for the extensive form): ``children[ptr[k]:ptr[k + 1]]`` are node ``k``'s children, with
``probs`` on the same edges at chance nodes; ``player`` is -1 at chance and -2 at terminal nodes.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> a = tree_arrays(t)  # entry deterrence (Selten 1978): nodes e, o, i, f, a
>>> a["ptr"].tolist(), a["children"].tolist(), a["player"].tolist()
([0, 2, 2, 4, 4, 4], [1, 2, 3, 4], [0, -2, 1, -2, -2])
>>> [level.tolist() for level in levels(a["ptr"], a["children"])]
[[0], [2]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.tree import Tree

Ints = npt.NDArray[np.int64]


def tree_arrays(tree: Tree, *, objects: bool = False) -> dict[str, npt.NDArray[Any]]:
    """CSR arrays of a numeric tree (children, players, chance probabilities, leaf payoffs).

    Float arrays, or with ``objects`` object arrays holding the tree's own numbers (exact
    fractions stay exact).
    """
    n = len(tree.nodes)
    dtype: Any = object if objects else float
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(node.children) for node in tree.nodes])
    children = np.fromiter(
        (c for node in tree.nodes for c in node.children), dtype=np.int64, count=int(ptr[-1])
    )
    player = np.array([node.player for node in tree.nodes], dtype=np.int64)
    probs = np.zeros(int(ptr[-1]), dtype=dtype)
    pay = np.zeros((n, len(tree.players)), dtype=dtype)
    cast = (lambda x: x) if objects else float
    for k, node in enumerate(tree.nodes):
        if node.is_chance:
            probs[ptr[k] : ptr[k + 1]] = [cast(p) for p in node.probs]
        elif node.is_terminal:
            pay[k] = [cast(v) for v in node.payoffs]
    return {"ptr": ptr, "children": children, "player": player, "probs": probs, "payoffs": pay}


def levels(ptr: Ints, children: Ints) -> list[Ints]:
    """The inner (non-terminal) nodes at each depth, root level first (breadth-first)."""
    counts = np.diff(ptr)
    level = np.flatnonzero(counts[:1] > 0)
    out = []
    while level.size:
        out.append(level)
        kids = children[ranges(ptr[level], counts[level])]
        level = kids[counts[kids] > 0]
    return out


def starts(lens: Ints) -> Ints:
    """Offsets of consecutive segments of lengths ``lens``."""
    out: Ints = np.cumsum(lens) - lens
    return out


def ranges(starts: Ints, lens: Ints) -> Ints:
    """Concatenated ``arange(s, s + k)`` for every (s, k), vectorised."""
    offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens)
    out: Ints = np.arange(int(lens.sum()), dtype=np.int64) + offsets
    return out


class Growing:
    """An array filled by appending blocks along its first axis (capacity doubles)."""

    def __init__(self, empty: npt.NDArray[Any], capacity: int) -> None:
        self._buf = np.empty((max(capacity, 1), *empty.shape[1:]), dtype=empty.dtype)
        self._size = 0

    def extend(self, block: npt.NDArray[Any]) -> int:
        """Append ``block``; returns the index of its first row."""
        start, end = self._size, self._size + len(block)
        if end > len(self._buf):
            grown = np.empty((max(end, 2 * len(self._buf)), *self._buf.shape[1:]), dtype=self._buf.dtype)
            grown[:start] = self._buf[:start]
            self._buf = grown
        self._buf[start:end] = block
        self._size = end
        return start

    @property
    def data(self) -> npt.NDArray[Any]:
        return self._buf[: self._size]
