"""Logit QRE over a sweep's points at one lambda (``redline sweep MODEL --qre L --vary ...``).

Each point's logit quantal response equilibrium on the principal branch (its first crossing of
``lam``; McKelvey & Palfrey 1995, GEB 10:6-38), batched like the Nash sweep: the payoffs of a
chunk of points come from :func:`solver.core.symbolic.batch_evaluator`, then

* 2x2 models: :func:`solver.sweep.qre_kernel.qre_2x2_sweep` (a direct solver where the QRE is
  unique, the batched tracer elsewhere), about a million points a second;
* other strategic shapes: :func:`solver.equilibria.qre.many.qre_many` on sub-chunks, the games it
  leaves unsolved (bifurcations) by :func:`solver.equilibria.qre.branch.qre_at`;
* game trees: the agent QRE (McKelvey & Palfrey 1998) on behaviour strategies, the leaves'
  payoffs compiled by :mod:`solver.sweep.qre_tree`; where a chance probability varies with the
  swept parameters every point is solved on its own tree (slower; said in the notes).

Per point the result keeps each choice's action probabilities, each outcome's probability (a
pure profile; a tree's terminal node) and each player's expected payoff.  Points whose payoffs are
not finite are left ``nan`` (counted); points the budget left unsolved too (``complete=False``).

>>> from solver.formats import load
>>> r = sweep_qre(load("syria_deconfliction"), {"iran_cost": [0.0, 10.0, 20.0]}, lam=0.0)
>>> r.outcomes[3], r.reach[:, 3].tolist()  # lambda 0: uniform play
('Strike, Confront', [0.25, 0.25, 0.25])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ParameterError, RedlineError
from solver.core.symbolic import Model, batch_evaluator
from solver.sweep.grid import CHUNK, Plan, make_plan

Floats = npt.NDArray[np.float64]

#: the most points of one QRE sweep (every point's probabilities are kept in memory)
MAX_QRE_POINTS = 1 << 23
#: games per call of the many-games tracer (the budget is checked between calls)
SMALL = 2048
METHOD = "logit QRE (McKelvey & Palfrey 1995)"
AGENT = "agent logit QRE on behaviour strategies (McKelvey & Palfrey 1998)"


@dataclass
class QRESweep:
    """The logit QRE at ``lam`` over the plan's points (``nan`` where none was computed)."""

    model: Model
    plan: Plan
    lam: float
    method: str
    #: players (strategic) or information sets (trees), their owners and actions
    choices: tuple[str, ...]
    owners: tuple[int, ...]
    actions: tuple[tuple[str, ...], ...]
    #: pure profiles "Strike, Confront" (strategic, C order) or terminal nodes (trees)
    outcomes: tuple[str, ...]
    probs: Floats  # (N, actions)
    reach: Floats  # (N, outcomes)
    payoffs: Floats  # (N, players)
    fallback_points: int = 0
    unsolved_points: int = 0
    undefined_points: int = 0
    limits: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n_points(self) -> int:
        return self.plan.n_points

    @property
    def complete(self) -> bool:
        return self.unsolved_points == 0

    def probability_columns(self) -> list[str]:
        return [f"P({c}={a})" for c, acts in zip(self.choices, self.actions, strict=True) for a in acts]

    def points(self) -> dict[str, Floats]:
        return self.plan.varied(0, self.n_points)


def _product(probs: Floats, sizes: Sequence[int]) -> Floats:
    """Each pure profile's probability (C order) under independent mixtures ``(B, sum sizes)``."""
    out = np.ones((probs.shape[0], 1))
    lo = 0
    for s in sizes:
        out = (out[:, :, None] * probs[:, None, lo : lo + s]).reshape(probs.shape[0], -1)
        lo += s
    return out


