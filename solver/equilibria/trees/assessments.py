"""Every perfect Bayesian equilibrium of a small tree, by support patterns of behaviour strategies.

The reduced normal form's solvers list the *extreme* Nash equilibria; a perfect Bayesian
equilibrium (PBE) can lie inside a continuum of them (Kreps & Wilson 1982 for b^2 < delta < b:
two off-path mixtures pinned down by sequential rationality only).  This search does not start
from the Nash equilibria (a two-player caller may bound the supports by them:
:func:`.inner_pbe.allowed_actions`).  A *pattern*
fixes the support ``S_h`` of every information set's behaviour (the idea of support enumeration,
Dickhaut & Kaplan 1991, carried to behaviour strategies as :mod:`..signalling.supports` does for
signalling games); given it, the PBE conditions of :mod:`.bayesian` are polynomial in the
behaviour probabilities (Fudenberg & Tirole 1991, §8.2):

* beliefs: at a set some node of which the pattern reaches, or would reach but for the set
  owner's own earlier moves, Bayes' rule on chance's and the other players' moves, multiplied out
  (its normaliser is positive); at a set every node of which needs the same zero-probability
  moves, Bayes' rule given them; elsewhere free, a belief variable per node;
* each support action as good as the set's first, the others no better, under those beliefs and
  the continuation behaviour: ``sum_m w_m (V_m(first) - V_m(a)) = 0`` or ``>= 0``, where the
  weights' common factors (the moves every node's path shares, positive in the pattern) are
  cancelled.

Degree-one equations are eliminated by substitution (:func:`.polys.solve_system`); where the
rest is linear, the pattern's PBE form a polytope, and the pattern counts when every support
probability is positive at some vertex.  The vertices are reported, each checked again by
:func:`.bayesian.beliefs_extra` (and by the caller's regret test); where none passes (a smaller
support can change which beliefs are prescribed) the centroid, which has the exact supports, is.
A pattern left nonlinear is counted, not solved: the search is then not complete.

>>> from fractions import Fraction as F
>>> from solver.formats import load
>>> m = load("kreps_wilson_reputation")
>>> tree = m.tree.at(m.values({"delta": F(1, 3)}))
>>> found = search(tree)
>>> found.complete, [b[2] for b in found.equilibria]  # the Weak incumbent's (Fight, Accommodate)
(True, [{4: [Fraction(1, 2), Fraction(1, 2)]}])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, product

from solver.core.budget import UNBOUNDED, Budget
from solver.core.tree import Tree
from solver.core.treeform import Behaviour
from solver.equilibria.trees.polys import Point, Poly, add, const, evaluate, mul, solve_system, sub, total, var

#: search trees with at most this many support patterns (product over sets of 2^actions - 1)
MAX_PATTERNS = 4096

Key = tuple[int, int]  # (information set, action); chance moves as (-1 - node, action)


@dataclass
class Found:
    """The search's answer: fully specified PBE behaviour profiles, and how it ended."""

    equilibria: list[Behaviour] = field(default_factory=list)
    patterns: int = 0
    nonlinear: int = 0
    complete: bool = True
    limit: str = ""


def pattern_count(tree: Tree, allowed: dict[int, set[int]] | None = None) -> int:
    """How many support patterns :func:`search` examines (``allowed`` as there)."""
    total = 1
    for h, info in enumerate(tree.infosets):
        if info.player >= 0:
            k = len(info.actions) if allowed is None or h not in allowed else len(allowed[h])
            total *= 2**k - 1
    return total


def eligible(tree: Tree, allowed: dict[int, set[int]] | None = None) -> bool:
    """Exact, imperfect information (perfect-information trees have backward induction) and at
    most :data:`MAX_PATTERNS` patterns."""
    if tree.perfect_information or pattern_count(tree, allowed) > MAX_PATTERNS:
        return False
    for node in tree.nodes:
        nums = node.payoffs if node.is_terminal else (node.probs if node.is_chance else ())
        if not all(isinstance(v, (int, Fraction)) for v in nums):
            return False
    return True


def _supports(k: int) -> list[tuple[int, ...]]:
    return [c for size in range(1, k + 1) for c in combinations(range(k), size)]


