"""Repeated games over a model: ``solver.repeated``, unravelling along a path, and red lines of delta*.

* :func:`repeated` -- :func:`solver.equilibria.repeated.analyse_repeated` on a model (name, path,
  :class:`~solver.core.symbolic.Model`) at its values with overrides, or on a ``Game``.
* :func:`unravel` -- the first ``t`` of a path at which a target stops being self-enforcing at a
  given delta under grim trigger with Nash reversion (Friedman 1971), exactly: the closed forms of
  :func:`solver.analysis.repeated_path.grim_segments` with the path substituted, their breakpoints
  found by sympy (rationals or algebraic numbers); each piece is checked at a rational point by the
  exact numeric analysis.  Minmax bounds and penal codes (Abreu 1988) have no closed form here:
  their first ``t`` comes from the exact analysis on a grid, refined by bisection
  (:mod:`solver.analysis.repeated_scan`), and is labelled numeric with its bracket.
* :func:`solver.analysis.repeated_thresholds.delta_thresholds` -- the parameter values where the
  grim delta* crosses a given delta or reaches 1, within the parameter's declared range.

Prisoner's dilemma (T = 5, R = 3, P = 1): delta* = (T - R)/(T - P) = 1/2.

>>> repeated("prisoners_dilemma", "Cooperate, Cooperate").critical_delta
Fraction(1, 2)
>>> u = unravel("prisoners_dilemma", "Cooperate, Cooperate", "3/4", ("T", 4, 12), points=3)
>>> u.first, u.breaks
(9, ('Row', 'Column'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from solver.analysis.repeated_path import Segment, T, grim_segments, point_values, unranged
from solver.analysis.repeated_scan import NumericFirst, numeric_firsts, point_analysis
from solver.core import tolerances
from solver.core.budget import Budget
from solver.core.errors import ParameterError, SolverError, UsageError
from solver.core.expr import symbol
from solver.core.game import Game, short
from solver.core.symbolic import Model
from solver.equilibria.repeated import RepeatedResult, analyse_repeated
from solver.equilibria.repeated.stage import check_delta


def as_model(model: Any) -> Model:
    from solver.formats import load

    return model if isinstance(model, Model) else load(model)


def repeated(
    model: Any = None,
    target: Any = None,
    delta: Any = None,
    *,
    set: Mapping[str, Any] | None = None,
    payoff_set: bool | None = None,
    timeout: float | None = None,
    budget: Budget | None = None,
) -> RepeatedResult:
    """The repeated-game analysis of ``target`` in ``model`` (a Game, or a model at its values
    with the overrides ``set``); see :func:`solver.equilibria.repeated.analyse_repeated`."""
    from solver.core.symbolic import evaluate

    if target is None:
        raise UsageError("a repeated-game analysis needs a target profile, e.g. 'Tolerate, Acquiesce'")
    if isinstance(model, Game):
        if set:
            raise UsageError("set= overrides apply to models, not to a numeric Game")
        game = model
    else:
        game = evaluate(as_model(model), set)
    return analyse_repeated(game, target, delta=delta, payoff_set=payoff_set, timeout=timeout, budget=budget)


@dataclass(frozen=True)
class Unravel:
    """Where along a path a target stops being self-enforcing at ``delta``."""

    target: tuple[str, ...]
    delta: Fraction
    #: ``t`` ([dynamics]) or the parameter standing for t
    variable: str
    lo: Fraction
    hi: Fraction
    #: moving parameter -> its expression in t (text)
    moving: Mapping[str, str]
    segments: tuple[Segment, ...]
    #: exact first t (sympy number) at which grim trigger stops sustaining the target; None: never
    first: Any
    #: whether the target already fails at ``first`` itself (else only just after it)
    closed: bool
    #: players whose constraint fails there (the deviators)
    breaks: tuple[str, ...]
    #: "above": a player's delta* rises above delta; "none": no delta < 1 works any more
    cause: str
    numeric: tuple[NumericFirst, ...]
    #: grid points and each kind's critical delta there (None: no delta < 1), for plots
    grid: tuple[Fraction, ...] = ()
    curves: Mapping[str, tuple[Fraction | None, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    #: False: no closed form along the path; ``first`` is the numeric Nash-reversion answer
    exact: bool = True

    @property
    def complete(self) -> bool:
        return not self.limits


def moving_params(model: Model, variable: str, fixed: Mapping[str, Fraction]) -> dict[str, Any]:
    """Moving parameter -> sympy expression in t alone: the model's ``[dynamics]`` for ``t``,
    else the parameter ``variable`` itself as t."""
    subs = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in fixed.items()}
    if variable == "t" and "t" not in model.parameter_names:
        if not model.dynamics:
            raise UsageError(f"{model.name} has no [dynamics] table: give the path as PARAMETER=a:b")
        return {
            k: sp.expand(e.xreplace({s: v for s, v in subs.items() if str(s) not in model.dynamics}))
            for k, e in model.dynamics.items()
        }
    model.parameter(variable)
    return {variable: T}


def fixed_values(model: Model, overrides: Mapping[str, Any] | None, moving: Sequence[str]) -> dict[str, Fraction]:
    clash = [k for k in overrides or {} if k in moving]
    if clash:
        raise UsageError(f"{clash[0]} moves along the path: set what drives it instead")
    return model.values(overrides)


def _range_notes(model: Model, moving: Mapping[str, Any], lo: Fraction, hi: Fraction, variable: str) -> list[str]:
    out = []
    for name, expr in moving.items():
        p = model.parameter(name)
        vals = [point_values({}, {name: expr}, x)[name] for x in (lo, hi)]
        if not all(p.contains(v) for v in vals):
            out.append(
                f"{name} runs from {short(vals[0])} to {short(vals[1])} along {variable} = {short(lo)}..{short(hi)}, "
                f"leaving its declared range [{short(p.low)}, {short(p.high)}]: the model is used beyond it"
            )
    return out


def segment_status(seg: Segment, delta: Fraction, x: Any) -> tuple[bool, list[str]]:
    """Whether the closed forms of ``seg`` sustain the target at ``t = x``, and who breaks."""
    dd = sp.Rational(delta.numerator, delta.denominator)
    bad = [p for p, v in seg.by_player.items() if v is None or bool(v.subs(T, x) > dd)]
    return not bad, bad


def unravel(
    model: Any,
    target: Any,
    delta: Any,
    path: tuple[str, Any, Any] = ("t", 0, 20),
    *,
    set: Mapping[str, Any] | None = None,
    points: int = 41,
    timeout: float | None = None,
    budget: Budget | None = None,
) -> Unravel:
    """The first point of ``path = (variable, lo, hi)`` at which ``target`` stops being
    self-enforcing at ``delta``: exact for grim trigger, numeric for the other punishments."""
    from solver.core.symbolic import evaluate

    m = as_model(model)
    d = Fraction(check_delta(delta))
    bud = Budget.of(budget, timeout)
    variable, lo, hi = path[0], Fraction(path[1]), Fraction(path[2])
    if not lo < hi:
        raise ParameterError(f"the path {variable} = {lo}:{hi} must run from a lower to a higher value")
    fixed0 = m.values(set)
    moving = moving_params(m, variable, fixed0)
    fixed = fixed_values(m, set, list(moving))
    tgt = analyse_repeated(
        evaluate(unranged(m, moving), point_values(fixed, moving, lo), check_range=False), target, payoff_set=False
    ).target

    def check(mid: Any, value: Any) -> bool:
        res = point_analysis(m, fixed, moving, tgt, Fraction(int(mid.p), int(mid.q)))
        cd = res.punishment("nash").critical_delta
        if cd is None or value is None:
            return cd is None and value is None
        want = value.subs(T, mid)
        if all(e.subs(T, mid).is_Rational for e in moving.values()):
            return bool(sp.Rational(cd.numerator, cd.denominator) == want)
        # irrational parameter values were rounded to 12 digits for the numeric analysis
        return abs(float(cd) - float(want)) <= tolerances.REPEATED_GEOMETRY * max(1.0, abs(float(want)))

    slo, shi = sp.Rational(lo.numerator, lo.denominator), sp.Rational(hi.numerator, hi.denominator)
    notes = _range_notes(m, moving, lo, hi, variable)
    grid, curves, numeric, limits = numeric_firsts(m, fixed, moving, tgt, d, lo, hi, points, bud)
    try:
        segs = grim_segments(m, tgt, fixed, moving, slo, shi, sp.Rational(d.numerator, d.denominator), bud, check)
    except SolverError as exc:  # no closed form (e.g. a mixed stage equilibrium of 3 players)
        nash = numeric[0]
        limits.append(f"no closed form along the path ({exc}): the Nash-reversion answer is numeric")
        first = None if nash.first is None else sp.Rational(nash.first.numerator, nash.first.denominator)
        return Unravel(
            tgt,
            d,
            variable,
            lo,
            hi,
            {k: str(e) for k, e in moving.items()},
            (),
            first,
            True,
            nash.breaks,
            "above",
            numeric,
            grid,
            curves,
            tuple(notes),
            tuple(limits),
            exact=False,
        )
    limits += [
        f"on {variable} in ({s.lo}, {s.hi}) the closed form disagrees with the exact analysis: "
        "the exact analysis decides there"
        for s in segs
        if not s.checked
    ]
    first, closed, breaks, cause = _first_failure(m, fixed, moving, tgt, d, slo, segs)
    return Unravel(
        tgt,
        d,
        variable,
        lo,
        hi,
        {k: str(e) for k, e in moving.items()},
        tuple(segs),
        first,
        closed,
        breaks,
        cause,
        numeric,
        grid,
        curves,
        tuple(notes),
        tuple(limits),
    )


def _first_failure(
    m: Model,
    fixed: Mapping[str, Fraction],
    moving: Mapping[str, Any],
    tgt: Sequence[str],
    d: Fraction,
    start: Any,
    segs: Sequence[Segment],
) -> tuple[Any, bool, tuple[str, ...], str]:
    """(first t, failing at t itself, deviators, cause) from the segments and the exact analysis
    at their rational ends: the first of start, (start, x1), x1, (x1, x2), ... that fails."""
    from solver.analysis.conditions import rational_between

    items: list[tuple[Any, Segment | None, Any]] = [(start, None, None)]
    for s in segs:
        items += [(s.lo, s, rational_between(s.lo, s.hi)), (s.hi, None, None)]
    for x, seg, mid in items:
        if seg is None and not x.is_Rational:
            continue  # an irrational breakpoint: the segments on each side decide
        if seg is None or not seg.checked:
            at = x if seg is None else mid
            nash = point_analysis(m, fixed, moving, tgt, Fraction(int(at.p), int(at.q))).punishment("nash")
            bad = [p for p, v in nash.by_player.items() if v is None or v > d]
            none = any(nash.by_player[p] is None for p in bad)
        else:
            _, bad = segment_status(seg, d, mid)
            none = any(seg.by_player[p] is None for p in bad)
        if bad:
            return (x if seg is None else seg.lo), seg is None, tuple(bad), "none" if none else "above"
    return None, False, (), ""
