"""The TOML sections every model kind shares: the file itself, ``[model]`` and ``[parameters]``.

Strategic-form models (:mod:`.toml_model`) and game trees (:mod:`.tree_model`) both read these.
Every problem is a :class:`~solver.core.errors.ModelError` naming the file and the key.
"""

from __future__ import annotations

import keyword
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from solver.core.errors import ModelError
from solver.core.expr import FUNCTION_NAMES
from solver.core.game import to_fraction
from solver.core.symbolic import Parameter

PARAMETER_KEYS = {"value", "range", "doc", "cites", "unit", "distribution"}
MODEL_KEYS = {"name", "title", "kind", "source", "description"}


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file into a dict, turning every failure into one ModelError line."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ModelError("no such file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"cannot read file: {exc}", source=str(path)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"invalid TOML: {exc}", source=str(path)) from None


def section(data: Mapping[str, Any], key: str, src: str) -> dict[str, Any]:
    if key not in data:
        raise ModelError(f"missing [{key}] table", source=src, key=key)
    value = data[key]
    if not isinstance(value, dict):
        raise ModelError(f"[{key}] must be a table", source=src, key=key)
    return value


def number(x: Any, src: str, key: str) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ModelError(f"expected a number, got {x!r}", source=src, key=key)
    if x != x or x in (float("inf"), float("-inf")):
        raise ModelError("expected a finite number", source=src, key=key)
    return to_fraction(x)


def parse_header(data: Mapping[str, Any], src: str) -> dict[str, str]:
    head = section(data, "model", src)
    for k in head:
        if k not in MODEL_KEYS:
            raise ModelError(
                f"unknown key (expected one of {', '.join(sorted(MODEL_KEYS))})",
                source=src,
                key=f"model.{k}",
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
        key = f"parameters.{name}"
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
        dist = spec.get("distribution", {})
        if not isinstance(dist, dict):
            raise ModelError("distribution must be a table", source=src, key=f"{key}.distribution")
        unit = spec.get("unit", "")
        params.append(Parameter(name, value, low, high, doc.strip(), tuple(cites), str(unit), dist))
    return tuple(params)
