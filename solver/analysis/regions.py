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
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from solver.core.errors import ParameterError, RedlineError
from solver.core.expr import to_sympy
from solver.core.symbolic import Model

DEFAULT_FREE = {2: 8, 3: 2}
#: more support profiles than this: no closed form (say so, fall back to numbers)
MAX_SUPPORTS = 400


class ClosedFormError(RedlineError):
    """No closed form: the model is too large or sympy ran past its time limit."""


@dataclass(frozen=True, eq=False)
class RegionEquilibrium:
    """One equilibrium branch: closed-form strategies/payoffs and where it exists."""

    support: tuple[tuple[int, ...], ...]
    #: strategies[i][k]: probability (sympy expression) that player i plays strategy k
    strategies: tuple[tuple[Any, ...], ...]
    payoffs: tuple[Any, ...]
    #: readable sympy relationals; their conjunction is the existence region
    conditions: tuple[Any, ...]
    #: the same as (expr, strict) pairs: expr > 0 or expr >= 0 (for evaluation)
    raw: tuple[tuple[Any, bool], ...]
    #: exact sympy Set of the free parameter (one free parameter only)
    region: Any = None
    degenerate: bool = False

    def describe(self, model: Model) -> str:
        from solver.core.result import describe_support

        return describe_support(model.players, model.strategies, self.support)

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Does this equilibrium exist at the point ``values`` (free parameter -> number)?"""
        from solver.analysis.conditions import holds

        return holds(self.raw, _subs(values))

    def at(self, values: Mapping[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """(strategies, payoffs) as exact sympy numbers at the point ``values``."""
        s = _subs(values)
        return (
            tuple(tuple(v.xreplace(s) for v in vec) for vec in self.strategies),
            tuple(v.xreplace(s) for v in self.payoffs),
        )


@dataclass(frozen=True, eq=False)
class Regions:
    """Every equilibrium of ``model`` as a function of ``free`` (the others fixed at ``fixed``)."""

    model: Model
    free: tuple[str, ...]
    fixed: Mapping[str, Fraction]
    equilibria: tuple[RegionEquilibrium, ...]
    closed_form: bool = True
    complete: bool = True
    notes: tuple[str, ...] = ()
    #: (support, reason) of each support without a closed form
    unsolved: tuple[tuple[Any, str], ...] = ()
    #: numeric fallback: (signature, share of sampled points, an example point)
    numeric: tuple[tuple[str, float, dict[str, float]], ...] = ()
    bounds: Mapping[str, tuple[Fraction, Fraction]] = field(default_factory=dict)

    def at(self, values: Mapping[str, Any]) -> list[RegionEquilibrium]:
        """The branches that exist at a point of the free parameters."""
        return [e for e in self.equilibria if e.holds(values)]

    def signature(self, values: Mapping[str, Any]) -> str:
        """The equilibrium set at a point, in the words of ``Result.signature()``."""
        parts = sorted(e.describe(self.model) for e in self.at(values))
        return " + ".join(parts) if parts else "none"


def _subs(values: Mapping[str, Any]) -> dict[Any, Any]:
    import sympy as sp

    from solver.core.expr import symbol
    from solver.core.game import to_fraction

    out = {}
    for k, v in values.items():
        f = to_fraction(v) if not isinstance(v, sp.Basic) else v
        out[symbol(k)] = sp.Rational(f.numerator, f.denominator) if isinstance(f, Fraction) else f
    return out


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


def regions(
    model: Model,
    free: Sequence[str] | None = None,
    fixed: Mapping[str, Any] | None = None,
    timeout_per_support: float | None = 2.0,
    *,
    strict: bool = False,
) -> Regions:
    """Every equilibrium of ``model`` in closed form over the ``free`` parameters.

    ``fixed`` overrides the values of the others.  ``strict=True`` raises
    :class:`ClosedFormError` instead of falling back to numeric regions.
    """
    import numpy as np
    import sympy as sp

    from solver.analysis.conditions import readable, set_conditions
    from solver.analysis.supports import analyse_support, count_supports_and_ties, run_bounded, supports_and_ties
    from solver.core.expr import symbol

    names, values = check_free(model, free, fixed)
    fixed_vals = {k: v for k, v in values.items() if k not in names}
    subs = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in fixed_vals.items()}
    U = np.vectorize(lambda e: to_sympy(e).xreplace(subs), otypes=[object])(model.payoffs)
    syms = tuple(symbol(k) for k in names)
    bounds = {k: (model.parameter(k).low, model.parameter(k).high) for k in names}
    box = {symbol(k): b for k, b in bounds.items()}
    base = Regions(model=model, free=names, fixed=fixed_vals, equilibria=(), bounds=bounds)
    n_sup = count_supports_and_ties(model.shape)
    if n_sup > MAX_SUPPORTS:
        reason = (
            f"{n_sup} support profiles (limit {MAX_SUPPORTS}): too large for closed forms; "
            "numeric regions from the sweep engine instead"
        )
        if strict:
            raise ClosedFormError(
                reason.split(";")[0] + "; use --fallback for numeric regions",
                source=model.path or model.name,
            )
        numeric = numeric_regions(model, names, fixed_vals)
        return replace(base, closed_form=False, complete=False, notes=(reason,), numeric=numeric)
    sups = list(supports_and_ties(model.shape))
    pure = [s for s in sups if all(len(t) == 1 for t in s[0]) and not any(s[1])]
    mixed = [s for s in sups if s not in pure]
    outcomes = [("ok", analyse_support(U, s, syms, box, x)) for s, x in pure]
    # two players: linear indifference systems, solved in-process; n players: bounded workers
    limit = None if len(model.players) == 2 else timeout_per_support
    outcomes += run_bounded([(analyse_support, (U, s, syms, box, x)) for s, x in mixed], limit)
    eqs: list[RegionEquilibrium] = []
    unsolved: list[tuple[Any, str]] = []
    notes: list[str] = []
    seen: set[tuple[Any, ...]] = set()
    for (sup, _), (status, payload) in zip(pure + mixed, outcomes, strict=True):
        if status == "continuum":
            continue  # not an extreme equilibrium: its extreme points come from other supports
        if status != "ok":
            unsolved.append((sup, f"{status}: {payload}"))
            continue
        for b in payload:
            key = (b.support, b.strategies)
            if key in seen:
                continue
            seen.add(key)
            if len(syms) == 1:
                lo, hi = bounds[names[0]]
                conds = tuple(set_conditions(b.region, syms[0], lo, hi))
            else:
                conds = tuple(
                    c
                    for c in dict.fromkeys(readable(e, st, syms, box) for e, st in b.conditions)
                    if c is not sp.true
                )
            eqs.append(
                RegionEquilibrium(
                    b.support, b.strategies, b.payoffs, conds, b.conditions, b.region, b.degenerate
                )
            )
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
        notes.append(msg + "; numeric regions added")
        numeric = numeric_regions(model, names, fixed_vals)
        return replace(
            base, equilibria=tuple(eqs), complete=False, notes=tuple(notes), unsolved=tuple(unsolved), numeric=numeric
        )
    return replace(base, equilibria=tuple(eqs), notes=tuple(notes))


def numeric_regions(
    model: Model,
    free: Sequence[str],
    fixed: Mapping[str, Fraction],
    samples: int = 256,
    seed: int = 0,
) -> tuple[tuple[str, float, dict[str, float]], ...]:
    """Signatures over a random sample of the free box (the numeric alternative): each with its
    share of the sampled points and one example point."""
    import numpy as np

    from solver.sweep.engine import solve_batch

    rng = np.random.default_rng(seed)
    cols = {
        p.name: (
            rng.uniform(float(p.low), float(p.high), samples)
            if p.name in free
            else np.full(samples, float(fixed.get(p.name, p.value)))
        )
        for p in model.parameters
    }
    batch = solve_batch(model, cols)
    out = []
    for code, label in enumerate(batch.labels):
        hits = np.flatnonzero(batch.codes == code)
        if hits.size:
            k = int(hits[0])
            out.append((label, float(hits.size / samples), {n: float(cols[n][k]) for n in free}))
    return tuple(sorted(out, key=lambda t: -t[1]))
