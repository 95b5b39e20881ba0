"""Publication-quality sweep figures (matplotlib, Agg backend).

* one varied parameter: each player's equilibrium strategy probabilities and expected payoffs
  against it, one line per equilibrium branch, with the boundaries marked;
* two varied parameters: a phase diagram, regions coloured by equilibrium-set signature.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from solver.core.errors import RedlineError

if TYPE_CHECKING:
    from solver.sweep.result import SweepResult

PALETTE = [
    "#4C72B0",
    "#DD8452",
    "#55A868",
    "#C44E52",
    "#8172B3",
    "#937860",
    "#DA8BC3",
    "#8C8C8C",
    "#CCB974",
    "#64B5CD",
    "#1B9E77",
    "#D95F02",
]


def _axis_label(r: SweepResult, name: str) -> str:
    doc = r.model.parameter(name).doc
    return "\n".join(textwrap.wrap(f"{name}: {doc}", 60))


def check_plot_path(path: str | Path, n_varied: int, samples: bool) -> Path:
    """Refuse an impossible plot before any work is done."""
    p = Path(path)
    if p.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise RedlineError("plots are written as .png, .svg or .pdf", source=str(p))
    if samples:
        raise RedlineError("plots need a grid sweep (--vary), not random samples", source=str(p))
    if n_varied not in (1, 2):
        raise RedlineError("plots show one or two varied parameters", source=str(p))
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise RedlineError("the output folder does not exist", source=str(p))
    if p.is_dir():
        raise RedlineError("the plot path is a folder, not a file", source=str(p))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RedlineError("the output folder is not writable", source=str(p))
    return p


def plot_sweep(r: SweepResult, path: str | Path, *, dpi: int = 160) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = check_plot_path(path, len(r.plan.names), bool(r.plan.samples))
    if r.codes is None:
        raise RedlineError("this sweep is too large to plot; use a coarser grid", source=str(p))
    fig = _one(r, plt) if len(r.plan.names) == 1 else _two(r, plt)
    import io

    from solver.formats.sweep_store import atomic_write_bytes

    buf = io.BytesIO()
    fig.savefig(buf, format=p.suffix.lower()[1:], dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(p, buf.getvalue())


def _one(r: SweepResult, plt: Any) -> Any:
    from solver.sweep.engine import solve_batch

    m, plan = r.model, r.plan
    name = plan.names[0]
    x = plan.axes[0]
    batch = solve_batch(m, plan.columns(m, 0, plan.n_points), undefined=True)
    n = len(m.players)
    fig, axes = plt.subplots(
        n + 1, 1, figsize=(8, 2.3 * (n + 1)), sharex=True, constrained_layout=True
    )
    # collect per point the equilibria, sorted by description for stable branches
    # points exactly on a red line (degenerate) are left out: the boundary lines mark them
    per_point = [
        [] if batch.degenerate[k] else sorted(batch.equilibria_at(k), key=lambda e: e[0])
        for k in range(plan.n_points)
    ]
    words = sorted({e[0] for pt in per_point for e in pt})
    colors = {w: PALETTE[j % len(PALETTE)] for j, w in enumerate(words)}
    for i, player in enumerate(m.players):
        ax = axes[i]
        strat = m.strategies[i]
        # probability of the player's first strategy... plot the *last* strategy (e.g. Strike, Confront)
        s_idx = len(strat) - 1
        for w in words:
            ys = np.full(plan.n_points, np.nan)
            for k, pt in enumerate(per_point):
                for e in pt:
                    if e[0] == w:
                        ys[k] = e[1][i][s_idx]
            ax.plot(x, ys, color=colors[w], lw=2, label=w)
        ax.set_ylabel(f"P({player} = {strat[s_idx]})")
        ax.set_ylim(-0.05, 1.05)
        ax.grid(alpha=0.3)
    ax = axes[n]
    for w in words:
        for i in range(len(m.players)):
            ys = np.full(plan.n_points, np.nan)
            for k, pt in enumerate(per_point):
                for e in pt:
                    if e[0] == w:
                        ys[k] = e[2][i]
            ax.plot(x, ys, color=colors[w], lw=2, ls=["-", "--", ":", "-."][i % 4])
    styles = ", ".join(
        f"{p}: {s}"
        for p, s in zip(m.players, ["solid", "dashed", "dotted", "dash-dot"], strict=False)
    )
    ax.set_ylabel("expected payoff")
    ax.set_title(f"expected payoffs ({styles})", fontsize=9)
    ax.grid(alpha=0.3)
    ax.set_xlabel(_axis_label(r, name))
    for b in r.boundaries:
        for a in axes:
            a.axvline(b.value, color="k", lw=0.8, ls="--", alpha=0.6)
    axes[0].legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 1.02 + 0.12 * len(words)),
        ncol=1,
        fontsize=8,
        frameon=False,
    )
    axes[0].set_title(r.model.title, pad=18 + 14 * len(words), fontsize=11)
    return fig


def _two(r: SweepResult, plt: Any) -> Any:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    plan = r.plan
    assert r.codes is not None
    regimes = r.regimes()
    generic = [g["signature"] for g in regimes if not g["degenerate"]]
    slot = {sig: k for k, sig in enumerate(generic)}
    lut = np.array([slot.get(lab, len(generic)) for lab in r.labels])
    img = lut[r.codes]
    if r.degenerate is not None:
        img = np.where(r.degenerate, len(generic), img)
    grid = img.reshape(plan.shape).T  # rows: second parameter (y), columns: first (x)
    colors = [PALETTE[k % len(PALETTE)] for k in range(len(generic))] + ["#222222"]
    x, y = plan.axes
    fig, ax = plt.subplots(figsize=(11, 6), constrained_layout=True)
    ax.pcolormesh(
        x,
        y,
        grid,
        cmap=ListedColormap(colors),
        vmin=-0.5,
        vmax=len(generic) + 0.5,
        shading="nearest",
        rasterized=True,
    )
    pts = [
        (b.value, b.at[plan.names[1]])
        if b.parameter == plan.names[0]
        else (b.at[plan.names[0]], b.value)
        for b in r.boundaries
    ]
    if pts:
        bx, by = zip(*pts, strict=True)
        ax.scatter(bx, by, s=2, color="black", lw=0, label="boundary (refined)")
    ax.set_xlabel(_axis_label(r, plan.names[0]))
    ax.set_ylabel(_axis_label(r, plan.names[1]))
    ax.set_xlim(x.min(), x.max())
    ax.set_ylim(y.min(), y.max())
    fixed = {k: v for k, v in plan.fixed.items() if k not in plan.names}
    sub = ", ".join(f"{k} = {float(v):g}" for k, v in fixed.items())
    ax.set_title(
        r.model.title + ("\n" + "\n".join(textwrap.wrap(sub, 100)) if sub else ""), fontsize=10
    )
    share = {g["signature"]: g["share"] for g in regimes}
    handles = [
        Patch(
            color=colors[k], label="\n".join(textwrap.wrap(f"{sig} ({100 * share[sig]:.1f}%)", 42))
        )
        for k, sig in enumerate(generic)
    ]
    n_deg = int(r.degenerate.sum()) if r.degenerate is not None else 0
    if n_deg:
        handles.append(
            Patch(color=colors[-1], label=f"degenerate: exactly on a red line ({n_deg} pts)")
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        fontsize=8,
        frameon=False,
        title="equilibrium set",
        title_fontsize=9,
        labelspacing=0.9,
    )
    return fig
