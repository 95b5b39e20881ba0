"""Run sweep chunks on a Dask distributed cluster (optional extra ``redline-solver[dask]``).

The model and plan are scattered to the workers once; each task solves one chunk with the same
batched engine as the in-process run, so results are identical.  The scheduler address is
checked before anything else (a malformed one is a usage error), and an unreachable scheduler
is reported within :data:`CONNECT_TIMEOUT`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

from solver.core.errors import RedlineError, UsageError
from solver.core.symbolic import Model
from solver.sweep.chunk import ChunkOut, run_chunk
from solver.sweep.grid import Plan

#: how long connecting to the scheduler may take before the sweep gives up
CONNECT_TIMEOUT = "2s"
#: the address forms Dask accepts: [protocol://]host:port
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
_ADDRESS = re.compile(r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9a-fA-F:.]+\]|[\w.-]+):(?P<port>\d{1,5})$")


def check_address(address: str) -> str:
    """``address`` if it is a well-formed scheduler address, else a :class:`UsageError`."""
    m = _ADDRESS.match(address.strip())
    scheme = m.group("scheme") if m else None
    if m is None or (scheme is not None and scheme not in SCHEMES) or int(m.group("port")) > 65535:
        raise UsageError(
            f"--scheduler expects [{'|'.join(SCHEMES)}://]host:port, got {address!r}"
        )
    return address.strip()


def connect(address: Any) -> Any:
    """A Dask ``Client`` for ``address`` (checked first), or ``address`` if it is a client."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the environment
        raise RedlineError("--scheduler needs Dask: pip install 'redline-solver[dask]'") from None
    if isinstance(address, Client):
        return address
    address = check_address(str(address))
    quiet = [logging.getLogger(n) for n in ("distributed", "distributed.comm", "distributed.client")]
    levels = [q.level for q in quiet]
    for q in quiet:  # the failure is reported as one line below, not as log records
        q.setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RedlineError(f"cannot reach the Dask scheduler: {why}", source=address) from None
    finally:
        for q, lv in zip(quiet, levels, strict=True):
            q.setLevel(lv)


def _task(model: Model, plan: Plan, k: int, rows: bool) -> ChunkOut:
    return run_chunk(model, plan, k, rows=rows)


def dask_chunks(
    address: Any, model: Model, plan: Plan, todo: Sequence[int], rows: bool
) -> Iterator[ChunkOut]:
    """Yield the chunks ``todo`` computed on the cluster at ``address`` (or a ``Client``)."""
    from distributed import Client, as_completed

    own = not isinstance(address, Client)
    client = connect(address)
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
