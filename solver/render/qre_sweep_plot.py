"""The smooth phase diagram of ``redline sweep --qre L --plot FILE`` and its text summary.

* one varied parameter: each outcome's probability (or only ``--outcome``'s) under the logit QRE
  at ``L`` (solid lines) against the parameter, with the Nash sweep's outcome probabilities (dashed, same colour; the
  equilibria at a point weighted by the ``--select`` rule) for comparison: a smooth curve against
  a step;
* two varied parameters: a heat map of one outcome's probability (``--outcome``), or, without
  one, the most likely outcome at each point, shaded by its probability (pale: close to uniform
  play, full colour: that outcome for sure).

>>> from solver.formats import load
>>> from solver.sweep.qre import sweep_qre
>>> print(qre_sweep_text(sweep_qre(load("matching_pennies"), {"loss": [1.0, 2.0]}, lam=0.0)).splitlines()[0])
logit QRE (McKelvey & Palfrey 1995) at lambda = 0 over 2 points of matching_pennies (loss)
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from solver.render.sweep_plot import PALETTE, check_plot_path

if TYPE_CHECKING:
    from solver.sweep.qre import QRESweep


def _stats(v: Any) -> str:
    ok = v[np.isfinite(v)]
    if not ok.size:
        return "undefined"
    return f"min {ok.min():.4f}  mean {ok.mean():.4f}  max {ok.max():.4f}"


def qre_sweep_text(r: QRESweep) -> str:
    """The sweep in a few lines: each outcome's and each action's probability over the points."""
    lines = [
        f"{r.method} at lambda = {r.lam:g} over {r.n_points} points of {r.model.name} ({', '.join(r.plan.names)})",
        "",
        "Outcome probabilities:",
    ]
    width = max(len(o) for o in r.outcomes)
    lines += [f"  P({o}){' ' * (width - len(o))}  {_stats(r.reach[:, j])}" for j, o in enumerate(r.outcomes)]
    lines += ["", "Strategy probabilities:"]
    cols = r.probability_columns()
    width = max(len(c) for c in cols)
    lines += [f"  {c}{' ' * (width - len(c))}  {_stats(r.probs[:, j])}" for j, c in enumerate(cols)]
    if r.fallback_points:
        lines.append(f"\n{r.fallback_points} points traced one by one.")
    if not r.complete:
        lines.append("Incomplete: " + "; ".join(r.limits))
    lines += [f"Note: {n}" for n in r.notes]
    return "\n".join(lines)


def _label(r: QRESweep, name: str) -> str:
    return "\n".join(textwrap.wrap(f"{name}: {r.model.parameter(name).doc}", 60))


def plot_qre_sweep(
    r: QRESweep, path: str | Path, *, nash: Any = None, rule: str = "all", outcome: int | None = None, dpi: int = 160
) -> None:
    """Write the figure: ``nash`` ``(N, outcomes)`` the Nash sweep's outcome probabilities (one
    varied parameter; None leaves them out), ``outcome`` the outcome a 2-parameter map shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from solver.formats.sweep_store import atomic_write_bytes

    p = check_plot_path(path, len(r.plan.names), bool(r.plan.samples))
    fig = _one(r, nash, rule, outcome, plt) if len(r.plan.names) == 1 else _two(r, outcome, plt)
    buf = io.BytesIO()
    fig.savefig(buf, format=p.suffix.lower()[1:], dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(p, buf.getvalue())


def _one(r: QRESweep, nash: Any, rule: str, outcome: int | None, plt: Any) -> Any:
    x = r.plan.axes[0]
    fig, ax = plt.subplots(figsize=(8.5, 4.4), constrained_layout=True)
    shown = [j for j in range(len(r.outcomes)) if np.nanmax(r.reach[:, j], initial=0.0) >= 0.01]
    shown = [outcome] if outcome is not None else shown or list(range(len(r.outcomes)))
    for j in shown:
        color = PALETTE[j % len(PALETTE)]
        ax.plot(x, r.reach[:, j], color=color, lw=2.0, label=f"{r.outcomes[j]} (QRE)")
        if nash is not None:
            ax.plot(x, nash[:, j], color=color, lw=1.2, ls="--", alpha=0.9, label=f"{r.outcomes[j]} (Nash)")
    ax.set_ylim(-0.03, 1.03)
    ax.set_ylabel("probability of the outcome")
    ax.set_xlabel(_label(r, r.plan.names[0]))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    what = f"solid: logit QRE at lambda = {r.lam:g}"
    if nash is not None:
        what += f"; dashed: Nash equilibrium (--select {rule})"
    elif r.model.tree is not None:
        what += " (agent QRE; the Nash comparison is drawn for strategic models only)"
    hidden = len(r.outcomes) - len(shown)
    if hidden and outcome is None:
        what += f"; {hidden} outcomes below 1% everywhere not drawn"
    ax.set_title(f"{r.model.title or r.model.name}\n{what}", fontsize=9)
    return fig


def _two(r: QRESweep, outcome: int | None, plt: Any) -> Any:
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Patch

    x, y = r.plan.axes
    shape = r.plan.shape
    fig, ax = plt.subplots(figsize=(9, 6), constrained_layout=True)
    title = f"{r.model.title or r.model.name}\nlogit QRE at lambda = {r.lam:g}"
    if outcome is not None:
        grid = r.reach[:, outcome].reshape(shape).T  # rows: the second parameter
        mesh = ax.pcolormesh(x, y, grid, cmap="viridis", vmin=0.0, vmax=1.0, shading="nearest", rasterized=True)
        fig.colorbar(mesh, ax=ax, label=f"P({r.outcomes[outcome]})")
        title += f": P({r.outcomes[outcome]})"
    else:
        filled = np.where(np.isfinite(r.reach), r.reach, -1.0)
        best = filled.argmax(axis=1)
        top = filled.max(axis=1)
        k = len(r.outcomes)
        shade = np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
        used = sorted(set(best[top >= 0].tolist()))
        colors = {j: np.array(to_rgb(PALETTE[j % len(PALETTE)])) for j in used}
        rgb = np.ones((best.size, 3))
        for j, c in colors.items():
            m = (best == j) & (top >= 0)
            rgb[m] = 1.0 - shade[m, None] * (1.0 - c)
        ax.imshow(
            rgb.reshape(*shape, 3).transpose(1, 0, 2), origin="lower", aspect="auto", interpolation="nearest",
            extent=(float(x[0]), float(x[-1]), float(y[0]), float(y[-1])),
        )
        ax.legend(
            handles=[Patch(color=tuple(colors[j]), label=r.outcomes[j]) for j in used], fontsize=8, frameon=False,
            loc="upper left", bbox_to_anchor=(1.02, 1.0), title="most likely outcome",
        )
        title += ": the most likely outcome, shaded by its probability (pale: near uniform play)"
    ax.set_xlabel(_label(r, r.plan.names[0]))
    ax.set_ylabel(_label(r, r.plan.names[1]))
    ax.set_title(title, fontsize=9)
    return fig
