"""Run a sweep: chunks in-process, in local worker processes, or on a Dask cluster.

>>> from solver.formats import load
>>> r = sweep(load("chicken"), {"T": np.linspace(0, 10, 11)}, {"R": 3, "S": 1, "P": 0})
>>> [(g["signature"], g["points"]) for g in r.regimes()][:1]
[('mixed (full support) + pure (Straight, Swerve) + pure (Swerve, Straight)', 7)]
"""

from __future__ import annotations

import itertools
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import RedlineError
from solver.core.symbolic import Model
from solver.sweep.boundaries import find_boundaries
from solver.sweep.chunk import ChunkOut, merge_ranges, run_chunk
from solver.sweep.engine import UNDEFINED
from solver.sweep.grid import CHUNK, Plan, make_plan
from solver.sweep.output import check_output, write_output
from solver.sweep.result import SweepResult

#: keep every point's signature code (in memory) when the sweep has at most this many points;
#: above it memory is bounded by the chunk size and only the regimes are kept
KEEP_CODES = 1 << 24

Progress = Callable[[int, int], None]


_WORKER: dict[str, Any] = {}


def _init_worker(model: Model, plan: Plan, rows: bool) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool and says "interrupted",
    # the workers must not print a traceback each
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(model=model, plan=plan, rows=rows)


def usable_cpus() -> int:
    """The CPUs this process may run on (the cap of ``workers``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _worker_chunk(k: int) -> ChunkOut:
    return run_chunk(_WORKER["model"], _WORKER["plan"], k, rows=_WORKER["rows"])


def _chunks(
    model: Model, plan: Plan, todo: Sequence[int], rows: bool, workers: int, client: Any
) -> Iterator[ChunkOut]:
    if client is not None:
        from solver.sweep.dask_runner import dask_chunks

        yield from dask_chunks(client, model, plan, todo, rows)
    elif workers > 1 and len(todo) > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(model, plan, rows)
        ) as ex:
            # a bounded window of chunks in flight: results never pile up (constant memory)
            window: deque[Future[ChunkOut]] = deque()
            pending = iter(todo)
            try:
                for k in itertools.islice(pending, 2 * workers):
                    window.append(ex.submit(_worker_chunk, k))
                while window:
                    done = window.popleft().result()
                    nxt = next(pending, None)
                    if nxt is not None:
                        window.append(ex.submit(_worker_chunk, nxt))
                    yield done
            except BaseException:  # Ctrl-C, an error, or the caller stopped: no orphans
                ex.shutdown(wait=True, cancel_futures=True)
                raise
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
    need_codes: bool = False,
) -> SweepResult:
    """Equilibrium signatures over a grid (``vary``) or ``samples`` random points.

    Points are processed in chunks of ``chunk`` (bounded memory); ``workers`` local processes
    (at most the usable CPUs) or a Dask ``scheduler`` address run chunks in parallel; ``out``
    (``.csv`` tidy rows per point and equilibrium, ``.npz`` per-point arrays, ``.json`` the
    summary) is written atomically, and ``resume=True`` reuses the finished chunks of an
    interrupted run with the same ``out`` and the same inputs (else it is refused).
    ``need_codes=True`` refuses, up front, a sweep too large to keep per-point signatures
    (:data:`KEEP_CODES`); points with non-finite payoffs get the signature
    :data:`~solver.sweep.engine.UNDEFINED` and a warning.
    """
    from solver.formats import sweep_store

    plan, warnings = make_plan(
        model, vary, fixed, samples=samples, seed=seed, method=method, force=force, chunk=chunk
    )
    keep = plan.n_points <= KEEP_CODES
    if need_codes and not keep:
        raise RedlineError(
            f"{plan.n_points:.3g} points is more than the limit of {KEEP_CODES:,} for "
            "per-point output (use --out FILE.csv, which streams)"
        )
    target = sweep_store.check_target(out) if out is not None else None
    if target is not None:
        check_output(target, plan.n_points, KEEP_CODES)
    if workers < 1:
        raise RedlineError("workers must be at least 1")
    if workers > usable_cpus():
        warnings.append(f"--workers {workers} capped at the {usable_cpus()} usable CPUs")
        workers = usable_cpus()
    client = None
    if scheduler:
        from solver.sweep.dask_runner import connect

        client = connect(scheduler)
    rows = target is not None and target.suffix.lower() in (".csv", ".npz")
    try:
        store = (
            sweep_store.PartStore(
                target,
                plan.fingerprint(model, kind=target.suffix.lower(), force=force),
                resume,
            )
            if target is not None
            else None
        )
    except BaseException:
        if client is not None and client is not scheduler:
            client.close()
        raise
    try:
        result = _run(model, plan, warnings, store, rows, workers, client, keep, progress)
        if keep and refine and not plan.samples:
            result.boundaries = find_boundaries(result, _after_chunks(progress, plan.n_chunks))
        if target is not None and store is not None:
            write_output(result, target, store)
            store.cleanup()
    except KeyboardInterrupt:
        if store is not None:
            store.close()  # the finished chunks stay for --resume
        raise
    except BaseException:
        if store is not None:
            store.discard()
        raise
    finally:
        if client is not None and client is not scheduler:
            client.close()
    return result


def _after_chunks(progress: Progress | None, chunks: int) -> Progress | None:
    """The refinement's progress, counted on after the chunks (one bar for the whole sweep)."""
    if progress is None:
        return None
    report = progress
    return lambda done, expected: report(chunks + done, chunks + expected)


