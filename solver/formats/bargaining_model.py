"""Reader for ``kind = "bargaining"`` TOML models: a take-it-or-leave-it offer as a continuous
choice against a responder with one-dimensional private information (Fearon 1995, "Rationalist
explanations for war", International Organization 49(3), the risk-return trade-off).

Shape of the file::

    [bargaining]
    proposer = "A"
    responder = "B"
    offer = { name = "x", low = "0", high = "1", doc = "B's share of the good" }
    type = { name = "c_B", low = "c_lo", high = "c_hi", distribution = "uniform", doc = "..." }
    accept = { A = "1 - x", B = "x" }          # payoffs when the responder accepts
    war = { A = "1 - p - c_A", B = "p - c_B" } # payoffs when it rejects (war)

The offer and the type are symbols of their own (not parameters); the bounds are formulas of the
parameters.  Every expression goes through :func:`solver.core.expr.parse` (no ``eval``).  The
returned :class:`BargainingModel` is a :class:`~solver.core.symbolic.Model` whose ``bargaining``
field holds the :class:`BargainingSpec`; it has no payoff table, so only the bargaining solver
(:mod:`solver.equilibria.bargaining`) handles it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from solver.core.errors import ModelError
from solver.core.expr import parse
from solver.core.symbolic import Model
from solver.formats.limits import shorten
from solver.formats.toml_sections import parse_header, parse_parameters, text

TOP_KEYS = ("model", "parameters", "bargaining")
SPEC_KEYS = ("proposer", "responder", "offer", "type", "accept", "war")
OFFER_KEYS = ("name", "low", "high", "doc")
TYPE_KEYS = ("name", "low", "high", "distribution", "doc")
DISTRIBUTIONS = ("uniform",)


@dataclass(frozen=True)
class BargainingSpec:
    """One take-it-or-leave-it offer: sympy expressions over the parameters, the offer symbol
    and the responder's type symbol (payoff pairs in the order proposer, responder)."""

    proposer: str
    responder: str
    offer: str
    offer_low: Any
    offer_high: Any
    offer_doc: str
    type: str
    type_low: Any
    type_high: Any
    type_doc: str
    accept: tuple[Any, Any]
    war: tuple[Any, Any]
    distribution: str = "uniform"


@dataclass(frozen=True, eq=False)
class BargainingModel(Model):
    """A model of ``kind = "bargaining"``: its game is :attr:`bargaining`, not a payoff table."""

    bargaining: BargainingSpec | None = field(default=None)


def _table(data: Mapping[str, Any], key: str, src: str, keys: tuple[str, ...]) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict):
        raise ModelError("expected a table", source=src, key=f"bargaining.{key}")
    for k in table:
        if k not in keys:
            raise ModelError(
                f"unknown key (expected {', '.join(keys)})", source=src, key=f"bargaining.{key}.{shorten(k, 40)}"
            )
    return table


def _name(table: Mapping[str, Any], where: str, src: str, taken: set[str]) -> str:
    name = table.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        raise ModelError("expected a name (letters, digits, _)", source=src, key=f"{where}.name")
    if name in taken:
        raise ModelError(f"{name!r} is already a parameter or symbol", source=src, key=f"{where}.name")
    return name


def _pair(
    spec: Mapping[str, Any], key: str, players: tuple[str, str], names: set[str], src: str
) -> tuple[Any, Any]:
    table = spec.get(key)
    where = f"bargaining.{key}"
    if not isinstance(table, dict) or set(table) != set(players):
        raise ModelError(f"expected a table {{ {players[0]} = ..., {players[1]} = ... }}", source=src, key=where)
    return (
        parse(table[players[0]], names, source=src, key=f"{where}.{players[0]}"),
        parse(table[players[1]], names, source=src, key=f"{where}.{players[1]}"),
    )


def parse_bargaining_model(data: Mapping[str, Any], src: str) -> BargainingModel:
    """Validate a parsed TOML document of a bargaining model and build it."""
    for k in data:
        if k not in TOP_KEYS:
            raise ModelError(f"unknown table (expected {', '.join(TOP_KEYS)})", source=src, key=shorten(k, 60))
    head = parse_header(data, src)
    params = parse_parameters(data, src)
    names = {p.name for p in params}
    spec = data.get("bargaining")
    if not isinstance(spec, dict):
        raise ModelError("missing [bargaining] table", source=src, key="bargaining")
    for k in spec:
        if k not in SPEC_KEYS:
            raise ModelError(
                f"unknown key (expected {', '.join(SPEC_KEYS)})", source=src, key=f"bargaining.{shorten(k, 40)}"
            )
    proposer = text(spec.get("proposer"), src, "bargaining.proposer")
    responder = text(spec.get("responder"), src, "bargaining.responder")
    if not proposer.strip() or not responder.strip() or proposer == responder:
        raise ModelError("expected two different player names", source=src, key="bargaining.responder")
    players = (proposer, responder)
    offer = _table(spec, "offer", src, OFFER_KEYS)
    offer_name = _name(offer, "bargaining.offer", src, names)
    kind = _table(spec, "type", src, TYPE_KEYS)
    type_name = _name(kind, "bargaining.type", src, names | {offer_name})
    distribution = kind.get("distribution", "uniform")
    if distribution not in DISTRIBUTIONS:
        raise ModelError(
            f"unknown distribution {shorten(repr(distribution), 40)} (expected {', '.join(DISTRIBUTIONS)})",
            source=src,
            key="bargaining.type.distribution",
        )
    bounds = []
    for table, where in ((offer, "bargaining.offer"), (kind, "bargaining.type")):
        for end in ("low", "high"):
            if end not in table:
                raise ModelError(f"missing {end}", source=src, key=f"{where}.{end}")
            bounds.append(parse(table[end], names, source=src, key=f"{where}.{end}"))
    accept = _pair(spec, "accept", players, names | {offer_name}, src)
    war = _pair(spec, "war", players, names | {type_name}, src)
    game = BargainingSpec(
        proposer, responder, offer_name, bounds[0], bounds[1], _doc(offer), type_name,
        bounds[2], bounds[3], _doc(kind), accept, war, distribution,
    )
    strategies = ((f"offer {offer_name}",), ("Accept", "Fight"))
    payoffs = np.empty((2, 1, 2), dtype=object)
    for i in range(2):
        payoffs[i, 0, 0], payoffs[i, 0, 1] = accept[i], war[i]
    return BargainingModel(
        head["name"], head["title"] or head["name"], "bargaining", head["source"],
        head["description"].strip(), params, players, strategies, payoffs, src, bargaining=game,
    )


def _doc(table: Mapping[str, Any]) -> str:
    doc = table.get("doc", "")
    return doc if isinstance(doc, str) else ""

