"""The outcomes of an equilibrium, for ``redline solve``: the probability that each pure profile
is played (:meth:`solver.core.result.Equilibrium.outcomes`), as JSON and as plain lines.

>>> from fractions import Fraction as F
>>> from solver.core.result import Equilibrium
>>> e = Equilibrium(("Israel", "Russia"), (("Tolerate", "Strike"), ("Acquiesce", "Confront")),
...                 ((F(2, 5), F(3, 5)), (F(2, 3), F(1, 3))), (F(-14, 3), -3), 0.0)
>>> outcomes_json(e, exact=True)[2]
{'outcome': 'Strike, Confront', 'probability': 0.2, 'probability_exact': '1/5'}
>>> outcome_line(1, e, exact=True)
'#1: Strike, Acquiesce 2/5; Tolerate, Acquiesce 4/15; Strike, Confront 1/5 (and 1 more)'
"""

from __future__ import annotations

from typing import Any

from solver.core.game import Number
from solver.core.result import Equilibrium, Result, exact_string

#: how many outcomes a table prints per equilibrium
TOP = 3


def _prob(p: Number, exact: bool) -> str:
    if exact:
        return exact_string(p)
    return f"{float(p):.4g}"


def outcomes_json(e: Equilibrium, *, exact: bool) -> list[dict[str, Any]]:
    """The pure profiles the equilibrium plays, most likely first (at most
    :data:`~solver.core.result.MAX_OUTCOMES`; the JSON's ``outcomes_not_listed`` counts the rest);
    ``probability_exact`` only when the result is exact (like the other ``*_exact`` fields)."""
    out = []
    for labels, p in e.outcomes():
        item: dict[str, Any] = {"outcome": ", ".join(labels), "probability": float(p)}
        if exact:
            item["probability_exact"] = exact_string(p)
        out.append(item)
    return out


def outcome_line(k: int, e: Equilibrium, *, exact: bool, top: int = TOP) -> str:
    """``#k: A, B 2/5; ...``: the ``top`` most likely outcomes of equilibrium ``k``."""
    cells = e.outcomes(top=top)
    if len(cells) == 1:
        return f"#{k}: {', '.join(cells[0][0])} (certain)"
    shown = "; ".join(f"{', '.join(labels)} {_prob(p, exact)}" for labels, p in cells[:top])
    more = e.outcome_count() - min(top, len(cells))
    return f"#{k}: {shown}" + (f" (and {more} more)" if more > 0 else "")


def has_profile_outcomes(result: Result, model: Any = None) -> bool:
    """Strategic-form results only: a tree's outcomes are its terminal histories (its own render)."""
    if model is not None and getattr(model, "tree", None) is not None:
        return False
    return not any("path" in e.extra or "outcomes" in e.extra for e in result.equilibria)


def outcome_lines(result: Result, *, exact: bool) -> list[str]:
    """The table's block: the most likely outcomes of every equilibrium."""
    if not result.equilibria:
        return []
    head = "most likely outcomes (the chance each combination of strategies is played):"
    return ["", head, *("  " + outcome_line(k, e, exact=exact) for k, e in enumerate(result.equilibria, 1))]
