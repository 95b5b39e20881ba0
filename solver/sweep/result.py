"""The values a sweep produces: the regimes over the swept points and the boundaries between them.

Plain data with JSON-ready views (:meth:`SweepResult.to_dict`); text and figures live in
:mod:`solver.render.sweep_report` and :mod:`solver.render.sweep_plot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.symbolic import Model
from solver.sweep.engine import UNDEFINED
from solver.sweep.grid import Plan


@dataclass(frozen=True)
class Boundary:
    """The equilibrium set changes from ``before`` to ``after`` as ``parameter`` crosses ``value``."""

    parameter: str
    value: float
    before: str
    after: str
    at: dict[str, float]
    width: float

    def changes(self) -> tuple[list[str], list[str]]:
        """(equilibria that disappear, equilibria that appear) as the parameter increases."""
        before, after = self.before.split(" + "), self.after.split(" + ")
        return [e for e in before if e not in after], [e for e in after if e not in before]

    def sentence(self) -> str:
        """E.g. ``at v = 14 (c = 15) the equilibrium pure (Tolerate, Acquiesce) disappears and ...``."""
        others = ", ".join(f"{k} = {v:g}" for k, v in self.at.items())
        gone, new = self.changes()
        if UNDEFINED in gone + new:  # a pole or the edge of the payoffs' domain, not a red line
            gone, new = [e for e in gone if e != UNDEFINED], [e for e in new if e != UNDEFINED]
            what = "stop being finite" if UNDEFINED in self.after else "become finite again"
            return f"at {self.parameter} = {self.value:.10g}" + (
                f" ({others})" if others else ""
            ) + f" the payoffs {what}"
        parts = []
        if gone:
            parts.append(f"{_join(gone)} {'disappears' if len(gone) == 1 else 'disappear'}")
        if new:
            parts.append(f"{_join(new)} {'appears' if len(new) == 1 else 'appear'}")
        return (
            f"at {self.parameter} = {self.value:.10g}"
            + (f" ({others})" if others else "")
            + " "
            + " and ".join(parts)
        )


def _join(items: list[str]) -> str:
    return ("the equilibrium " if len(items) == 1 else "the equilibria ") + ", ".join(items)


@dataclass
class SweepResult:
    """Signatures over the sweep plus the regimes and boundaries between them."""

    model: Model
    plan: Plan
    labels: list[str]
    counts: npt.NDArray[np.int64]
    ranges: dict[str, dict[str, tuple[float, float]]]
    codes: npt.NDArray[np.signedinteger[Any]] | None
    #: per label, how many of its points were degenerate (ties: typically exactly on a red line)
    degenerate_counts: npt.NDArray[np.int64] = field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )
    #: per point: degenerate? (kept with the codes)
    degenerate: npt.NDArray[np.bool_] | None = None
    boundaries: list[Boundary] = field(default_factory=list)
    fallback_points: int = 0
    degenerate_points: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n_points(self) -> int:
        return self.plan.n_points

    def regimes(self) -> list[dict[str, Any]]:
        """Each distinct equilibrium-set signature, its share of the points and the ranges it spans."""
        out = []
        for j in np.argsort(-self.counts, kind="stable"):
            if self.counts[j] == 0:
                continue
            label = self.labels[j]
            deg = int(self.degenerate_counts[j]) if self.degenerate_counts.size else 0
            out.append(
                {
                    "signature": label,
                    "points": int(self.counts[j]),
                    "share": float(self.counts[j] / max(1, self.counts.sum())),
                    "degenerate": deg == int(self.counts[j]),
                    "degenerate_points": deg,
                    "ranges": {n: list(v) for n, v in self.ranges.get(label, {}).items()},
                }
            )
        return out

    def signatures(self) -> list[str]:
        """Signature of every point, in plan order (needs the codes to have been kept)."""
        if self.codes is None:
            raise ValueError("this sweep was too large to keep per-point signatures")
        return [self.labels[c] for c in self.codes]

    def points(self) -> dict[str, npt.NDArray[np.float64]]:
        """Varied parameter values of every point."""
        return self.plan.varied(0, self.n_points)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one row per point (pandas is optional)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError(
                "SweepResult.to_dataframe() needs pandas: pip install 'redline-solver[pandas]'"
            ) from exc

        data: dict[str, Any] = dict(self.points())
        data["signature"] = self.signatures()
        return pd.DataFrame(data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``redline sweep`` (plain data)."""
        r = self
        plan = r.plan
        return {
            "model": r.model.name,
            "varied": list(plan.names),
            "fixed": {k: float(v) for k, v in plan.fixed.items() if k not in plan.names},
            "grid": {
                n: {"start": float(a[0]), "stop": float(a[-1]), "num": int(a.size)}
                for n, a in zip(plan.names, plan.axes, strict=True)
            }
            if not plan.samples
            else None,
            "samples": plan.samples or None,
            "points": r.n_points,
            "fallback_points": r.fallback_points,
            "degenerate_points": r.degenerate_points,
            "regimes": r.regimes(),
            "boundaries": [
                {
                    "parameter": b.parameter,
                    "value": b.value,
                    "before": b.before,
                    "after": b.after,
                    "at": b.at,
                    "width": b.width,
                }
                for b in r.boundaries
            ],
            "warnings": r.warnings,
            "notes": r.notes,
        }
