"""Local sensitivity of every equilibrium, and how far each assumption is from a red line.

For each equilibrium at the current values: the derivative and the elasticity
``(dx/dθ)·θ/x`` of every strategy probability and expected payoff with respect to every
parameter.  Where the support's closed form exists (sympy solves its indifference system with all
parameters symbolic within the time limit) the derivatives are differentiated formulas; otherwise
the implicit-function theorem on the indifference system ``F(z, θ) = 0`` gives
``dz/dθ = -F_z⁻¹ F_θ`` exactly at the point.  The robustness margin of a parameter is the distance,
up and down with the others fixed, to the nearest threshold (:mod:`solver.analysis.thresholds`),
or to its declared range bound when no threshold lies that way.

>>> from solver.formats import load
>>> s = sensitivity(load("syria_deconfliction"))
>>> s.equilibria[0].derivatives["iran_cost"]["probabilities"][1][1]  # d Pr(Confront)/d iran_cost
1/12
>>> m = s.margins["iran_cost"]; (m.down, m.up)
(4, 8)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.analysis.derivatives import at_point, diff, exact, implicit, pure_branch
from solver.core.budget import Budget, Progress, run_bounded
from solver.core.symbolic import Model


@dataclass(frozen=True)
class Margin:
    """How far ``parameter`` can move from ``value`` before the equilibrium set changes."""

    parameter: str
    value: Fraction
    lower: Any  # the nearest threshold below, or the range's low end
    upper: Any
    lower_is_threshold: bool
    upper_is_threshold: bool
    low: Fraction
    high: Fraction

    @property
    def down(self) -> Any:
        import sympy as sp

        return sp.nsimplify(self.value) - self.lower

    @property
    def up(self) -> Any:
        import sympy as sp

        return self.upper - sp.nsimplify(self.value)

    @property
    def relative(self) -> float:
        """The smaller margin that ends at a threshold, as a fraction of the range (1: none)."""
        width = float(self.high - self.low) or 1.0
        sides = [
            float(d)
            for d, t in ((self.down, self.lower_is_threshold), (self.up, self.upper_is_threshold))
            if t
        ]
        return min(sides) / width if sides else 1.0


@dataclass(frozen=True)
class EquilibriumSensitivity:
    """Derivatives of one equilibrium: ``derivatives[θ]`` = {"probabilities": [[...]], "payoffs": [...]}."""

    description: str
    support: tuple[tuple[int, ...], ...]
    strategies: tuple[tuple[Any, ...], ...]
    payoffs: tuple[Any, ...]
    derivatives: Mapping[str, Mapping[str, Any]]
    elasticities: Mapping[str, Mapping[str, Any]]
    method: str  # "closed form" or "implicit function"
    #: closed-form derivative expressions (sympy), when available
    formulas: Mapping[str, Mapping[str, Any]] | None = None
    #: the strategies themselves in closed form (sympy, in the parameters), when available
    strategy_formulas: tuple[tuple[Any, ...], ...] | None = None


@dataclass(frozen=True)
class Sensitivity:
    model: Model
    values: Mapping[str, Fraction]
    signature: str
    equilibria: tuple[EquilibriumSensitivity, ...]
    margins: Mapping[str, Margin]
    #: every equilibrium and margin computed (``False``: the time budget ran out, see ``limits``)
    complete: bool = True
    limits: tuple[str, ...] = ()
    time_budget: float | None = None


def _closed(
    model: Model, eq: Any, subs: Mapping[Any, Any], params: list[Any], timeout: float | None, budget: Budget
) -> Any:
    """The closed-form branch of this equilibrium's support with every parameter symbolic, or None."""
    import sympy as sp

    from solver.analysis.supports import analyse_support, run_bounded

    pure = pure_branch(model, eq)
    if pure is not None:
        return pure
    [(status, branches)] = run_bounded(
        [(analyse_support, (model.payoffs, eq.support(), (), {}))], timeout, budget, "closed-form derivatives"
    )
    if status != "ok":
        return None
    target = [sp.nsimplify(v) for vec in eq.vectors for v in vec]
    for b in branches:
        vals = [sp.simplify(v.xreplace(subs)) for vec in b.strategies for v in vec]
        if all(sp.simplify(a - t) == 0 for a, t in zip(vals, target, strict=True)):
            return b
    return None


def _elastic(d: Any, x: Any, th: Any) -> Any:
    if d is None or x == 0:
        return None
    if d == 0:  # 0 * th / x, without sympy's arithmetic (pure strategies: mostly zeros)
        return d
    return d * th / x


