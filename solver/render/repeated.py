"""Repeated-game results for people and for programs: the analyst's table and the JSON document.

:func:`repeated_doc` gives the keys of issue 12: ``target``, ``punishments`` (each ``kind``,
``critical_delta`` as an exact string or null when no delta < 1 works, ``by_player``,
``conditions``), ``payoff_set`` (vertices, two players), ``feasible_ir_set``,
``stage_equilibria``, ``minmax``, ``notes``, ``complete``, ``limits``; numbers are exact strings.
:func:`repeated_text` says the same in words.  Labels stay outside: the document names players
and strategies ("Israel", "Strike"), never indices.

>>> from solver.core.game import Game
>>> from solver.equilibria.repeated import analyse_repeated
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("Row", "Column"),
...                         strategies=(("C", "D"), ("C", "D")))
>>> doc = repeated_doc(analyse_repeated(pd, "C, C"))
>>> doc["target"], [(p["kind"], p["critical_delta"]) for p in doc["punishments"]]
(['C', 'C'], [('nash', '1/2'), ('minmax', '1/2'), ('penal_code', '1/2')])
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.result import exact_string
from solver.render.text import table

#: what each punishment kind is, in the analyst's words
KIND_WORDS = {
    "nash": "Nash reversion (grim trigger)",
    "minmax": "minmax bound (no equilibrium does better)",
    "penal_code": "optimal simple penal code (stick and carrot)",
}
DELTA = "δ"


def exact(x: Any) -> str | None:
    """An exact string (``'3/4'``), None for None; sympy and floats by ``str``/short decimals."""
    if x is None:
        return None
    if isinstance(x, Fraction | int):
        return exact_string(Fraction(x))
    if isinstance(x, float):
        return exact_string(x)
    return str(x)


def words(x: Any) -> str:
    """A delta for a sentence: ``3/4``, or ``none below 1``."""
    return "none below 1" if x is None else str(exact(x))


def _set_doc(ps: Any) -> dict[str, Any] | None:
    if ps is None:
        return None
    return {
        "vertices": [[exact(a), exact(b)] for a, b in ps.vertices],
        "exact": all(isinstance(c, Fraction) for v in ps.vertices for c in v),
        "iterations": ps.iterations,
        "converged": ps.converged,
        "note": ps.note,
    }


def closed_doc(c: Any) -> dict[str, Any] | None:
    """The grim-trigger closed form (:class:`~solver.analysis.repeated_closed.ClosedForm`)."""
    if c is None:
        return None
    return {
        "critical_delta": exact(c.value),
        "by_player": {p: exact(v) for p, v in c.by_player.items()},
        "conditions": [str(x) for x in c.conditions],
        "reversion": dict(c.reversion),
    }


def repeated_doc(r: Any, closed: Any = None) -> dict[str, Any]:
    """The JSON document of a :class:`~solver.equilibria.repeated.RepeatedResult`; ``closed``
    (optional) is the grim-trigger closed form in the parameters: its conditions become the
    Nash punishment's ``conditions`` and it is given whole as ``closed_form``."""
    doc = _doc(r)
    doc["closed_form"] = closed_doc(closed)
    if closed is not None:
        doc["punishments"][0]["conditions"] = [str(x) for x in closed.conditions]
    return doc


def _doc(r: Any) -> dict[str, Any]:
    return {
        "target": list(r.target),
        "delta": exact(r.delta),
        "critical_delta": exact(r.critical_delta),
        "sustained": r.sustained(),
        "target_payoffs": {p: exact(v) for p, v in r.target_payoffs.items()},
        "deviation_payoffs": {p: exact(v) for p, v in r.deviation_payoffs.items()},
        "punishments": [
            {
                "kind": p.kind,
                "critical_delta": exact(p.critical_delta),
                "by_player": {q: exact(v) for q, v in p.by_player.items()},
                "conditions": [str(c) for c in p.conditions],
                "detail": dict(p.detail),
                "note": p.note,
            }
            for p in r.punishments
        ],
        "reversions": [
            {
                "equilibrium": v.equilibrium,
                "payoffs": {q: exact(x) for q, x in v.payoffs.items()},
                "critical_delta": exact(v.critical_delta),
                "by_player": {q: exact(x) for q, x in v.by_player.items()},
            }
            for v in r.reversions
        ],
        "stage_equilibria": [
            {
                "equilibrium": e.describe(),
                "strategies": {p: {s: exact(q) for s, q in mix.items()} for p, mix in e.profile.items()},
                "payoffs": {p: exact(v) for p, v in e.payoffs.items()},
            }
            for e in r.stage_equilibria
        ],
        "minmax": {p: {"value": exact(v), "punishers": r.punishers[p]} for p, v in r.minmax.items()},
        "payoff_set": _set_doc(r.payoff_set),
        "feasible_ir_set": _set_doc(r.feasible_ir_set),
        "method": r.method,
        "notes": list(r.notes),
        "complete": r.complete,
        "limits": list(r.limits),
    }


def _tempted(r: Any) -> tuple[list[str], list[str]]:
    tempted = [p for p in r.target_payoffs if r.deviation_payoffs[p] > r.target_payoffs[p]]
    return tempted, [p for p in r.target_payoffs if p not in tempted]


