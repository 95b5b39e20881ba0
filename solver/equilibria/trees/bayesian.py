"""Beliefs and the weak perfect Bayesian test for tree equilibria (Harsanyi 1967-68 types as a
chance move; Fudenberg & Tirole 1991, §8.2 for perfect Bayesian equilibrium).

At an information set reached with positive probability the beliefs are Bayes' rule on the
nodes' reach probabilities; at one that only its owner's own earlier moves keep off the path,
Bayes' rule on chance's and the other players' probabilities (the owner still reasons from the
others' strategies after its own deviation).  Elsewhere off the path they are free: for two
nodes (the one-sided two-type games of the deterrence literature) the exact interval of beliefs
on the first node that keeps the prescribed actions optimal is reported; for more nodes a vertex
of that polytope of beliefs (exact payoffs; point beliefs and the uniform one are tried for
floats).  An equilibrium is (weak) perfect Bayesian when every information set's prescribed
actions are optimal given some admissible beliefs and the continuation play.

>>> from solver.formats import load
>>> from solver.equilibria.trees.sequential import solve_tree
>>> e = solve_tree(load("zagare_kilgour_deterrence")).equilibria[0]
>>> e.extra["perfect_bayesian"], e.extra["beliefs"]["Challenger"]
(True, {'challenge': {'chance Hard': 0.5, 'chance Soft': 0.5}})
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from solver.core import tolerances
from solver.core.tree import Tree
from solver.core.treeform import Behaviour
from solver.equilibria.trees.paths import num


def _probs(tree: Tree, beh: Behaviour, n: int) -> list[Any]:
    node = tree.nodes[n]
    return list(node.probs) if node.is_chance else list(beh[node.player][node.infoset])


def reach_and_values(tree: Tree, beh: Behaviour) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """Reach probability of every node and its continuation payoffs under ``beh``."""
    n = len(tree.nodes)
    reach: list[Any] = [Fraction(0)] * n
    reach[0] = Fraction(1)
    for k, node in enumerate(tree.nodes):
        if node.children:
            for c, p in zip(node.children, _probs(tree, beh, k), strict=True):
                reach[c] = reach[k] * p
    values: list[tuple[Any, ...]] = [()] * n
    for k in range(n - 1, -1, -1):
        node = tree.nodes[k]
        if node.is_terminal:
            values[k] = tuple(node.payoffs)
        else:
            ps = _probs(tree, beh, k)
            values[k] = tuple(
                sum(p * values[c][i] for p, c in zip(ps, node.children, strict=True))
                for i in range(len(tree.players))
            )
    return reach, values


def _deviation_reach(tree: Tree, beh: Behaviour, m: int) -> tuple[frozenset[tuple[int, int]], Any]:
    """(zero-probability moves on the path to ``m``, probability of the rest of the path)."""
    zeros = set()
    w: Any = Fraction(1)
    for p, a in tree.history(m):
        x = _probs(tree, beh, p)[a]
        if x == 0:
            zeros.add((tree.nodes[p].infoset, a))
        else:
            w = w * x
    return frozenset(zeros), w


def _others_reach(tree: Tree, beh: Behaviour, i: int, members: tuple[int, ...]) -> list[Any] | None:
    """Each node's probability from chance and the other players' moves alone, where the nodes'
    paths share player ``i``'s own moves (perfect recall); else None.  Bayes' rule on these is
    Bayes' rule on the reach probabilities wherever the set is reached, and it also fixes the
    beliefs at a set that only ``i``'s own earlier moves keep off the path: after its own
    deviation a player still reasons from the others' strategies (Fudenberg & Tirole 1991, §8.2),
    which makes the test below one of optimal continuation strategies, not only of single moves
    (so a perfect Bayesian equilibrium is a Nash equilibrium)."""
    own: set[tuple[tuple[int, int], ...]] = set()
    out = []
    for m in members:
        w: Any = Fraction(1)
        mine = []
        for p, a in tree.history(m):
            node = tree.nodes[p]
            if not node.is_chance and node.player == i:
                mine.append((node.infoset, a))
            else:
                w = w * _probs(tree, beh, p)[a]
        own.add(tuple(mine))
        out.append(w)
    return out if len(own) == 1 else None


def beliefs_extra(tree: Tree, beh: Behaviour) -> dict[str, Any]:
    """``beliefs``, ``belief_ranges`` (off-path two-node sets) and ``perfect_bayesian``."""
    reach, values = reach_and_values(tree, beh)
    beliefs: dict[str, dict[str, dict[str, Any]]] = {}
    ranges: dict[str, dict[str, Any]] = {}
    ok: bool | None = True
    for h, info in enumerate(tree.infosets):
        if info.player < 0:
            continue
        i, members = info.player, info.members
        support = [a for a, p in enumerate(beh[i][h]) if p > 0]
        gains = [
            [values[tree.nodes[m].children[a]][i] for a in range(len(info.actions))]
            for m in members
        ]
        others = _others_reach(tree, beh, i, members)
        total = sum(others) if others is not None else sum(reach[m] for m in members)
        shadow = [_deviation_reach(tree, beh, m) for m in members]
        if total > 0:
            weights = others if others is not None else [reach[m] for m in members]
            mu: list[Any] | None = [w / total for w in weights]
        elif len({z for z, _ in shadow}) == 1 and sum(w for _, w in shadow) > 0:
            # every node needs the same deviations: Bayes' rule given them (no signalling of
            # what the deviator does not know; Fudenberg & Tirole 1991, condition B)
            mu = [w / sum(w for _, w in shadow) for _, w in shadow]
        elif len(members) == 2:
            lo, hi = _interval(gains, support)
            if lo is None:
                mu = None
            else:
                mu = [lo, 1 - lo]
                ranges.setdefault(tree.players[i], {})[info.label] = {
                    "node": tree.describe(members[0]),
                    "min": num(lo),
                    "max": num(hi),
                }
        else:
            mu = _some_belief(gains, support)
        if mu is None or not _optimal(gains, support, mu):
            ok = False
        if len(members) > 1 and mu is not None:
            beliefs.setdefault(tree.players[i], {})[info.label] = {
                tree.describe(m): num(x) for m, x in zip(members, mu, strict=True)
            }
    out: dict[str, Any] = {"beliefs": beliefs, "perfect_bayesian": ok}
    if ranges:
        out["belief_ranges"] = ranges
    return out


def _optimal(gains: list[list[Any]], support: list[int], mu: list[Any]) -> bool:
    """Sequential rationality: under beliefs ``mu`` every support action's regret is zero (within
    ``REGRET`` times the best expected payoff for floats)."""
    exp = [sum(w * g[a] for w, g in zip(mu, gains, strict=True)) for a in range(len(gains[0]))]
    best = max(exp)
    exact = all(isinstance(x, Fraction) for x in exp)
    tol = 0 if exact else tolerances.scaled(tolerances.REGRET, float(best))
    return all(exp[s] >= best - tol for s in support)


def _some_belief(gains: list[list[Any]], support: list[int]) -> list[Any] | None:
    """A belief over three or more nodes under which every support action is optimal: exactly,
    the first vertex of that polytope of beliefs (exact payoffs); else the point beliefs and the
    uniform one are tried."""
    n = len(gains)
    if all(isinstance(x, (int, Fraction)) for g in gains for x in g):
        from solver.equilibria.signalling.polytope import simplex_vertices

        rows = [([Fraction(g[s] - g[a]) for g in gains], Fraction(0))
                for s in support for a in range(len(gains[0])) if a != s]
        points = simplex_vertices(n, rows)
        return list(points[0]) if points else None
    candidates = [[Fraction(int(j == k)) for j in range(n)] for k in range(n)]
    candidates.append([Fraction(1, n)] * n)
    return next((c for c in candidates if _optimal(gains, support, c)), None)


def _interval(gains: list[list[Any]], support: list[int]) -> tuple[Any, Any]:
    """Beliefs mu on the first of two nodes under which every support action is optimal."""
    lo: Any = Fraction(0)
    hi: Any = Fraction(1)
    for s in support:
        for a in range(len(gains[0])):
            d1 = gains[0][s] - gains[0][a]
            d2 = gains[1][s] - gains[1][a]
            c = d1 - d2  # need c*mu + d2 >= 0
            if c > 0:
                lo = max(lo, _ratio(-d2, c))
            elif c < 0:
                hi = min(hi, _ratio(-d2, c))
            elif d2 < 0:
                return None, None
    return (lo, hi) if lo <= hi else (None, None)


def _ratio(a: Any, b: Any) -> Any:
    """``a / b``, exact for ints and Fractions (int payoffs would otherwise divide to floats)."""
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)):
        return Fraction(a) / Fraction(b)
    return a / b
