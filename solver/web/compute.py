"""The explorer's computations, one per endpoint, each under a time budget and cached by the
parameter values: the equilibria at a point (the document of ``redline solve --format json``),
the thresholds of one parameter (``redline thresholds --format json``) and the phase diagram of
two (the batched sweep engine, :func:`solver.sweep.engine.solve_batch`, on a grid).

Every document names players, strategies and regimes by label.  A computation the budget cuts
short comes back marked (``complete: false`` and its ``limits``), never as a hung request.

>>> from solver.formats import load
>>> ex = Explorer(load("syria_deconfliction"))
>>> doc = ex.state({"iran_cost": "1"})
>>> doc["regime"], doc["solve"]["equilibria"][0]["outcomes"][0]["outcome"]
('pure (Tolerate, Acquiesce)', 'Tolerate, Acquiesce')
>>> [t["exact"] for t in ex.thresholds({}, "iran_cost")["thresholds"]]
['2', '14']
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from solver.core.budget import Budget
from solver.core.symbolic import Model

#: seconds one table (the equilibria at one point) may take
STATE_SECONDS = 5.0
#: seconds the thresholds of one parameter may take
THRESHOLD_SECONDS = 20.0
#: seconds one phase diagram may take (points left unsolved are marked as such)
PHASE_SECONDS = 10.0
#: grid points per axis of a phase diagram of a strategic-form model
GRID = 60
#: the fewest points per axis of a phase diagram (game trees: each point is a solve of its own)
GRID_MIN = 8
#: documents kept per kind of computation
CACHE = 256


class _Cache:
    """A small least-recently-used map, safe across the server's worker threads."""

    def __init__(self, size: int = CACHE) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], Any], keep: Callable[[Any], bool] | None = None) -> Any:
        """The value cached under ``key``, else ``make()``, cached unless ``keep`` refuses it (a
        result the time budget cut short is computed again next time)."""
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        if keep is not None and not keep(value):
            return value
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


def _key(values: Mapping[str, Fraction], leave: tuple[str, ...] = ()) -> tuple[tuple[str, Fraction], ...]:
    return tuple(sorted((k, v) for k, v in values.items() if k not in leave))


