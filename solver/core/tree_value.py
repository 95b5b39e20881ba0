"""The game-tree value: :class:`Node`, :class:`Infoset` and :class:`Tree` (frozen dataclasses).

A :class:`Tree` lists its nodes in *prefix order* (a node comes before its subtree; node 0 is
the root), as Gambit's ``.efg`` files do (Kuhn 1953 for the extensive form; Gambit
documentation, "The extensive game (.efg) file format").  A node is a decision node
(``player >= 0``, an information set), a chance node (``player == CHANCE``, one probability per
child) or a terminal node (``player == TERMINAL``, a payoff vector).  Payoffs and probabilities
are sympy expressions in a *symbolic* tree (model files) and ``Fraction``/``float`` in a numeric
one; :meth:`Tree.at` substitutes parameter values.  Building and checking trees are in
:mod:`solver.core.tree_named` and :mod:`solver.core.tree_check`; :mod:`solver.core.tree` gathers
all of it.

>>> t = Tree(("A",), (Node("r", 0, 0, (1, 2)), Node("x", TERMINAL, payoffs=(1,)),
...                   Node("y", TERMINAL, payoffs=(0,))), (Infoset(0, "r", ("L", "R"), (0,)),))
>>> t.parent(2), t.describe(2), t.end(0), t.perfect_information
(0, 'A R', 3, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.errors import ModelError

CHANCE = -1
TERMINAL = -2


@dataclass(frozen=True)
class Node:
    """One node; ``children[k]`` follows action ``k`` of the node's information set."""

    name: str
    player: int
    infoset: int = -1
    children: tuple[int, ...] = ()
    probs: tuple[Any, ...] = ()
    payoffs: tuple[Any, ...] = ()

    @property
    def is_terminal(self) -> bool:
        return self.player == TERMINAL

    @property
    def is_chance(self) -> bool:
        return self.player == CHANCE


@dataclass(frozen=True)
class Infoset:
    """An information set: whose it is, its unique display label, its actions, its nodes."""

    player: int
    label: str
    actions: tuple[str, ...]
    members: tuple[int, ...]
    name: str = ""
    #: the number a Gambit file gives the set (0 when built from a model file)
    number: int = 0


