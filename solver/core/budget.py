"""Time budgets: every computation is bounded, reports progress, and says what it left unsearched.

A :class:`Budget` is a deadline, an optional progress callback and an optional cancel flag (a
``threading.Event`` the command line sets on Ctrl-C).  Algorithms call :meth:`Budget.expired`
between units of work (a support, a vertex batch, a subgame) and, when it is spent, stop and
return what they have, verified, with ``complete = False`` and a limit naming what was not
searched (:meth:`Budget.limit`).  Work that can block inside C or sympy (Qhull, Gröbner bases)
runs in a forked child that is killed at the deadline: :func:`run_bounded` (one answer per job)
and :func:`run_streaming` (a child that sends its results as it goes, so that what it found
before the deadline is kept).  Progress is reported as ``(phase, fraction)`` so that the CLI,
not the library, draws it.

>>> b = Budget.start(None)
>>> b.expired(), b.remaining() is None, b.bounded
(False, True, False)
>>> Budget.start(0.0).expired()
True
>>> Budget.start(2.0).limit("support enumeration", "supports of size 3 and 4")
'time budget of 2 s ran out during support enumeration: supports of size 3 and 4 not searched'
>>> items, status = run_streaming(lambda emit, n: [emit(k * k) for k in range(n)], (4,), Budget.start(5.0))
>>> items, status
([0, 1, 4, 9], 'done')
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

#: ``progress(phase, fraction)``: phase in words, fraction done in [0, 1]
Progress = Callable[[str, float], None]

#: seconds between two looks at a running child (the cancel flag, the progress line)
POLL = 0.2


@dataclass(frozen=True)
class Budget:
    """A deadline (``time.monotonic()`` seconds, ``None`` = unbounded), a progress callback and
    a cancel flag (set: the budget counts as spent)."""

    seconds: float | None = None
    deadline: float | None = None
    progress: Progress | None = None
    cancel: threading.Event | None = None

    @classmethod
    def start(
        cls, seconds: float | None, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> Budget:
        """A budget of ``seconds`` from now (``None``: no limit)."""
        deadline = None if seconds is None else time.monotonic() + max(0.0, seconds)
        return cls(seconds, deadline, progress, cancel)

    @classmethod
    def of(cls, budget: Budget | None, timeout: float | None, progress: Progress | None = None) -> Budget:
        """The budget a public entry point runs under: ``budget`` if given, else one of
        ``timeout`` seconds (``None``: unbounded) reporting to ``progress``."""
        if budget is not None:
            return budget
        return UNBOUNDED if timeout is None and progress is None else cls.start(timeout, progress)

    @property
    def bounded(self) -> bool:
        """Whether the budget can run out (a deadline, or a cancel flag)."""
        return self.deadline is not None or self.cancel is not None

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def expired(self) -> bool:
        if self.cancel is not None and self.cancel.is_set():
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline

    def remaining(self) -> float | None:
        """Seconds left (never negative), ``None`` when unbounded."""
        if self.cancelled:
            return 0.0
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def share(self, fraction: float) -> Budget:
        """The same budget ending after ``fraction`` of the time that is left (for a phase that
        must leave time to the next one)."""
        left = self.remaining()
        if left is None:
            return self
        return replace(self, deadline=time.monotonic() + fraction * left)

    def report(self, phase: str, fraction: float) -> None:
        if self.progress is not None:
            self.progress(phase, min(1.0, max(0.0, fraction)))

    def limit(self, phase: str, unsearched: str) -> str:
        """The words for a budget that ran out: what was being done and what was not searched."""
        if self.cancelled or self.seconds is None:
            return f"interrupted during {phase}: {unsearched} not searched"
        return f"time budget of {self.seconds:g} s ran out during {phase}: {unsearched} not searched"


#: the budget of a call that gave none
UNBOUNDED = Budget()

#: what :func:`run_bounded` returns per job: ("ok", value) | ("timeout", msg) | ("error", msg) |
#: (lower-cased class name, msg) for exceptions whose class is listed in ``expected``
Outcome = tuple[str, Any]


def _quiet() -> None:
    """In a forked child: Ctrl-C is the parent's business (it kills the child)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], expected: tuple[type[BaseException], ...]) -> None:
    _quiet()
    try:
        conn.send(("ok", fn(*args)))
    except expected as exc:
        conn.send((type(exc).__name__.lower(), str(exc)))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _forkable(budget: Budget) -> bool:
    return budget.bounded and "fork" in mp.get_all_start_methods()


