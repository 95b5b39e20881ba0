"""Equilibria in closed form as functions of the free parameters, and the regions where they exist.

:func:`regions` substitutes every parameter that is not freed, then runs symbolic support
enumeration (:mod:`solver.analysis.supports`: pure supports for any number of players, mixed
supports for two players and small n-player games) and returns, for every equilibrium branch,
its strategies and expected payoffs as sympy expressions and the exact conditions under which it
exists (probabilities > 0, no profitable deviation, ties allowed), simplified to readable
inequalities.  With one free parameter each region is an exact union of intervals.  Where no
closed form is possible (too many supports, sympy past its time limit) the result says why and
carries numeric regions from the sweep engine instead.

Default free parameters: those that appear in the payoffs, in model order, at most
``DEFAULT_FREE[2]`` = 8 for two-player games and ``DEFAULT_FREE[3]`` = 2 otherwise (the n-player
indifference systems are polynomial and grow fast); the rest stay at their values.

>>> from solver.formats import load
>>> r = regions(load("chicken"), free=["T"])
>>> [(e.describe(r.model), [str(c) for c in e.conditions]) for e in r.equilibria][:2]
[('pure (Swerve, Swerve)', ['T <= 3']), ('pure (Swerve, Straight)', ['T >= 3'])]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from solver.analysis.region_branches import branches, cut_short, numeric_regions
from solver.analysis.region_empty import never_holds
from solver.analysis.region_types import RegionEquilibrium, Regions
from solver.core.budget import Budget, Progress
from solver.core.errors import BudgetSpent, ParameterError, RedlineError
from solver.core.expr import to_sympy
from solver.core.interrupt import at_deadline
from solver.core.symbolic import Model

__all__ = [
    "ClosedFormError",
    "RegionEquilibrium",
    "Regions",
    "check_free",
    "default_free",
    "numeric_regions",
    "payoff_parameters",
    "regions",
]

DEFAULT_FREE = {2: 8, 3: 2}
#: more support profiles than this: no closed form (say so, fall back to numbers)
MAX_SUPPORTS = 400


class ClosedFormError(RedlineError):
    """No closed form: the model is too large or sympy ran past its time limit."""


def payoff_parameters(model: Model) -> tuple[str, ...]:
    """Parameters that appear in the payoffs, in model order."""
    used: set[Any] = set()
    for e in model.payoffs.flat:
        used |= {s.name for s in getattr(e, "free_symbols", ())}
    return tuple(p for p in model.parameter_names if p in used)


def default_free(model: Model, fixed: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """Payoff parameters not fixed by the user, in model order, capped (see the module docstring)."""
    cap = DEFAULT_FREE[2] if len(model.players) <= 2 else DEFAULT_FREE[3]
    return tuple(p for p in payoff_parameters(model) if p not in (fixed or {}))[:cap]


def check_free(
    model: Model, free: Sequence[str] | None, fixed: Mapping[str, Any] | None
) -> tuple[tuple[str, ...], dict[str, Fraction]]:
    """Validate the free names and the fixed overrides (unknown, duplicated, fixed-and-freed)."""
    src = model.path or model.name
    names = default_free(model, fixed) if free is None else tuple(free)
    for name in names:
        model.parameter(name)
    if len(set(names)) != len(names):
        raise ParameterError(f"parameter freed twice in {', '.join(names)}", source=src)
    both = sorted(set(names) & set(fixed or {}))
    if both:
        raise ParameterError(
            f"{', '.join(both)} both fixed (--set) and freed (--free/--vary)", source=src
        )
    return names, model.values(fixed)


def _inline(fn: Any, *args: Any) -> tuple[str, Any]:
    """``("ok", fn(*args))``, or the support's outcome when it has no closed form."""
    from solver.analysis.supports import Continuum, NoClosedForm

    try:
        return ("ok", fn(*args))
    except (Continuum, NoClosedForm) as exc:
        return (type(exc).__name__.lower(), str(exc))


