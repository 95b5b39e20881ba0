"""The briefing page's assembly (``redline report``): one self-contained HTML file.

Everything is inline: the CSS (:mod:`.style`), the figures as SVG (matplotlib's SVG backend,
:mod:`.figures`, and :func:`solver.render.tree_svg.tree_svg`); no script, no font, no request
leaves the file.  :func:`report_html` lays out the :class:`~solver.analysis.report.Report` in the
order a reader needs it: the answer first, then the model, the red-line map, robustness,
uncertainty, credibility, and the footer that reproduces it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from solver.render.report.figures import Regimes, phase_svg, strip_svg, tornado_svg
from solver.render.report.findings import (
    equilibria_html,
    footer_html,
    paragraphs,
    regimes_html,
    threats_html,
    thresholds_html,
    uncertainty_html,
)
from solver.render.report.model import assumptions_html, payoff_table_html, players_html, trees_html
from solver.render.report.style import CSS

__all__ = ["report_html"]


def _section(ident: str, title: str, body: str) -> str:
    return f'<section id="{ident}"><h2>{escape(title)}</h2>{body}</section>'


def _regimes(rep: Any) -> Regimes:
    r = Regimes([rep.signature])
    for ts in rep.thresholds.values():
        for t in ts:
            r.add([t.before, t.after])
    for s in rep.sweeps:
        r.add(s.labels[c] for c in s.codes)
    if rep.phase is not None:
        r.add(rep.phase.labels[c] for row in rep.phase.codes for c in row)
    return r


def _unit(model: Any, name: str) -> str:
    return str(model.parameter(name).unit or "")


def _map(rep: Any, regimes: Regimes) -> str:
    m = rep.model
    parts = [
        "<p>A <b>threshold</b> (a red line in Redline's sense) is a value of one assumption at which the "
        "equilibria change, the others held at their values. Each strip shows the regime across an "
        "assumption's declared range; dashed lines mark the thresholds, labelled by their exact values.</p>",
        thresholds_html(rep, regimes),
    ]
    for s in rep.sweeps:
        marks = [(t.decimal, f"{s.parameter} = {t.exact_string}") for t in rep.thresholds.get(s.parameter, [])]
        doc = escape(m.parameter(s.parameter).doc)
        parts.append(
            f'<figure class="figure strip" data-sweep="{escape(s.parameter)}">'
            f"{strip_svg(s, marks, float(rep.values[s.parameter]), _unit(m, s.parameter), regimes)}"
            f"<figcaption><code>{escape(s.parameter)}</code>: {doc} ({len(s.xs)} points)</figcaption></figure>"
        )
    if rep.phase is not None:
        ph = rep.phase
        cur = (float(rep.values[ph.x]), float(rep.values[ph.y]))
        parts.append(
            f'<h3>Phase diagram: the two most sensitive assumptions</h3><figure class="figure phase" '
            f'data-phase="{escape(ph.x)},{escape(ph.y)}">'
            f"{phase_svg(ph, cur, (_unit(m, ph.x), _unit(m, ph.y)), regimes)}"
            f"<figcaption><code>{escape(ph.x)}</code> and <code>{escape(ph.y)}</code> (the smallest robustness "
            f"margins), the others at their values; {len(ph.xs)} &times; {len(ph.ys)} grid.</figcaption></figure>"
        )
    parts.append("<h3>Regimes</h3>" + regimes_html(regimes, tuple(m.players)))
    return "".join(parts)


def report_html(rep: Any) -> str:
    """The whole page for ``rep`` (a :class:`~solver.analysis.report.Report`)."""
    m, b = rep.model, rep.brief
    regimes = _regimes(rep)
    title = m.title or m.name
    missing = ""
    if rep.not_computed:
        items = "".join(f"<li>{escape(x)}</li>" for x in rep.not_computed)
        missing = (
            '<div class="incomplete" id="not-computed"><b>Incomplete:'
            f"</b> not computed in the time given:<ul>{items}</ul></div>"
        )
    game = trees_html(m, rep.values, rep.result) if m.tree is not None else payoff_table_html(m, _game(m, rep))
    values = ", ".join(f"{k} = {v}" for k, v in b.values)
    body = [
        f'<header><h1>{escape(title)}</h1><p class="sub">Redline briefing on <code>{escape(m.name)}</code> '
        f"({escape(b.kind)}), at {escape(values)}</p>"
        f"{'<p class=source>Source: ' + escape(m.source) + '</p>' if m.source else ''}</header>",
        missing,
        _section("answer", "The answer in brief", paragraphs(list(b.summary))),
        _section("equilibria", "The equilibria", equilibria_html(b, rep.result) + paragraphs(list(b.selection))),
        _section(
            "model",
            "The model",
            (f"<p>{escape(m.description)}</p>" if m.description else "")
            + "<h3>Players and their choices</h3>"
            + players_html(m)
            + "<h3>The game</h3>"
            + game,
        ),
        _section(
            "assumptions",
            "The assumptions",
            assumptions_html(m, rep.values, rep.claims, rep.thresholds) + paragraphs(list(b.red_lines)),
        ),
        _section("red-line-map", "The red-line map", _map(rep, regimes)),
        _section(
            "robustness",
            "Robustness",
            (f'<figure class="figure tornado">{tornado_svg(rep.margins)}</figure>' if rep.margins else "")
            + paragraphs(list(b.robustness)),
        ),
        _section("uncertainty", "Uncertainty", uncertainty_html(rep.uncertainty, tuple(m.players))),
    ]
    if m.tree is not None:
        body.append(_section("credibility", "Credibility of threats", threats_html(rep.threats, b)))
    body.append(footer_html(rep))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="Redline {escape(rep.version)}">'
        f"<title>{escape(title)}: Redline briefing</title><style>{CSS}</style></head>"
        f'<body data-model="{escape(m.name)}" data-complete="{str(rep.complete).lower()}"><main>'
        + "\n".join(body)
        + "</main></body></html>\n"
    )


def _game(model: Any, rep: Any) -> Any:
    from solver.core.symbolic import evaluate

    return evaluate(model, rep.overrides)
