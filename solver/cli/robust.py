"""``redline robust``: which conclusions hold in every payoff ordering the model's source supports.

Parse -> :func:`solver.analysis.robust.robust` -> :mod:`solver.render.robust`, like every command.
"""

from __future__ import annotations

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

MaxOrderingsOpt = Annotated[
    int,
    typer.Option(
        "--max-orderings",
        help="Solve at most this many combinations of the players' orderings (the output says "
        "complete=false when it stops there).",
    ),
]


@guarded
def robust(
    model: ModelArg = None,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
    max_orderings: MaxOrderingsOpt = 10_000,
) -> None:
    """Ordinal robustness: solve the game for every strict payoff ordering consistent with the
    model's [ordering] constraints and report which conclusions (pure equilibria, subgame-perfect
    outcomes, credible threats, the status quo) hold in all of them.  --set only says where the
    model's own numbers are checked against the constraints."""
    from solver.analysis.robust import robust as compute
    from solver.render.robust import robust_doc, robust_text

    if max_orderings < 1:
        raise UsageError(f"--max-orderings must be at least 1, got {max_orderings}")
    m, overrides = load_with_sets(model, set_)
    m.values(overrides)  # a bad --set value fails here, before any work
    with bounded(seconds(timeout)) as budget:
        res = compute(m, overrides, max_orderings=max_orderings, budget=budget)
    if format is Format.json:
        emit_json(robust_doc(res))
    else:
        emit_text(robust_text(res))
    finish(budget)
    if not res.complete:
        typer.echo(f"redline: incomplete: {res.limits[0]}", err=True)
