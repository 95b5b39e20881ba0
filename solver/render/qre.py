"""``redline qre`` as a JSON document and as a table (returns strings; the CLI prints).

The document: ``points`` (each ``lambda``, ``profile``: player -> strategy -> probability, or on
a tree player -> information set -> action -> probability, and ``payoffs``), the ``limit`` (the
Nash equilibrium the branch selects, labelled, or null) and the honest flags of every Redline
result (``method``, ``complete``, ``status``, ``turning``, ``bifurcations``, ``notes``,
``limits``, ``tolerances``, ``time_budget``).  The table shows a dozen lambdas of a traced branch
(all asked ones otherwise), the Nash limit, and the odds of each outcome where there are few.

>>> from solver.analysis.qre import qre
>>> doc = qre_doc(qre("prisoners_dilemma", [0.0]))
>>> doc["points"][0]["profile"]["Row"], doc["limit"]["description"]
({'Cooperate': 0.5, 'Defect': 0.5}, 'pure (Defect, Defect)')
"""

from __future__ import annotations

import math
from typing import Any

from solver.analysis.qre import QREResult
from solver.core.result import exact_string
from solver.equilibria.qre.types import QREPoint
from solver.render.layout import given, table
from solver.render.text import num

#: a traced branch's table shows about this many of its points (JSON lists them all)
SHOWN = 12
#: the widest table of probabilities (columns); beyond it a two-action choice shows one column
COLUMNS = 10
#: the most outcomes whose odds get a table
OUTCOMES = 8


def limit_doc(r: QREResult) -> dict[str, Any] | None:
    """The ``limit`` of the document: the equilibrium by label, or None."""
    if r.limit is None:
        return None
    e = r.limit.equilibrium
    doc: dict[str, Any] = {
        "description": e.describe(),
        "profile": {p: {k: _num(v) for k, v in d.items()} for p, d in r.limit.profile.items()},
        "payoffs": {p: num(v) for p, v in e.payoffs.items()},
        "max_regret": float(e.max_regret),
    }
    if r.limit.exact:
        doc["profile_exact"] = {p: {s: exact_string(v) for s, v in d.items()} for p, d in e.profile.items()}
    if r.limit.subgame_perfect is not None:
        doc["subgame_perfect"] = r.limit.subgame_perfect
    return doc


def _num(v: Any) -> Any:
    return {k: num(x) for k, x in v.items()} if isinstance(v, dict) else num(v)


def qre_doc(r: QREResult) -> dict[str, Any]:
    """The JSON document of ``redline qre``."""
    return {
        "model": r.name,
        "title": r.title,
        "kind": r.kind,
        "parameters": {k: num(v) for k, v in r.values.items()},
        "mode": r.mode,
        "points": [{"lambda": p.lam, "profile": r.profile(p), "payoffs": r.payoffs(p)} for p in r.points],
        "limit": limit_doc(r),
        "method": r.method,
        "complete": r.complete,
        "status": r.status,
        "turning": list(r.branch.turning),
        "bifurcations": [list(b) for b in r.branch.bifurcations],
        "notes": list(r.notes),
        "limits": list(r.limits),
        "tolerances": dict(r.tolerances),
        "time_budget": r.time_budget,
    }


def shown(r: QREResult) -> list[QREPoint]:
    """The points a table shows: every asked one; of a traced branch, the first, the last and the
    points nearest :data:`SHOWN` lambdas evenly spaced on a log scale between them."""
    pts = list(r.points)
    if r.mode != "branch" or len(pts) <= SHOWN:
        return pts
    positive = [j for j, p in enumerate(pts) if p.lam > 0]
    logs = {j: math.log(pts[j].lam) for j in positive}
    lo, hi = min(logs.values()), max(logs.values())
    keep = {0, len(pts) - 1}
    for k in range(SHOWN - 1):
        goal = lo + (hi - lo) * k / (SHOWN - 2)
        keep.add(min(positive, key=lambda j: abs(logs[j] - goal)))
    return [pts[j] for j in sorted(keep)]


def _columns(r: QREResult) -> list[tuple[str, int, int]]:
    """(header, choice, action) of each probability column: the action's label, with its
    player (strategic) or information set (trees) where labels repeat; a two-action choice gets
    one column (its second action) when there would be more than :data:`COLUMNS`."""
    b = r.branch
    many = sum(len(a) for a in b.actions) > COLUMNS
    every = [a for acts in b.actions for a in acts]
    cols = []
    for c, (choice, acts) in enumerate(zip(b.choices, b.actions, strict=True)):
        keep = range(1, 2) if many and len(acts) == 2 else range(len(acts))
        # a set's label is unique per player only ("#1"): where labels repeat, name every set's player
        where = f"{b.players[b.owners[c]]} {choice}" if len(set(b.choices)) < len(b.choices) else choice
        for a in keep:
            plain = r.kind == "strategic" and every.count(acts[a]) == 1
            cols.append((acts[a] if plain else f"{where}: {acts[a]}", c, a))
    return cols


