"""``redline sweep --repeated PROFILE``: the critical discount factor over the grid (called by
:mod:`solver.cli.sweep`, not a command of its own)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from solver.cli.common import emit_json, load_model, parse_sets, show_notes


def run_repeated(model: str | None, profile: str, vary: list[str] | None, set_: list[str] | None,
              options: dict[str, Any], plot: str | None, format: str, timeout: float) -> None:
    """``redline sweep --repeated PROFILE``: delta* over the grid; every check before the work."""
    from solver.cli.common import emit_text, seconds
    from solver.cli.progress import bounded, finish
    from solver.cli.sweep_grid import vary_grid
    from solver.equilibria.repeated.stage import check_delta
    from solver.render.repeated_plot import check_repeated_plot, plot_repeated
    from solver.render.repeated_sweep import repeated_sweep_text
    from solver.sweep.repeated import sweep_repeated
    from solver.sweep.repeated_output import header, rows, to_dict

    m = load_model(model)
    show_notes(m)
    fixed, grid = parse_sets(set_), vary_grid(vary)
    if options["delta"] is not None:
        options["delta"] = check_delta(options["delta"])
    if plot:
        check_repeated_plot(plot, len(grid), bool(options["samples"]), options["delta"] is not None)
    with bounded(seconds(timeout)) as budget:
        result = sweep_repeated(m, profile, grid, fixed, budget=budget, **options)
    for w in result.warnings:
        typer.echo(f"redline: warning: {w}", err=True)
    if plot:
        plot_repeated(result, plot)
    if format == "json":
        emit_json(to_dict(result))
    elif format == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(header(result))
        for part in rows(result):
            writer.writerows([[f"{v:.12g}" if isinstance(v, float) else v for v in r] for r in part])
    else:
        emit_text(repeated_sweep_text(result))
    if not result.complete:
        typer.echo("redline: incomplete: " + "; ".join(result.limits), err=True)
    finish(budget)
