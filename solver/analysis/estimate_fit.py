"""The log-likelihood of observed choices under the logit QRE (or the strategic probit of
:mod:`solver.equilibria.qre.probit_tree` on perfect-information trees), its maximisation (scipy's
L-BFGS-B) and its observed information (central differences).

For coefficients ``theta`` (lambda, then the free parameters' coefficients) every group of
observations (one covariate vector) gets its game's principal-branch logit QRE at lambda
(McKelvey & Palfrey 1995, "Quantal response equilibria for normal form games", GEB 10:6-38;
the agent QRE on a tree, McKelvey & Palfrey 1998), and the log-likelihood is
``sum_cells count * log sum_{z in cell} P(z)``, ``P(z)`` the probability of outcome ``z`` (the
profile, or the play to a leaf with chance's probabilities).  One group is traced by
:func:`~solver.equilibria.qre.trace.trace`; several together by
:func:`~solver.equilibria.qre.many.qre_many` (a game it leaves unsolved is traced alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from solver.core.budget import Budget
from solver.core.tolerances import ESTIMATE_FTOL, ESTIMATE_GRADIENT_STEP, ESTIMATE_GTOL, ESTIMATE_HESSIAN_STEP
from solver.equilibria.qre.form import Floats, Form, start
from solver.equilibria.qre.many import qre_many
from solver.equilibria.qre.probit_tree import Plan, log_behaviour
from solver.equilibria.qre.trace import fixed_lambda, trace

from .estimate_data import Cells, FreeSpec, Structure

#: lambda's first guesses, in units of 1 / (the payoffs' spread); the best one starts the search
STARTS = (0.1, 0.3, 1.0, 3.0, 10.0)
#: where in its declared range each free parameter is tried as a start (fractions of the range)
GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
#: the most starting points tried (a seeded random subset of a larger grid)
MAX_GRID = 400
#: payoffs and lambda within this relative distance of the last traced QRE's are solved by
#: Newton's method from it (the gradient's and the Hessian's nearby points): the principal
#: branch is locally the unique solution near a regular point
NEAR = 1e-3
#: up to this many groups (covariate vectors) are solved by Newton's method one by one near the
#: last traced QRE; more go to the batched tracer every time
NEWTON_GROUPS = 32
#: the most L-BFGS-B iterations
MAX_ITER = 500
#: minus the mean log-likelihood the search sees where no QRE could be traced (a wall)
WALL = 1e6


#: the message of a search the time budget ended
SPENT = "the time budget ran out"


def _normalised(form: Form, y: Floats) -> Floats:
    """Log-probabilities renormalised per choice (the corrector leaves them within tolerance)."""
    return np.asarray(y - np.log(np.bincount(form.choice, weights=np.exp(y)))[form.choice], dtype=float)


class Spent(Exception):
    """The time budget ran out during a likelihood evaluation."""


class Untraced(Exception):
    """The principal branch could not be traced to lambda (a singular point, the step cap)."""


@dataclass
class Likelihood:
    """The log-likelihood as a function of the coefficient vector; remembers the best point."""

    structure: Structure
    data: Cells
    spec: FreeSpec
    base: Floats
    index: tuple[int, ...]
    lam: float | None
    budget: Budget
    best: tuple[float, Floats | None] = (-np.inf, None)
    evaluations: int = 0
    untraced: list[str] = field(default_factory=list)
    #: (payoffs and lambda, log-probabilities) of the last traced QRE: a game this close to it
    #: (relatively, :data:`NEAR`) is solved by Newton's method from it, not traced again
    anchor: tuple[Floats, Floats] | None = None
    #: the backward-induction plan of a perfect-information tree (``--link probit``), else None
    plan: Plan | None = None

    def split(self, theta: Floats) -> tuple[float, Floats]:
        """(lambda, ``(G, P)`` parameter values per group) of coefficients ``theta``."""
        lam = float(theta[0]) if self.spec.lam_free else float(self.lam or 0.0)
        k = 1 if self.spec.lam_free else 0
        groups = self.data.covariates.shape[0]
        points = np.tile(self.base, (groups, 1))
        for (_, covs), col in zip(self.spec.terms, self.index, strict=True):
            design = np.stack(
                [np.ones(groups) if c == "" else self.data.covariates[:, self.spec.covariates.index(c)] for c in covs],
                axis=1,
            )
            points[:, col] = design @ theta[k : k + len(covs)]
            k += len(covs)
        return lam, points

    def log_probs(self, lam: float, points: Floats) -> Floats:
        """Per group the log-probabilities of every action ``(G, actions)`` at the QRE: Newton's
        method from the last traced QRE when these games are :data:`NEAR` it, else traced."""
        form = self.structure.form
        if lam == 0:
            return np.tile(start(form), (points.shape[0], 1))
        if self.budget.expired():
            raise Spent
        with np.errstate(all="ignore"):
            pay = self.structure.payoffs(points)
        if not np.isfinite(pay).all() or not np.isfinite(lam * np.abs(pay)).all():
            raise Untraced("payoffs not finite at these coefficients")
        if self.plan is not None:
            return log_behaviour(self.plan, pay, lam)
        key = np.append(pay.ravel(), lam)
        near = self._near(pay, key, lam)
        if near is not None:
            return near
        if pay.shape[0] == 1:
            out = self._traced(pay[0], lam)[None, :]
        else:
            try:
                probs, solved = qre_many(form, pay, lam)
            except np.linalg.LinAlgError as exc:  # payoffs so large the equations are singular
                raise Untraced(f"the logit equations are singular at these coefficients ({exc})") from exc
            out = np.log(np.maximum(probs, np.finfo(float).tiny))
            for g in np.flatnonzero(~solved):
                out[g] = self._traced(pay[g], lam)
        self.anchor = (key, out)
        return out

    def _near(self, pay: Floats, key: Floats, lam: float) -> Floats | None:
        if self.anchor is None or self.anchor[0].shape != key.shape or pay.shape[0] > NEWTON_GROUPS:
            return None
        scale = np.maximum(1.0, np.abs(self.anchor[0]))
        if float(np.max(np.abs(key - self.anchor[0]) / scale)) > NEAR:
            return None
        out = np.empty_like(self.anchor[1])
        for g in range(pay.shape[0]):
            form = self.structure.at(pay[g])
            y = fixed_lambda(form, self.anchor[1][g], lam)
            if y is None:
                return None
            out[g] = _normalised(form, y)
        return out

    def _traced(self, pay: Floats, lam: float) -> Floats:
        form = self.structure.at(pay)
        tr = trace(form, lam, [lam], budget=self.budget)
        x = tr.hits.get(0)
        if x is None:
            if tr.status == "budget" or self.budget.expired():
                raise Spent
            raise Untraced(f"the branch stopped ({tr.status}) before lambda = {lam:g}")
        return _normalised(form, x[:-1])

    def outcome_logs(self, theta: Floats) -> Floats:
        """Per group the log-probability of every outcome ``(G, outcomes)``."""
        lam, points = self.split(theta)
        y = self.log_probs(lam, points)
        form = self.structure.form
        return np.asarray(form.log_chance + y @ form.incidence.T, dtype=float)

    def __call__(self, theta: Floats) -> float:
        if self.budget.expired():
            raise Spent
        self.evaluations += 1
        logs = self.outcome_logs(theta)
        per_cell = logsumexp(logs[self.data.group] + self.data.mask, axis=1)
        value = float(self.data.count @ per_cell)
        if value > self.best[0]:
            self.best = (value, np.array(theta, dtype=float))
        return value


def _steps(theta: Floats, rel: float) -> Floats:
    return np.asarray(rel * np.maximum(1.0, np.abs(theta)), dtype=float)


def gradient(f: Callable[[Floats], float], theta: Floats, lam_free: bool) -> Floats:
    """Central differences (forward for a lambda within one step of 0)."""
    h = _steps(theta, ESTIMATE_GRADIENT_STEP)
    out = np.zeros_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h[i]
        if i == 0 and lam_free and theta[0] < h[0]:
            out[i] = (f(theta + e) - f(theta)) / h[i]
        else:
            out[i] = (f(theta + e) - f(theta - e)) / (2 * h[i])
    return out


def hessian(f: Callable[[Floats], float], theta: Floats) -> Floats:
    """The Hessian of ``f`` at ``theta`` by central differences, step
    :data:`~solver.core.tolerances.ESTIMATE_HESSIAN_STEP` times ``max(1, |theta_i|)``."""
    h = _steps(theta, ESTIMATE_HESSIAN_STEP)
    k = theta.size
    f0 = f(theta)
    out = np.zeros((k, k))
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        out[i, i] = (f(theta + ei) - 2 * f0 + f(theta - ei)) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = h[j]
            both = f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej) + f(theta - ei - ej)
            out[i, j] = out[j, i] = both / (4 * h[i] * h[j])
    return out


def default_start(like: Likelihood, spread: float) -> Floats:
    """Lambda 1 / spread, the parameters at their values, slopes 0."""
    coefs = [
        float(like.base[col]) if c == "" else 0.0
        for (_, covs), col in zip(like.spec.terms, like.index, strict=True)
        for c in covs
    ]
    return np.asarray(([1.0 / spread] if like.spec.lam_free else []) + coefs, dtype=float)


def first_guesses(
    like: Likelihood, spread: float, ranges: Sequence[tuple[float, float]], keep: int = 3
) -> list[Floats]:
    """The ``keep`` best starting points of a grid: lambda in :data:`STARTS` / spread, each free
    parameter at its value and at :data:`GRID` points of its declared range (slopes 0); seeded
    random picks when the grid has more than :data:`MAX_GRID` points.  At lambda = 0 the
    likelihood is flat in the parameters, so a search started from a poor parameter value can
    end there: several starts avoid that trap."""
    axes: list[list[float]] = [[s / spread for s in STARTS]] if like.spec.lam_free else []
    for (name, covs), (low, high) in zip(like.spec.terms, ranges, strict=True):
        value = float(like.base[like.index[[t for t, _ in like.spec.terms].index(name)]])
        grid = sorted({value, *(low + f * (high - low) for f in GRID)})
        axes += [grid if c == "" else [0.0] for c in covs]
    points = np.asarray(np.meshgrid(*axes, indexing="ij")).reshape(len(axes), -1).T
    if len(points) > MAX_GRID:
        points = points[np.random.default_rng(0).choice(len(points), MAX_GRID, replace=False)]
    scored = []
    for t in points:
        try:
            scored.append((like(t), t))
        except Untraced:
            continue
    scored.sort(key=lambda st: -st[0])
    return [t for _, t in scored[:keep]] or [points[0]]


def maximise(like: Likelihood, theta0: Floats) -> tuple[Floats, bool, str, int, float]:
    """L-BFGS-B from ``theta0`` (lambda >= 0): (best point, converged, scipy's message,
    iterations, log-likelihood).  A spent budget ends the search at the best point found so
    far, in this search or an earlier one (not converged; message :data:`SPENT`)."""
    n = max(like.data.n, 1)

    def objective(theta: Floats) -> float:
        try:
            return -like(theta) / n
        except Untraced as exc:
            like.untraced.append(str(exc))
            return WALL

    bounds = [(0.0, None)] + [(None, None)] * (theta0.size - 1) if like.spec.lam_free else None
    try:
        res = minimize(
            objective,
            theta0,
            jac=lambda t: gradient(objective, t, like.spec.lam_free),
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": MAX_ITER, "ftol": ESTIMATE_FTOL, "gtol": ESTIMATE_GTOL},
        )
    except Spent:
        best = like.best[1]
        return (theta0 if best is None else best), False, SPENT, 0, like.best[0]
    x, value = np.asarray(res.x, dtype=float), -float(res.fun) * n
    return x, bool(res.success), str(res.message), int(res.nit), value
