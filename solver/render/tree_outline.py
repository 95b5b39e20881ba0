"""``redline show`` on a game tree: the tree as an indented outline (Kuhn 1953's extensive form,
drawn as text): who moves at each node, each move, chance probabilities, information sets of
several nodes marked, and the payoffs at the leaves.

>>> from solver.formats import load
>>> m = load("entry_deterrence")
>>> print("\\n".join(outline_lines(m.tree.at(m.values(None)), m.tree)))
Entrant (entrant)
  Out -> Entrant 1, Incumbent 5
  In -> Incumbent (incumbent)
    Fight -> Entrant 0, Incumbent 0
    Accommodate -> Entrant 2, Incumbent 2
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.errors import ModelError
from solver.core.result import exact_string
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.equilibria.trees.paths import model_leaf_name

#: the outline prints at most this many lines (a large tree: the rest are counted)
MAX_LINES = 400


def _num(x: Any) -> str:
    if isinstance(x, Fraction):
        return exact_string(x) if x.denominator <= 10_000 else f"{float(x):.6g}"
    return f"{float(x):.6g}"


def _node(tree: Tree, n: int) -> str:
    """``Israel (israel_entrench), information set "israel_after_entrench" of 2 nodes``."""
    node = tree.nodes[n]
    who = "chance" if node.is_chance else tree.players[node.player]
    text = f"{who} ({node.name})" if node.name.strip() else who
    info = tree.infosets[node.infoset]
    if not node.is_chance and len(info.members) > 1:
        text += f', information set "{info.label}" of {len(info.members)} nodes'
    return text


def _leaf(tree: Tree, n: int) -> str:
    node = tree.nodes[n]
    pays = ", ".join(f"{p} {_num(v)}" for p, v in zip(tree.players, node.payoffs, strict=True))
    name = model_leaf_name(tree, n)
    return f"{name}: {pays}" if name else pays


def _probability(numeric: Any, formula: Any) -> str:
    shown = _num(numeric)
    text = str(formula) if formula is not None else shown
    return f" ({shown})" if text == shown else f" ({text} = {shown})"


def outline_lines(tree: Tree, symbolic: Tree | None = None, *, limit: int = MAX_LINES) -> list[str]:
    """The outline of numeric ``tree``, one line per move; ``symbolic`` (the model's tree, same
    shape) gives chance probabilities their formulas."""
    nodes = tree.nodes
    if nodes[0].is_terminal:
        return [_leaf(tree, 0)]
    lines = [_node(tree, 0)]
    stack: list[tuple[int, int]] = [(c, 1) for c in reversed(nodes[0].children)]
    while stack:
        if len(lines) >= limit:
            rest = sum(tree.end(n) - n for n, _ in stack)
            lines.append(f"... {rest:,} more nodes not shown (redline show --format json lists them all)")
            break
        n, depth = stack.pop()
        p = tree.parent(n)
        k = nodes[p].children.index(n)
        move = tree.actions(p)[k]
        if nodes[p].is_chance:
            formula = symbolic.nodes[p].probs[k] if symbolic is not None and symbolic.symbolic else None
            move += _probability(nodes[p].probs[k], formula)
        target = _leaf(tree, n) if nodes[n].is_terminal else _node(tree, n)
        lines.append(f"{'  ' * depth}{move} -> {target}")
        stack.extend((c, depth + 1) for c in reversed(nodes[n].children))
    return lines


def tree_model_text(model: Model, values: Mapping[str, Any]) -> str:
    """The text of ``redline show`` on a tree model: title, parameters, players and the outline."""
    from solver.render.text import fmt, table

    tree = model.tree
    assert tree is not None
    lines = [f"{model.title}  [{model.name}]"]
    if model.source:
        lines.append(f"source: {model.source}")
    lines += ["", "players: " + ", ".join(tree.players)]
    if model.parameters:
        rows = [
            [p.name, fmt(values.get(p.name, p.value)), f"[{fmt(p.low)}, {fmt(p.high)}]", p.doc]
            for p in model.parameters
        ]
        lines += ["", table(rows, ["parameter", "value", "range", "meaning"])]
    try:
        numeric = tree.at(values)
    except ModelError as exc:  # name the file: the values make a payoff or probability invalid
        raise ModelError(exc.message, source=exc.source or model.path or model.name, key=exc.key) from None
    leaves = sum(1 for n in numeric.nodes if n.is_terminal)
    sets = sum(1 for h in numeric.infosets if h.player >= 0 and len(h.members) > 1)
    head = f"game tree: {len(numeric.nodes) - leaves:,} decision and chance nodes, {leaves:,} leaves (payoffs shown)"
    if sets:
        head += f"; {sets} information set{'s' if sets > 1 else ''} of several nodes (marked)"
    lines += ["", head, "", *outline_lines(numeric, tree)]
    lines += ["", "(redline show --normal-form: the reduced normal form's payoff table)"]
    return "\n".join(lines)


def tree_nodes_json(model: Model, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every node in prefix order for ``show --format json``: ``name``, ``parent`` (index),
    ``move`` leading to it, its ``player`` and ``information_set`` (decision), ``probability``
    of its move (below chance), ``payoffs`` (leaf)."""
    assert model.tree is not None
    tree = model.tree.at(values)
    out = []
    for n, node in enumerate(tree.nodes):
        p = tree.parent(n)
        item: dict[str, Any] = {"name": node.name, "parent": p}
        if p >= 0:
            k = tree.nodes[p].children.index(n)
            item["move"] = tree.actions(p)[k]
            if tree.nodes[p].is_chance:
                item["probability"] = float(tree.nodes[p].probs[k])
        if node.is_terminal:
            item["payoffs"] = {pl: float(v) for pl, v in zip(tree.players, node.payoffs, strict=True)}
        elif node.is_chance:
            item["player"] = "chance"
        else:
            item["player"] = tree.players[node.player]
            item["information_set"] = tree.infosets[node.infoset].label
        out.append(item)
    return out
