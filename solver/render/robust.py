"""``redline robust`` as text and as its JSON document (:func:`solver.analysis.robust.robust`).

>>> from solver.formats import load
>>> from solver.analysis.robust import robust
>>> print(robust_text(robust(load("syria_deconfliction"))).splitlines()[2])
orderings consistent with [ordering]: Israel 3, Russia 3; 9 combinations solved (complete)
"""

from __future__ import annotations

from typing import Any

from solver.analysis.robust import ORDINAL_NOTE, Robust
from solver.render.layout import table


def robust_doc(res: Robust) -> dict[str, Any]:
    """The JSON document: per-player ordering counts, each conclusion with how often it holds
    and an example ordering where it holds and where it fails, the equilibrium outcome sets."""
    return {
        "model": res.model,
        "kind": res.kind,
        "players": list(res.players),
        "orderings": {po.player: {"count": len(po.orders), "complete": po.complete} for po in res.orders},
        "combinations": res.examined,
        "complete": res.complete,
        "limits": list(res.limits),
        "time_budget": res.time_budget,
        "note": ORDINAL_NOTE,
        "status_quo": res.status_quo,
        "numbers_consistent": not res.violations,
        "violations": list(res.violations),
        "findings": [
            {
                "kind": f.kind,
                "conclusion": f.text,
                "verdict": f.verdict,
                "holds": f.holds,
                "of": f.of,
                "example_holds": res.example(f.holds_in),
                "example_fails": res.example(f.fails_in),
            }
            for f in res.findings
        ],
        "equilibrium_sets": [
            {"outcomes": list(s), "count": c} for s, c in sorted(res.sets.items(), key=lambda x: (-x[1], x[0]))
        ],
    }


def robust_text(res: Robust) -> str:
    """The table: each conclusion, in how many orderings it holds, and where it fails."""
    counts = ", ".join(f"{po.player} {len(po.orders)}{'' if po.complete else '+'}" for po in res.orders)
    state = "complete" if res.complete else "NOT complete"
    lines = [
        f"ordinal robustness: {res.title}",
        f"note: {ORDINAL_NOTE}",
        f"orderings consistent with [ordering]: {counts}; {res.examined} combinations solved ({state})",
    ]
    if res.violations:
        lines.append(f"note: the model's numbers break {len(res.violations)} stated constraint(s): {res.violations[0]}")
    else:
        lines.append("the model's numbers (at the values given) are one of these orderings")
    lines.append("")
    rows = [[f.verdict, f"{f.holds}/{f.of}", f.text] for f in res.findings]
    lines.append(table(rows, ["holds", "in", "conclusion"]))
    what = "pure equilibria" if res.kind == "strategic" else "subgame-perfect outcomes"
    lines += ["", f"{what} (how many orderings give exactly this set):"]
    for s, c in sorted(res.sets.items(), key=lambda x: (-x[1], x[0])):
        lines.append(f"  {c:>6}  {'; '.join(s) if s else 'none'}")
    for f in res.findings:
        if f.verdict == "depends" and f.kind in ("status_quo", "exists"):
            lines += ["", f"fails in, e.g., these orderings (worst first): {f.text}"]
            lines += [f"  {p}: {o}" for p, o in res.example(f.fails_in).items()]
    if any(f.verdict == "depends" for f in res.findings):
        lines += ["", "--format json gives, for each conclusion, an ordering where it holds and one where it fails"]
    for limit in res.limits:
        lines.append(f"note: {limit}")
    return "\n".join(lines)
