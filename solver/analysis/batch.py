"""Access to the batched sweep engine, with a per-point fallback while it is unavailable.

``solve_batch(model, columns)`` is :func:`solver.sweep.engine.solve_batch` when that module
imports; otherwise every point is solved exactly by :func:`solver.equilibria.solve` (slow, but the
same signatures, since both report ``Result.signature()`` words).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..symbolic import Model


@dataclass
class PointBatch:
    """The per-point stand-in for the engine's ``Batch`` (codes, labels, outcome distributions)."""

    model: Model
    codes: npt.NDArray[np.int64]
    labels: list[str]
    outcomes: npt.NDArray[np.float64]

    def outcome_probabilities(self) -> npt.NDArray[np.float64]:
        return self.outcomes


def solve_points(model: Model, columns: Mapping[str, npt.NDArray[Any]]) -> PointBatch:
    """Solve each point exactly with :func:`solver.equilibria.solve`."""
    from ..equilibria import solve
    from ..symbolic import evaluate

    n = len(next(iter(columns.values()))) if columns else 1
    labels: list[str] = []
    index: dict[str, int] = {}
    codes = np.zeros(n, dtype=np.int64)
    outcomes = np.zeros((n, *model.shape))
    for k in range(n):
        point = {name: float(columns[name][k]) for name in model.parameter_names}
        res = solve(evaluate(model, point))
        sig = res.signature()
        codes[k] = index.setdefault(sig, len(index))
        if codes[k] == len(labels):
            labels.append(sig)
        for e in res.equilibria:
            dist = np.asarray(e.vectors[0], dtype=float)
            for v in e.vectors[1:]:
                dist = np.multiply.outer(dist, np.asarray(v, dtype=float))
            outcomes[k] += dist / max(1, len(res.equilibria))
    return PointBatch(model, codes, labels, outcomes)


def solve_batch(model: Model, columns: Mapping[str, npt.NDArray[Any]]) -> Any:
    """The engine's batch solve, or the per-point fallback when the engine is not importable."""
    try:
        from ..sweep.engine import solve_batch as engine_solve
    except ImportError:
        return solve_points(model, columns)
    return engine_solve(model, columns)
