"""Numeric first points of failure along a path, for punishments without a closed form here.

The exact analysis (:func:`solver.equilibria.repeated.analyse_repeated`: Nash reversion, the
minmax bound, simple penal codes after Abreu 1988) runs at rational points of a grid over the
path; for each punishment kind the first grid point where the target is no longer sustained at
delta is refined by bisection on exact rational midpoints (:data:`BISECTIONS` halvings).  The
answer is numeric: the first failure lies in the returned bracket, and a failure that starts and
ends between two grid points is not seen.

>>> import sympy as sp
>>> from fractions import Fraction as F
>>> from solver.formats import load
>>> from solver.analysis.repeated_path import T
>>> m = load("prisoners_dilemma")
>>> _, _, found, _ = numeric_firsts(m, m.values(), {"T": T}, ("Cooperate", "Cooperate"), F(3, 4), F(4), F(12), 9)
>>> [(f.kind, round(float(f.first), 6), f.first - f.width / 2 <= 9 <= f.first + f.width / 2) for f in found]
[('nash', 9.0, True), ('minmax', 9.0, True), ('penal_code', 9.0, True)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.analysis.repeated_path import point_values, unranged
from solver.core.budget import UNBOUNDED, Budget
from solver.core.symbolic import Model
from solver.equilibria.repeated import RepeatedResult, analyse_repeated
from solver.equilibria.repeated.result import KINDS

#: halvings of the grid step when a punishment's first failure is refined
BISECTIONS = 24


@dataclass(frozen=True)
class NumericFirst:
    """The first failure of one punishment kind along the path, located numerically."""

    kind: str
    #: the middle of the final bracket (None: sustained on the whole grid)
    first: Fraction | None
    #: width of the bracket around ``first`` (0: the path's start already fails)
    width: Fraction
    #: players whose constraint fails just after ``first``
    breaks: tuple[str, ...] = ()


def point_analysis(
    model: Model, fixed: Mapping[str, Fraction], moving: Mapping[str, Any], target: Sequence[str], x: Fraction
) -> RepeatedResult:
    """The exact analysis of ``target`` at the path point ``t = x`` (no payoff set)."""
    from solver.core.symbolic import evaluate

    game = evaluate(unranged(model, moving), point_values(fixed, moving, x), check_range=False)
    return analyse_repeated(game, tuple(target), payoff_set=False)


def _fails(res: RepeatedResult, kind: str, delta: Fraction) -> list[str]:
    p = res.punishment(kind)
    return [q for q, v in p.by_player.items() if v is None or v > delta]


def numeric_firsts(
    model: Model,
    fixed: Mapping[str, Fraction],
    moving: Mapping[str, Any],
    target: Sequence[str],
    delta: Fraction,
    lo: Fraction,
    hi: Fraction,
    points: int = 41,
    budget: Budget = UNBOUNDED,
) -> tuple[tuple[Fraction, ...], dict[str, tuple[Fraction | None, ...]], tuple[NumericFirst, ...], list[str]]:
    """(grid, kind -> critical deltas on the grid, first failures per kind, limits)."""
    points = max(points, 2)
    grid = tuple(lo + (hi - lo) * k / (points - 1) for k in range(points))
    results: list[RepeatedResult] = []
    limits: list[str] = []
    cache: dict[Fraction, RepeatedResult] = {}

    def at(x: Fraction) -> RepeatedResult:  # the kinds often fail at the same point: bisect once
        if x not in cache:
            cache[x] = point_analysis(model, fixed, moving, target, x)
        return cache[x]

    for x in grid:
        if budget.expired():
            limits.append(budget.limit("the numeric scan of the path", f"t from {float(x):g} on"))
            break
        results.append(at(x))
    curves = {k: tuple(r.punishment(k).critical_delta for r in results) for k in KINDS}
    found = []
    for kind in KINDS:
        k = next((i for i, r in enumerate(results) if _fails(r, kind, delta)), None)
        if k is None:
            found.append(NumericFirst(kind, None, Fraction(0)))
            continue
        if k == 0:
            found.append(NumericFirst(kind, grid[0], Fraction(0), tuple(_fails(results[0], kind, delta))))
            continue
        a, b, bad = grid[k - 1], grid[k], _fails(results[k], kind, delta)
        for _ in range(BISECTIONS):
            if budget.expired():
                limits.append(budget.limit(f"the bisection of {kind}", f"a bracket of width {float(b - a):.3g}"))
                break
            mid = (a + b) / 2
            now = _fails(at(mid), kind, delta)
            a, b, bad = (a, mid, now) if now else (mid, b, bad)
        found.append(NumericFirst(kind, (a + b) / 2, b - a, tuple(bad)))
    return grid[: len(results)], curves, tuple(found), limits
