"""``redline explain`` output: the :class:`~solver.analysis.explain_types.Brief` as text, Markdown
or a JSON-ready document.  Text is wrapped to ``width`` columns (100 by default).

>>> from solver.analysis.explain_types import Brief
>>> b = Brief("m", "A model", "strategic form", (("x", "1/3"),), ("One line.",), (), (), (), (), (), ())
>>> brief_text(b).splitlines()[:2]
['A model', 'at x = 1/3 (strategic form)']
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict
from typing import Any

from solver.analysis.explain_words import plain
from solver.render.explain_glossary import GLOSSARY, glossary_markdown, glossary_text

__all__ = ["GLOSSARY", "brief_doc", "brief_markdown", "brief_text", "glossary_markdown", "glossary_text", "plain"]

#: outcomes printed per equilibrium in text and Markdown (the JSON has them all)
TOP_OUTCOMES = 6


def _wrap(text: str, width: int, indent: str = "  ", hang: str = "    ") -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hang, break_on_hyphens=False) or [""]


def _claims(a: Any) -> str:
    return ", ".join(f"{c} {t}".strip() for c, t in a.claims)


def _threshold_words(a: Any, players: tuple[str, ...] = ()) -> str:
    if not a.computed:
        return str(a.note)
    parts = []
    if a.below is not None:
        parts.append(f"below {a.below.exact}: {plain(a.below.before, players)}")
    if a.above is not None:
        parts.append(f"above {a.above.exact}: {plain(a.above.after, players)}")
    if a.note:
        parts.append(a.note)
    return "; ".join(parts) or "no threshold on its range"


def _outcome_rows(e: Any) -> list[tuple[str, str, str]]:
    rows = [(o.profile, o.exact, o.percent) for o in e.outcomes[:TOP_OUTCOMES]]
    if len(e.outcomes) > TOP_OUTCOMES:
        rest = sum(o.decimal for o in e.outcomes[TOP_OUTCOMES:])
        rows.append((f"{len(e.outcomes) - TOP_OUTCOMES} other outcomes", "", f"{100 * rest:.3g}%"))
    return rows


def _header(b: Any) -> str:
    values = ", ".join(f"{k} = {v}" for k, v in b.values)
    return f"at {values} ({b.kind})" if values else f"({b.kind})"


def brief_text(b: Any, width: int = 100) -> str:
    """The brief as plain text, sections in the order a reader needs them."""
    out = [*_wrap(b.title, width, "", "  "), *_wrap(_header(b), width, "", ""), ""]

    def section(title: str, lines: Any) -> None:
        out.append(title)
        for line in lines:
            out.extend(_wrap(line, width))
        out.append("")

    section("In short", b.summary)
    for e in b.equilibria:
        tags = f" [{', '.join(e.tags)}]" if e.tags else ""
        out.extend(_wrap(f"Equilibrium #{e.number}: {plain(e.label, b.players)}{tags}", width, "", "  "))
        for a in e.actors:
            out.extend(_wrap(f"{a.player} {a.plays}; expected payoff {a.payoff}", width))
        if e.outcomes:
            out.append("  Odds of each outcome:")
            rows = _outcome_rows(e)
            w0 = max(len(r[0]) for r in rows)
            w1 = max(len(r[1]) for r in rows)
            out.extend(f"    {p:<{w0}}  {x:>{w1}}  {pc:>6}".rstrip() for p, x, pc in rows)
        for m in e.mixing:
            out.extend(_wrap("Why: " + m.text, width))
        for note in e.notes:
            out.extend(_wrap(note, width))
        out.append("")
    section("Red lines", b.red_lines)
    out.append("Thresholds of each assumption (the others held at their values)")
    for a in b.assumptions:
        claims = f" [{_claims(a)}]" if a.claims else ""
        out.extend(_wrap(f"{a.parameter} = {a.value} in [{a.low}, {a.high}]{claims}: {a.doc}", width))
        out.extend(_wrap(_threshold_words(a, b.players), width, "      ", "      "))
    out.append("")
    section("Credible threats", b.credibility)
    section("How robust", b.robustness)
    section("Several equilibria", b.selection)
    if b.not_computed:
        section("Not computed", b.not_computed)
    out.append("Terms: `redline explain --glossary`.")
    return "\n".join(out)


def brief_markdown(b: Any) -> str:
    """The brief as Markdown (headings, lists, a table of outcome odds per equilibrium)."""
    out = [f"# {b.title}", "", f"*{_header(b)}*", "", "## In short", ""]
    out += [f"- {x}" for x in b.summary]
    for e in b.equilibria:
        tags = f" ({', '.join(e.tags)})" if e.tags else ""
        out += ["", f"## Equilibrium {e.number}: {plain(e.label, b.players)}{tags}", ""]
        out += [f"- **{a.player}** {a.plays}; expected payoff {a.payoff}" for a in e.actors]
        if e.outcomes:
            out += ["", "| outcome | probability | % |", "|---|---|---|"]
            out += [f"| {p} | {x} | {pc} |" for p, x, pc in _outcome_rows(e)]
        out += [f"\n**Why these probabilities.** {m.text}" for m in e.mixing]
        out += [f"\n{note}" for note in e.notes]
    out += ["", "## Red lines", "", *(f"- {x}" for x in b.red_lines)]
    out += ["", "## Thresholds of each assumption", ""]
    out += ["| assumption | now | range | claims | nearest thresholds |", "|---|---|---|---|---|"]
    for a in b.assumptions:
        where = _threshold_words(a, b.players)
        out.append(f"| `{a.parameter}`: {a.doc} | {a.value} | [{a.low}, {a.high}] | {_claims(a)} | {where} |")
    for title, lines in (
        ("Credible threats", b.credibility),
        ("How robust", b.robustness),
        ("Several equilibria", b.selection),
        ("Not computed", b.not_computed),
    ):
        if lines:
            out += ["", f"## {title}", "", *(f"- {x}" for x in lines)]
    return "\n".join(out)


def brief_doc(b: Any) -> dict[str, Any]:
    """The brief as a JSON-ready document (every field; numbers as exact strings and decimals)."""
    doc = asdict(b)
    doc["complete"] = b.complete
    return doc
