"""Outcomes, indifference classes and every strict ordering a model's ``[ordering]`` allows.

The orderings of one player consistent with its constraints are the linear extensions of a
partial order on its indifference classes (Trotter 1992, *Combinatorics and Partially Ordered
Sets*, ch. 1): every sequence of the classes, worst first, that respects each stated ``a < b``.
They are listed by the standard recursion (pick a minimal class, recurse on the rest), so the
list is complete unless the caller's limit or time budget stops it.

>>> less = {(0, 1)}                      # class 0 below class 1, class 2 free
>>> linear_extensions(3, less, limit=10)[0]
[(0, 1, 2), (0, 2, 1), (2, 0, 1)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from solver.core.budget import Budget
from solver.core.errors import ModelError
from solver.core.symbolic import Model
from solver.formats.ordering import OrderingSpec


@dataclass(frozen=True)
class Outcomes:
    """The outcomes rank payoffs are given to: profiles (strategic form) or leaves (a tree)."""

    labels: tuple[str, ...]
    #: index into the profile array (strategic form) or the tree's node index of the leaf
    where: tuple[int, ...]
    #: every name an ``[ordering]`` may use for an outcome (labels and, for trees, leaf names)
    aliases: dict[str, int]


@dataclass(frozen=True)
class PlayerOrders:
    """One player's indifference classes (outcome indices) and its orderings (worst first)."""

    player: str
    classes: tuple[tuple[int, ...], ...]
    orders: list[tuple[int, ...]]
    complete: bool

    def ranks(self, k: int, n_outcomes: int) -> list[int]:
        """Rank of every outcome under ordering ``k`` (0 = worst class)."""
        out = [0] * n_outcomes
        for r, c in enumerate(self.orders[k]):
            for o in self.classes[c]:
                out[o] = r
        return out


def outcomes_of(model: Model) -> Outcomes:
    """The outcomes of ``model``: its pure profiles, or the leaves of its tree (by their moves)."""
    if model.tree is None:
        import itertools

        labels = tuple(", ".join(p) for p in itertools.product(*model.strategies))
        return Outcomes(labels, tuple(range(len(labels))), {lab: k for k, lab in enumerate(labels)})
    tree = model.tree
    leaves = [n for n, node in enumerate(tree.nodes) if node.is_terminal]
    labels = tuple(", ".join(tree.actions(p)[a] for p, a in tree.history(n)) for n in leaves)
    aliases = {lab: k for k, lab in enumerate(labels)}
    for k, n in enumerate(leaves):
        aliases.setdefault(tree.nodes[n].name, k)
    return Outcomes(labels, tuple(leaves), aliases)


def player_constraints(
    spec: OrderingSpec, player: str, outcomes: Outcomes
) -> tuple[tuple[tuple[int, ...], ...], set[tuple[int, int]]]:
    """``player``'s indifference classes and the strict relations between them (class indices),
    with every unknown label or contradiction a ModelError naming the constraint."""
    n = len(outcomes.labels)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    strict: list[tuple[int, int, str]] = []
    for chain in spec.chains.get(player, ()):
        idx = []
        for label in chain.labels:
            if label not in outcomes.aliases:
                raise ModelError(
                    f"unknown outcome {label!r} (outcomes: {', '.join(outcomes.labels[:12])}"
                    f"{', ...' if n > 12 else ''})",
                    source=spec.source,
                    key=chain.key,
                )
            idx.append(outcomes.aliases[label])
        for a, rel, b in zip(idx, chain.relations, idx[1:], strict=False):
            if rel == "=":
                parent[find(a)] = find(b)
            else:
                strict.append((a, b, chain.key))
    roots = sorted({find(o) for o in range(n)}, key=lambda r: min(o for o in range(n) if find(o) == r))
    number = {r: k for k, r in enumerate(roots)}
    classes = tuple(tuple(o for o in range(n) if find(o) == r) for r in roots)
    less: set[tuple[int, int]] = set()
    for a, b, key in strict:
        ca, cb = number[find(a)], number[find(b)]
        if ca == cb:
            raise ModelError(
                f"contradiction: {outcomes.labels[a]!r} < {outcomes.labels[b]!r}, but they are "
                "stated equal", source=spec.source, key=key,
            )
        less.add((ca, cb))
    cycle = _cycle(len(classes), less)
    if cycle:
        words = " < ".join(outcomes.labels[classes[c][0]] for c in cycle)
        raise ModelError(f"cyclic constraints: {words}", source=spec.source, key=f"ordering.{player}")
    return classes, less


def _cycle(n: int, less: set[tuple[int, int]]) -> list[int]:
    """A cycle of ``less`` as a closed walk of classes (``[]`` if it is acyclic)."""
    above: dict[int, list[int]] = {k: [] for k in range(n)}
    for a, b in sorted(less):
        above[a].append(b)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    for start in range(n):
        if state[start]:
            continue
        stack: list[tuple[int, Iterator[int]]] = [(start, iter(above[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, kids = stack[-1]
            nxt = next(kids, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state[nxt] == 1:
                return [*path[path.index(nxt) :], nxt]
            elif state[nxt] == 0:
                state[nxt] = 1
                stack.append((nxt, iter(above[nxt])))
                path.append(nxt)
    return []


def linear_extensions(
    n: int, less: set[tuple[int, int]], limit: int, budget: Budget | None = None
) -> tuple[list[tuple[int, ...]], bool]:
    """Up to ``limit`` orderings of ``n`` classes (worst first) respecting ``less``; and whether
    that is all of them (False when the limit or the budget stopped the listing)."""
    below = [0] * n  # how many unplaced classes must come before each
    above: list[list[int]] = [[] for _ in range(n)]
    for a, b in less:
        below[b] += 1
        above[a].append(b)
    out: list[tuple[int, ...]] = []
    order: list[int] = []
    placed = [False] * n
    complete = True

    def extend() -> bool:  # False: stop
        nonlocal complete
        if len(order) == n:
            if len(out) >= limit or (budget is not None and budget.expired()):
                complete = False
                return False
            out.append(tuple(order))
            return True
        for c in range(n):
            if placed[c] or below[c]:
                continue
            placed[c] = True
            order.append(c)
            for b in above[c]:
                below[b] -= 1
            go = extend()
            for b in above[c]:
                below[b] += 1
            order.pop()
            placed[c] = False
            if not go:
                return False
        return True

    extend()
    return out, complete


def player_orders(
    spec: OrderingSpec, players: Sequence[str], outcomes: Outcomes, limit: int, budget: Budget | None = None
) -> list[PlayerOrders]:
    """Every player's orderings (an unconstrained player: every strict ordering)."""
    found = []
    for p in players:
        classes, less = player_constraints(spec, p, outcomes)
        orders, complete = linear_extensions(len(classes), less, limit, budget)
        found.append(PlayerOrders(p, classes, orders, complete))
    return found


def describe_order(po: PlayerOrders, k: int, labels: Sequence[str]) -> str:
    """Ordering ``k`` of a player in words, worst first: ``A < B = C < D``."""
    return " < ".join(" = ".join(labels[o] for o in po.classes[c]) for c in po.orders[k])
