"""Red lines of the repeated game: where the grim-trigger delta* crosses delta, or reaches 1.

One parameter moves over its declared range (the others fixed); the closed forms of
:func:`solver.analysis.repeated_path.grim_segments` (grim trigger with Nash reversion, Friedman
1971, piece by piece as the stage equilibria change) give the exact points where the target
starts or stops being sustained at ``delta`` (roots of ``delta*(p) - delta``) and where delta*
reaches 1 (the branch boundary beyond which no delta < 1 works).

Prisoner's dilemma (R = 3, P = 1): delta* = (T - 3)/(T - 1) is 3/4 at T = 9.

>>> ts = delta_thresholds("prisoners_dilemma", "Cooperate, Cooperate", "T", "3/4")
>>> [(str(t.value), t.kind) for t in ts.found]
[('9', 'crosses')]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from solver.analysis.repeated import as_model, fixed_values, segment_status
from solver.analysis.repeated_path import Segment, T, grim_segments
from solver.core.budget import Budget
from solver.core.expr import symbol
from solver.equilibria.repeated import analyse_repeated
from solver.equilibria.repeated.stage import check_delta


@dataclass(frozen=True)
class DeltaThreshold:
    """A value of the parameter where the grim delta* crosses ``delta`` or reaches 1."""

    value: Any
    #: "crosses" (delta* passes delta) or "reaches 1" (no delta < 1 on one side)
    kind: str
    #: delta* just below and just above (sympy in the parameter; None: no delta < 1)
    before: Any
    after: Any
    #: whether the target is sustained at delta just below / just above (None: no delta given)
    held_before: bool | None
    held_after: bool | None


@dataclass(frozen=True)
class DeltaThresholds:
    target: tuple[str, ...]
    parameter: str
    delta: Fraction | None
    low: Fraction
    high: Fraction
    found: tuple[DeltaThreshold, ...]
    segments: tuple[Segment, ...]
    notes: tuple[str, ...] = ()


def delta_thresholds(
    model: Any,
    target: Any,
    parameter: str,
    delta: Any = None,
    *,
    set: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    budget: Budget | None = None,
) -> DeltaThresholds:
    """Exact values of ``parameter`` (others fixed, within its declared range) where the grim
    trigger delta* of ``target`` crosses ``delta`` or reaches 1, from the symbolic branches."""
    from solver.analysis.conditions import rational_between
    from solver.core.symbolic import evaluate

    m = as_model(model)
    d = Fraction(check_delta(delta)) if delta is not None else None
    bud = Budget.of(budget, timeout)
    p = m.parameter(parameter)
    fixed = fixed_values(m, set, [parameter])
    tgt = analyse_repeated(evaluate(m, set), target, payoff_set=False).target
    moving = {parameter: T}
    sd = None if d is None else sp.Rational(d.numerator, d.denominator)
    lo, hi = sp.Rational(p.low.numerator, p.low.denominator), sp.Rational(p.high.numerator, p.high.denominator)
    segs = grim_segments(m, tgt, fixed, moving, lo, hi, sd, bud)
    sym = symbol(parameter)
    found = []
    for a, b in itertools.pairwise(segs):
        x = a.hi
        ma, mb = rational_between(a.lo, a.hi), rational_between(b.lo, b.hi)
        held = [None if d is None else segment_status(s, d, mid)[0] for s, mid in ((a, ma), (b, mb))]
        kind = "reaches 1" if (a.value is None) != (b.value is None) else "crosses" if held[0] != held[1] else ""
        if kind:
            va, vb = (None if s.value is None else s.value.subs(T, sym) for s in (a, b))
            found.append(DeltaThreshold(x, kind, va, vb, held[0], held[1]))
    found = [f for k, f in enumerate(found) if k == 0 or sp.simplify(f.value - found[k - 1].value) != 0]
    return DeltaThresholds(tgt, parameter, d, p.low, p.high, tuple(found), tuple(segs))
