"""Monte Carlo over the assumptions: how likely is each equilibrium set, and each outcome?

Parameters are drawn independently: uniform on the declared range unless the model's
``distribution`` table says otherwise: ``{kind = "triangular", mode = m}`` (optional ``low``,
``high``), ``{kind = "normal", mean = mu, sd = s}`` truncated to the range (inverse-CDF sampling),
or ``{kind = "fixed"}``.  Parameters given in ``fixed`` are held at that value.  The whole sample
is solved at once by the batched sweep engine (:func:`solver.sweep.engine.solve_batch`).  A
signature's probability gets a Wilson (1927) score interval; an outcome's probability (the
pure-outcome distribution averaged over each point's equilibria, then over points) a normal
interval from the sample standard deviation.  Where a point has several equilibria they are
weighted by a stated rule (``select``: all equally by default, or payoff or risk dominance,
:mod:`solver.analysis.outcome_weights`), and ``weighting`` says how, counted.  A tracked
``outcome`` (a pure profile) gets the spread of its probability over the draws.

>>> from solver.formats import load
>>> u = uncertainty(load("chicken"), samples=200, seed=1)
>>> round(sum(e.p for e in u.signatures), 12)
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import sqrt
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.analysis.outcome_weights import Weighting, weigh
from solver.analysis.outcomes import Spread, outcome_label, spread
from solver.core.budget import Budget, Progress
from solver.core.errors import ModelError, ParameterError
from solver.core.symbolic import Model, Parameter

#: two-sided 95% normal quantile
Z95 = 1.959963984540054
#: at most this many Monte Carlo samples (each is a row of every parameter's column)
MAX_SAMPLES = 10_000_000


@dataclass(frozen=True)
class Estimate:
    """A probability with its confidence interval."""

    label: str
    count: float
    p: float
    low: float
    high: float


@dataclass(frozen=True)
class Uncertainty:
    model: Model
    samples: int
    seed: int | None
    signatures: tuple[Estimate, ...]  # most likely first
    outcomes: tuple[Estimate, ...]  # pure profiles, most likely first
    engine: str  # "batched" or "per-point"
    distributions: Mapping[str, str]
    #: every drawn point solved (``False``: the time budget ran out; the estimates use the
    #: ``samples`` points solved, and ``limits`` says how many were drawn)
    complete: bool = True
    limits: tuple[str, ...] = ()
    time_budget: float | None = None
    #: how the equilibria of points with several were weighted in ``outcomes``
    weighting: Weighting | None = None
    #: the tracked outcome's probability over the draws (``outcome=...``)
    tracked: Spread | None = None


def wilson(count: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    >>> [round(x, 4) for x in wilson(5, 10)]
    [0.2366, 0.7634]
    """
    if n == 0:
        return 0.0, 1.0
    p = count / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def draw_parameter(
    p: Parameter, n: int, rng: np.random.Generator, src: str
) -> tuple[npt.NDArray[np.float64], str]:
    """``n`` independent draws of parameter ``p`` from its distribution, and that distribution in
    words (``src`` names the model in errors).

    >>> from fractions import Fraction as F
    >>> T = Parameter("T", F(4), F(3), F(5), "chicken's temptation")
    >>> x, words = draw_parameter(T, 1000, np.random.default_rng(0), "chicken")
    >>> words, bool(3 <= x.min() and x.max() <= 5)
    ('uniform[3, 5]', True)
    """
    key = f"parameters.{p.name}.distribution"

    def number(name: str, default: Any) -> float:
        """``dist[name]`` (or ``default``) as a finite float, else one clear ModelError."""
        return finite(name, dist.get(name, default))

    def finite(name: str, raw: Any) -> float:
        try:
            if isinstance(raw, bool | str):
                raise TypeError
            x = float(raw)
        except (TypeError, ValueError, OverflowError):
            raise ModelError(f"{name} must be a number, got {str(raw)[:40]!r}", source=src, key=key) from None
        if not np.isfinite(x):
            raise ModelError(f"{name} must be a finite number, got {x}", source=src, key=key)
        return x

    dist = p.distribution if isinstance(p.distribution, Mapping) else {"kind": p.distribution}
    kind = str(dist.get("kind", "uniform"))[:40]
    lo, hi = finite("the range's low end", p.low), finite("the range's high end", p.high)
    if lo == hi or kind == "fixed":
        return np.full(n, finite("value", p.value)), "fixed"
    if not np.isfinite(hi - lo):
        raise ModelError(f"the range [{lo:g}, {hi:g}] is too wide to sample", source=src, key=key)
    if kind == "uniform":
        return rng.uniform(lo, hi, n), f"uniform[{lo:g}, {hi:g}]"
    if kind == "triangular":
        a, b, mode = number("low", lo), number("high", hi), number("mode", p.value)
        if not lo <= a <= mode <= b <= hi or a >= b:
            raise ModelError(
                "triangular distribution needs range low <= low <= mode <= high <= range high, low < high "
                f"(got {a:g}, {mode:g}, {b:g} in [{lo:g}, {hi:g}])",
                source=src,
                key=f"parameters.{p.name}.distribution",
            )
        return rng.triangular(a, mode, b, n), f"triangular({a:g}, {mode:g}, {b:g})"
    if kind == "normal":
        from scipy.special import ndtr, ndtri

        mu, sd = number("mean", p.value), number("sd", 0.0)
        if not sd > 0:
            raise ModelError(
                "normal distribution needs sd > 0",
                source=src,
                key=f"parameters.{p.name}.distribution",
            )
        a, b = ndtr((lo - mu) / sd), ndtr((hi - mu) / sd)
        if not b > a:
            raise ModelError(
                f"normal({mu:g}, {sd:g}) puts no probability on the range [{lo:g}, {hi:g}]", source=src, key=key
            )
        with np.errstate(all="ignore"):
            x = mu + sd * ndtri(rng.uniform(a, b, n))
        return np.clip(x, lo, hi), f"normal({mu:g}, {sd:g}) on [{lo:g}, {hi:g}]"
    raise ModelError(
        f"unknown distribution kind {kind!r} (uniform, triangular, normal, fixed)",
        source=src,
        key=f"parameters.{p.name}.distribution",
    )


