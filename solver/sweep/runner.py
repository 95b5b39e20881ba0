"""Run a sweep: chunks in-process, in local worker processes, or on a Dask cluster.

>>> from solver.formats import load
>>> r = sweep(load("chicken"), {"T": np.linspace(0, 10, 11)}, {"R": 3, "S": 1, "P": 0})
>>> [(g["signature"], g["points"]) for g in r.regimes()][:1]
[('mixed (full support) + pure (Straight, Swerve) + pure (Swerve, Straight)', 7)]
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.symbolic import Model
from solver.sweep.boundaries import find_boundaries
from solver.sweep.chunk import ChunkOut, chunk_ranges, row_header, run_chunk
from solver.sweep.grid import CHUNK, Plan, make_plan
from solver.sweep.result import SweepResult

#: keep every point's signature code when the sweep has at most this many points
KEEP_CODES = 50_000_000

Progress = Callable[[int, int], None]


def _merge_ranges(
    ranges: dict[str, dict[str, tuple[float, float]]], out: ChunkOut, plan: Plan
) -> None:
    if out.ranges is None:  # a chunk loaded from disk: recompute its ranges here
        start, stop = plan.bounds_of(out.index)
        out.ranges = chunk_ranges(out.codes, out.labels, plan.varied(start, stop))
    for label, spans in out.ranges.items():
        slot = ranges.setdefault(label, {})
        for n, (lo, hi) in spans.items():
            slot[n] = (min(lo, slot[n][0]), max(hi, slot[n][1])) if n in slot else (lo, hi)


_WORKER: dict[str, Any] = {}


def _init_worker(model: Model, plan: Plan, rows: bool) -> None:
    _WORKER.update(model=model, plan=plan, rows=rows)


def _worker_chunk(k: int) -> ChunkOut:
    return run_chunk(_WORKER["model"], _WORKER["plan"], k, rows=_WORKER["rows"])


def _chunks(
    model: Model, plan: Plan, todo: Sequence[int], rows: bool, workers: int, scheduler: str | None
) -> Iterator[ChunkOut]:
    if scheduler:
        from solver.sweep.dask_runner import dask_chunks

        yield from dask_chunks(scheduler, model, plan, todo, rows)
    elif workers > 1 and len(todo) > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(model, plan, rows)
        ) as ex:
            # a bounded window of chunks in flight: results never pile up (constant memory)
            window: deque[Future[ChunkOut]] = deque()
            pending = iter(todo)
            for k in itertools.islice(pending, 2 * workers):
                window.append(ex.submit(_worker_chunk, k))
            while window:
                done = window.popleft().result()
                nxt = next(pending, None)
                if nxt is not None:
                    window.append(ex.submit(_worker_chunk, nxt))
                yield done
    else:
        for k in todo:
            yield run_chunk(model, plan, k, rows=rows)


def sweep(
    model: Model,
    vary: Mapping[str, Sequence[float] | npt.NDArray[np.float64]] | None = None,
    fixed: Mapping[str, Any] | None = None,
    *,
    samples: int = 0,
    seed: int = 0,
    method: str = "lhs",
    force: bool = False,
    chunk: int = CHUNK,
    workers: int = 1,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    refine: bool = True,
    progress: Progress | None = None,
) -> SweepResult:
    """Equilibrium signatures over a grid (``vary``) or ``samples`` random points.

    Points are processed in chunks of ``chunk`` (bounded memory); ``workers`` local processes or
    a Dask ``scheduler`` address run chunks in parallel; ``out`` (``.csv`` tidy rows per point and
    equilibrium, ``.npz`` per-point arrays, ``.json`` the summary) is written atomically, and
    ``resume=True`` reuses the finished chunks of an interrupted run with the same ``out``.
    """
    from solver.formats import sweep_store

    plan, warnings = make_plan(
        model, vary, fixed, samples=samples, seed=seed, method=method, force=force, chunk=chunk
    )
    target = sweep_store.check_target(out) if out is not None else None
    rows = target is not None and target.suffix.lower() in (".csv", ".npz")
    store = (
        sweep_store.PartStore(target, plan.fingerprint(model), resume)
        if target is not None
        else None
    )
    done = store.done() if store is not None else set()
    keep = plan.n_points <= KEEP_CODES
    codes = np.zeros(plan.n_points, dtype=np.int64) if keep else None
    degen = np.zeros(plan.n_points, dtype=bool) if keep else None
    index: dict[str, int] = {}
    counts: list[int] = []
    deg_counts: list[int] = []
    ranges: dict[str, dict[str, tuple[float, float]]] = {}
    fallback = degenerate = 0
    finished = 0

    def absorb(o: ChunkOut) -> None:
        nonlocal fallback, degenerate, finished
        remap = np.array([index.setdefault(lab, len(index)) for lab in o.labels], dtype=np.int64)
        while len(counts) < len(index):
            counts.append(0)
            deg_counts.append(0)
        glob = remap[o.codes] if remap.size else o.codes
        for g, c in enumerate(np.bincount(glob, minlength=len(index)).tolist()):
            counts[g] += c
        if o.degenerate.any():
            for g, c in enumerate(np.bincount(glob[o.degenerate], minlength=len(index)).tolist()):
                deg_counts[g] += c
        if codes is not None and degen is not None:
            start, stop = plan.bounds_of(o.index)
            codes[start:stop] = glob
            degen[start:stop] = o.degenerate
        _merge_ranges(ranges, o, plan)
        fallback += o.fallback
        degenerate += int(o.degenerate.sum())
        finished += 1
        if progress is not None:
            progress(finished, plan.n_chunks)

    for k in sorted(done):
        assert store is not None  # `done` is empty without a store
        c, labels, fb, dg, rws = store.load(k)
        absorb(ChunkOut(k, np.asarray(c), labels, fb, dg, rws))
    todo = [k for k in range(plan.n_chunks) if k not in done]
    for o in _chunks(model, plan, todo, rows, workers, scheduler):
        if store is not None:
            store.save(o.index, o.codes, o.labels, o.fallback, o.degenerate, o.rows)
        absorb(o)
    # deterministic numbering: labels sorted, codes renumbered
    labels = sorted(index, key=lambda s: s)
    order = np.array([labels.index(s) for s in index], dtype=np.int64)
    count_arr = np.zeros(len(labels), dtype=np.int64)
    deg_arr = np.zeros(len(labels), dtype=np.int64)
    for s, j in index.items():
        count_arr[labels.index(s)] = counts[j]
        deg_arr[labels.index(s)] = deg_counts[j]
    if codes is not None and order.size:
        codes = order[codes]
    result = SweepResult(
        model,
        plan,
        labels,
        count_arr,
        ranges,
        codes,
        deg_arr,
        degen,
        [],
        fallback,
        degenerate,
        warnings,
    )
    if not keep:
        result.notes.append(
            f"{plan.n_points:.3g} points: per-point signatures and boundaries are not kept above {KEEP_CODES:.0e}"
        )
    elif refine and not plan.samples:
        result.boundaries = find_boundaries(result)
    if target is not None and store is not None:
        _write(result, target, store)
        store.cleanup()
    return result


def equilibrium_arrays(result: SweepResult, chunks: Iterator[list[list[Any]]]) -> dict[str, Any]:
    """The tidy rows as arrays, one row per point and equilibrium: ``equilibrium_point`` (the
    point's index), ``equilibrium_description``, ``equilibrium_probabilities`` (one column per
    player and strategy, named by ``probability_columns``) and ``equilibrium_payoffs`` (one column
    per player, named by ``payoff_columns``)."""
    header = row_header(result.model, result.plan)
    first = 4 + len(result.plan.names)
    n_probs = sum(len(s) for s in result.model.strategies)
    rows = [r for chunk in chunks for r in chunk]
    return {
        "equilibrium_point": np.array([r[0] for r in rows], dtype=np.int64),
        "equilibrium_description": np.array([r[first - 1] for r in rows], dtype=str),
        "equilibrium_probabilities": np.array(
            [r[first : first + n_probs] for r in rows], dtype=float
        ).reshape(len(rows), n_probs),
        "equilibrium_payoffs": np.array([r[first + n_probs :] for r in rows], dtype=float).reshape(
            len(rows), len(result.model.players)
        ),
        "probability_columns": np.array(header[first : first + n_probs]),
        "payoff_columns": np.array(header[first + n_probs :]),
    }


def _write(result: SweepResult, target: Path, store: Any) -> None:
    from solver.formats import sweep_store

    suffix = target.suffix.lower()
    if suffix == ".csv":
        header = row_header(result.model, result.plan)
        sweep_store.write_rows_csv(
            target, header, (store.load(k)[4] or [] for k in range(result.plan.n_chunks))
        )
    elif suffix == ".npz":
        arrays: dict[str, Any] = dict(result.points())
        arrays["signature_code"] = result.codes if result.codes is not None else np.zeros(0)
        arrays["signature_labels"] = np.array(result.labels)
        arrays.update(equilibrium_arrays(result, (store.load(k)[4] or [] for k in range(result.plan.n_chunks))))
        sweep_store.write_npz(target, arrays)
    else:
        import json

        sweep_store.atomic_write_text(target, json.dumps(result.to_dict(), indent=2))