def regions(
    model: Model,
    free: Sequence[str] | None = None,
    fixed: Mapping[str, Any] | None = None,
    timeout_per_support: float | None = 2.0,
    *,
    strict: bool = False,
    numeric: bool = True,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
) -> Regions:
    """Every equilibrium of ``model`` in closed form over the ``free`` parameters.

    ``fixed`` overrides the values of the others.  ``strict=True`` raises
    :class:`ClosedFormError` instead of falling back to numeric regions (``numeric=False``: no
    numeric regions either, just ``complete = False`` and the reason).  ``timeout`` (seconds)
    bounds the whole analysis (``timeout_per_support`` each support's sympy solve): when it runs
    out, the branches found so far come back with ``complete = False`` and the supports not
    analysed in ``limits``; ``progress(phase, fraction)`` hears how far it is.
    """
    import numpy as np
    import sympy as sp

    from solver.analysis.supports import analyse_support, count_supports_and_ties, run_bounded, supports_and_ties
    from solver.core.expr import symbol

    bud = Budget.of(budget, timeout, progress)
    names, values = check_free(model, free, fixed)
    fixed_vals = {k: v for k, v in values.items() if k not in names}
    subs = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in fixed_vals.items()}
    U = np.vectorize(lambda e: to_sympy(e).xreplace(subs), otypes=[object])(model.payoffs)
    syms = tuple(symbol(k) for k in names)
    bounds = {k: (model.parameter(k).low, model.parameter(k).high) for k in names}
    box = {symbol(k): b for k, b in bounds.items()}
    base = Regions(
        model=model, free=names, fixed=fixed_vals, equilibria=(), bounds=bounds, time_budget=bud.seconds
    )
    n_sup = count_supports_and_ties(model.shape)
    untabulated = model.tree is not None and not all(model.strategies)  # reduced form too large
    if n_sup > MAX_SUPPORTS or untabulated:
        size = "an untabulated reduced normal form" if untabulated else f"{n_sup} support profiles"
        reason = (
            f"{size} (limit {MAX_SUPPORTS} support profiles): too large for closed forms; "
            "numeric regions from the sweep engine instead"
        )
        if strict:
            raise ClosedFormError(
                reason.split(";")[0] + "; use --fallback for numeric regions",
                source=model.path or model.name,
            )
        shares, limits = numeric_regions(model, names, fixed_vals, budget=bud) if numeric else ((), ())
        return replace(
            base, closed_form=False, complete=False, notes=(reason, *limits), numeric=shares, limits=limits
        )
    sups = list(supports_and_ties(model.shape))
    pure = [s for s in sups if all(len(t) == 1 for t in s[0]) and not any(s[1])]
    order = pure + [s for s in sups if s not in pure]
    # pure supports and small two-player ones (linear systems) in-process, the budget checked
    # between supports; the others in bounded workers (sympy cannot be interrupted)
    # (payoffs beyond rational functions, e.g. sqrt(T) or log(T), can make sympy's sign decisions
    # arbitrarily slow: then every support runs in a bounded worker, with the per-support limit)
    rational = all(e.is_rational_function(*syms) for e in U.flat)
    two = len(model.players) == 2 and rational
    small = [two and max(len(t) + len(x) for t, x in zip(*s, strict=True)) <= 2 for s in order]
    easy = [k for k in range(len(order)) if rational and (k < len(pure) or small[k])]
    hard = [k for k in range(len(order)) if k not in set(easy)]
    outcomes: dict[int, tuple[str, Any]] = {}
    for k in easy:
        bud.report("closed forms per support", len(outcomes) / len(order))
        s, x = order[k]
        try:
            with at_deadline(bud):  # one sympy factor can take minutes (Wang's random points)
                expired = bud.expired()
                outcomes[k] = ("timeout", "not started") if expired else _inline(analyse_support, U, s, syms, box, x)
        except BudgetSpent:
            outcomes[k] = ("timeout", "cut at the time budget")
    jobs = [(analyse_support, (U, *order[k][:1], syms, box, order[k][1])) for k in hard]
    limit = None if two else timeout_per_support
    outcomes.update(zip(hard, run_bounded(jobs, limit, budget=bud, phase="closed forms per support"), strict=True))
    ordered = [outcomes[k] for k in range(len(order))]
    if bud.expired() and any(status == "timeout" for status, _ in ordered):
        return cut_short(base, model, order, ordered, syms, box, bud)
    eqs: list[RegionEquilibrium] = []
    unsolved: list[tuple[Any, str]] = []
    notes: list[str] = []
    seen: set[tuple[Any, ...]] = set()
    for (sup, _), (status, payload) in zip(order, ordered, strict=True):
        if status == "continuum":
            continue  # not an extreme equilibrium: its extreme points come from other supports
        if status != "ok":
            unsolved.append((sup, f"{status}: {payload}"))
            continue
        eqs += branches(payload, seen, syms, box, bud)
    # regions whose conditions can never hold describe no equilibrium (kept when undecided or
    # when the budget has run out)
    try:
        with at_deadline(bud):
            eqs = [e for e in eqs if bud.expired() or not never_holds(e.raw, box, e.region)]
    except BudgetSpent:
        pass  # the budget ran out while deciding emptiness: every region kept (said below)
    if bud.expired():
        why = "interrupted" if bud.cancelled or bud.seconds is None else f"time budget of {bud.seconds:g} s ran out"
        cut = f"{why} while simplifying the conditions: some are shown unsimplified, empty regions kept"
        return replace(base, equilibria=tuple(eqs), complete=False, notes=(cut,), limits=(cut,))
    if any(e.degenerate for e in eqs):
        notes.append(
            "some branches hold with a tie for every parameter value (degenerate game: continua possible)"
        )
    if unsolved:
        from solver.core.result import describe_support

        sup0, why0 = unsolved[0]
        msg = (
            f"no closed form for {len(unsolved)} of {len(sups)} support profiles "
            f"(e.g. {describe_support(model.players, model.strategies, sup0)}: {why0})"
        )
        if strict:
            raise ClosedFormError(
                msg + "; allow more time (--timeout), free fewer parameters, or use --fallback "
                "for numeric regions",
                source=model.path or model.name,
            )
        notes.append(msg + ("; numeric regions added" if numeric else ""))
        shares, limits = numeric_regions(model, names, fixed_vals, budget=bud) if numeric else ((), ())
        return replace(
            base,
            equilibria=tuple(eqs),
            complete=False,
            notes=(*notes, *limits),
            unsolved=tuple(unsolved),
            numeric=shares,
            limits=limits,
        )
    return replace(base, equilibria=tuple(eqs), notes=tuple(notes))
