"""``redline report``: the briefing page, one self-contained HTML file (or a PDF printed from it).

Parse -> :func:`solver.analysis.report.gather` -> :func:`solver.render.report.report_html` ->
:mod:`solver.formats.report_out` (atomic write; the PDF by headless Chromium), like every command.
The output path is checked before any work; nothing half-written is ever left behind.
"""

from __future__ import annotations

from typing import Annotated

import typer

from solver.cli.common import ModelArg, SetOpt, guarded, load_with_sets, seconds
from solver.cli.progress import TimeoutOpt, bounded, finish
from solver.core.errors import UsageError


@guarded
def report(
    model: ModelArg = None,
    set_: SetOpt = None,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Where to write the brief: FILE.html (self-contained) or FILE.pdf."),
    ] = None,
    points: Annotated[
        int | None,
        typer.Option("--points", help="At most this many points per sweep axis (default: by model kind)."),
    ] = None,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """A briefing page for people who will never run a CLI: the model, its assumptions and the
    claims they encode, the equilibria in plain words with outcome odds, the red-line map (a
    sweep per assumption with a threshold, a phase diagram of the two most sensitive),
    robustness, uncertainty, credibility, and what reproduces it. One HTML file with
    everything inline, readable offline; .pdf prints that page with headless Chromium."""
    from solver.formats import report_out

    if not out:
        raise UsageError("--out FILE.html or --out FILE.pdf is required")
    if points is not None and not 3 <= points <= 1000:
        raise UsageError(f"--points must be between 3 and 1000, got {points}")
    kind = report_out.check_out(out)
    if kind == "pdf":
        report_out.check_printer(out)
    budget_s = seconds(timeout)
    m, overrides = load_with_sets(model, set_)
    m.values(overrides)  # a bad --set value fails here, before any work

    from solver.analysis.report import gather
    from solver.formats.claims import read_claims
    from solver.render.report import report_html

    with bounded(budget_s) as budget:
        rep = gather(m, overrides, claims=read_claims(), budget=budget, points=points)
        page = report_html(rep)
    if kind == "pdf":
        report_out.print_pdf(out, page)
    else:
        report_out.write_report(out, page)
    typer.echo(out)
    finish(budget)
    if rep.not_computed:
        typer.echo(
            f"redline: incomplete: {rep.not_computed[0]}"
            + (f" (and {len(rep.not_computed) - 1} more, listed in the page)" if len(rep.not_computed) > 1 else ""),
            err=True,
        )
