"""Logit quantal response equilibria of a model: the analysis behind ``redline qre``.

In a logit QRE every player plays each strategy with probability proportional to
``exp(lambda * expected payoff)``: choice with errors, costlier errors rarer (McKelvey & Palfrey
1995, "Quantal response equilibria for normal form games", GEB 10:6-38).  At ``lambda = 0``
play is uniform; as lambda grows the *principal branch* of QRE, traced from there by
predictor-corrector homotopy (Turocy 2005, "A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence", GEB 51:243-263), converges to one Nash
equilibrium, the *logit limit*.  Game trees get the agent QRE on their behaviour strategies
(McKelvey & Palfrey 1998, "Quantal response equilibria for extensive form games", Experimental
Economics 1:9-41), whose limit is a sequential equilibrium (:mod:`.qre_limit`).

:func:`qre` returns one :class:`QREResult` for every mode: the branch (no lambda), the QRE on it
at given lambdas, or every QRE found at one lambda (``all=True``, never known to be complete).

Matching pennies is uniform at every lambda; the prisoner's dilemma defects more as lambda grows:

>>> r = qre("matching_pennies", [0.5, 4.0])
>>> [r.profile(p)["Row"] for p in r.points]
[{'Heads': 0.5, 'Tails': 0.5}, {'Heads': 0.5, 'Tails': 0.5}]
>>> pd = qre("prisoners_dilemma")
>>> pd.limit.equilibrium.describe(), round(pd.profile(pd.points[-1])["Row"]["Defect"], 6)
('pure (Defect, Defect)', 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from solver.analysis.qre_limit import QRELimit, limit_of
from solver.core import tolerances
from solver.core.budget import Budget
from solver.core.errors import ModelError, ParameterError
from solver.core.game import Game
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.equilibria.qre.branch import form_of, qre_all_at, qre_at, trace_branch
from solver.equilibria.qre.types import Branch, QREPoint

#: with no lambda, the branch is traced to this over the payoff spread (lambda times the spread
#: is what the QRE depends on)
LAMBDA_SPREAD = 1000.0
#: the most lambdas one call takes
MAX_LAMBDAS = 10001
#: the most outcomes (pure profiles, or a tree's leaves) whose odds a result lists per point
MAX_OUTCOMES = 16


@dataclass(frozen=True)
class QREResult:
    """The QRE of one model at one parameter point.

    ``mode``: ``"branch"`` (the principal branch traced from 0 to ``lambda_max``), ``"at"`` (its
    QRE at the asked lambdas, the first crossing where it folds back) or ``"all"`` (every QRE found
    at one lambda).  ``branch`` holds the points and the honest flags; ``limit`` the Nash
    equilibrium the branch selects (None: not found, ``limits`` say why).  ``kind`` is
    ``"strategic"`` or ``"tree"`` (agent QRE: profiles by information set)."""

    title: str
    name: str
    kind: str
    mode: str
    branch: Branch
    limit: QRELimit | None
    subject: Game | Tree = field(repr=False)
    values: Mapping[str, Any] = field(default_factory=dict)
    extra_limits: tuple[str, ...] = ()
    asked: tuple[float, ...] = ()

    @property
    def points(self) -> tuple[QREPoint, ...]:
        return self.branch.points

    @property
    def complete(self) -> bool:
        return self.branch.complete and not self.extra_limits

    @property
    def status(self) -> str:
        return self.branch.status

    @property
    def method(self) -> str:
        return self.branch.method

    @property
    def limits(self) -> tuple[str, ...]:
        return self.branch.limits + self.extra_limits

    @property
    def notes(self) -> tuple[str, ...]:
        return self.branch.notes + (self.limit.notes if self.limit is not None else ())

    @property
    def tolerances(self) -> dict[str, float]:
        return {**self.branch.tolerances, "support": tolerances.QRE_SUPPORT, **tolerances.verification()}

    @property
    def time_budget(self) -> float | None:
        return self.branch.time_budget

    def profile(self, p: QREPoint) -> dict[str, dict[str, Any]]:
        """Player -> strategy -> probability; a tree: player -> information set -> action -> probability."""
        b = self.branch
        if self.kind == "strategic":
            return b.profile(p)
        # by index, not through the flat profile: labels are unique per player only ("#1")
        out: dict[str, dict[str, Any]] = {player: {} for player in b.players}
        for choice, owner, acts, vec in zip(b.choices, b.owners, b.actions, p.vectors, strict=True):
            out[b.players[owner]][choice] = dict(zip(acts, vec, strict=True))
        return out

    def payoffs(self, p: QREPoint) -> dict[str, float]:
        return self.branch.payoffs(p)

    def outcome_labels(self) -> list[str] | None:
        """The outcomes :meth:`outcomes` lists (pure profiles, or a tree's leaves by their path),
        or None where there are more than :data:`MAX_OUTCOMES`."""
        if isinstance(self.subject, Game):
            if math.prod(self.subject.shape) > MAX_OUTCOMES:
                return None
            return [", ".join(k) for k in _profiles(self.subject.strategies)]
        leaves = [n for n, node in enumerate(self.subject.nodes) if node.is_terminal]
        if len(leaves) > MAX_OUTCOMES:
            return None
        return [", ".join(self.subject.actions(q)[a] for q, a in self.subject.history(n)) for n in leaves]

    def outcomes(self, p: QREPoint) -> list[float] | None:
        """The probability of each outcome of :meth:`outcome_labels` under the QRE ``p``."""
        if self.outcome_labels() is None:
            return None
        if isinstance(self.subject, Game):
            probs = [1.0]
            for vec in p.vectors:
                probs = [a * b for a in probs for b in vec]
            return probs
        return _leaf_odds(self.subject, p.vectors)


def _profiles(strategies: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [()]
    for labels in strategies:
        keys = [(*k, s) for k in keys for s in labels]
    return keys


def _leaf_odds(tree: Tree, vectors: tuple[tuple[float, ...], ...]) -> list[float]:
    """Each leaf's probability (node order) under behaviour ``vectors`` (one per player's set)."""
    at = {h: k for k, h in enumerate(i for i, s in enumerate(tree.infosets) if s.player >= 0)}
    reach = [0.0] * len(tree.nodes)
    reach[0] = 1.0
    for n, node in enumerate(tree.nodes):  # parents come before their children
        if node.is_terminal or reach[n] == 0.0:
            continue
        probs = [float(v) for v in node.probs] if node.is_chance else vectors[at[node.infoset]]
        for c, q in zip(node.children, probs, strict=True):
            reach[c] += reach[n] * q
    return [reach[n] for n, node in enumerate(tree.nodes) if node.is_terminal]


def _subject(
    model: str | Model | Game | Tree, values: Mapping[str, Any] | None
) -> tuple[Game | Tree, str, str, dict[str, Any]]:
    """(game or numeric tree, title, name, parameter values) of what :func:`qre` was given."""
    from solver.core.symbolic import evaluate
    from solver.formats import load

    m = load(model) if isinstance(model, str) else model
    if isinstance(m, Game):
        if values:
            raise ParameterError("values apply to a model, not to a numeric game")
        return m, m.title, m.title, {}
    if isinstance(m, Tree):
        _check_moves(m)
        if m.symbolic and values is None:
            raise ParameterError("a symbolic tree needs parameter values (values=...), or pass its model")
        return (m.at(values) if m.symbolic else m), m.title, m.title, {}
    if m.kind == "bargaining":
        raise ModelError(
            'kind "bargaining" (a continuous offer) is solved by `redline solve` only', source=m.path, key="model.kind"
        )
    vals = m.values(values)
    if m.tree is not None:
        _check_moves(m.tree, m.path or m.name)
        return m.tree.at(vals if m.tree.symbolic else None), m.title, m.name, vals
    return evaluate(m, values), m.title, m.name, vals


def _check_moves(tree: Tree, source: str | None = None) -> None:
    """Refuse a tree in which no player moves (only chance, or a single leaf): its QRE is
    trivial, there is nothing to choose."""
    if not any(h.player >= 0 for h in tree.infosets):
        raise ModelError("nothing to choose", source=source, key="no player moves")


def spread(subject: Game | Tree) -> float:
    """The payoff spread (largest minus smallest payoff) of a game or a numeric tree."""
    form = form_of(subject)
    return max(float(form.payoffs.max() - form.payoffs.min()), tolerances.FLOOR)


def check_lambdas(lam: float | Sequence[float]) -> tuple[float, ...]:
    """The lambdas asked, refused unless finite numbers >= 0 (one to :data:`MAX_LAMBDAS`)."""
    asked = (float(lam),) if isinstance(lam, int | float) else tuple(float(v) for v in lam)
    if not asked:
        raise ParameterError("lambda: no values")
    if len(asked) > MAX_LAMBDAS:
        raise ParameterError(f"lambda: {len(asked)} values is more than the limit of {MAX_LAMBDAS}")
    bad = [v for v in asked if not (v >= 0 and math.isfinite(v))]
    if bad:
        raise ParameterError(f"lambda must be a finite number >= 0, got {bad[0]:g}")
    return asked


def qre(
    model_or_game: str | Model | Game | Tree,
    lam: float | Sequence[float] | None = None,
    *,
    values: Mapping[str, Any] | None = None,
    all: bool = False,
    lambda_max: float | None = None,
    limit: bool = True,
    budget: Budget | None = None,
    timeout: float | None = None,
) -> QREResult:
    """The logit QRE of a model (shipped name, path, :class:`Model` with ``values``), a numeric
    :class:`Game` or a :class:`Tree` (agent QRE).

    ``lam=None``: the principal branch from 0 to ``lambda_max`` (default :data:`LAMBDA_SPREAD`
    over the payoff spread); a number or a sequence: the branch's QRE at each; ``all=True`` with
    one lambda: every QRE found there (``complete`` False).  ``limit``: also find the Nash
    equilibrium the branch selects.  ``budget`` (or ``timeout`` seconds) bounds the work: when
    it runs out the points reached come back with ``complete`` False and ``limits`` in words."""
    bud = Budget.of(budget, timeout)
    subject, title, name, vals = _subject(model_or_game, values)
    kind = "strategic" if isinstance(subject, Game) else "tree"
    asked: tuple[float, ...] = () if lam is None else check_lambdas(lam)
    if all and len(asked) != 1:
        raise ParameterError("all=True needs exactly one lambda")
    work = bud.share(0.8) if limit else bud
    if all:
        mode, branch = "all", qre_all_at(subject, asked[0], budget=work)
    elif lam is None:
        top = LAMBDA_SPREAD / spread(subject) if lambda_max is None else lambda_max
        if not (top > 0 and math.isfinite(top)):
            raise ParameterError(f"lambda_max must be a finite number > 0, got {top:g}")
        mode, branch = "branch", trace_branch(subject, lambda_max=top, budget=work)
    else:
        mode, branch = "at", qre_at(subject, list(asked), budget=work)
    found: QRELimit | None = None
    extra: tuple[str, ...] = ()
    if limit and branch.status == "budget":
        extra = ("the Nash limit was not looked for: the time budget ran out while tracing",)
    elif limit:
        found, extra = limit_of(subject, bud)
    return QREResult(title, name, kind, mode, branch, found, subject, vals, extra, asked)
