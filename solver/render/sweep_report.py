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

from typing import TYPE_CHECKING, Any

import numpy as np

from solver.core import tolerances
from solver.render.text import table

if TYPE_CHECKING:
    from solver.sweep.result import SweepResult


def regime_names(r: SweepResult) -> dict[str, str]:
    """R1, R2, ... for each signature: the generic regimes by share, then the degenerate ones."""
    regimes = r.regimes()
    ordered = [g for g in regimes if not g["degenerate"]] + [g for g in regimes if g["degenerate"]]
    return {g["signature"]: f"R{k}" for k, g in enumerate(ordered, 1)}


def outcome_text(r: SweepResult, t: Any, max_points: int = 40) -> str:
    """``sweep --outcome``: P(outcome) per regime and, for a short sweep, per point; then how the
    equilibria of points with several were weighted."""
    label = f"P({t.label})"
    lines = ["", f"{label} across {', '.join(r.plan.names)}:"]
    names = regime_names(r)
    finite = np.isfinite(t.values)
    if r.codes is not None:
        rows = []
        for sig, rid in names.items():
            mask = (np.asarray(r.codes) == r.labels.index(sig)) & finite
            if mask.any():
                v = t.values[mask]
                rows.append([rid, f"{v.mean():.4g}", f"{v.min():.4g}..{v.max():.4g}"])
        lines.append(table(rows, ["", f"mean {label}", "range"]))
    if r.n_points <= max_points:
        pts = r.points()
        sigs = r.signatures() if r.codes is not None else [""] * r.n_points
        rows = [
            [*[f"{pts[n][k]:g}" for n in r.plan.names], f"{t.values[k]:.4g}" if finite[k] else "n/a",
             names.get(sigs[k], "")]
            for k in range(r.n_points)
        ]
        lines += ["", table(rows, [*r.plan.names, label, "regime"])]
    else:
        summary = t.summary()
        if summary["mean"] is not None:
            lines.append(
                f"over all {int(finite.sum()):,} points: mean {summary['mean']:.4g}, "
                f"range {summary['min']:.4g}..{summary['max']:.4g}"
            )
    lines.append(f"note: weighting: {t.weighting.sentence()}")
    return "\n".join(lines)


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
    names = regime_names(r)
    generic = [g for g in r.regimes() if not g["degenerate"]]
    special = [g for g in r.regimes() if g["degenerate"]]
    for g in generic + special:
        rid = names[g["signature"]]
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
