"""Unravelling and red lines of delta*: text, JSON and the delta*(t) chart.

``unravel_doc``/``unravel_text`` render :class:`solver.analysis.repeated.Unravel` (the exact first
``t`` under Nash reversion, the numeric ones for the other punishments, the closed form of delta*
piece by piece); ``delta_thresholds_doc``/``_text`` render
:class:`solver.analysis.repeated_thresholds.DeltaThresholds`; :func:`plot_unravel` draws delta*(t) against
delta (matplotlib, Agg) and writes it atomically through :mod:`solver.formats.atomic`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from solver.render.repeated import DELTA, exact, words
from solver.render.text import table

NUMERIC_WORDS = {"nash": "Nash reversion", "minmax": "minmax bound", "penal_code": "simple penal code"}


def _var(x: Any, u: Any) -> Any:
    """A closed form in t, written in the path's parameter when t stands for one."""
    if x is None or u.variable == "t" or not hasattr(x, "subs"):
        return x
    from solver.analysis.repeated_path import T
    from solver.core.expr import symbol

    return x.subs(T, symbol(u.variable))


def _decimal(x: Any) -> float | None:
    return None if x is None else float(x)


def _first_words(u: Any) -> str:
    deal = "(" + ", ".join(u.target) + ")"
    if u.first is None:
        return (
            f"The deal {deal} stays self-enforcing at {DELTA} = {exact(u.delta)} on the whole path "
            f"{u.variable} = {exact(u.lo)}..{exact(u.hi)} (Nash reversion)."
        )
    who = " and ".join(u.breaks)
    several = len(u.breaks) > 1
    at = str(exact(u.first)) + ("" if u.first.is_Rational and u.first.q == 1 else f" (≈ {float(u.first):.6g})")
    if not u.exact:
        at = f"{float(u.first):.6g}"
    start = u.first == u.lo and u.closed
    if start:
        head = f"The deal {deal} is not self-enforcing at {DELTA} = {exact(u.delta)} already at {u.variable} = {at}"
    else:
        when = "from" if u.closed else "just after"
        head = f"The deal {deal} stops being self-enforcing at {DELTA} = {exact(u.delta)} {when} {u.variable} = {at}"
    whose = f"the {DELTA}* of {who}" if several else f"{who}'s {DELTA}*"
    verb = ("are" if several else "is") + " above" if start else ("rise" if several else "rises") + " above"
    why = (
        f"no {DELTA} < 1 deters {who} any more: the deal pays no more than the punishment"
        if u.cause == "none"
        else f"{whose} {verb} {exact(u.delta)}"
    )
    how = "exact" if u.exact else "numeric, see below"
    return f"{head} (Nash reversion, {how}): {why}; {who} {'break' if several else 'breaks'} it first."


def unravel_doc(u: Any, title: str = "") -> dict[str, Any]:
    return {
        "model": title,
        "target": list(u.target),
        "delta": exact(u.delta),
        "path": {"variable": u.variable, "from": exact(u.lo), "to": exact(u.hi), "moving": dict(u.moving)},
        "first": exact(u.first),
        "first_decimal": _decimal(u.first),
        "from_first_on": u.closed,
        "breaks": list(u.breaks),
        "cause": u.cause or None,
        "exact": u.exact,
        "method": "exact: grim trigger with Nash reversion, symbolic branches along the path"
        if u.exact
        else "numeric: grim trigger with Nash reversion, exact analysis on a grid and bisection",
        "segments": [
            {
                "from": exact(s.lo),
                "to": exact(s.hi),
                "critical_delta": exact(_var(s.value, u)),
                "by_player": {p: exact(_var(v, u)) for p, v in s.by_player.items()},
                "reversion": dict(s.reversion),
                "checked": s.checked,
            }
            for s in u.segments
        ],
        "numeric": [
            {
                "kind": f.kind,
                "first": exact(f.first),
                "first_decimal": _decimal(f.first),
                "tolerance": float(f.width / 2),
                "breaks": list(f.breaks),
            }
            for f in u.numeric
        ],
        "notes": list(u.notes),
        "complete": u.complete,
        "limits": list(u.limits),
    }


