"""From a game tree to its reduced normal form, and between mixed and behaviour strategies.

A *reduced* pure strategy (plan) of a player chooses an action only at the information sets that
its own earlier choices leave reachable (Kuhn 1953; Myerson 1991, §2.3; Gambit's "reduced
strategic form").  Payoffs are expectations over chance, built leaf by leaf: each leaf adds
``P(chance path) * payoff`` to every profile of plans consistent with its path (as integers
where exact: :mod:`.treeform_sums`).  Kuhn's theorem: mixed plans to behaviour and back.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> nf = normal_form(t)
>>> nf.strategies, nf.payoffs[:, 1, 1].tolist()
((('Out', 'In'), ('Fight', 'Accommodate')), [Fraction(2, 1), Fraction(2, 1)])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ModelError
from solver.core.tree import Tree
from solver.core.treeform_sums import integer_payoffs, known_refusal, remember_refusal

#: refuse reduced normal forms with more cells than this (players x profiles)
MAX_CELLS = 4_000_000
#: refuse building more plan entries (infoset choices summed over plans) than this
MAX_PLAN_ENTRIES = 4_000_000
#: plan counts are exact up to this; beyond, "more than" it is all a message needs
_COUNT_CAP = 10**400

Plan = dict[int, int]


@dataclass(frozen=True, eq=False)
class NormalForm:
    """Reduced normal form: per player the plans (infoset -> action), labels and the tensor."""

    players: tuple[str, ...]
    plans: tuple[tuple[Plan, ...], ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: npt.NDArray[Any]


class TooLarge(Exception):
    """Raised by :func:`reduced_plans` past ``limit`` plans or ``max_entries`` plan entries."""


def reduced_plans(
    tree: Tree, player: int, root: int = 0, limit: float = float("inf"), max_entries: int = MAX_PLAN_ENTRIES
) -> list[Plan]:
    """Every reduced pure strategy of ``player`` in the subtree at ``root`` (at most ``limit``;
    explicit stacks, so the depth of the tree does not matter)."""
    nodes = tree.nodes
    out: list[Plan] = []
    entries = 0
    work: list[tuple[list[int], Plan]] = [([root], {})]
    while work:
        stack, assign = work.pop()
        while stack:
            n = stack.pop()
            node = nodes[n]
            if node.is_terminal:
                continue
            if node.player != player:
                stack.extend(node.children)
                continue
            h = node.infoset
            if h in assign:
                stack.append(node.children[assign[h]])
                continue
            for a in range(len(node.children) - 1, -1, -1):
                work.append(([*stack, node.children[a]], {**assign, h: a}))
            break
        else:
            out.append(assign)
            entries += len(assign) + 1
            if len(out) > limit or entries > max_entries:
                raise TooLarge
    order = [k for k, h in enumerate(tree.infosets) if h.player == player]
    out.sort(key=lambda plan: tuple(plan.get(h, -1) for h in order))
    return out


def plan_count(tree: Tree, player: int, root: int = 0) -> tuple[int, bool]:
    """(number of ``player``'s reduced plans in the subtree at ``root``, whether exact), linear in
    the subtree.  Perfect recall: exact (a set's count is the sum over its actions of the product
    of the counts of the sets that action leads to first); else an upper bound (every node its
    own set).  Counts stop growing past a cap far above any limit."""
    pi = tree.perfect_information  # every node its own set: the node pass below is exact
    own = {} if pi else tree.own_moves(player, root)
    first: dict[int, set[tuple[int, int] | None]] = {}
    for k, h in enumerate(tree.infosets):
        if h.player == player and h.members[0] in own:
            first[k] = {own[m] for m in h.members}  # perfect recall: one each
    if not pi and all(len(v) == 1 for v in first.values()):
        under: dict[tuple[int, int] | None, list[int]] = {}
        for k in sorted(first, key=lambda k: -min(tree.infosets[k].members)):
            total = sum(_product(under.get((k, a), [])) for a in range(len(tree.infosets[k].actions)))
            under.setdefault(next(iter(first[k])), []).append(min(total, _COUNT_CAP))
        return _product(under.get(None, [])), True
    count = [1] * len(tree.nodes)
    for n in range(tree.end(root) - 1, root - 1, -1):
        node = tree.nodes[n]
        if node.children:
            vals = [count[c] for c in node.children]
            count[n] = min(sum(vals) if node.player == player else _product(vals), _COUNT_CAP)
    return count[root], pi


def _product(values: Sequence[int]) -> int:
    out = 1
    for v in values:
        out = min(out * v, _COUNT_CAP)
    return out


def magnitude(count: int) -> str:
    """``2^1023``, ``about 10^12`` or the number itself: a count as an error message shows it."""
    if count >= _COUNT_CAP:
        return "more than 10^400"
    if count <= 10**12:
        return f"{count:,}"
    return f"2^{count.bit_length() - 1}" if count & (count - 1) == 0 else f"about 10^{len(str(count)) - 1}"


def plan_labels(tree: Tree, player: int, plans: Sequence[Plan]) -> tuple[str, ...]:
    """``Acquiesce/Confront`` style labels (``*``: not reached), unique within the player."""
    order = sorted({h for plan in plans for h in plan})
    labels = []
    for plan in plans:
        parts = [tree.infosets[h].actions[plan[h]] if h in plan else "*" for h in order]
        labels.append("/".join(parts) if parts else "(no move)")
    total, seen = Counter(labels), Counter[str]()
    unique: list[str] = []
    for lab in labels:
        seen[lab] += 1
        unique.append(lab if total[lab] == 1 else f"{lab}#{seen[lab]}")
    return tuple(unique)


def leaves(tree: Tree, root: int = 0) -> list[tuple[int, Any, list[tuple[int, int]]]]:
    """(leaf, chance probability of its path from ``root``, (infoset, action) moves on the way)."""
    out = []
    nodes = tree.nodes
    stack: list[tuple[int, Any, list[tuple[int, int]]]] = [(root, Fraction(1), [])]
    while stack:
        n, prob, moves = stack.pop()
        node = nodes[n]
        if node.is_terminal:
            out.append((n, prob, moves))
            continue
        for a, c in enumerate(node.children):
            if node.is_chance:
                stack.append((c, prob * node.probs[a], moves))
            else:
                stack.append((c, prob, [*moves, (node.infoset, a)]))
    out.reverse()
    return out


def normal_form(tree: Tree, root: int = 0, *, max_cells: int = MAX_CELLS) -> NormalForm:
    """The reduced normal form of the subtree at ``root`` (exact or symbolic payoffs); a
    :class:`ModelError` naming the limit, before anything is built, when it would have more than
    ``max_cells`` payoff cells (:func:`plan_count`) or :data:`MAX_PLAN_ENTRIES` plan entries."""
    n = len(tree.players)
    if refusal := known_refusal(tree, root, max_cells):  # the tree just refused: not counted again
        raise ModelError(refusal, key="tree")
    counts = [plan_count(tree, i, root) for i in range(n)]
    profiles = _product([c for c, _ in counts])
    if n * profiles > max_cells and all(exact for _, exact in counts):
        message = (
            f"the tree's reduced normal form would have {magnitude(profiles)} strategy profiles "
            f"({' x '.join(magnitude(c) for c, _ in counts)} plans), more than the limit of "
            f"{max_cells:,} payoff cells ({n} per profile)"
        )
        raise ModelError(remember_refusal(tree, root, max_cells, message), key="tree")
    plans: list[list[Plan]] = [[] for _ in range(n)]
    done = 1.0
    for i in sorted(range(n), key=lambda i: counts[i][0]):
        try:
            plans[i] = reduced_plans(tree, i, root, limit=max_cells / (n * done))
        except TooLarge:
            raise ModelError(
                f"the tree's reduced normal form is too large (more than {max_cells:,} payoff "
                f"cells or {MAX_PLAN_ENTRIES:,} plan entries)",
                key="tree",
            ) from None
        done *= len(plans[i])
    shape = tuple(len(p) for p in plans)
    tables = []
    for i in range(n):
        sets = sorted({h for plan in plans[i] for h in plan})
        col = {h: k for k, h in enumerate(sets)}
        table = np.full((len(plans[i]), max(1, len(sets))), -1, dtype=np.int64)
        for r, plan in enumerate(plans[i]):
            for h, a in plan.items():
                table[r, col[h]] = a
        tables.append((table, col))
    cells = []
    for leaf_id, prob, moves in leaves(tree, root):
        if prob == 0:
            continue
        index = []
        for i in range(n):
            table, col = tables[i]
            mine = [(col.get(h, -1), a) for h, a in moves if tree.infosets[h].player == i]
            if any(c < 0 for c, _ in mine):  # imperfect recall: no plan reaches this move
                index.append(np.zeros(0, dtype=np.int64))
                continue
            cols, acts = [c for c, _ in mine], [a for _, a in mine]  # one numpy pass per leaf
            index.append(np.flatnonzero((table[:, cols] == acts).all(axis=1)))
        cells.append((np.ix_(*index), [prob * v for v in tree.nodes[leaf_id].payoffs]))
    payoffs = integer_payoffs(n, shape, cells) if not tree.symbolic else None
    if payoffs is None:
        zero: Any = Fraction(0)
        if tree.symbolic:
            import sympy

            zero = sympy.Integer(0)
        payoffs = np.full((n, *shape), zero, dtype=object)
        for where, weights in cells:
            for i in range(n):
                payoffs[i][where] = payoffs[i][where] + weights[i]
    strategies = tuple(plan_labels(tree, i, plans[i]) for i in range(n))
    return NormalForm(tree.players, tuple(tuple(p) for p in plans), strategies, payoffs)


Behaviour = list[dict[int, list[Any]]]


def behaviour_from_mixed(tree: Tree, nf: NormalForm, vectors: Sequence[Sequence[Any]]) -> Behaviour:
    """Kuhn: per player, infoset -> action probabilities (absent where the player's own strategy
    never reaches the infoset)."""
    out: Behaviour = []
    for i, (plans, vec) in enumerate(zip(nf.plans, vectors, strict=True)):
        mass: dict[int, Any] = {}
        acts: dict[int, list[Any]] = {}
        for plan, w in zip(plans, vec, strict=True):
            if w == 0:
                continue
            for h, a in plan.items():
                mass[h] = mass.get(h, 0) + w
                acts.setdefault(h, [0] * len(tree.infosets[h].actions))[a] += w
        out.append({h: [x / mass[h] for x in acts[h]] for h in sorted(acts) if mass[h] > 0})
        del i
    return out


def mixed_from_behaviour(nf: NormalForm, behaviour: Behaviour) -> list[list[Any]]:
    """The mixed strategies (over reduced plans) a complete behaviour profile induces."""
    out = []
    for plans, beh in zip(nf.plans, behaviour, strict=True):
        vec = []
        for plan in plans:
            w: Any = Fraction(1)
            for h, a in plan.items():
                w = w * beh[h][a]
            vec.append(w)
        out.append(vec)
    return out


def outcome_distribution(tree: Tree, behaviour: Behaviour, root: int = 0) -> list[tuple[int, Any]]:
    """(leaf, probability) of every leaf reached with positive probability from ``root``."""
    out = []
    stack: list[tuple[int, Any]] = [(root, Fraction(1))]
    while stack:
        n, prob = stack.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            out.append((n, prob))
            continue
        probs = node.probs if node.is_chance else behaviour[node.player].get(node.infoset)
        if probs is None:
            raise KeyError(node.infoset)
        for c, p in zip(node.children, probs, strict=True):
            if p != 0:
                stack.append((c, prob * p))
    out.sort()
    return out


def expected_payoffs(tree: Tree, behaviour: Behaviour, root: int = 0) -> list[Any]:
    """Each player's expected payoff from ``root`` under a behaviour profile."""
    totals: list[Any] = [0] * len(tree.players)
    for leaf_id, p in outcome_distribution(tree, behaviour, root):
        for i, v in enumerate(tree.nodes[leaf_id].payoffs):
            totals[i] = totals[i] + p * v
    return totals
