"""The briefing page's figures as inline SVG strings (matplotlib, Agg backend, text kept as text):
the red-line strip of one assumption, the phase diagram of two, and the tornado of margins.

Regimes (equilibrium-set signatures) are named R1, R2, ... once for the whole page
(:class:`Regimes`) and keep their colour in every figure; legends sit below or beside the axes,
never over the data; every threshold is drawn and labelled with its exact value.

>>> r = Regimes(["pure (A, B)", "mixed (full support)"])
>>> r.name("mixed (full support)"), r.colour("pure (A, B)")
('R2', '#4C72B0')
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any, TypeVar

from solver.render.sweep_plot import PALETTE

F = TypeVar("F", bound=Callable[..., Any])
UNDEFINED_COLOUR = "#d9d9d9"
DEGENERATE_COLOUR = "#222222"
#: a regime on less than this share of a phase diagram's grid is drawn as part of the red line
SLIVER = 0.005
#: the width of a character of a threshold label, as a share of the strip's width
LABEL_CHAR = 0.012


class Regimes:
    """Regime names (R1, R2, ...) and colours by signature, in order of first mention."""

    def __init__(self, signatures: Iterable[str] = ()) -> None:
        self.order: list[str] = []
        self.add(signatures)

    def add(self, signatures: Iterable[str]) -> None:
        for s in signatures:
            if s not in self.order:
                self.order.append(s)

    def name(self, signature: str) -> str:
        self.add([signature])
        return f"R{self.order.index(signature) + 1}"

    def colour(self, signature: str) -> str:
        if signature in ("none", "undefined", ""):
            return UNDEFINED_COLOUR
        self.add([signature])
        return PALETTE[self.order.index(signature) % len(PALETTE)]


def axis_label(name: str, unit: str) -> str:
    """``name (unit)``, or the name alone where the model gives no unit."""
    return f"{name} ({unit})" if unit else name


#: text stays text in the SVG (searchable, small); model strings are never read as TeX ($...$)
STYLE = {"svg.fonttype": "none", "font.family": "DejaVu Sans", "text.parse_math": False, "text.usetex": False}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _styled(fn: F) -> F:
    """Run a figure function under :data:`STYLE` (a context: other plots keep their settings)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _pyplot().rc_context(STYLE):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def svg_of(fig: Any) -> str:
    """The figure as an ``<svg>`` element (no XML prolog, no doctype), then closed."""
    plt = _pyplot()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", dpi=150, bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _legend(fig: Any, regimes: Regimes, shown: Sequence[str], extra: tuple[list[Any], list[str]] = ([], [])) -> None:
    """The regimes' key (and ``extra`` (handles, labels)) below the axes, off the data."""
    from matplotlib.patches import Patch

    handles = [
        Patch(
            facecolor=regimes.colour(s), edgecolor="#555", label="\n".join(textwrap.wrap(f"{regimes.name(s)}: {s}", 90))
        )
        for s in shown
    ]
    handles += extra[0]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, 0.0), frameon=False, fontsize=8)


def _runs(codes: Sequence[int], degenerate: Sequence[bool]) -> list[tuple[int, int, int]]:
    """(first, last, code) runs of equal codes, degenerate points joined to their neighbours."""
    clean = list(codes)
    for k, d in enumerate(degenerate):
        if d:
            clean[k] = clean[k - 1] if k > 0 else -1
    out: list[tuple[int, int, int]] = []
    for k, c in enumerate(clean):
        if out and out[-1][2] == c:
            out[-1] = (out[-1][0], k, c)
        else:
            out.append((k, k, c))
    return out


@_styled
def strip_svg(sweep: Any, marks: Sequence[tuple[float, str]], value: float, unit: str, regimes: Regimes) -> str:
    """One assumption's red-line strip: the regime at each value of its range (the 1-D sweep),
    each threshold a line labelled ``name = exact value``, the current value a triangle."""
    plt = _pyplot()
    xs = sweep.xs
    fig, ax = plt.subplots(figsize=(8.4, 1.45))
    fig.subplots_adjust(bottom=0.32, top=0.8)
    shown: list[str] = []
    for first, last, code in _runs(sweep.codes, sweep.degenerate):
        if code < 0:
            continue
        label = sweep.labels[code]
        lo = xs[first] - (xs[1] - xs[0]) / 2 if first > 0 else xs[0]
        hi = xs[last] + (xs[1] - xs[0]) / 2 if last < len(xs) - 1 else xs[-1]
        ax.axvspan(lo, hi, color=regimes.colour(label), alpha=0.85, lw=0)
        if (hi - lo) > 0.06 * (xs[-1] - xs[0]):
            ax.text(
                (lo + hi) / 2,
                0.5,
                regimes.name(label),
                ha="center",
                va="center",
                fontsize=9,
                color="white",
                fontweight="bold",
            )
        if label not in shown:
            shown.append(label)
    marks = list(dict.fromkeys(marks))  # one label where a threshold is found twice (both sides)
    span = (xs[-1] - xs[0]) or 1.0
    ends: list[float] = []  # per label row, where its last label ends (share of the width)
    for x, text in marks:
        half = LABEL_CHAR * len(text) / 2
        here = (x - xs[0]) / span
        k = next((r for r, end in enumerate(ends) if end < here - half), len(ends))
        ends[k : k + 1] = [here + half]
        ax.axvline(x, color="black", lw=1.4, ls="--")
        ax.annotate(
            text,
            (x, 1.0),
            xytext=(0, 4 + 11 * k),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8.5,
            annotation_clip=False,
        )
    ax.plot([value], [0.88], marker="v", color="black", mec="white", ms=10)
    ax.annotate(
        f"current {value:g}",
        (value, 0.88),
        xytext=(7, 0),
        textcoords="offset points",
        fontsize=8,
        va="center",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
    )
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(axis_label(sweep.parameter, unit))
    _legend(fig, regimes, shown)
    return svg_of(fig)


