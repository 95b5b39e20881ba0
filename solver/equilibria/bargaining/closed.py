"""The take-it-or-leave-it offer in closed form (sympy): Fearon's risk-return trade-off.

Method (Fearon 1995, "Rationalist explanations for war", IO 49(3), pp. 395-396; the textbook
screening problem).  The responder of type ``t`` accepts the offer ``x`` iff its payoff from
accepting is at least its war payoff (ties accept, so a best offer exists).  With that gain linear
in ``t`` there is one indifferent type ``t*(x)``; the proposer's belief about ``t`` is uniform on
``[lo, hi]``, so where ``t*(x)`` lies in the support

    P(war | x) = (t*(x) - lo) / (hi - lo)          (types below t* fight; mirrored if above)
    EU_P(x)   = u_P(accept, x) (1 - P(war | x)) + E[u_P(war, t); t fights] .

The interior optimum solves dEU_P/dx = 0 (it is the maximum where EU_P is concave and ``t*(x*)``
lies in ``[lo, hi]``); the corners are the *safe* offer every type accepts (``t* = lo``) and the
offer every type rejects (``t* = hi``).

>>> from solver.formats import load
>>> c = closed_form(load("fearon_bargaining").bargaining)
>>> c.cutoff, c.interior_offers, c.safe_offer
(p - x, (c_A/2 - c_hi/2 + p,), -c_lo + p)
>>> c.interior_condition
'c_lo <= -c_A/2 + c_hi/2 <= c_hi'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from solver.core.errors import ModelError
from solver.core.expr import symbol


@dataclass(frozen=True)
class ClosedForm:
    """The offer problem solved symbolically: expressions in the parameters and the offer."""

    offer: Any  #: the offer's symbol
    type: Any  #: the responder's type symbol
    cutoff: Any  #: t*(x), the type indifferent between accepting x and war
    accepts_above: bool  #: types above the cutoff accept (else types below it)
    p_war: Any  #: P(war | x) where t*(x) lies in the support
    utility: tuple[Any, Any]  #: expected payoffs (proposer, responder) there, functions of x
    interior_offers: tuple[Any, ...]  #: roots of the first-order condition
    interior_p_war: tuple[Any, ...]  #: P(war) at each root
    interior_condition: str  #: where the (single) root is the optimum: lo <= t*(x*) <= hi
    concave: str  #: second derivative of EU_P in the support (negative: the root is a maximum)
    safe_offer: Any  #: the lowest offer every type accepts (P(war) = 0)
    war_offer: Any  #: the offer every type rejects (P(war) = 1)


def _solve_for(expr: Any, var: Any, what: str, src: str) -> Any:
    import sympy

    roots = sympy.solve(expr, var, dict=False)
    if len(roots) != 1:
        raise ModelError(f"{what} has {len(roots)} solutions in closed form, expected one", source=src)
    return sympy.simplify(roots[0])


def closed_form(spec: Any, source: str = "") -> ClosedForm:
    """Solve the offer problem of a :class:`~solver.formats.bargaining_model.BargainingSpec`
    (once per spec: the sympy work is cached)."""
    return _closed_form(spec, source)


@lru_cache(maxsize=32)
def _closed_form(spec: Any, source: str) -> ClosedForm:
    import sympy

    x, t = symbol(spec.offer), symbol(spec.type)
    lo, hi = spec.type_low, spec.type_high
    gain = sympy.expand(spec.accept[1] - spec.war[1])
    slope = sympy.diff(gain, t)
    if not slope.is_number or slope == 0 or sympy.diff(gain, t, 2) != 0:
        raise ModelError(
            f"the responder's gain from accepting must be linear in {spec.type} with a constant, "
            "non-zero slope (one indifferent type)",
            source=source,
            key="bargaining.war",
        )
    cutoff = _solve_for(gain, t, "the indifferent type", source)
    above = bool(slope > 0)
    width = hi - lo
    war_measure = (cutoff - lo) if above else (hi - cutoff)
    p_war = sympy.simplify(war_measure / width)
    war_lo, war_hi = (lo, cutoff) if above else (cutoff, hi)
    acc_lo, acc_hi = (cutoff, hi) if above else (lo, cutoff)
    eu_p = sympy.simplify(spec.accept[0] * (1 - p_war) + sympy.integrate(spec.war[0], (t, war_lo, war_hi)) / width)
    eu_r = sympy.simplify(
        (sympy.integrate(spec.accept[1], (t, acc_lo, acc_hi)) + sympy.integrate(spec.war[1], (t, war_lo, war_hi)))
        / width
    )
    foc = sympy.diff(eu_p, x)
    roots = tuple(sympy.simplify(r) for r in sympy.solve(foc, x)) if foc.has(x) else ()
    second = sympy.simplify(sympy.diff(eu_p, x, 2))
    condition = ""
    if len(roots) == 1:
        at = sympy.simplify(cutoff.subs(x, roots[0]))
        condition = f"{lo} <= {at} <= {hi}"
    return ClosedForm(
        offer=x,
        type=t,
        cutoff=cutoff,
        accepts_above=above,
        p_war=p_war,
        utility=(eu_p, eu_r),
        interior_offers=roots,
        interior_p_war=tuple(sympy.simplify(p_war.subs(x, r)) for r in roots),
        interior_condition=condition,
        concave=str(second),
        safe_offer=_solve_for(cutoff - (lo if above else hi), x, "the safe offer", source),
        war_offer=_solve_for(cutoff - (hi if above else lo), x, "the offer every type rejects", source),
    )
