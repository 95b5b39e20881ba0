"""``redline sensitivity`` and ``redline uncertainty``: how robust the equilibria are.

Parse -> :mod:`solver.analysis` -> render, like every command (registered on the main app).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from solver.cli.common import (
    Format,
    FormatOpt,
    ModelArg,
    SetOpt,
    emit_json,
    emit_text,
    guarded,
    load_with_sets,
    seconds,
)
from solver.cli.outcomes import OutcomeOpt, SelectOpt, check_select, outcome_cell, tracked_text
from solver.cli.progress import TimeoutOpt, bounded, finish
from solver.core.errors import UsageError
from solver.render.layout import regimes

#: game trees whose reduced normal form has more cells than this skip margins by default
LARGE_TREE = 512


@guarded
def sensitivity(
    model: ModelArg = None,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    plot: Annotated[
        str | None,
        typer.Option(
            "--plot", help="Write a tornado chart of the margins to FILE (png, pdf, svg)."
        ),
    ] = None,
    margins: Annotated[
        bool | None,
        typer.Option(
            "--margins/--no-margins",
            help="Compute robustness margins (default: yes, except for large game trees, which are "
            "solved point by point).",
        ),
    ] = None,
    timeout: TimeoutOpt = 60.0,
    outcome: OutcomeOpt = None,
) -> None:
    """Derivatives and elasticities of every equilibrium, and each parameter's margin to a red line."""
    from solver.analysis.outcomes import outcome_sensitivity
    from solver.analysis.sensitivity import sensitivity as compute
    from solver.render import analysis as report
    from solver.render import text as render

    m, overrides = load_with_sets(model, set_)
    cell = outcome_cell(m, outcome)
    if margins is None:
        import math

        margins = m.tree is None or math.prod(m.shape) <= LARGE_TREE
        if not margins:
            typer.echo(
                f"redline: note: margins skipped: {m.name} is a game tree with a "
                f"{'x'.join(map(str, m.shape))} normal form, solved point by point "
                "(use --margins, or `redline thresholds` for one parameter)",
                err=True,
            )
    if plot and not margins:
        raise UsageError("--plot draws the margins: add --margins")
    with bounded(seconds(timeout)) as budget:
        s = compute(m, overrides, margins=margins, budget=budget)
    tracked = [outcome_sensitivity(e, m.strategies, cell, s.values) for e in s.equilibria] if cell is not None else []
    if plot:
        from solver.render.analysis_plots import plot_tornado

        plot_tornado(s, plot)
    if format is Format.json:
        doc = report.sensitivity_doc(s)
        for item, one in zip(doc["equilibria"], tracked, strict=False):
            item["outcome"] = report.outcome_sensitivity_doc(one)
        emit_json(doc)
        finish(budget)
        return
    notes = [f"note: {limit}" for limit in s.limits]
    lines = [f"{m.title}", f"equilibria: {s.signature}"]
    for j, e in enumerate(s.equilibria):
        o = tracked[j] if tracked else None
        lines += ["", f"{e.description} ({e.method})"]
        if o is not None:
            form = f" = {o.formula}" if o.formula is not None and not o.formula.is_Number else ""
            lines.append(f"P({o.label}) = {report.exact_cell(o.probability)}{form}")
        rows = []
        for k, d in e.derivatives.items():
            cells = [
                report.cell(v)
                for i in range(len(m.players))
                for lab, v in zip(m.strategies[i], d["probabilities"][i], strict=True)
                if len(e.support[i]) > 1 and lab == m.strategies[i][e.support[i][-1]]
            ]
            dp = [report.exact_cell(o.derivatives[k])] if o is not None else []
            rows.append([k, *cells, *[report.cell(v) for v in d["payoffs"]], *dp])
        head = [
            "d/d param",
            *[
                f"Pr({m.players[i]}: {m.strategies[i][e.support[i][-1]]})"
                for i in range(len(m.players))
                if len(e.support[i]) > 1
            ],
            *[f"u({p})" for p in m.players],
            *([f"P({o.label})"] if o is not None else []),
        ]
        lines.append(render.table(rows, head))
    if not margins:
        emit_text("\n".join(lines + notes))
        finish(budget)
        return
    lines += ["", "robustness margins (others fixed):"]
    rows = [
        [
            g.parameter,
            render.fmt(g.value),
            f"{report.json_number(g.down):.6g}" + ("" if g.lower_is_threshold else " (range)"),
            f"{report.json_number(g.up):.6g}" + ("" if g.upper_is_threshold else " (range)"),
        ]
        for g in sorted(s.margins.values(), key=lambda g: g.relative)
    ]
    lines.append(render.table(rows, ["parameter", "value", "down", "up"]))
    emit_text("\n".join(lines + notes))
    finish(budget)


@guarded
def uncertainty(
    model: ModelArg = None,
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Number of Monte Carlo draws.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
    outcome: OutcomeOpt = None,
    select: SelectOpt = "all",
) -> None:
    """Monte Carlo over the parameters: probability of each equilibrium set and each outcome."""
    from solver.analysis.uncertainty import Estimate
    from solver.analysis.uncertainty import uncertainty as compute
    from solver.render import text as render
    from solver.render.text import limits_dict

    rule = check_select(select)
    m, overrides = load_with_sets(model, set_)
    cell = outcome_cell(m, outcome)
    with bounded(seconds(timeout)) as budget:
        u = compute(m, samples, seed, overrides, budget=budget, select=rule, outcome=cell)

    def est(e: Estimate) -> dict[str, Any]:
        return {"label": e.label, "count": e.count, "p": e.p, "low": e.low, "high": e.high}

    if format is Format.json:
        emit_json(
            {
                "model": m.name,
                "samples": u.samples,
                "seed": u.seed,
                "engine": u.engine,
                "distributions": dict(u.distributions),
                "signatures": [est(e) for e in u.signatures],
                "outcomes": [est(e) for e in u.outcomes],
                "weighting": u.weighting.to_dict() if u.weighting else None,
            }
            | ({"outcome": u.tracked.to_dict()} if u.tracked else {})
            | limits_dict(u)
        )
        finish(budget)
        return

    def ci(e: Estimate) -> str:
        return f"[{e.low:.4f}, {e.high:.4f}]"

    lines = [
        f"{m.title}",
        f"{u.samples} samples (seed {u.seed}, {u.engine} engine); 95% intervals",
        "",
    ]
    named, legend = regimes([[f"{e.p:.4f}", ci(e), e.label] for e in u.signatures], [2])
    lines.append(render.table(named, ["P", "95% CI", "equilibria"]))
    lines += ["", *legend] if legend else []
    lines.append("")
    lines.append(
        render.table(
            [[f"{e.p:.4f}", ci(e), e.label] for e in u.outcomes], ["P(played)", "95% CI", "outcome"]
        )
    )
    if u.tracked is not None:
        lines += ["", tracked_text(u.tracked, "draws")]
    notes = [f"weighting: {u.weighting.sentence()}"] if u.weighting else []
    emit_text("\n".join(lines + [f"note: {n}" for n in [*notes, *u.limits]]))
    finish(budget)
