"""What the explorer's JSON endpoints accept: a request body parsed as data (``json.loads``, never
``eval``), each parameter value checked before any work, and the slider of each parameter.

A bad body is a :class:`BadRequest` (HTTP 400) whose message is one line: malformed JSON, an
unknown parameter, a value that is not a finite number (``NaN``, ``Infinity``, ``true``, a
string that is not a decimal or ``p/q``) or lies outside the declared range.

>>> from solver.formats import load
>>> m = load("syria_deconfliction")
>>> values_of(m, parse_body(b'{"values": {"iran_cost": 2.5}}'))["iran_cost"]
Fraction(5, 2)
>>> try:
...     values_of(m, parse_body(b'{"values": {"iran_cost": NaN}}'))
... except BadRequest as exc:
...     print(exc)
malformed JSON: NaN is not a number
>>> slider(m.parameter("iran_cost"))["step"]
0.1
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from typing import Any

from solver.core.errors import RedlineError
from solver.core.symbolic import Model, Parameter
from solver.render.layout import given

#: the largest request body read (a body of every parameter of a large model is a few kB)
MAX_BODY = 64 * 1024
#: slider positions per declared range, about (the step is rounded to 1, 2 or 5 times a power of 10)
SLIDER_STEPS = 200


class BadRequest(Exception):
    """A request the explorer refuses with HTTP 400 and this one-line message."""


def _constant(name: str) -> Any:
    raise BadRequest(f"malformed JSON: {name} is not a number")


def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body (``{}`` when empty); ``NaN``/``Infinity`` refused."""
    if len(raw) > MAX_BODY:
        raise BadRequest(f"request body of {len(raw):,} bytes, more than the limit of {MAX_BODY:,}")
    if not raw.strip():
        return {}
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BadRequest(f"malformed JSON: {one_line(str(exc))}") from None
    if not isinstance(doc, dict):
        raise BadRequest(f"malformed request: expected a JSON object, got {type(doc).__name__}")
    return doc


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line, clipped to ``limit`` characters.

    >>> one_line("a\\nb")
    'a b'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _clip(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


def _number(name: str, value: Any) -> Any:
    """A JSON number, or a string naming one ("2/3"): booleans, nulls, lists are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadRequest(f"value {_clip(value)} for {name} is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadRequest(f"value {_clip(value)} for {name} is not a finite number")
    if isinstance(value, str) and value.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise BadRequest(f"value {_clip(value)} for {name} is not a finite number")
    return value


def overrides_of(model: Model, doc: dict[str, Any]) -> dict[str, Any]:
    """The ``values`` object of a request body, checked: known names, numbers in range."""
    raw = doc.get("values", {})
    if not isinstance(raw, dict):
        raise BadRequest(f"malformed request: 'values' must be an object of numbers, got {type(raw).__name__}")
    known = {p.name for p in model.parameters}
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in known:
            raise BadRequest(f"unknown parameter {_clip(name)} (expected one of {', '.join(sorted(known))})")
        out[name] = _number(name, value)
    try:
        model.values(out)
    except RedlineError as exc:
        raise BadRequest(one_line(exc.message)) from None
    return out


def values_of(model: Model, doc: dict[str, Any]) -> dict[str, Fraction]:
    """Every parameter's exact value: the model's defaults with the body's ``values`` applied."""
    return model.values(overrides_of(model, doc))


def parameter_of(model: Model, doc: dict[str, Any], key: str) -> str:
    """The parameter named by ``doc[key]``, which must be one of the model's."""
    name = doc.get(key)
    if not isinstance(name, str) or name not in {p.name for p in model.parameters}:
        raise BadRequest(f"'{key}' must name a parameter of {model.name}, got {_clip(name)}")
    return name


def nice_step(span: Fraction, steps: int = SLIDER_STEPS) -> Fraction:
    """The largest of 1, 2 or 5 times a power of ten at most ``span / steps`` (exact).

    >>> nice_step(Fraction(20)), nice_step(Fraction(1)), nice_step(Fraction(7, 10))
    (Fraction(1, 10), Fraction(1, 200), Fraction(1, 500))
    """
    if span <= 0:
        return Fraction(1)
    target = span / steps
    power = Fraction(10) ** math.floor(math.log10(target))
    while power * 10 <= target:  # log10 of a fraction may round down one decade too far
        power *= 10
    return max(k * power for k in (1, 2, 5) if k * power <= target)


def slider(p: Parameter, value: Fraction | None = None) -> dict[str, Any]:
    """One parameter's slider: its range, step, value (as numbers and as typed), doc and unit."""
    step = nice_step(p.high - p.low)
    v = p.value if value is None else value
    return {
        "name": p.name,
        "low": float(p.low),
        "high": float(p.high),
        "step": float(step),
        "decimals": max(0, -math.floor(math.log10(step))),
        "value": float(v),
        "value_text": given(v),
        "doc": p.doc,
        "unit": p.unit,
        "cites": list(p.cites),
    }
