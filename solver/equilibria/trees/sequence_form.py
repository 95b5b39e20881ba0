"""The sequence form of a two-player tree with perfect recall (Koller, Megiddo & von Stengel 1996;
von Stengel 1996, "Efficient computation of behavior strategies").

A player's *sequences* are the empty sequence and one (information set, action) pair per own
move; a *realization plan* ``x`` gives each sequence the probability that the player's own moves
follow it, under the linear constraints ``E x = e, x >= 0`` (row 0: ``x[empty] = 1``; one row per
information set ``h``: ``sum_a x[h, a] = x[parent(h)]``).  The payoff matrices ``A`` and ``B`` are
sparse, indexed by sequence pairs: a leaf adds its payoff, weighted by the chance probabilities on
its path, at the pair of sequences that lead to it.  Everything is linear in the size of the
tree, unlike the reduced normal form, which is exponential in it.

>>> from solver.core.tree import decision, from_named, leaf
>>> t = from_named(("A", "B"), "r", {
...     "r": decision("A", {"L": "b", "R": "z"}), "z": leaf((1, 1)),
...     "b": decision("B", {"l": "x", "r": "y"}), "x": leaf((2, 0)), "y": leaf((0, 2))})
>>> sf = build(t)
>>> sf.labels(0), sf.labels(1)
(('', 'r:L', 'r:R'), ('', 'b:l', 'b:r'))
>>> sorted(sf.payoffs[0].items())
[((1, 1), Fraction(2, 1)), ((1, 2), Fraction(0, 1)), ((2, 0), Fraction(1, 1))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core.errors import SolverError
from solver.core.tree import Tree

#: a sequence: (tree information set index, action index); the empty sequence is (-1, -1)
Seq = tuple[int, int]
EMPTY: Seq = (-1, -1)


@dataclass(frozen=True)
class SequenceForm:
    """Sequences, constraint structure and sparse payoffs of a two-player tree."""

    tree: Tree
    #: per player: its sequences, index 0 the empty one
    sequences: tuple[tuple[Seq, ...], tuple[Seq, ...]]
    #: per player: its information sets (tree indices), in the order of the rows 1.. of ``E``
    infosets: tuple[tuple[int, ...], tuple[int, ...]]
    #: per player and own information set (same order): the index of its parent sequence
    parents: tuple[tuple[int, ...], tuple[int, ...]]
    #: per player: ``{(s1, s2): chance-weighted payoff}`` summed over the leaves at the pair
    payoffs: tuple[dict[tuple[int, int], Any], dict[tuple[int, int], Any]]
    #: ``{(s1, s2): sum of the chance probabilities of the leaves at the pair}`` (shifting every
    #: leaf payoff by ``c`` shifts the pair's entry by ``c`` times this)
    reach: dict[tuple[int, int], Any]

    def size(self, player: int) -> int:
        return len(self.sequences[player])

    def labels(self, player: int) -> tuple[str, ...]:
        """``infoset:action`` per sequence (``""`` for the empty one)."""
        out = []
        for h, a in self.sequences[player]:
            out.append("" if h < 0 else f"{self.tree.infosets[h].label}:{self.tree.infosets[h].actions[a]}")
        return tuple(out)

    def first(self, player: int) -> dict[int, int]:
        """Information set -> index of its first sequence (an infoset's actions are consecutive)."""
        out: dict[int, int] = {}
        for k, (h, a) in enumerate(self.sequences[player]):
            if h >= 0 and a == 0:
                out[h] = k
        return out

    def constraints(self, player: int) -> list[list[int]]:
        """The rows of ``E`` (or ``F``) as dense integer lists; the right side is ``(1, 0, ..., 0)``."""
        n = self.size(player)
        rows = [[1] + [0] * (n - 1)]
        first = self.first(player)
        for h, parent in zip(self.infosets[player], self.parents[player], strict=True):
            row = [0] * n
            row[parent] = -1
            for a in range(len(self.tree.infosets[h].actions)):
                row[first[h] + a] += 1
            rows.append(row)
        return rows


def build(tree: Tree) -> SequenceForm:
    """The sequence form of ``tree`` (numeric payoffs; two players; perfect recall), in one
    iterative pass over the nodes (no recursion, so deep trees are fine)."""
    if len(tree.players) != 2:
        raise SolverError(f"the sequence form here is for two players, not {len(tree.players)}")
    if tree.symbolic:
        raise SolverError("the sequence form needs a numeric tree (call tree.at(values) first)")
    seqs: list[list[Seq]] = [[EMPTY], [EMPTY]]
    index: list[dict[Seq, int]] = [{EMPTY: 0}, {EMPTY: 0}]
    order: list[list[int]] = [[], []]
    parent_of: list[dict[int, int]] = [{}, {}]
    pay: tuple[dict[tuple[int, int], Any], dict[tuple[int, int], Any]] = ({}, {})
    reach: dict[tuple[int, int], Any] = {}
    stack: list[tuple[int, int, int, Any]] = [(0, 0, 0, Fraction(1))]
    while stack:
        n, s0, s1, prob = stack.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            if prob:
                key = (s0, s1)
                reach[key] = reach.get(key, 0) + prob
                for i in (0, 1):
                    pay[i][key] = pay[i].get(key, 0) + prob * node.payoffs[i]
            continue
        if node.is_chance:
            for c, p in zip(node.children, node.probs, strict=True):
                stack.append((c, s0, s1, prob * p))
            continue
        i, h = node.player, node.infoset
        own = (s0, s1)[i]
        known = parent_of[i].get(h)
        if known is None:
            parent_of[i][h] = own
            order[i].append(h)
            for a in range(len(tree.infosets[h].actions)):
                index[i][(h, a)] = len(seqs[i])
                seqs[i].append((h, a))
        elif known != own:
            raise SolverError(
                f"information set {tree.infosets[h].label!r} is reached by different own moves of "
                f"{tree.players[i]} (no perfect recall): the sequence form needs perfect recall"
            )
        for a, c in enumerate(node.children):
            k = index[i][(h, a)]
            stack.append((c, k, s1, prob) if i == 0 else (c, s0, k, prob))
    return SequenceForm(
        tree,
        (tuple(seqs[0]), tuple(seqs[1])),
        (tuple(order[0]), tuple(order[1])),
        tuple(tuple(parent_of[i][h] for h in order[i]) for i in (0, 1)),  # type: ignore[arg-type]
        pay,
        reach,
    )


def behaviour(sf: SequenceForm, player: int, plan: Sequence[Any]) -> dict[int, tuple[Any, ...]]:
    """Behaviour strategy from a realization plan: ``x[h, a] / x[parent(h)]`` (uniform where the
    information set is unreachable under the plan; von Stengel 1996, Section 3)."""
    first = sf.first(player)
    out: dict[int, tuple[Any, ...]] = {}
    for h, parent in zip(sf.infosets[player], sf.parents[player], strict=True):
        k = len(sf.tree.infosets[h].actions)
        reach = plan[parent]
        if reach > 0:
            out[h] = tuple(plan[first[h] + a] / reach for a in range(k))
        else:
            out[h] = tuple(Fraction(1, k) for _ in range(k))
    return out


def best_response_value(sf: SequenceForm, player: int, other_plan: Sequence[Any]) -> Any:
    """The most ``player`` can get against the other's realization plan, exactly when the plan
    is exact: a bottom-up pass over the player's own information sets (linear in the sequence
    form's size; von Stengel 1996, Section 4)."""
    n = sf.size(player)
    gain: list[Any] = [0] * n
    for (s0, s1), v in sf.payoffs[player].items():
        mine, theirs = (s0, s1) if player == 0 else (s1, s0)
        w = other_plan[theirs]
        if w:
            gain[mine] += w * v
    first = sf.first(player)
    # children infosets come after their parents in discovery order: walk it backwards
    for h, parent in reversed(list(zip(sf.infosets[player], sf.parents[player], strict=True))):
        k = len(sf.tree.infosets[h].actions)
        gain[parent] += max(gain[first[h] + a] for a in range(k))
    return gain[0]
