"""``redline credibility``: which threats of a game tree are credible, and where.

Registered on the main app by ``from . import cli_tree`` at the end of :mod:`solver.cli.solve`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from solver.cli.common import Format, FormatOpt, ModelArg, SetOpt, emit_json, guarded, load_with_sets
from solver.cli.progress import TimeoutOpt, bounded, finish


@guarded
def credibility(
    model: ModelArg = None,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    all_: Annotated[
        bool,
        typer.Option(
            "--all/--no-all",
            help="List the threats of every pure Nash equilibrium (default), or with --no-all "
            "only those that sustain a subgame-perfect equilibrium.",
        ),
    ] = True,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """Off-path threats of MODEL's equilibria: credible now, and the region where they are."""
    from solver.analysis.credibility import threats
    from solver.core.errors import ModelError
    from solver.render.text import credibility_text, limits_dict, parameters_dict

    m, overrides = load_with_sets(model, set_)
    if m.tree is None:
        raise ModelError(
            'credibility applies to game trees (kind = "sequential" models or .efg files); '
            f"{m.name} is a strategic-form game"
        )
    values = m.values(overrides)
    with bounded(timeout) as budget:
        every = threats(m, values, budget=budget)
    found = [t for t in every if all_ or t.in_spe]
    if format is Format.json:
        doc = {
            "model": m.name,
            "parameters": parameters_dict(m.parameters, values),
            "threats": [t.as_dict() for t in found],
        }
        emit_json(doc | limits_dict(every))
    else:
        typer.echo(credibility_text(m.title, found, every.limits))
    finish(budget)