def sample_parameters(
    model: Model, samples: int, seed: int | None = None, fixed: Mapping[str, Any] | None = None
) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, str]]:
    """One (N,) column per parameter, and each parameter's distribution in words."""
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or not 1 <= samples <= MAX_SAMPLES:
        raise ParameterError(f"--samples must be a whole number from 1 to {MAX_SAMPLES} (got {samples!r})")
    values = model.values(fixed)
    rng = np.random.default_rng(seed)
    cols, words = {}, {}
    for p in model.parameters:
        if fixed and p.name in fixed:
            cols[p.name], words[p.name] = (
                np.full(samples, float(values[p.name])),
                f"fixed at {float(values[p.name]):g}",
            )
        else:
            cols[p.name], words[p.name] = draw_parameter(p, samples, rng, model.path or model.name)
    return cols, words


def uncertainty(
    model: Model,
    samples: int = 10_000,
    seed: int | None = 0,
    fixed: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
    select: str = "all",
    outcome: tuple[int, ...] | None = None,
) -> Uncertainty:
    """Probabilities of each equilibrium signature and each pure outcome under the distributions,
    the equilibria of a point weighted by the rule ``select``; ``outcome`` (strategy indices)
    also gets its probability's spread over the draws.

    ``timeout`` (seconds) bounds the solves: points the budget leaves unsolved (game trees and
    ties are solved one by one) are left out of the estimates, which then rest on fewer samples,
    with ``complete = False`` and the count in ``limits``."""
    from solver.sweep.engine import solve_batch

    bud = Budget.of(budget, timeout, progress)
    drawn = samples
    cols, words = sample_parameters(model, samples, seed, fixed)
    batch = solve_batch(model, cols, bud)
    engine = "batched"
    # a model without parameters is one game, solved once and counted for every draw
    at = np.zeros(drawn, dtype=np.intp) if len(batch.solved) != drawn else np.arange(drawn)
    solved = np.asarray(batch.solved)[at]
    limits: tuple[str, ...] = ()
    if batch.skipped:
        limits = (bud.limit("the solves of the sampled points", f"{len(batch.skipped)} of {drawn} points"),)
        samples = int(solved.sum())
    codes = np.asarray(batch.codes)[at][solved]
    counts = np.bincount(codes, minlength=len(batch.labels))
    sigs = [
        Estimate(label, int(c), float(c / samples), *wilson(int(c), samples))
        for label, c in zip(batch.labels, counts, strict=False)
        if c
    ]
    weighted = weigh(batch, select)
    probs = np.asarray(weighted.values, dtype=float).reshape(len(batch.solved), -1)[at][solved]
    tracked = None
    if outcome is not None:
        column = int(np.ravel_multi_index(outcome, model.shape))
        tracked = spread(outcome_label(model.strategies, outcome), probs[:, column])
    mean = probs.mean(axis=0) if samples else np.zeros(probs.shape[1])
    sd = probs.std(axis=0, ddof=1) if samples > 1 else np.zeros_like(mean)
    half = Z95 * sd / sqrt(max(1, samples))
    outs = []
    for k, idx in enumerate(np.ndindex(*model.shape)):
        label = ", ".join(s[j] for s, j in zip(model.strategies, idx, strict=True))
        outs.append(
            Estimate(
                label,
                float(probs[:, k].sum()),
                float(mean[k]),
                float(max(0.0, mean[k] - half[k])),
                float(min(1.0, mean[k] + half[k])),
            )
        )
    return Uncertainty(
        model,
        samples,
        seed,
        tuple(sorted(sigs, key=lambda e: -e.p)),
        tuple(sorted(outs, key=lambda e: -e.p)),
        engine,
        words,
        not limits,
        limits,
        bud.seconds,
        weighted.weighting,
        tracked,
    )
