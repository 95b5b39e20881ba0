"""The sweeps of the briefing page (``redline report``): one 1-D sweep per assumption that has a
red line and one 2-D phase diagram, run by the batched engine (:func:`solver.sweep.sweep`)
under a time budget.

The engine has no deadline of its own; it calls ``progress`` after every chunk, so the sweep
is run in small chunks and stopped there when the budget is spent (:class:`OutOfTime`).  Grid
sizes adapt to the cost of a point: game trees are solved point by point and get coarser grids.

>>> from solver.formats import load
>>> m = load("syria_deconfliction")
>>> s = sweep_1d(m, "iran_cost", m.values({}), 21)
>>> s.parameter, len(s.xs), s.labels[s.codes[0]], s.labels[s.codes[-1]]
('iran_cost', 21, 'pure (Tolerate, Acquiesce)', 'pure (Strike, Confront)')
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.budget import UNBOUNDED, Budget
from solver.core.symbolic import Model

#: points per chunk of a budgeted sweep: the budget is looked at between chunks
CHUNK_STRATEGIC = 4096
CHUNK_TREE = 16
#: grid sizes: a 1-D sweep, and the bounds on a phase diagram's side
POINTS_1D = 201
POINTS_1D_TREE = 41
SIDE_MIN, SIDE_MAX = 11, 121


class OutOfTime(Exception):
    """The time budget ran out between two chunks of a sweep."""


@dataclass(frozen=True)
class Sweep1:
    """One parameter swept over its declared range, the others fixed: each point's signature."""

    parameter: str
    xs: tuple[float, ...]
    labels: tuple[str, ...]
    #: per point, an index into ``labels``; ``degenerate`` points lie on a red line (ties)
    codes: tuple[int, ...]
    degenerate: tuple[bool, ...]
    seconds: float


@dataclass(frozen=True)
class Sweep2:
    """Two parameters swept on a grid: ``codes[j][i]`` is the signature at (``xs[i]``, ``ys[j]``)."""

    x: str
    y: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    labels: tuple[str, ...]
    codes: tuple[tuple[int, ...], ...]
    degenerate: tuple[tuple[bool, ...], ...]
    seconds: float


def _fixed(values: Mapping[str, Fraction], varied: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in varied}


def _run(model: Model, vary: dict[str, Any], values: Mapping[str, Fraction], budget: Budget) -> Any:
    from solver.sweep import sweep

    def stop(done: int, expected: int) -> None:
        budget.report(f"sweep of {', '.join(vary)}", done / max(1, expected))
        if budget.expired():
            raise OutOfTime

    chunk = CHUNK_TREE if model.tree is not None else CHUNK_STRATEGIC
    if budget.expired():
        raise OutOfTime
    return sweep(model, vary, _fixed(values, tuple(vary)), chunk=chunk, refine=False, progress=stop, force=True)


def _axis(model: Model, name: str, n: int) -> Any:
    p = model.parameter(name)
    return np.linspace(float(p.low), float(p.high), n)


def _codes(r: Any) -> tuple[list[int], list[bool]]:
    codes = [int(c) for c in r.codes]
    deg = [bool(d) for d in r.degenerate] if r.degenerate is not None else [False] * len(codes)
    return codes, deg


def sweep_1d(
    model: Model, parameter: str, values: Mapping[str, Fraction], points: int | None = None, budget: Budget = UNBOUNDED
) -> Sweep1:
    """``parameter`` over its declared range (``points`` points; default by model kind)."""
    n = points or (POINTS_1D_TREE if model.tree is not None else POINTS_1D)
    start = time.monotonic()
    xs = _axis(model, parameter, n)
    r = _run(model, {parameter: xs}, values, budget)
    codes, deg = _codes(r)
    return Sweep1(parameter, tuple(map(float, xs)), tuple(r.labels), tuple(codes), tuple(deg), time.monotonic() - start)


def side_for(seconds_per_point: float, seconds: float | None) -> int:
    """The side of a phase-diagram grid that fits ``seconds`` at ``seconds_per_point``.

    >>> side_for(1e-5, 10.0), side_for(0.02, 10.0), side_for(0.02, None)
    (121, 22, 121)
    """
    if seconds is None or seconds_per_point <= 0:
        return SIDE_MAX
    side = int((seconds / seconds_per_point) ** 0.5)
    return max(SIDE_MIN, min(SIDE_MAX, side))


def sweep_2d(
    model: Model, x: str, y: str, values: Mapping[str, Fraction], side: int, budget: Budget = UNBOUNDED
) -> Sweep2:
    """The phase diagram of ``x`` and ``y`` on a ``side`` x ``side`` grid over their ranges."""
    start = time.monotonic()
    xs, ys = _axis(model, x, side), _axis(model, y, side)
    r = _run(model, {x: xs, y: ys}, values, budget)
    codes, deg = _codes(r)
    # plan order: the first parameter varies slowest (index = i * side + j)
    grid = tuple(tuple(codes[i * side + j] for i in range(side)) for j in range(side))
    dgrid = tuple(tuple(deg[i * side + j] for i in range(side)) for j in range(side))
    return Sweep2(
        x, y, tuple(map(float, xs)), tuple(map(float, ys)), tuple(r.labels), grid, dgrid, time.monotonic() - start
    )
