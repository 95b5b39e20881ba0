"""Charts for the analysis commands (matplotlib, Agg backend; the only module here that writes files).

:func:`plot_tornado` ranks the parameters by robustness margin: each bar spans how far the
parameter can move down (left) and up (right), as a fraction of its declared range, before the
equilibrium set changes; hatched ends stop at the range bound rather than at a red line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_tornado(sens: Any, path: str | Path, *, title: str | None = None) -> Path:
    """Write the tornado chart of ``sens`` (a :class:`~solver.analysis.sensitivity.Sensitivity`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    margins = sorted(sens.margins.values(), key=lambda m: m.relative, reverse=True)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(margins) + 1.5))
    for k, m in enumerate(margins):
        width = float(m.high - m.low) or 1.0
        down, up = float(m.down) / width, float(m.up) / width
        ax.barh(
            k,
            -down,
            color="tab:red" if m.lower_is_threshold else "lightgray",
            hatch="" if m.lower_is_threshold else "//",
            edgecolor="gray",
        )
        ax.barh(
            k,
            up,
            color="tab:blue" if m.upper_is_threshold else "lightgray",
            hatch="" if m.upper_is_threshold else "//",
            edgecolor="gray",
        )
    ax.set_yticks(range(len(margins)), [m.parameter for m in margins])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("margin before the equilibrium set changes (fraction of the parameter's range)")
    ax.set_title(
        title or f"{sens.model.title}: robustness margins\nat {sens.signature}", fontsize=9
    )
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out
