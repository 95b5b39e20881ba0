"""Sweeps of the critical discount factor delta* of a repeated game over parameter grids.

For every point of a sweep plan (:mod:`solver.sweep.grid`: grids, samples, chunks), the stage game
is the model at that point, repeated infinitely with perfect monitoring and a common discount
factor; ``delta*`` is the smallest discount factor from which the pure ``target`` profile is
sustained under the chosen punishment (:data:`~solver.sweep.repeated_forms.PUNISHMENTS`), NaN
where no delta < 1 works, per player and overall.

* 2x2 strategic-form models: the payoffs of a whole chunk come from one compiled function
  (:func:`solver.core.symbolic.batch_evaluator`) and ``delta*`` from closed forms over arrays
  (:mod:`solver.sweep.repeated_forms`); points with ties are re-solved exactly;
* every other model: :func:`solver.equilibria.repeated.analyse_repeated` point by point, exact,
  until the time budget runs out (the rest are left unsolved, flagged, and the result incomplete).

Prisoner's dilemma along T: grim trigger holds from ``(T - R)/(T - P)`` (Axelrod 1984).

>>> from solver.formats import load
>>> r = sweep_repeated(load("prisoners_dilemma"), "Cooperate, Cooperate", {"T": [4.0, 5.0]},
...                    {"R": 3, "P": 1, "S": 0}, punishment="nash")
>>> r.delta_star.tolist(), r.method
([0.3333333333333333, 0.5], 'closed form over arrays (2x2)')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ModelError, RedlineError, SolverError, UsageError
from solver.core.game import Game
from solver.core.symbolic import Model, batch_evaluator
from solver.equilibria.repeated.stage import check_delta, target_index
from solver.sweep.grid import CHUNK, Plan, make_plan
from solver.sweep.repeated_forms import PUNISHMENTS, critical_deltas, tie_mask
from solver.sweep.repeated_result import RepeatedSweep

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: the most points one repeated sweep holds (three float arrays per point, in memory)
MAX_POINTS = 1 << 24
#: the punishment of an exact result that each sweep punishment reads
KIND = {"nash": "nash", "minmax": "minmax", "best": "penal_code"}


def _stand_in(model: Model) -> Game:
    """A game with the model's labels (for reading the target; the payoffs do not matter)."""
    shape = (len(model.players), *model.shape)
    return Game(model.players, model.strategies, np.zeros(shape))


def _payoffs(evaluate: Any, model: Model, cols: Mapping[str, FloatArray], n: int) -> tuple[FloatArray, BoolArray]:
    """(payoffs (n_players, s1.., n), mask of points with a payoff that is not finite)."""
    args = [np.asarray(cols[p.name], dtype=float) for p in model.parameters]
    with np.errstate(all="ignore"):
        pay = np.asarray(evaluate(*args), dtype=float)
    if pay.shape[-1:] != (n,) or pay.ndim == model.payoffs.ndim:
        pay = np.broadcast_to(pay.reshape(*model.payoffs.shape, -1), (*model.payoffs.shape, n)).copy()
    bad = ~np.isfinite(pay.reshape(-1, n)).all(axis=0)
    return pay, np.asarray(bad, dtype=bool)


