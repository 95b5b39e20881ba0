"""``redline solve`` on a game tree: each equilibrium's behaviour by information set (Kuhn 1953),
its credibility (subgame perfection, Selten 1965; weak perfect Bayesian equilibrium, Fudenberg &
Tirole 1991, §8.2), beliefs, and the probability of each terminal history.

By default only the credible equilibria are listed
(:func:`~solver.equilibria.trees.paths.credible_view`), with the count of all; ``nash="all"``
lists every one.

>>> from solver.formats import load
>>> from solver.equilibria.trees.sequential import solve_tree
>>> m = load("entry_deterrence")
>>> print(*tree_result_text(solve_tree(m), m).splitlines()[2:], sep=chr(10))
2 Nash equilibria found (backward induction + reduced normal form (pure); NOT known to be complete)
1 subgame perfect shown (--nash all lists them all)
<BLANKLINE>
#1  subgame perfect; pure
    payoffs: Entrant 2, Incumbent 2
    Entrant    at the start (entrant): In
    Incumbent  after In (incumbent): Accommodate
    outcome: In, Accommodate (certain)
<BLANKLINE>
note: pure strategies only: mixed Nash equilibria of the reduced normal form were not searched
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.result import Equilibrium, Result, exact_string
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.equilibria.trees.paths import credible_flag, credible_view
from solver.render.layout import given
from solver.render.signalling import signalling_lines, signalling_words
from solver.render.tree_places import history, own_name, place

#: how many outcomes a table prints per equilibrium
TOP = 3
#: at most this many information-set lines per equilibrium (on-path ones first)
MAX_PLACES = 40
#: a tree with more information sets than this has no ``information_sets`` in its JSON
MAX_SETS_JSON = 5_000
#: the values of ``--nash``
NASH_SHOWN = ("credible", "all")


def _num(x: Any, exact: bool) -> str:
    if isinstance(x, Fraction) and (exact or x.denominator == 1):
        return exact_string(x)
    return f"{float(x):.4g}"


def _flags(x: Mapping[str, Any]) -> list[str]:
    flags = []
    if "perfect_bayesian" in x:
        flags.append("perfect Bayesian" if x["perfect_bayesian"] else "NOT perfect Bayesian")
    if x.get("signalling"):
        flags.append(signalling_words(x["signalling"]))
    if x.get("signalling"):
        pass  # one subgame: every Nash equilibrium is subgame perfect, the PBE test is the one that counts
    elif x.get("subgame_perfect") is not None:
        flags.append("subgame perfect" if x["subgame_perfect"] else "NOT subgame perfect")
    elif "subgame_perfect" in x:
        flags.append("subgame perfection unknown")
    return flags


def _index(tree: Tree) -> dict[tuple[str, str], int]:
    """(player, label) -> information set: the JSON's keys (labels are unique per player)."""
    return {(tree.players[info.player], info.label): h for h, info in enumerate(tree.infosets) if info.player >= 0}


def _reached(
    tree: Tree, beh: Mapping[str, Mapping[str, Mapping[str, Any]]], index: Mapping[tuple[str, str], int]
) -> set[int]:
    """The information sets play reaches with positive probability (chance and ``beh``)."""
    probs = {index[p, label]: row for p, rows in beh.items() for label, row in rows.items()}
    seen: set[int] = set()
    stack = [0]
    while stack:
        n = stack.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            continue
        info = tree.infosets[node.infoset]
        seen.add(node.infoset)
        row = probs.get(node.infoset)
        ps = node.probs if node.is_chance else [row.get(a, 0) if row else 1 for a in info.actions]
        stack.extend(c for c, p in zip(node.children, ps, strict=True) if p != 0)
    return seen


def _action(row: Mapping[str, Any]) -> str:
    played = [(a, p) for a, p in row.items() if p != 0]
    if len(played) == 1:
        return played[0][0]
    return ", ".join(f"{a} {_num(p, False)}" for a, p in played)


