"""The briefing page's findings: the equilibria in plain words with outcome odds (from the
``explain`` brief), the thresholds, the uncertainty shares, the credibility of threats, and the
footer that lets a reader reproduce the page.  Every model string is escaped.

Elements carry ``data-*`` attributes so that tests and scripts read the numbers back:
``data-equilibrium`` (the solver's description), ``data-threshold`` (the parameter) with
``data-exact`` and ``data-decimal``.

>>> paragraphs(["a < b", "c"])
'<p>a &lt; b</p><p>c</p>'
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from solver.analysis.explain_words import plain
from solver.render.layout import given


def paragraphs(lines: Sequence[str]) -> str:
    return "".join(f"<p>{escape(x)}</p>" for x in lines)


def credible(result: Any) -> list[bool]:
    """Per equilibrium: is it among those ``redline solve`` shows?  Every one of a strategic
    form; in a tree the subgame-perfect (or perfect Bayesian, where beliefs were computed) ones,
    or all where none is marked (:func:`solver.equilibria.trees.paths.credible_view`)."""
    from solver.equilibria.trees.paths import credible_flag

    eqs = result.equilibria
    if not any("subgame_perfect" in e.extra or "perfect_bayesian" in e.extra for e in eqs):
        return [True] * len(eqs)
    flag, _ = credible_flag(result)
    marks = [bool(e.extra.get(flag)) for e in eqs]
    return marks if any(marks) else [True] * len(eqs)


def solver_label(e: Any) -> str:
    """An equilibrium's ``description`` as ``redline solve --format json`` gives it (a tree without
    a payoff table names its behaviour profile, ``pure SPE (...)``)."""
    return str(e.extra.get("description") or e.describe())


def equilibria_html(brief: Any, result: Any) -> str:
    """One card per equilibrium: what each player does, expected payoffs, outcome odds, mixing."""
    described = [solver_label(e) for e in result.equilibria]
    shown = credible(result)
    cards = []
    for k, e in enumerate(brief.equilibria):
        label = described[k] if k < len(described) else e.label
        main = shown[k] if k < len(shown) else True
        actors = "".join(
            f"<tr><th>{escape(a.player)}</th><td>{escape(a.plays)}</td><td class=num>{escape(a.payoff)}</td></tr>"
            for a in e.actors
        )
        odds = "".join(
            f"<tr><td>{escape(o.profile)}</td><td class=num>{escape(o.exact)}</td>"
            f'<td class=num><span class="bar" style="width:{max(1.0, 100 * o.decimal):.1f}px">'
            f"</span> {escape(o.percent)}</td></tr>"
            for o in e.outcomes[:8]
        )
        more = (
            f"<p><small>{len(e.outcomes) - 8} less likely outcomes not listed.</small></p>"
            if len(e.outcomes) > 8
            else ""
        )
        tags = f' <span class="tag">{escape(", ".join(e.tags))}</span>' if e.tags else ""
        mixing = paragraphs([m.text for m in e.mixing])
        notes = paragraphs(list(e.notes))
        cards.append(
            f'<div class="card{"" if main else " other"}" data-equilibrium="{escape(label)}" '
            f'data-credible="{str(main).lower()}"><h3>#{e.number} {escape(e.label)}{tags}</h3>'
            f"<p><small>solver: <code>{escape(label)}</code></small></p>"
            f'<table class="actors"><thead><tr><th>player</th><th>plays</th><th>expected payoff</th></tr></thead>'
            f"<tbody>{actors}</tbody></table>"
            f'<table class="odds"><thead><tr><th>outcome</th><th>probability'
            f"</th><th></th></tr></thead><tbody>{odds}</tbody></table>"
            f"{more}{mixing}{notes}</div>"
        )
    return "".join(cards) or "<p>No equilibrium was found in the time given.</p>"


def thresholds_html(rep: Any, regimes: Any) -> str:
    """Every threshold of every assumption (the others at their values): exact value, what holds
    on each side (regime names as in the figures) and in words."""
    players = tuple(rep.model.players)
    rows = []
    for name, ts in rep.thresholds.items():
        for t in ts:
            before, after = regimes.name(t.before), regimes.name(t.after)
            rows.append(
                f'<tr data-threshold="{escape(name)}" data-exact="{escape(t.exact_string)}" '
                f'data-decimal="{t.decimal!r}">'
                f"<th><code>{escape(name)}</code></th><td class=num><b>{escape(name)} = {escape(t.exact_string)}</b>"
                f"{'' if not t.exact else f' <small>({t.decimal:.6g})</small>'}</td>"
                f"<td>{before} &rarr; {after}</td>"
                f"<td>below: {escape(plain(t.before, players))}<br>above: {escape(plain(t.after, players))}</td></tr>"
            )
    if not rows:
        return "<p>No assumption has a threshold on its declared range: the answer holds across every range.</p>"
    head = "<tr><th>assumption</th><th>threshold</th><th>regimes</th><th>in words</th></tr>"
    return f'<table class="thresholds"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def regimes_html(regimes: Any, players: tuple[str, ...]) -> str:
    rows = "".join(
        f'<tr data-regime="{escape(s)}"><th><span class="swatch" style="background:{regimes.colour(s)}"></span>'
        f"{regimes.name(s)}</th><td><code>{escape(s)}</code></td><td>{escape(plain(s, players))}</td></tr>"
        for s in regimes.order
    )
    return (
        '<table class="regimes"><thead><tr><th>regime</th><th>equilibrium set'
        f"</th><th>in words</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def uncertainty_html(u: Any, players: tuple[str, ...]) -> str:
    """The share of Monte Carlo draws with each answer, with its 95% interval."""
    if u is None:
        return "<p>Not computed (the model has no parameters to draw, or the time ran out).</p>"
    declared = any(not d.startswith("uniform") for d in u.distributions.values())
    how = (
        "the model's distributions"
        if declared
        else "uniform draws over the declared ranges (the model declares no distributions)"
    )
    rows = "".join(
        f'<tr data-share="{escape(e.label)}"><td>{escape(plain(e.label, players))}'
        f"<br><small><code>{escape(e.label)}</code></small></td>"
        f'<td class=num><span class="bar" style="width:{max(1.0, 100 * e.p):.1f}px"></span> {100 * e.p:.3g}%</td>'
        f"<td class=num>{100 * e.low:.3g}&ndash;{100 * e.high:.3g}%</td></tr>"
        for e in u.signatures[:8]
    )
    return (
        f"<p>{u.samples} draws (seed {u.seed}) under {how}; the share of draws with each answer:</p>"
        f'<table class="shares"><thead><tr><th>answer</th><th>share</th>'
        f"<th>95% interval</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def threats_html(threats: Any, brief: Any) -> str:
    """Credibility (game trees): every off-path threat of a pure equilibrium, credible or not."""
    out = paragraphs(list(brief.credibility))
    if threats:
        rows = "".join(
            f"<tr><td>{escape(t.player)}</td><td>after {escape(t.where)}</td><td>{escape(t.action)}</td>"
            f"<td>{'credible' if t.credible else '<b>not credible</b>'}{_criterion(t)}"
            f"</td><td><code>{escape(t.condition)}</code></td></tr>"
            for t in threats
        )
        out += (
            '<table class="threats"><thead><tr><th>player</th><th>where</th><th>threat</th><th>at these values</th>'
            f"<th>credible when</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    return out


def _criterion(t: Any) -> str:
    """A signalling game's off-path answer: the intuitive criterion's verdict on its beliefs."""
    if getattr(t, "signalling", None) is None:
        return ""
    killed = t.signalling["killed"]
    return "; <b>killed by the intuitive criterion</b>" if killed else "; survives the intuitive criterion"


def footer_html(rep: Any) -> str:
    """What reproduces the page: the model file and its hash, every value, the version, the time."""
    m = rep.model
    values = ", ".join(f"{k} = {given(v)}" for k, v in rep.values.items())
    sets = " ".join(f"--set {k}={v}" for k, v in rep.overrides.items())
    command = f"redline report {m.name} {sets} --out brief.html".replace("  ", " ")
    budget = "no limit" if rep.timeout is None else f"{rep.timeout:g} s"
    return (
        f'<footer id="provenance"><h2>Reproduce this brief</h2><dl>'
        f"<dt>model</dt><dd><code>{escape(m.name)}</code> ({escape(str(m.path or ''))})</dd>"
        f'<dt>SHA-256 of the model file</dt><dd><code id="model-sha256">{escape(rep.sha256 or "(no file)")}</code></dd>'
        f'<dt>parameter values used</dt><dd id="values-used"><code>{escape(values)}</code></dd>'
        f"<dt>command</dt><dd><code>{escape(command)}</code></dd>"
        f'<dt>Redline version</dt><dd id="redline-version">{escape(rep.version)}</dd>'
        f"<dt>generated</dt>"
        f'<dd id="generated">{escape(rep.generated)}, in {rep.seconds:.1f} s (time budget {budget})</dd>'
        f"</dl></footer>"
    )
