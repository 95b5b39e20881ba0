"""The ``--vary`` options of ``redline sweep`` as a grid (shared by the Nash, ``--repeated`` and
``--qre`` sweeps)."""

from __future__ import annotations

from typing import Any

from solver.core.errors import UsageError


def vary_grid(vary: list[str] | None) -> dict[str, Any]:
    """``["a=0:1:3", "b=1,2"]`` -> ``{"a": array([0, .5, 1]), "b": array([1, 2])}``, each name once.

    >>> {k: v.tolist() for k, v in vary_grid(["v=0:30:4"]).items()}
    {'v': [0.0, 10.0, 20.0, 30.0]}
    """
    from solver.sweep.grid import parse_vary

    grid: dict[str, Any] = {}
    for spec in vary or []:
        name, values = parse_vary(spec)
        if name in grid:
            raise UsageError(f"--vary {name} given twice")
        grid[name] = values
    return grid
