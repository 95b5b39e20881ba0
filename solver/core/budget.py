"""Time budgets: every computation is bounded, reports progress, and says what it left unsearched.

A :class:`Budget` is a deadline plus an optional progress callback.  Algorithms call
:meth:`Budget.expired` between units of work (a support, a vertex batch, a subgame) and, when it
is spent, stop and return what they have, verified, with ``complete = False`` and a limit naming
what was not searched (:meth:`Budget.limit`).  Work that can block inside C or sympy (Qhull,
Gröbner bases) runs in a child process that is killed at the deadline (:func:`run_bounded`).
Progress is reported as ``(phase, fraction)`` so that the CLI, not the library, draws it.

>>> b = Budget.start(None)
>>> b.expired(), b.remaining() is None
(False, True)
>>> Budget.start(0.0).expired()
True
>>> Budget.start(2.0).limit("support enumeration", "supports of size 3 and 4")
'time budget of 2 s ran out during support enumeration: supports of size 3 and 4 not searched'
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: ``progress(phase, fraction)``: phase in words, fraction done in [0, 1]
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Budget:
    """A deadline (``time.monotonic()`` seconds, ``None`` = unbounded) and a progress callback."""

    seconds: float | None = None
    deadline: float | None = None
    progress: Progress | None = None

    @classmethod
    def start(cls, seconds: float | None, progress: Progress | None = None) -> Budget:
        """A budget of ``seconds`` from now (``None``: no limit)."""
        deadline = None if seconds is None else time.monotonic() + max(0.0, seconds)
        return cls(seconds, deadline, progress)

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def remaining(self) -> float | None:
        """Seconds left (never negative), ``None`` when unbounded."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def report(self, phase: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(phase, min(1.0, max(0.0, fraction)))

    def limit(self, phase: str, unsearched: str) -> str:
        """The words for a budget that ran out: what was being done and what was not searched."""
        return f"time budget of {self.seconds:g} s ran out during {phase}: {unsearched} not searched"


#: the budget of a call that gave none
UNBOUNDED = Budget()

#: what :func:`run_bounded` returns per job: ("ok", value) | ("timeout", msg) | ("error", msg) |
#: (lower-cased class name, msg) for exceptions whose class is listed in ``expected``
Outcome = tuple[str, Any]


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], expected: tuple[type[BaseException], ...]) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except expected as exc:
        conn.send((type(exc).__name__.lower(), str(exc)))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_bounded(
    jobs: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]],
    timeout: float | None,
    *,
    budget: Budget = UNBOUNDED,
    expected: tuple[type[BaseException], ...] = (),
) -> list[Outcome]:
    """Run ``fn(*args)`` for each job in forked workers (cpu-count at a time); a job is killed
    after ``timeout`` seconds or at the budget's deadline, whichever is first, and reported as
    ``("timeout", ...)``; jobs not started before the deadline are reported the same way.
    Without a timeout or a deadline (or without ``fork``) the jobs run inline."""
    if (timeout is None and budget.deadline is None) or not jobs or "fork" not in mp.get_all_start_methods():
        return [_inline(fn, args, expected) for fn, args in jobs]
    ctx = mp.get_context("fork")
    width = max(1, min(len(jobs), os.cpu_count() or 1))
    results: list[Outcome | None] = [None] * len(jobs)
    pending = list(range(len(jobs)))
    running: dict[int, tuple[Any, Any, float]] = {}
    end = budget.deadline if budget.deadline is not None else float("inf")
    while pending or running:
        while pending and len(running) < width:
            k = pending.pop(0)
            if time.monotonic() >= end:
                results[k] = ("timeout", "not started within the time budget")
                continue
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(send, *jobs[k], expected), daemon=True)
            proc.start()
            send.close()
            stop = min(end, time.monotonic() + timeout) if timeout is not None else end
            running[k] = (proc, recv, stop)
        if not running:
            continue
        soonest = min(d for _, _, d in running.values())
        ready = mp.connection.wait([r for _, r, _ in running.values()], max(0.0, soonest - time.monotonic()))
        now = time.monotonic()
        for k, (proc, recv, stop) in list(running.items()):
            if recv in ready:
                try:
                    results[k] = recv.recv()
                except EOFError:
                    results[k] = ("error", "worker died")
            elif now >= stop:
                proc.terminate()
                results[k] = ("timeout", "no answer within the time limit")
            else:
                continue
            recv.close()
            proc.join(1.0)
            del running[k]
        budget.report("bounded jobs", sum(r is not None for r in results) / len(jobs))
    return [r if r is not None else ("error", "lost") for r in results]


def _inline(fn: Callable[..., Any], args: tuple[Any, ...], expected: tuple[type[BaseException], ...]) -> Outcome:
    try:
        return ("ok", fn(*args))
    except expected as exc:
        return (type(exc).__name__.lower(), str(exc))
