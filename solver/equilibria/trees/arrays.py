"""A game tree as flat CSR arrays, the form the backward-induction kernel works on.

Nodes keep the tree's prefix order (Gambit's .efg order: a parent precedes its children, Kuhn
1953 for the extensive form): ``children[ptr[k]:ptr[k + 1]]`` are node ``k``'s children, with
``probs`` on the same edges at chance nodes; ``player`` is -1 at chance and -2 at terminal nodes.
:func:`level_plan` groups the inner nodes by depth once per tree (cached in the arrays) for the
backward induction of :mod:`.backward` (Kuhn 1953; Selten 1965), and :class:`Table` holds its
options as it fills them in, level by level, until they become :class:`Options`.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> a = tree_arrays(t)  # entry deterrence (Selten 1978): nodes e, o, i, f, a
>>> a["ptr"].tolist(), a["children"].tolist(), a["player"].tolist()
([0, 2, 2, 4, 4, 4], [1, 2, 3, 4], [0, -2, 1, -2, -2])
>>> [x.tolist() for x in level_plan(a)]  # order, level_ptr, edges, edge_ptr
[[0, 2], [0, 1, 2], [0, 1, 2, 3], [0, 2, 4]]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.tree import Tree
from solver.core.tree_columns import Columns, tree_columns

Ints = npt.NDArray[np.int64]

#: scaled integer payoffs below this in size are compared as int64 (no chance: no products)
INT64_SAFE = 2**62
#: a tree of at most this many nodes is planned and solved in plain Python (numpy's per-call
#: cost would dominate); also the most (SPE x edges) that :func:`.backward.spe_moves` walks in Python
SMALL = 256


@dataclass(frozen=True)
class Options:
    """The kernel's answer: node ``n`` owns options ``first[n]`` to ``first[n] + count[n] - 1``.

    Per option: ``values`` (one row of payoffs), ``action`` (child position chosen at a decision
    node, -1 at leaves and chance nodes) and ``kids`` (where the option ids of the children it
    continues with start in ``combo``; -1 at leaves).  ``complete``: no node was truncated to
    ``limit`` options (with ``limit=1``: no mover had tied best actions).
    """

    first: Ints
    count: Ints
    values: npt.NDArray[Any]
    action: Ints
    kids: Ints
    combo: Ints
    complete: bool


def tree_arrays(
    tree: Tree, *, objects: bool = False, scale: int = 0, cols: Columns | None = None
) -> dict[str, npt.NDArray[Any]]:
    """CSR arrays of a numeric tree (children, players, chance probabilities, leaf payoffs).

    Float arrays, or with ``objects`` object arrays holding the tree's own numbers (exact
    fractions stay exact); with ``scale`` as well, payoffs times ``scale`` as integers (every
    payoff a fraction whose denominator divides ``scale``), int64 where they all fit in
    :data:`INT64_SAFE` and no chance node multiplies them.  ``cols``: the tree's
    :func:`~solver.core.tree_columns.tree_columns`, if already at hand.
    """
    c = cols if cols is not None else tree_columns(tree)
    n, count, edges = len(tree.players), len(c.player), len(c.children)
    dtype: Any = object if objects else float
    probs = np.zeros(edges, dtype=dtype)
    if c.chance.size:
        at = ranges(c.ptr[c.chance], c.ptr[c.chance + 1] - c.ptr[c.chance])
        probs[at] = np.fromiter(c.probs if objects else map(float, c.probs), dtype, len(c.probs))
    values: Any = c.payoffs if objects else map(float, c.payoffs)
    if scale == 1:  # integer payoffs: the numerators themselves
        values = list(map(attrgetter("numerator"), c.payoffs))
    elif scale:
        values = [v.numerator * (scale // v.denominator) for v in c.payoffs]
    if objects and scale and not c.chance.size and max(map(abs, values), default=0) < INT64_SAFE:
        dtype = np.int64  # the same integers, compared by numpy
    payoffs = np.zeros((count, n), dtype=dtype)
    payoffs[c.leaves] = np.fromiter(values, dtype, len(c.payoffs)).reshape(len(c.leaves), n)
    return {"ptr": c.ptr, "children": c.children, "player": c.player, "probs": probs, "payoffs": payoffs}


def level_plan(arrays: dict[str, npt.NDArray[Any]]) -> tuple[Ints, Ints, Ints, Ints]:
    """The inner nodes by depth, root first: computed once per tree and cached in ``arrays``.

    Returns (``order``, ``level_ptr``, ``edges``, ``edge_ptr``): ``order[level_ptr[d]:
    level_ptr[d + 1]]`` are the inner nodes at depth ``d`` and ``edges[edge_ptr[d]:edge_ptr[d +
    1]]`` their edges (positions in ``children``), node after node.  A breadth-first walk, one
    numpy pass per level, or in plain Python for a tree of at most ``SMALL`` nodes.
    """
    if "order" not in arrays:
        ptr, children = arrays["ptr"], arrays["children"]
        nodes: list[Any] = []
        edges: list[Any] = []
        if len(ptr) - 1 <= SMALL:
            p, c = ptr.tolist(), children.tolist()
            level = [0] if p[1] > p[0] else []
            while level:
                nodes.append(level)
                edges.append([e for k in level for e in range(p[k], p[k + 1])])
                level = [c[e] for e in edges[-1] if p[c[e] + 1] > p[c[e]]]
            flat = [[x for part in parts for x in part] for parts in (nodes, edges)]
            order, edge_order = (np.array(x, dtype=np.int64) for x in flat)
        else:
            counts = np.diff(ptr)
            front = np.flatnonzero(counts[:1])
            while front.size:
                nodes.append(front)
                edges.append(ranges(ptr[front], counts[front]))
                kids = children[edges[-1]]
                front = kids[counts[kids] > 0]
            order, edge_order = (np.concatenate([np.zeros(0, dtype=np.int64), *parts]) for parts in (nodes, edges))
        arrays["order"], arrays["edges"] = order, edge_order
        arrays["level_ptr"] = np.array(list(itertools.accumulate(map(len, nodes), initial=0)), dtype=np.int64)
        arrays["edge_ptr"] = np.array(list(itertools.accumulate(map(len, edges), initial=0)), dtype=np.int64)
    return arrays["order"], arrays["level_ptr"], arrays["edges"], arrays["edge_ptr"]


def starts(lens: Ints) -> Ints:
    """Offsets of consecutive segments of lengths ``lens``."""
    out: Ints = np.cumsum(lens) - lens
    return out


def ranges(starts: Ints, lens: Ints) -> Ints:
    """Concatenated ``arange(s, s + k)`` for every (s, k), vectorised."""
    ends = np.cumsum(lens)
    out: Ints = np.arange(int(ends[-1]) if ends.size else 0, dtype=np.int64)
    out += np.repeat(starts - ends + lens, lens)
    return out


class Growing:
    """An array filled by appending blocks along its first axis (capacity doubles)."""

    def __init__(self, first: npt.NDArray[Any], capacity: int) -> None:
        self._buf = np.empty((max(capacity, len(first), 1), *first.shape[1:]), dtype=first.dtype)
        self._buf[: len(first)] = first
        self._size = len(first)

    def extend(self, block: Any) -> int:
        """Append ``block`` (an array or a list of rows); returns the index of its first row."""
        start, end = self._size, self._size + len(block)
        if end > len(self._buf):
            grown = np.empty((max(end, 2 * len(self._buf)), *self._buf.shape[1:]), dtype=self._buf.dtype)
            grown[:start] = self._buf[:start]
            self._buf = grown
        self._buf[start:end] = block
        self._size = end
        return start

    def __len__(self) -> int:
        return self._size

    @property
    def data(self) -> npt.NDArray[Any]:
        return self._buf[: self._size]


class Table:
    """The kernel's options: node ``n`` owns rows ``first[n]`` to ``first[n] + count[n] - 1`` of
    ``values``, ``action`` and ``kids``; ``combo`` holds the child option ids of each combination.

    Plain Python lists for a tree solved level by level in Python (``vector`` false: no numpy
    call per level), growing numpy arrays otherwise.  Starts with one option per leaf, its payoffs.
    """

    first: Any  # list[int] or Ints
    count: Any
    values: Any  # a list of rows or a Growing array
    action: Any
    kids: Any
    combo: Any

    def __init__(self, payoffs: npt.NDArray[Any], ptr: Ints, vector: bool) -> None:
        self.vector, self.dtype, self.players, n = vector, payoffs.dtype, payoffs.shape[1], len(payoffs)
        if not vector:
            p = ptr.tolist()
            leaves = [k for k in range(n) if p[k] == p[k + 1]]
            self.first, self.count = [-1] * n, [0] * n
            for i, k in enumerate(leaves):
                self.first[k], self.count[k] = i, 1
            rows = payoffs.tolist()
            self.values, self.action = [rows[k] for k in leaves], [-1] * len(leaves)
            self.kids, self.combo = [-1] * len(leaves), []
            return
        leaf = np.flatnonzero(ptr[1:] == ptr[:-1])
        none = np.full(leaf.size, -1, dtype=np.int64)
        self.first = np.full(n, -1, dtype=np.int64)
        self.count = np.zeros(n, dtype=np.int64)
        self.first[leaf] = np.arange(leaf.size)
        self.count[leaf] = 1
        self.values = Growing(payoffs[leaf], n)
        self.action = Growing(none, n)
        self.kids = Growing(none, n)
        self.combo = Growing(none[:0], len(ptr))

    def fetch(self, kids: list[int]) -> tuple[list[int], list[int], Any]:
        """For children ``kids``: their first options, option counts, and the rows of values of
        their options, indexed by option id."""
        if not self.vector:
            first, count = self.first, self.count
            return [first[c] for c in kids], [count[c] for c in kids], self.values
        kf, kc = self.first[kids], self.count[kids]
        ids = ranges(kf, kc)
        return kf.tolist(), kc.tolist(), dict(zip(ids.tolist(), self.values.data[ids].tolist(), strict=True))

    def append(
        self, nodes: list[int], count: list[int], rows: list[Any], action: list[int], kids: list[int], combo: list[int]
    ) -> None:
        """Store the options of ``nodes`` (``count`` each, in node order) and their combinations."""
        at = len(self.values)
        self.combo.extend(combo)
        if self.vector:
            self.first[nodes] = at + np.cumsum(count) - count
            self.count[nodes] = count
            self.values.extend(self._array(rows))
            self.action.extend(action)
            self.kids.extend(kids)
            return
        for k, c in zip(nodes, count, strict=True):
            self.first[k], self.count[k] = at, c
            at += c
        self.values += rows
        self.action += action
        self.kids += kids

    def options(self, complete: bool) -> Options:
        """The table as :class:`Options` (arrays)."""
        if self.vector:
            first, count, values = self.first, self.count, self.values.data
            return Options(first, count, values, self.action.data, self.kids.data, self.combo.data, complete)
        first, count, action, kids, combo = (
            np.array(x, dtype=np.int64) for x in (self.first, self.count, self.action, self.kids, self.combo)
        )
        return Options(first, count, self._array(self.values), action, kids, combo, complete)

    def _array(self, rows: list[Any]) -> npt.NDArray[Any]:
        flat = itertools.chain.from_iterable(rows)
        return np.fromiter(flat, dtype=self.dtype, count=len(rows) * self.players).reshape(len(rows), self.players)
