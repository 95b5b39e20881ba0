"""Parameter sweeps: the batched engine, chunked runs, regimes and red-line boundaries.

>>> from solver.formats import load
>>> r = sweep(load("matching_pennies"), {"loss": [1.0, 2.0]})
>>> r.labels
['mixed (full support)']
"""

from __future__ import annotations

from solver.sweep.engine import Batch, solve_batch
from solver.sweep.result import Boundary, SweepResult
from solver.sweep.runner import sweep

__all__ = ["Batch", "Boundary", "SweepResult", "solve_batch", "sweep"]
