"""Off-path threats of a signalling game's perfect Bayesian equilibria as text (``redline
credibility``, the brief): the receiver's answer to a message no type sends, the beliefs that
support it, and whether the intuitive criterion (Cho & Kreps 1987) kills it.

>>> from solver.analysis.credibility import threats
>>> from solver.formats import load
>>> rows = signalling_threats_text(threats(load("beer_quiche")), width=200).splitlines()[5:7]
>>> [[c.strip() for c in r.split("  ") if c.strip()][3:5] for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[['A is Weak with probability 1/2 or more', 'survives'],
 ['A is Weak with probability exactly 1/2', 'KILLED (its outcome survives)']]
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from solver.render.layout import output_width, table

HEADER = ["player", "would play", "at", "supported by beliefs", "intuitive criterion", "sustains"]


def criterion_word(t: Any) -> str:
    """``survives``, or ``KILLED`` (no belief the criterion allows supports the answer) with
    whether the equilibrium's outcome survives all the same (through another answer)."""
    if not t.signalling["killed"]:
        return "survives"
    fate = "its outcome survives" if t.signalling["equilibrium_survives"] else "the equilibrium fails"
    return f"KILLED ({fate})"


def signalling_threats_text(found: Sequence[Any], width: int | None = None) -> str:
    """The table of the signalling threats in ``found`` (others are skipped), then the reason of
    the criterion's verdict at each unsent message; ``""`` when there are none."""
    sig = [t for t in found if t.signalling is not None]
    if not sig:
        return ""
    rows = [
        [t.player, t.action, f"after {t.where}", t.region, criterion_word(t), "; ".join(t.sustains)] for t in sig
    ]
    why = dict.fromkeys(f"after {t.where}: {t.signalling['why']}." for t in sig)
    return "\n".join([
        "off-path answers of the perfect Bayesian equilibria (a message no type sends; the beliefs that",
        "support the answer; killed where the intuitive criterion rules those beliefs out):",
        "",
        table(rows, HEADER, width),
        "",
        "intuitive criterion (Cho & Kreps 1987):",
        *(line for w in why for line in textwrap.wrap(w, width or output_width(), initial_indent="  ",
                                                         subsequent_indent="    ", break_on_hyphens=False)),
    ])
