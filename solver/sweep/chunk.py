"""One chunk of a sweep: evaluate, solve in batch, summarise (runs in workers too).

>>> from solver.formats import load
>>> from solver.sweep.grid import make_plan
>>> m = load("chicken"); plan, _ = make_plan(m, {"T": [3.5, 5.0]})
>>> out = run_chunk(m, plan, 0)
>>> [out.labels[c] for c in out.codes]  # doctest: +NORMALIZE_WHITESPACE
['mixed (full support) + pure (Straight, Swerve) + pure (Swerve, Straight)',
 'mixed (full support) + pure (Straight, Swerve) + pure (Swerve, Straight)']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.symbolic import Model
from solver.sweep.engine import Batch, solve_batch
from solver.sweep.grid import Plan


@dataclass
class ChunkOut:
    """What a chunk sends back: local signature codes and labels, counts, optional tidy rows."""

    index: int
    codes: npt.NDArray[np.int64]
    labels: list[str]
    fallback: int
    degenerate: npt.NDArray[np.bool_]
    rows: list[list[Any]] | None = None
    batch: Batch | None = None
    #: per local label: the (min, max) of each varied parameter over its points
    ranges: dict[str, dict[str, tuple[float, float]]] | None = None


def chunk_ranges(
    codes: npt.NDArray[Any], labels: list[str], var: dict[str, npt.NDArray[np.float64]]
) -> dict[str, dict[str, tuple[float, float]]]:
    """The parameter ranges each signature spans within one chunk."""
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for j, label in enumerate(labels):
        mask = codes == j
        if mask.any():
            out[label] = {n: (float(v[mask].min()), float(v[mask].max())) for n, v in var.items()}
    return out


def run_chunk(
    model: Model, plan: Plan, k: int, *, rows: bool = False, keep_batch: bool = False
) -> ChunkOut:
    start, stop = plan.bounds_of(k)
    cols = plan.columns(model, start, stop)
    batch = solve_batch(model, cols, undefined=True)
    table = tidy_rows(batch, plan, start) if rows else None
    small = np.int16 if len(batch.labels) < 2**15 else np.int32  # less to send back from workers
    var = {n: cols[n] for n in plan.names}
    return ChunkOut(
        k,
        batch.codes.astype(small),
        batch.labels,
        int(batch.fallback.sum()),
        batch.degenerate,
        table,
        batch if keep_batch else None,
        chunk_ranges(batch.codes, batch.labels, var),
    )


def row_header(model: Model, plan: Plan) -> list[str]:
    """Columns of the tidy table: one row per point and equilibrium."""
    probs = [
        f"P({p}={s})"
        for p, strats in zip(model.players, model.strategies, strict=True)
        for s in strats
    ]
    return [
        "point",
        *plan.names,
        "signature",
        "equilibrium",
        "description",
        *probs,
        *[f"u({p})" for p in model.players],
    ]


def tidy_rows(batch: Batch, plan: Plan, start: int) -> list[list[Any]]:
    """Rows (point, varied values, signature, k, description, probabilities, payoffs)."""
    out: list[tuple[int, int, list[Any]]] = []
    names = plan.names
    var = {n: batch.columns[n] for n in names}
    m = batch.model
    from solver.core.result import describe_support

    for c in batch.candidates:
        idx = np.flatnonzero(c.mask)
        if idx.size == 0:
            continue
        word = describe_support(m.players, m.strategies, c.support)
        probs = np.concatenate([p[idx] for p in c.probs], axis=1)
        vals = c.values[idx]
        for j, pt in enumerate(idx):
            out.append((int(pt), 0, [word, *probs[j].tolist(), *vals[j].tolist()]))
    for k, res in batch.results.items():
        for e in res.equilibria:
            flat = [float(v) for vec in e.vectors for v in vec]
            out.append((k, 0, [e.describe(), *flat, *[float(v) for v in e.values]]))
    out.sort(key=lambda t: (t[0], t[2][0]))
    rows: list[list[Any]] = []
    counter: dict[int, int] = {}
    for k, _, rest in out:
        j = counter.get(k, 0) + 1
        counter[k] = j
        rows.append(
            [start + k, *[float(var[n][k]) for n in names], batch.labels[batch.codes[k]], j, *rest]
        )
    return rows


def merge_ranges(
    ranges: dict[str, dict[str, tuple[float, float]]], out: ChunkOut, plan: Plan
) -> None:
    """Fold a chunk's per-signature parameter spans into the sweep's."""
    if out.ranges is None:  # a chunk loaded from disk: recompute its ranges here
        start, stop = plan.bounds_of(out.index)
        out.ranges = chunk_ranges(out.codes, out.labels, plan.varied(start, stop))
    for label, spans in out.ranges.items():
        slot = ranges.setdefault(label, {})
        for n, (lo, hi) in spans.items():
            slot[n] = (min(lo, slot[n][0]), max(hi, slot[n][1])) if n in slot else (lo, hi)
