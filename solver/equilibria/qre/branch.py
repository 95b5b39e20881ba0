"""Logit QRE of strategic games and game trees: the principal branch, the QRE at given lambdas,
every QRE found at one lambda.

A :class:`~solver.core.game.Game` gets the logit QRE of McKelvey & Palfrey (1995, "Quantal
response equilibria for normal form games", GEB 10:6-38); a numeric
:class:`~solver.core.tree_value.Tree` the agent QRE of McKelvey & Palfrey (1998, "Quantal
response equilibria for extensive form games", Experimental Economics 1:9-41), on its behaviour
strategies.  The branch is traced by :mod:`.trace` (Turocy 2005), from uniform play at
``lam = 0``; lambda is in the units of the payoffs (scaling payoffs by ``k`` scales it by
``1/k``).

>>> from solver.core.game import Game
>>> g = Game.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])  # asymmetric matching pennies
>>> b = qre_at(g, 2.0)
>>> [round(v, 6) for v in b.points[0].vectors[0]], b.complete
([0.860754, 0.139246], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from solver.core.budget import UNBOUNDED, Budget
from solver.core.game import Game
from solver.core.tolerances import QRE_DUPLICATE
from solver.core.tree_value import Tree
from solver.equilibria.qre.form import Floats, Form, expected, game_form, tree_form
from solver.equilibria.qre.trace import Trace, fixed_lambda, trace
from solver.equilibria.qre.types import Branch, QREPoint

Subject = Game | Tree

#: the lambda a branch is traced to when none is given (in payoff units: lam times the payoff
#: spread is what matters)
LAMBDA_MAX = 1000.0


def form_of(subject: Subject) -> Form:
    """The logit equations' arrays of a game or a numeric tree (kept with a tree)."""
    if isinstance(subject, Game):
        return game_form(subject)
    if subject.symbolic:
        raise ValueError("evaluate the tree at parameter values first (tree.at(values))")
    kept = subject.memo.get("qre_form")
    if isinstance(kept, Form):
        return kept
    form = tree_form(subject)
    subject.memo["qre_form"] = form
    return form


def labels(subject: Subject) -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]:
    """Choices' names, owners and action labels."""
    if isinstance(subject, Game):
        return subject.players, tuple(range(subject.n_players)), subject.strategies
    sets = [h for h in subject.infosets if h.player >= 0]
    return tuple(h.label for h in sets), tuple(h.player for h in sets), tuple(h.actions for h in sets)


def point(form: Form, x: Floats, exact: bool = True) -> QREPoint:
    """The :class:`QREPoint` of ``x = (y, lam)``: probabilities renormalised per choice."""
    y = x[:-1]
    p = np.exp(y)
    p = p / np.bincount(form.choice, weights=p)[form.choice]
    vecs = tuple(
        tuple(float(v) for v in p[a : a + n]) for a, n in zip(form.first.tolist(), form.size.tolist(), strict=True)
    )
    return QREPoint(float(x[-1]), vecs, tuple(float(v) for v in expected(form, y)), exact)


def points(form: Form, xs: Sequence[Floats], exact: Sequence[bool] = ()) -> list[QREPoint]:
    """:func:`point` of each of ``xs`` (``exact_lambda`` from ``exact``, True where not given),
    in a few array operations over them all rather than a few per point."""
    if not xs:
        return []
    y = np.asarray(xs, dtype=float)[:, :-1]
    p = np.exp(y)
    p /= (p @ form.onehot.T)[:, form.choice]
    vals = np.exp(form.log_chance + y @ form.incidence.T) @ form.payoffs
    cuts = list(zip(form.first.tolist(), (form.first + form.size).tolist(), strict=True))
    flags = list(exact) or [True] * len(xs)
    return [
        QREPoint(float(x[-1]), tuple(tuple(row[a:b]) for a, b in cuts), tuple(v), ok)
        for x, row, v, ok in zip(xs, p.tolist(), vals.tolist(), flags, strict=True)
    ]


def _branch(subject: Subject, points: Sequence[QREPoint], tr: Trace, budget: Budget, **kw: object) -> Branch:
    choices, owners, actions = labels(subject)
    players = subject.players
    limits = []
    if tr.status == "budget":
        reached = f"lambda beyond {points[-1].lam:g}" if points else "every lambda asked"
        limits.append(budget.limit("tracing the logit branch", reached))
    elif tr.status == "stalled":
        limits.append(f"the step size shrank to nothing near lambda = {float(tr.points[-1][-1]):g} (a singular point)")
    elif tr.status == "steps":
        limits.append(f"the step limit was reached at lambda = {float(tr.points[-1][-1]):g}")
    if isinstance(subject, Tree):  # the agent QRE of McKelvey & Palfrey (1998)
        kw["method"] = "agent " + str(kw.get("method", Branch.method))
    notes = [f"the branch turns back in lambda at {v:.6g}" for v in tr.turning]
    notes += [
        f"the branch passes a bifurcation between lambda = {a:.6g} and {b:.6g}: other QRE branches "
        "cross it there; the trace keeps straight on"
        for a, b in tr.bifurcations
    ]
    return Branch(
        players,
        choices,
        owners,
        actions,
        tuple(points),
        status=tr.status,
        complete=tr.status == "done",
        turning=tuple(tr.turning),
        bifurcations=tuple(tr.bifurcations),
        limits=tuple(limits),
        notes=tuple(notes),
        time_budget=budget.seconds,
        **kw,  # type: ignore[arg-type]
    )