def _p(x: float) -> str:
    """A probability: four decimals, or the distance from 0 or 1 where that is under 1e-4."""
    if x in (0.0, 1.0) or 1e-4 <= x <= 1 - 1e-4:
        return f"{x:.4f}"
    return f"{x:.2e}" if x < 1e-4 else f"1-{1 - x:.1e}"


def qre_text(r: QREResult) -> str:
    """The table of ``redline qre``."""
    head = [f"{r.title} [{r.name}]" if r.name and r.name != r.title else r.title or "game"]
    if r.values:
        head.append("at " + ", ".join(f"{k} = {given(v)}" for k, v in r.values.items()))
    pts = shown(r)
    what = {
        "branch": f"{len(r.points)} points traced from lambda 0 to {r.points[-1].lam:g}" if r.points else "no point",
        "at": f"{len(r.points)} of {len(r.asked)} lambdas",
        "all": f"{len(r.points)} QRE found at lambda = {r.asked[0]:g}" if r.asked else "",
    }[r.mode]
    if len(pts) < len(r.points):
        what += f" ({len(pts)} shown; --format json lists all)"
    if r.complete:
        state = "complete"
    elif r.mode == "all" and r.status == "done" and not r.limits:
        state = "NOT known to be all of them"
    else:
        state = f"NOT complete ({r.status}: see the notes below)" if r.status != "done" else "NOT complete"
    head.append(f"{r.method}: {what}; {state}")
    cols = _columns(r)
    if len(cols) > COLUMNS and len(pts) <= SHOWN // 2:  # many choices, few lambdas: lambdas across
        header = ["", *[f"lambda {p.lam:.6g}" for p in pts]]
        rows = [[h, *[_p(p.vectors[c][a]) for p in pts]] for h, c, a in cols]
        rows += [[f"u({who})", *[f"{p.values[i]:.4g}" for p in pts]] for i, who in enumerate(r.branch.players)]
    else:
        header = ["lambda", *[h for h, _, _ in cols], *[f"u({p})" for p in r.branch.players]]
        rows = [
            [f"{p.lam:.6g}", *[_p(p.vectors[c][a]) for _, c, a in cols], *[f"{v:.4g}" for v in p.values]] for p in pts
        ]
    lines = [*head, "", _who(r), table(rows, header)]
    lines += ["", *_limit_lines(r)]
    lines += _outcome_lines(r, pts)
    lines += [f"note: {n}" for n in r.notes]
    lines += [f"not done: {n}" for n in r.limits]
    return "\n".join(lines)


def _who(r: QREResult) -> str:
    """Whose choices the columns are."""
    b = r.branch
    if r.kind == "strategic":
        return "probabilities: " + "; ".join(f"{p}: {', '.join(a)}" for p, a in zip(b.players, b.actions, strict=True))
    own = {p: [c for c, o in zip(b.choices, b.owners, strict=True) if b.players[o] == p] for p in b.players}
    return "behaviour (agent QRE) at each information set: " + "; ".join(f"{p}: {', '.join(c)}" for p, c in own.items())


def _limit_lines(r: QREResult) -> list[str]:
    if r.limit is None:
        return ["Nash limit: not found" + (f" ({r.limits[-1]})" if r.limits else "")]
    e = r.limit.equilibrium
    parts = []
    for who, d in r.limit.profile.items():
        if r.kind == "strategic":
            parts.append(f"{who} " + ", ".join(f"{s} {given(v)}" for s, v in d.items() if v != 0))
        else:
            parts.append(
                f"{who} "
                + "; ".join(
                    f"{h}: " + ", ".join(f"{a} {given(v)}" for a, v in acts.items() if v != 0) for h, acts in d.items()
                )
            )
    flag = (
        ""
        if r.limit.subgame_perfect is None
        else (", subgame perfect" if r.limit.subgame_perfect else ", not subgame perfect")
    )
    pay = ", ".join(f"u({p}) = {given(v)}" for p, v in e.payoffs.items())
    return [
        f"Nash limit (lambda -> infinity, {'logit tracing' if r.kind == 'strategic' else 'agent QRE'}): "
        f"{e.describe()}{flag}",
        "  " + "; ".join(parts),
        f"  {pay}; regret {e.max_regret:.1e}",
    ]


def _limit_odds(r: QREResult, labels: list[str]) -> list[float] | None:
    if r.limit is None:
        return None
    e = r.limit.equilibrium
    if r.kind == "strategic":
        odds = {", ".join(k): float(p) for k, p in e.outcomes()}
    else:
        odds = {o["outcome"]: float(o["probability"]) for o in e.extra.get("outcomes", ())}
    return [odds.get(k, 0.0) for k in labels]


def _outcome_lines(r: QREResult, pts: list[QREPoint]) -> list[str]:
    labels = r.outcome_labels()
    if labels is None or len(labels) > OUTCOMES or not pts:
        return []
    rows = []
    for p in pts:
        odds = r.outcomes(p) or []
        rows.append([f"{p.lam:.6g}", *[_p(v) for v in odds]])
    nash = _limit_odds(r, labels)
    if nash is not None:
        rows.append(["Nash limit", *[_p(v) for v in nash]])
    return ["", "odds of each outcome, P(outcome):", table(rows, ["lambda", *labels]), ""]
