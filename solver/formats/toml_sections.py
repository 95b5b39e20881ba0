"""The TOML sections every model kind shares: the file itself, ``[model]`` and ``[parameters]``.

Strategic-form models (:mod:`.toml_model`) and game trees (:mod:`.tree_model`) both read these.
Every problem is a :class:`~solver.core.errors.ModelError` naming the file and the key.
"""

from __future__ import annotations

import keyword
import math
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from solver.core.errors import ModelError
from solver.core.expr import FUNCTION_NAMES
from solver.core.game import to_fraction
from solver.core.symbolic import Parameter
from solver.formats.limits import MAGNITUDE_RULE, out_of_range, read_bytes, shorten

PARAMETER_KEYS = {"value", "range", "doc", "cites", "unit", "distribution"}
MODEL_KEYS = {"name", "title", "kind", "source", "description"}
#: the keys each distribution kind takes (what :mod:`solver.analysis.uncertainty` draws from)
DISTRIBUTION_KEYS = {
    "uniform": {"kind"},
    "fixed": {"kind"},
    "triangular": {"kind", "mode", "low", "high"},
    "normal": {"kind", "mean", "sd"},
}


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file into a dict, turning every failure into one ModelError line: not a
    regular file or too large (:func:`~.limits.read_bytes`), not UTF-8 (a BOM is
    allowed), not TOML, or nested too deeply for the parser."""
    source = str(path)
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ModelError(
            f"cannot read file: not UTF-8 text (byte 0x{data[exc.start]:02x}); a model file is UTF-8 TOML",
            source=source,
            key=f"line {line}",
        ) from None
    try:
        return tomllib.loads(text, parse_float=_float)
    except RecursionError:
        raise ModelError("invalid TOML: nested too deeply", source=source) from None
    except FloatError as exc:
        raise ModelError(f"invalid TOML: {exc}", source=source) from None
    except (tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
        # a ValueError that is not a TOMLDecodeError: an integer of more than 4300 digits
        why = str(exc) if isinstance(exc, tomllib.TOMLDecodeError) else f"a number is too long ({exc})"
        raise ModelError(f"invalid TOML: {shorten(why, 200)}", source=source) from None


class FloatError(ValueError):
    """A TOML float literal that no float holds (it would read as infinite or as zero)."""


def _float(literal: str) -> float:
    """A TOML float literal as a float, refusing one a float would change: ``1e400`` (not
    infinite) or ``1e-400`` (not zero).  ``inf`` and ``nan`` are left to the key's own check."""
    value = float(literal)
    mantissa = literal.lower().partition("e")[0]
    if math.isinf(value) and "inf" not in mantissa:
        raise FloatError(f"number {shorten(literal)} is out of range: {MAGNITUDE_RULE}")
    if value == 0.0 and any(c in "123456789" for c in mantissa):
        raise FloatError(f"number {shorten(literal)} is out of range: {MAGNITUDE_RULE}")
    return value


def section(data: Mapping[str, Any], key: str, src: str) -> dict[str, Any]:
    if key not in data:
        raise ModelError(f"missing [{key}] table", source=src, key=key)
    value = data[key]
    if not isinstance(value, dict):
        raise ModelError(f"[{key}] must be a table", source=src, key=key)
    return value


