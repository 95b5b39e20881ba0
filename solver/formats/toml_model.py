"""Reader for Redline's TOML model files (``kind = "normal"``; trees live in ``tree_model``).

The file is data: ``tomllib`` reads it, every payoff string goes through the ``ast`` whitelist of
:mod:`solver.core.expr`, and every problem is reported as a :class:`~solver.core.errors.ModelError` naming
the file and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from solver.core.errors import ModelError
from solver.core.expr import parse
from solver.core.symbolic import Model
from solver.formats.limits import check_size, shorten
from solver.formats.toml_dynamics import parse_dynamics
from solver.formats.toml_sections import parse_header, parse_parameters, read_toml, section
from solver.formats.tree_model import parse_tree_model

__all__ = ["parse_model", "parse_players", "read_model", "read_toml"]

#: the tables of a strategic-form model file
TOP_KEYS = ("model", "parameters", "players", "payoffs", "dynamics", "ordering")  # [ordering]: formats.ordering

def read_model(path: str | Path) -> Model:
    """Read a model file; strategic-form models here, sequential ones via ``tree_model``."""
    data = read_toml(path)
    kind = (
        data.get("model", {}).get("kind", "normal")
        if isinstance(data.get("model"), dict)
        else "normal"
    )
    if kind == "sequential":
        return parse_tree_model(data, str(path))
    if kind == "bargaining":
        from solver.formats.bargaining_model import parse_bargaining_model

        return parse_bargaining_model(data, str(path))
    return parse_model(data, str(path))


def parse_players(
    data: Mapping[str, Any], src: str
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    table = section(data, "players", src)
    if not table:
        raise ModelError("no players", source=src, key="players")
    strategies = []
    for player, strats in table.items():
        key = f"players.{shorten(player, 60)}"
        if not player.strip() or not player.isprintable():
            raise ModelError("a player name must be printable and not blank", source=src, key=key)
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
        if not all(s.isprintable() for s in clean):
            raise ModelError("strategy names may not contain control characters", source=src, key=key)
        strategies.append(clean)
    return tuple(table), tuple(strategies)


def parse_model(data: Mapping[str, Any], src: str) -> Model:
    """Validate a parsed TOML document and build the symbolic game."""
    for k in data:
        if k not in TOP_KEYS:
            raise ModelError(
                f"unknown table (expected {', '.join(TOP_KEYS)})", source=src, key=shorten(k, 60)
            )
    head = parse_header(data, src)
    kind = head["kind"] or "normal"
    if kind != "normal":
        raise ModelError(
            f"unknown kind {kind!r} (expected normal, sequential or bargaining)", source=src, key="model.kind"
        )
    params = parse_parameters(data, src)
    players, strategies = parse_players(data, src)
    names = {p.name for p in params}
    table = section(data, "payoffs", src)
    shape = tuple(len(s) for s in strategies)
    check_size(shape, src, "players")  # before the payoff table is built
    payoffs = np.empty((len(players), *shape), dtype=object)
    seen: dict[tuple[int, ...], str] = {}
    places = [{label: k for k, label in enumerate(strats)} for strats in strategies]
    for raw_key, exprs in table.items():
        key = f'payoffs."{shorten(raw_key, 80)}"'
        labels = [s.strip() for s in raw_key.split(",")]
        if len(labels) != len(players):
            raise ModelError(
                f"expected {len(players)} strategy names ({', '.join(players)}), got {len(labels)}",
                source=src,
                key=key,
            )
        idx = []
        for player, label, strats, place in zip(players, labels, strategies, places, strict=True):
            if label not in place:
                raise ModelError(
                    f"{shorten(repr(label), 40)} is not a strategy of {player} ({shorten(', '.join(strats), 120)})",
                    source=src,
                    key=key,
                )
            idx.append(place[label])
        index = tuple(idx)
        if index in seen:
            raise ModelError(
                f'duplicate profile (also given as "{shorten(seen[index], 80)}")', source=src, key=key
            )
        seen[index] = raw_key
        if not isinstance(exprs, list) or len(exprs) != len(players):
            raise ModelError(
                f"expected a list of {len(players)} payoffs, one per player", source=src, key=key
            )
        for i, text in enumerate(exprs):
            payoffs[(i, *index)] = parse(text, names, source=src, key=f"{key}[{i}] ({players[i]})")
    if len(seen) != math.prod(shape):
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
        dynamics=parse_dynamics(data, src, params),
    )
