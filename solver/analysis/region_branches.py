"""Pieces of :func:`solver.analysis.regions.regions`: a support's branches as region equilibria,
the result of an analysis the time budget cut short, and the numeric regions (signatures over
a random sample of the free box, from the batched sweep engine) used where no closed form exists.

>>> from solver.formats import load
>>> shares, limits = numeric_regions(load("chicken"), ["T"], {}, samples=64)
>>> round(sum(f for _, f, _ in shares), 12), limits
(1.0, ())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from solver.analysis.region_types import RegionEquilibrium, Regions
from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import BudgetSpent
from solver.core.interrupt import at_deadline
from solver.core.symbolic import Model


def branches(
    payload: Any, seen: set[tuple[Any, ...]], syms: tuple[Any, ...], box: Any, budget: Budget | None = None
) -> list[RegionEquilibrium]:
    """The support's closed-form branches as region equilibria with readable conditions (each
    branch once: ``seen`` collects them across supports).  Once ``budget`` has run out the
    conditions are kept as they came (exact, not simplified: simplifying can take long)."""
    import sympy as sp

    out = []
    for b in payload:
        key = (b.support, b.strategies)
        if key in seen:
            continue
        seen.add(key)
        raw = tuple((sp.StrictGreaterThan if st else sp.GreaterThan)(e, 0) for e, st in b.conditions)
        try:
            with at_deadline(budget or UNBOUNDED):
                conds = raw if budget is not None and budget.expired() else _readable(b, syms, box)
        except BudgetSpent:
            conds = raw
        out.append(RegionEquilibrium(b.support, b.strategies, b.payoffs, conds, b.conditions, b.region, b.degenerate))
    return out


def _readable(b: Any, syms: tuple[Any, ...], box: Any) -> tuple[Any, ...]:
    import sympy as sp

    from solver.analysis.conditions import readable, set_conditions

    if len(syms) == 1:
        lo, hi = box[syms[0]]
        return tuple(set_conditions(b.region, syms[0], lo, hi))
    return tuple(c for c in dict.fromkeys(readable(e, st, syms, box) for e, st in b.conditions) if c is not sp.true)


def cut_short(
    base: Regions,
    model: Model,
    sups: list[Any],
    outcomes: list[tuple[str, Any]],
    syms: tuple[Any, ...],
    box: Any,
    budget: Budget,
) -> Regions:
    """The branches of the supports analysed before the budget ran out, and what was not."""
    from solver.core.result import describe_support

    seen: set[tuple[Any, ...]] = set()
    eqs: list[RegionEquilibrium] = []
    missing = []
    for (sup, _), (status, payload) in zip(sups, outcomes, strict=True):
        if status == "ok":
            eqs += branches(payload, seen, syms, box, budget)
        elif status != "continuum":
            missing.append(sup)
    example = describe_support(model.players, model.strategies, missing[0]) if missing else ""
    what = f"{len(missing)} of {len(sups)} support profiles" + (f" (e.g. {example})" if missing else "")
    limit = budget.limit("the closed forms per support", what)
    return replace(base, equilibria=tuple(eqs), complete=False, notes=(limit,), limits=(limit,))


def numeric_regions(
    model: Model,
    free: Sequence[str],
    fixed: Mapping[str, Fraction],
    samples: int = 256,
    seed: int = 0,
    *,
    budget: Budget | None = None,
) -> tuple[tuple[tuple[str, float, dict[str, float]], ...], tuple[str, ...]]:
    """Signatures over a random sample of the free box (the numeric alternative): each with its
    share of the sampled points and one example point; and the limits the budget hit (points
    not solved in time are left out of the shares)."""
    import numpy as np

    from solver.sweep.engine import solve_batch

    rng = np.random.default_rng(seed)
    cols = {
        p.name: (
            rng.uniform(float(p.low), float(p.high), samples)
            if p.name in free
            else np.full(samples, float(fixed.get(p.name, p.value)))
        )
        for p in model.parameters
    }
    bud = Budget.of(budget, None)
    batch = solve_batch(model, cols, bud)
    solved = batch.solved
    total = max(1, int(solved.sum()))
    out = []
    for code, label in enumerate(batch.labels):
        hits = np.flatnonzero((batch.codes == code) & solved)
        if hits.size:
            k = int(hits[0])
            out.append((label, float(hits.size / total), {n: float(cols[n][k]) for n in free}))
    limits: tuple[str, ...] = ()
    if batch.skipped:
        limits = (bud.limit("the numeric regions", f"{len(batch.skipped)} of {samples} sampled points"),)
    return tuple(sorted(out, key=lambda t: -t[1])), limits
