"""The files a finished sweep writes: tidy CSV rows, per-point ``.npz`` arrays, the JSON summary.

The rows come back from the chunk parts on disk one chunk at a time, so writing a CSV needs no
more memory than one chunk; a ``.npz`` holds every point in memory and is limited
(:data:`NPZ_MAX_POINTS`, checked before the sweep starts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from solver.core.errors import RedlineError
from solver.sweep.chunk import row_header
from solver.sweep.result import SweepResult

#: the most points a ``.npz`` output may hold (it is assembled in memory, rows included)
NPZ_MAX_POINTS = 2_000_000


def check_output(target: Path, n_points: int, keep_codes: int) -> None:
    """Refuse, before any work, an output that could not hold the sweep."""
    if target.suffix.lower() == ".npz" and n_points > min(NPZ_MAX_POINTS, keep_codes):
        limit = min(NPZ_MAX_POINTS, keep_codes)
        raise RedlineError(
            f"{n_points:.3g} points is more than the limit of {limit:.0e} for a .npz output "
            "(assembled in memory); use .csv, which streams, or a coarser grid",
            source=str(target),
        )


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


def write_output(result: SweepResult, target: Path, store: Any) -> None:
    """Write ``target`` (atomically) from the result and the chunk parts in ``store``."""
    from solver.formats import sweep_store

    suffix = target.suffix.lower()
    if suffix == ".csv":
        header = row_header(result.model, result.plan)
        sweep_store.write_rows_csv(
            target, header, (store.load(k)[4] or [] for k in range(result.plan.n_chunks))
        )
    elif suffix == ".npz":
        arrays: dict[str, Any] = dict(result.points())
        if result.codes is None:  # refused up front by check_output; never write partial data
            raise RedlineError("the sweep kept no per-point signatures", source=str(target))
        arrays["signature_code"] = result.codes
        arrays["signature_labels"] = np.array(result.labels)
        parts = (store.load(k)[4] or [] for k in range(result.plan.n_chunks))
        arrays.update(equilibrium_arrays(result, parts))
        sweep_store.write_npz(target, arrays)
    else:
        import json

        sweep_store.atomic_write_text(target, json.dumps(result.to_dict(), indent=2))
