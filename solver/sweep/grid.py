"""Sweep plans: which points to evaluate, generated chunk by chunk (constant memory).

A *grid* plan varies parameters over the Cartesian product of their value lists (C order, the
last varied parameter fastest); a *sample* plan draws points from the declared ranges (uniform, or
Latin hypercube stratified within each chunk; McKay, Beckman & Conover 1979).

>>> name, values = parse_vary("v=0:30:4")
>>> name, values.tolist()
('v', [0.0, 10.0, 20.0, 30.0])
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ParameterError, RedlineError, UsageError
from solver.core.symbolic import Model

Array = npt.NDArray[np.float64]
#: default points per chunk: large enough for numpy, small enough for the CPU cache
CHUNK = 65536
#: a hard ceiling on the number of points of one sweep
MAX_POINTS = 10**10
#: the most points of one chunk (a chunk's arrays are what a sweep holds in memory at once)
MAX_CHUNK = 1 << 22
#: a hard ceiling on the values of one ``--vary`` axis (checked before the axis is allocated)
MAX_AXIS = 10**7


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
            start, stop, num = float(parts[0]), float(parts[1]), _count(parts[2])
            if num < 1:
                raise ParameterError(f"--vary {name}: the number of points must be at least 1")
            if num > MAX_AXIS:
                raise ParameterError(
                    f"--vary {name}: {num:.3g} values is more than the limit of {MAX_AXIS:.0e} per axis"
                )
            if not (np.isfinite(start) and np.isfinite(stop) and np.isfinite(stop - start)):
                raise ParameterError(f"--vary {name}: values must be finite")
            if stop < start:
                raise ParameterError(f"--vary {name}: range {start:g}:{stop:g} is reversed")
            if num > 1 and stop == start:
                raise ParameterError(f"--vary {name}: range {start:g}:{stop:g} is empty")
            values = np.linspace(start, stop, num)
        else:
            if rhs.count(",") >= MAX_AXIS:
                raise ParameterError(
                    f"--vary {name}: more than the limit of {MAX_AXIS:.0e} values per axis"
                )
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


def _count(text: str) -> int:
    """The ``num`` of ``start:stop:num``: an integer, also written like ``1e3``."""
    x = float(text)
    if not x.is_integer():
        raise ValueError(text)
    return int(x)


def model_digest(model: Model) -> str:
    """A hash of everything in ``model`` that determines a sweep's result: the file's bytes when
    it has a readable file, and always the payoffs, players, strategies, tree and parameters
    (values *and* ranges, which ``--samples`` draws from)."""
    h = hashlib.sha256()
    doc = {
        "payoffs": [str(e) for e in model.payoffs.flat],
        "shape": list(model.payoffs.shape),
        "players": list(model.players),
        "strategies": [list(s) for s in model.strategies],
        "params": [[p.name, str(p.value), str(p.low), str(p.high)] for p in model.parameters],
        "tree": repr(model.tree) if model.tree is not None else None,
    }
    h.update(json.dumps(doc, sort_keys=True).encode())
    if model.path:
        from solver.formats.limits import read_bytes

        # regular files only, size-capped: a path swapped for a pipe must not block; a file gone
        # or unreadable since loading leaves the fields above to identify the model
        with contextlib.suppress(RedlineError):
            h.update(read_bytes(model.path))
    return h.hexdigest()


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
        return math.prod(int(a.size) for a in self.axes)  # exact: no int64 overflow

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

    def fingerprint(self, model: Model, **options: Any) -> str:
        """Identifies the sweep, so a resumed run only reuses chunks of the same sweep: the model
        (:func:`model_digest`), every axis value (the arrays' bytes), the fixed values, the
        sampling (samples, seed, method, bounds), the chunk size and ``options`` (output kind,
        --force, ...)."""
        h = hashlib.sha256()
        doc = {
            "model": model_digest(model),
            "names": list(self.names),
            "axes": [[a.size, str(a.dtype)] for a in self.axes],
            "fixed": {k: str(v) for k, v in self.fixed.items()},
            "samples": self.samples,
            "seed": self.seed,
            "method": self.method,
            "bounds": [[repr(lo), repr(hi)] for lo, hi in self.bounds],
            "chunk": self.chunk,
            "options": {k: repr(v) for k, v in options.items()},
        }
        h.update(json.dumps(doc, sort_keys=True).encode())
        for a in self.axes:
            h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
        return h.hexdigest()[:32]


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
    if samples and vary:
        raise UsageError(
            "--samples draws every free parameter from its declared range; it cannot be combined "
            "with --vary (fix parameters with --set instead)"
        )
    if seed < 0:
        raise UsageError(f"--seed must be at least 0 (got {seed})")
    if not 1 <= chunk <= MAX_CHUNK:
        raise UsageError(f"--chunk must be between 1 and the limit of {MAX_CHUNK} points")
    free = tuple(p.name for p in model.parameters if p.name not in fixed)
    names = free if samples else tuple(vary)
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
