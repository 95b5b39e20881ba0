"""Ordinal robustness: which conclusions hold in every payoff ordering a model's source supports.

A source such as an opinion piece supports payoff *orderings* at most.  For every combination of
the players' strict orderings consistent with the model's ``[ordering]`` constraints
(:mod:`.robust_orders`), the game is solved with rank payoffs (0 = a player's worst outcome
class) and each conclusion is checked:

* strategic form: which profiles are pure Nash equilibria, whether one exists, whether the status
  quo is one; for two players, that an equilibrium exists where none is pure (the solver finds the
  mixed one Nash 1951 guarantees);
* trees (perfect information, no chance move): the subgame-perfect outcomes by backward induction
  (Selten 1965), whether the status quo is one, and at each node below the root whether each
  action is credible (the test of :func:`solver.analysis.credibility.threats`; see :func:`_tree`).

Only ordinal conclusions are reported: pure equilibria and backward induction depend on orderings
alone, whereas mixing probabilities depend on cardinal payoffs (see :data:`ORDINAL_NOTE`).

>>> from solver.formats import load
>>> r = robust(load("syria_deconfliction"))
>>> r.complete, r.examined, [f.verdict for f in r.findings if f.kind == "status_quo"]
(True, 9, ['never'])
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from solver.analysis.robust_orders import Outcomes, PlayerOrders, describe_order, outcomes_of, player_orders
from solver.core.budget import Budget, Progress
from solver.core.errors import ModelError
from solver.core.symbolic import Model
from solver.core.tree import Node, Tree
from solver.formats.ordering import OrderingSpec, read_ordering

ORDINAL_NOTE = (
    "ordinal conclusions concern pure equilibria (and, in trees, backward induction): mixing "
    "probabilities depend on cardinal payoffs, which an ordering does not fix"
)
#: combinations solved at most, unless the caller says otherwise
MAX_ORDERINGS = 10_000
#: outcomes per game at most (each player's orderings are listed by a recursion this deep)
MAX_OUTCOMES = 64


@dataclass
class Finding:
    """One conclusion and in how many of the ``of`` combinations it holds, with an example of each."""

    kind: str  # "exists" | "equilibrium" | "status_quo" | "threat"
    text: str
    holds: int = 0
    of: int = 0
    holds_in: int | None = None
    fails_in: int | None = None

    @property
    def verdict(self) -> str:
        return "always" if self.holds == self.of else "never" if self.holds == 0 else "depends"

    def count(self, ok: bool, k: int) -> None:
        self.of += 1
        if ok:
            self.holds += 1
            self.holds_in = k if self.holds_in is None else self.holds_in
        else:
            self.fails_in = k if self.fails_in is None else self.fails_in


@dataclass
class Robust:
    """The result of :func:`robust`; ``combos[k]`` is the ordering index of each player."""

    model: str
    title: str
    kind: str  # "strategic" | "tree"
    players: tuple[str, ...]
    outcome_labels: tuple[str, ...]
    orders: list[PlayerOrders]
    status_quo: str | None
    findings: list[Finding] = field(default_factory=list)
    #: equilibrium (or SPE) outcome sets -> how many combinations have exactly that set
    sets: dict[tuple[str, ...], int] = field(default_factory=dict)
    combos: list[tuple[int, ...]] = field(default_factory=list)
    #: the equilibrium (SPE) outcomes of each combination examined
    per_combo: list[tuple[str, ...]] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    time_budget: float | None = None
    #: the stated constraints the model's own numbers (at the values given) break, in words
    violations: list[str] = field(default_factory=list)
    @property
    def examined(self) -> int:
        return len(self.combos)

    @property
    def complete(self) -> bool:
        return not self.limits

    def example(self, k: int | None) -> dict[str, str]:
        """Combination ``k`` in words: player -> its ordering, worst first."""
        if k is None:
            return {}
        return {
            po.player: describe_order(po, j, self.outcome_labels)
            for po, j in zip(self.orders, self.combos[k], strict=True)
        }


def robust(
    model: Model,
    values: Mapping[str, Any] | None = None,
    *,
    max_orderings: int = MAX_ORDERINGS,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
) -> Robust:
    """Solve ``model`` with rank payoffs for every combination of orderings (up to
    ``max_orderings`` combinations and the time budget; ``complete`` says whether all were).

    ``values`` (parameter overrides) do not change the orderings; they say where the model's own
    numbers are checked against the stated constraints (``violations``)."""
    if max_orderings < 1:
        raise ModelError("--max-orderings must be at least 1", source=model.path or model.name)
    if model.tree is not None and (model.tree.has_chance or not model.tree.perfect_information):
        raise ModelError(
            "ordinal robustness of a tree needs perfect information and no chance move (expected "
            "payoffs over chance or beliefs are cardinal)",
            source=model.path or model.name,
        )
    bud = Budget.of(budget, timeout, progress)
    spec = read_ordering(model.path, model.players)
    outcomes = outcomes_of(model)
    if len(outcomes.labels) > MAX_OUTCOMES:
        raise ModelError(
            f"{len(outcomes.labels)} outcomes: ordinal robustness enumerates orderings of at most {MAX_OUTCOMES}",
            source=spec.source,
        )
    if spec.status_quo is not None and spec.status_quo not in outcomes.aliases:
        raise ModelError(f"unknown outcome {spec.status_quo!r}", source=spec.source, key="ordering.status_quo")
    orders = player_orders(spec, model.players, outcomes, max_orderings, bud)
    sq = None if spec.status_quo is None else outcomes.aliases[spec.status_quo]
    res = Robust(
        model.name, model.title, "strategic" if model.tree is None else "tree", model.players,
        outcomes.labels, orders, None if sq is None else outcomes.labels[sq], time_budget=bud.seconds,
    )
    res.violations = _violations(model, model.values(values), spec, outcomes)
    for po in orders:
        if not po.complete:
            res.limits.append(f"{po.player}: only the first {len(po.orders)} orderings listed")
    total = int(np.prod([len(po.orders) for po in orders]))
    n = len(outcomes.labels)
    findings: dict[tuple[str, str], Finding] = {}

    def find(kind: str, text: str) -> Finding:
        return findings.setdefault((kind, text), Finding(kind, text))

    what = "pure equilibrium" if model.tree is None else "subgame-perfect outcome"
    for k, combo in enumerate(itertools.product(*(range(len(po.orders)) for po in orders))):
        if k >= max_orderings:
            res.limits.append(f"--max-orderings {max_orderings}: {total - k} of {total} combinations not solved")
            break
        if bud.expired():
            res.limits.append(bud.limit("the orderings", f"{total - k} of {total} combinations"))
            break
        bud.report("orderings", k / max(1, total))
        ranks = [po.ranks(j, n) for po, j in zip(orders, combo, strict=True)]
        mixed: bool | None = None
        if model.tree is None:
            eq, mixed = _strategic(model, ranks)
        else:
            eq, threats = _tree(model, ranks, outcomes.where)
            for text, credible in threats:
                find("threat", text).count(credible, k)
        res.combos.append(combo)
        labels = tuple(outcomes.labels[o] for o in eq)
        res.per_combo.append(labels)
        res.sets[labels] = res.sets.get(labels, 0) + 1
        find("exists", f"a {what} exists").count(bool(eq), k)
        if mixed is not None:
            find("exists", "an equilibrium exists (pure, or mixed where none is pure)").count(mixed, k)
        if sq is not None:
            find("status_quo", f"the status quo ({outcomes.labels[sq]}) is a {what}").count(sq in eq, k)
    for o, label in enumerate(outcomes.labels):  # every outcome that is an equilibrium somewhere
        if o != sq and any(label in s for s in res.sets):  # the status quo has its own finding
            f = find("equilibrium", f"{label} is a {what}")
            for k, s in enumerate(res.per_combo):
                f.count(label in s, k)
    kinds = ("exists", "status_quo", "equilibrium", "threat")
    res.findings = sorted(findings.values(), key=lambda f: (kinds.index(f.kind), -f.holds, f.text))
    return res


def _violations(model: Model, values: Mapping[str, Any], spec: OrderingSpec, outcomes: Outcomes) -> list[str]:
    """The stated relations the model's payoffs at ``values`` break (exact where rational)."""
    if model.tree is None:
        from solver.core.symbolic import evaluate

        flat = evaluate(model, values).payoffs.reshape(len(model.players), -1)
        pay = [[flat[i][o] for o in outcomes.where] for i in range(len(model.players))]
    else:
        num = model.tree.at(values)
        pay = [[num.nodes[n].payoffs[i] for n in outcomes.where] for i in range(len(model.players))]
    broken = []
    for i, player in enumerate(model.players):
        for chain in spec.chains.get(player, ()):
            idx = [outcomes.aliases[label] for label in chain.labels]
            for a, rel, b in zip(idx, chain.relations, idx[1:], strict=False):
                x, y = pay[i][a], pay[i][b]
                if (rel == "<" and not x < y) or (rel == "=" and x != y):
                    broken.append(
                        f"{player}: {outcomes.labels[a]} {rel} {outcomes.labels[b]} "
                        f"fails ({float(x):g} vs {float(y):g})"
                    )
    return broken


