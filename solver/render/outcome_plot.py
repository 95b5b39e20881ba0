"""The figure of ``redline sweep --outcome ... --plot FILE``: one outcome's probability across the
varied parameter (matplotlib, Agg backend).

* one varied parameter: P(outcome) under each equilibrium branch (wide pale lines) and as the
  sweep weighted it (a thin black line), with the refined boundaries marked;
* two varied parameters: a heat map of the weighted P(outcome), with the boundaries as dots.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from solver.render.sweep_plot import PALETTE, check_plot_path

if TYPE_CHECKING:
    from solver.sweep.result import SweepResult


def _label(r: SweepResult, name: str) -> str:
    return "\n".join(textwrap.wrap(f"{name}: {r.model.parameter(name).doc}", 60))


def plot_outcome(r: SweepResult, track: Any, path: str | Path, *, dpi: int = 160) -> None:
    """Write the figure of ``track`` (an :class:`~solver.analysis.outcome_sweep.OutcomeTrack`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from solver.formats.sweep_store import atomic_write_bytes

    p = check_plot_path(path, len(r.plan.names), bool(r.plan.samples))
    fig = _one(r, track, plt) if len(r.plan.names) == 1 else _two(r, track, plt)
    buf = io.BytesIO()
    fig.savefig(buf, format=p.suffix.lower()[1:], dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(p, buf.getvalue())


def _one(r: SweepResult, track: Any, plt: Any) -> Any:
    from solver.sweep.engine import solve_batch

    m, plan = r.model, r.plan
    x = plan.axes[0]
    batch = solve_batch(m, plan.columns(m, 0, plan.n_points), undefined=True)
    branches: dict[str, np.ndarray[Any, Any]] = {}
    for k in range(plan.n_points):
        for word, probs, _ in batch.equilibria_at(k):
            ys = branches.setdefault(word, np.full(plan.n_points, np.nan))
            ys[k] = float(np.prod([probs[i][c] for i, c in enumerate(track.cell)]))
    fig, ax = plt.subplots(figsize=(8, 4.2), constrained_layout=True)
    for j, (word, ys) in enumerate(sorted(branches.items())):
        ax.plot(x, ys, color=PALETTE[j % len(PALETTE)], lw=4, alpha=0.55, label=word)
    rule = track.weighting.rule
    ax.plot(x, track.values, color="black", lw=1.3, label=f"weighted (--select {rule})")
    for b in r.boundaries:
        ax.axvline(b.value, color="k", lw=0.8, ls="--", alpha=0.6)
    ax.set_ylim(-0.05, 1.05)
    ax.set_ylabel(f"P({track.label})")
    ax.set_xlabel(_label(r, plan.names[0]))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    note = "\n".join(textwrap.wrap("weighting: " + track.weighting.sentence(), 90))
    ax.set_title(f"{m.title}\nP({track.label})\n{note}", fontsize=9)
    return fig


def _two(r: SweepResult, track: Any, plt: Any) -> Any:
    plan = r.plan
    x, y = plan.axes
    grid = np.asarray(track.values).reshape(plan.shape).T  # rows: the second parameter
    fig, ax = plt.subplots(figsize=(9, 6), constrained_layout=True)
    mesh = ax.pcolormesh(x, y, grid, cmap="viridis", vmin=0.0, vmax=1.0, shading="nearest", rasterized=True)
    fig.colorbar(mesh, ax=ax, label=f"P({track.label})")
    pts = [
        (b.value, b.at[plan.names[1]]) if b.parameter == plan.names[0] else (b.at[plan.names[0]], b.value)
        for b in r.boundaries
    ]
    if pts:
        bx, by = zip(*pts, strict=True)
        ax.scatter(bx, by, s=2, color="white", lw=0)
    ax.set_xlabel(_label(r, plan.names[0]))
    ax.set_ylabel(_label(r, plan.names[1]))
    note = "\n".join(textwrap.wrap("weighting: " + track.weighting.sentence(), 90))
    ax.set_title(f"{r.model.title}: P({track.label})\n{note}", fontsize=9)
    return fig
