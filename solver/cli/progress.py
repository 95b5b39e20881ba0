"""Time budgets on the command line: ``--timeout``, the progress line, and Ctrl-C.

Every solving command runs its computation inside :func:`bounded`, which hands the library a
:class:`~solver.core.budget.Budget` of ``--timeout`` seconds (default 60; 0 for none).  The
library reports ``(phase, fraction)`` to it; after :data:`DELAY` seconds a transient rich
progress line appears on stderr (on a terminal) with the phase, the fraction done and the time
taken.  The first Ctrl-C sets the budget's cancel flag: the computation stops at its next check
and the command prints what it found, marked incomplete, then one line on stderr and exit code
130 (:func:`finish`).  A second Ctrl-C stops at once ("interrupted", no results).

>>> with bounded(5.0, draw=False) as budget:
...     budget.seconds, budget.expired()
(5.0, False)
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from solver.core.budget import Budget
from solver.core.errors import UsageError

#: seconds a computation runs before the progress line appears
DELAY = 2.0

TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Seconds the computation may take (0: no limit). When they run out, what was found "
        "is printed, verified and marked incomplete, with what was not searched.",
    ),
]


class ProgressLine:
    """The progress callback of the CLI: remembers the last phase and fraction, and draws them
    (rich, on stderr, transient) once the computation has run ``delay`` seconds."""

    def __init__(self, draw: bool | None = None, delay: float = DELAY, console: Any = None) -> None:
        self.draw = sys.stderr.isatty() if draw is None else draw
        self.phase, self.fraction = "starting", 0.0
        self.console = console
        self.bar: Any = None
        self.task: Any = None
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        if self.draw:
            self.timer = threading.Timer(delay, self.show)
            self.timer.daemon = True
            self.timer.start()

    def __call__(self, phase: str, fraction: float) -> None:
        self.phase, self.fraction = phase, fraction
        with self.lock:
            if self.bar is not None:
                self.bar.update(self.task, description=phase, completed=fraction)

    def show(self) -> None:
        """Start drawing (from the timer): the computation has run long enough."""
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        with self.lock:
            if self.bar is not None or not self.draw:
                return
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=self.console or Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task(self.phase, total=1.0, completed=self.fraction)
            self.bar.start()

    def stop(self) -> None:
        with self.lock:
            self.draw = False
            if self.timer is not None:
                self.timer.cancel()
            if self.bar is not None:
                self.bar.stop()
                self.bar = None


@contextmanager
def bounded(timeout: float, *, draw: bool | None = None) -> Iterator[Budget]:
    """A budget of ``timeout`` seconds (0: unbounded) with the progress line and Ctrl-C handling
    for the block; restores the previous SIGINT handler afterwards."""
    if not timeout >= 0:  # NaN too
        raise UsageError(f"--timeout must be at least 0 seconds (got {timeout:g})")
    cancel = threading.Event()
    line = ProgressLine(draw)

    def interrupt(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()

    main = threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGINT, interrupt) if main else None
    try:
        yield Budget.start(timeout or None, line, cancel)
    finally:
        if main:
            signal.signal(signal.SIGINT, old)
        line.stop()


def finish(budget: Budget) -> None:
    """After the results are printed: a computation stopped by Ctrl-C says so and exits 130."""
    if budget.cancelled:
        typer.echo("redline: interrupted: the results above are partial", err=True)
        raise typer.Exit(130)

