"""Plain-language findings: one :class:`~solver.analysis.explain_types.Brief` generated from the results.

For a strategic-form model: each equilibrium (every player's strategy in words and expected
payoff), why mixing probabilities take their values (the indifference principle,
:mod:`solver.analysis.explain_mixing`), the odds of each outcome
(:meth:`solver.core.result.Equilibrium.outcomes`), the nearest thresholds of each assumption
with the claims it encodes (:mod:`solver.analysis.explain_thresholds`), robustness margins and,
where the model declares distributions, the Monte Carlo shares
(:func:`solver.analysis.uncertainty.uncertainty`), and what decides between several equilibria
(payoff and risk dominance, :mod:`solver.analysis.selection`).  For a game tree: the credible
(subgame-perfect or perfect Bayesian) equilibria by decision point, their paths, and which
threats are credible (:mod:`solver.analysis.credibility`).  Nothing is written per model; what
the time budget left undone is named in ``not_computed``.

>>> from solver.formats import load
>>> b = explain(load("syria_deconfliction"))
>>> [(o.profile, o.exact) for o in b.equilibria[0].outcomes][:2]
[('Strike, Acquiesce', '2/5'), ('Tolerate, Acquiesce', '4/15')]
>>> "set by Russia's payoffs" in b.equilibria[0].mixing[0].text
True
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.analysis import explain_words as words
from solver.analysis.explain_mixing import mixing
from solver.analysis.explain_signalling import signalling_game
from solver.analysis.explain_thresholds import assumptions, exact_text
from solver.analysis.explain_trees import credibility, decision_points, solved, tree_equilibrium
from solver.analysis.explain_types import Actor, Brief, EquilibriumBrief, Outcome
from solver.core.budget import Budget, Progress
from solver.core.symbolic import Model

#: Monte Carlo points drawn for the uncertainty shares (a small sample: the brief is a summary)
UNCERTAINTY_SAMPLES = 2000
#: a game tree is solved point by point (tenths of a second each): as many draws as the briefing
#: page's (:data:`solver.analysis.report.SAMPLES_TREE`)
UNCERTAINTY_SAMPLES_TREE = 100


def _plays(labels: tuple[str, ...], vec: tuple[Any, ...]) -> str:
    played = sorted(((lab, p) for lab, p in zip(labels, vec, strict=True) if p > 0), key=lambda x: -float(x[1]))
    if len(played) == 1:
        return f"plays {played[0][0]} for sure"
    return "mixes: " + ", ".join(f"{lab} with probability {exact_text(p)}" for lab, p in played)


def _strategic(model: Model, eq: Any, number: int, values: Mapping[str, Fraction], budget: Budget) -> EquilibriumBrief:
    actors = tuple(
        Actor(p, _plays(labels, vec), exact_text(v), float(v))
        for p, labels, vec, v in zip(eq.players, eq.strategies, eq.vectors, eq.values, strict=True)
    )
    outcomes = tuple(Outcome(", ".join(k), exact_text(p), float(p)) for k, p in eq.outcomes())
    return EquilibriumBrief(number, eq.describe(), actors, outcomes, mixing(model, eq, budget, values))


def _kind(res: Any, tree: bool) -> tuple[str, bool]:
    """(the equilibria's adjective, whether they are the credible ones) for the summary."""
    if not tree:
        return "", False
    from solver.equilibria.trees.paths import credible_flag

    flag, _ = credible_flag(res)
    if not any(e.extra.get(flag) for e in res.equilibria):
        return "Nash (none known to be credible) ", False
    return ("credible (perfect Bayesian) " if flag == "perfect_bayesian" else "credible (subgame-perfect) "), True


def _summary(model: Model, eqs: tuple[EquilibriumBrief, ...], res: Any, tree: bool) -> list[str]:
    kind, credible = _kind(res, tree)
    n = len(eqs)
    out = [f"At these values the model has {n} {kind}equilibri{'um' if n == 1 else 'a'}" + (":" if n else ".")]
    plays: dict[tuple[tuple[str, str], ...], int] = {}  # a tree's play (its odds) -> first with it
    for e in eqs:
        top = e.outcomes[0] if e.outcomes else None
        odds = f"; most likely outcome {top.profile} ({top.exact}, {top.percent})" if top else ""
        tags = f" [{', '.join(e.tags)}]" if e.tags else ""
        play = tuple((o.profile, o.exact) for o in e.outcomes)
        first = plays.setdefault(play, e.number) if tree and play else e.number
        if first != e.number:  # the same play, another answer off the path
            out.append(f"#{e.number} plays as #{first}, differing off the path only{tags}.")
            continue
        out.append(f"#{e.number} {words.plain(e.label, tuple(model.players))}{tags}{odds}.")
    for e in eqs:
        for m in e.mixing:
            out.append(
                f"In #{e.number}, {m.player}'s probabilities are set by {' and '.join(m.indifferent)}'s payoffs "
                f"(they keep {' and '.join(m.indifferent)} indifferent), not by {m.player}'s own inclination."
            )
    if credible:
        out.append(
            "Only the credible equilibria are listed, as `redline solve` lists them; "
            "`redline solve --nash all` lists every Nash equilibrium found."
        )
    if not res.complete:
        out.append("The list is not known to be complete.")
    if getattr(model, "dynamics", None):
        out.append(
            "This brief covers the one-shot game. Whether a profile is self-enforcing when the game repeats "
            f"(the discount factor) is not computed here: see `redline repeated {model.name} --target PROFILE`."
        )
    if res.degenerate:
        inner = any(e.extra.get("pbe_search") for e in res.equilibria)
        out.append(
            "The game is degenerate here (ties): a continuum of equilibria may exist; those listed are its "
            + ("extreme points, and the perfect Bayesian equilibria found inside it." if inner else "extreme points.")
        )
    return out


def _uncertainty(model: Model, overrides: Mapping[str, Any], budget: Budget) -> tuple[list[str], list[str]]:
    """(sentences, not computed): the signature shares when the model declares distributions."""
    if not any(p.distribution for p in model.parameters):
        return (
            [
                "The model declares no probability distributions over its assumptions, so no odds of "
                "each answer are given; `redline uncertainty` draws them uniformly over the declared ranges."
            ],
            [],
        )
    from solver.analysis.uncertainty import uncertainty

    n = UNCERTAINTY_SAMPLES if model.tree is None else UNCERTAINTY_SAMPLES_TREE
    u = uncertainty(model, n, 0, overrides, budget=budget)
    lines = [f"Under the model's distributions ({u.samples} draws, seed 0), the share of draws with each answer:"]
    for e in u.signatures[:5]:
        answer = words.plain(e.label, tuple(model.players))
        lines.append(f"{answer}: {100 * e.p:.3g}% (95% interval {100 * e.low:.3g}-{100 * e.high:.3g}%)")
    return lines, list(u.limits)


def explain(
    model: Model,
    overrides: Mapping[str, Any] | None = None,
    *,
    claims: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
    thresholds: Mapping[str, Any] | None = None,
    solution: tuple[str, Any] | None = None,
) -> Brief:
    """The brief on ``model`` at its values with ``overrides`` (``claims``: id -> Claim, see
    :func:`solver.formats.claims.read_claims`).  ``timeout`` (seconds) bounds the whole; what it
    cut short is listed in ``not_computed``.  ``thresholds``: parameter -> Thresholds already
    computed at these values (``redline report``), not searched again; ``solution``: likewise the
    :func:`~solver.analysis.explain_trees.solved` pair."""
    bud = Budget.of(budget, timeout, progress)
    overrides = dict(overrides or {})
    values = model.values(overrides)
    tree = model.tree is not None
    _, res = solution or solved(model, values, bud)
    not_computed = [f"equilibria: {x}" for x in res.limits]
    if tree:
        where = decision_points(model, values)
        signalling = signalling_game(model, values)
        eqs = tuple(tree_equilibrium(e, k + 1, where, signalling) for k, e in enumerate(res.equilibria))
    else:
        eqs = tuple(_strategic(model, e, k + 1, values, bud) for k, e in enumerate(res.equilibria))
    claims = claims or {}
    found, skipped = assumptions(model, values, claims=claims, budget=bud, found=thresholds)
    not_computed += skipped
    if tree:
        numbers = {e.extra.get("description") or e.describe(): k + 1 for k, e in enumerate(res.equilibria)}
        cut_short = ((), ("threats: time budget spent",))
        cred, cut = credibility(model, values, bud, numbers) if not bud.expired() else cut_short
        not_computed += cut
    else:
        cred = words.strategic_credibility()
    spent: tuple[list[str], list[str]] = ([], ["uncertainty: time budget spent"])
    declared = any(p.distribution for p in model.parameters)
    shares, left = spent if declared and bud.expired() else _uncertainty(model, overrides, bud)
    not_computed += left
    game = None
    if not tree:
        from solver.core.symbolic import evaluate

        game = evaluate(model, overrides)
    return Brief(
        model.name,
        model.title,
        "game tree" if tree else "strategic form",
        tuple((p.name, exact_text(values[p.name])) for p in model.parameters),
        tuple(_summary(model, eqs, res, tree)),
        eqs,
        found,
        words.red_line_sentences(found, claims),
        tuple(cred),
        (*words.robustness(found), *shares),
        words.selection(game, list(res.equilibria), tree),
        tuple(dict.fromkeys(not_computed)),
        tuple(model.players),
    )
