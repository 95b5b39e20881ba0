"""Perfect Bayesian equilibria inside continua of Nash equilibria, added to a tree solve's list:
the support-pattern search of :mod:`.assessments` (small exact trees with imperfect
information), each new PBE with its subgame perfection and the normal-form regret check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from solver.core.budget import Budget
from solver.core.game import Game
from solver.core.result import Equilibrium
from solver.core.tolerances import DUPLICATE
from solver.core.tree import Tree
from solver.core.treeform import NormalForm, expected_payoffs
from solver.equilibria.trees.assessments import eligible, search


def allowed_actions(tree: Tree, nf: NormalForm, extremes: Sequence[Sequence[Sequence[Any]]]) -> dict[int, set[int]]:
    """The actions a Nash equilibrium of a two-player tree can use at each information set, from
    every extreme equilibrium of its reduced normal form (plan vectors ``extremes``).  Every
    equilibrium is a convex combination of extreme ones (a maximal clique, Winkels 1979), so its
    behaviour at a set its own plans reach uses only actions that some extreme equilibrium's
    plans choose there; a set that some extreme equilibrium's plans never reach is free (its
    behaviour is not determined by the plans): every action."""
    free = set()
    used: dict[int, set[int]] = {h: set() for h, s in enumerate(tree.infosets) if s.player >= 0}
    for vectors in extremes:
        for i, vec in enumerate(vectors):
            seen: set[int] = set()
            for plan, w in zip(nf.plans[i], vec, strict=True):
                if w:
                    seen |= set(plan)
                    for h, a in plan.items():
                        used[h].add(a)
            free |= {h for h, s in enumerate(tree.infosets) if s.player == i and h not in seen}
    return {h: set(range(len(tree.infosets[h].actions))) if h in free else acts for h, acts in used.items()}


def add_inner_pbe(
    tree: Tree, nf: NormalForm | None, game: Game, eqs: list[Equilibrium], budget: Budget,
    extremes: Sequence[Sequence[Sequence[Any]]] | None = None,
) -> tuple[list[Equilibrium], list[str], list[str]]:
    """(equilibria, notes, limits): ``eqs`` and, for an :func:`eligible` tree, the PBE of
    :func:`search` that ``eqs`` does not list already (same behaviour), each with its subgame
    perfection (:func:`.subgames.complete_behaviour` on the full profile) and ``extra``
    ``pbe_search: True`` (typically a point inside a continuum of Nash equilibria, not one of
    the extreme equilibria the normal form's solvers list).  ``extremes``: every
    extreme equilibrium of a two-player tree's reduced normal form, which bounds the supports
    searched (:func:`allowed_actions`)."""
    if tree.perfect_information:
        return eqs, [], []
    allowed = None if extremes is None or nf is None else allowed_actions(tree, nf, extremes)
    if not eligible(tree, allowed):
        return eqs, [], []
    from solver.equilibria.trees.paths import behaviour_json
    from solver.equilibria.trees.profiles import equilibrium
    from solver.equilibria.trees.subgames import complete_behaviour
    from solver.equilibria.verify import same_profile

    found = search(tree, budget.share(0.5), allowed)
    listed = [e.extra.get("behaviour") for e in eqs if e.extra.get("perfect_bayesian")]
    cache: dict[int, NormalForm | None] = {}
    out = list(eqs)
    added = dropped = weak = settled = 0
    for beh in found.equilibria:
        if any(_same(behaviour_json(tree, beh), other) for other in listed):
            continue
        full, spe = complete_behaviour(tree, beh, cache)
        try:
            e = equilibrium(tree, nf, game, full, spe, expected_payoffs(tree, full))
        except ValueError:  # the normal form disagrees: never expected, never hidden
            dropped += 1
            continue
        if not e.extra.get("perfect_bayesian"):
            continue
        if e.extra.get("subgame_perfect") is False:  # a weak PBE only: beliefs a subgame contradicts
            weak += 1
            continue
        e = replace(e, extra={**e.extra, "pbe_search": True})
        k = next((k for k, o in enumerate(out) if o.extra.get("perfect_bayesian") and same_profile(o, e)), None)
        if k is None:  # not among the reduced normal form's extreme equilibria
            out.append(e)
            added += 1
        elif out[k].extra.get("subgame_perfect") is None and e.extra.get("subgame_perfect"):
            out[k] = e  # the listed one, its off-path behaviour completed: subgame perfect after all
            settled += 1
    words = "every perfect Bayesian equilibrium" if found.complete else "perfect Bayesian equilibria (NOT all)"
    note = f"{words} by support patterns of behaviour ({found.patterns:,} patterns"
    if found.nonlinear:
        note += f", {found.nonlinear:,} left unsolved: nonlinear conditions or too many bases"
    notes = [note + f"; {added} inside continua of Nash equilibria added)"]
    if settled:
        notes.append(f"{settled} listed equilibria shown subgame perfect by a mixed off-path completion")
    if weak:
        notes.append(f"{weak} weak perfect Bayesian equilibria that are not subgame perfect left out")
    if dropped:
        notes.append(f"{dropped} perfect Bayesian equilibria failed the normal-form regret check and were dropped")
    return out, notes, [found.limit] if found.limit else []


def _same(a: dict[str, Any], b: Any) -> bool:
    """Two behaviour profiles (player -> set -> action -> probability) agree within
    :data:`~solver.core.tolerances.DUPLICATE` (a listed one may come from a float solver)."""
    if not isinstance(b, dict) or a.keys() != b.keys():
        return False
    for player, sets in a.items():
        if sets.keys() != b[player].keys():
            return False
        for label, row in sets.items():
            other = b[player][label]
            if row.keys() != other.keys() or any(abs(row[k] - other[k]) > DUPLICATE for k in row):
                return False
    return True
