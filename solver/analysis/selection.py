"""Choosing among several equilibria: payoff dominance and risk dominance (Harsanyi & Selten,
*A General Theory of Equilibrium Selection in Games*, MIT Press 1988, ch. 3 and 5).

* **Payoff dominance.**  Equilibrium ``e`` payoff-dominates ``f`` when every player gets at
  least as much at ``e`` as at ``f`` and one player gets more.  The payoff-dominant equilibrium
  payoff-dominates every other one; there may be none (or two with the same payoffs).
* **Risk dominance** (2x2 games).  Of two strict pure equilibria ``(a, b)`` and ``(a', b')``,
  ``(a, b)`` risk-dominates when the product of the players' deviation losses there,
  ``(u1(a, b) - u1(a', b)) * (u2(a, b) - u2(a, b'))``, exceeds the same product at
  ``(a', b')``.  Harsanyi and Selten define it axiomatically for 2x2 games only; here it is
  likewise refused (``None``) for larger games.

* **Logit tracing** (``logit``; McKelvey & Palfrey 1995, Turocy 2005).  The principal branch of
  logit quantal response equilibria, followed from uniform play (lambda = 0) to lambda -> infinity,
  ends at one Nash equilibrium (:func:`solver.equilibria.qre.limit.logit_limit`); the rule keeps
  the equilibrium that is that profile (or the nearest one, said in a note).  Where the branch
  passes a bifurcation (symmetric games such as the battle of the sexes) the selection is not
  unique, and a note says so.  In a symmetric 2x2 coordination game it is the risk-dominant
  equilibrium; in an asymmetric one it need not be (``syria_deconfliction`` at iran_cost = 1,
  deal_value = 9.5: risk dominance picks (Strike, Confront), the logit limit, here and in
  pygambit's ``logit_solve``, (Tolerate, Acquiesce)).

When a rule picks nothing, :func:`select` keeps every equilibrium with equal weight and its
sentence says so: nobody reading the aggregate should have to guess how it was weighted.

>>> from solver.core.game import Game
>>> from solver.equilibria import solve
>>> stag = Game.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]],
...     players=("Hunter 1", "Hunter 2"), strategies=(("Stag", "Hare"), ("Stag", "Hare")))
>>> eqs = list(solve(stag).equilibria)
>>> len(eqs), payoff_dominant(eqs).describe(), risk_dominant(stag, eqs).describe()
(3, 'pure (Stag, Stag)', 'pure (Hare, Hare)')
>>> kept, how = select(stag, eqs, "risk-dominance")
>>> [e.describe() for e in kept], how
(['pure (Hare, Hare)'], 'risk dominance (Harsanyi & Selten 1988) selects pure (Hare, Hare) of 3 equilibria')
>>> select(stag, eqs, "all")[1]
'all 3 equilibria weighted equally (1/3 each)'
>>> select(stag, eqs, "logit")[1]
'logit tracing (McKelvey & Palfrey 1995; Turocy 2005) selects pure (Hare, Hare) of 3 equilibria'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ParameterError
from solver.core.game import Game, Number
from solver.core.result import Equilibrium

#: the rules ``--select`` accepts; ``all`` keeps every equilibrium with equal weight
RULES = ("all", "payoff-dominance", "risk-dominance", "logit")
CITE = "Harsanyi & Selten 1988"
#: each rule's source, for the sentences that name the rule
CITES = {"payoff-dominance": CITE, "risk-dominance": CITE, "logit": "McKelvey & Palfrey 1995; Turocy 2005"}
NAMES = {"payoff-dominance": "payoff dominance", "risk-dominance": "risk dominance", "logit": "logit tracing"}


def _slack(values: Sequence[Sequence[Number]]) -> float:
    """Zero for exact payoffs, else the tie tolerance scaled to the payoffs' magnitude."""
    flat = [v for vec in values for v in vec]
    if all(isinstance(v, Fraction | int) for v in flat):
        return 0.0
    return tolerances.scaled(tolerances.TIE, max((abs(float(v)) for v in flat), default=1.0))


def dominant_index(values: Sequence[Sequence[Number]]) -> int | None:
    """Index of the payoff vector that payoff-dominates every other one, or ``None``.

    >>> dominant_index([(4, 4), (3, 3), (3, 3)]), dominant_index([(2, 1), (1, 2)])
    (0, None)
    >>> dominant_index([(1, 1), (1, 1)]), dominant_index([(5,)])
    (None, 0)
    """
    tol = _slack(values)

    def dominates(a: Sequence[Number], b: Sequence[Number]) -> bool:
        at_least = all(x >= y - tol for x, y in zip(a, b, strict=True))
        return at_least and any(x > y + tol for x, y in zip(a, b, strict=True))

    winners = [
        i for i, a in enumerate(values)
        if all(dominates(a, b) for j, b in enumerate(values) if j != i)
    ]
    return winners[0] if len(winners) == 1 else None


