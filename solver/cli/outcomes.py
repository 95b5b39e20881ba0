"""What ``--outcome`` and ``--select`` share across ``sweep``, ``uncertainty`` and ``sensitivity``:
the options, their one-line refusals, and the sweep's output with a tracked outcome."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from solver.cli.common import emit_json, emit_text
from solver.core.errors import UsageError

OutcomeOpt = Annotated[
    str | None,
    typer.Option(
        "--outcome",
        help='Track one outcome, a strategy per player in order, e.g. "Strike, Confront": its '
        "probability (sensitivity: with its derivatives).",
    ),
]
SelectOpt = Annotated[
    str,
    typer.Option(
        "--select",
        help="Where several equilibria exist, weigh them: all (equally; the default), payoff-dominance "
        "or risk-dominance (Harsanyi & Selten 1988), or logit (the limit of the logit QRE branch, "
        "McKelvey & Palfrey 1995); equal weights, reported, where the rule picks none.",
    ),
]


def check_select(select: str) -> str:
    """The ``--select`` rule, refused in one line (exit 2) unless it is one of the rules."""
    from solver.analysis.selection import RULES

    rule = select.strip().lower()
    if rule not in RULES:
        raise UsageError(f"--select {select[:40]!r} is not a rule: choose one of {', '.join(RULES)}")
    return rule


def outcome_cell(model: Any, outcome: str | None) -> tuple[int, ...] | None:
    """The strategy indices ``--outcome`` names in ``model`` (None without the option)."""
    from solver.analysis.outcomes import parse_outcome

    return None if outcome is None else parse_outcome(model.players, model.strategies, outcome)


def sweep_options(model: Any, outcome: str | None, select: str) -> tuple[tuple[int, ...] | None, str]:
    """``sweep``'s outcome and rule: ``--select`` weighs the equilibria behind ``--outcome`` only."""
    rule = check_select(select)
    if outcome is None and select != "all":
        raise UsageError('--select weighs the equilibria behind --outcome: add --outcome, e.g. "Strike, Confront"')
    return outcome_cell(model, outcome), rule


def tracked_text(t: Any, what: str) -> str:
    """One tracked outcome's probability over the points, in a line."""
    qs = ", ".join(f"{100 * q:g}% {v:.4f}" for q, v in t.quantiles)
    return (
        f"P({t.label}) over the {t.points} {what}: mean {t.mean:.4f} (sd {t.sd:.4f}); "
        f"quantiles {qs}; positive in {100 * t.p_positive:.1f}% of the {what}"
    )


def emit_sweep(result: Any, format: str, plot: str | None, track: Any) -> None:
    """Print a finished sweep (table, json or csv) and draw its figure; with a tracked outcome
    (``sweep --outcome``) its P per point is a column, a figure and a JSON field, with the
    weighting said."""
    from solver.render.sweep_report import outcome_text, sweep_text

    if plot:
        if track is not None:
            from solver.render.outcome_plot import plot_outcome

            plot_outcome(result, track, plot)
        else:
            from solver.render.sweep_plot import plot_sweep

            plot_sweep(result, plot)
    if format == "json":
        doc = result.to_dict()
        if track is not None:
            doc["outcome"] = track.to_dict(per_point=result.n_points <= 100_000)
            doc["weighting"] = track.weighting.to_dict()
        emit_json(doc)
    elif format == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        extra = [f"P({track.label})"] if track is not None else []
        writer.writerow(["point", *result.plan.names, "signature", *extra])
        pts = result.points()
        for k, sig in enumerate(result.signatures()):
            p = [f"{track.values[k]:.12g}"] if track is not None else []
            writer.writerow([k, *[f"{pts[n][k]:.12g}" for n in result.plan.names], sig, *p])
    else:
        text = sweep_text(result)
        emit_text(text + ("\n" + outcome_text(result, track) if track is not None else ""))