def _strategic(
    model: Model, pay: Floats, lam: float, budget: Budget, out: tuple[Floats, Floats, Floats]
) -> tuple[int, npt.NDArray[np.bool_]]:
    """``(fallback, unsolved)`` of the points of a payoff tensor ``(n, *shape, B)``; their action
    probabilities, outcome probabilities and expected payoffs written into ``out``."""
    from solver.core.game import Game
    from solver.equilibria.qre.form import game_form
    from solver.sweep.qre_kernel import one_game, qre_2x2_sweep

    b = pay.shape[-1]
    probs, reach, payoffs = out
    if model.shape == (2, 2):  # written straight into the result: no stacking, no copies
        p, q, fallback, unsolved = qre_2x2_sweep(pay, lam, budget)
        r, c = 1.0 - p, 1.0 - q
        probs[:, 0], probs[:, 1], probs[:, 2], probs[:, 3] = p, r, q, c
        reach[:, 0], reach[:, 1], reach[:, 2], reach[:, 3] = p * q, p * c, r * q, r * c
        np.einsum("bz,nzb->bn", reach, pay.reshape(2, 4, b), out=payoffs)
        return fallback, unsolved
    from solver.equilibria.qre.many import qre_many

    n = len(model.players)
    flat = np.moveaxis(pay.reshape(n, -1, b), -1, 0).transpose(0, 2, 1)  # (B, outcomes, players)
    form = game_form(Game.from_arrays(np.zeros((n, *model.shape)), exact=False))
    probs[:] = np.nan
    unsolved = np.zeros(b, dtype=bool)
    fallback = 0
    todo = np.flatnonzero(np.isfinite(flat).all(axis=(1, 2)))
    for lo in range(0, todo.size, SMALL):
        idx = todo[lo : lo + SMALL]
        if budget.expired():
            unsolved[todo[lo:]] = True
            break
        probs[idx], ok = qre_many(form, flat[idx], lam)
        for k in idx[~ok].tolist():
            vecs = one_game(Game.from_arrays(pay[..., k], exact=False), lam, budget)
            probs[k] = np.concatenate([np.asarray(v) for v in vecs]) if vecs is not None else np.nan
            fallback += vecs is not None
            unsolved[k] = vecs is None
    reach[:] = _product(probs, model.shape)
    payoffs[:] = np.einsum("bz,bzn->bn", reach, flat)
    return fallback, unsolved


def _at(cols: Mapping[str, Floats], k: int) -> dict[str, float]:
    return {n: float(v[k]) for n, v in cols.items()}


class _Solver:
    """One chunk of points at a time: ``(probs, reach, payoffs, fallback, unsolved)``."""

    def __init__(self, model: Model, plan: Plan, lam: float):
        self.model, self.plan, self.lam = model, plan, lam
        self.leaves: Any = None
        self.per_point = False
        if model.tree is None:
            self.method = METHOD
            self.choices, self.owners = model.players, tuple(range(len(model.players)))
            self.actions = model.strategies
            cells = np.indices(model.shape).reshape(len(model.shape), -1).T
            self.outcomes = tuple(", ".join(s[k] for s, k in zip(model.strategies, c, strict=True)) for c in cells)
            return
        from solver.sweep.qre_tree import TreeLeaves, chance_varies

        self.method = AGENT
        self.leaves = TreeLeaves(model, plan.fixed)
        sets = [h for h in model.tree.infosets if h.player >= 0]
        self.choices = tuple(h.label for h in sets)
        self.owners = tuple(h.player for h in sets)
        self.actions = tuple(h.actions for h in sets)
        self.outcomes = self.leaves.outcomes
        self.per_point = chance_varies(model, plan.names)

    def run(self, start: int, stop: int, budget: Budget, out: tuple[Floats, Floats, Floats]) -> tuple[int, Any]:
        """Points ``[start, stop)`` into ``out`` (their rows of the result): ``(fallback, unsolved)``."""
        m, plan = self.model, self.plan
        if m.tree is None:  # fixed parameters as scalars: the evaluator broadcasts them
            var = plan.varied(start, stop)
            args = [var[p.name] if p.name in var else np.float64(plan.fixed[p.name]) for p in m.parameters]
            with np.errstate(all="ignore"):
                pay = np.asarray(batch_evaluator(m)(*args), dtype=float)
            pay = np.broadcast_to(pay.reshape(*pay.shape[: m.payoffs.ndim], -1), (*m.payoffs.shape, stop - start))
            return _strategic(m, pay, self.lam, budget, out)
        probs, reach, payoffs, fallback, unsolved = self._tree(plan.columns(m, start, stop), budget)
        out[0][:], out[1][:], out[2][:] = probs, reach, payoffs
        return fallback, unsolved

    def _tree(self, cols: Mapping[str, Floats], budget: Budget) -> tuple[Floats, Floats, Floats, int, Any]:
        from solver.equilibria.qre.many import qre_many
        from solver.sweep.qre_tree import one_point

        size = next(iter(cols.values())).size
        m, leaves = self.model, self.leaves
        probs = np.full((size, leaves.form.n_actions), np.nan)
        reach = np.full((size, len(self.outcomes)), np.nan)
        payoffs = np.full((size, len(m.players)), np.nan)
        unsolved = np.zeros(size, dtype=bool)
        if self.per_point:
            for k in range(size):
                got = None if budget.expired() else one_point(m, _at(cols, k), self.lam, budget)
                if got is None:
                    unsolved[k] = True
                else:
                    probs[k], reach[k], payoffs[k] = got
            return probs, reach, payoffs, size - int(unsolved.sum()), unsolved
        pay = leaves.payoffs(cols)
        todo = np.flatnonzero(np.isfinite(pay).all(axis=(1, 2)))
        fallback = 0
        for lo in range(0, todo.size, SMALL):
            idx = todo[lo : lo + SMALL]
            if budget.expired():
                unsolved[todo[lo:]] = True
                break
            probs[idx], ok = qre_many(leaves.form, pay[idx], self.lam)
            for k in idx[~ok].tolist():
                got = None if budget.expired() else one_point(m, _at(cols, k), self.lam, budget)
                fallback += got is not None
                probs[k] = got[0] if got is not None else np.nan
                unsolved[k] = got is None
        done = np.isfinite(probs).all(axis=1)
        reach[done] = leaves.reach(probs[done])
        payoffs[done] = leaves.expected(probs[done], pay[done])
        return probs, reach, payoffs, fallback, unsolved


