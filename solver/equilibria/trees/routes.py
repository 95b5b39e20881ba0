"""Which algorithm a tree solve takes, and the ones that work on the tree itself.

The reduced normal form gives every Nash equilibrium of a small tree but grows exponentially
with it.  Past it (or where it is refused) a tree is solved as a tree:

* two players with perfect recall (Koller, Megiddo & von Stengel 1996): up to
  :data:`MAX_ENUMERATION_SEQUENCES` sequences, every extreme equilibrium by enumerating the
  vertices of the sequence-form polyhedra (:func:`sequence_equilibria`,
  :mod:`.sequence_vertices`; complete unless the time budget cuts it).  Larger trees, or where
  the budget runs out first: a zero-sum tree by the sequence-form linear program
  (:mod:`.zero_sum`, the value exact and certified by exact best replies), a general-sum tree by
  Lemke's algorithm on the sequence-form LCP (:mod:`.lemke`, one exact equilibrium), neither
  complete;
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
>>> ans = sequence_equilibria(t)  # (In, Accommodate); Out with Fight at 1 and at 1/2
>>> ans.complete, ans.degenerate, len(ans.equilibria), ans.method
(True, True, 3, 'sequence-form vertex enumeration')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
#: two-player trees with at most this many sequences (both players) get every extreme
#: equilibrium by vertex enumeration on the sequence form; larger ones the LP's or Lemke's one.
#: The vertex count can grow exponentially with the sequences (Kuhn poker, 26: 518 vertices in
#: 0.4 s; a random 41-sequence general-sum tree: 27,525 vertices in about 23 s)
MAX_ENUMERATION_SEQUENCES = 64
#: the enumeration may use this share of the time left; the LP or Lemke gets the rest
ENUMERATION_SHARE = 0.75


@dataclass(frozen=True)
class SequenceAnswer:
    """What the sequence-form route found: ``(behaviour, payoffs)`` per equilibrium, the method,
    notes, whether every extreme equilibrium is listed, whether some are not isolated."""

    equilibria: tuple[tuple[Behaviour, tuple[Any, ...]], ...]
    method: str
    notes: tuple[str, ...]
    complete: bool
    degenerate: bool = False


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


def sequence_equilibria(tree: Tree, budget: Budget = UNBOUNDED) -> SequenceAnswer:
    """Every extreme equilibrium of a two-player tree with perfect recall, on its sequence form
    (:func:`.sequence_vertices.equilibria_of`), when it has at most
    :data:`MAX_ENUMERATION_SEQUENCES` sequences and the enumeration ends within
    :data:`ENUMERATION_SHARE` of ``budget``.  Otherwise what it found, with the one equilibrium of
    :func:`sequence_equilibrium` (the LP or Lemke) added and ``complete`` False.  A
    :class:`SolverError` when nothing can be found (too large, or the budget spent)."""
    from solver.equilibria.trees.sequence_form import build
    from solver.equilibria.trees.sequence_vertices import equilibria_of
    from solver.equilibria.trees.zero_sum import is_zero_sum

    size = sequence_size(tree)
    notes: list[str] = []
    found: list[tuple[Behaviour, tuple[Any, ...]]] = []
    degenerate = False
    if size <= MAX_ENUMERATION_SEQUENCES:
        sf = build(tree)
        every = equilibria_of(sf, budget.share(ENUMERATION_SHARE))
        found = [([dict(_lists(e.behaviour[0])), dict(_lists(e.behaviour[1]))], e.payoffs) for e in every.equilibria]
        notes.extend(every.notes)
        degenerate = every.degenerate
        if every.complete:
            if is_zero_sum(sf) and found:
                value = found[0][1][0]
                notes.insert(0, f"zero-sum: the value to {tree.players[0]} is {value} (exact)")
            return SequenceAnswer(tuple(found), "sequence-form vertex enumeration", tuple(notes), True, degenerate)
    else:
        notes.append(
            f"the tree has {size:,} sequences, more than the limit of {MAX_ENUMERATION_SEQUENCES} for "
            "enumerating every equilibrium on the sequence form"
        )
    try:
        beh, vals, how, note = sequence_equilibrium(tree, budget)
    except SolverError:
        if not found:
            raise
        return SequenceAnswer(tuple(found), "sequence-form vertex enumeration", tuple(notes), False, degenerate)
    seen = {_key(b) for b, _ in found}
    if _key(beh) not in seen:
        found.append((beh, vals))
    method = f"sequence-form vertex enumeration + {how}" if len(found) > 1 else how
    return SequenceAnswer(tuple(found), method, (note, *notes), False, degenerate)


def _key(beh: Behaviour) -> tuple[tuple[tuple[int, tuple[Any, ...]], ...], ...]:
    return tuple(tuple((h, tuple(p)) for h, p in sorted(b.items())) for b in beh)


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
