"""Red lines on a grid: where the equilibrium set changes between neighbouring points.

Each change between neighbours along a varied parameter is refined by signature bisection
(:func:`solver.sweep.bisection.bisect_signatures`) in that parameter, the others fixed, to
:data:`solver.core.tolerances.BOUNDARY`, evaluating all brackets at once with the batched engine.

>>> from solver.formats import load
>>> from solver.sweep.runner import sweep
>>> r = sweep(load("prisoners_dilemma"), {"T": [2.0, 4.0]}, {"R": 3, "P": 1, "S": 0})
>>> b = r.boundaries[0]; (b.parameter, round(b.value, 9), b.before, b.after)
('T', 3.0, 'mixed (full support) + pure (Cooperate, Cooperate) + pure (Defect, Defect)', 'pure (Defect, Defect)')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from solver.core import tolerances
from solver.sweep.bisection import bisect_signatures
from solver.sweep.engine import solve_batch
from solver.sweep.result import Boundary

if TYPE_CHECKING:
    from solver.sweep.result import SweepResult

#: at most this many grid brackets are refined (evenly subsampled beyond)
MAX_REFINE = 4000


def find_boundaries(result: SweepResult) -> list[Boundary]:
    plan, codes = result.plan, result.codes
    if codes is None or not plan.axes:
        return []
    grid = codes.reshape(plan.shape)
    deg = (
        result.degenerate if result.degenerate is not None else np.zeros(codes.shape, bool)
    ).reshape(plan.shape)
    brackets: list[
        tuple[int, np.ndarray[Any, Any], np.ndarray[Any, Any]]
    ] = []  # (axis, lo flat idx, hi flat idx)
    flat = np.arange(plan.n_points).reshape(plan.shape)
    for ax in range(len(plan.shape)):
        if plan.shape[ax] < 2:
            continue
        # neighbours (step 1), and across a single degenerate grid point (step 2): a point exactly
        # on a red line has its own, degenerate, equilibrium set and is not a side of the boundary
        los, his = [], []
        for step in (1, 2):
            size = plan.shape[ax] - step
            if size < 1:
                continue
            first, last = np.arange(size), np.arange(step, plan.shape[ax])
            a, b = np.take(grid, first, axis=ax), np.take(grid, last, axis=ax)
            da, db = np.take(deg, first, axis=ax), np.take(deg, last, axis=ax)
            keep = (a != b) & ~da & ~db
            if step == 2:
                keep &= np.take(deg, np.arange(1, plan.shape[ax] - 1), axis=ax)
            los.append(np.take(flat, first, axis=ax)[keep])
            his.append(np.take(flat, last, axis=ax)[keep])
        brackets.append((ax, np.concatenate(los), np.concatenate(his)))
    total = sum(lo.size for _, lo, _ in brackets)
    if total > MAX_REFINE:
        keep = MAX_REFINE / total
        brackets = [
            (ax, lo[:: max(1, int(1 / keep))], hi[:: max(1, int(1 / keep))])
            for ax, lo, hi in brackets
        ]
        result.notes.append(
            f"{total} grid brackets change signature; {MAX_REFINE} (evenly spaced) were refined"
        )
    out: list[Boundary] = []
    for ax, lo, hi in brackets:
        if lo.size == 0:
            continue
        out += _refine(result, ax, lo, hi)
    return out


def _refine(
    result: SweepResult, ax: int, lo_idx: np.ndarray[Any, Any], hi_idx: np.ndarray[Any, Any]
) -> list[Boundary]:
    plan, model = result.plan, result.model
    name = plan.names[ax]
    base = {p.name: np.full(lo_idx.size, float(plan.fixed[p.name])) for p in model.parameters}
    var_lo = _var_at(plan, lo_idx)
    for n, v in var_lo.items():
        base[n] = v.copy()
    lo = base[name].copy()
    hi = plan.axes[ax][np.unravel_index(hi_idx, plan.shape)[ax]]
    assert result.codes is not None
    sig_lo = np.array([result.labels[c] for c in result.codes[lo_idx]], dtype=object)
    sig_hi = np.array([result.labels[c] for c in result.codes[hi_idx]], dtype=object)

    def signatures(mid: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        cols = dict(base)
        cols[name] = mid
        batch = solve_batch(model, cols, undefined=True)
        return np.array(batch.labels, dtype=object)[batch.codes], batch.degenerate

    lo, hi, sig_hi = bisect_signatures(lo, hi, sig_lo, sig_hi, signatures, tolerances.BOUNDARY)
    others = [n for n in plan.names if n != name]
    out = []
    for j in range(lo.size):
        at = {n: float(base[n][j]) for n in others}
        out.append(
            Boundary(
                name,
                float((lo[j] + hi[j]) / 2),
                str(sig_lo[j]),
                str(sig_hi[j]),
                at,
                float(hi[j] - lo[j]),
            )
        )
    return out


def _var_at(plan: Any, idx: np.ndarray[Any, Any]) -> dict[str, np.ndarray[Any, Any]]:
    coords = np.unravel_index(idx, plan.shape)
    return {n: a[c] for n, a, c in zip(plan.names, plan.axes, coords, strict=True)}
