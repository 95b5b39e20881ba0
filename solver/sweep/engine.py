"""The batched equilibrium engine: many parameter points at once, with numpy.

Payoffs for a whole batch come from one ``lambdify``-compiled function
(:func:`solver.core.symbolic.batch_evaluator`); equilibria are then computed for every point at once:

* pure equilibria of any game by vectorised best-response checks (:mod:`solver.equilibria.pure`);
* two players: support enumeration over equal-size support pairs with batched linear solves
  (valid for nondegenerate points; von Stengel 2007, §3.2, "support enumeration");
* 2x2x2 games: the two-mixer supports as 2x2 subgames and the fully mixed support through the
  quadratic eliminant of the three multilinear indifference conditions (McKelvey & McLennan 1997).

Points where a tie makes the batched path unsafe (a near-singular system, a probability or a
payoff difference within tolerance of zero: the degenerate points, exactly where red lines sit)
and games outside these classes are solved exactly, point by point, by :func:`solver.solve`, and
flagged.  So every point's signature equals ``solve(evaluate(model, point)).signature()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ModelError
from solver.core.result import describe_support
from solver.core.symbolic import Model, batch_evaluator
from solver.equilibria.batched import Candidate, solve_strategic

Array = npt.NDArray[Any]
#: the signature of a point the time budget left unsolved
UNSOLVED = "not solved (time budget)"
#: the signature of a point where some payoff is not a finite number (a pole, a log of zero...)
UNDEFINED = "undefined payoffs (not finite)"


@dataclass
class Batch:
    """Equilibria of N points: signature code per point, plus each equilibrium's numbers."""

    model: Model
    columns: dict[str, Array]
    codes: npt.NDArray[np.int64]
    labels: list[str]
    candidates: list[Candidate]
    #: points solved exactly one by one (ties/degenerate, or outside the batched classes)
    fallback: npt.NDArray[np.bool_]
    degenerate: npt.NDArray[np.bool_]
    results: dict[int, Any] = field(default_factory=dict)
    #: points left unsolved because the time budget ran out (signature :data:`UNSOLVED`)
    skipped: tuple[int, ...] = ()

    @property
    def solved(self) -> npt.NDArray[np.bool_]:
        """Mask of the points whose signature was computed (all, unless the budget ran out)."""
        mask = np.ones(self.n_points, dtype=bool)
        mask[list(self.skipped)] = False
        return mask

    @property
    def n_points(self) -> int:
        return int(self.codes.shape[0])

    def equilibria_at(self, k: int) -> list[tuple[str, list[Array], Array]]:
        """(description, per-player probabilities, payoffs) of every equilibrium at point k."""
        if k in self.results:
            res = self.results[k]
            return [
                (
                    e.describe(),
                    [np.asarray(v, dtype=float) for v in e.vectors],
                    np.asarray(e.values, dtype=float),
                )
                for e in res.equilibria
            ]
        m = self.model
        return [
            (
                describe_support(m.players, m.strategies, c.support),
                [p[k] for p in c.probs],
                c.values[k],
            )
            for c in self.candidates
            if c.mask[k]
        ]

    def outcome_probabilities(self) -> Array:
        """Per point, the pure-outcome distribution averaged over the point's equilibria."""
        shape = self.model.shape
        out = np.zeros((self.n_points, *shape))
        count = np.zeros(self.n_points)
        for c in self.candidates:
            dist = c.probs[0]
            for p in c.probs[1:]:
                dist = dist[..., None] * p.reshape(p.shape[0], *([1] * (dist.ndim - 1)), p.shape[1])
            out[c.mask] += dist[c.mask]
            count += c.mask
        for k, res in self.results.items():
            out[k] = 0.0
            for e in res.equilibria:
                dist = np.asarray(e.vectors[0], dtype=float)
                for v in e.vectors[1:]:
                    dist = np.multiply.outer(dist, np.asarray(v, dtype=float))
                out[k] += dist
            count[k] = len(res.equilibria)
        return out / np.maximum(count, 1).reshape(-1, *([1] * len(shape)))


