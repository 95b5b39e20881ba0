"""A sweep as text: regimes, their shares and the boundaries between them (each refined by
signature bisection, :mod:`solver.sweep.bisection`); crossings of one red line closer together than
:data:`solver.core.tolerances.DISPLAY_EQUAL` are shown as one value.

>>> from solver.formats import load
>>> from solver.sweep.runner import sweep
>>> text = sweep_text(sweep(load("prisoners_dilemma"), {"T": [2.0, 4.0]}, {"R": 3, "P": 1, "S": 0}))
>>> text.splitlines()[-1].strip()  # cooperation is an equilibrium of the prisoner's dilemma iff T <= R
'at T = 3 the equilibria mixed (full support), pure (Cooperate, Cooperate) disappear'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.core import tolerances
from solver.render.text import table

if TYPE_CHECKING:
    from solver.sweep.result import SweepResult


def sweep_text(r: SweepResult, max_boundaries: int = 20) -> str:
    plan = r.plan
    head = [f"{r.model.title}: {r.n_points:,} points over " + ", ".join(plan.names)]
    fixed = {k: v for k, v in plan.fixed.items() if k not in plan.names}
    if fixed:
        head.append("fixed: " + ", ".join(f"{k} = {float(v):g}" for k, v in fixed.items()))
    if r.fallback_points:
        head.append(
            f"{r.fallback_points} points had ties and were solved exactly one by one "
            f"({r.degenerate_points} degenerate)"
        )
    rows = []
    names: dict[str, str] = {}
    generic = [g for g in r.regimes() if not g["degenerate"]]
    special = [g for g in r.regimes() if g["degenerate"]]
    for g in generic + special:
        rid = f"R{len(names) + 1}"
        names[g["signature"]] = rid
        span = "; ".join(f"{n} {lo:g}..{hi:g}" for n, (lo, hi) in g["ranges"].items())
        share = f"{100 * g['share']:.1f}%" if g["share"] >= 0.001 else f"{g['points']} pts"
        rows.append(
            [
                rid,
                g["signature"] + (" [degenerate: on a red line]" if g["degenerate"] else ""),
                share,
                span,
            ]
        )
    lines = [*head, "", table(rows, ["", "equilibrium set", "share", "spans"])]
    if r.boundaries:
        lines += [
            "",
            f"boundaries ({len(r.boundaries)} refined to {r.boundaries[0].width:.0e} or better):",
        ]
        groups: dict[tuple[str, str, str], list[float]] = {}
        for b in r.boundaries:
            groups.setdefault((b.parameter, b.before, b.after), []).append(b.value)
        if len(r.boundaries) <= max_boundaries:
            lines += ["  " + b.sentence() for b in r.boundaries]
        else:
            for (p, before, after), vals in groups.items():
                where = (
                    f"= {vals[0]:.10g}"
                    if max(vals) - min(vals) < tolerances.DISPLAY_EQUAL
                    else f"in {min(vals):.6g}..{max(vals):.6g}"
                )
                lines.append(
                    f"  {p} {where} ({len(vals)} crossings): {names.get(before, before)} -> {names.get(after, after)}"
                )
    for w in r.warnings:
        lines.append(f"warning: {w}")
    for n in r.notes:
        lines.append(f"note: {n}")
    return "\n".join(lines)
