"""Signalling games in words: a perfect Bayesian equilibrium's kind and its Cho-Kreps tests
(Cho & Kreps 1987), and the PBE grouped by their play.

Equilibria that differ only off the path (the receiver's answer to a message nobody sends) play
the same; the intuitive criterion and D1 judge that play, so one line per group says it all.

>>> signalling_words({"kind": "pooling", "intuitive_criterion": False, "d1": False})
'pooling, fails the intuitive criterion and D1'
>>> signalling_words({"kind": "separating", "intuitive_criterion": True, "d1": None})
'separating, survives the intuitive criterion'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from solver.core.result import Equilibrium


def signalling_words(sig: Mapping[str, Any]) -> str:
    """``pooling, survives the intuitive criterion and D1`` (D1 unsaid where not computed)."""
    ic, d1 = sig.get("intuitive_criterion"), sig.get("d1")
    words = f"{sig['kind']}, {'survives' if ic else 'fails'} the intuitive criterion"
    if d1 is None:
        return words
    return words + (" and D1" if d1 == ic else f", {'survives' if d1 else 'fails'} D1")


def signalling_lines(equilibria: Sequence[Equilibrium]) -> list[str]:
    """One line per play of the PBE listed (numbered as listed): its kind, its tests, its paths."""
    groups: dict[tuple[tuple[str, float], ...], list[int]] = {}
    for k, e in enumerate(equilibria, 1):
        if not e.extra.get("signalling"):
            continue
        outs = e.extra.get("outcomes") or []
        play = tuple(sorted((" > ".join(o["path"]), round(float(o["probability"]), 12)) for o in outs))
        groups.setdefault(play, []).append(k)
    if not groups:
        return []
    lines = ["", "perfect Bayesian plays (the equilibria of a group differ off the path only):"]
    for play, ks in groups.items():
        words = signalling_words(equilibria[ks[0] - 1].extra["signalling"])
        paths = " | ".join(dict.fromkeys(path for path, _ in play))
        numbers = ", ".join(f"#{k}" for k in ks)
        lines.append(f"  {words}: {paths}  ({numbers})")
    return lines