def evaluate_columns(model: Model, columns: Mapping[str, Array]) -> Array:
    """Payoffs (n, s1..sn, N) of the points given as one value column per parameter; a
    :class:`ModelError` names the first point where a payoff is not finite."""
    payoffs, bad = _payoffs(model, columns)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        player = int(np.argwhere(~np.isfinite(payoffs[..., k]))[0][0])
        where = ", ".join(f"{p.name}={float(columns[p.name][k]):.6g}" for p in model.parameters)
        raise ModelError(
            f"payoff of {model.players[player]} is not finite at {where}",
            source=model.path or model.name,
        )
    return payoffs


def _payoffs(model: Model, columns: Mapping[str, Array]) -> tuple[Array, npt.NDArray[np.bool_]]:
    """(payoffs, mask of the points where some payoff is not finite); numpy's warnings about the
    division by zero etc. that made them are silenced: the mask reports them instead."""
    cols = [np.asarray(columns[p.name], dtype=float) for p in model.parameters]
    n = len(next(iter(columns.values()))) if columns else 1
    with np.errstate(all="ignore"):
        payoffs = batch_evaluator(model)(*cols) if cols else batch_evaluator(model)()
    payoffs = np.asarray(payoffs, dtype=float)
    if payoffs.ndim == model.payoffs.ndim:  # constant model: broadcast over the batch
        payoffs = np.broadcast_to(payoffs[..., None], (*payoffs.shape, n)).copy()
    elif payoffs.shape[-1] != n:
        payoffs = np.broadcast_to(payoffs, (*model.payoffs.shape, n)).copy()
    bad: npt.NDArray[np.bool_] = np.asarray(~np.isfinite(payoffs).reshape(-1, n).all(axis=0))
    return payoffs, bad


def solve_batch(
    model: Model,
    columns: Mapping[str, Array],
    budget: Budget = UNBOUNDED,
    *,
    undefined: bool = False,
    tie: float = tolerances.TIE,
) -> Batch:
    """Equilibria at every point; ``columns`` maps each parameter name to an (N,) array.

    The points solved one by one (ties, game trees) stop when ``budget`` runs out: the rest get
    the signature :data:`UNSOLVED` and are listed in :attr:`Batch.skipped`.  A point where a
    payoff is not finite raises :class:`ModelError`, or with ``undefined=True`` (sweeps) gets the
    signature :data:`UNDEFINED` and no equilibria, so the rest of the batch is still solved.
    ``tie`` (relative to each point's payoff range) is how close two payoffs must be for the
    point to be re-solved exactly; bisection passes the tighter
    :data:`~solver.core.tolerances.BISECTION_TIE`.
    """
    cols = {p.name: np.asarray(columns[p.name], dtype=float) for p in model.parameters}
    if model.tree is not None:  # subgame perfection: every point is solved on its own tree, so
        # the reduced normal form's payoffs are not compiled for the batch (seconds for large trees)
        n_points = len(next(iter(cols.values()))) if cols else 1
        return _finish(model, cols, (), np.ones(n_points, dtype=bool), budget)
    if not undefined:
        payoffs, bad = evaluate_columns(model, cols), None
    else:
        payoffs, bad = _payoffs(model, cols)
        if bad.any():  # a harmless stand-in game there; its equilibria are dropped below
            payoffs[..., bad] = _stand_in(payoffs.shape[:-1])[..., None]
        else:
            bad = None
    n_points = payoffs.shape[-1]
    scale = np.maximum(
        1.0, payoffs.reshape(-1, n_points).max(0) - payoffs.reshape(-1, n_points).min(0)
    )
    tol = tie * scale
    with np.errstate(all="ignore"):
        found = solve_strategic(payoffs, tol)
    if found is None:  # shapes outside the batched classes
        cands: tuple[Candidate, ...] = ()
        suspect = np.ones(n_points, dtype=bool)
    else:
        cands, suspect = found.candidates, found.suspect.copy()
    if bad is None:
        return _finish(model, cols, cands, suspect, budget)
    suspect &= ~bad
    batch = _finish(model, cols, tuple(c.without(bad) for c in cands), suspect, budget)
    if UNDEFINED not in batch.labels:
        batch.labels.append(UNDEFINED)
    batch.codes[bad] = batch.labels.index(UNDEFINED)
    _drop_unused(batch)
    return batch


