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

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from solver.core import tolerances
from solver.sweep.bisection import bisect_signatures
from solver.sweep.engine import solve_batch
from solver.sweep.result import Boundary

if TYPE_CHECKING:
    from solver.sweep.result import SweepResult

#: at most this many grid brackets are refined (evenly subsampled beyond): every crossing of a
#: 10^7-point 2-D grid fits, and the batched bisection keeps a few arrays of this length
MAX_REFINE = 200_000

#: (halvings done, halvings expected) while the boundaries are refined
RefineProgress = Callable[[int, int], None]


def _side(shape: tuple[int, ...], ax: int, start: int, stop: int | None) -> tuple[slice, ...]:
    return tuple(slice(start, stop) if k == ax else slice(None) for k in range(len(shape)))


def grid_brackets(
    grid: np.ndarray[Any, Any], deg: np.ndarray[Any, Any], ax: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Flat indices ``(lo, hi)`` of the neighbours along ``ax`` whose signatures differ.

    Neighbours (step 1), and neighbours across one degenerate grid point (step 2): a point exactly
    on a red line has its own, degenerate, equilibrium set and is not a side of the boundary.
    Slices are views, so the memory is one boolean mask the size of the grid at a time.
    """
    shape = grid.shape
    los, his = [], []
    for step in (1, 2):
        if shape[ax] - step < 1:
            continue
        a, b = grid[_side(shape, ax, 0, -step)], grid[_side(shape, ax, step, None)]
        keep = a != b
        keep &= ~deg[_side(shape, ax, 0, -step)]
        keep &= ~deg[_side(shape, ax, step, None)]
        if step == 2:
            keep &= deg[_side(shape, ax, 1, -1)]
        idx = np.nonzero(keep)
        del keep
        los.append(np.ravel_multi_index(idx, shape))
        moved = list(idx)
        moved[ax] = moved[ax] + step
        his.append(np.ravel_multi_index(tuple(moved), shape))
    if not los:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(los), np.concatenate(his)


def find_boundaries(result: SweepResult, progress: RefineProgress | None = None) -> list[Boundary]:
    """Every signature change between grid neighbours, refined by batched bisection."""
    plan, codes = result.plan, result.codes
    if codes is None or not plan.axes:
        return []
    grid = codes.reshape(plan.shape)
    deg = (result.degenerate if result.degenerate is not None else np.zeros(codes.shape, bool)).reshape(plan.shape)
    brackets = [(ax, *grid_brackets(grid, deg, ax)) for ax in range(len(plan.shape)) if plan.shape[ax] > 1]
    total = sum(lo.size for _, lo, _ in brackets)
    if total > MAX_REFINE:
        step = -(-total // MAX_REFINE)
        brackets = [(ax, lo[::step], hi[::step]) for ax, lo, hi in brackets]
        result.notes.append(
            f"{total} grid brackets change signature; every {step}th "
            f"({sum(lo.size for _, lo, _ in brackets)}) was refined"
        )
    widths = [float(np.max(np.diff(plan.axes[ax]))) for ax, lo, _ in brackets if lo.size and plan.axes[ax].size > 1]
    rounds = max(
        (int(np.ceil(np.log2(max(w, tolerances.BOUNDARY) / tolerances.BOUNDARY))) + 1 for w in widths), default=0
    )
    expected = rounds * sum(1 for _, lo, _ in brackets if lo.size)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(min(done, expected), expected)

    out: list[Boundary] = []
    for ax, lo, hi in brackets:
        if lo.size == 0:
            continue
        out += _refine(result, ax, lo, hi, tick)
        done = max(done, rounds * (1 + [a for a, lo2, _ in brackets if lo2.size].index(ax)))
    return out


def _refine(
    result: SweepResult,
    ax: int,
    lo_idx: np.ndarray[Any, Any],
    hi_idx: np.ndarray[Any, Any],
    tick: Callable[[], None],
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
        batch = solve_batch(model, cols, undefined=True, tie=tolerances.BISECTION_TIE)
        tick()
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