def search(tree: Tree, budget: Budget = UNBOUNDED, allowed: dict[int, set[int]] | None = None) -> Found:
    """Every pattern of ``tree`` (see the module docstring); the caller checks :func:`eligible`.
    ``allowed``: the actions each set's support may use (every one where not given)."""
    sets = [h for h, s in enumerate(tree.infosets) if s.player >= 0]
    found = Found()
    seen: set[tuple[tuple[int, tuple[Fraction, ...]], ...]] = set()
    pat = _Patterns(tree)
    options = [
        [s for s in _supports(len(tree.infosets[h].actions)) if allowed is None or set(s) <= allowed.get(h, set(s))]
        for h in sets
    ]
    choices = list(product(*options))
    for k, supp in enumerate(choices):
        if budget.expired():
            found.complete, found.limit = False, budget.limit("the PBE support patterns", "the remaining patterns")
            break
        budget.report("PBE support patterns", k / len(choices))
        found.patterns += 1
        points = pat.solve(dict(zip(sets, supp, strict=True)))
        if points is None:
            found.nonlinear += 1
            found.complete = False
            continue
        for beh in points:
            ident = tuple(sorted((h, tuple(p)) for b in beh for h, p in b.items()))
            if ident not in seen:
                seen.add(ident)
                found.equilibria.append(beh)
    return found


Supp = dict[int, tuple[int, ...]]


def prob(supp: Supp, h: int, a: int) -> Poly:
    """The probability of action ``a`` at set ``h``: 0 off the support, 1 for a pure one, the
    variable ``(h, a)`` for a mixed one's later actions, one minus them for its first."""
    s = supp[h]
    if a not in s:
        return {}
    if len(s) == 1:
        return const(1)
    if a == s[0]:
        out = const(1)
        for b in s[1:]:
            out = sub(out, var((h, b)))
        return out
    return var((h, a))