def trace_branch(subject: Subject, *, lambda_max: float = LAMBDA_MAX, budget: Budget = UNBOUNDED) -> Branch:
    """The principal branch from ``lam = 0`` to ``lambda_max`` (its last point exactly there):
    every point the tracer accepted, in arclength order (``lam`` may fall where the branch
    turns).  When the budget runs out the points traced so far come back, ``complete=False``.

    >>> from solver.core.game import Game
    >>> b = trace_branch(Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]), lambda_max=40)
    >>> b.points[0].vectors, [round(v, 6) for v in b.points[-1].vectors[0]], b.status
    (((0.5, 0.5), (0.5, 0.5)), [0.0, 1.0], 'done')
    """
    if not lambda_max > 0:
        raise ValueError(f"lambda_max must be positive, not {lambda_max}")
    form = form_of(subject)
    tr = trace(form, lambda_max, budget=budget)
    end = tr.hits.get(0)
    xs = [x for x in tr.points if x[-1] < lambda_max]
    pts = points(form, xs) + ([point(form, end, 0 not in tr.rough)] if end is not None else [])
    return _branch(subject, pts, tr, budget)


def qre_at(subject: Subject, lam: float | Sequence[float], *, budget: Budget = UNBOUNDED) -> Branch:
    """The QRE on the principal branch at each lambda of ``lam`` (where the branch folds back,
    the first crossing), in the order asked; one trace serves them all.  Lambdas the budget did
    not reach are missing (``complete=False``)."""
    asked = [float(lam)] if isinstance(lam, int | float) else [float(v) for v in lam]
    if not asked or any(not v >= 0 for v in asked):
        raise ValueError(f"lambda must be one or more numbers >= 0, not {lam}")
    form = form_of(subject)
    top = max(asked)
    goal = sorted(set(asked))
    tr = trace(form, top if top > 0 else 1.0, goal, budget=budget)
    at = {goal[k]: x for k, x in tr.hits.items() if k < len(goal)}
    rough = {goal[k] for k in tr.rough if k < len(goal)}
    pts = points(form, [at[v] for v in asked if v in at], [v not in rough for v in asked if v in at])
    if tr.status == "done" and len(pts) < len(asked):
        tr.status = "steps"
    return _branch(subject, pts, tr, budget, method="logit QRE at given lambdas (principal branch)")


def qre_all_at(
    subject: Subject,
    lam: float,
    *,
    starts: int = 64,
    seed: int = 0,
    reach: float = 10.0,
    budget: Budget = UNBOUNDED,
) -> Branch:
    """Every logit QRE found at ``lam``: each crossing of ``lam`` by the principal branch (traced
    on to ``reach * lam``), then Newton's method at ``lam`` from ``starts`` random profiles
    (seeded), duplicates merged.  Nothing guarantees that no QRE is missed (a branch not
    connected to these starts): ``complete`` is False; the notes say how the set was found."""
    if not lam >= 0:
        raise ValueError(f"lambda must be >= 0, not {lam}")
    form = form_of(subject)
    tr = trace(form, max(reach * lam, lam, 1.0), [lam], budget=budget, every=True)
    found = [x[:-1] for k, x in tr.crossings if k == 0]
    rng = np.random.default_rng(seed)
    for _ in range(starts):
        if budget.expired():
            break
        logp = np.log(rng.dirichlet(np.ones(form.n_actions)))  # normalised per choice below
        logp -= np.log(np.bincount(form.choice, weights=np.exp(logp))[form.choice])
        y = fixed_lambda(form, logp, lam)
        if y is not None:
            found.append(y)
    pts: list[QREPoint] = []
    for y in found:
        p = point(form, np.append(y, lam))
        flat = np.concatenate([np.asarray(v) for v in p.vectors])
        if all(np.abs(flat - np.concatenate([np.asarray(v) for v in q.vectors])).max() > QRE_DUPLICATE for q in pts):
            pts.append(p)
    notes = (
        f"found by tracing the principal branch to lambda = {max(reach * lam, lam, 1.0):g} and by Newton's "
        f"method from {starts} random starts (seed {seed}): other QRE may exist",
    )
    b = _branch(subject, pts, tr, budget, method="logit QRE at one lambda (branch crossings + random starts)")
    return replace(b, complete=False, notes=b.notes + notes)