def sweep_qre(
    model: Model,
    vary: Mapping[str, Sequence[float] | Floats] | None = None,
    fixed: Mapping[str, Any] | None = None,
    *,
    lam: float,
    samples: int = 0,
    seed: int = 0,
    method: str = "lhs",
    force: bool = False,
    chunk: int = CHUNK,
    budget: Budget = UNBOUNDED,
) -> QRESweep:
    """The logit QRE at ``lam`` at every point of a grid (``vary``) or of ``samples`` random
    points; ``budget`` bounds the points solved one by one, and reports progress."""
    if not (np.isfinite(lam) and lam >= 0):
        raise ParameterError(f"--qre: lambda must be a finite number >= 0, got {lam:g}")
    plan, warnings = make_plan(model, vary, fixed, samples=samples, seed=seed, method=method, force=force, chunk=chunk)
    if plan.n_points > MAX_QRE_POINTS:
        raise RedlineError(
            f"{plan.n_points:.3g} points is more than the limit of {MAX_QRE_POINTS:,} for a QRE sweep "
            "(every point's probabilities are kept in memory); use a coarser grid"
        )
    solver = _Solver(model, plan, float(lam))
    n = plan.n_points
    widths = (sum(len(a) for a in solver.actions), len(solver.outcomes), len(model.players))
    probs, reach, payoffs = (np.empty((n, w), order="F") for w in widths)  # columns contiguous
    fallback = unsolved = 0
    for k in range(plan.n_chunks):
        start, stop = plan.bounds_of(k)
        budget.report("logit QRE sweep", start / n)
        if budget.expired():  # the rest: nan, unsolved
            for a in (probs, reach, payoffs):
                a[start:stop] = np.nan
            unsolved += stop - start
            continue
        fb, un = solver.run(start, stop, budget, (probs[start:stop], reach[start:stop], payoffs[start:stop]))
        fallback, unsolved = fallback + fb, unsolved + int(np.sum(un))
    undefined = int((~np.isfinite(probs).all(axis=1)).sum()) - unsolved
    result = QRESweep(
        model, plan, float(lam), solver.method, solver.choices, solver.owners, solver.actions, solver.outcomes,
        probs, reach, payoffs, fallback, unsolved, undefined, warnings=warnings,
    )
    if undefined:
        result.warnings.append(f"{undefined} points have payoffs that are not finite: their QRE is left undefined")
    if unsolved:
        result.limits.append(budget.limit("the logit QRE sweep", f"{unsolved} of {n} points"))
    if solver.per_point:
        result.notes.append(
            "a chance probability varies with the swept parameters: every point was solved on its own tree"
        )
    if fallback and not solver.per_point:
        result.notes.append(f"{fallback} points were traced one by one (the batched tracer could not vouch for them)")
    return result
