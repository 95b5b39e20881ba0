"""``redline qre``: logit quantal response equilibria of a model, along lambda.

Parse -> :func:`solver.analysis.qre.qre` -> :mod:`solver.render.qre` (and
:mod:`solver.render.qre_plot` for ``--plot``), like every command.

>>> parse_lambda("0:2:5")
[0.0, 0.5, 1.0, 1.5, 2.0]
>>> parse_lambda("3")
3.0
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
from solver.core.errors import ParameterError, UsageError

LambdaOpt = Annotated[
    str | None,
    typer.Option(
        "--lambda",
        help="The logit precision: one value L, or a:b:n (n values from a to b). Without it the "
        "principal branch is traced from 0 to 1000 / (payoff spread), with its Nash limit.",
    ),
]


def parse_lambda(text: str) -> float | list[float]:
    """``L`` -> L; ``a:b:n`` -> n evenly spaced values from a to b (inclusive); refused (one
    line, exit 1) unless finite and >= 0, a <= b, 1 <= n <= 10001."""
    from solver.analysis.qre import MAX_LAMBDAS, check_lambdas

    parts = text.split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise ParameterError(f"--lambda expects a number L or a:b:n, got {text[:40]!r}") from None
    if len(nums) == 1:
        return check_lambdas(nums[0])[0]
    if len(nums) != 3:
        raise ParameterError(f"--lambda expects a number L or a:b:n, got {text[:40]!r}")
    a, b, n = nums
    if not n.is_integer() or not 1 <= n <= MAX_LAMBDAS:
        raise ParameterError(
            f"--lambda {text[:40]}: the number of values must be a whole number from 1 to {MAX_LAMBDAS}"
        )
    check_lambdas([a, b])
    if b < a:
        raise ParameterError(f"--lambda {text[:40]}: the range is reversed ({a:g} > {b:g})")
    k = int(n)
    return [a] if k == 1 else [a + (b - a) * j / (k - 1) for j in range(k)]


@guarded
def qre(
    model: ModelArg = None,
    set_: SetOpt = None,
    lam: LambdaOpt = None,
    all_: Annotated[
        bool, typer.Option("--all", help="With one --lambda: every QRE found there (not known to be complete).")
    ] = False,
    plot: Annotated[
        str | None,
        typer.Option("--plot", help="Write each strategy's probability against lambda (.png, .svg or .pdf)."),
    ] = None,
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """Logit quantal response equilibria (McKelvey & Palfrey 1995; agent QRE on game trees, 1998):
    each player errs, costlier errors rarer, with precision lambda (0: uniform play; large:
    Nash).  Without --lambda: the principal branch from lambda 0 and the Nash equilibrium it
    selects; with it: the QRE on the branch at each lambda."""
    from solver.analysis.qre import qre as compute

    asked = None if lam is None else parse_lambda(lam)
    if all_ and not isinstance(asked, float):
        raise UsageError("--all takes exactly one --lambda value, e.g. --lambda 2 --all")
    m, overrides = load_with_sets(model, set_)
    values = m.values(overrides)  # a bad --set value fails here, before any work
    target = None
    if plot is not None:
        from solver.render.qre_plot import check_qre_plot

        target = check_qre_plot(plot)
    with bounded(seconds(timeout)) as budget:
        result = compute(m, asked, values=values, all=all_, budget=budget)
    if target is not None:
        from solver.render.qre_plot import plot_qre

        plot_qre(result, target)
    from solver.render.qre import qre_doc, qre_text

    if format is Format.json:
        emit_json(qre_doc(result))
    else:
        emit_text(qre_text(result))
    finish(budget)
    if result.limits:
        typer.echo(f"redline: incomplete: {result.limits[0]}", err=True)
