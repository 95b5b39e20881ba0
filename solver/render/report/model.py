"""The briefing page's model sections: players and choices, the assumptions with their claims,
and the game itself (the payoff table with its formulas, or the tree with the equilibrium path).
Every string from the model file is escaped (:func:`html.escape`): model files are data.

>>> from solver.formats import load
>>> m = load("chicken")
>>> "<td>Swerve</td>" in players_html(m)
True
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction
from html import escape
from typing import Any

from solver.render.layout import given
from solver.render.tree_svg import tree_svg

#: claim text longer than this is cut in the assumptions table (the whole text is one click away)
CLAIM_CHARS = 600
#: trees drawn, one per credible equilibrium, at most
TREES_DRAWN = 3


def players_html(model: Any) -> str:
    rows = "".join(
        f"<tr><th>{escape(p)}</th>{''.join(f'<td>{escape(s)}</td>' for s in strategies)}</tr>"
        for p, strategies in zip(model.players, _choices(model), strict=True)
    )
    return f'<table class="players"><tbody>{rows}</tbody></table>'


def _choices(model: Any) -> list[tuple[str, ...]]:
    if model.tree is None:
        return [tuple(s) for s in model.strategies]
    tree = model.tree
    out: list[list[str]] = [[] for _ in tree.players]
    for info in tree.infosets:
        if 0 <= info.player < len(out):
            out[info.player] += [a for a in info.actions if a not in out[info.player]]
    return [tuple(x) for x in out]


def _claim(cid: str, claims: Mapping[str, Any]) -> str:
    c = claims.get(cid)
    if c is None:
        return f"<li><b>{escape(cid)}</b> (not in seeds/claims.md)</li>"
    text = c.text if len(c.text) <= CLAIM_CHARS else c.text[:CLAIM_CHARS] + "..."
    return (
        f'<li data-claim="{escape(cid)}"><details><summary><b>{escape(cid)}</b> {escape(c.title)}</summary>'
        f"<p>{escape(text)}</p></details></li>"
    )


def assumptions_html(
    model: Any, values: Mapping[str, Fraction], claims: Mapping[str, Any], thresholds: Mapping[str, Any]
) -> str:
    """One row per parameter: value, range, unit, doc, the claims it encodes, its thresholds."""
    rows = []
    for p in model.parameters:
        ts = thresholds.get(p.name)
        if ts is None:
            red = (
                "<i>not computed</i>"
                if p.name in thresholds or _enters(model, p.name)
                else "<i>does not enter the payoffs</i>"
            )
        else:
            red = ", ".join(escape(t.exact_string) for t in ts) or "none on its range"
        cites = "".join(_claim(c, claims) for c in p.cites)
        dist = escape(", ".join(f"{k} = {v}" for k, v in p.distribution.items())) if p.distribution else ""
        rows.append(
            f'<tr data-parameter="{escape(p.name)}" data-value="{escape(given(values[p.name]))}">'
            f"<th><code>{escape(p.name)}</code></th><td class=num>{escape(given(values[p.name]))}</td>"
            f"<td class=num>{escape(given(p.low))} to {escape(given(p.high))}{' ' + escape(p.unit) if p.unit else ''}"
            "</td>"
            f"<td>{escape(p.doc)}{'<br><small>distribution: ' + dist + '</small>' if dist else ''}</td>"
            f"<td>{'<ul class=claims>' + cites + '</ul>' if cites else ''}</td><td>{red}</td></tr>"
        )
    head = (
        "<tr><th>assumption</th><th>value</th><th>range</th><th>meaning"
        "</th><th>claims it encodes</th><th>red lines</th></tr>"
    )
    return f'<table class="assumptions"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _enters(model: Any, name: str) -> bool:
    from solver.analysis.regions import payoff_parameters

    return name in payoff_parameters(model)


def payoff_table_html(model: Any, game: Any) -> str:
    """The strategic form: rows the first player's strategies, columns the second's, one table
    per combination of the others'; each cell the payoffs at the current values (in player
    order) and, below, their formulas."""
    players, strategies = model.players, model.strategies
    tables = []
    rest = [range(len(s)) for s in strategies[2:]]
    for others in itertools.product(*rest):
        caption = ", ".join(f"{players[2 + k]} {strategies[2 + k][j]}" for k, j in enumerate(others))
        head = "".join(f"<th>{escape(players[1])}: {escape(s)}</th>" for s in strategies[1])
        body = []
        for i, row in enumerate(strategies[0]):
            cells = []
            for j in range(len(strategies[1])):
                idx = (i, j, *others)
                vals = ", ".join(given(_exact(game.payoffs[k][idx])) for k in range(len(players)))
                forms = "<br>".join(
                    f"{escape(players[k])}: <code>{escape(str(model.payoffs[k][idx]))}</code>"
                    for k in range(len(players))
                )
                cells.append(f'<td data-cell="{i},{j}"><b>({escape(vals)})</b><div class=formula>{forms}</div></td>')
            body.append(f"<tr><th>{escape(players[0])}: {escape(row)}</th>{''.join(cells)}</tr>")
        cap = f"<caption>when {escape(caption)}</caption>" if caption else ""
        tables.append(
            f'<table class="payoffs">{cap}<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        )
    order = ", ".join(escape(p) for p in players)
    return f"<p>Each cell: the payoffs ({order}) at the current values, then their formulas.</p>" + "".join(tables)


def _exact(x: Any) -> Any:
    if isinstance(x, (Fraction, int)):
        return Fraction(x)
    try:
        return Fraction(x)
    except (TypeError, ValueError):
        return x


def trees_html(model: Any, values: Mapping[str, Fraction], result: Any) -> str:
    """The tree at the current values, once per credible equilibrium (at most
    :data:`TREES_DRAWN`), its path of play highlighted."""
    tree = model.tree.at(values)
    from solver.render.report.findings import credible as marks
    from solver.render.report.findings import solver_label

    eqs = [e for e, keep in zip(result.equilibria, marks(result), strict=True) if keep and e.extra.get("behaviour")]
    credible = eqs
    if not credible:
        return f'<div class="figure">{tree_svg(tree)}</div>'
    out = []
    for k, e in enumerate(credible[:TREES_DRAWN], 1):
        out.append(
            f'<figure class="figure tree" data-tree-equilibrium="{escape(solver_label(e))}">'
            f"{tree_svg(tree, e.extra['behaviour'])}"
            f"<figcaption>Equilibrium #{k}: {escape(solver_label(e))}</figcaption></figure>"
        )
    if len(credible) > TREES_DRAWN:
        out.append(f"<p>{len(credible) - TREES_DRAWN} more credible equilibria are not drawn.</p>")
    return "".join(out)
