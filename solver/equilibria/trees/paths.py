"""Behaviour strategies and paths of play of tree equilibria as JSON-ready data.

>>> from solver.core.tree import from_named, decision, leaf
>>> from fractions import Fraction as F
>>> t = from_named(("A",), "a", {"a": decision("A", {"L": "l", "R": "r"}),
...                              "l": leaf((1,)), "r": leaf((0,))})
>>> path_json(t, [{0: [F(1), F(0)]}]), behaviour_json(t, [{0: [F(1), F(0)]}])
(['L'], {'A': {'a': {'L': 1, 'R': 0}}})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
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


def path_json(tree: Tree, beh: Behaviour, dist: list[tuple[int, Any]] | None = None) -> list[Any]:
    """The action labels along the path of play, or [{path, probability}] when it is random
    (``dist``: the :func:`~solver.core.treeform.outcome_distribution`, where already at hand)."""
    dist = outcome_distribution(tree, beh) if dist is None else dist
    if len(dist) == 1:
        return path_labels(tree, dist[0][0])
    return [{"path": path_labels(tree, leaf), "probability": num(p)} for leaf, p in dist]


def _inline(tree: Tree, leaf: int) -> bool:
    """A leaf a model file wrote inline (``Acquiesce = [payoffs]``): named ``node.action`` by the
    reader, not by the model."""
    p = tree.parent(leaf)
    if p < 0:
        return False
    parent = tree.nodes[p]
    return tree.nodes[leaf].name == f"{parent.name}.{tree.actions(p)[parent.children.index(leaf)]}"


def model_leaf_name(tree: Tree, leaf: int) -> str:
    """The model's own name for a leaf (a named ``[nodes.X]`` leaf, a named ``.efg`` terminal
    node), ``""`` where it gives none (an inline leaf, a blank name)."""
    name = tree.nodes[leaf].name
    if not name.strip():  # a Gambit leaf without a name of its own: its outcome's name
        return tree.outcome_labels.get(leaf, "")
    return "" if _inline(tree, leaf) else name


def outcome_name(tree: Tree, leaf: int) -> str:
    """A leaf's name for analysts: the model's own (:func:`model_leaf_name`), with its moves
    where several leaves share it; else its moves, ``Entrench, Tolerate, Acquiesce`` (unique:
    action labels are unique per information set)."""
    moves = ", ".join(path_labels(tree, leaf))
    name = model_leaf_name(tree, leaf)
    if not name:
        return moves or "(the root)"
    counts = tree.memo.get("leaf_name_counts")
    if counts is None:  # one pass over the leaves, kept with the tree
        counts = tree.memo["leaf_name_counts"] = Counter(n.name for n in tree.nodes if n.is_terminal)
    return name if counts[name] == 1 else f"{name} ({moves})"


def outcomes_json(tree: Tree, dist: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    """The probability of each terminal history under a behaviour profile and chance, most
    likely first: ``{outcome, probability, probability_exact (exact only), path}``, the shape
    of the strategic-form ``outcomes``; ``path`` adds the moves."""
    out = []
    for leaf, p in sorted(dist, key=lambda lp: -float(lp[1])):
        item: dict[str, Any] = {"outcome": outcome_name(tree, leaf), "probability": float(p)}
        if isinstance(p, Fraction):
            item["probability_exact"] = str(p)
        item["path"] = path_labels(tree, leaf)
        out.append(item)
    return out


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
    flag, word = credible_flag(result)
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


def credible_behaviour(result: Result) -> str:
    """The credible equilibria :func:`tree_signature` counts, in full (off-path behaviour too: a
    threat that stops being credible changes this where the paths stay the same)."""
    flag, _ = credible_flag(result)
    return repr(sorted(repr(e.extra.get("behaviour")) for e in result.equilibria if e.extra.get(flag)))


def credible_flag(result: Result) -> tuple[str, str]:
    """The mark of a credible tree equilibrium: ``perfect_bayesian`` where beliefs were computed
    (information sets of several nodes), else ``subgame_perfect``; and its short word."""
    bayesian = any("perfect_bayesian" in e.extra for e in result.equilibria)
    return ("perfect_bayesian", "PBE") if bayesian else ("subgame_perfect", "SPE")


def credible_view(result: Result) -> tuple[Result, int]:
    """The result with only its credible equilibria (subgame perfect, or perfect Bayesian where
    beliefs were computed: the ones :func:`tree_signature` reads), and the number of equilibria
    in all.  Where none is marked credible (e.g. the checks ran out of time), all are kept.

    >>> from solver.formats import load
    >>> from solver.equilibria.trees.sequential import solve_tree
    >>> shown, total = credible_view(solve_tree(load("entry_deterrence")))
    >>> [e.describe() for e in shown.equilibria], total
    (['pure (In, Accommodate)'], 2)
    """
    flag, _ = credible_flag(result)
    keep = [k for k, e in enumerate(result.equilibria) if e.extra.get(flag)]
    total = len(result.equilibria)
    if not keep or len(keep) == total:
        return result, total
    where = {k: j for j, k in enumerate(keep)}
    components = tuple(
        tuple(where[k] for k in c if k in where) for c in result.components if sum(k in where for k in c) > 1
    )
    view = replace(result, equilibria=tuple(result.equilibria[k] for k in keep), components=components)
    return view, total


def tree_ties(model: Model, result: Result) -> bool:
    """A perfect-information tree with several subgame-perfect equilibria has a payoff tie
    somewhere (generic perfect-information games have exactly one): it is degenerate there."""
    tree = model.tree
    spe = [e for e in result.equilibria if e.extra.get("subgame_perfect")]
    return bool(tree is not None and tree.perfect_information and len(spe) > 1)