def headline(r: Any) -> str:
    """One sentence: from which delta the target is self-enforcing, under which punishment."""
    deal = "(" + ", ".join(r.target) + ")"
    nash, code = r.punishment("nash"), r.punishment("penal_code")
    best = r.critical_delta
    if best is None:
        text = (
            f"The deal {deal} is not self-enforcing for any {DELTA} < 1: no subgame-perfect "
            "punishment found deters every deviation."
        )
    elif best == 0:
        text = f"The deal {deal} is a stage equilibrium: it holds for every {DELTA}, no threat needed."
    else:
        how = "Nash reversion (grim trigger)" if nash.critical_delta == best else "an optimal simple penal code"
        text = f"The deal {deal} is self-enforcing when every side weighs the future at {DELTA} ≥ {exact(best)}"
        text += f" under {how}"
        if how != "Nash reversion (grim trigger)":
            text += f" (Nash reversion needs {DELTA} ≥ {words(nash.critical_delta)})"
        elif code.critical_delta is not None and code.critical_delta < best:
            text += f" (a penal code needs only {exact(code.critical_delta)})"
        text += "."
    low = r.punishment("minmax").critical_delta
    if low is not None and best is not None and 0 < low < best:
        text += f" No equilibrium sustains it below {DELTA} = {exact(low)} (the minmax bound)."
    return text


def repeated_text(r: Any, title: str = "", closed: Any = None) -> str:
    """The analyst's table: the headline, who is tempted, what binds, then the numbers."""
    tempted, calm = _tempted(r)
    lines = [title] if title else []
    lines.append(headline(r))
    for p in tempted:
        lines.append(
            f"{p} is tempted: the deal pays {exact(r.target_payoffs[p])}, breaking it once "
            f"{exact(r.deviation_payoffs[p])}."
        )
    if calm:
        verb = "is" if len(calm) == 1 else "are"
        lines.append(f"{' and '.join(calm)} {verb} never tempted: the deal is a best reply.")
    if r.delta is not None:
        verdict = "holds" if r.sustained() else "does not hold"
        lines.append(f"At {DELTA} = {exact(r.delta)} the deal {verdict} as a subgame-perfect outcome.")
    rows = [
        [KIND_WORDS.get(p.kind, p.kind), words(p.critical_delta), *(words(p.by_player[q]) for q in r.target_payoffs)]
        for p in r.punishments
    ]
    lines += ["", table(rows, ["punishment", f"{DELTA}*", *r.target_payoffs])]
    binds = [f"  {p.kind}, {q}: {p.detail[q]}" for p in r.punishments for q in tempted if q in p.detail]
    lines += ["", "what binds:", *binds] if binds else []
    if closed is not None and closed.value is not None:
        where = ", ".join(str(c) for c in closed.conditions)
        lines += ["", f"Nash reversion in the parameters: {DELTA}* = {closed.value}, while {where}"]
    lines += [
        "",
        "stage equilibria: "
        + "; ".join(
            e.describe() + " paying " + ", ".join(f"{p} {exact(v)}" for p, v in e.payoffs.items())
            for e in r.stage_equilibria
        ),
    ]
    lines.append("minmax: " + "; ".join(f"{p} {exact(v)} ({r.punishers[p]})" for p, v in r.minmax.items()))
    if r.feasible_ir_set is not None:
        lines.append("feasible and individually rational payoffs: " + _vertices(r.feasible_ir_set))
    if r.payoff_set is not None:
        lines.append(
            f"subgame-perfect payoffs at {DELTA} = {exact(r.delta)}: "
            + _vertices(r.payoff_set)
            + (f" ({r.payoff_set.note})" if r.payoff_set.note else "")
        )
    lines += [f"note: {n}" for n in r.notes]
    lines += [f"incomplete: {x}" for x in r.limits]
    return "\n".join(lines)


def _vertices(ps: Any) -> str:
    return "polygon " + " ".join(f"({exact(a)}, {exact(b)})" for a, b in ps.vertices)


def finite_doc(f: Any, target: Mapping[str, str] | list[str]) -> dict[str, Any]:
    """The JSON document of a finitely repeated game (:class:`FiniteResult`)."""
    return {
        "target": list(target),
        "periods": f.periods,
        "target_periods": f.target_periods,
        "path": list(f.path),
        "reward": f.reward,
        "punishments": dict(f.punishments),
        "unique_stage_equilibrium": f.unique_stage_equilibrium,
        "notes": [f.note],
    }


def finite_text(f: Any, title: str = "") -> str:
    lines = [title] if title else []
    if f.target_periods:
        lines.append(f"{f.periods} periods, undiscounted: the target is played in the first {f.target_periods}.")
    else:
        lines.append(f"{f.periods} periods, undiscounted: the target is never played in a subgame-perfect equilibrium.")
    runs: list[list[Any]] = []
    for k, step in enumerate(f.path, start=1):
        if runs and runs[-1][2] == step:
            runs[-1][1] = k
        else:
            runs.append([k, k, step])
    lines += ["", table([[f"{a}" if a == b else f"{a}-{b}", s] for a, b, s in runs], ["periods", "play"])]
    lines += ["", f"note: {f.note}"]
    return "\n".join(lines)