def _strategic(model: Model, ranks: list[list[int]]) -> tuple[list[int], bool | None]:
    """Pure equilibria (flat profile indices) of the rank game; for two players, whether an
    equilibrium exists (the solver's mixed one where no pure one does)."""
    from solver.core.game import Game
    from solver.equilibria.pure import pure_equilibrium_mask

    shape = model.shape
    payoffs = np.array(ranks, dtype=np.int64).reshape((len(ranks), *shape))
    mask = pure_equilibrium_mask(payoffs)
    eq = [int(k) for k in np.flatnonzero(mask.reshape(-1))]
    if len(model.players) != 2:
        return eq, None
    if eq:
        return eq, True
    from solver.equilibria import solve

    game = Game(model.players, model.strategies, payoffs.astype(object) * Fraction(1), is_exact=True)
    return eq, bool(solve(game).equilibria)


def _tree(model: Model, ranks: list[list[int]], leaves: tuple[int, ...]) -> tuple[list[int], list[tuple[str, bool]]]:
    """SPE outcomes (outcome indices) of the tree with rank payoffs, and at every decision node
    below the root each action's credibility (text, credible).

    An action at a node is credible when it is a best reply there given credible play below
    (Selten 1965), the test of :func:`solver.analysis.credibility.threats`; in a perfect-
    information tree that is an action some subgame-perfect equilibrium plays at the node, so it
    is read off the SPE that backward induction lists (ties branch, so every one is listed)."""
    from solver.equilibria.trees.backward import all_spe

    assert model.tree is not None
    num = rank_tree(model.tree, ranks, leaves)
    spes, _ = all_spe(num, 10_000)
    where = {n: k for k, n in enumerate(leaves)}
    eq = sorted({where[_leaf(num, moves)] for moves, _ in spes})
    found = []
    for n, node in enumerate(num.nodes):
        if n == 0 or node.is_terminal:
            continue
        chosen = {moves[node.infoset] for moves, _ in spes}
        who, place = num.players[node.player], num.describe(n)
        found += [(f"{who}'s {a} at {place} is credible", k in chosen) for k, a in enumerate(num.actions(n))]
    return eq, found


def rank_tree(tree: Tree, ranks: list[list[int]], leaves: tuple[int, ...]) -> Tree:
    """``tree`` with rank payoffs: leaf ``leaves[k]`` pays player ``i`` ``ranks[i][k]``."""
    pay = {n: tuple(Fraction(r[k]) for r in ranks) for k, n in enumerate(leaves)}
    nodes = tuple(
        Node(nd.name, nd.player, nd.infoset, nd.children, nd.probs, pay.get(n, ()))
        for n, nd in enumerate(tree.nodes)
    )
    return Tree(tree.players, nodes, tree.infosets, tree.title, False)


def _leaf(tree: Tree, moves: Mapping[int, int]) -> int:
    n = 0
    while not tree.nodes[n].is_terminal:
        node = tree.nodes[n]
        n = node.children[moves[node.infoset]]
    return n
