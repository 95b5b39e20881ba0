"""Red lines: the exact values of one parameter at which the equilibrium set changes.

Candidates are the endpoints, inside the declared range, of the closed-form existence regions of
:func:`solver.analysis.regions.regions` with that one parameter free (roots of the numerators and
denominators of the probabilities and payoff differences).  A candidate is kept only if the
equilibrium set really differs on its two sides: the ``before``/``after`` words are
``Result.signature()`` of the numeric :func:`solver.equilibria.solve` at rational points between
neighbouring candidates, so they agree with the solver by construction (for a tree, a candidate
where only non-credible equilibria change is dropped).  At the threshold itself
the game is degenerate; ``at`` says what holds there (from the exact solve when the value is
rational).  Without a closed form, thresholds come from a numeric scan refined by signature
bisection (:func:`solver.sweep.bisection.bisect_signatures`) to :data:`solver.core.tolerances.THRESHOLD`.

>>> from solver.formats import load
>>> [(str(t.value), t.before, t.after) for t in thresholds(load("syria_deconfliction"), "iran_cost")]
[('2', 'pure (Tolerate, Acquiesce)', 'mixed (full support)'), ('14', 'mixed (full support)', 'pure (Strike, Confront)')]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget, Progress
from solver.core.expr import to_sympy
from solver.core.symbolic import Model

#: grid points of the numeric scan used when no closed form exists (fewer for game trees, which
#: are solved point by point by the tree solver)
SCAN_POINTS = 401
TREE_SCAN_POINTS = 41


@dataclass(frozen=True)
class Threshold:
    """One red line: ``parameter`` crossing ``value`` changes the equilibria ``before`` -> ``after``."""

    parameter: str
    value: Any  # exact sympy number (surds, roots), or a Fraction from bisection when not exact
    decimal: float
    before: str
    after: str
    at: str
    degenerate: bool
    exact: bool = True
    note: str = ""

    @property
    def exact_string(self) -> str:
        return str(self.value) if self.exact else f"~{self.decimal:.12g}"

    @property
    def appear(self) -> list[str]:
        return sorted(set(self.after.split(" + ")) - set(self.before.split(" + ")))

    @property
    def vanish(self) -> list[str]:
        return sorted(set(self.before.split(" + ")) - set(self.after.split(" + ")))


class Thresholds(list[Threshold]):
    """The red lines found, in order (a list), and how the search went: ``complete`` (every
    candidate checked), the ``limits`` the time budget hit, and the ``time_budget`` itself."""

    complete: bool = True
    limits: tuple[str, ...] = ()
    time_budget: float | None = None

    @classmethod
    def of(cls, found: list[Threshold], limits: Sequence[str], budget: Budget) -> Thresholds:
        out = cls(found)
        out.complete, out.limits, out.time_budget = not limits, tuple(limits), budget.seconds
        return out


class _OutOfTime(Exception):
    """The budget ran out in the middle of a scan or a bisection."""


def numeric_signature(
    model: Model, values: Mapping[str, Any], budget: Budget = UNBOUNDED, *, every: bool = False
) -> tuple[str, Any]:
    """(signature, Result) of the exact numeric solve at ``values`` (game trees: the tree solver,
    whose signature is the set of subgame-perfect paths, as in the sweep engine).  A tree's
    Result lists only its credible equilibria unless ``every`` (the signature is the same)."""
    from solver.core.symbolic import evaluate
    from solver.equilibria import solve

    if model.tree is not None:
        from solver.equilibria.trees.paths import tree_signature
        from solver.equilibria.trees.sequential import credible_solve, solve_tree

        point = model.values(values, check_range=False)
        tree_res = solve_tree(model, point, budget=budget) if every else credible_solve(model, point, budget)
        return tree_signature(tree_res), tree_res
    res = solve(evaluate(model, values), budget=budget)
    return res.signature(), res


def _signature(model: Model, values: Mapping[str, Any], budget: Budget) -> tuple[str, Any]:
    """:func:`numeric_signature`, raising :class:`_OutOfTime` where the budget cut the solve short."""
    if budget.expired():
        raise _OutOfTime
    sig, res = numeric_signature(model, values, budget)
    if res.limits:
        raise _OutOfTime
    return sig, res


def _rational(x: Any) -> Fraction:
    import sympy as sp

    if isinstance(x, Fraction):
        return x
    x = sp.nsimplify(x) if isinstance(x, float) else x
    if getattr(x, "is_Rational", False):
        return Fraction(int(x.p), int(x.q))
    return Fraction(float(sp.N(x, 30))).limit_denominator(10**15)


def thresholds(
    model: Model,
    parameter: str,
    fixed: Mapping[str, Any] | None = None,
    timeout_per_support: float | None = 2.0,
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
) -> Thresholds:
    """Every critical value of ``parameter`` (the others at their values with ``fixed``).
    ``timeout`` (seconds) bounds the search; when it runs out, the thresholds confirmed so far
    come back with ``complete = False`` and what was not checked in ``limits``.

    Chicken: swerving against a swerver is an equilibrium until the temptation ``T`` passes 3.

    >>> from solver.formats import load
    >>> [(str(t.value), t.before) for t in thresholds(load("chicken"), "T")]
    [('3', 'pure (Swerve, Swerve)')]
    """
    import sympy as sp

    from solver.analysis.conditions import rational_between
    from solver.analysis.regions import check_free, regions
    from solver.equilibria.trees.paths import credible_behaviour

    bud = Budget.of(budget, timeout, progress)
    _, values = check_free(model, [parameter], fixed)
    p = model.parameter(parameter)
    reg = regions(model, [parameter], fixed, timeout_per_support, numeric=False, budget=bud)
    if reg.limits:
        return Thresholds.of([], reg.limits, bud)
    if not reg.complete:
        return scan_thresholds(model, parameter, values, budget=bud)
    lo, hi = sp.Rational(p.low.numerator, p.low.denominator), sp.Rational(p.high.numerator, p.high.denominator)
    cands: list[Any] = []
    for e in reg.equilibria:
        for b in to_sympy(e.region).boundary if e.region is not None else ():
            if lo < b < hi and not any(sp.simplify(b - c) == 0 for c in cands):
                cands.append(b)
    cands.sort(key=lambda c: float(sp.N(c, 30)))
    edges = [lo, *cands, hi]
    mids = [rational_between(a, b) for a, b in itertools.pairwise(edges)]
    point = dict(values)
    sigs: list[str] = []
    credible: list[str] = []
    active: list[set[int]] = []
    out: list[Threshold] = []
    try:
        for m in mids:
            bud.report(f"thresholds of {parameter}", len(sigs) / (2 * len(mids)))
            point[parameter] = _rational(m)
            sig, res = _signature(model, point, bud)
            sigs.append(sig)
            credible.append(credible_behaviour(res) if model.tree is not None else "")  # off path too
            active.append({id(e) for e in reg.at({parameter: m})})
        for k, c in enumerate(cands):
            bud.report(f"thresholds of {parameter}", (len(mids) + k) / (2 * len(mids)))
            if sigs[k] == sigs[k + 1] and active[k] == active[k + 1]:
                continue
            at, degenerate, note = _at(model, reg, values, parameter, c, bud)
            if model.tree is not None and sigs[k] == sigs[k + 1] == at and credible[k] == credible[k + 1]:
                continue  # only non-credible Nash equilibria change here
            out.append(Threshold(parameter, c, float(sp.N(c, 20)), sigs[k], sigs[k + 1], at, degenerate, True, note))
    except _OutOfTime:
        above = f"above {parameter} = {out[-1].value}" if out else f"on the range of {parameter}"
        return Thresholds.of(out, [bud.limit(f"the thresholds of {parameter}", f"candidate red lines {above}")], bud)
    return Thresholds.of(out, [], bud)


def _at(
    model: Model, reg: Any, values: Mapping[str, Fraction], parameter: str, c: Any, budget: Budget
) -> tuple[str, bool, str]:
    """What holds exactly at a threshold: the exact solve when rational, else the closed forms."""
    if getattr(c, "is_Rational", False):
        point = dict(values)
        point[parameter] = Fraction(int(c.p), int(c.q))
        sig, res = _signature(model, point, budget)
        cont = [g for g in res.components if len(g) > 1]
        note = (
            (
                f"continuum: {len(cont)} component(s) of equilibria (every convex combination of their "
                "extreme points)"
            )
            if cont
            else ""
        )
        return sig, bool(res.degenerate), note
    return (
        reg.signature({parameter: c}),
        True,
        "irrational threshold: equilibria from the closed forms",
    )


def _bisect(
    model: Model, parameter: str, values: Mapping[str, Fraction], a: Fraction, b: Fraction, sig_a: str, budget: Budget
) -> tuple[Fraction, Fraction | None]:
    """The red line between ``a`` (signature ``sig_a``) and ``b``: signature bisection
    (:func:`solver.sweep.bisection.bisect_signatures`) on the exact solver, to ``THRESHOLD``;
    returned with ``None``, or with the width of the last bracket when the budget ran out."""
    import numpy as np

    from solver.sweep.bisection import bisect_signatures

    point = dict(values)
    bracket = [a, b]

    def signatures(mids: Any) -> tuple[Any, Any]:
        sigs, degenerate = [], []
        for m in mids:
            point[parameter] = m
            sig, res = _signature(model, point, budget)
            sigs.append(sig)
            degenerate.append(bool(res.degenerate))
            bracket[0 if sig == sig_a else 1] = m
        return np.array(sigs, dtype=object), np.array(degenerate)

    lo, hi = np.array([a], dtype=object), np.array([b], dtype=object)
    sig = np.array([sig_a], dtype=object)
    try:
        lo, hi, _ = bisect_signatures(lo, hi, sig, sig, signatures, tolerances.THRESHOLD, _exact_midpoint)
    except _OutOfTime:
        return (bracket[0] + bracket[1]) / 2, bracket[1] - bracket[0]
    return (lo[0] + hi[0]) / 2, None


def _exact_midpoint(lo: Any, hi: Any) -> Any:
    """Exact midpoints, rounded to the nearest float once a denominator passes 2**64."""
    import numpy as np

    mids = [(a + b) / 2 for a, b in zip(lo, hi, strict=True)]
    return np.array([Fraction(float(m)) if m.denominator > 2**64 else m for m in mids], dtype=object)


def scan_thresholds(
    model: Model, parameter: str, values: Mapping[str, Fraction], *, budget: Budget = UNBOUNDED
) -> Thresholds:
    """Numeric fallback: signatures on a grid (batched engine), each change refined by bisection."""
    import numpy as np

    from solver.analysis.threshold_bands import merge_tie_bands
    from solver.sweep.engine import UNSOLVED, solve_batch

    p = model.parameter(parameter)
    grid = np.linspace(float(p.low), float(p.high), TREE_SCAN_POINTS if model.tree is not None else SCAN_POINTS)
    cols = {
        q.name: (grid if q.name == parameter else np.full(grid.size, float(values[q.name])))
        for q in model.parameters
    }
    batch = solve_batch(model, cols, budget)
    labels = [batch.labels[c] for c in batch.codes]
    out: list[Threshold] = []
    limits: list[str] = []
    if batch.skipped:
        first = float(grid[batch.skipped[0]])
        limits.append(budget.limit(f"the scan of {parameter}", f"{parameter} from {first:g} on"))
    for k in range(grid.size - 1):
        if labels[k] == labels[k + 1] or UNSOLVED in (labels[k], labels[k + 1]):
            continue
        budget.report(f"bisection of {parameter}", k / grid.size)
        a, b = Fraction(float(grid[k])), Fraction(float(grid[k + 1]))
        t, width = _bisect(model, parameter, values, a, b, labels[k], budget)
        point = dict(values)
        point[parameter] = t
        note = "no closed form: located numerically by bisection"
        try:
            at = _signature(model, point, budget)[0] if width is None else "not solved"
        except _OutOfTime:
            at = "not solved"
        if width is not None:
            note += f", stopped by the time budget within {float(width):.3g}"
            limits.append(budget.limit(f"the bisection of {parameter}", f"refinement near {float(t):.6g}"))
        out.append(Threshold(parameter, t, float(t), labels[k], labels[k + 1], at, True, False, note))
    out = merge_tie_bands(out, Fraction(p.low), Fraction(p.high))
    return Thresholds.of(out, list(dict.fromkeys(limits)), budget)