def _stand_in(shape: tuple[int, ...]) -> Array:
    """Distinct payoffs of the given shape (no ties: nothing for the exact solver to redo)."""
    n = int(np.prod(shape))
    return (np.arange(n, dtype=float) * 0.618034 % 1.0).reshape(shape)


def _drop_unused(batch: Batch) -> None:
    """Remove labels no point has (the stand-in games' signatures), renumbering the codes."""
    used = np.flatnonzero(np.bincount(batch.codes, minlength=len(batch.labels)))
    if used.size == len(batch.labels):
        return
    remap = np.full(len(batch.labels), -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    batch.labels[:] = [batch.labels[j] for j in used]
    batch.codes[:] = remap[batch.codes]


def _finish(
    model: Model,
    cols: dict[str, Array],
    cands: tuple[Candidate, ...],
    suspect: npt.NDArray[np.bool_],
    budget: Budget = UNBOUNDED,
) -> Batch:
    n_points = suspect.shape[0]
    words = [describe_support(model.players, model.strategies, c.support) for c in cands]
    # signature per point: the sorted words of its valid candidates
    if cands:
        inverse, rows = _row_codes([c.mask for c in cands])
        sigs = []
        for row in rows:
            parts = sorted(words[j] for j in np.flatnonzero(row))
            sigs.append(" + ".join(parts) if parts else "none")
    else:
        inverse = np.zeros(n_points, dtype=np.int64)
        sigs = ["none"]
    labels: list[str] = []
    index: dict[str, int] = {}
    remap = np.empty(len(sigs), dtype=np.int64)
    for j, s in enumerate(sigs):
        remap[j] = index.setdefault(s, len(index))
        if remap[j] == len(labels):
            labels.append(s)
    codes = remap[inverse]
    results: dict[int, Any] = {}
    skipped: list[int] = []
    degenerate = np.zeros(n_points, dtype=bool)
    if suspect.any():
        from solver.core.symbolic import evaluate
        from solver.equilibria import solve

        todo = np.flatnonzero(suspect)
        for done, k in enumerate(todo):
            budget.report("points solved one by one", done / len(todo))
            point = {name: float(v[k]) for name, v in cols.items()}
            if budget.expired():
                res, s = None, UNSOLVED
            elif model.tree is not None:
                from solver.equilibria.trees.paths import tree_signature, tree_ties
                from solver.equilibria.trees.sequential import credible_solve

                res = credible_solve(model, model.values(point, check_range=False), budget)
                s = tree_signature(res)
                degenerate[k] = res.degenerate or tree_ties(model, res)
            else:
                res = solve(evaluate(model, point, exact=True, check_range=False), budget=budget)
                s = res.signature()
                degenerate[k] = res.degenerate
            if res is None or res.limits:  # not solved, or cut short: its signature is unknown
                res, s = None, UNSOLVED
                skipped.append(int(k))
            else:
                results[int(k)] = res
            if s not in index:
                index[s] = len(labels)
                labels.append(s)
            codes[k] = index[s]
        cands = tuple(c.without(suspect) for c in cands)
    return Batch(model, cols, codes, labels, list(cands), suspect.copy(), degenerate, results, tuple(skipped))


def _row_codes(masks: list[npt.NDArray[np.bool_]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Group points by which candidates hold there: (group per point, each group's membership row)."""
    c = len(masks)
    if c <= 20:  # O(N): integer code per point, then a lookup table over the codes present
        code = np.zeros(masks[0].shape[0], dtype=np.int32)
        for j, m in enumerate(masks):
            code |= m.astype(np.int32) << j
        present = np.flatnonzero(np.bincount(code, minlength=1 << c))
        table = np.zeros(1 << c, dtype=np.int64)
        table[present] = np.arange(present.size)
        rows = ((present[:, None] >> np.arange(c)) & 1).astype(bool)
        return table[code], rows
    bits = np.stack(masks, axis=1)
    packed = np.packbits(bits, axis=1)
    uniq, inverse = np.unique(packed, axis=0, return_inverse=True)
    return inverse.reshape(-1), np.unpackbits(uniq, axis=1)[:, :c].astype(bool)
