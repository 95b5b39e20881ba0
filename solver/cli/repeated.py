"""``redline repeated`` and ``redline unravel``: is a deal self-enforcing, and when does it unravel?

Each command is parse -> :mod:`solver.analysis.repeated` -> :mod:`solver.render.repeated` /
:mod:`solver.render.repeated_path`; sympy and the solvers load only when a command runs.
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
from solver.core.budget import Budget
from solver.core.errors import UsageError

TargetOpt = Annotated[
    str, typer.Option("--target", help='The profile to sustain, e.g. "Tolerate, Acquiesce" (one strategy per player).')
]
DeltaOpt = Annotated[str | None, typer.Option("--delta", help="Discount factor in (0, 1), e.g. 0.9 or 9/10.")]


def _target(text: str) -> str:
    if not text.strip():
        raise UsageError('--target PROFILE is required, e.g. --target "Tolerate, Acquiesce"')
    return text


def parse_path(text: str) -> tuple[str, str, str]:
    """``t=0:20`` or ``iran_cost=6:20`` -> (variable, from, to)."""
    name, sep, span = text.partition("=")
    lo, colon, hi = span.partition(":")
    if not sep or not colon or not name.strip() or not lo.strip() or not hi.strip():
        raise UsageError(f"--path expects t=FROM:TO or PARAMETER=FROM:TO, got {text[:40]!r}")
    return name.strip(), lo.strip(), hi.strip()


def _number(text: str, what: str) -> object:
    from solver.core.errors import ParameterError
    from solver.core.game import to_fraction

    try:
        return to_fraction(text)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        raise ParameterError(f"{what} must be a number, got {text[:40]!r}") from None


def _closed_form(m: object, target: str, overrides: dict[str, str], budget: Budget) -> tuple[object, str | None]:
    """The grim-trigger closed form in the parameters (None: no parameters, or no closed form),
    and the limit hit when the time budget ran out before sympy had it."""
    from solver.analysis.repeated_closed import grim_closed_form
    from solver.core.errors import BudgetSpent, SolverError
    from solver.core.interrupt import at_deadline

    if not getattr(m, "parameters", ()):
        return None, None
    cut = budget.limit("the closed form of delta* in the parameters", "the closed form")
    try:
        with at_deadline(budget):  # sympy's simplification can take long on big polynomials
            return (None, cut) if budget.expired() else (grim_closed_form(m, target, overrides), None)
    except BudgetSpent:
        return None, cut
    except SolverError:
        return None, None


@guarded
def repeated(
    model: ModelArg = None,
    target: TargetOpt = "",
    delta: DeltaOpt = None,
    set_: SetOpt = None,
    periods: Annotated[
        int | None, typer.Option("--periods", help="Finitely repeated game of this many periods (undiscounted).")
    ] = None,
    payoff_set: Annotated[
        bool | None,
        typer.Option("--payoff-set/--no-payoff-set", help="The subgame-perfect payoff set at --delta (two players)."),
    ] = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """Is TARGET self-enforcing in the infinitely repeated game, and from which discount factor?"""
    from solver.core.symbolic import evaluate
    from solver.equilibria.repeated import analyse_repeated, finitely_repeated
    from solver.equilibria.repeated.stage import check_delta, target_index
    from solver.render import repeated as report

    tgt = _target(target)
    m, overrides = load_with_sets(model, set_)
    if m.tree is not None:
        raise UsageError(f"{m.name} is a game tree: repeated games take a strategic-form model")
    d = check_delta(delta) if delta is not None else None
    game = evaluate(m, overrides)
    if periods is not None:
        if delta is not None:
            raise UsageError("--periods is the undiscounted finitely repeated game: leave --delta out")
        index = target_index(game, tgt)
        f = finitely_repeated(game, index, periods)
        if format is Format.json:
            emit_json(report.finite_doc(f, [s[k] for s, k in zip(game.strategies, index, strict=True)]))
        else:
            emit_text(report.finite_text(f, m.title))
        return
    with bounded(seconds(timeout)) as budget:
        r = analyse_repeated(game, tgt, delta=d, payoff_set=payoff_set, budget=budget)
        closed, cut = _closed_form(m, tgt, overrides, budget)
    if format is Format.json:
        emit_json(report.repeated_doc(r, closed))
    else:
        emit_text(report.repeated_text(r, m.title, closed))
    finish(budget)
    if r.limits or cut:
        typer.echo(f"redline: incomplete: {(*r.limits, cut)[0]}", err=True)


@guarded
def unravel(
    model: ModelArg = None,
    target: TargetOpt = "",
    delta: DeltaOpt = None,
    path: Annotated[
        str, typer.Option("--path", help="t=FROM:TO along the model's [dynamics], or PARAMETER=FROM:TO.")
    ] = "t=0:20",
    set_: SetOpt = None,
    points: Annotated[
        int, typer.Option("--points", help="Grid points of the numeric scan (minmax bound, penal codes).")
    ] = 41,
    plot: Annotated[
        str | None, typer.Option("--plot", help="Write a chart of delta*(t) against delta to FILE (png, pdf, svg).")
    ] = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """The first point of a path at which TARGET stops being self-enforcing at DELTA, and who breaks it."""
    from solver.analysis.repeated import unravel as compute
    from solver.equilibria.repeated.stage import check_delta
    from solver.render import repeated_path as report

    tgt = _target(target)
    if delta is None:
        raise UsageError("--delta is required, e.g. --delta 0.9")
    d = check_delta(delta)
    if not 2 <= points <= 10_001:
        raise UsageError(f"--points must be from 2 to 10001, got {points}")
    variable, lo, hi = parse_path(path)
    m, overrides = load_with_sets(model, set_)
    if m.tree is not None:
        raise UsageError(f"{m.name} is a game tree: repeated games take a strategic-form model")
    span = (variable, _number(lo, "--path FROM"), _number(hi, "--path TO"))
    with bounded(seconds(timeout)) as budget:
        u = compute(m, tgt, d, span, set=overrides, points=points, budget=budget)
    if plot:
        report.plot_unravel(u, plot, title=f"{m.title}\n({', '.join(u.target)}) at δ = {d}")
    if format is Format.json:
        emit_json(report.unravel_doc(u, m.name))
    else:
        emit_text(report.unravel_text(u, m.title))
    finish(budget)
    if u.limits:
        typer.echo(f"redline: incomplete: {u.limits[0]}", err=True)
