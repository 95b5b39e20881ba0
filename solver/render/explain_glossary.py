"""The glossary of ``redline explain --glossary`` and of the README's Glossary section: one place.

Each entry is (term, definition) in plain words for readers who know no game theory; the README
section is :func:`glossary_markdown` verbatim (a test checks it).

>>> [t for t, _ in GLOSSARY][:3]
['equilibrium', 'mixed strategy', 'red line']
"""

from __future__ import annotations

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "equilibrium",
        "A choice for every actor such that no actor can do better by changing only its own choice "
        "(a Nash equilibrium). It is a prediction of stable behaviour, not a recommendation.",
    ),
    (
        "mixed strategy",
        "Choosing between options with set probabilities, like a bluff that must stay unpredictable. In "
        "a mixed equilibrium each actor's probabilities are fixed by the *other* actors' payoffs: they "
        "are what keeps the others indifferent. Israel's strike probability 3/5 in "
        "`syria_deconfliction` is set by Russia's payoffs; it is not Israel's propensity to strike.",
    ),
    (
        "red line",
        "Two senses. (1) Analysts: a state's declared trigger, the act it says it will not accept "
        "(Israel: a permanent Iranian military presence in Syria, claim C1). (2) Redline's commands "
        "(`thresholds`, `sensitivity`): a critical value of an assumption, where the predicted "
        "behaviour changes (`iran_cost` = 14). A model ties the two: the declared red line is encoded "
        "by a parameter (C1 by `iran_cost`), and the tool finds the values of that parameter at which "
        "the answer flips.",
    ),
    (
        "threshold",
        "The exact value of one assumption, the others held fixed, at which the set of equilibria "
        "changes: on one side one answer, on the other another. The tool's sense of red line.",
    ),
    (
        "degenerate",
        "A game with exact ties (an actor gets the same payoff from two choices against some pure "
        "choice of the others). It happens at thresholds; there a whole range of equilibria can exist.",
    ),
    (
        "credible threat",
        "A threat the actor would actually carry out when the time came, because carrying it out is "
        "then in its own interest. A threat that would not be carried out cannot deter a rational "
        "opponent.",
    ),
    (
        "subgame perfect",
        "An equilibrium of a sequential game in which every actor's plan is in its interest at every "
        "point of the game, including points never reached: it rests on credible threats only (Selten).",
    ),
    (
        "perfect Bayesian",
        "The subgame-perfect idea for games where some actors do not know everything (for example "
        "whether Russia is resolute): each actor acts in its interest given its beliefs, and the beliefs "
        "follow from what it has seen by Bayes' rule.",
    ),
    (
        "regret",
        "How much an actor could gain by changing its choice alone. An equilibrium has regret 0; the "
        "tool prints the regret it verified (0.0e+00, or a rounding error).",
    ),
    (
        "complete",
        "Every equilibrium was found (the search was exhaustive). NOT complete means the list may miss "
        "some, for example because a time limit ran out.",
    ),
    (
        "support",
        "The options an actor plays with positive probability in an equilibrium. 'mixed (full support)' "
        "means every actor uses every option.",
    ),
    (
        "maximal Nash subset",
        "In a degenerate game, a largest group of equilibria any mixture of which is also an "
        "equilibrium (a continuum); the tool lists its corner points.",
    ),
    (
        "discount factor / self-enforcing",
        "In a repeated game, the discount factor (delta, between 0 and 1) is how much the future counts "
        "against today. An agreement is self-enforcing when, for the delta given, no actor gains by "
        "breaking it, given the punishment that would follow.",
    ),
    (
        "pooling / separating",
        "In a signalling game (an actor with private information acts first, the other watches): "
        "pooling when every type sends the same signal, so the signal says nothing; separating when "
        "each type sends its own, so the signal reveals the type; semi-separating when some types mix.",
    ),
    (
        "intuitive criterion",
        "A test of the beliefs behind a signalling equilibrium (Cho & Kreps 1987): after a signal nobody "
        "sends, the watcher should not believe it came from a type that could never gain by sending it. "
        "An equilibrium that survives only on such beliefs fails the test.",
    ),
    (
        "quantal response (QRE) / lambda",
        "Choice with errors (McKelvey & Palfrey 1995): each actor picks better options more often, not "
        "always, and all know it. lambda is the precision: 0 is random choice, large lambda approaches an "
        "equilibrium; the odds of each outcome then change smoothly rather than jump at a threshold. "
        "The logit tracing selection is the equilibrium reached as lambda grows from 0.",
    ),
)


def glossary_text() -> str:
    """The glossary as plain text, one term per paragraph."""
    return "\n\n".join(f"{term}\n  {text}" for term, text in GLOSSARY)


def glossary_markdown() -> str:
    """The glossary as a Markdown list (the README's Glossary section)."""
    return "\n".join(f"- **{term}**: {text}" for term, text in GLOSSARY)


def reading_lines(complete: bool, mixed: bool) -> list[str]:
    """The few words under a ``solve`` table that gloss its jargon (the full glossary is one
    command away).

    >>> print("\\n".join(reading_lines(True, False)))
    reading this:
      complete: every equilibrium is listed
      regret: what a player could gain by deviating alone (0: exact)
      terms: redline explain --glossary
    """
    lines = [
        "reading this:",
        "  complete: every equilibrium is listed" if complete else "  NOT known to be complete: see the notes",
        "  regret: what a player could gain by deviating alone (0: exact)",
    ]
    if mixed:
        lines.append(
            "  mixed: a player's probabilities keep the OTHER players indifferent: they are set by the "
            "others' payoffs, not by the player's own inclination (redline explain says whose)"
        )
    lines.append("  terms: redline explain --glossary")
    return lines
