"""The value a delta* sweep produces (:func:`solver.sweep.repeated.sweep_repeated`): delta* of a
target profile per point, overall and per player, with which points were solved exactly, left
unsolved by the time budget, or had payoffs that are not finite.

>>> from fractions import Fraction
>>> from solver.formats import load
>>> from solver.sweep.grid import make_plan
>>> m = load("prisoners_dilemma"); plan, _ = make_plan(m, {"T": [4.0, 9.0]})
>>> no = np.zeros(2, dtype=bool)
>>> r = RepeatedSweep(m, plan, ("Cooperate", "Cooperate"), "nash", np.array([0.5, np.nan]),
...                   {}, no, ~no, no, Fraction(3, 5))
>>> r.holds().tolist(), r.sustainable().tolist()
([True, False], [True, False])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.errors import UsageError
from solver.core.symbolic import Model
from solver.equilibria.repeated.stage import check_delta
from solver.sweep.grid import Plan

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class RepeatedSweep:
    """delta* of ``target`` at every point of ``plan`` (NaN: no delta < 1 works, or not solved)."""

    model: Model
    plan: Plan
    target: tuple[str, ...]
    punishment: str
    delta_star: FloatArray
    #: player -> that player's critical delta at every point
    by_player: dict[str, FloatArray]
    #: points solved exactly one by one (ties in the closed form, or no closed form)
    exact: BoolArray
    #: False where the budget ran out (or the payoffs are not finite): delta* unknown there
    solved: BoolArray
    undefined: BoolArray
    #: the discount factor asked about (``--delta``), or None
    delta: Fraction | None = None
    method: str = ""
    limits: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n_points(self) -> int:
        return self.plan.n_points

    @property
    def complete(self) -> bool:
        return not self.limits

    def points(self) -> dict[str, FloatArray]:
        """The varied parameters' values at every point, in plan order."""
        return self.plan.varied(0, self.n_points)

    def holds(self, delta: Any = None) -> BoolArray:
        """Where the target is sustained at ``delta`` (default: the sweep's), i.e. delta >= delta*
        (to :data:`~solver.core.tolerances.TIE`: a delta* computed in floats as 0.75 + 1e-15
        holds at 0.75)."""
        d = self.delta if delta is None else check_delta(delta)
        if d is None:
            raise UsageError("which discount factor? give delta (in (0, 1))")
        with np.errstate(invalid="ignore"):
            return np.asarray(self.delta_star <= float(d) + tolerances.TIE, dtype=bool)

    def sustainable(self) -> BoolArray:
        """Where some delta < 1 sustains the target (delta* is a number)."""
        return np.asarray(~np.isnan(self.delta_star) & self.solved, dtype=bool)
