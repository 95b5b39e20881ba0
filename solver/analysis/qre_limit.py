"""The Nash equilibrium a logit QRE branch selects as lambda grows: its *logit limit*.

* Strategic games: :func:`~solver.equilibria.qre.limit.logit_limit` (McKelvey & Palfrey 1995,
  GEB 10:6-38; Turocy 2005, GEB 51:243-263): the branch's end purified to its support and
  verified by its regret.
* Game trees: the agent QRE's limit points are sequential equilibria (McKelvey & Palfrey 1998,
  Experimental Economics 1:9-41, Theorem 5).  The branch is traced to ``lambda = START / spread``,
  then ten times further, and so on (resuming, not restarting); at each end its behaviour is
  compared with every equilibrium the tree solver lists (:func:`solve_numeric_tree`, the
  equilibria of ``redline solve --nash all``), over the information sets each specifies.  The
  nearest one is accepted once two consecutive lambdas share it and the distance at least halved
  from the first to the second (or fell below :data:`~solver.core.tolerances.QRE_SUPPORT`).

>>> from solver.formats import load
>>> m = load("entry_deterrence")
>>> lim, _ = tree_limit(m.tree.at(m.values()))
>>> lim.equilibrium.describe(), lim.subgame_perfect, lim.profile["Incumbent"]
('pure (In, Accommodate)', True, {'incumbent': {'Fight': 0, 'Accommodate': 1}})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import SolverError
from solver.core.game import Game
from solver.core.result import Equilibrium
from solver.core.tree import Tree
from solver.equilibria.qre.branch import form_of, point
from solver.equilibria.qre.limit import GROWTH, START, logit_limit
from solver.equilibria.qre.trace import trace

#: the largest lambda (times the payoff spread) a tree's agent QRE is traced to for its limit
TREE_LAST = 1e7


@dataclass(frozen=True)
class QRELimit:
    """The equilibrium a QRE branch converges to.  ``profile`` is by label: player -> strategy ->
    probability (strategic), player -> information set -> action -> probability (trees);
    ``subgame_perfect`` is None for strategic games; ``notes`` say how it was found."""

    equilibrium: Equilibrium
    profile: Mapping[str, Mapping[str, Any]]
    exact: bool
    subgame_perfect: bool | None = None
    notes: tuple[str, ...] = ()


def game_limit(game: Game, budget: Budget = UNBOUNDED) -> tuple[QRELimit | None, tuple[str, ...]]:
    """The logit tracing selection of a strategic game, or None and the limits saying why."""
    r = logit_limit(game, budget=budget)
    if not r.equilibria:
        return None, tuple(r.limits)
    e = r.equilibria[0]
    return QRELimit(e, e.profile, r.exact, None, tuple(r.notes)), ()


def _set_index(tree: Tree) -> dict[tuple[str, str], int]:
    """(player, label) -> the position of that information set among the players' sets (the
    agent QRE's choices): the tree solver's behaviour is keyed by player and label (labels are
    unique per player, not across players, and blank names get numbers)."""
    own = [h for h in tree.infosets if h.player >= 0]
    return {(tree.players[h.player], h.label): k for k, h in enumerate(own)}


def _distance(eq: Equilibrium, index: Mapping[tuple[str, str], int], vectors: tuple[tuple[float, ...], ...]) -> float:
    """Max-norm distance between a tree equilibrium's behaviour and an agent QRE's (``vectors``,
    one per information set by ``index``), over the information sets the equilibrium specifies."""
    gap = 0.0
    for player, sets in eq.extra.get("behaviour", {}).items():
        for label, probs in sets.items():
            theirs = np.asarray(vectors[index[player, label]], dtype=float)
            gap = max(gap, float(np.abs(np.asarray([float(v) for v in probs.values()]) - theirs).max()))
    return gap


def tree_limit(tree: Tree, budget: Budget = UNBOUNDED) -> tuple[QRELimit | None, tuple[str, ...]]:
    """The equilibrium of ``tree`` (numeric) its agent QRE branch converges to (see the module
    docstring), or None and the limits saying why: the budget ran out, or the branch settled near
    none of the equilibria listed."""
    from solver.equilibria.trees.sequential import solve_numeric_tree

    form = form_of(tree)
    spread = max(float(form.payoffs.max() - form.payoffs.min()), tolerances.FLOOR)
    try:
        solved = solve_numeric_tree(tree, title=tree.title, budget=budget.share(0.5))
    except SolverError as exc:  # too large for the tree solver: the QRE stands, its limit is not found
        return None, (f"the tree solver cannot list the equilibria to compare the agent QRE with: {exc.message}",)
    eqs = [e for e in solved.equilibria if e.extra.get("behaviour")]
    if not eqs:
        why = "; ".join(solved.limits) or "none found"
        return None, (f"the tree solver listed no equilibrium to compare the agent QRE with ({why})",)
    index = _set_index(tree)
    lam, tr = START / spread, None
    before: tuple[Equilibrium, float] | None = None
    while lam <= TREE_LAST / spread:
        tr = trace(form, lam, budget=budget, resume=tr)
        if 0 not in tr.hits:
            return None, (budget.limit("tracing the agent QRE branch", f"lambda beyond {lam / GROWTH:g}"),)
        beh = point(form, tr.hits[0]).vectors
        near = min(eqs, key=lambda e: _distance(e, index, beh))
        dist = _distance(near, index, beh)
        if before is not None and before[0] is near and (dist <= before[1] / 2 or dist < tolerances.QRE_SUPPORT):
            note = (
                f"agent QRE traced to lambda = {lam:g}: nearest there and at lambda = {lam / GROWTH:g} to the same "
                f"equilibrium of the tree solver, {dist:.3g} from it (limit points of the agent QRE are sequential "
                "equilibria: McKelvey & Palfrey 1998)"
            )
            sp = near.extra.get("subgame_perfect")
            return QRELimit(near, near.extra["behaviour"], False, None if sp is None else bool(sp), (note,)), ()
        before = (near, dist)
        lam *= GROWTH
    return None, (
        f"the agent QRE did not settle near any of the {len(eqs)} equilibria the tree solver lists by lambda = "
        f"{lam / GROWTH:g} (it may converge inside a component of equilibria, between the listed ones)",
    )


def limit_of(subject: Game | Tree, budget: Budget = UNBOUNDED) -> tuple[QRELimit | None, tuple[str, ...]]:
    """The logit limit of a strategic game or a numeric tree, or None and the limits saying why."""
    if isinstance(subject, Game):
        return game_limit(subject, budget)
    return tree_limit(subject, budget)