def payoff_dominant(equilibria: Sequence[Equilibrium]) -> Equilibrium | None:
    """The equilibrium that payoff-dominates all others (Harsanyi & Selten 1988, def. 3.9.1),
    or ``None`` when there is none; a lone equilibrium is trivially dominant."""
    k = dominant_index([e.values for e in equilibria])
    return None if k is None else equilibria[k]


def nash_products(a: Sequence[Sequence[Number]], b: Sequence[Sequence[Number]]) -> dict[tuple[int, int], Number]:
    """Each strict pure equilibrium of a 2x2 bimatrix game with its product of deviation losses.

    >>> nash_products([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    {(0, 0): 1, (1, 1): 9}
    """
    out: dict[tuple[int, int], Number] = {}
    for r in (0, 1):
        for c in (0, 1):
            loss_row = a[r][c] - a[1 - r][c]
            loss_col = b[r][c] - b[r][1 - c]
            if loss_row > 0 and loss_col > 0:
                out[(r, c)] = loss_row * loss_col
    return out


def risk_dominant(game: Game, equilibria: Sequence[Equilibrium]) -> Equilibrium | None:
    """The risk-dominant one of the two strict pure equilibria of a 2x2 game (Harsanyi & Selten
    1988, sec. 3.9), or ``None``: not a 2x2 game, not two strict pure equilibria among
    ``equilibria``, or equal Nash products.  A lone equilibrium is returned as it is."""
    if len(equilibria) == 1:
        return equilibria[0]
    if game.shape != (2, 2):
        return None
    a = [[game.payoffs[0, r, c] for c in (0, 1)] for r in (0, 1)]
    b = [[game.payoffs[1, r, c] for c in (0, 1)] for r in (0, 1)]
    products = nash_products(a, b)
    strict = [
        (e, products[cell]) for e in equilibria if e.is_pure
        for cell in [tuple(s[0] for s in e.support())] if cell in products
    ]
    if len(strict) != 2 or len(products) != 2:
        return None
    (e1, p1), (e2, p2) = strict
    tol = _slack([[p1, p2]])
    if p1 > p2 + tol:
        return e1
    if p2 > p1 + tol:
        return e2
    return None


@dataclass(frozen=True)
class Selection:
    """What a rule kept and the sentence saying how; ``fell_back`` when it kept all equally,
    with ``reason`` saying why (empty otherwise)."""

    kept: list[Equilibrium]
    sentence: str
    fell_back: bool
    reason: str = ""
    #: what the reader should know about the pick (the logit branch bifurcates, the limit is
    #: not one of the equilibria given and the nearest one was kept)
    notes: tuple[str, ...] = ()


def choose(game: Game, equilibria: Sequence[Equilibrium], rule: str) -> Selection:
    """Apply ``rule`` (one of :data:`RULES`) to the equilibria of one game."""
    if rule not in RULES:
        raise ParameterError(f"unknown selection rule {rule!r}: choose one of {', '.join(RULES)}")
    eqs = list(equilibria)
    n = len(eqs)
    if n <= 1:
        return Selection(eqs, "one equilibrium: nothing to weigh" if n else "no equilibrium", False)
    equal = f"all {n} equilibria weighted equally (1/{n} each)"
    if rule == "all":
        return Selection(eqs, equal, False)
    notes: list[str] = []
    if rule == "logit":
        pick, notes = logit_pick(game, eqs)
    else:
        pick = payoff_dominant(eqs) if rule == "payoff-dominance" else risk_dominant(game, eqs)
    if pick is None:
        why = fallback_reason(rule, game.shape)
        return Selection(eqs, f"{why}: {equal}", True, why, tuple(notes))
    text = f"{NAMES[rule]} ({CITES[rule]}) selects {pick.describe()} of {n} equilibria"
    return Selection([pick], text, False, "", tuple(notes))


