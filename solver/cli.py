"""The ``redline`` command line: each command is parse -> call the library -> render.

stdout carries results (one JSON document with ``--format json``); diagnostics go to stderr as
one line; bad input exits 1, usage errors 2.  Heavy modules (sympy, solvers) load lazily so that
``redline --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer

from .errors import RedlineError, UsageError

app = typer.Typer(
    name="redline",
    help="Game-theoretic red-line solver: every equilibrium, sweeps, thresholds, sensitivity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: importing rich costs ~0.25 s at every start
)

F = TypeVar("F", bound=Callable[..., Any])


class Format(str, Enum):
    table = "table"
    json = "json"


ModelArg = Annotated[
    str | None,
    typer.Argument(
        help="A shipped model's name, a .toml model file, or a Gambit .nfg/.efg file.",
        show_default="syria_deconfliction",
    ),
]
SetOpt = Annotated[
    list[str] | None, typer.Option("--set", help="Override a parameter: name=value (repeatable).")
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"redline: {message}", err=True)
    raise typer.Exit(code)


def guarded(fn: F) -> F:
    """Turn library errors into one line on stderr and the documented exit codes."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            fail(str(exc), 2)
        except RedlineError as exc:
            fail(str(exc), 1)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        return None

    return wrapper  # type: ignore[return-value]


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``["a=1", "b=2/3"]`` -> ``{"a": "1", "b": "2/3"}`` (values are checked by the model)."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"--set expects name=value, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def emit_json(doc: Any) -> None:
    typer.echo(json.dumps(doc, indent=2, allow_nan=False))


def load_with_sets(model_spec: str | None, sets: list[str] | None) -> tuple[Any, dict[str, str]]:
    """(model, overrides) for a MODEL argument and its --set options (unknown names refused)."""
    from .formats import load

    model = load(model_spec)
    overrides = parse_sets(sets)
    for name in overrides:
        model.parameter(name)
    return model, overrides


def load_point(model_spec: str | None, sets: list[str] | None) -> tuple[Any, Any, Any]:
    """(model, values, game) for a MODEL argument and its --set overrides."""
    from .symbolic import evaluate

    model, overrides = load_with_sets(model_spec, sets)
    return model, model.values(overrides), evaluate(model, overrides)


@app.command()
@guarded
def solve(
    model: ModelArg = None,
    set_: SetOpt = None,
    exact: Annotated[
        bool, typer.Option("--exact", help="Exact rational arithmetic; probabilities as fractions.")
    ] = False,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="auto, pure, vertex, support, polynomial, nashpy-vertex, nashpy-support, nashpy-lh",
        ),
    ] = "auto",
    format: FormatOpt = Format.table,
) -> None:
    """Every Nash equilibrium of MODEL, each verified by its regret."""
    from . import render
    from .equilibria import solve as solve_game

    m, values, game = load_point(model, set_)
    if getattr(m, "tree", None) is not None:
        from .equilibria.sequential import solve_tree

        result = solve_tree(m, values, exact=exact or None)
    else:
        result = solve_game(game, method=method, exact=True if exact else None)
    if format is Format.json:
        emit_json(render.result_dict(result, m, values))
    else:
        typer.echo(render.result_text(result, m, values, fractions=exact))


@app.command()
@guarded
def show(model: ModelArg = None, set_: SetOpt = None, format: FormatOpt = Format.table) -> None:
    """Players, strategies, parameters and the payoff table (formulas and numbers)."""
    from . import render

    m, values, game = load_point(model, set_)
    doc = render.model_dict(m, values, game.payoffs)
    if format is Format.json:
        emit_json(doc)
    else:
        typer.echo(render.model_text(doc))


@app.command()
@guarded
def models(format: FormatOpt = Format.table) -> None:
    """List the models shipped with Redline."""
    from . import render
    from .formats import shipped_models
    from .formats.toml_model import read_toml

    rows = []
    for name, path in shipped_models().items():
        head = read_toml(path).get("model", {})
        rows.append(
            {"name": name, "title": head.get("title", ""), "kind": head.get("kind", "normal")}
        )
    if format is Format.json:
        emit_json({"models": rows})
    else:
        typer.echo(
            render.table(
                [[r["name"], r["kind"], r["title"]] for r in rows], ["model", "kind", "title"]
            )
        )


def main() -> None:
    """Console entry point."""
    try:
        app()
    except BrokenPipeError:  # e.g. `redline solve | head`
        sys.stderr.close()


# feature commands live in their own modules and register themselves on `app`
from . import (
    cli_analysis,  # noqa: F401
    cli_risk,  # noqa: F401
    cli_sweep,  # noqa: F401
    cli_tree,  # noqa: F401
)
