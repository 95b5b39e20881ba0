"""The brief's view of a game tree: behaviour by decision point, paths of play, credible threats.

A tree's equilibria come from :func:`solver.analysis.thresholds.numeric_signature`: the credible
ones only (subgame-perfect, Selten 1965; perfect Bayesian where chance moves hide information,
Fudenberg and Tirole 1991).  Threats are judged by :func:`solver.analysis.credibility.threats`:
an off-path action is credible when carrying it out would be a best response at that node.

>>> from solver.formats import load
>>> from solver.analysis.thresholds import numeric_signature
>>> m = load("entry_deterrence")
>>> _, res = numeric_signature(m, m.values({}))
>>> b = tree_equilibrium(res.equilibria[0], 1, decision_points(m, m.values({})))
>>> b.actors[1].plays, b.outcomes[0].profile, b.tags
('after Entrant In: Accommodate', 'In > Accommodate', ('subgame perfect',))
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.analysis.explain_pbe import pbe_words
from solver.analysis.explain_signalling import Game
from solver.analysis.explain_thresholds import exact_text
from solver.analysis.explain_types import Actor, EquilibriumBrief, Outcome
from solver.core.budget import UNBOUNDED, Budget
from solver.core.symbolic import Model

#: at most this many decision points are spelled out per player, and this many threats per kind
MAX_NODES = 8
MAX_THREATS = 5


def _number(p: Any) -> tuple[str, float]:
    """(exact text, decimal) of a probability from a tree result (exact where it is dyadic)."""
    return exact_text(p), float(p)


def decision_points(model: Model, values: Mapping[str, Fraction]) -> dict[tuple[str, str], str]:
    """(player, information set label) -> where it is, in words: the moves every node of the set
    has in common ("after Iran Entrench, Israel Strike"), or "at the start"."""
    sym = model.tree
    if sym is None:
        return {}
    tree = sym.at(values) if sym.symbolic else sym
    out = {}
    for h in tree.infosets:
        if h.player < 0:
            continue
        paths = [tree.describe(n).split(", ") for n in h.members]
        common = [step for step in paths[0] if all(step in p for p in paths[1:])]
        text = ", ".join(common)
        out[(tree.players[h.player], h.label)] = f"after {text}" if common and text != "the start" else "at the start"
    return out


def _behaviour(rows: Mapping[str, Mapping[str, Any]], where: Mapping[str, str]) -> str:
    said = []
    for node, acts in list(rows.items())[:MAX_NODES]:
        played = [(a, p) for a, p in acts.items() if p]
        at = where.get(node, f"at {node}")
        if len(played) == 1:
            said.append(f"{at}: {played[0][0]}")
        else:
            said.append(f"{at}: " + ", ".join(f"{a} with probability {_number(p)[0]}" for a, p in played))
    if len(rows) > MAX_NODES:
        said.append(f"and {len(rows) - MAX_NODES} more decision points")
    return "; ".join(said) or "no move"


def _beliefs(beliefs: Mapping[str, Any], where: Mapping[tuple[str, str], str]) -> list[str]:
    """One sentence per player who is unsure where it stands: what it believes at each decision point."""
    out = []
    for player, sets in beliefs.items():
        said = []
        for node, dist in list(sets.items())[:MAX_NODES]:
            if len(dist) > 1:
                at = where.get((player, node), f"at {node}")
                said.append(f"{at}: " + ", ".join(f"{h} {_number(p)[0]}" for h, p in dist.items()))
        if said:
            out.append(f"{player} believes, " + "; ".join(said) + ".")
    return out


def _outcomes(eq: Any) -> list[Outcome]:
    """The odds of each terminal history, exactly as ``redline solve`` gives them (its
    ``outcomes``: ``probability_exact`` where the game is exact), else from the path."""
    items = eq.extra.get("outcomes")
    if items:
        return [
            Outcome(" > ".join(o["path"]) if "path" in o else o["outcome"],
                    str(o["probability_exact"]) if "probability_exact" in o else exact_text(o["probability"]),
                    float(o["probability"]))
            for o in items
        ]
    path = eq.extra.get("path")
    if path and isinstance(path[0], dict):
        return [Outcome(" > ".join(p["path"]), *_number(p["probability"])) for p in path]
    return [Outcome(" > ".join(path), "1", 1.0)] if path else []


def tree_equilibrium(
    eq: Any, number: int, where: Mapping[tuple[str, str], str] | None = None, game: Game | None = None
) -> EquilibriumBrief:
    """One credible equilibrium of a tree in words: behaviour by decision point (``where``: see
    :func:`decision_points`), paths and their odds; a signalling game's (``game``) perfect
    Bayesian equilibrium with its kind, beliefs, off-path threats and the intuitive criterion."""
    beh = eq.extra.get("behaviour") or {}
    places = where or {}
    actors = tuple(
        Actor(p, _behaviour(beh.get(p, {}), {k: v for (q, k), v in places.items() if q == p}), exact_text(v), float(v))
        for p, v in zip(eq.players, eq.values, strict=True)
    )
    outcomes = sorted(_outcomes(eq), key=lambda o: -o.decimal)
    label = "path " + " | ".join(o.profile for o in outcomes) if outcomes else eq.describe()
    if game is not None and eq.extra.get("signalling") and beh:
        tags, notes, doc = pbe_words(game, eq.extra)
        return EquilibriumBrief(number, label, actors, tuple(outcomes), (), tags, notes, doc)
    tags = tuple(
        word
        for key, word in (("subgame_perfect", "subgame perfect"), ("perfect_bayesian", "perfect Bayesian"))
        if eq.extra.get(key) is True
    )
    beliefs = eq.extra.get("beliefs")
    said = tuple(_beliefs(beliefs, places)) if isinstance(beliefs, Mapping) and "perfect_bayesian" in eq.extra else ()
    return EquilibriumBrief(number, label, actors, tuple(outcomes), (), tags, said)


def solved(model: Model, values: Mapping[str, Fraction], budget: Budget = UNBOUNDED) -> tuple[str, Any]:
    """(signature, Result) at ``values``: the equilibria ``redline solve`` lists, by the same call.
    A tree's are its credible ones (:func:`~solver.equilibria.trees.paths.credible_view`: subgame
    perfect, or perfect Bayesian where beliefs were computed), in the solver's order; its
    signature is :func:`~solver.equilibria.trees.paths.tree_signature`, as the sweeps track it."""
    from solver.analysis.thresholds import numeric_signature

    if model.tree is None:
        return numeric_signature(model, values, budget)
    from solver.equilibria.trees.paths import credible_view, tree_signature
    from solver.equilibria.trees.sequential import solve_tree

    res = solve_tree(model, values, budget=budget, check_range=False)
    return tree_signature(res), credible_view(res)[0]


def credibility(
    model: Model, values: Mapping[str, Fraction], budget: Budget = UNBOUNDED, numbers: Mapping[str, int] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sentences on the threats, what was not computed) for a game tree; ``numbers``: the
    brief's number of each equilibrium by its solver description."""
    numbers = numbers or {}
    from solver.analysis.credibility import threats

    found = threats(model, values, budget=budget)
    lines: list[str] = []
    spe = [t for t in found if t.in_spe]
    empty = [t for t in found if not t.credible]
    for t in spe[:MAX_THREATS]:
        if t.signalling is not None:
            fate = "kills it" if t.signalling["killed"] else "leaves it standing"
            which = ", ".join(f"#{numbers[d]}" if d in numbers else d for d in t.sustains)
            lines.append(
                f"Off the path: after {t.where}, a message no type sends, {t.player} would answer {t.action}, "
                f"a best reply if it believes {t.region}; it sustains {which}, and the intuitive criterion {fate}."
            )
            continue
        lines.append(
            f"Credible: after {t.where}, {t.player} would play {t.action}, and the credible equilibrium relies "
            f"on it; it is credible where {t.region}."
        )
    for t in empty[:MAX_THREATS]:
        lines.append(
            f"Not credible: after {t.where}, {t.player} threatens {t.action} in some Nash equilibria but "
            f"would not carry it out; it would be credible only if {t.condition}."
        )
    more = len(spe) - min(len(spe), MAX_THREATS) + len(empty) - min(len(empty), MAX_THREATS)
    if more:
        lines.append(f"{more} more threats: see `redline credibility {model.name}`.")
    if not lines:
        lines.append("No off-path threat sustains the equilibria: every prescribed move is on the path of play.")
    limits = tuple(f"threats: {x}" for x in found.limits)
    return tuple(lines), limits