def behaviour_lines(tree: Tree, e: Equilibrium) -> list[str]:
    """``Israel  after Entrench (israel_after_entrench): Strike``: each player's move at each of
    its information sets, on-path sets first, off-path ones marked."""
    beh = e.extra.get("behaviour")
    if not beh:  # not derived (imperfect recall): the reduced normal form's plans
        return [f"{p}  plays {s}" for p, s in zip(e.players, _plans(e), strict=True)]
    index = _index(tree)
    reached = _reached(tree, beh, index)
    width = max(len(p) for p in tree.players)
    rows: list[tuple[bool, str, str]] = []
    for player, sets in beh.items():
        for label, row in sets.items():
            h = index[player, label]
            off = "" if h in reached else "  (off path)"
            rows.append((h not in reached, player, f"{place(tree, h)}: {_action(row)}{off}"))
    order = sorted(range(len(rows)), key=lambda k: rows[k][0])[:MAX_PLACES]
    lines, last = [], ""
    for k in sorted(order, key=lambda k: (list(beh).index(rows[k][1]), rows[k][0], k)):
        _, player, text = rows[k]
        lines.append(f"{(player if player != last else '').ljust(width)}  {text}")
        last = player
    if len(rows) > MAX_PLACES:
        lines.append(f"... and {len(rows) - MAX_PLACES:,} more information sets off the path (JSON lists them)")
    return lines


def _plans(e: Equilibrium) -> list[str]:
    return [
        ", ".join(lab if v == 1 else f"{lab} {_num(v, False)}" for lab, v in zip(labels, vec, strict=True) if v > 0)
        for labels, vec in zip(e.strategies, e.vectors, strict=True)
    ]


def belief_lines(tree: Tree, e: Equilibrium) -> list[str]:
    """``Israel after Entrench: Resolute 0.5, Irresolute 0.5``: each player's beliefs at its sets
    of several nodes, each node by the moves that tell it apart; off-path ranges too."""
    index = _index(tree)
    ranges = e.extra.get("belief_ranges") or {}
    lines = []
    for player, sets in (e.extra.get("beliefs") or {}).items():
        for label, mu in sets.items():
            if label in ranges.get(player, {}):
                continue  # off the path, free in a range: said below
            h = index[player, label]
            names = _node_names(tree, h)
            cells = ", ".join(f"{n} {_num(p, False)}" for n, p in zip(names, mu.values(), strict=True))
            lines.append(f"{player} {place(tree, h, named=False)}: {cells}")
    for player, sets in ranges.items():
        for label, r in sets.items():
            h = index[player, label]
            if "vertices" in r:  # three or more nodes: the polytope of supporting beliefs
                corners = "; ".join("(" + ", ".join(_num(v, False) for v in p) + ")" for p in r["vertices"])
                lines.append(f"{player} {place(tree, h, named=False)} (off path): any belief in the hull of {corners}")
                continue
            lo, hi = _num(r["min"], False), _num(r["max"], False)
            span = f"exactly {lo}" if lo == hi else f"anywhere from {lo} to {hi}"
            node = _node_names(tree, h)[0]
            lines.append(f"{player} {place(tree, h, named=False)} (off path): belief on the node after {node} {span}")
    return lines


def _node_names(tree: Tree, h: int) -> list[str]:
    """The nodes of set ``h`` by the moves in which their histories differ."""
    paths = [[tree.actions(p)[a] for p, a in tree.history(m)] for m in tree.infosets[h].members]
    if len({len(p) for p in paths}) == 1:
        diff = [k for k in range(len(paths[0])) if len({p[k] for p in paths}) > 1]
        return [", ".join(p[k] for k in diff) for p in paths]
    return [", ".join(p) or "the start" for p in paths]


def _chance(item: Mapping[str, Any], exact: bool) -> str:
    if exact and "probability_exact" in item:
        return str(item["probability_exact"])
    return _num(item["probability"], False)


def outcome_line(e: Equilibrium, exact: bool, top: int = TOP) -> str:
    """``outcomes: A, B 1/2; C 1/2``: the ``top`` most likely terminal histories."""
    items = e.extra.get("outcomes") or []
    if len(items) == 1:
        return f"outcome: {items[0]['outcome']} (certain)"
    cells = [f"{o['outcome']} {_chance(o, exact)}" for o in items[:top]]
    more = f" (and {len(items) - top} more)" if len(items) > top else ""
    return "outcomes: " + "; ".join(cells) + more


