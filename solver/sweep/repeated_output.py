"""What a delta* sweep produces as data: per-point rows, the JSON document, runs along one axis,
and the files of ``--out`` (``.csv`` one row per point, ``.npz`` arrays, ``.json``), written
atomically through :mod:`solver.formats.sweep_store`.

Along one varied parameter, :func:`segments` groups the grid into runs where delta* is the same
number (within :data:`~solver.core.tolerances.DISPLAY_EQUAL`), changes, or does not exist:

>>> from solver.formats import load
>>> from solver.sweep.repeated import sweep_repeated
>>> r = sweep_repeated(load("prisoners_dilemma"), "Cooperate, Cooperate", {"R": [0.5, 2, 3, 4]},
...                    {"T": 5, "P": 1, "S": 0}, punishment="nash")
>>> [(s["from"], s["to"], s["kind"]) for s in segments(r)]
[(0.5, 0.5, 'none'), (2.0, 4.0, 'varies')]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from solver.core import tolerances
from solver.core.errors import RedlineError
from solver.sweep.output import NPZ_MAX_POINTS
from solver.sweep.repeated_result import RepeatedSweep

#: per-point columns go into the JSON document up to this many points (beyond: use .csv or .npz)
JSON_POINTS = 100_000
#: rows per chunk when streaming a CSV
ROWS = 65536


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def header(r: RepeatedSweep) -> list[str]:
    """``point``, the varied parameters, ``delta_star``, ``delta_<player>``..., ``holds`` (with a
    delta), ``solved_by``."""
    return [
        "point",
        *r.plan.names,
        "delta_star",
        *[f"delta_{p}" for p in r.model.players],
        *(["holds"] if r.delta is not None else []),
        "solved_by",
    ]


def _how(r: RepeatedSweep) -> np.ndarray[Any, Any]:
    how = np.full(r.n_points, "closed form" if r.method.startswith("closed") else "exact", dtype=object)
    how[r.exact] = "exact"
    how[~r.solved] = "not solved (time budget)"
    how[r.undefined] = "undefined payoffs"
    return how


def rows(r: RepeatedSweep, chunk: int = ROWS) -> Iterator[list[list[Any]]]:
    """The per-point rows of :func:`header`, ``chunk`` points at a time (NaN: no delta < 1)."""
    how = _how(r)
    holds = r.holds() if r.delta is not None else None
    for start in range(0, r.n_points, chunk):
        stop = min(r.n_points, start + chunk)
        var = r.plan.varied(start, stop)
        cols: list[list[Any]] = [
            list(range(start, stop)),
            *[var[n].tolist() for n in r.plan.names],
            r.delta_star[start:stop].tolist(),
            *[v[start:stop].tolist() for v in r.by_player.values()],
        ]
        if holds is not None:
            cols.append([int(h) for h in holds[start:stop]])
        cols.append(how[start:stop].tolist())
        yield [list(row) for row in zip(*cols, strict=True)]


def segments(r: RepeatedSweep) -> list[dict[str, Any]]:
    """Runs of a one-parameter grid: ``kind`` "none" (no delta < 1), "constant" (``delta_star``
    the value) or "varies" (``delta_star`` [first, last]); unsolved points are left out."""
    if len(r.plan.names) != 1 or r.plan.samples:
        return []
    x = r.plan.axes[0]
    d = r.delta_star
    keep = np.flatnonzero(r.solved)
    out: list[dict[str, Any]] = []
    close = tolerances.DISPLAY_EQUAL
    for k in keep.tolist():
        v = float(d[k])
        none = bool(np.isnan(v))
        last = out[-1] if out else None
        if last is None or last["none"] != none:
            out.append({"none": none, "ks": [k]})
        elif none:
            last["ks"].append(k)
        else:
            prev = float(d[last["ks"][-1]])
            same = abs(v - prev) <= close
            if len(last["ks"]) == 1 or same == last.get("same", same):
                last["ks"].append(k)
                last["same"] = same
            elif not same:  # a constant run ends: a new run starts here
                out.append({"none": False, "ks": [k]})
            else:  # a varying run ends at its last point, which starts a constant run
                tail = last["ks"].pop()
                out.append({"none": False, "ks": [tail, k], "same": True})
    result = []
    for s in out:
        ks = s["ks"]
        kind = "none" if s["none"] else ("constant" if len(ks) == 1 or s.get("same", True) else "varies")
        value: Any = None
        if kind == "constant":
            value = float(d[ks[0]])
        elif kind == "varies":
            value = [float(d[ks[0]]), float(d[ks[-1]])]
        result.append(
            {
                "from": float(x[ks[0]]),
                "to": float(x[ks[-1]]),
                "first_point": ks[0],
                "last_point": ks[-1],
                "points": len(ks),
                "kind": kind,
                "delta_star": value,
            }
        )
    return result


def crossings(r: RepeatedSweep) -> list[dict[str, Any]]:
    """One parameter, with a delta: the grid intervals where the target starts or stops being
    sustained at that delta (delta* crosses it, or stops existing)."""
    if len(r.plan.names) != 1 or r.plan.samples or r.delta is None:
        return []
    x = r.plan.axes[0]
    keep = np.flatnonzero(r.solved)
    h = r.holds()[keep]
    out = []
    for j in np.flatnonzero(h[1:] != h[:-1]).tolist():
        a, b = int(keep[j]), int(keep[j + 1])
        out.append({"between": [float(x[a]), float(x[b])], "holds_after": bool(h[j + 1])})
    return out


def summary(r: RepeatedSweep) -> dict[str, Any]:
    """Shares and extremes over the solved points."""
    ok = r.solved
    n = max(1, int(ok.sum()))
    found = r.delta_star[r.sustainable()]
    out: dict[str, Any] = {
        "solved_points": int(ok.sum()),
        "sustainable_share": float(r.sustainable().sum() / n),
        "delta_star_min": float(found.min()) if found.size else None,
        "delta_star_max": float(found.max()) if found.size else None,
    }
    if r.delta is not None:
        out["holds_share"] = float((r.holds() & ok).sum() / n)
    return out


def to_dict(r: RepeatedSweep) -> dict[str, Any]:
    """The JSON document of ``redline sweep --repeated`` (plain data; null: no delta < 1)."""
    plan = r.plan
    doc: dict[str, Any] = {
        "model": r.model.name,
        "target": list(r.target),
        "punishment": r.punishment,
        "method": r.method,
        "delta": str(r.delta) if r.delta is not None else None,
        "varied": list(plan.names),
        "fixed": {k: float(v) for k, v in plan.fixed.items() if k not in plan.names},
        "grid": None
        if plan.samples
        else {
            n: {"start": float(a[0]), "stop": float(a[-1]), "num": int(a.size)}
            for n, a in zip(plan.names, plan.axes, strict=True)
        },
        "samples": plan.samples or None,
        "points": r.n_points,
        "exact_points": int(r.exact.sum()),
        "complete": r.complete,
        "limits": list(r.limits),
        "summary": summary(r),
        "segments": segments(r),
        "crossings": crossings(r),
        "warnings": list(r.warnings),
        "notes": list(r.notes),
    }
    if r.n_points <= JSON_POINTS:
        doc["values"] = {n: v.tolist() for n, v in r.points().items()}
        doc["delta_star"] = [_num(v) for v in r.delta_star.tolist()]
        doc["by_player"] = {p: [_num(v) for v in a.tolist()] for p, a in r.by_player.items()}
        if r.delta is not None:
            doc["holds"] = r.holds().tolist()
        doc["solved_by"] = _how(r).tolist()
    else:
        doc["notes"].append(
            f"per-point columns are left out of the JSON above {JSON_POINTS:,} points (use --out FILE.csv or .npz)"
        )
    return doc


def check_out(path: str | Path, n_points: int) -> Path:
    """``path`` if a delta* sweep of ``n_points`` can be written there (checked before the work)."""
    from solver.formats import sweep_store

    target = sweep_store.check_target(path)
    if target.suffix.lower() == ".npz" and n_points > NPZ_MAX_POINTS:
        raise RedlineError(
            f"{n_points:.3g} points is more than the limit of {NPZ_MAX_POINTS:.0e} for a .npz output "
            "(assembled in memory); use .csv, which streams",
            source=str(target),
        )
    return target


def write_output(r: RepeatedSweep, target: Path) -> None:
    """Write ``target`` atomically: ``.csv`` (one row per point), ``.npz`` or ``.json``."""
    from solver.formats import sweep_store

    suffix = target.suffix.lower()
    if suffix == ".csv":
        sweep_store.write_rows_csv(target, header(r), rows(r))
    elif suffix == ".npz":
        arrays: dict[str, Any] = dict(r.points())
        arrays["delta_star"] = r.delta_star
        for p, a in r.by_player.items():
            arrays[f"delta_{p}"] = a
        if r.delta is not None:
            arrays["holds"] = r.holds()
        arrays["solved_by"] = _how(r).astype(str)
        sweep_store.write_npz(target, arrays)
    else:
        import json

        sweep_store.atomic_write_text(target, json.dumps(to_dict(r), indent=2, allow_nan=False))
