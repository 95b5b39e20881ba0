"""``redline regions`` and ``redline thresholds``: where each equilibrium exists, and the red lines.

Each command is parse -> call :mod:`solver.analysis` -> :mod:`solver.render.analysis`; sympy loads
only when a command runs.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

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
from solver.cli.progress import TimeoutOpt, bounded, finish
from solver.core.errors import UsageError
from solver.render.layout import regimes


class RegionsFormat(str, Enum):
    table = "table"
    json = "json"
    latex = "latex"


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise UsageError("--free expects parameter names separated by commas")
    return names


@guarded
def regions(
    model: ModelArg = None,
    free: Annotated[
        str | None,
        typer.Option(
            "--free",
            help="Parameters to keep symbolic, e.g. v,c (default: those in the payoffs, capped).",
        ),
    ] = None,
    set_: SetOpt = None,
    format: Annotated[
        RegionsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RegionsFormat.table,
    support_timeout: Annotated[
        float, typer.Option("--support-timeout", help="Seconds allowed per support for sympy.")
    ] = 2.0,
    timeout: TimeoutOpt = 60.0,
    fallback: Annotated[
        bool,
        typer.Option(
            "--fallback", help="Without a closed form, print numeric regions instead of failing."
        ),
    ] = False,
) -> None:
    """Every equilibrium in closed form over the free parameters, with the exact conditions where it exists."""
    from solver.analysis.regions import regions as compute
    from solver.render import analysis as report

    m, overrides = load_with_sets(model, set_)
    with bounded(seconds(timeout)) as budget:
        per_support = seconds(support_timeout, "--support-timeout", zero=False)
        r = compute(m, _names(free), overrides, per_support, strict=not fallback, budget=budget)
    if format is RegionsFormat.json:
        emit_json(report.regions_doc(r))
    else:
        emit_text(report.regions_text(r, format is RegionsFormat.latex))
    finish(budget)
    if r.limits:
        typer.echo(f"redline: incomplete: {r.limits[0]}", err=True)


@guarded
def thresholds(
    model: ModelArg = None,
    vary: Annotated[
        str, typer.Option("--vary", help="The parameter whose critical values to find.")
    ] = "",
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
    repeated: Annotated[
        str | None,
        typer.Option(
            "--repeated",
            help='Red lines of the repeated game instead: where the grim-trigger delta* of this profile '
            '(e.g. "Tolerate, Acquiesce") crosses --delta or reaches 1.',
        ),
    ] = None,
    delta: Annotated[
        str | None, typer.Option("--delta", help="With --repeated: the discount factor, in (0, 1).")
    ] = None,
) -> None:
    """The exact critical values of one parameter (the red lines) and what changes at each."""
    from solver.analysis.thresholds import thresholds as compute
    from solver.render import analysis as report
    from solver.render import text as render

    if not vary:
        raise UsageError("--vary PARAMETER is required")
    if delta is not None and repeated is None:
        raise UsageError("--delta goes with --repeated PROFILE")
    m, overrides = load_with_sets(model, set_)
    if repeated is not None:
        _repeated_thresholds(m, overrides, repeated, vary, delta, format, timeout)
        return
    with bounded(seconds(timeout)) as budget:
        ts = compute(m, vary, overrides, budget=budget)
    values = m.values(overrides)
    if format is Format.json:
        emit_json(report.thresholds_doc(m, vary, values, ts))
        finish(budget)
        return
    rows = [[t.exact_string, f"{t.decimal:.10g}", t.before, t.after] for t in ts]
    text = f"{m.title}\nthresholds of {vary} (now {render.fmt(values[vary])}, others fixed)\n\n"
    named, legend = regimes(rows, [2, 3])
    text += (
        "\n".join([render.table(named, ["exact", "decimal", "below", "above"]), *(["", *legend] if legend else [])])
        if rows
        else "none found" if ts.limits else "none: the equilibrium set does not change on the range"
    )
    emit_text("\n".join([text, *(f"note: {limit}" for limit in ts.limits)]))
    finish(budget)


def _repeated_thresholds(
    m: object, overrides: dict[str, str], target: str, vary: str, delta: str | None, format: Format, timeout: float
) -> None:
    """``thresholds --repeated``: where the grim-trigger delta* crosses delta or reaches 1."""
    from solver.analysis.repeated_thresholds import delta_thresholds
    from solver.render import repeated_path as report

    if not target.strip():
        raise UsageError('--repeated expects a profile, e.g. --repeated "Tolerate, Acquiesce"')
    with bounded(seconds(timeout)) as budget:
        ts = delta_thresholds(m, target, vary, delta, set=overrides, budget=budget)
    title = getattr(m, "title", "")
    if format is Format.json:
        emit_json(report.delta_thresholds_doc(ts, getattr(m, "name", "")))
    else:
        emit_text(report.delta_thresholds_text(ts, title))
    finish(budget)