def _header(
    result: Result, shown: Result, total: int, model: Model | None, values: Mapping[str, Any] | None
) -> list[str]:

    g = result.game
    head = [model.title if model else g.title or "game"]
    if model and model.parameters:
        vals = values or {p.name: p.value for p in model.parameters}
        head.append("at " + ", ".join(f"{k} = {given(v)}" for k, v in vals.items()))
    state = "complete" if result.complete else "NOT known to be complete"
    state += "; DEGENERATE game" if result.degenerate else ""
    line = f"{total} Nash equilibri{'um' if total == 1 else 'a'} found ({result.method}; {state})"
    flag = credible_flag(result)[0]
    word = "perfect Bayesian" if flag == "perfect_bayesian" else "subgame perfect"
    if total and not any(e.extra.get(flag) for e in result.equilibria):
        return [*head, line, f"none is known to be {word}: all are shown"]
    if len(shown.equilibria) < total:
        return [*head, line, f"{len(shown.equilibria)} {word} shown (--nash all lists them all)"]
    return [*head, line]


def tree_result_text(
    result: Result,
    model: Model,
    values: Mapping[str, Any] | None = None,
    *,
    fractions: bool = False,
    nash: str = "credible",
) -> str:
    """The text of ``redline solve`` on a tree model (``model.tree`` gives the structure)."""
    tree = model.tree
    assert tree is not None
    shown, total = (result, len(result.equilibria)) if nash == "all" else credible_view(result)
    exact = result.exact and fractions
    lines = _header(result, shown, total, model, values)
    for k, e in enumerate(shown.equilibria, 1):
        beh = e.extra.get("behaviour") or {}
        pure = all(p in (0, 1) for rows in beh.values() for row in rows.values() for p in row.values())
        flags = [*_flags(e.extra), "pure" if pure and beh else "mixed" if beh else ""]
        lines += ["", f"#{k}  " + "; ".join(f for f in flags if f)]
        lines.append(
            "    payoffs: " + ", ".join(f"{p} {_num(v, exact)}" for p, v in zip(e.players, e.values, strict=True))
        )
        by_type = (e.extra.get("signalling") or {}).get("type_payoffs")
        if by_type:
            lines.append("    by type: " + ", ".join(f"{t} {_num(v, exact)}" for t, v in by_type.items()))
        lines += ["    " + x for x in behaviour_lines(tree, e)]
        beliefs = belief_lines(tree, e)
        if beliefs:
            lines += ["    beliefs:", *("      " + b for b in beliefs)]
        if e.extra.get("outcomes"):
            lines.append("    " + outcome_line(e, exact))
    lines += signalling_lines(shown.equilibria)
    if result.notes:
        lines.append("")
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def tree_result_dict(
    result: Result, model: Model, values: Mapping[str, Any] | None = None, *, nash: str = "credible"
) -> dict[str, Any]:
    """The JSON document of ``redline solve`` on a tree model: :func:`~solver.render.text.result_dict`
    of the equilibria shown, with ``nash_equilibria`` (how many in all), ``shown`` and each
    information set's ``information_sets`` entry (player, where in words, the model's name)."""
    from solver.render.text import result_dict

    tree = model.tree
    assert tree is not None
    shown, total = (result, len(result.equilibria)) if nash == "all" else credible_view(result)
    doc = result_dict(shown, model, values)
    doc["nash_equilibria"] = total
    doc["shown"] = "all" if len(shown.equilibria) == total else credible_flag(result)[0]
    if len(tree.infosets) > MAX_SETS_JSON:
        return doc
    doc["information_sets"] = {
        info.label: {
            "player": tree.players[info.player] if info.player >= 0 else "chance",
            "after": history(tree, h),
            "name": own_name(tree, h),
        }
        for h, info in enumerate(tree.infosets)
    }
    return doc