class _Patterns:
    """The conditions of every pattern, built from pieces cached by the supports they depend on:
    a node's continuation values on the sets below it, a set's conditions on the sets above and
    below its nodes."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        n = len(tree.nodes)
        below: list[set[int]] = [set() for _ in range(n)]
        for k in range(n - 1, -1, -1):
            node = tree.nodes[k]
            if not node.is_terminal and not node.is_chance:
                below[k].add(node.infoset)
            for c in node.children:
                below[k] |= below[c]
        self.below = [tuple(sorted(b)) for b in below]
        self.relevant: dict[int, tuple[int, ...]] = {}
        for h, info in enumerate(tree.infosets):
            if info.player >= 0:
                deps = set(below[info.members[0]])
                for m in info.members:
                    deps |= below[m]
                    deps |= {tree.nodes[p].infoset for p, _ in tree.history(m) if not tree.nodes[p].is_chance}
                self.relevant[h] = tuple(sorted(deps))
        self.order = sorted(self.relevant, key=lambda h: len(self.relevant[h]))
        self.value_cache: dict[tuple[int, tuple[tuple[int, ...], ...]], tuple[Poly, ...]] = {}
        self.cond_cache: dict[tuple[int, tuple[tuple[int, ...], ...]], tuple[list[Poly], list[Poly]]] = {}

    def move(self, supp: Supp, n: int, a: int) -> tuple[Key, Poly]:
        node = self.tree.nodes[n]
        if node.is_chance:
            return (-1 - n, a), const(Fraction(node.probs[a]))
        return (node.infoset, a), prob(supp, node.infoset, a)

    def values(self, supp: Supp, k: int) -> tuple[Poly, ...]:
        key = (k, tuple(supp[h] for h in self.below[k]))
        hit = self.value_cache.get(key)
        if hit is not None:
            return hit
        node = self.tree.nodes[k]
        if node.is_terminal:
            out = tuple(const(Fraction(v)) for v in node.payoffs)
        else:
            total: list[Poly] = [{} for _ in self.tree.players]
            for a, c in enumerate(node.children):
                p = self.move(supp, k, a)[1]
                if p:
                    total = [add(t, mul(p, v)) for t, v in zip(total, self.values(supp, c), strict=True)]
            out = tuple(total)
        self.value_cache[key] = out
        return out

    def conditions(self, supp: Supp, h: int) -> tuple[list[Poly], list[Poly]]:
        """(equations, inequalities) of set ``h``'s sequential rationality."""
        key = (h, tuple(supp[g] for g in self.relevant[h]))
        hit = self.cond_cache.get(key)
        if hit is not None:
            return hit
        tree, s = self.tree, supp[h]
        info = tree.infosets[h]
        ineqs: list[Poly] = []
        weights = self.weights(supp, info.player, info.members) if len(info.members) > 1 else [const(1)]
        if weights is None:  # free beliefs: one variable per node but the first
            mus = [var((-1 - h, j)) for j in range(1, len(info.members))]
            first = const(1)
            for mu in mus:
                first = sub(first, mu)
            weights = [first, *mus]
            ineqs.extend(weights)
        gain = [
            total(mul(w, self.values(supp, tree.nodes[m].children[a])[info.player])
                 for w, m in zip(weights, info.members, strict=True))
            for a in range(len(info.actions))
        ]
        eqs = [sub(gain[s[0]], gain[a]) for a in s[1:]]
        ineqs += [sub(gain[s[0]], gain[a]) for a in range(len(info.actions)) if a not in s]
        if len(s) > 1:
            ineqs += [prob(supp, h, a) for a in s]
        self.cond_cache[key] = (eqs, ineqs)
        return eqs, ineqs

    def weights(self, supp: Supp, player: int, members: tuple[int, ...]) -> list[Poly] | None:
        """Each node's belief weight (common factors cancelled), or None: the beliefs are free.
        As :func:`.bayesian.beliefs_extra`: Bayes' rule on chance's and the other players' moves
        where some node has them all positive (the owner's own moves are common), else on the
        moves that are not zero where every node needs the same zero-probability moves."""
        tree = self.tree
        paths = [[self.move(supp, p, a) for p, a in tree.history(m)] for m in members]
        mine = [[not tree.nodes[p].is_chance and tree.nodes[p].player == player for p, _ in tree.history(m)]
                for m in members]
        own = {tuple(k for (k, _), is_own in zip(path, flags, strict=True) if is_own)
               for path, flags in zip(paths, mine, strict=True)}
        others = [[kp for kp, is_own in zip(path, flags, strict=True) if not is_own]
                  for path, flags in zip(paths, mine, strict=True)]
        if len(own) == 1 and any(all(p for _, p in path) for path in others):
            paths = others
        zeros = [frozenset(key for key, p in path if not p) for path in paths]
        if any(not z for z in zeros):
            live = [not z for z in zeros]
        elif len(set(zeros)) == 1:
            live = [True] * len(members)
        else:
            return None
        keys = [{key for key, p in path if p} for path, ok in zip(paths, live, strict=True) if ok]
        common = set.intersection(*keys)
        out = []
        for path, ok in zip(paths, live, strict=True):
            w: Poly = const(1) if ok else {}
            for key, p in path if ok else ():
                if p and key not in common:
                    w = mul(w, p)
            out.append(w)
        return out

    def solve(self, supp: Supp) -> list[Behaviour] | None:
        """The checked PBE points of one pattern (None: its conditions are nonlinear)."""
        eqs: list[Poly] = []
        ineqs: list[Poly] = []
        for h in self.order:  # the sets with the fewest dependencies (most cache hits) first
            e, g = self.conditions(supp, h)
            if any(len(p) == 1 and () in p for p in e) or any(len(p) == 1 and p.get((), 0) < 0 for p in g):
                return []  # a constant condition fails: no point
            eqs += e
            ineqs += g
        points = solve_system(eqs, ineqs)
        if points is None or isinstance(points, str):
            return None
        probs = [prob(supp, h, a) for h, s in supp.items() if len(s) > 1 for a in s]
        if not points or not all(any(evaluate(p, x) > 0 for x in points) for p in probs):
            return []
        return _checked(self.tree, supp, points)


def _checked(tree: Tree, supp: Supp, points: list[Point]) -> list[Behaviour]:
    from solver.equilibria.trees.bayesian import beliefs_extra

    names = sorted({(h, a) for h, s in supp.items() for a in s[1:] if len(s) > 1})
    unique = list(dict.fromkeys(tuple(x[v] for v in names) for x in points))
    behs = [_behaviour(tree, supp, dict(zip(names, x, strict=True))) for x in unique]
    good = [b for b in behs if beliefs_extra(tree, b)["perfect_bayesian"]]
    if good or len(unique) == 1:
        return good
    centre = {v: sum((x[k] for x in unique), Fraction(0)) / len(unique) for k, v in enumerate(names)}
    mid = _behaviour(tree, supp, centre)
    return [mid] if beliefs_extra(tree, mid)["perfect_bayesian"] else []


def _behaviour(tree: Tree, supp: Supp, x: Point) -> Behaviour:
    beh: Behaviour = [{} for _ in tree.players]
    for h in supp:
        info = tree.infosets[h]
        beh[info.player][h] = [evaluate(prob(supp, h, a), x) for a in range(len(info.actions))]
    return beh
