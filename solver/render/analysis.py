"""The symbolic analyses as JSON-ready documents and text: regions, thresholds, sensitivity.

>>> json_number(None), json_number(1) / 4
(None, 0.25)
"""

from __future__ import annotations

from typing import Any

from solver.render.text import limits_dict


def json_number(x: Any) -> float | None:
    if x is None:
        return None
    import sympy as sp

    v = complex(sp.N(x, 20))
    return float(v.real)


def regions_doc(r: Any) -> dict[str, Any]:
    m = r.model
    eqs = []
    for e in r.equilibria:
        eqs.append(
            {
                "description": e.describe(m),
                "support": {
                    p: [m.strategies[i][k] for k in s]
                    for i, (p, s) in enumerate(zip(m.players, e.support, strict=True))
                },
                "profile": {
                    p: {
                        lab: str(v) for lab, v in zip(m.strategies[i], e.strategies[i], strict=True)
                    }
                    for i, p in enumerate(m.players)
                },
                "payoffs": {p: str(v) for p, v in zip(m.players, e.payoffs, strict=True)},
                "conditions": [str(c) for c in e.conditions],
                "region": str(e.region) if e.region is not None else None,
                "degenerate": e.degenerate,
            }
        )
    return {
        "model": m.name,
        "free": list(r.free),
        "fixed": {k: float(v) for k, v in r.fixed.items()},
        "closed_form": r.closed_form,
        "complete": r.complete,
        "notes": list(r.notes),
        "equilibria": eqs,
        "numeric": [{"signature": s, "share": f, "example": ex} for s, f, ex in r.numeric],
    } | limits_dict(r)


def regions_text(r: Any, latex: bool) -> str:
    import sympy as sp

    m = r.model
    from solver.core.expr import symbol

    names = {symbol(k): r"\mathit{" + k.replace("_", r"\_") + "}" for k in m.parameter_names}

    def tex(x: Any) -> str:
        return str(sp.latex(x, symbol_names=names)) if latex else str(x)

    lines = [
        f"{m.title}",
        "free: "
        + (", ".join(r.free) or "none")
        + (
            "; others fixed at " + ", ".join(f"{k} = {sp.nsimplify(v)}" for k, v in r.fixed.items())
            if r.fixed
            else "; no other parameters"
        ),
    ]
    for k, e in enumerate(r.equilibria, 1):
        lines.append("")
        lines.append(f"{k}. {e.describe(m)}")
        for i, p in enumerate(m.players):
            probs = [
                f"Pr({lab}) = {tex(v)}"
                for lab, v in zip(m.strategies[i], e.strategies[i], strict=True)
                if v != 0
            ]
            lines.append(f"   {p}: " + ", ".join(probs) + f"; payoff {tex(e.payoffs[i])}")
        conds = [tex(c) for c in e.conditions]
        lines.append(
            "   exists when: "
            + (" and ".join(conds) if conds else "always (on the declared ranges)")
        )
    for s, f, _ in r.numeric:
        lines.append(f"numeric: {s}: {100 * f:.1f}% of sampled points")
    lines += [f"note: {n}" for n in r.notes]
    return "\n".join(lines)


def thresholds_doc(m: Any, parameter: str, values: Any, ts: list[Any]) -> dict[str, Any]:
    p = m.parameter(parameter)
    return {
        "model": m.name,
        "parameter": parameter,
        "value": float(values[parameter]),
        "range": [float(p.low), float(p.high)],
        "thresholds": [
            {
                "value": t.decimal,
                "exact": t.exact_string,
                "before": t.before,
                "after": t.after,
                "at": t.at,
                "degenerate": t.degenerate,
                "note": t.note,
            }
            for t in ts
        ],
    } | limits_dict(ts)


def sensitivity_doc(s: Any) -> dict[str, Any]:
    m = s.model

    def by_label(d: Any) -> dict[str, Any]:
        return {
            "probabilities": {
                p: {
                    lab: json_number(v)
                    for lab, v in zip(m.strategies[i], d["probabilities"][i], strict=True)
                }
                for i, p in enumerate(m.players)
            },
            "payoffs": {p: json_number(v) for p, v in zip(m.players, d["payoffs"], strict=True)},
        }

    margins = {
        k: {
            "value": float(g.value),
            "down": json_number(g.down),
            "up": json_number(g.up),
            "lower": json_number(g.lower),
            "upper": json_number(g.upper),
            "lower_is_threshold": g.lower_is_threshold,
            "upper_is_threshold": g.upper_is_threshold,
            "relative": g.relative,
        }
        for k, g in s.margins.items()
    }
    eqs = [
        {
            "description": e.description,
            "method": e.method,
            "profile": {
                p: {lab: json_number(v) for lab, v in zip(m.strategies[i], e.strategies[i], strict=True)}
                for i, p in enumerate(m.players)
            },
            "payoffs": {p: json_number(v) for p, v in zip(m.players, e.payoffs, strict=True)},
            "derivatives": {k: by_label(d) for k, d in e.derivatives.items()},
            "elasticities": {k: by_label(d) for k, d in e.elasticities.items()},
            "margins": margins,
        }
        for e in s.equilibria
    ]
    return {
        "model": m.name,
        "values": {k: float(v) for k, v in s.values.items()},
        "signature": s.signature,
        "equilibria": eqs,
        "margins": margins,
    } | limits_dict(s)


def cell(v: Any) -> str:
    """A derivative for the table; ``n/a`` where it does not exist (e.g. at a degenerate point)."""
    x = json_number(v)
    return "n/a" if x is None else f"{x:.4g}"


def exact_cell(v: Any) -> str:
    """A derivative or probability for the table: a short exact rational as it is (``1/20``),
    anything else as :func:`cell` prints it."""
    import sympy as sp

    if isinstance(v, sp.Rational) and len(str(v)) <= 12:
        return str(v)
    return cell(v)


def outcome_sensitivity_doc(o: Any) -> dict[str, Any]:
    """``sensitivity --outcome``: P(outcome) under one equilibrium, its derivatives and
    elasticities (``*_exact`` where they are rational; ``formula`` where the support has a
    closed form)."""
    import sympy as sp

    def exact(v: Any) -> str | None:
        return str(v) if isinstance(v, sp.Rational) else None

    doc: dict[str, Any] = {
        "outcome": o.label,
        "probability": json_number(o.probability),
        "derivatives": {k: json_number(v) for k, v in o.derivatives.items()},
        "elasticities": {k: json_number(v) for k, v in o.elasticities.items()},
    }
    if exact(o.probability) is not None:
        doc["probability_exact"] = exact(o.probability)
    if all(exact(v) is not None for v in o.derivatives.values()):
        doc["derivatives_exact"] = {k: exact(v) for k, v in o.derivatives.items()}
    if o.formula is not None:
        doc["formula"] = str(o.formula)
        doc["derivative_formulas"] = {k: str(v) for k, v in (o.formulas or {}).items()}
    return doc
