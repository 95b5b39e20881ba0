"""``redline sweep``: parse -> :func:`solver.sweep.sweep` -> render (registered on the main app)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from solver.cli.common import (
    FormatOpt,
    ModelArg,
    SetOpt,
    guarded,
    load_model,
    parse_sets,
    show_notes,
)
from solver.cli.outcomes import OutcomeOpt, SelectOpt, emit_sweep, sweep_options
from solver.cli.sweep_grid import vary_grid
from solver.core.errors import UsageError


class SweepFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Sampling(str, Enum):
    lhs = "lhs"
    uniform = "uniform"


class Punishment(str, Enum):
    nash = "nash"
    minmax = "minmax"
    best = "best"


def _progress(quiet: bool) -> tuple[Any, Any]:
    """A rich progress bar on stderr (only on a terminal, and not with --quiet)."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("sweep", total=None)

    chunks: list[int] = []

    def update(done: int, total: int) -> None:
        """Chunks first (``total`` = the chunk count), then the bisection rounds that refine
        the boundaries (``total`` grows by the rounds expected)."""
        if not chunks:
            chunks.append(total)
            bar.start()
        phase = "sweep" if total == chunks[0] else "refine boundaries"
        bar.update(task, completed=done, total=total, description=phase)

    return bar, update


@guarded
def sweep(
    model: ModelArg = None,
    vary: Annotated[
        list[str] | None,
        typer.Option("--vary", help="name=start:stop:num or name=v1,v2,... (repeatable)."),
    ] = None,
    set_: SetOpt = None,
    samples: Annotated[
        int,
        typer.Option("--samples", help="Random points over the declared ranges instead of a grid."),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --samples.")] = 0,
    sampling: Annotated[
        Sampling, typer.Option("--sampling", help="lhs (Latin hypercube per chunk) or uniform.")
    ] = Sampling.lhs,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Write tidy data: .csv (one row per point and equilibrium), .npz or .json.",
        ),
    ] = None,
    plot: Annotated[
        str | None,
        typer.Option("--plot", help="Figure: .png, .svg or .pdf (1 or 2 varied parameters)."),
    ] = None,
    format: Annotated[
        SweepFormat, typer.Option("--format", "-f", help="table, json, or csv (one row per point).")
    ] = SweepFormat.table,
    workers: Annotated[int, typer.Option("--workers", help="Local worker processes.")] = 1,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:port).")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Reuse finished chunks of an interrupted run with the same --out."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Allow values outside the declared ranges (with a warning)."),
    ] = False,
    chunk: Annotated[int, typer.Option("--chunk", help="Points per chunk (memory bound).")] = 65536,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    no_refine: Annotated[
        bool,
        typer.Option(
            "--no-refine", help="Report grid crossings only: skip bisecting the boundaries."
        ),
    ] = False,
    repeated: Annotated[
        str | None,
        typer.Option(
            "--repeated",
            help='A pure profile, e.g. "Tolerate, Acquiesce": map the critical discount factor '
            "delta* from which the infinitely repeated game sustains it, instead of the equilibria.",
        ),
    ] = None,
    punishment: Annotated[
        Punishment | None,
        typer.Option(
            "--punishment",
            help="With --repeated: nash (grim trigger), minmax (the folk-theorem bound) or best "
            "(best subgame-perfect penal code; the default).",
        ),
    ] = None,
    delta: Annotated[
        str | None,
        typer.Option("--delta", help="With --repeated: a discount factor in (0, 1) to read the map at."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="With --repeated: seconds for the points solved exactly one by one (0: no limit); "
            "the rest are left unsolved and the result is marked incomplete (default 60).",
        ),
    ] = None,
    outcome: OutcomeOpt = None,
    select: SelectOpt = "all",
    qre: Annotated[
        float | None,
        typer.Option(
            "--qre",
            help="A lambda >= 0: map the logit QRE's strategy and outcome probabilities at it (smooth) "
            "instead of the equilibria; with --timeout (default 60 s).",
        ),
    ] = None,
) -> None:
    """Equilibria over a grid or sample of parameter values: regimes and red-line boundaries
    (with --repeated: the critical discount factor delta* of a repeated game; with --qre: the
    logit quantal response equilibrium's probabilities)."""
    if qre is not None:
        from solver.cli.sweep_qre import check_qre, run_qre

        given = {"--repeated": repeated is not None, "--punishment": punishment is not None,
                 "--delta": delta is not None, "--workers": workers != 1, "--scheduler": bool(scheduler),
                 "--resume": resume, "--no-refine": no_refine}
        options = {"samples": samples, "seed": seed, "method": sampling.value, "force": force, "chunk": chunk,
                   "out": out, "plot": plot, "format": format.value, "outcome": outcome, "select": select,
                   "timeout": 60.0 if timeout is None else timeout, "quiet": quiet}
        run_qre(model, check_qre(qre, given), vary, set_, options)
        return
    if repeated is not None:
        if workers != 1 or scheduler or resume or outcome is not None or select != "all":
            raise UsageError(
                "--repeated runs in one process, on delta*: --workers, --scheduler, --resume, --outcome and "
                "--select do not apply"
            )
        options = {
            "punishment": (punishment or Punishment.best).value, "delta": delta, "samples": samples,
            "seed": seed, "method": sampling.value, "force": force, "chunk": chunk, "out": out,
        }
        from solver.cli.sweep_repeated import run_repeated

        run_repeated(model, repeated, vary, set_, options, plot, format.value, 60.0 if timeout is None else timeout)
        return
    if punishment is not None or delta is not None or timeout is not None:
        raise UsageError("--punishment and --delta go with --repeated PROFILE, --timeout with --repeated or --qre")
    from solver.sweep import sweep as run_sweep
    if workers < 1 or chunk < 1:
        raise UsageError("--workers and --chunk must be at least 1")
    if resume and not out:
        raise UsageError("--resume needs --out (the parts of the interrupted run live beside it)")
    if scheduler:
        from solver.sweep.dask_runner import check_address

        check_address(scheduler)
    from solver.sweep.runner import usable_cpus

    if workers > usable_cpus():
        typer.echo(
            f"redline: warning: --workers {workers} capped at the {usable_cpus()} usable CPUs",
            err=True,
        )
        workers = usable_cpus()
    m = load_model(model)
    show_notes(m)
    cell, rule = sweep_options(m, outcome, select)
    fixed = parse_sets(set_)
    grid = vary_grid(vary)
    if plot:
        from solver.render.sweep_plot import check_plot_path

        check_plot_path(plot, len(grid), bool(samples))
    bar, update = _progress(quiet)
    try:
        result = run_sweep(
            m,
            grid,
            fixed,
            samples=samples,
            seed=seed,
            method=sampling.value,
            force=force,
            chunk=chunk,
            workers=workers,
            scheduler=scheduler,
            out=out,
            resume=resume,
            progress=update,
            refine=not no_refine,
            need_codes=format is SweepFormat.csv or bool(plot) or cell is not None,
        )
    finally:
        if bar is not None:
            bar.stop()
    for w in result.warnings:
        typer.echo(f"redline: warning: {w}", err=True)
    track = None
    if cell is not None:
        from solver.analysis.outcome_sweep import track_outcome

        track = track_outcome(m, result.plan, cell, rule)
    emit_sweep(result, format.value, plot, track)


_ = FormatOpt
