"""``redline sweep MODEL --qre L --vary ...``: the logit QRE over the grid, every check before the
work (called by :mod:`solver.cli.sweep`, not a command of its own)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from solver.cli.common import emit_json, emit_text, load_model, parse_sets, seconds, show_notes
from solver.core.errors import UsageError

#: what --qre cannot be combined with, as (option, is it given?) pairs' names
REFUSED = "--repeated, --punishment, --delta, --workers, --scheduler, --resume and --no-refine"


def check_qre(lam: float, given: dict[str, bool]) -> float:
    """``--qre``'s lambda, refused in one line when negative or not finite, or combined with an
    option of the Nash sweep it cannot honour (``given``: option name -> given?)."""
    if not (lam == lam and abs(lam) != float("inf")) or lam < 0:
        raise UsageError(f"--qre must be a finite lambda >= 0 (0: uniform play), got {lam:g}")
    clash = [name for name, on in given.items() if on]
    if clash:
        raise UsageError(f"--qre maps the logit QRE in one process: {', '.join(clash)} do not apply ({REFUSED} do not)")
    return float(lam)


def outcome_index(m: Any, outcome: str | None) -> int | None:
    """The index of ``--outcome`` among the sweep's outcomes (a profile, or for a tree a
    terminal node as the moves leading to it, e.g. "Entrant In, Incumbent Fight")."""
    if outcome is None:
        return None
    if m.tree is None:
        import numpy as np

        from solver.cli.outcomes import outcome_cell

        cell = outcome_cell(m, outcome)
        assert cell is not None
        return int(np.ravel_multi_index(cell, m.shape))
    outcomes = [m.tree.describe(k) for k, node in enumerate(m.tree.nodes) if node.is_terminal]
    words = {" ".join(o.lower().split()): k for k, o in enumerate(outcomes)}
    key = " ".join(outcome.lower().split())
    if key not in words:
        some = "; ".join(outcomes[:8])
        raise UsageError(f"--outcome {outcome[:60]!r} is not a terminal node of the tree: one of {some}")
    return words[key]


def nash_outcomes(m: Any, plan: Any, rule: str) -> Any:
    """The Nash sweep's outcome probabilities at every point ``(N, outcomes)``, the equilibria
    at a point weighted by ``rule`` (strategic models; ``nan`` where none was computed)."""
    import numpy as np

    from solver.analysis.outcome_weights import weigh
    from solver.sweep.engine import solve_batch

    out = np.full((plan.n_points, int(np.prod(m.shape))), np.nan)
    for k in range(plan.n_chunks):
        start, stop = plan.bounds_of(k)
        w = weigh(solve_batch(m, plan.columns(m, start, stop), undefined=True), rule)
        out[start:stop] = np.where(w.defined[:, None], w.values.reshape(stop - start, -1), np.nan)
    return out


def run_qre(model: str | None, lam: float, vary: Any, set_: list[str] | None, options: dict[str, Any]) -> None:
    """Run the QRE sweep and print it (``options``: samples, seed, method, force, chunk, out,
    plot, format, outcome, select, timeout, quiet)."""
    from solver.cli.outcomes import check_select
    from solver.cli.progress import bounded, finish
    from solver.cli.sweep_grid import vary_grid
    from solver.render.qre_sweep_plot import plot_qre_sweep, qre_sweep_text
    from solver.render.sweep_plot import check_plot_path
    from solver.sweep.grid import make_plan
    from solver.sweep.qre import sweep_qre
    from solver.sweep.qre_output import check_qre_output, header, rows, to_dict, write_qre

    m = load_model(model)
    show_notes(m)
    rule = check_select(options["select"])
    fixed, grid = parse_sets(set_), vary_grid(vary)
    kw = {k: options[k] for k in ("samples", "seed", "method", "force", "chunk")}
    plan, _ = make_plan(m, grid, fixed, **kw)  # every refusal before the work
    target = check_qre_output(options["out"], plan.n_points) if options["out"] else None
    cell = outcome_index(m, options["outcome"])
    plot = options["plot"]
    if plot:
        check_plot_path(plot, len(grid), bool(options["samples"]))
    with bounded(seconds(options["timeout"]), draw=False if options["quiet"] else None) as budget:
        r = sweep_qre(m, grid, fixed, lam=lam, budget=budget, **kw)
    for w in r.warnings:
        typer.echo(f"redline: warning: {w}", err=True)
    if target is not None:
        write_qre(r, target)
    if plot:
        nash = nash_outcomes(m, r.plan, rule) if len(grid) == 1 and m.tree is None else None
        plot_qre_sweep(r, plot, nash=nash, rule=rule, outcome=cell)
    fmt = options["format"]
    if fmt == "json":
        emit_json(to_dict(r))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(header(r))
        for lo in range(0, r.n_points, 65536):
            part = rows(r, lo, min(r.n_points, lo + 65536))
            writer.writerows([[f"{v:.12g}" if isinstance(v, float) else v for v in row] for row in part])
    else:
        emit_text(qre_sweep_text(r))
    if not r.complete:
        typer.echo("redline: incomplete: " + "; ".join(r.limits), err=True)
    finish(budget)
