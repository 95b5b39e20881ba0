"""Reader for Redline's TOML model files (``kind = "normal"``; trees live in ``tree_model``).

The file is data: ``tomllib`` reads it, every payoff string goes through the ``ast`` whitelist of
:mod:`solver.expr`, and every problem is reported as a :class:`~solver.errors.ModelError` naming
the file and the key.
"""

from __future__ import annotations

import keyword
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..expr import FUNCTION_NAMES, parse
from ..game import to_fraction
from ..symbolic import Model, Parameter

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


def read_model(path: str | Path) -> Model:
    """Read a model file; strategic-form models here, sequential ones via ``tree_model``."""
    data = read_toml(path)
    kind = (
        data.get("model", {}).get("kind", "normal")
        if isinstance(data.get("model"), dict)
        else "normal"
    )
    if kind == "sequential":
        from .tree_model import parse_tree_model

        return parse_tree_model(data, str(path))
    return parse_model(data, str(path))


def _table(data: Mapping[str, Any], key: str, src: str) -> dict[str, Any]:
    if key not in data:
        raise ModelError(f"missing [{key}] table", source=src, key=key)
    value = data[key]
    if not isinstance(value, dict):
        raise ModelError(f"[{key}] must be a table", source=src, key=key)
    return value


def _number(x: Any, src: str, key: str) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise ModelError(f"expected a number, got {x!r}", source=src, key=key)
    if x != x or x in (float("inf"), float("-inf")):
        raise ModelError("expected a finite number", source=src, key=key)
    return to_fraction(x)


def parse_header(data: Mapping[str, Any], src: str) -> dict[str, str]:
    head = _table(data, "model", src)
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
        value = _number(spec["value"], src, f"{key}.value")
        rng = spec["range"]
        if not isinstance(rng, list) or len(rng) != 2:
            raise ModelError("range must be [low, high]", source=src, key=f"{key}.range")
        low, high = (_number(r, src, f"{key}.range") for r in rng)
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


def parse_players(
    data: Mapping[str, Any], src: str
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    table = _table(data, "players", src)
    if not table:
        raise ModelError("no players", source=src, key="players")
    strategies = []
    for player, strats in table.items():
        key = f"players.{player}"
        if (
            not isinstance(strats, list)
            or not strats
            or not all(isinstance(s, str) and s.strip() for s in strats)
        ):
            raise ModelError("expected a non-empty list of strategy names", source=src, key=key)
        clean = tuple(s.strip() for s in strats)
        if len(set(clean)) != len(clean):
            raise ModelError("duplicate strategy name", source=src, key=key)
        if any("," in s for s in clean):
            raise ModelError("strategy names may not contain commas", source=src, key=key)
        strategies.append(clean)
    return tuple(table), tuple(strategies)


def parse_model(data: Mapping[str, Any], src: str) -> Model:
    """Validate a parsed TOML document and build the symbolic game."""
    head = parse_header(data, src)
    kind = head["kind"] or "normal"
    if kind != "normal":
        raise ModelError(
            f"unknown kind {kind!r} (expected normal or sequential)", source=src, key="model.kind"
        )
    params = parse_parameters(data, src)
    players, strategies = parse_players(data, src)
    names = {p.name for p in params}
    table = _table(data, "payoffs", src)
    shape = tuple(len(s) for s in strategies)
    payoffs = np.empty((len(players), *shape), dtype=object)
    seen: dict[tuple[int, ...], str] = {}
    for raw_key, exprs in table.items():
        key = f'payoffs."{raw_key}"'
        labels = [s.strip() for s in raw_key.split(",")]
        if len(labels) != len(players):
            raise ModelError(
                f"expected {len(players)} strategy names ({', '.join(players)}), got {len(labels)}",
                source=src,
                key=key,
            )
        idx = []
        for player, label, strats in zip(players, labels, strategies, strict=True):
            if label not in strats:
                raise ModelError(
                    f"{label!r} is not a strategy of {player} ({', '.join(strats)})",
                    source=src,
                    key=key,
                )
            idx.append(strats.index(label))
        index = tuple(idx)
        if index in seen:
            raise ModelError(
                f'duplicate profile (also given as "{seen[index]}")', source=src, key=key
            )
        seen[index] = raw_key
        if not isinstance(exprs, list) or len(exprs) != len(players):
            raise ModelError(
                f"expected a list of {len(players)} payoffs, one per player", source=src, key=key
            )
        for i, text in enumerate(exprs):
            payoffs[(i, *index)] = parse(text, names, source=src, key=f"{key}[{i}] ({players[i]})")
    if len(seen) != int(np.prod(shape)):
        for index in np.ndindex(*shape):
            if index not in seen:
                missing = ", ".join(s[k] for s, k in zip(strategies, index, strict=True))
                raise ModelError(f'missing profile "{missing}"', source=src, key="payoffs")
    return Model(
        head["name"],
        head["title"] or head["name"],
        kind,
        head["source"],
        head["description"].strip(),
        params,
        players,
        strategies,
        payoffs,
        src,
    )
