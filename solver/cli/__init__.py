"""The ``redline`` command line: each command is parse -> call the library -> render.

One module per command group (:mod:`.solve`, :mod:`.analysis`, :mod:`.sensitivity`, :mod:`.sweep`,
:mod:`.repeated`, :mod:`.tree`, :mod:`.explain`, :mod:`.report`, :mod:`.explore`, :mod:`.qre`,
:mod:`.estimate`), sharing :mod:`.common`; this module only registers them, in help order.  stdout
carries results (one JSON document with ``--format json``); diagnostics go to stderr as one line;
bad input exits 1, usage errors 2.  Heavy modules (sympy, solvers) load lazily inside the commands
so that ``redline --help`` starts fast.
"""

from __future__ import annotations

import sys

import typer

from solver.cli import (
    analysis,
    estimate,
    explain,
    explore,
    qre,
    repeated,
    report,
    robust,
    sensitivity,
    solve,
    sweep,
    tree,
)

app = typer.Typer(
    name="redline",
    help="Game-theoretic red-line solver: every equilibrium, sweeps, thresholds, sensitivity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: importing rich costs ~0.25 s at every start
)

for command in (
    solve.solve,
    solve.show,
    solve.models,
    analysis.regions,
    analysis.thresholds,
    sensitivity.sensitivity,
    sensitivity.uncertainty,
    sweep.sweep,
    qre.qre,
    estimate.estimate,
    repeated.repeated,
    repeated.unravel,
    tree.credibility,
    robust.robust,
    explain.explain,
    report.report,
    explore.explore,
):
    app.command()(command)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except BrokenPipeError:  # e.g. `redline solve | head`
        sys.stderr.close()
