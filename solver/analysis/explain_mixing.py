"""Why a mixed equilibrium's probabilities take their values: the indifference principle.

In a Nash equilibrium a player mixes only between strategies that pay it the same; so the
probabilities of one player are whatever makes the *other* players indifferent, and they are set
by the others' payoffs, not by its own (Nash 1951; the "paradox of mixed strategies", e.g.
Osborne, *An Introduction to Game Theory*, 2004, ch. 4).  The closed form comes from the
support's indifference system with every parameter symbolic
(:func:`solver.analysis.supports.analyse_support`), matched to the equilibrium found.

>>> from solver.formats import load
>>> from solver.core.symbolic import evaluate
>>> from solver.equilibria import solve
>>> m = load("matching_pennies")
>>> [x.text.split(":")[0] for x in mixing(m, solve(evaluate(m, {})).equilibria[0])][0]
"Row's probabilities keep Column indifferent between Heads and Tails"
"""

from __future__ import annotations

from typing import Any

from solver.analysis.explain_types import Mixing
from solver.core.budget import UNBOUNDED, Budget
from solver.core.symbolic import Model

#: seconds sympy may take on one support's closed form
MIXING_TIMEOUT = 2.0


def _closed(model: Model, eq: Any, budget: Budget, values: Any) -> Any:
    """The symbolic branch of ``eq``'s support that matches it at the model's values, or None."""
    import sympy as sp

    from solver.analysis.supports import analyse_support, run_bounded
    from solver.core.expr import symbol

    [(status, branches)] = run_bounded(
        [(analyse_support, (model.payoffs, eq.support(), (), {}))], MIXING_TIMEOUT, budget, "mixing formulas"
    )
    if status != "ok":
        return None
    subs = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in values.items()}
    target = [sp.nsimplify(v) for vec in eq.vectors for v in vec]
    for b in branches:
        got = [sp.simplify(v.xreplace(subs)) for vec in b.strategies for v in vec]
        if all(sp.simplify(a - t) == 0 for a, t in zip(got, target, strict=True)):
            return b
    return None


def _players_of(model: Model, names: set[str]) -> list[str]:
    """The players in whose payoffs one of ``names`` appears."""
    out = []
    for i, p in enumerate(model.players):
        used = {s.name for e in model.payoffs[i].flat for s in getattr(e, "free_symbols", ())}
        if used & names:
            out.append(p)
    return out


def mixing(model: Model, eq: Any, budget: Budget = UNBOUNDED, values: Any = None) -> tuple[Mixing, ...]:
    """One :class:`Mixing` per player who mixes in ``eq`` (a strategic-form equilibrium).

    ``values``: the model's parameter values the equilibrium was solved at (for the formulas'
    match); default the model's own."""
    from solver.core.result import Equilibrium

    if not isinstance(eq, Equilibrium) or eq.is_pure:
        return ()
    values = model.values({}) if values is None else values
    branch = None if budget.expired() else _closed(model, eq, budget, values)
    out = []
    support = eq.support()
    for i, player in enumerate(eq.players):
        if len(support[i]) < 2:
            continue
        others = [j for j in range(len(eq.players)) if j != i]
        kept = [eq.players[j] for j in others if len(support[j]) > 1] or [eq.players[j] for j in others]
        probs, params = [], set()
        for k in support[i]:
            formula = ""
            if branch is not None:
                f = branch.strategies[i][k]
                params |= {s.name for s in getattr(f, "free_symbols", ())}
                formula = str(f) if getattr(f, "free_symbols", None) else ""
            probs.append((eq.strategies[i][k], str(eq.vectors[i][k]), formula))
        whose = _players_of(model, params) if params else kept
        text = _sentence(eq, i, others, probs, sorted(params), whose)
        out.append(Mixing(player, tuple(kept), tuple(probs), tuple(sorted(params)), text))
    return tuple(out)


def _sentence(
    eq: Any, i: int, others: list[int], probs: list[tuple[str, str, str]], params: list[str], whose: list[str]
) -> str:
    player = eq.players[i]
    support = eq.support()
    parts = []
    for j in others:
        labels = [eq.strategies[j][k] for k in support[j]]
        if len(labels) > 1:
            parts.append(f"{eq.players[j]} indifferent between {' and '.join(labels)}")
        else:
            parts.append(f"{eq.players[j]} content with {labels[0]}")
    head = f"{player}'s probabilities keep {'; '.join(parts)}: "
    said = []
    for s, p, f in probs:
        said.append(f"P({player} plays {s}) = {f} = {p}" if f else f"P({player} plays {s}) = {p}")
    body = "; ".join(said) + "."
    mixers = [eq.players[j] for j in others if len(support[j]) > 1] or [eq.players[j] for j in others]
    setters = " and ".join(mixers)
    if params and player not in whose:
        by = " and ".join(w for w in whose if w in mixers) or setters
        body += (
            f" These formulas use only {', '.join(params)}, which enter the payoffs of {', '.join(whose)}:"
            f" {player}'s mixing is set by {by}'s payoffs, not its own; changing {player}'s own payoffs"
            " leaves it unchanged for as long as this equilibrium lasts."
        )
    elif params:
        body += (
            f" They come from {setters}'s indifference, so they are set by {setters}'s payoffs (the"
            f" parameters {', '.join(params)} also enter {player}'s payoffs here)."
        )
    else:
        body += f" They are set by {setters}'s payoffs, not {player}'s own."
    return head + body + f' They are not {player}\'s "propensity": they are what keeps {setters} willing to mix.'
