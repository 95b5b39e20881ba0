"""The brief's words on a signalling game's perfect Bayesian equilibrium (``redline explain`` and
the briefing page): its kind, the receiver's beliefs on the path, the off-path answers and the
beliefs that support them, and the intuitive criterion's verdict with its reason (Cho & Kreps
1987), all read by :mod:`solver.analysis.explain_signalling`.

>>> from solver.formats import load
>>> from solver.analysis.explain_signalling import signalling_game
>>> from solver.equilibria.trees.sequential import credible_solve
>>> m = load("beer_quiche")
>>> eqs = credible_solve(m, m.values({})).equilibria
>>> tags, notes, doc = pbe_words(signalling_game(m, m.values({})), eqs[2].extra)
>>> tags, doc["off_path"][0]["response"], doc["off_path"][0]["supporting"]
(('perfect Bayesian', 'pooling', 'fails the intuitive criterion'), 'Duel', {'type': 'Weak', 'min': '1/2', 'max': '1'})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from solver.analysis.explain_signalling import Game, read_pbe


def verdict(passed: bool) -> str:
    return "survives the intuitive criterion" if passed else "fails the intuitive criterion"


def pbe_words(g: Game, extra: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]:
    """(tags, sentences, JSON-ready entry) of the PBE whose solver ``extra`` is given: its kind,
    the criterion's verdict and D1 as the solver found them, the beliefs, the off-path threats."""
    solver = extra["signalling"]
    r = read_pbe(g, extra["behaviour"])
    s, rec = g.sig.sender, g.sig.receiver
    ic, d1 = bool(solver["intuitive_criterion"]), solver.get("d1")
    notes = [r.kind_words]
    if r.beliefs:
        notes.append(f"{rec}'s beliefs on the path (Bayes' rule): " + "; ".join(r.beliefs) + ".")
    for o in r.off_path:
        mine = f" ({rec} {o.receiver_type})" if o.receiver_type else ""
        notes.append(
            f"Off the path: no type of {s} sends {o.message}; {rec}{mine} would answer {o.response}, a best "
            f"reply if it believes {o.belief} (the off-path beliefs that support this equilibrium)."
        )
    why = list(dict.fromkeys(o.why for o in r.off_path if o.breakers or not ic)) or list(
        dict.fromkeys(o.why for o in r.off_path)
    )
    said = f"Intuitive criterion (Cho & Kreps 1987): {'survives' if ic else 'fails'}"
    notes.append(said + (": " + "; and ".join(why) + "." if why else ": every message is sent on the path."))
    if d1 is not None:
        notes.append(f"D1 (Cho & Kreps 1987; Banks & Sobel 1987): {'survives' if d1 else 'fails'}.")
    tags = ("perfect Bayesian", str(solver["kind"]), verdict(ic))
    doc = {
        "kind": solver["kind"],
        "intuitive_criterion": ic,
        "d1": d1,
        "beliefs": list(r.beliefs),
        "off_path": [asdict(o) for o in r.off_path],
    }
    return tags, tuple(notes), doc