def number(x: Any, src: str, key: str) -> Fraction:
    """``x`` as an exact number: a finite TOML integer or float within the magnitude bound of
    :func:`~.limits.parse_number`."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ModelError(f"expected a number, got {shorten(repr(x), 60)}", source=src, key=key)
    if x != x or x in (float("inf"), float("-inf")):
        raise ModelError(f"expected a finite number, got {x}", source=src, key=key)
    value = to_fraction(x)
    if out_of_range(value):
        raise ModelError(f"{shorten(str(x))} is out of range: {MAGNITUDE_RULE}", source=src, key=key)
    return value


def text(x: Any, src: str, key: str, what: str = "a string") -> str:
    """``x`` if it is a string, else a ModelError naming ``key``."""
    if not isinstance(x, str):
        raise ModelError(f"expected {what}, got {shorten(repr(x), 60)}", source=src, key=key)
    return x


def parse_header(data: Mapping[str, Any], src: str) -> dict[str, str]:
    head = section(data, "model", src)
    for k in head:
        if k not in MODEL_KEYS:
            raise ModelError(
                f"unknown key (expected one of {', '.join(sorted(MODEL_KEYS))})",
                source=src,
                key=f"model.{shorten(k, 60)}",
            )
    out: dict[str, str] = {}
    for k in MODEL_KEYS:
        v = head.get(k, "")
        if not isinstance(v, str):
            raise ModelError("must be a string", source=src, key=f"model.{k}")
        out[k] = v
    if not out["name"]:
        raise ModelError("missing model name", source=src, key="model.name")
    return out


def parse_parameters(data: Mapping[str, Any], src: str) -> tuple[Parameter, ...]:
    table = data.get("parameters", {})
    if not isinstance(table, dict):
        raise ModelError("[parameters] must be a table", source=src, key="parameters")
    params = []
    for name, spec in table.items():
        key = f"parameters.{shorten(name, 60)}"
        if not name.isidentifier() or keyword.iskeyword(name) or name in FUNCTION_NAMES:
            raise ModelError(
                "parameter names must be identifiers (not keywords or function names)",
                source=src,
                key=key,
            )
        if not isinstance(spec, dict):
            raise ModelError(
                'expected { value = ..., range = [low, high], doc = "..." }', source=src, key=key
            )
        for k in spec:
            if k not in PARAMETER_KEYS:
                raise ModelError(
                    f"unknown key {k!r} (expected {', '.join(sorted(PARAMETER_KEYS))})",
                    source=src,
                    key=key,
                )
        for k in ("value", "range", "doc"):
            if k not in spec:
                raise ModelError(f"missing {k!r}", source=src, key=key)
        value = number(spec["value"], src, f"{key}.value")
        rng = spec["range"]
        if not isinstance(rng, list) or len(rng) != 2:
            raise ModelError("range must be [low, high]", source=src, key=f"{key}.range")
        low, high = (number(r, src, f"{key}.range") for r in rng)
        if low > high:
            raise ModelError(
                f"range [{rng[0]}, {rng[1]}] is reversed", source=src, key=f"{key}.range"
            )
        if not low <= value <= high:
            raise ModelError(
                f"value {spec['value']} is outside its range [{rng[0]}, {rng[1]}]",
                source=src,
                key=f"{key}.value",
            )
        doc = spec["doc"]
        if not isinstance(doc, str) or not doc.strip():
            raise ModelError("doc must be a non-empty string", source=src, key=f"{key}.doc")
        cites = spec.get("cites", [])
        if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
            raise ModelError("cites must be a list of claim ids", source=src, key=f"{key}.cites")
        dist = parse_distribution(spec.get("distribution", {}), value, low, high, src, f"{key}.distribution")
        unit = text(spec.get("unit", ""), src, f"{key}.unit")
        params.append(Parameter(name, value, low, high, doc.strip(), tuple(cites), unit, dist))
    return tuple(params)


def parse_distribution(
    dist: Any, value: Fraction, low: Fraction, high: Fraction, src: str, key: str
) -> dict[str, Any]:
    """A parameter's ``distribution`` table, checked as ``redline uncertainty`` will draw from
    it: a known kind with only its own keys, finite numbers, a triangular ``low <= mode <= high``
    (``low < high``) and a normal ``mean`` within the parameter's range [``low``, ``high``], a
    normal ``sd > 0``."""
    if not isinstance(dist, dict):
        raise ModelError("distribution must be a table", source=src, key=key)
    kind = dist.get("kind", "uniform")
    if not isinstance(kind, str) or kind not in DISTRIBUTION_KEYS:
        raise ModelError(
            f"unknown distribution kind {shorten(repr(kind), 40)} (expected {', '.join(DISTRIBUTION_KEYS)})",
            source=src,
            key=f"{key}.kind",
        )
    allowed = DISTRIBUTION_KEYS[kind]
    for k in dist:
        if k not in allowed:
            owners = [name for name, keys in DISTRIBUTION_KEYS.items() if k in keys]
            hint = f"; add kind = {owners[0]!r}" if "kind" not in dist and owners else ""
            raise ModelError(
                f"unknown key {k!r} for a {kind} distribution"
                f"{'' if 'kind' in dist else ' (the kind when none is given)'}"
                f" (expected {', '.join(sorted(allowed))}){hint}",
                source=src,
                key=f"{key}.{k}",
            )
    x = {k: number(v, src, f"{key}.{k}") for k, v in dist.items() if k != "kind"}
    span = f"the parameter's range [{low}, {high}]"
    if kind == "triangular":
        a, mode, b = x.get("low", low), x.get("mode", value), x.get("high", high)
        if not low <= a <= mode <= b <= high or a == b:
            raise ModelError(
                f"a triangular distribution needs low <= mode <= high, low < high, within {span} "
                f"(got low {a}, mode {mode}, high {b})",
                source=src,
                key=key,
            )
    elif kind == "normal":
        if "sd" not in x or x["sd"] <= 0:
            raise ModelError(
                f"a normal distribution needs sd > 0 (got {x.get('sd', 'none')})", source=src, key=f"{key}.sd"
            )
        if not low <= x.get("mean", value) <= high:
            raise ModelError(f"the mean must lie within {span}", source=src, key=f"{key}.mean")
    return dict(dist)