@_styled
def phase_svg(phase: Any, current: tuple[float, float], units: tuple[str, str], regimes: Regimes) -> str:
    """The phase diagram: the regime at each grid point of two assumptions, the current values
    marked, the legend beside the axes."""
    import numpy as np
    from matplotlib.colors import ListedColormap

    plt = _pyplot()
    counts: dict[str, int] = {}
    for row in phase.codes:
        for c in row:
            counts[phase.labels[c]] = counts.get(phase.labels[c], 0) + 1
    total = sum(counts.values())
    # slivers (a few grid points along a boundary, ties) join the red-line colour
    present = sorted((s for s, n in counts.items() if n >= SLIVER * total), key=regimes.name)
    slot = {s: k for k, s in enumerate(present)}
    grid = np.array([[slot.get(phase.labels[c], len(present)) for c in row] for row in phase.codes], dtype=float)
    deg = np.array(phase.degenerate, dtype=bool) | (grid == len(present))
    colours = [regimes.colour(s) for s in present] + [DEGENERATE_COLOUR]
    grid[deg] = len(present)
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    fig.subplots_adjust(bottom=0.16)
    ax.pcolormesh(
        phase.xs,
        phase.ys,
        grid,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(present) + 0.5,
        shading="nearest",
        rasterized=True,  # one embedded image, not a path per cell (14,641 paths made a 3 MB page)
    )
    for s in present:
        ys, xs = np.nonzero(grid == slot[s])
        if len(xs) > 0.04 * grid.size:
            ax.text(
                float(np.mean(np.array(phase.xs)[xs])),
                float(np.mean(np.array(phase.ys)[ys])),
                regimes.name(s),
                ha="center",
                va="center",
                color="white",
                fontweight="bold",
                fontsize=10,
            )
    ax.plot([current[0]], [current[1]], marker="*", ms=15, color="white", mec="black", ls="", label="current values")
    ax.set_xlabel(axis_label(phase.x, units[0]))
    ax.set_ylabel(axis_label(phase.y, units[1]))
    ax.set_xlim(min(phase.xs), max(phase.xs))
    ax.set_ylim(min(phase.ys), max(phase.ys))
    extra, labels = ax.get_legend_handles_labels()
    if deg.any():
        from matplotlib.patches import Patch

        extra.append(
            Patch(facecolor=DEGENERATE_COLOUR, label=f"on a red line (ties; regimes under {SLIVER:.1%} of the grid)")
        )
    _legend(fig, regimes, present, extra=(extra, labels))
    return svg_of(fig)


@_styled
def tornado_svg(rows: Sequence[Any]) -> str:
    """The robustness margins: how far each assumption can move down (left) and up (right), as
    a share of its declared range, before the equilibria change; grey hatched ends stop at the
    range's bound, not at a red line.  The most sensitive is on top."""
    plt = _pyplot()
    from matplotlib.patches import Patch

    rows = sorted(rows, key=lambda m: (m.relative, m.parameter), reverse=True)
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.2))
    for k, m in enumerate(rows):
        width = float(m.high - m.low) or 1.0
        down, up = (float(m.value) - m.lower) / width, (m.upper - float(m.value)) / width
        for side, size, hit, colour in (
            (-1, down, m.lower_is_threshold, "#C44E52"),
            (1, up, m.upper_is_threshold, "#4C72B0"),
        ):
            ax.barh(k, side * size, color=colour if hit else "#e0e0e0", hatch="" if hit else "//", edgecolor="#777")
            if hit:
                edge = m.lower if side < 0 else m.upper
                ax.annotate(
                    f"{edge:.4g}",
                    (side * size, k),
                    xytext=(4 * side, 0),
                    textcoords="offset points",
                    ha="left" if side > 0 else "right",
                    va="center",
                    fontsize=8,
                )
    ax.set_yticks(range(len(rows)), [m.parameter for m in rows])
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlim(-1.15, 1.15)
    ax.set_xlabel("margin before the equilibria change (share of the declared range; left: down, right: up)")
    handles = [
        Patch(facecolor="#C44E52", label="down to a red line"),
        Patch(facecolor="#4C72B0", label="up to a red line"),
        Patch(facecolor="#e0e0e0", hatch="//", edgecolor="#777", label="to the range's bound (no red line)"),
    ]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, 0.0), ncol=3, frameon=False, fontsize=8)
    return svg_of(fig)
