"""The figure of ``redline qre --plot``: each strategy's probability against lambda (matplotlib,
Agg backend), written atomically.

One panel per player (strategic) or information set (trees, agent QRE), one line per strategy or
action along the branch in arclength order (where it folds back the curve turns back too), on a
log lambda axis (symmetric-log where lambda = 0 is shown).  The Nash limit the branch selects is
a dashed line in each strategy's colour; turning points are dotted vertical lines, bifurcations red
dash-dotted ones (over the shaded span where the trace crossed them).  Every check runs before the work:

>>> check_qre_plot("branch.txt")
Traceback (most recent call last):
...
solver.core.errors.RedlineError: branch.txt: plots are written as .png, .svg or .pdf
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from solver.analysis.qre import QREResult
from solver.core.errors import RedlineError
from solver.formats.atomic import check_writable, write_bytes
from solver.render.layout import given
from solver.render.sweep_plot import PALETTE

#: at most this many panels (choices) are drawn; the title says how many were left out
PANELS = 12


def check_qre_plot(path: str | Path) -> Path:
    """Refuse an impossible plot path before any work is done."""
    p = check_writable(path)
    if p.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise RedlineError("plots are written as .png, .svg or .pdf", source=str(p))
    return p


def _limit_probs(r: QREResult) -> dict[tuple[str, str], dict[str, float]]:
    """(player, choice) -> action -> the limit's probability (choices the limit leaves open are
    absent); keyed by the player too: several players' unnamed information sets share a label."""
    if r.limit is None:
        return {}
    if r.kind == "strategic":
        return {(p, p): {s: float(v) for s, v in d.items()} for p, d in r.limit.profile.items()}
    out: dict[tuple[str, str], dict[str, float]] = {}
    for player, sets in r.limit.profile.items():
        for h, acts in sets.items():
            out[player, h] = {a: float(v) for a, v in acts.items()}
    return out


def _title(r: QREResult, hidden: int) -> str:
    sub = ", ".join(f"{k} = {given(v)}" for k, v in r.values.items())
    head = f"{r.title}\n{r.method}" + ("" if r.complete else " (NOT complete)")
    if hidden:
        head += f"; {hidden} more information sets not drawn"
    return head + ("\n" + "\n".join(textwrap.wrap(sub, 110)) if sub else "")


def plot_qre(r: QREResult, path: str | Path, *, dpi: int = 160) -> None:
    """Write the figure of ``r`` to ``path`` (.png, .svg or .pdf)."""
    import matplotlib.pyplot as plt

    p = check_qre_plot(path)
    if not r.points:
        raise RedlineError("no QRE point to plot", source=str(p))
    fig = qre_figure(r)
    buf = io.BytesIO()
    fig.savefig(buf, format=p.suffix.lower()[1:], dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    write_bytes(p, buf.getvalue())


def qre_figure(r: QREResult) -> Any:
    """The matplotlib figure: one panel per choice, its ``lines`` the actions' curves (labelled by
    action) and then the Nash limit's dashed lines (see the module docstring)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    b = r.branch
    n = min(len(b.choices), PANELS)
    fig, axes = plt.subplots(n, 1, figsize=(8, 1.2 + 2.2 * n), sharex=True, squeeze=False, constrained_layout=True)
    lams = [pt.lam for pt in r.points]
    positive = [v for v in lams if v > 0]
    nash = _limit_probs(r)
    for c in range(n):
        ax: Any = axes[c][0]
        choice = b.choices[c]
        key = (b.players[b.owners[c]], choice)
        for a, action in enumerate(b.actions[c]):
            color = PALETTE[a % len(PALETTE)]
            ys = [pt.vectors[c][a] for pt in r.points]
            style = {"ls": "none", "marker": "o"} if r.mode == "all" or len(lams) == 1 else {"lw": 2}
            ax.plot(lams, ys, color=color, label=action, **style)
            if action in nash.get(key, {}):
                ax.axhline(nash[key][action], color=color, ls="--", lw=1.1, alpha=0.9)
        for t in b.turning:
            ax.axvline(t, color="#444444", ls=":", lw=1.0)
        for lo, hi in b.bifurcations:
            ax.axvspan(lo, hi, color="#C44E52", alpha=0.3, lw=0)
            ax.axvline((lo + hi) / 2, color="#C44E52", ls="-.", lw=1.0)
        owner = b.players[b.owners[c]]
        ax.set_ylabel(f"P({owner})" if r.kind == "strategic" else f"{owner}\n{choice}", fontsize=9)
        ax.set_ylim(-0.03, 1.03)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    last: Any = axes[n - 1][0]
    if positive and len(positive) < len(lams):
        last.set_xscale("symlog", linthresh=min(positive))
        last.set_xlim(0.0, max(positive))
    elif positive and len(positive) > 1:
        last.set_xscale("log")
        last.set_xlim(min(positive), max(positive))
    last.set_xlabel("lambda (logit precision; 0 = uniform play, large = Nash)")
    _legend_keys(axes[0][0], r)
    axes[0][0].set_title(_title(r, len(b.choices) - n), fontsize=10)
    return fig


def _legend_keys(ax: Any, r: QREResult) -> None:
    """What the dashed and dotted lines mean, in words under the first panel's legend."""
    keys = []
    if r.limit is not None:
        keys.append(f"dashed: Nash limit, {r.limit.equilibrium.describe()}")
    if r.branch.turning:
        keys.append("dotted: the branch turns back")
    if r.branch.bifurcations:
        keys.append("red dash-dot: a bifurcation (other QRE branches cross)")
    if keys:
        ax.text(
            1.01,
            0.0,
            "\n".join(textwrap.fill(k, 34) for k in keys),
            transform=ax.transAxes,
            fontsize=7,
            va="bottom",
            ha="left",
        )