def logit_pick(
    game: Game, equilibria: Sequence[Equilibrium], budget: Budget = UNBOUNDED
) -> tuple[Equilibrium | None, list[str]]:
    """The equilibrium among ``equilibria`` that is the logit tracing selection's profile
    (:func:`~solver.equilibria.qre.limit.logit_limit`), or the nearest one (max-norm in
    probabilities, with a note), and notes: a bifurcation on the branch means the selection is
    not unique.  ``None`` (and why, in the notes) when the branch did not settle."""
    import numpy as np

    from solver.equilibria.qre.limit import logit_limit
    from solver.equilibria.verify import same_profile

    res = logit_limit(game, budget=budget)
    notes = [f"the logit branch passes a bifurcation (a symmetric game): the selection is not unique ({n})"
             for n in res.notes if "bifurcation" in n]
    if not res.equilibria or not equilibria:
        return None, notes + list(res.limits)
    limit = res.equilibria[0]
    for e in equilibria:
        if same_profile(e, limit):
            return e, notes

    def gap(e: Equilibrium) -> float:
        return max(
            float(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).max())
            for a, b in zip(e.vectors, limit.vectors, strict=True)
        )

    near = min(equilibria, key=gap)
    notes.append(
        f"the logit limit {limit.describe()} is not among the {len(equilibria)} equilibria given: the nearest, "
        f"{near.describe()} ({gap(near):.3g} away in probability), is selected"
    )
    return near, notes


def fallback_reason(rule: str, shape: tuple[int, ...]) -> str:
    """Why ``rule`` picked no equilibrium among several, in words."""
    if rule == "payoff-dominance":
        return "no equilibrium payoff-dominates all the others"
    if rule == "logit":
        return "the logit branch did not settle on an equilibrium (time budget, or no limit found)"
    if shape != (2, 2):
        return "risk dominance is defined here only for 2x2 games"
    return "no unique risk-dominant equilibrium (it needs two strict pure ones with unequal Nash products)"


def select(game: Game, equilibria: Sequence[Equilibrium], rule: str) -> tuple[list[Equilibrium], str]:
    """The equilibria ``rule`` keeps (each to be weighted equally) and a sentence saying how."""
    s = choose(game, equilibria, rule)
    return s.kept, s.sentence


#: lambda times the payoff spread at which :func:`logit_winners` reads the branch (ten times
#: where :func:`~solver.equilibria.qre.limit.logit_limit` starts)
LOGIT_REACH = 1000.0


def logit_winners(batch: Any, cands: Sequence[Any], masks: Any) -> Any:
    """``(C, N)``: candidate ``c`` is the logit tracing selection at the point, for the points of
    a batch (:class:`solver.sweep.engine.Batch`) with several candidates.  2x2 models at once:
    the principal-branch QRE at lambda = :data:`LOGIT_REACH` over each point's payoff spread
    (:func:`~solver.equilibria.qre.batched2x2.qre_2x2_grid` on the payoffs divided by it), and
    the candidate nearest it (max-norm); other shapes point by point by :func:`logit_pick`."""
    import numpy as np

    from solver.core.symbolic import batch_evaluator
    from solver.equilibria.qre.batched2x2 import qre_2x2_grid

    m = batch.model
    win = np.zeros_like(masks)
    idx = np.flatnonzero(masks.sum(axis=0) > 1)
    if not idx.size or not cands:
        return win
    cols = [np.asarray(batch.columns[p.name], dtype=float)[idx] for p in m.parameters]
    with np.errstate(all="ignore"):
        u = np.asarray(batch_evaluator(m)(*cols), dtype=float).reshape(*m.payoffs.shape, idx.size)
    flat = u.reshape(-1, idx.size)
    spread = np.maximum(flat.max(axis=0) - flat.min(axis=0), tolerances.FLOOR)
    gaps = np.full((len(cands), idx.size), np.inf)
    if m.shape == (2, 2):
        p, q, _ = qre_2x2_grid(u / spread, LOGIT_REACH)
        for j, c in enumerate(cands):
            prob = [c.probs[0][idx, 0], c.probs[1][idx, 0]]
            gaps[j] = np.where(masks[j, idx], np.maximum(np.abs(prob[0] - p), np.abs(prob[1] - q)), np.inf)
        best = gaps.argmin(axis=0)
        win[best, idx] = True
        return win
    for col, k in enumerate(idx.tolist()):
        game = Game.from_arrays(u[..., col], players=m.players, strategies=m.strategies, exact=False)
        here = [j for j in range(len(cands)) if masks[j, k]]
        eqs = [_candidate_equilibrium(game, cands[j], k) for j in here]
        pick, _ = logit_pick(game, eqs)
        if pick is not None:
            win[here[eqs.index(pick)], k] = True
    return win


def _candidate_equilibrium(game: Game, cand: Any, k: int) -> Equilibrium:
    """A batch candidate at point ``k`` as an :class:`Equilibrium` of ``game`` (floats)."""
    vecs = tuple(tuple(float(v) for v in p[k]) for p in cand.probs)
    return Equilibrium(game.players, game.strategies, vecs, tuple(float(v) for v in cand.values[k]), 0.0)
