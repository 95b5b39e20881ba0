"""Reader for ``kind = "sequential"`` TOML models: game trees with named nodes.

Shape of the file (every node a table under ``[nodes]``, keyed by its name)::

    [tree]
    players = ["Iran", "Israel", "Russia"]
    root = "iran"                       # optional: defaults to the first node

    [nodes.iran]
    player = "Iran"
    actions = { Restrain = "israel_r", Entrench = "israel_e" }   # action -> next node

    [nodes.israel_e]
    player = "Israel"
    infoset = "israel_after_entrench"   # optional: nodes sharing it are indistinguishable
    actions = { Tolerate = "russia_et", Strike = "russia_es" }

    [nodes.nature]
    chance = { Resolute = ["p_resolute", "iran_r"], Irresolute = ["1 - p_resolute", "iran_i"] }

    [nodes.russia_es]
    player = "Russia"
    actions = { Acquiesce = [ "...", "...", "..." ], Confront = "war" }  # a list: a leaf

    [nodes.war]
    payoffs = { Iran = "0", Israel = "-conflict_cost_israel", Russia = "-conflict_cost_russia" }

Payoffs are a list in player order or a table by player name; every expression goes through
:func:`solver.core.expr.parse` (no ``eval``).  The :class:`~solver.core.symbolic.Model` returned carries the
tree *and* its reduced normal form, so strategic-form tools apply unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from solver.core.errors import ModelError
from solver.core.expr import parse
from solver.core.symbolic import Model
from solver.core.tree import Spec, from_named
from solver.formats.limits import MAX_PLAYERS
from solver.formats.toml_sections import parse_header, parse_parameters

NODE_KEYS = {"player", "actions", "infoset", "chance", "payoffs", "doc"}
TOP_KEYS = {"model", "parameters", "tree", "nodes", "ordering"}  # [ordering]: formats.ordering
TREE_KEYS = {"players", "root"}


def parse_tree_model(data: Mapping[str, Any], src: str) -> Model:
    """Validate a parsed TOML document of a sequential model and build the symbolic tree."""
    for k in data:
        if k not in TOP_KEYS:
            raise ModelError(
                f"unknown table (expected {', '.join(sorted(TOP_KEYS))})", source=src, key=k
            )
    head = parse_header(data, src)
    params = parse_parameters(data, src)
    names = {p.name for p in params}
    tree_table = data.get("tree", {})
    if not isinstance(tree_table, dict):
        raise ModelError("[tree] must be a table", source=src, key="tree")
    for key in tree_table:
        if key not in TREE_KEYS:
            raise ModelError(f"unknown key (expected {', '.join(sorted(TREE_KEYS))})", source=src, key=f"tree.{key}")
    players = tree_table.get("players")
    if (
        not isinstance(players, list)
        or not players
        or not all(isinstance(p, str) and p.strip() for p in players)
    ):
        raise ModelError('expected players = ["A", "B", ...]', source=src, key="tree.players")
    if len(set(players)) != len(players):
        raise ModelError("duplicate player name", source=src, key="tree.players")
    if len(players) > MAX_PLAYERS:
        raise ModelError(
            f"the game has {len(players)} players, more than the limit of {MAX_PLAYERS}", source=src, key="tree.players"
        )
    nodes = data.get("nodes")
    if not isinstance(nodes, dict) or not nodes:
        raise ModelError("missing [nodes] tables", source=src, key="nodes")
    root = tree_table.get("root", next(iter(nodes)))
    if not isinstance(root, str):
        raise ModelError("root must be a node name", source=src, key="tree.root")
    specs: dict[str, Spec] = {}
    for name, table in nodes.items():
        _node(name, table, players, names, src, specs, nodes)
    tree = from_named(
        players,
        root,
        specs,
        title=head["title"] or head["name"],
        source=src,
        symbolic=True,
        parameters=params,
    )
    from solver.core.treeform import normal_form

    try:
        nf = normal_form(tree)
        strategies, payoffs = nf.strategies, np.asarray(nf.payoffs, dtype=object)
    except ModelError:  # too large to tabulate (refused before building): tree methods apply
        n = len(players)
        strategies, payoffs = tuple(() for _ in range(n)), np.empty((n,) + (0,) * n, dtype=object)
    return Model(
        head["name"],
        head["title"] or head["name"],
        "sequential",
        head["source"],
        head["description"].strip(),
        params,
        tuple(players),
        strategies,
        payoffs,
        src,
        tree,
    )


def _node(
    name: str,
    table: Any,
    players: list[str],
    names: set[str],
    src: str,
    specs: dict[str, Spec],
    explicit: Mapping[str, Any],
) -> None:
    key = f"nodes.{name}"
    if not isinstance(table, dict):
        raise ModelError("a node must be a table", source=src, key=key)
    for k in table:
        if k not in NODE_KEYS:
            raise ModelError(
                f"unknown key {k!r} (expected {', '.join(sorted(NODE_KEYS))})", source=src, key=key
            )
    kinds = [k for k in ("actions", "chance", "payoffs") if k in table]
    if len(kinds) != 1:
        raise ModelError(
            "a node has exactly one of actions (decision), chance, payoffs (leaf)",
            source=src,
            key=key,
        )
    if "payoffs" in table:
        if "player" in table or "infoset" in table:
            raise ModelError("a leaf has no player or infoset", source=src, key=key)
        specs[name] = Spec(None, payoffs=_payoffs(table["payoffs"], players, names, src, key))
        return
    branches = table[kinds[0]]
    if not isinstance(branches, dict) or not branches:
        raise ModelError(
            f"{kinds[0]} must be a non-empty table", source=src, key=f"{key}.{kinds[0]}"
        )
    targets, probs = [], []
    for action, target in branches.items():
        akey = f"{key}.{kinds[0]}.{action}"
        if "chance" in table:
            if not isinstance(target, list) or len(target) != 2:
                raise ModelError("expected [probability, next node]", source=src, key=akey)
            probs.append(parse(target[0], names, source=src, key=akey))
            target = target[1]
        if isinstance(target, list | dict):
            leaf_name = f"{name}.{action}"
            if leaf_name in specs or leaf_name in targets or leaf_name in explicit:
                raise ModelError(
                    f"the inline leaf of action {action!r} would be named {leaf_name!r}, which "
                    f'collides with the node [nodes."{leaf_name}"]',
                    source=src,
                    key=akey,
                )
            specs[leaf_name] = Spec(None, payoffs=_payoffs(target, players, names, src, akey))
            target = leaf_name
        if not isinstance(target, str) or not target:
            raise ModelError(
                "expected the name of the next node, or a payoff list for a leaf",
                source=src,
                key=akey,
            )
        targets.append(target)
    if "chance" in table:
        if "player" in table or "infoset" in table:
            raise ModelError("a chance node has no player or infoset", source=src, key=key)
        specs[name] = Spec(None, tuple(branches), tuple(targets), tuple(probs))
        return
    player = table.get("player")
    if player not in players:
        raise ModelError(
            f"unknown player {player!r} (players: {', '.join(players)})",
            source=src,
            key=f"{key}.player",
        )
    infoset = table.get("infoset", "")
    if not isinstance(infoset, str):
        raise ModelError("infoset must be a string", source=src, key=f"{key}.infoset")
    specs[name] = Spec(player, tuple(branches), tuple(targets), infoset=infoset)


def _payoffs(raw: Any, players: list[str], names: set[str], src: str, key: str) -> tuple[Any, ...]:
    if isinstance(raw, dict):
        unknown = [p for p in raw if p not in players]
        missing = [p for p in players if p not in raw]
        if unknown or missing:
            what = (
                f"unknown player {unknown[0]!r}" if unknown else f"missing payoff for {missing[0]}"
            )
            raise ModelError(what, source=src, key=key)
        raw = [raw[p] for p in players]
    if not isinstance(raw, list) or len(raw) != len(players):
        raise ModelError(
            f"expected {len(players)} payoffs ({', '.join(players)})", source=src, key=key
        )
    return tuple(
        parse(text, names, source=src, key=f"{key}[{i}] ({players[i]})")
        for i, text in enumerate(raw)
    )
