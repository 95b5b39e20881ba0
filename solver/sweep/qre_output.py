"""What a QRE sweep (:mod:`solver.sweep.qre`) writes: the JSON document, tidy CSV rows (one per
point) and ``.npz`` arrays, in the Nash sweep's layout (:mod:`solver.sweep.output`) plus the field
``qre_lambda``.

* JSON: the Nash sweep's header fields (``model``, ``varied``, ``fixed``, ``grid``, ``samples``,
  ``points``, ``warnings``, ``notes``), then ``qre_lambda``, ``method``, ``complete``, ``limits``,
  the counts, and per action, outcome and player a summary (``min``, ``mean``, ``max``) with the
  values per point (``probability``/``value``, in plan order, ``null`` where undefined; left out
  above :data:`PER_POINT` points on stdout) and ``parameters``, the varied values per point.
* CSV: ``point``, the varied parameters, ``qre_lambda``, ``P(player=strategy)`` per action (an
  information set's label for trees), ``u(player)``, ``P(outcome)`` per outcome.
* npz: the varied parameters, ``qre_lambda``, ``probabilities``/``probability_columns``,
  ``payoffs``/``payoff_columns``, ``outcome_probabilities``/``outcome_columns``.

>>> from solver.formats import load
>>> from solver.sweep.qre import sweep_qre
>>> r = sweep_qre(load("matching_pennies"), {"loss": [1.0]}, lam=1.0)
>>> header(r)[:4], rows(r)[0][:4]
(['point', 'loss', 'qre_lambda', 'P(Row=Heads)'], [0, 1.0, 1.0, 0.5])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from solver.core.errors import RedlineError
from solver.sweep.output import NPZ_MAX_POINTS
from solver.sweep.qre import Floats, QRESweep

#: stdout's JSON lists per-point values up to this many points (the summaries always)
PER_POINT = 100_000


def header(r: QRESweep) -> list[str]:
    """The CSV columns: one row per point."""
    return [
        "point", *r.plan.names, "qre_lambda", *r.probability_columns(),
        *[f"u({p})" for p in r.model.players], *[f"P({o})" for o in r.outcomes],
    ]


def rows(r: QRESweep, start: int = 0, stop: int | None = None) -> list[list[Any]]:
    """The CSV rows of points ``[start, stop)``."""
    stop = r.n_points if stop is None else stop
    var = r.plan.varied(start, stop)
    table = np.concatenate(
        [*(var[n][:, None] for n in r.plan.names), np.full((stop - start, 1), r.lam),
         r.probs[start:stop], r.payoffs[start:stop], r.reach[start:stop]],
        axis=1,
    )
    return [[start + k, *row] for k, row in enumerate(table.tolist())]


def _summary(values: Floats, per_point: bool) -> dict[str, Any]:
    ok = values[np.isfinite(values)]
    doc: dict[str, Any] = {
        "min": float(ok.min()) if ok.size else None,
        "mean": float(ok.mean()) if ok.size else None,
        "max": float(ok.max()) if ok.size else None,
    }
    if per_point:
        doc["probability"] = [v if np.isfinite(v) else None for v in values.tolist()]
    return doc


def to_dict(r: QRESweep, per_point: bool | None = None) -> dict[str, Any]:
    """The JSON document of ``redline sweep --qre`` (plain data)."""
    plan = r.plan
    per = r.n_points <= PER_POINT if per_point is None else per_point
    actions = []
    col = 0
    for c, owner, acts in zip(r.choices, r.owners, r.actions, strict=True):
        for a in acts:
            who = r.model.players[owner]
            actions.append({"player": who, "choice": c, "action": a, **_summary(r.probs[:, col], per)})
            col += 1
    payoffs = []
    for i, p in enumerate(r.model.players):
        s = _summary(r.payoffs[:, i], per)
        if per:
            s["value"] = s.pop("probability")
        payoffs.append({"player": p, **s})
    return {
        "model": r.model.name,
        "varied": list(plan.names),
        "fixed": {k: float(v) for k, v in plan.fixed.items() if k not in plan.names},
        "grid": None if plan.samples else {
            n: {"start": float(a[0]), "stop": float(a[-1]), "num": int(a.size)}
            for n, a in zip(plan.names, plan.axes, strict=True)
        },
        "samples": plan.samples or None,
        "points": r.n_points,
        "qre_lambda": r.lam,
        "method": r.method,
        "complete": r.complete,
        "fallback_points": r.fallback_points,
        "unsolved_points": r.unsolved_points,
        "undefined_points": r.undefined_points,
        "strategies": actions,
        "outcomes": [{"outcome": o, **_summary(r.reach[:, j], per)} for j, o in enumerate(r.outcomes)],
        "payoffs": payoffs,
        "parameters": {n: v.tolist() for n, v in r.points().items()} if per else None,
        "limits": list(r.limits),
        "warnings": list(r.warnings),
        "notes": list(r.notes),
    }


def check_qre_output(out: str | Path, n_points: int) -> Path:
    """Refuse, before any work, an output the QRE sweep could not write."""
    from solver.formats import sweep_store

    target = sweep_store.check_target(out)
    if target.suffix.lower() in (".npz", ".json") and n_points > NPZ_MAX_POINTS:
        raise RedlineError(
            f"{n_points:.3g} points is more than the limit of {NPZ_MAX_POINTS:.0e} for a "
            f"{target.suffix.lower()} output (assembled in memory); use .csv, which streams",
            source=str(target),
        )
    return target


def write_qre(r: QRESweep, target: Path) -> None:
    """Write ``target`` (.csv, .npz or .json; atomically)."""
    from solver.formats import sweep_store

    suffix = target.suffix.lower()
    if suffix == ".csv":
        step = 65536
        parts = (rows(r, lo, min(r.n_points, lo + step)) for lo in range(0, r.n_points, step))
        sweep_store.write_rows_csv(target, header(r), parts)
    elif suffix == ".npz":
        arrays: dict[str, Any] = dict(r.points())
        arrays.update(
            qre_lambda=np.float64(r.lam),
            probabilities=r.probs,
            probability_columns=np.array(r.probability_columns()),
            payoffs=r.payoffs,
            payoff_columns=np.array([f"u({p})" for p in r.model.players]),
            outcome_probabilities=r.reach,
            outcome_columns=np.array([f"P({o})" for o in r.outcomes]),
        )
        sweep_store.write_npz(target, arrays)
    else:
        import json

        sweep_store.atomic_write_text(target, json.dumps(to_dict(r, per_point=True), indent=2))
