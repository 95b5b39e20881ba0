"""Game trees (extensive form) as a small frozen value, with validation.

A :class:`Tree` lists its nodes in *prefix order* (a node comes before its subtree; node 0 is
the root), as Gambit's ``.efg`` files do (Kuhn 1953 for the form; Gambit documentation, "The
extensive game file format").  A node is a decision node (``player >= 0``, an information set),
a chance node (``player == CHANCE``, one probability per child) or a terminal node (payoff
vector).  Payoffs and probabilities are sympy expressions in a *symbolic* tree (model files) and
``Fraction``/``float`` in a numeric one; :meth:`Tree.at` substitutes parameter values.

>>> t = from_named(("Entrant", "Incumbent"), "entrant", {
...     "entrant": decision("Entrant", {"Out": "out", "In": "inc"}),
...     "inc": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
...     "out": leaf((1, 5)), "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> [n.name for n in t.nodes], t.perfect_information
(['entrant', 'out', 'inc', 'f', 'a'], True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

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
        while self.nodes[n].children:
            n = self.nodes[n].children[-1]
        return n + 1

    @property
    def perfect_information(self) -> bool:
        return all(len(h.members) == 1 for h in self.infosets)

    @property
    def has_chance(self) -> bool:
        return any(n.is_chance for n in self.nodes)

    def perfect_recall(self) -> tuple[bool, str]:
        """(True, "") or (False, label of an infoset whose nodes have different own histories)."""
        for h in self.infosets:
            if h.player < 0:
                continue
            own = {
                tuple(
                    (self.nodes[p].infoset, a)
                    for p, a in self.history(m)
                    if self.nodes[p].player == h.player
                )
                for m in h.members
            }
            if len(own) > 1:
                return False, h.label
        return True, ""

    def subgame_roots(self) -> list[int]:
        """Nodes that start a subgame (singleton infoset, no infoset straddles the subtree)."""
        roots = []
        for r, node in enumerate(self.nodes):
            if node.is_terminal or len(self.infosets[node.infoset].members) != 1:
                continue
            e = self.end(r)
            if all(len({r <= m < e for m in h.members}) == 1 for h in self.infosets):
                roots.append(r)
        return roots

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
        return Tree(self.players, nodes, self.infosets, self.title, False, self._parents)


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


# --- building from named nodes (model files) -------------------------------------------------


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
            sets[key] = (who, name, spec.actions, [k])
        nodes.append(Node(name, who, list(sets).index(key), children, tuple(spec.probs)))
    infosets = tuple(Infoset(p, key, acts, tuple(m), key) for key, (p, _, acts, m) in sets.items())
    tree = Tree(players, tuple(nodes), infosets, title, symbolic)
    validate(tree, source, parameters)
    return tree


def validate(tree: Tree, source: str | None = None, parameters: Iterable[Any] = ()) -> None:
    """Structural checks, and chance probabilities >= 0 summing to 1 (symbolically: identically,
    and non-negative at the corners of the parameter ranges and at the defaults)."""
    n_players = len(tree.players)
    for h in tree.infosets:
        for m in h.members:
            node = tree.nodes[m]
            if len(node.children) != len(h.actions):
                raise ModelError(
                    "number of actions and children differ", source=source, key=f"nodes.{node.name}"
                )
            if len(set(h.actions)) != len(h.actions):
                raise ModelError("duplicate action label", source=source, key=f"nodes.{node.name}")
    params = list(parameters)
    for k, node in enumerate(tree.nodes):
        if node.is_terminal and len(node.payoffs) != n_players:
            raise ModelError(
                f"expected {n_players} payoffs", source=source, key=f"nodes.{node.name}"
            )
        if node.is_chance:
            _check_chance(node, tree.actions(k), tree.symbolic, params, source)


def _check_chance(
    node: Node, labels: tuple[str, ...], symbolic: bool, parameters: list[Any], source: str | None
) -> None:
    key = f"nodes.{node.name}"
    if len(node.probs) != len(node.children):
        raise ModelError("one probability per chance branch", source=source, key=key)
    if not symbolic:
        if any(p < 0 for p in node.probs):
            raise ModelError("negative chance probability", source=source, key=key)
        total = sum(node.probs)
        if abs(total - 1) > 1e-9:
            raise ModelError(f"chance probabilities sum to {total}, not 1", source=source, key=key)
        return
    import itertools

    import sympy

    from solver.core.expr import symbol

    total = sympy.simplify(sum(node.probs) - 1)
    if total != 0:
        raise ModelError(
            f"chance probabilities sum to {sympy.simplify(sum(node.probs))}, not 1",
            source=source,
            key=key,
        )
    free = set().union(*(p.free_symbols for p in node.probs))
    used = [p for p in parameters if symbol(p.name) in free]
    points = [{symbol(p.name): p.value for p in used}]
    points += [
        {symbol(p.name): v for p, v in zip(used, corner, strict=True)}
        for corner in itertools.product(*((p.low, p.high) for p in used))
    ]
    for point in points:
        subs = {k: sympy.Rational(v.numerator, v.denominator) for k, v in point.items()}
        for label, p in zip(labels, node.probs, strict=True):
            v = p.xreplace(subs)
            if v.is_number and v.is_negative:
                where = ", ".join(f"{k}={v2}" for k, v2 in point.items())
                raise ModelError(
                    f"chance probability of {label!r} is {v} at {where}: negative",
                    source=source,
                    key=key,
                )
