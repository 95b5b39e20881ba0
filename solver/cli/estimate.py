"""``redline estimate``: fit the logit QRE's lambda (and model parameters) to observed choices.

Parse -> :func:`solver.analysis.estimate.estimate` (which reads the CSV through
:mod:`solver.formats.choices`) -> :mod:`solver.render.estimate`, like every command.  Bad data
is one line on stderr naming the file, the row or column and what is wrong, exit 1.
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
    load_model,
    parse_sets,
    seconds,
    show_notes,
)
from solver.cli.progress import TimeoutOpt, bounded, finish
from solver.core.errors import UsageError


class Link(str, Enum):
    logit = "logit"
    probit = "probit"


@guarded
def estimate(
    model: ModelArg = None,
    data: Annotated[
        str,
        typer.Option(
            "--data",
            help="CSV of observed choices: one column per player (the strategy chosen; for a tree "
            "the actions taken, 'a > b' when a player moves twice, empty when it does not move), "
            "then optionally 'count' (else one observation per row), 'chance' and covariates.",
        ),
    ] = "",
    free: Annotated[
        str,
        typer.Option(
            "--free",
            help="What to estimate, comma-separated: lambda and model parameters; a parameter "
            "may be a linear function of covariate columns, e.g. lambda,iran_cost~1+x.",
        ),
    ] = "lambda",
    link: Annotated[
        Link,
        typer.Option(
            "--link",
            help="Choice rule: logit (the logit QRE; any model) or probit (Signorino's strategic "
            "probit: trees with perfect information).",
        ),
    ] = Link.logit,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """Maximum-likelihood estimates of the logit QRE's lambda (and of free model parameters)
    from observed choices: standard errors from the observed information, the log-likelihood and
    a likelihood-ratio test against lambda = 0 (McKelvey & Palfrey 1995; Signorino 1999 with
    covariates; --link probit: his strategic probit on perfect-information trees)."""
    from solver.analysis.estimate import estimate as compute
    from solver.render.estimate import estimate_doc, estimate_table

    if not data:
        raise UsageError("--data is required: a CSV file of observed choices")
    m = load_model(model)
    show_notes(m)
    overrides = parse_sets(set_)
    for name in overrides:
        if name != "lambda":
            m.parameter(name)
    with bounded(seconds(timeout)) as budget:
        result = compute(m, data, free, overrides, budget=budget, link=link.value)
    if format is Format.json:
        emit_json(estimate_doc(result))
    else:
        emit_text(estimate_table(result))
    finish(budget)
    for limit in result.limits[:1]:
        typer.echo(f"redline: incomplete: {limit}", err=True)
