"""Behaviour strategies and paths of play of tree equilibria as JSON-ready data.

>>> from solver.core.tree import from_named, decision, leaf
>>> from fractions import Fraction as F
>>> t = from_named(("A",), "a", {"a": decision("A", {"L": "l", "R": "r"}),
...                              "l": leaf((1,)), "r": leaf((0,))})
>>> path_json(t, [{0: [F(1), F(0)]}]), behaviour_json(t, [{0: [F(1), F(0)]}])
(['L'], {'A': {'a': {'L': 1, 'R': 0}}})
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from solver.core.result import Result
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, outcome_distribution


def num(x: Any) -> int | float:
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x.numerator)
    if isinstance(x, int):
        return x
    return float(x)


def behaviour_json(tree: Tree, beh: Behaviour) -> dict[str, dict[str, dict[str, int | float]]]:
    """player -> infoset label -> action -> probability."""
    out: dict[str, dict[str, dict[str, int | float]]] = {}
    memo: dict[tuple[int, int], dict[str, int | float]] = {}  # shared probability lists and actions
    sets = tree.infosets
    for i, player in enumerate(tree.players):
        own = beh[i]
        rows: dict[str, dict[str, int | float]] = {}
        for h in sorted(own):
            info, probs = sets[h], own[h]
            key = (id(probs), id(info.actions))
            row = memo.get(key)
            if row is None:
                row = memo[key] = {a: num(p) for a, p in zip(info.actions, probs, strict=True)}
            rows[info.label] = row
        out[player] = rows
    return out


def path_labels(tree: Tree, leaf: int) -> list[str]:
    return [tree.actions(p)[a] for p, a in tree.history(leaf)]


def path_json(tree: Tree, beh: Behaviour) -> list[Any]:
    """The action labels along the path of play, or [{path, probability}] when it is random."""
    dist = outcome_distribution(tree, beh)
    if len(dist) == 1:
        return path_labels(tree, dist[0][0])
    return [{"path": path_labels(tree, leaf), "probability": num(p)} for leaf, p in dist]


def short(tree: Tree, beh: Behaviour) -> str:
    """``(Entrench; Tolerate, Tolerate; ...)``: each player's actions in infoset order."""
    parts = []
    best: dict[int, int] = {}  # per probability list (shared ones judged once): its first largest
    for i in range(len(tree.players)):
        acts = []
        for h in sorted(beh[i]):
            probs = beh[i][h]
            k = best.get(id(probs))
            if k is None:
                k = best[id(probs)] = probs.index(max(probs))
            acts.append(tree.infosets[h].actions[k])
        parts.append("/".join(acts))
    return "(" + ", ".join(parts) + ")"


def tree_signature(result: Result) -> str:
    """The equilibrium set of a game tree in words, by the paths of play of its credible equilibria.

    Sweeps and thresholds of sequential models track this: the reduced normal form has many
    Nash equilibria that differ only off the path, but analysts ask what is played under
    credible threats.  Where beliefs were computed (incomplete information), the perfect Bayesian
    equilibria ("PBE"); otherwise the subgame-perfect ones ("SPE").  Falls back to
    :meth:`Result.signature` when nothing is marked (e.g. trees solved only through the normal form).
    """
    bayesian = any("perfect_bayesian" in e.extra for e in result.equilibria)
    flag, word = ("perfect_bayesian", "PBE") if bayesian else ("subgame_perfect", "SPE")
    words = set()
    for e in result.equilibria:
        if not e.extra.get(flag):
            continue
        path = e.extra.get("path")
        if isinstance(path, list) and all(isinstance(a, str) for a in path):
            words.add(f"{word} " + " -> ".join(path))
        elif isinstance(path, list) and all(isinstance(a, dict) and "path" in a for a in path):
            words.add(f"{word} " + " | ".join(sorted(" -> ".join(str(x) for x in a["path"]) for a in path)))
        else:
            words.add(f"{word} " + e.describe())
    return " + ".join(sorted(words)) if words else result.signature()


def tree_ties(model: Model, result: Result) -> bool:
    """A perfect-information tree with several subgame-perfect equilibria has a payoff tie
    somewhere (generic perfect-information games have exactly one): it is degenerate there."""
    tree = model.tree
    spe = [e for e in result.equilibria if e.extra.get("subgame_perfect")]
    return bool(tree is not None and tree.perfect_information and len(spe) > 1)
