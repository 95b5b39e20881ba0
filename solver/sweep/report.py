"""Plain-data summaries of a sweep (JSON-ready dicts and text), shared by the CLI and writers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..render import table

if TYPE_CHECKING:
    from .runner import SweepResult


def sweep_dict(r: SweepResult) -> dict[str, Any]:
    """The JSON document of ``redline sweep``."""
    plan = r.plan
    return {
        "model": r.model.name,
        "varied": list(plan.names),
        "fixed": {k: float(v) for k, v in plan.fixed.items() if k not in plan.names},
        "grid": {
            n: {"start": float(a[0]), "stop": float(a[-1]), "num": int(a.size)}
            for n, a in zip(plan.names, plan.axes, strict=True)
        }
        if not plan.samples
        else None,
        "samples": plan.samples or None,
        "points": r.n_points,
        "fallback_points": r.fallback_points,
        "degenerate_points": r.degenerate_points,
        "regimes": r.regimes(),
        "boundaries": [
            {
                "parameter": b.parameter,
                "value": b.value,
                "before": b.before,
                "after": b.after,
                "at": b.at,
                "width": b.width,
            }
            for b in r.boundaries
        ],
        "warnings": r.warnings,
        "notes": r.notes,
    }


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
                    if max(vals) - min(vals) < 1e-9
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
