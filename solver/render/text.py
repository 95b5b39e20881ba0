"""Rendering results as plain data (JSON-ready dicts) and text tables.  Returns strings; the CLI prints.

>>> from solver.core.game import Game
>>> from solver.equilibria import solve
>>> print(table([["a", "bb"], ["ccc", "d"]], ["x", "y"]))
x    y
---  --
a    bb
ccc  d
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from solver.core.game import Number
from solver.core.result import Result, exact_string
from solver.core.symbolic import Model, Parameter
from solver.render.layout import given
from solver.render.layout import table as table


def num(x: Number | Any) -> float | int:
    """A JSON number (ints stay ints)."""
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x.numerator)
    return float(x)


def fmt(x: Number | Any, exact: bool = False) -> str:
    if isinstance(x, Fraction):
        return exact_string(x) if exact or x.denominator == 1 else f"{float(x):.6g}"
    return f"{float(x):.6g}"


def parameters_dict(
    params: Sequence[Parameter], values: Mapping[str, Fraction] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in params:
        v = values.get(p.name, p.value) if values else p.value
        entry: dict[str, Any] = {"value": num(v), "range": [num(p.low), num(p.high)], "doc": p.doc}
        if p.cites:
            entry["cites"] = list(p.cites)
        out[p.name] = entry
    return out


def limits_dict(found: Any) -> dict[str, Any]:
    """``complete``, ``limits`` and ``time_budget`` of a result or analysis that a time budget cut
    short, for its JSON document; nothing when nothing was cut (the documents stay as they were).

    >>> limits_dict(Result(None, (), "vertex", True, False, True))  # type: ignore[arg-type]
    {}
    """
    limits = list(getattr(found, "limits", ()))
    if not limits:
        return {}
    return {"complete": bool(found.complete), "limits": limits, "time_budget": found.time_budget}


def result_dict(
    result: Result, model: Model | None = None, values: Mapping[str, Fraction] | None = None
) -> dict[str, Any]:
    """The JSON document of ``redline solve``."""
    from solver.render.outcomes import has_profile_outcomes, outcomes_json

    g = result.game
    outcomes = has_profile_outcomes(result, model)
    eqs = []
    for e in result.equilibria:
        item: dict[str, Any] = {
            "description": e.describe(),
            "profile": {p: {s: num(v) for s, v in d.items()} for p, d in e.profile.items()},
            "payoffs": {p: num(v) for p, v in e.payoffs.items()},
            "max_regret": float(e.max_regret),
        }
        if result.exact:
            item["profile_exact"] = {
                p: {s: exact_string(v) for s, v in d.items()} for p, d in e.profile.items()
            }
            item["payoffs_exact"] = {p: exact_string(v) for p, v in e.payoffs.items()}
        if outcomes:
            item["outcomes"] = outcomes_json(e, exact=result.exact)
            if e.outcome_count() > len(item["outcomes"]):
                item["outcomes_not_listed"] = e.outcome_count() - len(item["outcomes"])
        for k, v in e.extra.items():
            item[k] = v
        eqs.append(item)
    doc: dict[str, Any] = {
        "model": model.name if model else g.title,
        "title": model.title if model else g.title,
        "players": list(g.players),
        "strategies": {p: list(s) for p, s in zip(g.players, g.strategies, strict=True)},
        "parameters": parameters_dict(model.parameters, values) if model else {},
        "method": result.method,
        "exact": result.exact,
        "complete": result.complete,
        "degenerate": result.degenerate,
        "signature": result.signature(),
        "notes": list(result.notes),
        "components": [list(c) for c in result.components],
        "equilibria": eqs,
    }
    return doc | limits_dict(result)


def result_text(
    result: Result,
    model: Model | None = None,
    values: Mapping[str, Fraction] | None = None,
    *,
    fractions: bool = False,
) -> str:
    """The table of ``redline solve``; exact results print as fractions with ``fractions=True``."""
    g = result.game
    exact = result.exact and fractions
    head = [f"{model.title if model else g.title or 'game'}"]
    if model and model.parameters:
        vals = values or {p.name: p.value for p in model.parameters}
        head.append("at " + ", ".join(f"{k} = {given(v)}" for k, v in vals.items()))
    n = len(result.equilibria)
    head.append(
        f"{n} equilibri{'um' if n == 1 else 'a'} ({result.method}; "
        + ("complete" if result.complete else "NOT known to be complete")
        + ("; DEGENERATE game" if result.degenerate else "")
        + ")"
    )
    header = ["#", "type", *[f"{p}" for p in g.players], *[f"u({p})" for p in g.players], "regret"]
    rows = []
    for k, e in enumerate(result.equilibria, 1):
        strat_cells = []
        for labels, vec in zip(g.strategies, e.vectors, strict=True):
            parts = [
                f"{lab}" if v == 1 else f"{lab} {fmt(v, exact)}"
                for lab, v in zip(labels, vec, strict=True)
                if v > 0
            ]
            strat_cells.append(", ".join(parts))
        rows.append(
            [
                str(k),
                "pure" if e.is_pure else "mixed",
                *strat_cells,
                *[fmt(v, exact) for v in e.values],
                f"{e.max_regret:.1e}",
            ]
        )
    lines = [*head, "", table(rows, header)] if rows else [*head]
    from solver.render.outcomes import has_profile_outcomes, outcome_lines

    if has_profile_outcomes(result, model):
        lines += outcome_lines(result, exact=exact)
    if result.degenerate and any(len(c) > 1 for c in result.components):
        lines.append("")
        for c in result.components:
            if len(c) > 1:
                lines.append(
                    "component: every convex combination within equilibria "
                    + ", ".join(f"#{k + 1}" for k in c)
                )
    if any("path" in e.extra for e in result.equilibria):  # game trees: path, subgame perfection
        from solver.render.trees import tree_lines

        lines += tree_lines(result)
    if rows and not any("path" in e.extra for e in result.equilibria):
        from solver.render.explain_glossary import reading_lines

        lines += ["", *reading_lines(result.complete, any(not e.is_pure for e in result.equilibria))]
    for note in result.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def model_dict(model: Model, values: Mapping[str, Fraction], numbers: Any) -> dict[str, Any]:
    """The JSON document of ``redline show``: formulas and numbers per pure profile."""
    import numpy as np

    from solver.core.symbolic import profile_key

    rows = []
    for idx in np.ndindex(*model.shape):
        rows.append(
            {
                "profile": dict(
                    zip(
                        model.players,
                        (s[k] for s, k in zip(model.strategies, idx, strict=True)),
                        strict=True,
                    )
                ),
                "key": profile_key(model.strategies, idx),
                "formulas": {p: str(model.payoffs[(i, *idx)]) for i, p in enumerate(model.players)},
                "payoffs": {p: num(numbers[(i, *idx)]) for i, p in enumerate(model.players)},
            }
        )
    return {
        "model": model.name,
        "title": model.title,
        "kind": model.kind,
        "source": model.source,
        "description": model.description,
        "players": list(model.players),
        "strategies": {p: list(s) for p, s in zip(model.players, model.strategies, strict=True)},
        "parameters": parameters_dict(model.parameters, values),
        "tree": None
        if model.tree is None
        else {
            "nodes": len(model.tree.nodes),
            "information_sets": len(model.tree.infosets),
            "normal_form": bool(all(model.strategies)),
        },
        "payoffs": rows,
    }


def model_text(doc: Mapping[str, Any]) -> str:
    lines = [f"{doc['title']}  [{doc['model']}]"]
    if doc["source"]:
        lines.append(f"source: {doc['source']}")
    lines.append("")
    for p in doc["players"]:
        lines.append(f"{p}: {', '.join(doc['strategies'][p]) or '(strategies not listed: see below)'}")
    if doc["parameters"]:
        lines.append("")
        prow = [
            [k, fmt(v["value"]), f"[{fmt(v['range'][0])}, {fmt(v['range'][1])}]", v["doc"]]
            for k, v in doc["parameters"].items()
        ]
        lines.append(table(prow, ["parameter", "value", "range", "meaning"]))
    lines.append("")
    tree = doc.get("tree")
    if tree and not tree["normal_form"]:
        lines.append(
            f"game tree: {tree['nodes']:,} nodes, {tree['information_sets']:,} information sets; "
            "its reduced normal form is too large to tabulate (redline solve works on the tree)"
        )
        return "\n".join(lines)
    players = doc["players"]
    rows = [
        [
            r["key"],
            *[f"{r['formulas'][p]}" for p in players],
            *[fmt(r["payoffs"][p]) for p in players],
        ]
        for r in doc["payoffs"]
    ]
    lines.append(
        table(rows, ["profile", *[f"{p} (formula)" for p in players], *[f"{p}" for p in players]])
    )
    return "\n".join(lines)


def credibility_text(title: str, found: list[Any], limits: tuple[str, ...]) -> str:
    """``redline credibility`` as text: one row per threat (a signalling game's off-path answers
    in a table of their own, :mod:`solver.render.explain_threats`), then the limits the budget hit."""
    from solver.render.explain_threats import signalling_threats_text

    rows = [
        [
            t.player,
            t.action,
            f"after {t.where}",
            "yes" if t.credible else "NO",
            "yes" if t.spe_prescribes else "no",
            "on path" if t.on_spe_path else "off path",
            t.region,
        ]
        for t in found
        if t.signalling is None
    ]
    header = ["player", "would play", "at", "credible", "SPE plays it", "SPE path", "credible where"]
    answers = signalling_threats_text(found)
    none = "" if answers else "no off-path threats: every equilibrium plays out every move"
    body = table(rows, header) if rows else none
    parts = [p for p in (body, answers) if p]
    return "\n".join([f"{title}\n", "\n\n".join(parts), *(f"note: {limit}" for limit in limits)])