@dataclass(frozen=True, eq=False)
class Tree:
    """A finite game tree (see the module docstring)."""

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    infosets: tuple[Infoset, ...]
    title: str = ""
    symbolic: bool = False
    _parents: tuple[int, ...] = field(default=(), repr=False)
    _ends: tuple[int, ...] = field(default=(), repr=False, init=False)
    _perfect: bool | None = field(default=None, repr=False, init=False)
    #: what is derived from the tree once and kept (:mod:`.tree_columns` keeps its arrays here)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, init=False)
    #: leaf -> the name a Gambit file gives its outcome (``t "" 1 "Win big" {...}``), where given
    outcome_labels: Mapping[int, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._parents:
            parents = [-1] * len(self.nodes)
            for k, node in enumerate(self.nodes):
                for c in node.children:
                    parents[c] = k
            object.__setattr__(self, "_parents", tuple(parents))

    def parent(self, n: int) -> int:
        return self._parents[n]

    def actions(self, n: int) -> tuple[str, ...]:
        node = self.nodes[n]
        return self.infosets[node.infoset].actions if node.infoset >= 0 else ()

    def history(self, n: int) -> list[tuple[int, int]]:
        """(node, action index) pairs from the root down to ``n``."""
        out = []
        while (p := self._parents[n]) >= 0:
            out.append((p, self.nodes[p].children.index(n)))
            n = p
        return out[::-1]

    def describe(self, n: int) -> str:
        """``n`` by the moves leading to it, e.g. ``Iran Entrench, Israel Strike``."""
        parts = []
        for p, a in self.history(n):
            who = "chance" if self.nodes[p].is_chance else self.players[self.nodes[p].player]
            parts.append(f"{who} {self.actions(p)[a]}")
        return ", ".join(parts) if parts else "the start"

    def end(self, n: int) -> int:
        """One past the last node of ``n``'s subtree (prefix order)."""
        if not self._ends:  # one backward pass, kept: every walk here is iterative
            object.__setattr__(self, "_ends", self._subtree_ends())
        return self._ends[n]

    def _subtree_ends(self) -> tuple[int, ...]:
        cols = self.memo.get("columns")  # arrays at hand: follow last children, doubling
        if cols is not None:
            ptr, children = cols.ptr, cols.children
            last = np.arange(len(self.nodes), dtype=np.int64)
            inner = np.flatnonzero(ptr[1:] > ptr[:-1])
            last[inner] = children[ptr[inner + 1] - 1]
            while not np.array_equal(step := last[last], last):
                last = step
            return tuple((last + 1).tolist())
        ends = list(range(1, len(self.nodes) + 1))
        for k in range(len(self.nodes) - 1, -1, -1):
            if self.nodes[k].children:
                ends[k] = ends[self.nodes[k].children[-1]]
        return tuple(ends)

    def own_moves(self, player: int, root: int = 0) -> dict[int, tuple[int, int] | None]:
        """Per node of the subtree at ``root``: ``player``'s last own (infoset, action) on the way
        from ``root`` (None before the first), in one pass over the subtree."""
        own: dict[int, tuple[int, int] | None] = {root: None}
        for p in range(root, self.end(root)):
            node = self.nodes[p]
            mine = node.player == player
            for a, c in enumerate(node.children):
                own[c] = (node.infoset, a) if mine else own[p]
        return own

    @property
    def perfect_information(self) -> bool:
        """Every information set a single node (one pass over the sets, kept: asked often)."""
        if self._perfect is None:
            object.__setattr__(self, "_perfect", all([len(h.members) == 1 for h in self.infosets]))
        return bool(self._perfect)

    @property
    def has_chance(self) -> bool:
        return any(n.is_chance for n in self.nodes)

    def perfect_recall(self) -> tuple[bool, str]:
        """(True, "") or (False, label of an infoset whose nodes have different own histories).

        Linear: every node of a set having the same *last* own move, for every set, gives by
        induction the same whole own history."""
        for i in range(len(self.players)):
            own = self.own_moves(i)
            for h in self.infosets:
                if h.player == i and len({own[m] for m in h.members}) > 1:
                    return False, h.label
        return True, ""

    def subgame_roots(self) -> list[int]:
        """Nodes that start a subgame (singleton infoset, no infoset straddles the subtree):
        one backward pass with each subtree's lowest and highest member of its nodes' sets."""
        count = len(self.nodes)
        lo, hi = list(range(count)), list(range(count))
        for h in self.infosets:
            a, b = min(h.members), max(h.members)
            for m in h.members:
                lo[m], hi[m] = a, b
        roots = []
        for r in range(count - 1, -1, -1):
            node = self.nodes[r]
            for c in node.children:
                lo[r], hi[r] = min(lo[r], lo[c]), max(hi[r], hi[c])
            if node.is_terminal or len(self.infosets[node.infoset].members) != 1:
                continue
            if lo[r] >= r and hi[r] < self.end(r):
                roots.append(r)
        return roots[::-1]

    def at(self, values: Mapping[str, Any] | None = None, *, exact: bool = True) -> Tree:
        """The numeric tree at parameter ``values`` (Fractions where rational, else floats)."""
        if not self.symbolic:
            return self
        from solver.core.expr import symbol

        subs = {symbol(k): _sympy_number(v) for k, v in (values or {}).items()}
        nodes = tuple(
            Node(
                n.name,
                n.player,
                n.infoset,
                n.children,
                tuple(_number(p, subs, exact, n.name) for p in n.probs),
                tuple(_number(v, subs, exact, n.name) for v in n.payoffs),
            )
            for n in self.nodes
        )
        for n in nodes:
            if n.is_chance:
                _check_chance(n, self.infosets[n.infoset].actions)
        return Tree(self.players, nodes, self.infosets, self.title, False, self._parents)


def _check_chance(node: Node, labels: tuple[str, ...]) -> None:
    """Chance probabilities at the values used (``--set``, ``--force``): none negative, summing
    to 1 within :data:`~solver.core.tolerances.PROBABILITY_SUM`; else a ModelError at the node."""
    from solver.core.tolerances import PROBABILITY_SUM

    for label, p in zip(labels, node.probs, strict=True):
        if p < 0:
            raise ModelError(
                f"chance probability of {label!r} is {p} at these parameter values: negative",
                key=f"nodes.{node.name}",
            )
    total = sum(node.probs)
    if abs(total - 1) > PROBABILITY_SUM:
        raise ModelError(
            f"chance probabilities sum to {total} at these parameter values, not 1", key=f"nodes.{node.name}"
        )


def _sympy_number(v: Any) -> Any:
    import sympy

    f = Fraction(v) if not isinstance(v, float) else Fraction(repr(v))
    return sympy.Rational(f.numerator, f.denominator)


def _number(expr: Any, subs: Mapping[Any, Any], exact: bool, where: str) -> Fraction | float:
    v = expr.xreplace(subs) if subs else expr
    if not v.is_number or v.is_real is False or v.has(*_bad()):
        raise ModelError(
            f"not a finite number at these parameter values: {v}", key=f"nodes.{where}"
        )
    if exact and v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return float(v)


def _bad() -> tuple[Any, ...]:
    import sympy

    return (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
