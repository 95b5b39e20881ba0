"""Everything the briefing page (``redline report``) shows, gathered as plain data under one
time budget: the plain-language brief (:func:`solver.analysis.explain.explain`), the equilibria
with their behaviour (trees), every exact threshold of every assumption
(:func:`solver.analysis.thresholds.thresholds`), the robustness margins they give (as in
:mod:`solver.analysis.sensitivity`), the Monte Carlo shares (:func:`solver.analysis.uncertainty.uncertainty`),
the credibility of threats in trees (:func:`solver.analysis.credibility.threats`), and the
sweeps (:mod:`solver.analysis.report_sweeps`).  What the budget cut short is named in
``not_computed``; nothing is written per model.

>>> from solver.formats import load
>>> r = gather(load("syria_deconfliction"), sweeps=False)
>>> [str(t.value) for t in r.thresholds["iran_cost"]], r.ranking[:2]
(['2', '14'], ['assad_stake', 'conflict_cost_russia'])
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from solver.analysis.report_sweeps import OutOfTime, Sweep1, Sweep2, side_for, sweep_1d, sweep_2d
from solver.core.budget import Budget
from solver.core.symbolic import Model

#: Monte Carlo draws for the uncertainty shares (strategic form / trees, solved point by point)
SAMPLES, SAMPLES_TREE = 2000, 100
#: seconds the phase diagram aims at (its grid is sized from the cost of a point in the 1-D sweeps)
PHASE_SECONDS = 2.0


@dataclass(frozen=True)
class MarginRow:
    """How far one assumption can move each way before the equilibrium set changes."""

    parameter: str
    value: Fraction
    low: Fraction
    high: Fraction
    lower: float  # the nearest threshold below, or the range's low end
    upper: float
    lower_is_threshold: bool
    upper_is_threshold: bool

    @property
    def relative(self) -> float:
        """The smaller margin ending at a threshold, as a share of the range (1: none)."""
        width = float(self.high - self.low) or 1.0
        sides = [
            d
            for d, t in (
                (float(self.value) - self.lower, self.lower_is_threshold),
                (self.upper - float(self.value), self.upper_is_threshold),
            )
            if t
        ]
        return min(sides) / width if sides else 1.0


@dataclass
class Report:
    """The briefing page's data (see the module docstring)."""

    model: Model
    overrides: dict[str, str]
    values: dict[str, Fraction]
    brief: Any  # solver.analysis.explain_types.Brief
    result: Any  # the equilibria `redline solve` lists at the point (trees: the credible ones)
    signature: str
    claims: Mapping[str, Any]
    thresholds: dict[str, Any] = field(default_factory=dict)  # parameter -> Thresholds
    margins: list[MarginRow] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)  # most sensitive first
    uncertainty: Any = None
    threats: Any = None
    sweeps: list[Sweep1] = field(default_factory=list)
    phase: Sweep2 | None = None
    not_computed: list[str] = field(default_factory=list)
    sha256: str = ""
    version: str = ""
    generated: str = ""
    timeout: float | None = None
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.not_computed


def _margins(model: Model, values: Mapping[str, Fraction], found: Mapping[str, Any]) -> list[MarginRow]:
    out = []
    for name, ts in found.items():
        p = model.parameter(name)
        v = float(values[name])
        below = [t.decimal for t in ts if t.decimal < v]
        above = [t.decimal for t in ts if t.decimal > v]
        out.append(
            MarginRow(
                name,
                values[name],
                p.low,
                p.high,
                below[-1] if below else float(p.low),
                above[0] if above else float(p.high),
                bool(below),
                bool(above),
            )
        )
    return out


def _thresholds(model: Model, values: Mapping[str, Fraction], budget: Budget) -> tuple[dict[str, Any], list[str]]:
    """(parameter -> its Thresholds at these values, what the budget left out)."""
    from solver.analysis.regions import payoff_parameters
    from solver.analysis.thresholds import thresholds

    found: dict[str, Any] = {}
    skipped: list[str] = []
    for name in payoff_parameters(model):
        if budget.expired():
            skipped.append(f"thresholds of {name}: time budget spent")
            continue
        others = {k: v for k, v in values.items() if k != name}
        ts = thresholds(model, name, others, budget=budget)
        found[name] = ts
        skipped += [f"thresholds of {name}: {x}" for x in ts.limits]
    return found, skipped


def _rank(model: Model, values: Mapping[str, Fraction], rep: Report) -> None:
    rep.margins = _margins(model, values, rep.thresholds)
    ranked = sorted(rep.margins, key=lambda m: (m.relative, m.parameter))
    rep.ranking = [m.parameter for m in ranked]