class Explorer:
    """One model's computations, cached by the exact parameter values asked for."""

    def __init__(self, model: Model, defaults: Mapping[str, Any] | None = None, timeout: float | None = None) -> None:
        self.model = model
        #: seconds any one computation may take at most (``None``: the defaults above alone)
        self.timeout = timeout
        self.defaults = dict(defaults or {})
        self.base = model.values(self.defaults)
        self._states = _Cache()
        self._thresholds = _Cache(64)
        self._phases = _Cache(32)
        #: seconds the fastest solve took (the first also loads modules; sizes a tree's phase grid)
        self.solve_seconds = 0.0

    def values(self, overrides: Mapping[str, Any]) -> dict[str, Fraction]:
        """The exact values of every parameter: the explorer's defaults, then ``overrides``."""
        return self.model.values({**self.defaults, **overrides})

    def _budget(self, seconds: float) -> Budget:
        """A budget of ``seconds``, or of the explorer's ``timeout`` where that is shorter."""
        return Budget.start(seconds if self.timeout is None else min(seconds, self.timeout))

    # -- the table ----------------------------------------------------------------------------
    def state(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """The equilibria at a point: ``solve`` is ``redline solve --format json``'s document;
        ``regime`` names the equilibrium set (as the thresholds and the phase diagram do);
        ``paths`` (trees) the credible equilibria's moves node by node, in words."""
        values = self.values(overrides)
        doc: dict[str, Any] = self._states.get(
            _key(values), lambda: self._state(values), lambda d: not d["solve"].get("limits")
        )
        return doc

    def warm(self) -> None:
        """Solve at the starting values twice before serving: the first solve loads the solvers'
        modules, the second times a solve alone (it sizes a tree's phase grid).  A model that
        cannot be solved there is left for the page to report."""
        from solver.core.errors import RedlineError

        try:
            self._state(self.base)
            self.solve_seconds = 0.0
            self.state({})
        except RedlineError:
            self.solve_seconds = 0.0

    def _state(self, values: dict[str, Fraction]) -> dict[str, Any]:
        from solver.render.layout import given

        m = self.model
        start = time.perf_counter()
        budget = self._budget(STATE_SECONDS)
        doc: dict[str, Any] = {"values": {k: given(v) for k, v in values.items()}}
        if m.tree is not None:
            from solver.equilibria.trees.paths import credible_view, tree_signature
            from solver.equilibria.trees.sequential import solve_tree
            from solver.render.tree_solve import behaviour_lines, outcome_line, tree_result_dict

            result = solve_tree(m, values, budget=budget)
            doc["solve"] = tree_result_dict(result, m, values)
            doc["regime"] = tree_signature(result)
            shown, _ = credible_view(result)
            doc["paths"] = [[*behaviour_lines(m.tree, e), outcome_line(e, False)] for e in shown.equilibria]
        else:
            from solver.core.symbolic import evaluate
            from solver.equilibria import solve
            from solver.render.text import result_dict

            result = solve(evaluate(m, {k: v for k, v in values.items()}), budget=budget)
            doc["solve"] = result_dict(result, m, values)
            doc["regime"] = result.signature()
        took = time.perf_counter() - start
        self.solve_seconds = took if self.solve_seconds == 0.0 else min(self.solve_seconds, took)
        doc["seconds"] = round(took, 6)
        return doc

    # -- the red lines of one parameter -------------------------------------------------------
    def thresholds(self, overrides: Mapping[str, Any], parameter: str) -> dict[str, Any]:
        """``redline thresholds --vary parameter --format json``'s document at these values (the
        thresholds do not depend on the varied parameter's own value: cached without it)."""
        from solver.analysis.thresholds import thresholds
        from solver.render.analysis import thresholds_doc

        values = self.values(overrides)
        fixed = {k: v for k, v in values.items() if k != parameter}

        def make() -> Any:
            return thresholds(self.model, parameter, fixed, budget=self._budget(THRESHOLD_SECONDS))

        ts = self._thresholds.get((parameter, _key(values, (parameter,))), make, lambda t: not t.limits)
        return thresholds_doc(self.model, parameter, values, ts)

    # -- the phase diagram of two parameters --------------------------------------------------
    def grid_size(self) -> int:
        """Points per axis: :data:`GRID`, fewer for a game tree whose solves are slow (so that the
        diagram fits in about a third of :data:`PHASE_SECONDS`)."""
        if self.model.tree is None:
            return GRID
        per_point = max(self.solve_seconds, 1e-4)
        seconds = PHASE_SECONDS if self.timeout is None else min(PHASE_SECONDS, self.timeout)
        return max(GRID_MIN, min(GRID, int(math.sqrt(seconds / 3 / per_point))))

    def phase(self, overrides: Mapping[str, Any], x: str, y: str) -> dict[str, Any]:
        """The regimes on a grid over the declared ranges of ``x`` and ``y``, the others at their
        values; ``cells`` gives each grid cell's edges and regime, ``current`` the point now."""
        values = self.values(overrides)
        if x == y:
            from solver.web.params import BadRequest

            raise BadRequest(f"the phase diagram needs two different parameters, got {x} twice")
        if self.model.tree is not None and self.solve_seconds == 0.0:
            self.state(overrides)  # one solve first: it sizes the grid
        key = (x, y, _key(values, (x, y)))
        doc = dict(self._phases.get(key, lambda: self._phase(values, x, y), lambda d: bool(d["complete"])))
        doc["current"] = {"x": float(values[x]), "y": float(values[y])}
        return doc

    def _phase(self, values: Mapping[str, Fraction], x: str, y: str) -> dict[str, Any]:
        from solver.sweep.engine import UNSOLVED, solve_batch

        m = self.model
        n = self.grid_size()
        px, py = m.parameter(x), m.parameter(y)
        ex = np.linspace(float(px.low), float(px.high), n + 1)
        ey = np.linspace(float(py.low), float(py.high), n + 1)
        cx, cy = (ex[:-1] + ex[1:]) / 2, (ey[:-1] + ey[1:]) / 2
        gx, gy = np.meshgrid(cx, cy, indexing="ij")
        cols = {name: np.full(n * n, float(v)) for name, v in values.items()}
        cols[x], cols[y] = gx.ravel(), gy.ravel()
        start = time.perf_counter()
        budget = self._budget(PHASE_SECONDS)
        batch = solve_batch(m, cols, budget, undefined=True)
        codes = batch.codes.reshape(n, n)
        used = sorted({int(c) for c in batch.codes}, key=lambda c: int(np.flatnonzero(batch.codes == c)[0]))
        order = {c: k for k, c in enumerate(used)}
        cells = [
            {"x": float(ex[i]), "x2": float(ex[i + 1]), "y": float(ey[j]), "y2": float(ey[j + 1]),
             "regime": order[int(codes[i, j])]}
            for i in range(n)
            for j in range(n)
        ]
        regimes = [batch.labels[c] for c in used]
        return {
            "model": m.name,
            "x": _axis(px),
            "y": _axis(py),
            "grid": n,
            "regimes": regimes,
            "cells": cells,
            "complete": not batch.skipped,
            "unsolved": len(batch.skipped),
            "limits": [f"{len(batch.skipped)} of {n * n} points not solved in {budget.seconds:g} s"]
            if batch.skipped
            else [],
            "unsolved_label": UNSOLVED,
            "seconds": round(time.perf_counter() - start, 3),
        }


def _axis(p: Any) -> dict[str, Any]:
    title = f"{p.name} ({p.unit})" if p.unit else p.name
    return {"name": p.name, "title": title, "low": float(p.low), "high": float(p.high), "doc": p.doc}
