"""Sentences of the brief generated from its data: red lines in both senses, robustness, selection.

Nothing here is written for one model: every sentence is filled from the assumptions, the claims
their parameters cite, and the equilibria.

>>> from solver.analysis.explain_types import Assumption, Crossing
>>> a = Assumption("x", "a cost", "6", "0", "20", (("C1", "israel-red-line"),),
...                Crossing("2", 2.0, "A", "B", "4", 4.0), Crossing("14", 14.0, "B", "C", "8", 8.0), 0.2)
>>> margin_sentence(a).split("; ")[0]
'x = 6 can fall by 4 (to 2) or rise by 8 (to 14) before the answer changes'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from solver.analysis.explain_types import Assumption

#: a margin under this share of the declared range is called fragile, over ROBUST robust
FRAGILE = 0.1
ROBUST = 0.25


def plain(signature: str, players: tuple[str, ...] = ()) -> str:
    """An equilibrium signature in words: who plays what, for sure or mixing.

    >>> plain("pure (Tolerate, Acquiesce) + mixed (full support)", ("Israel", "Russia"))
    'Israel Tolerate, Russia Acquiesce for sure, or every actor mixing'
    >>> plain("SPE In -> Accommodate")
    'credible path In > Accommodate'
    """
    said = []
    for part in signature.split(" + "):
        kind, _, inner = part.partition(" ")
        inner = inner.strip()
        if kind == "pure" and inner.startswith("("):
            acts = inner[1:-1].split(", ")
            named = len(players) == len(acts)
            said.append(", ".join(f"{p} {a}" for p, a in zip(players, acts, strict=True)) if named else ", ".join(acts))
            said[-1] += " for sure"
        elif part == "mixed (full support)":
            said.append("every actor mixing")
        elif kind == "mixed" and inner.startswith("("):
            groups = [g.partition(": ") for g in inner[1:-1].split("; ")]
            said.append("; ".join(f"{p} mixing {a}" if "/" in a else f"{p} {a}" for p, _, a in groups))
        elif kind in ("SPE", "PBE"):
            name = "credible" if kind == "SPE" else "perfect Bayesian"
            said.append(f"{name} path {inner.replace(' -> ', ' > ')}")
        else:
            said.append(part)
    return ", or ".join(said)


def claim_words(a: Assumption) -> str:
    """``C1 israel-red-line, C6 iran-entrenching`` (ids alone where the claims file lacks them)."""
    return ", ".join(f"{c} {t}".strip() for c, t in a.claims)


def crossing_words(a: Assumption) -> str:
    """The nearest thresholds of ``a`` and what changes at each, in one phrase."""
    parts = []
    if a.below is not None:
        parts.append(f"below {a.below.exact}: {a.below.before} (instead of {a.below.after})")
    if a.above is not None:
        parts.append(f"above {a.above.exact}: {a.above.after} (instead of {a.above.before})")
    if not a.computed:
        return a.note
    if not parts:
        return "no threshold on its range: the answer does not change with it alone"
    return "thresholds: " + "; ".join(parts)


def red_line_sentences(assumptions: Sequence[Assumption], claims: Mapping[str, Any]) -> tuple[str, ...]:
    """Both senses of "red line", tied to the claims the parameters cite."""
    out = [
        'Two senses of "red line".  Analysts mean a state\'s declared trigger ("a permanent Iranian '
        "presence is our red line\").  Redline's commands (`thresholds`, `sensitivity`) use it for a "
        "critical value of an assumption: the exact value at which the equilibria, and so the answer, "
        "change.  This brief calls the second a threshold."
    ]
    declared: dict[str, list[Assumption]] = {}
    for a in assumptions:
        for cid, _ in a.claims:
            c = claims.get(cid)
            if c is not None and getattr(c, "red_line", False):
                declared.setdefault(cid, []).append(a)
    for cid, encoded in declared.items():
        title = getattr(claims[cid], "title", "")
        for a in encoded:
            where = crossing_words(a)
            out.append(
                f"Declared red line {cid} {title} is encoded by {a.parameter} ({a.doc}), now {a.value}; {where}."
            )
    if not declared:
        out.append(
            "No parameter of this model cites a claim about a declared red line; its thresholds below "
            "are red lines in the tool's sense only."
        )
    return tuple(out)


def margin_sentence(a: Assumption) -> str:
    """How far one assumption can move before the answer changes."""
    moves = []
    if a.below is not None:
        moves.append(f"fall by {a.below.distance} (to {a.below.exact})")
    if a.above is not None:
        moves.append(f"rise by {a.above.distance} (to {a.above.exact})")
    text = f"{a.parameter} = {a.value} can {' or '.join(moves)} before the answer changes"
    if a.relative is not None:
        text += f"; the nearer threshold is {100 * a.relative:.3g}% of its range [{a.low}, {a.high}] away"
    return text + "."


def robustness(assumptions: Sequence[Assumption]) -> tuple[str, ...]:
    """Margins, nearest first, and a verdict."""
    near = sorted((a for a in assumptions if a.relative is not None), key=lambda a: a.relative or 0.0)
    out = [margin_sentence(a) for a in near]
    flat = [a.parameter for a in assumptions if a.computed and a.relative is None and not a.note]
    if flat:
        out.append(f"No threshold on the declared range of {', '.join(flat)} (others held at their values).")
    if near:
        first = near[0]
        share = first.relative or 0.0
        verdict = "fragile" if share <= FRAGILE else "robust" if share > ROBUST else "moderately robust"
        out.insert(
            0,
            f"The conclusion is {verdict}: the nearest threshold is on {first.parameter}, "
            f"{100 * share:.3g}% of its range away (one assumption moved at a time; thresholds where "
            "several move together are not searched).",
        )
    return tuple(out)


def strategic_credibility() -> tuple[str, ...]:
    """What credibility means for a strategic-form model."""
    return (
        "This is a strategic-form model: the players choose at the same time, without seeing each "
        "other's choice, so no move is made after another's and there is no threat left to carry out "
        "later.  Every equilibrium strategy is a best response to the others': credibility in the "
        "sense of subgame perfection applies to sequential models (game trees), where "
        "`redline credibility` checks each threat.",
    )


def selection(game: Any, equilibria: Sequence[Any], tree: bool) -> tuple[str, ...]:
    """What decides between several equilibria: payoff and risk dominance (Harsanyi & Selten), and the
    logit tracing selection."""
    from solver.analysis.selection import payoff_dominant, risk_dominant

    eqs = list(equilibria)
    if len(eqs) <= 1:
        return ("One equilibrium: nothing to choose between.",)
    out = [
        f"{len(eqs)} equilibria: the model alone does not say which one is played.  Expectations, "
        "history or communication decide; two classic criteria (Harsanyi & Selten 1988):"
    ]
    pd = payoff_dominant(eqs)
    out.append(
        f"Payoff dominance: equilibrium #{eqs.index(pd) + 1} ({pd.describe()}) gives every player at least "
        "as much as any other equilibrium, and someone more: players who can coordinate would pick it."
        if pd is not None
        else "Payoff dominance: no equilibrium is best for every player at once, so it selects none."
    )
    if tree or game is None:
        out.append("Risk dominance: defined here for 2x2 strategic-form games only; not applied to a tree.")
        pbe = [k + 1 for k, e in enumerate(eqs) if e.extra.get("perfect_bayesian") is True]
        if pbe and len(pbe) < len(eqs):
            out.append(
                f"Perfect Bayesian: only #{', #'.join(map(str, pbe))} also passes the perfect Bayesian test "
                "(every move is in the mover's interest given beliefs formed from what it has seen): "
                "that refinement keeps it and discards the rest."
            )
        return tuple(out)
    rd = risk_dominant(game, eqs)
    out.append(
        f"Risk dominance: equilibrium #{eqs.index(rd) + 1} ({rd.describe()}) is the safer bet: the product "
        "of the players' losses from deviating is larger there, so it is the one to expect when each is "
        "unsure what the other will do."
        if rd is not None
        else "Risk dominance: selects none (it needs a 2x2 game with two strict pure equilibria whose "
        "deviation-loss products differ)."
    )
    out.append(_logit_sentence(game, eqs))
    return tuple(out)


def _logit_sentence(game: Any, eqs: Sequence[Any]) -> str:
    """The logit tracing selection (McKelvey & Palfrey 1995; Turocy 2005) in words."""
    from solver.analysis.selection import logit_pick

    pick, notes = logit_pick(game, eqs)
    if pick is None:
        return "Logit tracing: the branch of quantal response equilibria did not settle, so it selects none."
    text = (
        f"Logit tracing: equilibrium #{eqs.index(pick) + 1} ({pick.describe()}) is where players who start "
        "out choosing at random and err less and less (the logit quantal response branch, McKelvey & "
        "Palfrey 1995) end up: `redline qre` traces it."
    )
    if any("not unique" in n for n in notes):
        text += "  The branch forks on the way (a symmetric game), so this pick is one of several."
    return text