def sweep_repeated(
    model: Model,
    target: Any,
    vary: Mapping[str, Sequence[float] | FloatArray] | None = None,
    fixed: Mapping[str, Any] | None = None,
    *,
    punishment: str = "best",
    delta: Any = None,
    samples: int = 0,
    seed: int = 0,
    method: str = "lhs",
    force: bool = False,
    chunk: int = CHUNK,
    out: str | Path | None = None,
    budget: Budget = UNBOUNDED,
) -> RepeatedSweep:
    """delta* of the pure profile ``target`` (``"Tolerate, Acquiesce"``, labels or indices) over a
    grid (``vary``) or ``samples`` random points, under ``punishment``: ``"nash"`` (grim trigger),
    ``"minmax"`` (the folk-theorem bound) or ``"best"`` (the best subgame-perfect code, default).
    ``delta`` (in (0, 1)) is a discount factor to read the map at (:meth:`RepeatedSweep.holds`);
    ``out`` (``.csv`` one row per point, ``.npz``, ``.json``) is checked before the work and
    written atomically after it."""
    from solver.sweep.repeated_output import check_out, write_output

    if punishment not in PUNISHMENTS:
        raise UsageError(f"--punishment must be one of {', '.join(PUNISHMENTS)}, got {punishment!r}")
    d = Fraction(check_delta(delta)) if delta is not None else None
    plan, warnings = make_plan(
        model, vary, fixed, samples=samples, seed=seed, method=method, force=force, chunk=chunk
    )
    if plan.n_points > MAX_POINTS:
        raise RedlineError(
            f"{plan.n_points:.3g} points is more than the limit of {MAX_POINTS:,} for a delta* sweep"
        )
    idx = target_index(_stand_in(model), target)
    path = check_out(out, plan.n_points) if out is not None else None
    n = plan.n_points
    star = np.full(n, np.nan)
    by = [np.full(n, np.nan) for _ in model.players]
    exact = np.zeros(n, dtype=bool)
    undefined = np.zeros(n, dtype=bool)
    closed = model.tree is None and model.shape == (2, 2)
    if closed:
        evaluate = batch_evaluator(model)
        t2 = (idx[0], idx[1])
        for k in range(plan.n_chunks):
            budget.report("delta* in closed form", k / plan.n_chunks)
            start, stop = plan.bounds_of(k)
            pay, bad = _payoffs(evaluate, model, plan.columns(model, start, stop), stop - start)
            with np.errstate(all="ignore"):
                found = critical_deltas(pay[0], pay[1], t2, punishment)
            star[start:stop], by[0][start:stop], by[1][start:stop] = found
            exact[start:stop] = tie_mask(pay[0], pay[1], found) & ~bad
            undefined[start:stop] = bad
        for arr in (star, *by):
            arr[undefined] = np.nan
    else:
        exact[:] = True
    solved = ~undefined
    limits = _exact_points(model, plan, idx, KIND[punishment], (star, by), (exact, solved, undefined), budget)
    result = RepeatedSweep(
        model,
        plan,
        tuple(s[i] for s, i in zip(model.strategies, idx, strict=True)),
        punishment,
        star,
        dict(zip(model.players, by, strict=True)),
        exact & ~undefined,
        solved,
        undefined,
        d,
        "closed form over arrays (2x2)" if closed else "exact, point by point",
        limits=limits,
        warnings=warnings,
    )
    if undefined.any():
        result.warnings.append(f"{int(undefined.sum())} of {n} points have payoffs that are not finite")
    if closed and result.exact.any():
        result.notes.append(
            f"{int(result.exact.sum())} points with ties (or delta* within tolerance of 1) were "
            "solved exactly one by one"
        )
    if path is not None:
        write_output(result, path)
    return result


def _exact_points(
    model: Model,
    plan: Plan,
    idx: tuple[int, ...],
    kind: str,
    arrays: tuple[FloatArray, list[FloatArray]],
    masks: tuple[BoolArray, BoolArray, BoolArray],
    budget: Budget,
) -> list[str]:
    """Solve the points of ``exact`` one by one with the exact analysis, in place in ``arrays``
    (delta*, per player) and ``masks`` (exact, solved, undefined); returns the limits: points the
    budget left, points where the exact analysis failed (delta* left NaN, solved False there)."""
    from solver.core.symbolic import evaluate
    from solver.equilibria.repeated import analyse_repeated

    star, by = arrays
    exact, solved, undefined = masks
    todo = np.flatnonzero(exact & ~undefined)
    left = 0
    failed: list[str] = []
    for done, k in enumerate(todo):
        budget.report("points solved exactly one by one", done / len(todo))
        if budget.expired():
            solved[todo[done:]] = False
            left = len(todo) - done
            break
        cols = plan.columns(model, int(k), int(k) + 1)
        point = {name: float(v[0]) for name, v in cols.items()}
        try:
            res = analyse_repeated(evaluate(model, point, exact=True, check_range=False), idx, budget=budget)
        except ModelError:  # a payoff is not finite here
            undefined[k], solved[k] = True, False
            continue
        except SolverError as exc:
            solved[k] = False
            if budget.expired():  # the stage solve was cut short: the budget's doing
                left += 1
                continue
            failed.append(f"{exc} (at " + ", ".join(f"{n} = {point[n]:.10g}" for n in plan.names) + ")")
            continue
        if res.limits:  # cut short by the budget: delta* unknown here
            solved[k] = False
            left += 1
            continue
        p = res.punishment(kind)
        star[k] = _float(p.critical_delta)
        for i, player in enumerate(model.players):
            by[i][k] = _float(p.by_player.get(player))
    lost = todo[~solved[todo]]
    for arr in (star, *by):
        arr[lost] = np.nan
    limits = []
    if left:
        limits.append(budget.limit("the points solved exactly", f"{left} of {plan.n_points} points"))
    if failed:
        more = f" and {len(failed) - 1} more points" if len(failed) > 1 else ""
        limits.append(f"the exact analysis failed: {failed[0]}{more}; delta* left empty there")
    return limits


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)