def run_bounded(
    jobs: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]],
    timeout: float | None,
    *,
    budget: Budget = UNBOUNDED,
    expected: tuple[type[BaseException], ...] = (),
    phase: str = "bounded jobs",
) -> list[Outcome]:
    """Run ``fn(*args)`` for each job in forked workers (cpu-count at a time); a job is killed
    after ``timeout`` seconds or when the budget is spent (deadline or cancel flag), whichever is
    first, and reported as ``("timeout", ...)``; jobs not started by then are reported the same
    way.  Without a timeout and an unbounded budget (or without ``fork``) the jobs run inline."""
    if (timeout is None and not budget.bounded) or not jobs or "fork" not in mp.get_all_start_methods():
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
            if budget.expired():
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
        wait = min(POLL, max(0.0, soonest - time.monotonic()))
        ready = mp.connection.wait([r for _, r, _ in running.values()], wait)
        now = time.monotonic()
        spent = budget.expired()
        for k, (proc, recv, stop) in list(running.items()):
            if recv in ready:
                try:
                    results[k] = recv.recv()
                except EOFError:
                    results[k] = ("error", "worker died")
            elif now >= stop or spent:
                proc.terminate()
                results[k] = ("timeout", "no answer within the time limit")
            else:
                continue
            recv.close()
            proc.join(1.0)
            del running[k]
        budget.report(phase, sum(r is not None for r in results) / len(jobs))
    return [r if r is not None else ("error", "lost") for r in results]


def _inline(fn: Callable[..., Any], args: tuple[Any, ...], expected: tuple[type[BaseException], ...]) -> Outcome:
    try:
        return ("ok", fn(*args))
    except expected as exc:
        return (type(exc).__name__.lower(), str(exc))


def _stream_child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _quiet()
    try:
        fn(lambda item: conn.send(("item", item)), *args)
        conn.send(("done", None))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_streaming(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    budget: Budget,
    on_item: Callable[[Any], None] | None = None,
    *,
    inline: bool = False,
) -> tuple[list[Any], str]:
    """Call ``fn(emit, *args)``, which hands its results to ``emit`` one at a time, and return
    ``(items, status)``: every item emitted and ``"done"``, ``"timeout"`` (the budget ran out
    first: the items are those emitted before) or ``"error: ..."``.

    With a bounded budget it runs in a forked child, killed when the budget is spent (so a call
    into C or sympy cannot overrun it); ``fn`` may also check the budget itself.  ``inline=True``
    (or an unbounded budget, or no ``fork``) runs it here; then ``fn`` must check the budget.
    ``on_item`` sees each item as it arrives (progress)."""
    items: list[Any] = []

    def keep(item: Any) -> None:
        items.append(item)
        if on_item is not None:
            on_item(item)

    if inline or not _forkable(budget):
        fn(keep, *args)
        return items, "timeout" if budget.expired() else "done"
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_stream_child, args=(send, fn, args), daemon=True)
    proc.start()
    send.close()
    status = "timeout"
    try:
        while not budget.expired():
            left = budget.remaining()
            if not recv.poll(POLL if left is None else min(POLL, left)):
                continue
            try:
                kind, payload = recv.recv()
            except EOFError:
                status = "error: worker died"
                break
            if kind == "item":
                keep(payload)
                continue
            status = "done" if kind == "done" else f"error: {payload}"
            break
        else:  # spent: keep what already arrived, then stop the child
            while recv.poll(0):
                try:
                    kind, payload = recv.recv()
                except EOFError:
                    break
                if kind == "item":
                    keep(payload)
                elif kind == "done":
                    status = "done"
    finally:
        if proc.is_alive():
            proc.terminate()
        recv.close()
        proc.join(1.0)
    return items, status


def lp_options(budget: Budget) -> dict[str, float]:
    """``linprog(..., options=...)`` for HiGHS: the time the budget has left (status 1 when it
    runs out)."""
    left = budget.remaining()
    return {} if left is None else {"time_limit": max(left, 0.001)}
