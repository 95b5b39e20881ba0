"""Phase diagrams of a delta* sweep (matplotlib, Agg backend), written atomically.

* one varied parameter: the (parameter, delta) plane, shaded where the target holds (delta >=
  delta*), where it needs more patience, and where no delta < 1 sustains it; delta*(parameter) and
  each player's critical delta drawn over it, and the asked-about delta as a horizontal line;
* two varied parameters (with a delta): the parameter plane shaded by whether the target holds at
  that delta, with the delta* = delta contour.

Every check runs before the work: a phase diagram over two parameters needs a delta.

>>> check_repeated_plot("phase.png", 2, False, False)
Traceback (most recent call last):
...
solver.core.errors.RedlineError: phase.png: a phase diagram over two parameters needs --delta (where does it hold?)
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from solver.core.errors import RedlineError
from solver.render.sweep_plot import PALETTE, check_plot_path

if TYPE_CHECKING:
    from solver.sweep.repeated_result import RepeatedSweep

HOLDS, NEEDS, NEVER, UNKNOWN = "#55A868", "#F2C14E", "#C44E52", "#222222"



def check_repeated_plot(path: str | Path, n_varied: int, samples: bool, delta: bool) -> Path:
    """Refuse an impossible phase diagram before any work is done."""
    p = check_plot_path(path, n_varied, samples)
    if n_varied == 2 and not delta:
        raise RedlineError("a phase diagram over two parameters needs --delta (where does it hold?)", source=str(p))
    return p


def _label(r: RepeatedSweep, name: str) -> str:
    doc = r.model.parameter(name).doc
    return "\n".join(textwrap.wrap(f"{name}: {doc}" if doc else name, 60))


def _title(r: RepeatedSweep) -> str:
    fixed = {k: v for k, v in r.plan.fixed.items() if k not in r.plan.names}
    sub = ", ".join(f"{k} = {float(v):g}" for k, v in fixed.items())
    head = f"{r.model.title}\n({', '.join(r.target)}) sustained? punishment: {r.punishment}"
    return head + ("\n" + "\n".join(textwrap.wrap(sub, 100)) if sub else "")


def plot_repeated(r: RepeatedSweep, path: str | Path, *, dpi: int = 160) -> None:
    """Write the phase diagram of ``r`` to ``path`` (.png, .svg or .pdf)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = check_repeated_plot(path, len(r.plan.names), bool(r.plan.samples), r.delta is not None)
    fig = _one(r, plt) if len(r.plan.names) == 1 else _two(r, plt)
    from solver.formats.sweep_store import atomic_write_bytes

    buf = io.BytesIO()
    fig.savefig(buf, format=p.suffix.lower()[1:], dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(p, buf.getvalue())


def _one(r: RepeatedSweep, plt: Any) -> Any:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    x = r.plan.axes[0]
    star = np.where(r.solved, r.delta_star, np.nan)
    ys = np.linspace(0.0, 1.0, 401)
    cat = np.where(ys[:, None] >= star[None, :], 0, 1)  # NaN compares False: "needs"
    cat = np.where(np.isnan(star)[None, :], np.where(r.solved, 2, 3)[None, :], cat)
    fig, ax = plt.subplots(figsize=(9, 5.5), constrained_layout=True)
    colors = [HOLDS, NEEDS, NEVER, UNKNOWN]
    ax.pcolormesh(x, ys, cat, cmap=ListedColormap(colors), vmin=-0.5, vmax=3.5, alpha=0.55,
                  shading="nearest", rasterized=True)
    ax.plot(x, star, color="black", lw=2.4, label="delta* (overall)")
    for k, (player, d) in enumerate(r.by_player.items()):
        ax.plot(x, d, color=PALETTE[k % len(PALETTE)], lw=1.3, ls="--", zorder=3, label=f"{player}'s critical delta")
    handles, _ = ax.get_legend_handles_labels()
    words = ["holds: delta >= delta*", "too impatient: delta < delta*", "no delta < 1 sustains it", "not solved"]
    shown = [0, 1, 2] + ([3] if not r.solved.all() else [])
    handles += [Patch(color=colors[k], alpha=0.55, label=words[k]) for k in shown]
    if r.delta is not None:
        ax.axhline(float(r.delta), color="#4C72B0", lw=1.2, ls=":")
        handles.append(ax.plot([], [], color="#4C72B0", ls=":", label=f"delta = {float(r.delta):g}")[0])
    ax.set_xlim(float(x.min()), float(x.max()))
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel(_label(r, r.plan.names[0]))
    ax.set_ylabel("discount factor delta")
    ax.set_title(_title(r), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    return fig


def _two(r: RepeatedSweep, plt: Any) -> Any:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    if r.delta is None:
        raise RedlineError("a phase diagram over two parameters needs a delta")
    x, y = r.plan.axes
    holds = r.holds()
    cat = np.where(holds, 0, np.where(np.isnan(r.delta_star), 2, 1))
    cat = np.where(r.solved, cat, 3)
    grid = cat.reshape(r.plan.shape).T  # rows: the second parameter
    fig, ax = plt.subplots(figsize=(10, 6), constrained_layout=True)
    colors = [HOLDS, NEEDS, NEVER, UNKNOWN]
    ax.pcolormesh(x, y, grid, cmap=ListedColormap(colors), vmin=-0.5, vmax=3.5, shading="nearest", rasterized=True)
    star = np.where(r.solved, r.delta_star, np.nan).reshape(r.plan.shape).T
    if x.size > 1 and y.size > 1 and np.isfinite(star).any():
        ax.contour(x, y, star, levels=[float(r.delta)], colors="black", linewidths=1.2)
    share = [float((cat == k).mean()) for k in range(4)]
    words = [
        f"holds at delta = {float(r.delta):g}",
        "needs more patience (delta < delta*)",
        "no delta < 1 sustains it",
        "not solved",
    ]
    handles = [Patch(color=colors[k], label=f"{words[k]} ({100 * share[k]:.1f}%)") for k in range(4) if share[k] > 0]
    handles.append(ax.plot([], [], color="black", lw=1.2, label=f"delta* = {float(r.delta):g}")[0])
    ax.set_xlabel(_label(r, r.plan.names[0]))
    ax.set_ylabel(_label(r, r.plan.names[1]))
    ax.set_xlim(float(x.min()), float(x.max()))
    ax.set_ylim(float(y.min()), float(y.max()))
    ax.set_title(_title(r), fontsize=10)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    return fig
