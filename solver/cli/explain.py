"""``redline explain``: the plain-language brief on a model, or the glossary.

Parse -> :func:`solver.analysis.explain.explain` -> :mod:`solver.render.explain`, like every
command; the claims the parameters cite are read by :func:`solver.formats.claims.read_claims`.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from solver.cli.common import ModelArg, SetOpt, emit_json, emit_text, guarded, load_with_sets, seconds
from solver.cli.progress import TimeoutOpt, bounded, finish


class ExplainFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@guarded
def explain(
    model: ModelArg = None,
    set_: SetOpt = None,
    format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExplainFormat.text,
    glossary: Annotated[
        bool, typer.Option("--glossary", help="Print the glossary of the terms Redline uses, and stop.")
    ] = False,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """A short brief in plain words: each equilibrium, the odds of each outcome, why mixing
    probabilities take their values, the thresholds of each assumption and the claims they
    encode, credible threats, robustness, and what decides between several equilibria."""
    from solver.render import explain as report

    if glossary:
        if format is ExplainFormat.json:
            emit_json({"glossary": [{"term": t, "definition": d} for t, d in report.GLOSSARY]})
        else:
            emit_text(report.glossary_markdown() if format is ExplainFormat.markdown else report.glossary_text())
        return
    from solver.analysis.explain import explain as compute
    from solver.formats.claims import read_claims

    m, overrides = load_with_sets(model, set_)
    m.values(overrides)  # a bad --set value fails here, before any work
    with bounded(seconds(timeout)) as budget:
        brief = compute(m, overrides, claims=read_claims(), budget=budget)
    if format is ExplainFormat.json:
        emit_json(report.brief_doc(brief))
    elif format is ExplainFormat.markdown:
        typer.echo(report.brief_markdown(brief))  # Markdown: its own line breaks, never wrapped
    else:
        emit_text(report.brief_text(brief))
    finish(budget)
    if brief.not_computed:
        typer.echo(f"redline: incomplete: {brief.not_computed[0]}", err=True)
