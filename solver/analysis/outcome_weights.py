"""Outcome probabilities over a batch of points, with the equilibria at each point weighted by a
stated rule (:mod:`solver.analysis.selection`), and that weighting reported in words.

Where a point has several equilibria, the outcome distribution there is the average over the
equilibria the rule keeps: all of them (``all``, each weighted equally), or the payoff-dominant
or risk-dominant one (Harsanyi & Selten 1988) where it exists, else all of them again, counted
and said.  The batched candidates are weighed with numpy, the points solved one by one with the
same rule on their :class:`~solver.core.result.Equilibrium` values.

>>> from solver.formats import load
>>> from solver.sweep.engine import solve_batch
>>> m = load("stag_hunt")
>>> batch = solve_batch(m, {p.name: np.array([float(p.value)]) for p in m.parameters})
>>> rules = ("all", "payoff-dominance", "risk-dominance")
>>> [round(float(weigh(batch, r, (0, 0)).values[0]), 4) for r in rules]  # all: (1 + 0 + 4/9)/3
[0.4815, 1.0, 0.0]
>>> weigh(batch, "all").weighting.sentence()
'1 of 1 points has several equilibria: each equilibrium there weighted equally (--select all)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.analysis.selection import CITES, NAMES, RULES, choose, fallback_reason, logit_winners
from solver.core import tolerances
from solver.core.errors import ParameterError
from solver.sweep.engine import Batch

Array = npt.NDArray[Any]


@dataclass(frozen=True)
class Weighting:
    """How the equilibria of a set of points were weighted, counted."""

    rule: str
    points: int  # points with at least one equilibrium
    several: int  # ... of which this many have several
    selected: int  # ... of which the rule picked one at this many
    reason: str = ""  # why it picked none at the others

    @property
    def equal(self) -> int:
        return self.several - self.selected if self.rule != "all" else self.several

    def merged(self, other: Weighting) -> Weighting:
        return Weighting(
            self.rule, self.points + other.points, self.several + other.several,
            self.selected + other.selected, self.reason or other.reason,
        )

    def sentence(self) -> str:
        """The weighting in one sentence, for a table's note and the JSON ``weighting.note``."""
        if not self.several:
            return f"one equilibrium at each of the {self.points} points: nothing to weigh"
        verb = "has" if self.several == 1 else "have"
        head = f"{self.several} of {self.points} points {verb} several equilibria"
        if self.rule == "all":
            return f"{head}: each equilibrium there weighted equally (--select all)"
        if not self.selected:
            return f"{head}: {self.reason}, so each equilibrium there is weighted equally (--select {self.rule})"
        text = f"{head}: {NAMES[self.rule]} ({CITES[self.rule]}) selects one at {self.selected}"
        if self.equal:
            text += f"; at the other {self.equal} {self.reason}, so each equilibrium there is weighted equally"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "points": self.points,
            "several_equilibria": self.several,
            "selected": self.selected if self.rule != "all" else 0,
            "equal_weights": self.equal,
            "note": self.sentence(),
        }


@dataclass(frozen=True)
class Weighted:
    """Per point: the outcome distribution ``(N, *shape)``, or one cell's probability ``(N,)``."""

    values: Array
    defined: npt.NDArray[np.bool_]  # points with at least one equilibrium
    weighting: Weighting


def _distribution(probs: Sequence[Array], cell: tuple[int, ...] | None) -> Array:
    """Per point, the product distribution of independent mixtures (or one cell of it)."""
    if cell is not None:
        out = np.ones(probs[0].shape[0])
        for p, k in zip(probs, cell, strict=True):
            out = out * p[:, k]
        return out
    dist = probs[0]
    for p in probs[1:]:
        dist = dist[..., None] * p.reshape(p.shape[0], *([1] * (dist.ndim - 1)), p.shape[1])
    return dist


def _payoff_winners(values: list[Array], masks: Array) -> Array:
    """(C, N): candidate c payoff-dominates every other candidate present at the point."""
    c_n = len(values)
    scale = np.maximum(1.0, np.max([np.abs(v).max(axis=1) for v in values], axis=0))
    tol = tolerances.TIE * scale[:, None]
    win = masks.copy()
    for a in range(c_n):
        for b in range(c_n):
            if a == b:
                continue
            ge = (values[a] >= values[b] - tol).all(axis=1)
            gt = (values[a] > values[b] + tol).any(axis=1)
            win[a] &= (ge & gt) | ~masks[b]
    return win


