"""Reader for a model file's ``[ordering]`` table: ordinal payoff constraints, data only.

A source that supports payoff *orderings* but not numbers states them per player, as chains of
outcome labels joined by ``<`` (worse to better) or ``=`` (indifferent)::

    [ordering]
    status_quo = "Tolerate, Acquiesce"
    Israel = ["Strike, Confront < Strike, Acquiesce", "Tolerate, Confront < Tolerate, Acquiesce"]
    Iran = ["Restrain, Tolerate, Acquiesce = Restrain, Strike, Confront"]

An outcome label is a strategic-form profile as the ``[payoffs]`` keys write it, or a tree's leaf
by its moves (``Entrench, Strike, Confront``) or its node name.  Which labels exist, and whether
the chains are consistent, is judged where the outcomes are known
(:mod:`solver.analysis.robust_orders`); this module only reads the table, and every problem of
shape is one :class:`~solver.core.errors.ModelError` naming the file and the key.

>>> spec = parse_ordering({"status_quo": "A, B", "Row": ["A, B < C, D = C, E"]}, ("Row", "Col"), "m.toml")
>>> spec.status_quo, spec.chains["Row"][0].labels, spec.chains["Row"][0].relations
('A, B', ('A, B', 'C, D', 'C, E'), ('<', '='))
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from solver.core.errors import ModelError
from solver.formats.limits import shorten

#: the keys of ``[ordering]`` besides the player names
ORDERING_KEYS = ("status_quo",)
#: at most this many chains per player (a model states orderings, not data)
MAX_CHAINS = 200
_SPLIT = re.compile(r"\s*(<|=)\s*")


@dataclass(frozen=True)
class Chain:
    """One constraint string: ``labels[0] relations[0] labels[1] ...``; ``key`` names it."""

    labels: tuple[str, ...]
    relations: tuple[str, ...]
    key: str


@dataclass(frozen=True)
class OrderingSpec:
    """The ``[ordering]`` table of a model file: chains per player, the status quo (or None)."""

    chains: Mapping[str, tuple[Chain, ...]] = field(default_factory=dict)
    status_quo: str | None = None
    source: str = ""


def read_ordering(path: str, players: Sequence[str]) -> OrderingSpec:
    """The ``[ordering]`` table of the model file at ``path``; a ModelError if it has none."""
    from solver.formats.toml_sections import read_toml

    if not path or not path.lower().endswith(".toml"):
        raise ModelError(
            "ordinal robustness reads an [ordering] table, which only a .toml model file has",
            source=path or "model",
        )
    data = read_toml(path)
    if "ordering" not in data:
        raise ModelError(
            "no [ordering] table: state each player's payoff orderings over outcomes "
            '(e.g. Israel = ["Strike, Confront < Tolerate, Acquiesce"])',
            source=path,
            key="ordering",
        )
    return parse_ordering(data["ordering"], players, path)


def parse_ordering(table: Any, players: Sequence[str], src: str) -> OrderingSpec:
    """Check the shape of an ``[ordering]`` table (see the module docstring)."""
    if not isinstance(table, dict):
        raise ModelError("[ordering] must be a table", source=src, key="ordering")
    chains: dict[str, tuple[Chain, ...]] = {}
    status_quo = None
    for name, value in table.items():
        key = f"ordering.{shorten(str(name), 60)}"
        if name == "status_quo":
            if not isinstance(value, str) or not value.strip():
                raise ModelError("status_quo must be an outcome label (a string)", source=src, key=key)
            status_quo = value.strip()
            continue
        if name not in players:
            raise ModelError(
                f"unknown player {shorten(repr(name), 40)} (players: {', '.join(players)}; "
                f"other keys: {', '.join(ORDERING_KEYS)})",
                source=src,
                key=key,
            )
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise ModelError('expected a list of strings such as "A < B"', source=src, key=key)
        if len(value) > MAX_CHAINS:
            raise ModelError(f"more than {MAX_CHAINS} constraints", source=src, key=key)
        chains[name] = tuple(_chain(text, f"{key}[{k}]", src) for k, text in enumerate(value))
    if not chains:
        raise ModelError("no player's ordering is stated", source=src, key="ordering")
    return OrderingSpec(chains, status_quo, src)


def _chain(text: str, key: str, src: str) -> Chain:
    parts = _SPLIT.split(text.strip())
    labels = tuple(p.strip() for p in parts[::2])
    relations = tuple(parts[1::2])
    if len(labels) < 2 or any(not label for label in labels):
        raise ModelError(
            f'expected outcome labels joined by "<" or "=" (got {shorten(repr(text), 60)})',
            source=src,
            key=key,
        )
    return Chain(labels, relations, key)