def sensitivity(
    model: Model,
    fixed: Mapping[str, Any] | None = None,
    *,
    margins: bool = True,
    timeout_per_support: float | None = 2.0,
    closed_form: bool = True,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
) -> Sensitivity:
    """Derivatives, elasticities and robustness margins at the model's values with ``fixed``
    (``closed_form=False`` forces the implicit-function theorem).  ``timeout`` (seconds) bounds
    the whole analysis: what the budget left undone is named in ``limits``, ``complete = False``."""
    import sympy as sp

    from solver.analysis.regions import payoff_parameters
    from solver.analysis.thresholds import numeric_signature, thresholds
    from solver.core.expr import symbol

    bud = Budget.of(budget, timeout, progress)
    values = model.values(fixed)
    subs = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in values.items()}
    names = list(payoff_parameters(model))
    params = [symbol(k) for k in names]
    sig, res = numeric_signature(model, values, bud, every=True)
    limits = list(res.limits)
    out = []
    for k, eq in enumerate(res.equilibria):
        bud.report("derivatives per equilibrium", k / len(res.equilibria))
        left = bud.limit("the derivatives", f"{len(res.equilibria) - k} of {len(res.equilibria)} equilibria")
        if bud.expired():
            limits.append(left)
            break
        b = _closed(model, eq, subs, params, timeout_per_support, bud) if closed_form else None
        strategies = tuple(tuple(exact(v) for v in vec) for vec in eq.vectors)
        payoffs = tuple(sp.nsimplify(v) for v in eq.values)
        ders: dict[str, dict[str, Any]] = {}
        els: dict[str, dict[str, Any]] = {}
        forms: dict[str, dict[str, Any]] | None = {} if b is not None else None
        imp = _bounded_implicit(model, eq, subs, params, bud) if b is None else {}
        if imp is None:
            limits.append(left)
            break
        for name, th in zip(names, params, strict=True):
            if b is not None:
                fp = [[diff(v, th) for v in vec] for vec in b.strategies]
                fu = [diff(u, th) for u in b.payoffs]
                forms[name] = {"probabilities": fp, "payoffs": fu}  # type: ignore[index]
                dp = [[at_point(v, subs) for v in row] for row in fp]
                du = [at_point(u, subs) for u in fu]
            else:
                dp, du = imp[th]
            ders[name] = {"probabilities": dp, "payoffs": du}
            t0 = subs[th]
            els[name] = {
                "probabilities": [
                    [_elastic(d, x, t0) for d, x in zip(row, vec, strict=True)]
                    for row, vec in zip(dp, strategies, strict=True)
                ],
                "payoffs": [_elastic(d, x, t0) for d, x in zip(du, payoffs, strict=True)],
            }
        out.append(
            EquilibriumSensitivity(
                eq.describe(),
                eq.support(),
                strategies,
                payoffs,
                ders,
                els,
                "closed form" if b is not None else "implicit function",
                forms,
                tuple(tuple(vec) for vec in b.strategies) if b is not None else None,
            )
        )
    marg: dict[str, Margin] = {}
    for n_done, p in enumerate(model.parameters if margins else ()):
        if bud.expired():
            rest = [q.name for q in model.parameters[n_done:]]
            limits.append(bud.limit("the robustness margins", "the margins of " + ", ".join(rest)))
            break
        others = {k: v for k, v in values.items() if k != p.name}
        ts = thresholds(model, p.name, others, timeout_per_support, budget=bud) if p.name in names else []
        if getattr(ts, "limits", ()):
            limits.append(bud.limit("the robustness margins", f"the margin of {p.name}"))
            continue
        v = sp.nsimplify(values[p.name])
        below = [t.value for t in ts if t.value <= v]
        above = [t.value for t in ts if t.value >= v]
        lo, hi = sp.nsimplify(p.low), sp.nsimplify(p.high)
        marg[p.name] = Margin(
            p.name,
            values[p.name],
            max(below) if below else lo,
            min(above) if above else hi,
            bool(below),
            bool(above),
            p.low,
            p.high,
        )
    limits = list(dict.fromkeys(limits))
    return Sensitivity(model, values, sig, tuple(out), marg, not limits, tuple(limits), bud.seconds)


def _bounded_implicit(
    model: Model, eq: Any, subs: Mapping[Any, Any], params: list[Any], budget: Budget
) -> dict[Any, tuple[list[list[Any]], list[Any]]] | None:
    """:func:`~solver.analysis.derivatives.implicit` in a bounded worker when the budget can run out (sympy cannot be
    interrupted); ``None`` when it did not finish."""
    [(status, found)] = run_bounded([(implicit, (model, eq, subs, params))], None, budget=budget)
    if status == "timeout":
        return None
    if status != "ok":
        raise RuntimeError(found)
    return found  # type: ignore[no-any-return]
