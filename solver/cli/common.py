"""What every command shares: argument types, loading MODEL with --set, one-line errors.

stdout carries results (one JSON document with ``--format json``); diagnostics go to stderr as
one line; bad input exits 1, usage errors 2.  Heavy modules (sympy, solvers) load lazily so that
``redline --help`` starts fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer

from solver.core.errors import RedlineError, UsageError

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


def one_line(message: str) -> str:
    """``message`` with control characters escaped (a file name may hold a newline): an error is
    always exactly one line.

    >>> one_line("bad\\nname.toml: no such file")
    'bad\\\\nname.toml: no such file'
    """
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"redline: {one_line(message)}", err=True)
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
            raise UsageError(f"--set expects name=value, got {_clip(item)}")
        if name.strip() in out:
            twice = f"{_clip(out[name.strip()])} and {_clip(value.strip())}"
            raise UsageError(f"--set {name.strip()} given twice ({twice})")
        out[name.strip()] = value.strip()
    return out


def _clip(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def seconds(value: float, option: str = "--timeout", *, zero: bool = True) -> float:
    """A time limit from the command line, refused unless a number >= 0 (> 0 when ``zero`` is
    false); ``nan`` would otherwise pass every comparison as "no time left"."""
    if not value >= (0 if zero else 1e-3) or value != value:
        least = "0 (0: no limit)" if zero else "0.001"
        raise UsageError(f"{option} must be a number of seconds of at least {least}, got {value:g}")
    return value


def emit_text(text: str) -> None:
    """A text result on stdout, every line fitted to the terminal (100 columns without one)."""
    from solver.render.layout import fit

    typer.echo(fit(text))


def emit_json(doc: Any) -> None:
    typer.echo(json.dumps(doc, indent=2, allow_nan=False))


def load_with_sets(
    model_spec: str | None, sets: list[str] | None, *, bargaining: bool = False
) -> tuple[Any, dict[str, str]]:
    """(model, overrides) for a MODEL argument and its --set options (unknown names refused)."""
    model = load_model(model_spec, bargaining=bargaining)
    show_notes(model)
    overrides = parse_sets(sets)
    for name in overrides:
        model.parameter(name)
    return model, overrides


def load_model(model_spec: str | None, *, bargaining: bool = False) -> Any:
    """The model of a MODEL argument, then frozen for the garbage collector (``gc.freeze``): a
    command is one short process, and a loaded tree of 10^6 nodes would otherwise be walked by
    every later full collection (while sympy imports, while solving).  A continuous bargaining
    model (``kind = "bargaining"``) is refused unless the command handles it (``bargaining``)."""
    import gc

    from solver.core.errors import ModelError
    from solver.formats import load

    model = load(model_spec)
    if model.kind == "bargaining" and not bargaining:
        raise ModelError(
            'kind "bargaining" (a continuous offer) is solved by `redline solve` only',
            source=model.path,
            key="model.kind",
        )
    gc.freeze()
    return model


def show_notes(model: Any, limit: int = 5) -> None:
    """The model's notes (e.g. unnamed labels a Gambit file got names for), one line each on stderr."""
    notes = getattr(model, "notes", ())
    for note in notes[:limit]:
        typer.echo(f"redline: {note}", err=True)
    if len(notes) > limit:
        typer.echo(f"redline: {model.path}: {len(notes) - limit} more labels renamed", err=True)


def load_point(model_spec: str | None, sets: list[str] | None) -> tuple[Any, Any, Any]:
    """(model, values, game) for a MODEL argument and its --set overrides."""
    from solver.core.symbolic import evaluate

    model, overrides = load_with_sets(model_spec, sets)
    return model, model.values(overrides), evaluate(model, overrides)
