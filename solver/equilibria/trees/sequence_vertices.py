"""Every extreme equilibrium of a two-player tree with perfect recall, by enumerating the vertices
of the sequence-form polyhedra (von Stengel 1996, "Efficient computation of behavior strategies";
Koller, Megiddo & von Stengel 1996; von Stengel 2002, "Computing equilibria for two-person
games", Sec. 4; the normal-form analogue is Avis, Rosenberg, Savani & von Stengel 2010).

With realization plans ``E x = e`` and ``F y = f`` (:mod:`.sequence_form`) the polyhedra are

    P = {(x, q) : x >= 0, E x = e, B'x - F'q <= 0}     Q = {(y, p) : y >= 0, F y = f, A y - E'p <= 0}

with the duals ``q, p`` free.  Labels: one per sequence of either player; a sequence ``i`` of
player 1 labels the points of P with ``x_i = 0`` and those of Q with ``(E'p - A y)_i = 0``, a
sequence ``j`` of player 2 those of Q with ``y_j = 0`` and those of P with ``(F'q - B'x)_j = 0``.
A pair of points is an equilibrium exactly when together they have every label (complementary
slackness of each player's best-reply LP).  Both polyhedra are pointed (``F'`` has full column
rank) and their dimensions add up to the number of labels.

The vertices of each polyhedron come from :func:`.lexsearch.lex_vertices` (exact), starting from
a pure plan and the other player's backward-induction duals; the completely labelled pairs from
the hash join and blockwise superset test of :func:`..twoplayer.matching.complete_pairs`.
Completeness, degenerate trees included: for any equilibrium ``(x, y)`` with duals, the face of P
where ``(x, q)``'s labels are tight and the face of Q where ``(y, p)``'s are tight have only
complementary pairs, and their vertices' plans span ``x`` and ``y`` (the recession directions
move only the duals).  So every equilibrium lies in the convex hull of listed ones that are
pairwise equilibria (a Nash subset); in a degenerate tree those sets are not single points.
Every equilibrium listed is checked exactly: each plan a best reply to the other.

>>> from solver.core.tree import decision, from_named, leaf
>>> t = from_named(("Entrant", "Incumbent"), "e", {
...     "e": decision("Entrant", {"Out": "o", "In": "i"}), "o": leaf((1, 5)),
...     "i": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> found = all_tree_equilibria(t)
>>> found.complete, found.degenerate
(True, True)
>>> [(" ".join(map(str, e.plans[0] + e.plans[1])), tuple(map(str, e.payoffs))) for e in found.equilibria]
[('1 0 1 1 0 1', ('2', '2')), ('1 1 0 1 1/2 1/2', ('1', '5')), ('1 1 0 1 1 0', ('1', '5'))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.tree import Tree
from solver.equilibria.trees.lemke import TreeEquilibrium, expected
from solver.equilibria.trees.lexsearch import lex_vertices
from solver.equilibria.trees.sequence_form import SequenceForm, behaviour, best_response_value, build
from solver.equilibria.twoplayer.matching import complete_pairs

BoolArray = npt.NDArray[np.bool_]
#: stop enumerating a polyhedron past this many vertices (memory: their label sets and plans;
#: time: about a millisecond each), and say the list may be incomplete
MAX_VERTICES = 100_000


@dataclass(frozen=True)
class TreeEquilibria:
    """The extreme equilibria found, whether that is all of them, whether some are not isolated
    (``degenerate``: a plan pairs with several of the other's), the vertex counts of P and Q."""

    equilibria: tuple[TreeEquilibrium, ...]
    complete: bool
    degenerate: bool
    vertices: tuple[int, int]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Polyhedron:
    """``rows z = rhs`` over ``z = (own plan, other's duals (free), slacks of the other's
    sequences)``, a feasible starting basis, and the label of each sign-constrained column."""

    rows: list[list[int]]
    rhs: list[int]
    basis: list[int]
    free: set[int]
    plan: list[int]
    label: dict[int, int]
    dimension: int


def _payoff(sf: SequenceForm, own: int, s: int, t: int) -> Fraction:
    """The other player's payoff entry at own sequence ``s`` and the other's sequence ``t``."""
    key = (s, t) if own == 0 else (t, s)
    return Fraction(sf.payoffs[1 - own].get(key, 0))


def polyhedron(sf: SequenceForm, own: int) -> Polyhedron:
    """P (``own = 0``) or Q (``own = 1``) in equation form, with integer rows (each scaled by
    its denominators) and the starting basis: the pure plan that takes every first action, the
    duals of the other player's best reply to it (backward induction, ties to the first action),
    which makes the empty sequence and one action per information set tight."""
    other = 1 - own
    ni, nj = sf.size(own), sf.size(other)
    ci, cj = sf.constraints(own), sf.constraints(other)
    mi, mj = len(ci), len(cj)
    width = ni + mj + nj
    rows = [row + [0] * (mj + nj) for row in ci]
    rhs = [1] + [0] * (mi - 1) + [0] * nj
    pay: list[dict[int, Fraction]] = [{} for _ in range(nj)]
    for s0, s1 in sf.payoffs[other]:
        s, t = (s0, s1) if own == 0 else (s1, s0)
        pay[t][s] = _payoff(sf, own, s, t)
    for t in range(nj):
        scale = lcm(*(v.denominator for v in pay[t].values())) if pay[t] else 1
        row = [0] * width
        for s, v in pay[t].items():
            row[s] = -int(v * scale)
        for k in range(mj):
            row[ni + k] = cj[k][t] * scale
        row[ni + mj + t] = -scale
        rows.append(row)
    # the starting vertex: a pure plan, and the other's backward-induction duals against it
    first_i, first_j = sf.first(own), sf.first(other)
    plan = [Fraction(0)] * ni
    plan[0] = Fraction(1)
    basic = [0]
    for h, parent in zip(sf.infosets[own], sf.parents[own], strict=True):
        plan[first_i[h]] = plan[parent]
        basic.append(first_i[h])
    gain = [sum((v * plan[s] for s, v in pay[t].items()), Fraction(0)) for t in range(nj)]
    tight = {0}
    for h, parent in reversed(list(zip(sf.infosets[other], sf.parents[other], strict=True))):
        k = len(sf.tree.infosets[h].actions)
        best = max(range(k), key=lambda a: (gain[first_j[h] + a], -a))
        tight.add(first_j[h] + best)
        gain[parent] += gain[first_j[h] + best]
    basic += [ni + k for k in range(mj)]
    basic += [ni + mj + t for t in range(nj) if t not in tight]
    offset = (0, sf.size(0))
    label = {s: offset[own] + s for s in range(ni)}
    label.update({ni + mj + t: offset[other] + t for t in range(nj)})
    free = set(range(ni, ni + mj))
    return Polyhedron(rows, rhs, basic, free, list(range(ni)), label, ni - mi + mj)


def vertices(
    poly: Polyhedron, budget: Budget = UNBOUNDED
) -> tuple[BoolArray, list[tuple[Fraction, ...]], bool]:
    """The label sets (rows over every label) and plans of the polyhedron's vertices, and
    whether the enumeration finished within ``budget``."""
    size = len(poly.label)
    done = [True]
    labels: list[list[bool]] = []
    plans: list[tuple[Fraction, ...]] = []
    for v in lex_vertices(poly.rows, poly.rhs, poly.basis, poly.free, poly.plan, budget, done):
        row = [False] * size
        for col, lab in poly.label.items():
            if v.zero >> col & 1:
                row[lab] = True
        labels.append(row)
        plans.append(v.values)
        if len(plans) >= MAX_VERTICES:
            done[0] = False
            break
    return np.array(labels, dtype=bool).reshape(len(labels), size), plans, done[0]


def all_tree_equilibria(tree: Tree, budget: Budget = UNBOUNDED) -> TreeEquilibria:
    """Every extreme equilibrium of a two-player tree with perfect recall (numeric payoffs), as
    realization plans and behaviour strategies, exact; ``complete`` False when ``budget`` ran
    out (what was found is still returned, verified)."""
    sf = build(tree)
    return equilibria_of(sf, budget)


def equilibria_of(sf: SequenceForm, budget: Budget = UNBOUNDED) -> TreeEquilibria:
    """:func:`all_tree_equilibria` on a built sequence form.  Float payoffs are read as the
    exact rationals they are (so the enumeration and its check stay exact) and the answers
    given back as floats."""
    inexact = any(isinstance(v, float) for pay in sf.payoffs for v in pay.values())
    if inexact:
        exact = ({k: Fraction(v) for k, v in sf.payoffs[0].items()}, {k: Fraction(v) for k, v in sf.payoffs[1].items()})
        sf = replace(sf, payoffs=exact, reach={k: Fraction(v) for k, v in sf.reach.items()})
    pp, qq = polyhedron(sf, 0), polyhedron(sf, 1)
    budget.report("sequence-form vertices", 0.0)
    tx, px, done_p = vertices(pp, budget.share(0.5))
    budget.report("sequence-form vertices", 0.5)
    ty, py, done_q = vertices(qq, budget) if done_p else (np.zeros((0, tx.shape[1]), bool), [], False)
    budget.report("complementary pairs", 0.9)
    matches = complete_pairs(tx, ty, pp.dimension, budget)
    notes: list[str] = []
    complete = done_p and done_q and matches.complete
    pairs = _distinct(px, py, matches.ix.tolist(), matches.iy.tolist())
    found: list[TreeEquilibrium] = []
    failed = 0
    for x, y in pairs:
        eq = _verified(sf, x, y)
        if eq is None:
            failed += 1
        else:
            found.append(eq)
    if failed:
        complete = False
        notes.append(f"{failed} vertex pairs failed the exact best-reply check and were dropped")
    xs = [e.plans[0] for e in found]
    ys = [e.plans[1] for e in found]
    degenerate = len(set(xs)) < len(xs) or len(set(ys)) < len(ys)
    if not complete and not failed:
        side = "P" if not done_p else "Q" if not done_q else "the complementary pairs"
        why = (
            f"more than {MAX_VERTICES:,} vertices"
            if max(len(px), len(py)) >= MAX_VERTICES
            else "the time budget ran out"
        )
        notes.append(
            f"{why} while enumerating {side} of the sequence form: {len(found)} equilibria found, others may exist"
        )
    if degenerate:
        notes.append(
            "degenerate: some equilibria are not isolated (a plan is a best reply to several of "
            "the other's); every equilibrium is a convex combination of listed ones"
        )
    if inexact:
        found = [_floats(e) for e in found]
    return TreeEquilibria(tuple(found), complete, degenerate, (len(px), len(py)), tuple(notes))


def _floats(e: TreeEquilibrium) -> TreeEquilibrium:
    def f(values: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(float(v) for v in values)

    beh = tuple({h: f(p) for h, p in b.items()} for b in e.behaviour)
    return TreeEquilibrium((f(e.plans[0]), f(e.plans[1])), beh, f(e.payoffs), 0)  # type: ignore[arg-type]


def _distinct(
    px: Sequence[tuple[Fraction, ...]], py: Sequence[tuple[Fraction, ...]], ix: list[int], iy: list[int]
) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """The distinct plan pairs of the matched vertex pairs (vertices differing only in their
    duals give the same plan), sorted."""
    return sorted({(px[i], py[j]) for i, j in zip(ix, iy, strict=True)})


def _verified(sf: SequenceForm, x: tuple[Fraction, ...], y: tuple[Fraction, ...]) -> TreeEquilibrium | None:
    """The equilibrium of plans ``x, y`` if each is an exact best reply to the other."""
    u1, u2 = expected(sf, 0, x, y), expected(sf, 1, x, y)
    if best_response_value(sf, 0, y) != u1 or best_response_value(sf, 1, x) != u2:
        return None
    return TreeEquilibrium((x, y), (behaviour(sf, 0, x), behaviour(sf, 1, y)), (u1, u2), 0)