def unravel_text(u: Any, title: str = "") -> str:
    lines = [title] if title else []
    if u.variable == "t":
        lines.append(
            "path: "
            + ", ".join(f"{k} = {v}" for k, v in u.moving.items())
            + f", {u.variable} from {exact(u.lo)} to {exact(u.hi)}"
        )
    lines += [_first_words(u), ""]
    rows = [
        [
            f"{exact(s.lo)} .. {exact(s.hi)}",
            words(_var(s.value, u)),
            *(words(_var(v, u)) for v in s.by_player.values()),
            next(iter(s.reversion.values()), ""),
        ]
        for s in u.segments
    ]
    merged: list[list[str]] = []
    for row in rows:  # neighbours with the same closed form (split where delta* crosses delta)
        if merged and merged[-1][1:] == row[1:]:
            merged[-1][0] = merged[-1][0].split(" .. ")[0] + " .. " + row[0].split(" .. ")[1]
        else:
            merged.append(row)
    rows = merged
    players = list(u.segments[0].by_player) if u.segments else []
    if rows:
        lines.append(table(rows, [u.variable, f"{DELTA}* (Nash)", *players, "reversion"]))
    rows = []
    for f in u.numeric:
        who = f" ({', '.join(f.breaks)})" if f.breaks else ""
        where = "never on the path" if f.first is None else f"{float(f.first):.6g} ± {float(f.width / 2):.1g}{who}"
        rows.append([NUMERIC_WORDS.get(f.kind, f.kind), where])
    lines += [""] if lines[-1] else []
    lines += [
        f"first {u.variable} where each punishment fails at {DELTA} = {exact(u.delta)} "
        "(numeric: exact analysis on a grid, then bisection)",
        table(rows, ["punishment", f"first {u.variable}"]),
    ]
    lines += [f"note: {n}" for n in u.notes]
    lines += [f"incomplete: {x}" for x in u.limits]
    return "\n".join(lines)


def delta_thresholds_doc(ts: Any, model: str = "") -> dict[str, Any]:
    return {
        "model": model,
        "target": list(ts.target),
        "parameter": ts.parameter,
        "delta": exact(ts.delta),
        "range": [exact(ts.low), exact(ts.high)],
        "thresholds": [
            {
                "exact": exact(t.value),
                "value": float(t.value),
                "kind": t.kind,
                "critical_delta_before": exact(t.before),
                "critical_delta_after": exact(t.after),
                "held_before": t.held_before,
                "held_after": t.held_after,
            }
            for t in ts.found
        ],
        "notes": list(ts.notes),
        "complete": True,
        "limits": [],
    }


def delta_thresholds_text(ts: Any, title: str = "") -> str:
    deal = "(" + ", ".join(ts.target) + ")"
    at = f" at {DELTA} = {exact(ts.delta)}" if ts.delta is not None else ""
    head = (
        f"{title}\nred lines of {ts.parameter} for the deal {deal}{at} (grim trigger, Nash reversion; "
        f"others fixed, range [{exact(ts.low)}, {exact(ts.high)}])\n"
    )

    def held(x: bool | None) -> str:
        return "" if x is None else " (holds)" if x else " (broken)"

    rows = [
        [
            str(exact(t.value)),
            f"{float(t.value):.10g}",
            t.kind,
            words(t.before) + held(t.held_before),
            words(t.after) + held(t.held_after),
        ]
        for t in ts.found
    ]
    header = ["exact", "decimal", "what", f"{DELTA}* below", f"{DELTA}* above"]
    body = table(rows, header) if rows else "none on the range"
    return head + "\n" + body


def plot_unravel(u: Any, path: str | Path, *, title: str | None = None) -> Path:
    """Draw delta*(t) (exact Nash reversion, and the numeric minmax bound and penal code) against
    the discount factor, and write the chart to ``path`` atomically (png, pdf, svg)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import sympy as sp

    from solver.analysis.repeated_path import T
    from solver.formats.atomic import write_bytes

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for k, s in enumerate(u.segments):
        xs = np.linspace(float(s.lo), float(s.hi), 50)
        ys = (
            np.ones_like(xs)
            if s.value is None
            else np.broadcast_to(np.asarray(sp.lambdify(T, s.value, "numpy")(xs), dtype=float), xs.shape)
        )
        ax.plot(
            xs,
            ys,
            color="tab:blue",
            linestyle=":" if s.value is None else "-",
            label=f"{DELTA}* Nash reversion (exact; dotted: none below 1)" if k == 0 else None,
        )
    grid = [float(x) for x in u.grid]
    for kind, style in (("minmax", "tab:green"), ("penal_code", "tab:orange")):
        curve = [1.0 if v is None else float(v) for v in u.curves.get(kind, ())]
        if curve:
            label = f"{DELTA}* {NUMERIC_WORDS[kind]} (grid)"
            ax.plot(grid[: len(curve)], curve, color=style, linestyle="--", label=label)
    ax.axhline(float(u.delta), color="black", linewidth=0.8, label=f"{DELTA} = {exact(u.delta)}")
    if u.first is not None:
        ax.axvline(float(u.first), color="tab:red", linewidth=0.8, label=f"unravels at {u.variable} = {exact(u.first)}")
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel(u.variable)
    ax.set_ylabel(f"critical {DELTA}*")
    ax.set_title(title or f"({', '.join(u.target)}): self-enforcing where {DELTA} ≥ {DELTA}*", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    out = Path(path)
    buf = io.BytesIO()
    fig.savefig(buf, format=out.suffix.lower()[1:] or "png")
    plt.close(fig)
    write_bytes(out, buf.getvalue())
    return out