def _load_done(
    store: Any, plan: Plan, rows: bool, warnings: list[str]
) -> Iterator[ChunkOut]:
    """The chunks saved by an interrupted run; a damaged one is dropped (and computed again)."""
    from solver.formats.sweep_store import DAMAGED

    for k in sorted(store.done()):
        if k >= plan.n_chunks:
            store.drop(k)
            continue
        try:
            c, labels, fb, dg, rws = store.load(k)
            start, stop = plan.bounds_of(k)
            if c.shape != (stop - start,) or (rows and not isinstance(rws, list)):
                raise ValueError("wrong size")
        except DAMAGED:
            warnings.append(f"{store.dir}: chunk {k} is damaged; computed again")
            store.drop(k)
            continue
        yield ChunkOut(k, np.asarray(c), labels, fb, dg, rws)


def _run(
    model: Model,
    plan: Plan,
    warnings: list[str],
    store: Any,
    rows: bool,
    workers: int,
    client: Any,
    keep: bool,
    progress: Progress | None,
) -> SweepResult:
    codes = np.zeros(plan.n_points, dtype=np.int32) if keep else None
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
        merge_ranges(ranges, o, plan)
        fallback += o.fallback
        degenerate += int(o.degenerate.sum())
        finished += 1
        if progress is not None:
            progress(finished, plan.n_chunks)

    done: set[int] = set()
    if store is not None:
        for o in _load_done(store, plan, rows, warnings):
            done.add(o.index)
            absorb(o)
    todo = [k for k in range(plan.n_chunks) if k not in done]
    for o in _chunks(model, plan, todo, rows, workers, client):
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
        codes = order.astype(np.int32)[codes]
    if UNDEFINED in index:
        warnings.append(
            f"{counts[index[UNDEFINED]]} of {plan.n_points} points have payoffs that are not "
            f"finite (signature {UNDEFINED!r})"
        )
    result = SweepResult(
        model, plan, labels, count_arr, ranges, codes, deg_arr, degen, [], fallback, degenerate,
        warnings,
    )
    if not keep:
        result.notes.append(
            f"{plan.n_points:.3g} points: per-point signatures and boundaries are not kept "
            f"above {KEEP_CODES:,}"
        )
    return result
