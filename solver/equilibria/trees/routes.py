"""Which algorithm a tree solve takes, and the ones that work on the tree itself.

The reduced normal form gives every Nash equilibrium of a small tree but grows exponentially
with it.  Past it (or where it is refused) a tree is solved as a tree:

* two players with perfect recall (Koller, Megiddo & von Stengel 1996): a zero-sum tree by the
  sequence-form linear program (:mod:`.zero_sum`, the value exact and certified by exact best
  replies), a general-sum tree by Lemke's algorithm on the sequence-form LCP (:mod:`.lemke`, one
  exact equilibrium).  Neither lists every equilibrium: the result is never marked complete;
* perfect information: backward induction (:mod:`.backward`) without the normal form;
* :func:`credible_filter`: a pure profile whose moves inside a perfect-information subgame are
  not optimal given the play below them is neither subgame perfect nor perfect Bayesian, so the
  analyses that track only those (thresholds, sweeps) skip its checks.

>>> from solver.core.tree import decision, from_named, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> keep = credible_filter(t)
>>> keep({0: 1, 1: 1}), keep({0: 0, 1: 0})  # (In, Accommodate); (Out, Fight): Fight is not credible
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import SolverError
from solver.core.tree import Tree
from solver.core.treeform import Behaviour

#: two-player trees whose reduced normal form has more profiles than this are solved on the
#: sequence form (zero-sum: the LP only; general-sum: Lemke's equilibrium added)
SEQUENCE_FROM = 1_000
#: Lemke's exact tableau is dense (rows x rows Fractions, pivoted many times): refuse sequence
#: forms with more sequences than this
MAX_LEMKE_SEQUENCES = 200
#: the sequence-form LP is sparse: refuse sequence forms with more sequences than this
MAX_LP_SEQUENCES = 2_000_000


def sequence_size(tree: Tree) -> int:
    """Both players' sequences (1 + the actions at each of their information sets)."""
    return 2 + sum(len(h.actions) for h in tree.infosets)


def sequence_equilibrium(
    tree: Tree, budget: Budget = UNBOUNDED
) -> tuple[Behaviour, tuple[Any, ...], str, str]:
    """One equilibrium of a two-player tree with perfect recall on its sequence form: (behaviour,
    payoffs, method, note).  Zero-sum: the LP (exact value); otherwise Lemke.  A
    :class:`SolverError` naming the limit where the sequence form is too large."""
    from solver.equilibria.trees.sequence_form import build
    from solver.equilibria.trees.zero_sum import is_zero_sum, solve_zero_sum

    size = sequence_size(tree)
    if size > MAX_LP_SEQUENCES:
        raise SolverError(
            f"the tree has {size:,} sequences, more than the limit of {MAX_LP_SEQUENCES:,} for the sequence form"
        )
    if is_zero_sum(build(tree)):
        sol = solve_zero_sum(tree)
        value = sol.value
        how = "exact, certified by best replies" if sol.exact else "floating point: not certified exactly"
        note = f"zero-sum: the value to {tree.players[0]} is {value} (sequence-form linear program, {how})"
        beh = [dict(_lists(sol.behaviour[0])), dict(_lists(sol.behaviour[1]))]
        return beh, (value, -value), "sequence-form LP", note
    if size > MAX_LEMKE_SEQUENCES:
        raise SolverError(
            f"the tree has {size:,} sequences, more than the limit of {MAX_LEMKE_SEQUENCES:,} for Lemke's "
            "algorithm on the sequence form"
        )
    from solver.equilibria.trees.lemke import lemke_tree

    eq = lemke_tree(tree, budget)
    beh = [dict(_lists(eq.behaviour[0])), dict(_lists(eq.behaviour[1]))]
    note = "one equilibrium by Lemke's algorithm on the sequence form: others may exist"
    return beh, eq.payoffs, "sequence-form Lemke", note


def _lists(beh: dict[int, tuple[Any, ...]]) -> list[tuple[int, list[Any]]]:
    return [(h, list(p)) for h, p in sorted(beh.items())]


def plan_moves(plans: tuple[tuple[dict[int, int], ...], ...], index: tuple[int, ...] | None) -> dict[int, int] | None:
    """The moves (information set -> action) of a pure profile of reduced plans, given by each
    player's plan index (None: a mixed profile, None back)."""
    if index is None:
        return None
    out: dict[int, int] = {}
    for own, k in zip(plans, index, strict=True):
        out.update(own[k])
    return out


def perfect_information_below(tree: Tree) -> list[bool]:
    """Per node: whether its whole subtree has only one-node information sets (a
    perfect-information subgame, or a leaf).  One backward pass (children follow parents)."""
    nodes = tree.nodes
    single = [len(h.members) == 1 for h in tree.infosets]
    out = [True] * len(nodes)
    for k in range(len(nodes) - 1, -1, -1):
        node = nodes[k]
        if node.children:
            ok = node.is_chance or single[node.infoset]
            out[k] = ok and all(out[c] for c in node.children)
    return out


def credible_filter(tree: Tree) -> Callable[[dict[int, int]], bool]:
    """A test of pure moves (information set -> action): False when, inside some
    perfect-information subtree whose moves are all given, a mover's action is worse for it than
    another given the moves below (exact comparison; float trees are never rejected).  Such a
    profile is neither subgame perfect nor perfect Bayesian: at a one-node information set the
    belief is certain, so sequential rationality there is backward induction."""
    nodes = tree.nodes
    exact = all(not isinstance(v, float) for n in nodes for v in (*n.payoffs, *n.probs))
    inner = perfect_information_below(tree)
    todo = [k for k in range(len(nodes) - 1, -1, -1) if inner[k] and nodes[k].children] if exact else []

    def keep(moves: dict[int, int]) -> bool:
        value: dict[int, tuple[Any, ...] | None] = {}
        for k in todo:
            node = nodes[k]
            kids = [nodes[c].payoffs if nodes[c].is_terminal else value[c] for c in node.children]
            if any(v is None for v in kids):
                value[k] = None
                continue
            if node.is_chance:
                value[k] = tuple(
                    sum((Fraction(p) * v[i] for p, v in zip(node.probs, kids, strict=True)), Fraction(0))  # type: ignore[index]
                    for i in range(len(tree.players))
                )
                continue
            a = moves.get(node.infoset)
            if a is None:
                value[k] = None
                continue
            mine = [v[node.player] for v in kids]  # type: ignore[index]
            if mine[a] < max(mine):
                return False
            value[k] = kids[a]
        return True

    return keep
