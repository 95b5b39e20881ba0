"""Sweep plans: which points to evaluate, generated chunk by chunk (constant memory).

A *grid* plan varies parameters over the Cartesian product of their value lists (C order, the
last varied parameter fastest); a *sample* plan draws points from the declared ranges (uniform, or
Latin hypercube stratified within each chunk; McKay, Beckman & Conover 1979).

>>> name, values = parse_vary("v=0:30:4")
>>> name, values.tolist()
('v', [0.0, 10.0, 20.0, 30.0])
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ParameterError, UsageError
from solver.core.symbolic import Model

Array = npt.NDArray[np.float64]
#: default points per chunk: large enough for numpy, small enough for the CPU cache
CHUNK = 65536
#: a hard ceiling on the number of points of one sweep
MAX_POINTS = 10**10


def parse_vary(spec: str) -> tuple[str, Array]:
    """``name=start:stop:num`` (inclusive, num points) or ``name=v1,v2,...``."""
    name, sep, rhs = spec.partition("=")
    name = name.strip()
    if not sep or not name or not rhs.strip():
        raise UsageError(f"--vary expects name=start:stop:num or name=v1,v2,..., got {spec!r}")
    try:
        if ":" in rhs:
            parts = rhs.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
            if num < 1:
                raise ParameterError(f"--vary {name}: the number of points must be at least 1")
            if stop < start:
                raise ParameterError(f"--vary {name}: range {start:g}:{stop:g} is reversed")
            if num > 1 and stop == start:
                raise ParameterError(f"--vary {name}: range {start:g}:{stop:g} is empty")
            values = np.linspace(start, stop, num)
        else:
            values = np.array([float(x) for x in rhs.split(",") if x.strip()])
            if values.size == 0:
                raise ParameterError(f"--vary {name}: no values")
    except ValueError:
        raise UsageError(
            f"--vary expects name=start:stop:num or name=v1,v2,..., got {spec!r}"
        ) from None
    if not np.all(np.isfinite(values)):
        raise ParameterError(f"--vary {name}: values must be finite")
    return name, values


@dataclass(frozen=True)
class Plan:
    """The points of a sweep: a grid over ``axes`` or ``samples`` random points."""

    names: tuple[str, ...]
    axes: tuple[Array, ...]
    fixed: Mapping[str, Fraction]
    samples: int = 0
    seed: int = 0
    method: str = "lhs"
    bounds: tuple[tuple[float, float], ...] = ()
    chunk: int = CHUNK

    @property
    def n_points(self) -> int:
        if self.samples:
            return self.samples
        return int(np.prod([a.size for a in self.axes])) if self.axes else 1

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.samples,) if self.samples else tuple(a.size for a in self.axes)

    @property
    def n_chunks(self) -> int:
        return max(1, -(-self.n_points // self.chunk))

    def bounds_of(self, k: int) -> tuple[int, int]:
        return k * self.chunk, min(self.n_points, (k + 1) * self.chunk)

    def varied(self, start: int, stop: int) -> dict[str, Array]:
        """Values of the varied parameters at flat point indices [start, stop)."""
        if self.samples:
            return self._sample(start, stop)
        idx = np.unravel_index(np.arange(start, stop), self.shape)
        return {n: a[i] for n, a, i in zip(self.names, self.axes, idx, strict=True)}

    def columns(self, model: Model, start: int, stop: int) -> dict[str, Array]:
        """One value column per model parameter for the points [start, stop)."""
        var = self.varied(start, stop)
        size = stop - start
        return {
            p.name: var[p.name] if p.name in var else np.full(size, float(self.fixed[p.name]))
            for p in model.parameters
        }

    def _sample(self, start: int, stop: int) -> dict[str, Array]:
        k = start // self.chunk
        rng = np.random.default_rng([self.seed, k])
        size, d = stop - start, len(self.names)
        if self.method == "lhs":
            u = (
                rng.permuted(np.tile(np.arange(size), (d, 1)), axis=1).T + rng.random((size, d))
            ) / size
        else:
            u = rng.random((size, d))
        return {
            n: lo + (hi - lo) * u[:, j]
            for j, (n, (lo, hi)) in enumerate(zip(self.names, self.bounds, strict=True))
        }

    def fingerprint(self, model: Model) -> str:
        """Identifies the sweep, so a resumed run only reuses chunks of the same sweep."""
        doc = {
            "model": [str(e) for e in model.payoffs.flat],
            "params": [p.name for p in model.parameters],
            "names": self.names,
            "axes": [a.tolist() for a in self.axes]
            if self.n_points < 10**6
            else [[a[0], a[-1], a.size] for a in self.axes],
            "fixed": {k: str(v) for k, v in self.fixed.items()},
            "samples": self.samples,
            "seed": self.seed,
            "method": self.method,
            "chunk": self.chunk,
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[
            :16
        ]


def make_plan(
    model: Model,
    vary: Mapping[str, Sequence[float] | Array] | None = None,
    fixed: Mapping[str, Any] | None = None,
    *,
    samples: int = 0,
    seed: int = 0,
    method: str = "lhs",
    force: bool = False,
    chunk: int = CHUNK,
) -> tuple[Plan, list[str]]:
    """Validate a sweep request; returns the plan and warnings (values outside declared ranges)."""
    warnings: list[str] = []
    vary = dict(vary or {})
    fixed = dict(fixed or {})
    for name in list(vary) + list(fixed):
        model.parameter(name)
    both = set(vary) & set(fixed)
    if both:
        raise ParameterError(f"parameter {sorted(both)[0]!r} is both varied and fixed")
    if samples < 0:
        raise ParameterError("--samples must be positive")
    if samples and not vary:
        vary = {}
        names = tuple(p.name for p in model.parameters if p.name not in fixed)
    else:
        names = tuple(vary)
    if not names:
        raise ParameterError("nothing to sweep: give --vary name=start:stop:num or --samples N")
    axes: list[Array] = []
    for name in names:
        p = model.parameter(name)
        if samples:
            continue
        vals = np.asarray(vary[name], dtype=float)
        if vals.size == 0:
            raise ParameterError(f"--vary {name}: no values")
        outside = (vals < float(p.low)) | (vals > float(p.high))
        if outside.any():
            msg = (
                f"--vary {name}: values {vals.min():g}..{vals.max():g} leave the declared range "
                f"[{float(p.low):g}, {float(p.high):g}]"
            )
            if not force:
                raise ParameterError(
                    msg + " (use --force to sweep anyway)", source=model.path or model.name
                )
            warnings.append(msg)
        axes.append(vals)
    values = model.values(fixed)
    bounds = tuple((float(model.parameter(n).low), float(model.parameter(n).high)) for n in names)
    plan = Plan(names, tuple(axes), values, samples, seed, method, bounds, chunk)
    if plan.n_points > MAX_POINTS:
        raise ParameterError(
            f"{plan.n_points:.3g} points is more than the limit of {MAX_POINTS:.0e}"
        )
    return plan, warnings
