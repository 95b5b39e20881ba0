"""One outcome's probability over the points of a sweep (``redline sweep --outcome``).

The sweep's plan is solved again chunk by chunk by the batched engine
(:func:`solver.sweep.engine.solve_batch`: the same equilibria the sweep found) and at every point
the equilibria are weighted by the stated rule (:mod:`solver.analysis.outcome_weights`), so the
column says how it was aggregated wherever a point has several equilibria.

>>> from solver.formats import load
>>> from solver.sweep.grid import make_plan
>>> m = load("syria_deconfliction")
>>> plan, _ = make_plan(m, {"iran_cost": [5.0, 6.0, 7.0]})
>>> t = track_outcome(m, plan, (1, 1))  # P(Strike, Confront) = 3/5 * (iran_cost/2 - 1)/6
>>> [round(float(v), 6) for v in t.values]
[0.15, 0.2, 0.25]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.analysis.outcome_weights import Weighting, weigh
from solver.analysis.outcomes import outcome_label
from solver.core.symbolic import Model
from solver.sweep.engine import solve_batch
from solver.sweep.grid import Plan


@dataclass(frozen=True)
class OutcomeTrack:
    """P(``label``) at every point of the plan (``nan`` where no equilibrium was computed)."""

    label: str
    cell: tuple[int, ...]
    values: npt.NDArray[np.float64]
    weighting: Weighting

    def summary(self) -> dict[str, float | None]:
        v = self.values[np.isfinite(self.values)]
        if v.size == 0:
            return {"min": None, "mean": None, "max": None}
        return {"min": float(v.min()), "mean": float(v.mean()), "max": float(v.max())}

    def to_dict(self, per_point: bool = True) -> dict[str, Any]:
        doc: dict[str, Any] = {"outcome": self.label, **self.summary()}
        if per_point:
            doc["probability"] = [float(v) if np.isfinite(v) else None for v in self.values]
        return doc


def track_outcome(model: Model, plan: Plan, cell: tuple[int, ...], rule: str = "all") -> OutcomeTrack:
    """P(``cell``) at every point of ``plan``, the equilibria at each point weighted by ``rule``."""
    values = np.full(plan.n_points, np.nan)
    weighting = Weighting(rule, 0, 0, 0)
    for k in range(plan.n_chunks):
        start, stop = plan.bounds_of(k)
        batch = solve_batch(model, plan.columns(model, start, stop), undefined=True)
        w = weigh(batch, rule, cell)
        values[start:stop] = np.where(w.defined, w.values, np.nan)
        weighting = weighting.merged(w.weighting)
    return OutcomeTrack(outcome_label(model.strategies, cell), cell, values, weighting)