def _risk_winners(batch: Batch, cands: list[Any], masks: Array) -> Array:
    """(C, N): candidate c is the risk-dominant one of two strict pure equilibria (2x2 games)."""
    from solver.core.symbolic import batch_evaluator

    m = batch.model
    cols = [np.asarray(batch.columns[p.name], dtype=float) for p in m.parameters]
    n = batch.n_points
    with np.errstate(all="ignore"):
        u = np.asarray(batch_evaluator(m)(*cols), dtype=float)
    u = np.broadcast_to(u.reshape(*u.shape[:3], -1), (2, 2, 2, n))
    scale = np.maximum(1.0, np.abs(u).reshape(-1, n).max(axis=0))
    tol = tolerances.TIE * scale
    prod, strict = np.zeros((2, 2, n)), np.zeros((2, 2, n), dtype=bool)
    for r in (0, 1):
        for c in (0, 1):
            lr, lc = u[0, r, c] - u[0, 1 - r, c], u[1, r, c] - u[1, r, 1 - c]
            strict[r, c] = (lr > tol) & (lc > tol)
            prod[r, c] = np.where(strict[r, c], lr * lc, 0.0)
    two = strict.sum(axis=(0, 1)) == 2
    total = prod.sum(axis=(0, 1))
    win = np.zeros_like(masks)
    for j, cand in enumerate(cands):
        if any(len(s) != 1 for s in cand.support):
            continue
        r, c = (s[0] for s in cand.support)
        other = total - prod[r, c]
        win[j] = masks[j] & two & strict[r, c] & (prod[r, c] > other + tol * scale)
    return win


def weigh(batch: Batch, rule: str = "all", cell: tuple[int, ...] | None = None) -> Weighted:
    """The outcome distribution (or ``cell``'s probability) at every point of ``batch``, the
    equilibria at each point weighted by ``rule`` (one of :data:`~solver.analysis.selection.RULES`)."""
    if rule not in RULES:
        raise ParameterError(f"unknown selection rule {rule!r}: choose one of {', '.join(RULES)}")
    m, n = batch.model, batch.n_points
    out = np.zeros((n,) if cell is not None else (n, *m.shape))
    cands = [c for c in batch.candidates if c.mask.any()]
    masks = np.array([c.mask for c in cands], dtype=bool).reshape(len(cands), n)
    count = masks.sum(axis=0)
    weights = masks / np.maximum(count, 1)
    several = count > 1
    picked = np.zeros(n, dtype=bool)
    win = None
    if cands and several.any() and rule == "payoff-dominance":
        win = _payoff_winners([c.values for c in cands], masks)
    elif cands and several.any() and rule == "risk-dominance" and m.shape == (2, 2):
        win = _risk_winners(batch, cands, masks)
    elif cands and several.any() and rule == "logit":
        win = logit_winners(batch, cands, masks)
    if win is not None:
        picked = several & (win.sum(axis=0) == 1)
        weights[:, picked] = win[:, picked]
    for w, c in zip(weights, cands, strict=True):
        out += w.reshape(-1, *([1] * (out.ndim - 1))) * _distribution(c.probs, cell)
    defined = count > 0
    n_several, n_picked = int(several.sum()), int(picked.sum())
    reason = fallback_reason(rule, m.shape) if rule != "all" and n_picked < n_several else ""
    for k, res in batch.results.items():
        eqs = list(res.equilibria)
        if not eqs:
            continue
        s = choose(res.game, eqs, rule)
        vecs = [[np.asarray(e.vectors[i], dtype=float)[None, :] for i in range(len(e.vectors))] for e in s.kept]
        out[k] = np.mean([_distribution(v, cell)[0] for v in vecs], axis=0)
        defined[k] = True
        n_several += len(eqs) > 1
        n_picked += len(eqs) > 1 and not s.fell_back and rule != "all"
        reason = reason or s.reason
    return Weighted(out, defined, Weighting(rule, int(defined.sum()), n_several, n_picked, reason))
