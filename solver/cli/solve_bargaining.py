"""``redline solve`` on a continuous bargaining model (``kind = "bargaining"``): the optimal offer,
the probability of war and the expected payoffs, with the closed form they come from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer

from solver.cli.common import Format, emit_json, emit_text, seconds
from solver.cli.progress import bounded, finish


def solve_bargaining_command(
    m: Any,
    overrides: Mapping[str, str],
    *,
    exact: bool,
    method: str,
    format: Format,
    force: bool,
    timeout: float,
) -> None:
    """Solve and print (called by :func:`solver.cli.solve.solve` for this kind)."""
    from solver.core.errors import RangeError, UsageError
    from solver.equilibria.bargaining import solve_bargaining
    from solver.render.bargaining import bargaining_dict, bargaining_text

    if method != "auto":
        raise UsageError(
            f"--method {method} applies to strategic-form games; {m.name} is a continuous offer, "
            "solved in closed form (leave --method out)"
        )
    try:
        m.values(overrides)
    except RangeError as exc:
        if not force:
            raise RangeError(f"{exc.message} (use --force to solve there anyway)", source=exc.source) from None
        typer.echo(f"redline: warning: {exc.message}", err=True)
    with bounded(seconds(timeout)) as budget:
        result = solve_bargaining(m, overrides, check_range=not force)
    if format is Format.json:
        emit_json(bargaining_dict(result, m))
    else:
        emit_text(bargaining_text(result, m, fractions=exact))
    finish(budget)
