"""Run sweep chunks on a Dask distributed cluster (optional extra ``redline-solver[dask]``).

The model and plan are scattered to the workers once; each task solves one chunk with the same
batched engine as the in-process run, so results are identical.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from solver.core.errors import RedlineError
from solver.core.symbolic import Model
from solver.sweep.chunk import ChunkOut, run_chunk
from solver.sweep.grid import Plan


def _task(model: Model, plan: Plan, k: int, rows: bool) -> ChunkOut:
    return run_chunk(model, plan, k, rows=rows)


def dask_chunks(
    address: Any, model: Model, plan: Plan, todo: Sequence[int], rows: bool
) -> Iterator[ChunkOut]:
    """Yield the chunks ``todo`` computed on the cluster at ``address`` (or a ``Client``)."""
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - depends on the environment
        raise RedlineError("--scheduler needs Dask: pip install 'redline-solver[dask]'") from None
    own = not isinstance(address, Client)
    try:
        client = Client(address, timeout="10s") if own else address  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise RedlineError(f"cannot reach the Dask scheduler: {exc}", source=str(address)) from None
    try:
        m, p = client.scatter([model, plan], broadcast=True)
        futures = [client.submit(_task, m, p, k, rows, pure=False) for k in todo]
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            out: ChunkOut = fut.result()
            fut.release()
            yield out
    finally:
        if own:
            client.close()