def _uncertainty(model: Model, overrides: Mapping[str, Any], budget: Budget, rep: Report) -> None:
    from solver.analysis.uncertainty import uncertainty

    if not model.parameters:  # nothing to draw (and `uncertainty` fails on such a model)
        return
    if budget.expired():
        rep.not_computed.append("uncertainty shares: time budget spent")
        return
    n = SAMPLES_TREE if model.tree is not None else SAMPLES
    rep.uncertainty = uncertainty(model, n, 0, overrides, budget=budget)
    rep.not_computed += [f"uncertainty shares: {x}" for x in rep.uncertainty.limits]


def _threats(model: Model, values: Mapping[str, Fraction], budget: Budget, rep: Report) -> None:
    from solver.analysis.credibility import threats

    if model.tree is None:
        return
    if budget.expired():
        rep.not_computed.append("credibility of threats: time budget spent")
        return
    rep.threats = threats(model, values, budget=budget)
    rep.not_computed += [f"credibility: {x}" for x in rep.threats.limits]


def _sweeps(model: Model, values: Mapping[str, Fraction], budget: Budget, rep: Report, points: int | None) -> None:
    """1-D sweeps of the assumptions with a threshold (most sensitive first), then the phase
    diagram of the two most sensitive, on a grid sized to what the budget leaves."""
    per_point = 0.0
    for name in [n for n in rep.ranking if rep.thresholds.get(n)]:
        try:
            s = sweep_1d(model, name, values, points, budget.share(0.5))
        except OutOfTime:
            rep.not_computed.append(f"sweep of {name}: time budget spent")
            continue
        rep.sweeps.append(s)
        per_point = max(per_point, s.seconds / max(1, len(s.xs)))
    pair = rep.ranking[:2]
    if len(pair) < 2:
        return
    left = budget.remaining()
    side = side_for(per_point, PHASE_SECONDS if left is None else min(PHASE_SECONDS, 0.6 * left))
    if points is not None:
        side = min(side, points)
    try:
        rep.phase = sweep_2d(model, pair[0], pair[1], values, side, budget)
    except OutOfTime:
        rep.not_computed.append(f"phase diagram of {pair[0]} and {pair[1]}: time budget spent")


def gather(
    model: Model,
    overrides: Mapping[str, Any] | None = None,
    *,
    claims: Mapping[str, Any] | None = None,
    budget: Budget | None = None,
    timeout: float | None = None,
    sweeps: bool = True,
    points: int | None = None,
    solution: tuple[str, Any] | None = None,
) -> Report:
    """The :class:`Report` on ``model`` at its values with ``overrides``.  ``timeout`` (or
    ``budget``) bounds the whole; ``points`` caps the sweep grids (tests use small ones);
    ``sweeps=False`` leaves the sweeps out; ``solution``: the equilibria already solved at these
    values (:func:`~solver.analysis.explain_trees.solved`), not solved again."""
    from solver.analysis.explain import explain
    from solver.analysis.explain_trees import solved

    start = time.monotonic()
    bud = Budget.of(budget, timeout)
    overrides = dict(overrides or {})
    values = model.values(overrides)
    claims = dict(claims or {})
    # the equilibria `redline solve` lists, solved once: the brief and the page share them
    sig, res = solution or solved(model, values, bud)
    # the thresholds first, searched once: the brief's nearest red lines and the map share them
    found, skipped = _thresholds(model, values, bud.share(0.5))
    brief = explain(model, overrides, claims=claims, budget=bud.share(0.4), thresholds=found, solution=(sig, res))
    rep = Report(model, {k: str(v) for k, v in overrides.items()}, dict(values), brief, res, sig, claims)
    rep.not_computed += [f"equilibria: {x}" for x in res.limits]
    rep.thresholds, rep.not_computed = found, rep.not_computed + skipped
    _rank(model, values, rep)
    # the brief skips the thresholds of large trees; those computed here stand in for them
    done = not any(x.startswith("thresholds of") for x in rep.not_computed)
    rep.not_computed += [f"brief: {x}" for x in brief.not_computed if not (done and x.startswith("thresholds of"))]
    _threats(model, values, bud.share(0.3), rep)
    _uncertainty(model, overrides, bud.share(0.3), rep)
    if sweeps:
        _sweeps(model, values, bud, rep, points)
    rep.not_computed = list(dict.fromkeys(rep.not_computed))
    rep.sha256 = _sha256(model)
    rep.version = _version()
    rep.generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    rep.timeout = bud.seconds
    rep.seconds = time.monotonic() - start
    return rep


def _sha256(model: Model) -> str:
    from solver.formats.report_out import sha256_of

    return sha256_of(model.path) if model.path else ""


def _version() -> str:
    import solver

    return str(solver.__version__)
