"""Interrupting pure-Python work at a budget's deadline.

Some work cannot look at its budget while it runs: one ``sympy.factor`` of a multivariate
polynomial can take milliseconds or minutes, depending on the random evaluation points of Wang's
algorithm.  Such work runs inside :func:`at_deadline`, which arms a real-time timer for the
deadline and raises :class:`~solver.core.errors.BudgetSpent` in the main thread when it fires;
the caller catches it and reports what it did not finish.  Off the main thread, or where the
platform has no ``setitimer``, the block runs unguarded (and such callers use forked workers,
:func:`solver.core.budget.run_bounded`, instead).

>>> import time
>>> from solver.core.budget import Budget
>>> try:
...     with at_deadline(Budget.start(0.05)):
...         while True:
...             pass
... except BudgetSpent:
...     print("stopped")
stopped
>>> with at_deadline(Budget.start(None)):
...     print("unbounded: no timer")
unbounded: no timer
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from solver.core.budget import Budget
from solver.core.errors import BudgetSpent

__all__ = ["BudgetSpent", "at_deadline", "guarded"]

#: seconds between repeated firings once the deadline has passed
REFIRE = 0.1


def guarded(budget: Budget) -> bool:
    """Whether :func:`at_deadline` can interrupt work under ``budget`` here."""
    return (
        budget.deadline is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


@contextmanager
def at_deadline(budget: Budget) -> Iterator[None]:
    """Raise :class:`BudgetSpent` inside the block when ``budget``'s deadline passes (SIGALRM;
    nested use is refused by keeping the outer timer)."""
    if not guarded(budget) or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    assert budget.deadline is not None

    def fire(signum: int, frame: Any) -> None:
        raise BudgetSpent(f"time budget of {budget.seconds:g} s ran out")

    old = signal.signal(signal.SIGALRM, fire)
    # a millisecond late, so that ``budget.expired()`` holds once it has fired; then again every
    # REFIRE seconds: a signal that lands in a garbage-collector callback or a ``__del__`` is
    # swallowed there ("exception ignored"), and the work must still stop
    signal.setitimer(signal.ITIMER_REAL, max(0.0, budget.deadline - time.monotonic()) + 1e-3, REFIRE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
