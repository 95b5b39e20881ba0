"""From a game tree to its reduced normal form, and between mixed and behaviour strategies.

A *reduced* pure strategy (plan) of a player chooses an action only at the information sets that
its own earlier choices leave reachable (Kuhn 1953; Myerson 1991, §2.3; Gambit's "reduced
strategic form").  Payoffs are expectations over chance, built leaf by leaf: each leaf adds
``P(chance path) * payoff`` to every profile of plans consistent with its path.  Kuhn's theorem
turns a mixed plan into behaviour (``behaviour_from_mixed``) and back (``mixed_from_behaviour``)
under perfect recall.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> nf = normal_form(t)
>>> nf.strategies, nf.payoffs[:, 1, 1].tolist()
((('Out', 'In'), ('Fight', 'Accommodate')), [Fraction(2, 1), Fraction(2, 1)])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ModelError
from solver.core.tree import Tree

#: refuse reduced normal forms with more cells than this (players x profiles)
MAX_CELLS = 4_000_000

Plan = dict[int, int]


@dataclass(frozen=True, eq=False)
class NormalForm:
    """Reduced normal form: per player the plans (infoset -> action), labels and the tensor."""

    players: tuple[str, ...]
    plans: tuple[tuple[Plan, ...], ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: npt.NDArray[Any]


class TooLarge(Exception):
    """Raised by :func:`reduced_plans` when a player has more plans than ``limit``."""


def reduced_plans(
    tree: Tree, player: int, root: int = 0, limit: float = float("inf")
) -> list[Plan]:
    """Every reduced pure strategy of ``player`` in the subtree at ``root`` (at most ``limit``)."""
    nodes = tree.nodes
    out: list[Plan] = []

    def rec(stack: list[int], assign: Plan) -> None:
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
            for a, child in enumerate(node.children):
                rec([*stack, child], {**assign, h: a})
            return
        out.append(assign)
        if len(out) > limit:
            raise TooLarge

    rec([root], {})
    order = [k for k, h in enumerate(tree.infosets) if h.player == player]
    out.sort(key=lambda plan: tuple(plan.get(h, -1) for h in order))
    return out


def _plan_bound(tree: Tree, player: int, root: int) -> float:
    """Upper bound on the number of plans (infosets counted once per node)."""
    count = [1.0] * len(tree.nodes)
    for n in range(tree.end(root) - 1, root - 1, -1):
        node = tree.nodes[n]
        if node.children:
            vals = [count[c] for c in node.children]
            count[n] = sum(vals) if node.player == player else float(np.prod(vals))
    return count[root]


def plan_labels(tree: Tree, player: int, plans: Sequence[Plan]) -> tuple[str, ...]:
    """``Acquiesce/Confront`` style labels (``*``: not reached), unique within the player."""
    order = sorted({h for plan in plans for h in plan})
    labels = []
    for plan in plans:
        parts = [tree.infosets[h].actions[plan[h]] if h in plan else "*" for h in order]
        labels.append("/".join(parts) if parts else "(no move)")
    seen: dict[str, int] = {}
    unique = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        unique.append(lab if labels.count(lab) == 1 else f"{lab}#{seen[lab]}")
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
    """The reduced normal form of the subtree at ``root`` (exact or symbolic payoffs)."""
    n = len(tree.players)
    plans: list[list[Plan]] = [[] for _ in range(n)]
    done = 1.0
    for i in sorted(range(n), key=lambda i: _plan_bound(tree, i, root)):
        try:
            plans[i] = reduced_plans(tree, i, root, limit=max_cells / (n * done))
        except TooLarge:
            raise ModelError(
                f"reduced normal form too large (more than {max_cells} payoff cells); "
                "only the tree methods apply",
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
    if tree.symbolic:
        import sympy

        zero: Any = sympy.Integer(0)
    else:
        zero = Fraction(0)
    payoffs = np.full((n, *shape), zero, dtype=object)
    for leaf_id, prob, moves in leaves(tree, root):
        if prob == 0:
            continue
        index = []
        for i in range(n):
            table, col = tables[i]
            mask = np.ones(len(plans[i]), dtype=bool)
            for h, a in moves:
                if tree.infosets[h].player == i:
                    if h in col:
                        mask &= table[:, col[h]] == a
                    else:  # imperfect recall: no plan reaches this move
                        mask[:] = False
            index.append(np.flatnonzero(mask))
        pay = tree.nodes[leaf_id].payoffs
        for i in range(n):
            sub = payoffs[i][np.ix_(*index)]
            payoffs[i][np.ix_(*index)] = sub + prob * pay[i]
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
