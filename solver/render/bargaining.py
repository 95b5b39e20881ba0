"""Text and JSON for a solved take-it-or-leave-it bargaining model (``kind = "bargaining"``).

The JSON document carries ``offer``, ``p_war``, ``payoffs`` (by player), ``regime`` and
``closed_form`` (strings: the interior offer and P(war) with the condition under which they hold,
the safe offer, the indifferent type), plus the exact values as strings under ``exact``.

>>> from solver.formats import load
>>> from solver.equilibria.bargaining import solve_bargaining
>>> m = load("fearon_bargaining")
>>> doc = bargaining_dict(solve_bargaining(m), m)
>>> doc["offer"], doc["p_war"], doc["payoffs"]["A"], doc["closed_form"]["offer"]
(0.525, 0.125, 0.453125, 'c_A/2 - c_hi/2 + p')
"""

from __future__ import annotations

from typing import Any

from solver.core.result import exact_string
from solver.render.text import fmt, num, parameters_dict

REGIMES = {
    "interior": "risk-return trade-off: the first-order condition's offer, rejected by some types",
    "safe": "the safe offer: every type accepts, no war",
    "war": "every type fights",
    "range end": "an end of the offer range",
}


def closed_form_dict(result: Any, model: Any) -> dict[str, str]:
    """The closed form as strings (sympy's notation)."""
    c, spec = result.closed, model.bargaining
    out = {
        "indifferent_type": f"{spec.type} = {c.cutoff}",
        "accepts": f"{spec.type} >= {c.cutoff}" if c.accepts_above else f"{spec.type} <= {c.cutoff}",
        "p_war_of_offer": str(c.p_war),
        "safe_offer": str(c.safe_offer),
        "second_derivative": c.concave,
    }
    if len(c.interior_offers) == 1:
        out["offer"] = str(c.interior_offers[0])
        out["p_war"] = str(c.interior_p_war[0])
        out["holds_if"] = c.interior_condition
    else:
        out["offer"] = ", ".join(str(r) for r in c.interior_offers)
    return out


def bargaining_dict(result: Any, model: Any) -> dict[str, Any]:
    """The JSON document of ``redline solve`` on a bargaining model."""
    spec = model.bargaining
    players = (spec.proposer, spec.responder)
    return {
        "model": model.name,
        "title": model.title,
        "kind": model.kind,
        "source": model.source,
        "parameters": parameters_dict(model.parameters, result.values),
        "proposer": spec.proposer,
        "responder": spec.responder,
        "offer": num(result.offer),
        "p_war": num(result.p_war),
        "payoffs": {p: num(v) for p, v in zip(players, result.payoffs, strict=True)},
        "regime": result.regime,
        "closed_form": closed_form_dict(result, model),
        "exact": {
            "offer": _exact(result.offer),
            "p_war": _exact(result.p_war),
            "payoffs": {p: _exact(v) for p, v in zip(players, result.payoffs, strict=True)},
        },
    }


def _exact(x: Any) -> str:
    return exact_string(x) if not isinstance(x, float) else f"{x!r}"


def bargaining_text(result: Any, model: Any, *, fractions: bool = False) -> str:
    """``redline solve`` on a bargaining model, for people."""
    spec = model.bargaining
    c = closed_form_dict(result, model)
    values = ", ".join(f"{k} = {fmt(v, fractions)}" for k, v in result.values.items())
    players = (spec.proposer, spec.responder)
    lines = [
        f"{model.title}",
        f"  at {values}",
        f"  {spec.proposer} offers {spec.responder} {spec.offer} (take it or leave it); "
        f"{spec.responder}'s {spec.type} is private, uniform on [{spec.type_low}, {spec.type_high}]",
        "",
        f"  optimal offer   {spec.offer}* = {fmt(result.offer, fractions)}   ({REGIMES[result.regime]})",
        f"  P(war)          {fmt(result.p_war, fractions)}",
        "  expected payoffs "
        + ", ".join(f"{p} {fmt(v, fractions)}" for p, v in zip(players, result.payoffs, strict=True)),
        "",
        "  closed form",
        f"    {spec.responder} accepts iff {c['accepts']}",
        f"    interior offer  {spec.offer}* = {c['offer']}"
        + (f",  P(war) = {c['p_war']}" if "p_war" in c else ""),
    ]
    if "holds_if" in c:
        lines.append(f"      holds if  {c['holds_if']}  (the indifferent type lies in the support)")
    lines.append(f"    safe offer      {spec.offer} = {c['safe_offer']}  (every type accepts, P(war) = 0)")
    lines.append("      optimal where the interior offer's indifferent type lies below the support")
    return "\n".join(lines)
