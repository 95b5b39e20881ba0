"""The optimal offer at one parameter point, exactly: the best of the closed form's candidates.

The proposer's expected payoff is piecewise in the offer: the region where every type accepts
(payoff ``u_P(accept, x)``), the region where the indifferent type lies in the support (the
closed form's ``EU_P``) and the region where every type fights (``u_P(war)``).  Its maximum over the
offer range is at a root of the first-order condition, at a region's end (the safe offer, the
offer every type rejects) or at an end of the offer range: :func:`solve_at` evaluates each of them
exactly (sympy rationals) and keeps the best; ties go to the lower probability of war.

>>> from solver.formats import load
>>> from solver.equilibria.bargaining.closed import closed_form
>>> m = load("fearon_bargaining")
>>> r = solve_at(m.bargaining, closed_form(m.bargaining), m.values({"c_hi": "0.1"}))
>>> r.offer, r.p_war, r.payoffs
(Fraction(11, 20), Fraction(0, 1), (Fraction(9, 20), Fraction(11, 20)))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core.errors import ParameterError
from solver.core.expr import symbol
from solver.equilibria.bargaining.closed import ClosedForm

Number = Fraction | float


@dataclass(frozen=True)
class BargainingResult:
    """The proposer's optimal offer at one point and what follows from it."""

    offer: Number
    p_war: Number
    payoffs: tuple[Number, Number]  #: expected payoffs (proposer, responder)
    regime: str  #: "interior" (risk-return), "safe" (no war), "war" (every type fights), "range end"
    closed: ClosedForm
    values: Mapping[str, Fraction]


def _number(v: Any) -> Number:
    if v.is_Rational:
        return Fraction(int(v.p), int(v.q))
    return float(v)


def solve_at(spec: Any, closed: ClosedForm, values: Mapping[str, Fraction], *, source: str = "") -> BargainingResult:
    """The best offer of ``spec`` at the parameter ``values`` (see the module docstring)."""
    import sympy

    subs = {symbol(k): sympy.Rational(v.numerator, v.denominator) for k, v in values.items()}
    x, t = closed.offer, closed.type
    lo, hi = (sympy.nsimplify(e.xreplace(subs)) for e in (spec.type_low, spec.type_high))
    olo, ohi = (sympy.nsimplify(e.xreplace(subs)) for e in (spec.offer_low, spec.offer_high))
    if not all(v.is_real for v in (lo, hi, olo, ohi)):
        raise ParameterError("the type's or the offer's bounds are not real numbers here", source=source)
    if lo > hi:
        raise ParameterError(
            f"the type {spec.type} lies in [{lo}, {hi}]: its low end is above its high end", source=source
        )
    if olo > ohi:
        raise ParameterError(f"the offer {spec.offer} lies in [{olo}, {ohi}]: an empty range", source=source)
    cutoff = closed.cutoff.xreplace(subs)
    acc_p, acc_r = (e.xreplace(subs) for e in spec.accept)
    war_p, war_r = (e.xreplace(subs) for e in spec.war)

    def p_war(offer: Any) -> Any:
        c = cutoff.subs(x, offer)
        if lo == hi:
            return sympy.Integer(0 if (acc_r - war_r).subs({x: offer, t: lo}) >= 0 else 1)
        share = (c - lo) / (hi - lo) if closed.accepts_above else (hi - c) / (hi - lo)
        return min(max(share, sympy.Integer(0)), sympy.Integer(1))

    def payoffs(offer: Any) -> tuple[Any, Any]:
        q = p_war(offer)
        if lo == hi:
            if q == 0:
                return acc_p.subs(x, offer), acc_r.subs(x, offer)
            return war_p.subs(t, lo), war_r.subs(t, lo)
        c = min(max(cutoff.subs(x, offer), lo), hi)
        war_span, acc_span = ((lo, c), (c, hi)) if closed.accepts_above else ((c, hi), (lo, c))
        accepted = acc_span[1] - acc_span[0]
        eu_p = (acc_p.subs(x, offer) * accepted + sympy.integrate(war_p, (t, *war_span))) / (hi - lo)
        eu_r = (acc_r.subs(x, offer) * accepted + sympy.integrate(war_r, (t, *war_span))) / (hi - lo)
        return sympy.nsimplify(eu_p), sympy.nsimplify(eu_r)

    raw = [olo, ohi, closed.safe_offer, closed.war_offer, *closed.interior_offers]
    candidates = []
    for cand in raw:
        v = sympy.nsimplify(cand.xreplace(subs))
        if v.is_real:
            candidates.append(min(max(v, olo), ohi))
    best = max(candidates, key=lambda o: (payoffs(o)[0], -p_war(o), -o))
    q = p_war(best)
    roots = [sympy.nsimplify(r.xreplace(subs)) for r in closed.interior_offers]
    regime = "war" if q == 1 else "safe" if q == 0 else "interior" if best in roots else "range end"
    eu = payoffs(best)
    return BargainingResult(
        offer=_number(best),
        p_war=_number(q),
        payoffs=(_number(eu[0]), _number(eu[1])),
        regime=regime,
        closed=closed,
        values=dict(values),
    )
