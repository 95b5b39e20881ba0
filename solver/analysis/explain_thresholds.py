"""The nearest thresholds of each assumption, tied to the claims it encodes.

For every parameter that enters the payoffs, :func:`solver.analysis.thresholds.thresholds` (the
others held at their values) gives the exact values where the equilibrium set changes; the brief
keeps the nearest one on each side of the current value, its distance, and that distance as a
share of the declared range (the robustness margin, as in :mod:`solver.analysis.sensitivity`).

>>> from solver.formats import load
>>> m = load("syria_deconfliction")
>>> a, _ = assumptions(m, m.values({}), parameters=["iran_cost"])
>>> a[0].below.exact, a[0].above.exact, a[0].relative
('2', '14', 0.2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from solver.analysis.explain_types import Assumption, Crossing
from solver.core.budget import UNBOUNDED, Budget
from solver.core.symbolic import Model

#: game trees whose reduced normal form has more cells than this get no thresholds (each
#: candidate is solved point by point; ``redline thresholds`` does one parameter on request)
LARGE_TREE = 512


def exact_text(x: Any) -> str:
    """An exact number as text: ``3/5``, ``-14/3``, ``2*sqrt(2)``; a float is written exactly
    when it is a short binary fraction (``0.5`` -> ``1/2``), else to 12 digits.

    >>> exact_text(Fraction(6, 1)), exact_text(Fraction(1, 3)), exact_text(0.25), exact_text(0.1)
    ('6', '1/3', '1/4', '0.1')
    """
    if isinstance(x, float):
        f = Fraction(x)
        return exact_text(f) if f.denominator <= 2**20 else f"{x:.12g}"
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else str(x)
    return str(x)


def _crossing(t: Any, value: Any) -> Crossing:
    """The threshold ``t`` seen from ``value``: exact distance, or ``~`` decimal when ``t`` was
    located numerically."""
    import sympy as sp

    if not t.exact:
        d = abs(t.decimal - float(value))
        return Crossing(t.exact_string, t.decimal, t.before, t.after, f"~{d:.6g}", d)
    d = sp.nsimplify(abs(t.value - sp.nsimplify(value)))
    return Crossing(t.exact_string, t.decimal, t.before, t.after, str(d), float(d))


def assumptions(
    model: Model,
    values: Mapping[str, Fraction],
    *,
    claims: Mapping[str, Any] | None = None,
    parameters: Sequence[str] | None = None,
    budget: Budget = UNBOUNDED,
    found: Mapping[str, Any] | None = None,
) -> tuple[tuple[Assumption, ...], tuple[str, ...]]:
    """(one :class:`Assumption` per parameter, what was not computed).  ``claims``: id -> object
    with a ``title`` (:func:`solver.formats.claims.read_claims`).  ``found``: parameter ->
    :class:`~solver.analysis.thresholds.Thresholds` already computed at these values (the
    briefing page computes them once for its map), used instead of searching again."""
    import math

    import sympy as sp

    from solver.analysis.regions import payoff_parameters
    from solver.analysis.thresholds import thresholds

    used = set(payoff_parameters(model))
    names = list(parameters) if parameters is not None else [p.name for p in model.parameters]
    large = model.tree is not None and math.prod(model.shape) > LARGE_TREE
    out: list[Assumption] = []
    skipped: list[str] = []
    for name in names:
        p = model.parameter(name)
        cites = tuple((c, getattr((claims or {}).get(c), "title", "")) for c in p.cites)
        base = {
            "parameter": name,
            "doc": p.doc,
            "value": exact_text(values[name]),
            "low": exact_text(p.low),
            "high": exact_text(p.high),
            "claims": cites,
        }
        if name not in used:
            out.append(Assumption(**base, note="does not enter the payoffs"))  # type: ignore[arg-type]
            continue
        known = (found or {}).get(name)
        if known is None and (large or budget.expired()):
            why = "game tree solved point by point" if large else "time budget spent"
            out.append(Assumption(**base, computed=False, note=f"thresholds not computed ({why})"))  # type: ignore[arg-type]
            skipped.append(name)
            continue
        others = {k: v for k, v in values.items() if k != name}
        ts = known if known is not None else thresholds(model, name, others, budget=budget)
        if ts.limits:
            out.append(Assumption(**base, computed=False, note=ts.limits[0]))  # type: ignore[arg-type]
            skipped.append(name)
            continue
        v = sp.nsimplify(values[name])
        below = [t for t in ts if t.value < v]
        above = [t for t in ts if t.value > v]
        at = [t for t in ts if not t.value < v and not t.value > v]
        lo = _crossing(below[-1], values[name]) if below else None
        hi = _crossing(above[0], values[name]) if above else None
        width = float(p.high - p.low) or 1.0
        sides = [c.distance_decimal for c in (lo, hi) if c is not None]
        note = f"the current value is itself a threshold ({at[0].before} | {at[0].after})" if at else ""
        out.append(Assumption(**base, below=lo, above=hi, relative=min(sides) / width if sides else None, note=note))  # type: ignore[arg-type]
    not_computed = (
        (f"thresholds of {', '.join(skipped)} (`redline thresholds {model.name} --vary NAME`)",) if skipped else ()
    )
    return tuple(out), not_computed
