"""A delta* sweep as text: what was swept, the shares, and along one parameter the runs of delta*
(:func:`solver.sweep.repeated_output.segments`) with each player's critical delta.

>>> from solver.formats import load
>>> from solver.sweep.repeated import sweep_repeated
>>> r = sweep_repeated(load("prisoners_dilemma"), "Cooperate, Cooperate", {"T": [4, 5, 7]},
...                    {"R": 3, "P": 1, "S": 0}, punishment="nash")
>>> print(repeated_sweep_text(r).splitlines()[-1])
4 .. 7  0.333333 .. 0.666667 (rising)  0.333333 .. 0.666667  0.333333 .. 0.666667
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from solver.core.tolerances import DISPLAY_EQUAL
from solver.render.text import table

if TYPE_CHECKING:
    from solver.sweep.repeated_result import RepeatedSweep

#: what each punishment of a delta* sweep means, in words
PUNISHMENT_WORDS = {
    "nash": "grim trigger, reversion to the stage equilibrium worst for the deviator (Friedman 1971)",
    "minmax": "the minmax bound (Fudenberg & Maskin 1986): no equilibrium sustains the target below it",
    "best": "the best subgame-perfect punishment: simple penal codes, Nash reversion or stick and "
    "carrot (Abreu 1988)",
}


def _g(x: float) -> str:
    return f"{x:.6g}"


def _span(values: Any, a: int, b: int) -> str:
    """The range of ``values[a..b]`` (lowest .. highest over the run, not its two ends)."""
    run = np.asarray(values[a : b + 1], dtype=float)
    if np.isnan(run).all():
        return "none"
    lo, hi = float(np.nanmin(run)), float(np.nanmax(run))
    return _g(lo) if abs(hi - lo) <= DISPLAY_EQUAL * max(1.0, abs(lo)) else f"{_g(lo)} .. {_g(hi)}"


def _trend(values: Any, a: int, b: int) -> str:
    steps = np.diff(np.asarray(values[a : b + 1], dtype=float))
    if (steps >= 0).all():
        return " (rising)"
    if (steps <= 0).all():
        return " (falling)"
    return " (not monotone)"


def repeated_sweep_text(r: RepeatedSweep) -> str:
    from solver.sweep.repeated_output import crossings, segments, summary

    plan = r.plan
    head = [
        f"{r.model.title}: delta* of ({', '.join(r.target)}) at {r.n_points:,} points over "
        + ", ".join(plan.names),
        f"punishment: {r.punishment}: {PUNISHMENT_WORDS[r.punishment]}",
    ]
    fixed = {k: v for k, v in plan.fixed.items() if k not in plan.names}
    if fixed:
        head.append("fixed: " + ", ".join(f"{k} = {float(v):g}" for k, v in fixed.items()))
    head.append(f"method: {r.method}" + "".join(f"; {n}" for n in r.notes))
    if not r.complete:
        head.append("INCOMPLETE: " + "; ".join(r.limits))
    s = summary(r)
    line = f"sustained for some delta < 1 at {100 * s['sustainable_share']:.1f}% of the solved points"
    if s["delta_star_min"] is not None:
        line += f"; delta* from {_g(s['delta_star_min'])} to {_g(s['delta_star_max'])}"
    head.append(line)
    if r.delta is not None:
        head.append(f"holds at delta = {float(r.delta):g} at {100 * s['holds_share']:.1f}% of the solved points")
    runs = segments(r)
    if not runs:
        return "\n".join(head)
    rows = []
    for seg in runs:
        a, b = seg["first_point"], seg["last_point"]
        where = _g(seg["from"]) if a == b else f"{_g(seg['from'])} .. {_g(seg['to'])}"
        if seg["kind"] == "none":
            star = "none (no delta < 1)"
        else:
            star = _span(r.delta_star, a, b)
            if seg["kind"] == "varies":
                star += _trend(r.delta_star, a, b)
        rows.append([where, star, *[_span(v, a, b) for v in r.by_player.values()]])
    lines = [*head, "", table(rows, [plan.names[0], "delta*", *r.by_player])]
    for c in crossings(r):
        lo, hi = c["between"]
        verb = "starts" if c["holds_after"] else "stops"
        lines.append(
            f"at delta = {float(r.delta or 0):g} the target {verb} holding between "
            f"{plan.names[0]} = {_g(lo)} and {_g(hi)}"
        )
    return "\n".join(lines)
