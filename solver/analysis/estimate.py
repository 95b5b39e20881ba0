"""Maximum-likelihood estimation of the logit quantal response equilibrium from observed choices.

``estimate(model, data, free="lambda,iran_cost")`` fits lambda (the precision of the logit
choice) and, optionally, model parameters (each a constant, or a linear function of covariates:
``iran_cost~1+x``) to observed choices: the log-likelihood of every observation under the logit
QRE on the principal branch (McKelvey & Palfrey 1995, "Quantal response equilibria for normal
form games", GEB 10:6-38; the agent QRE on trees, McKelvey & Palfrey 1998, Experimental
Economics 1:9-41), maximised by scipy's L-BFGS-B with lambda >= 0.  Standard errors come from the
observed information (the numerical Hessian at the optimum); the likelihood-ratio test is against
lambda = 0 (uniform play).  Covariates make it Signorino's (1999, "Strategic interaction and the
statistical analysis of international conflict", APSR 93:279-297) strategic logit: each
observation's game has its own payoffs; ``link="probit"`` fits his strategic probit instead
(perfect-information trees: :mod:`solver.analysis.estimate_link`).

>>> from solver.formats import load
>>> from solver.formats.choices import parse_choices
>>> m = load("syria_deconfliction")
>>> csv = "Israel,Russia,count\\nTolerate,Acquiesce,40\\nTolerate,Confront,10\\n" + (
...     "Strike,Acquiesce,30\\nStrike,Confront,20\\n")
>>> r = estimate(m, parse_choices(csv, "c.csv", dict(zip(m.players, m.strategies))))
>>> round(r.value("lambda"), 4), round(r.loglik, 3), r.n, r.converged
(1.6119, -130.616, 100, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import chi2, norm

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import ParameterError, SolverError
from solver.core.symbolic import Model
from solver.core.tolerances import ESTIMATE_AGREE, ESTIMATE_HESSIAN_STEP
from solver.equilibria.qre.form import start
from solver.formats.choices import Choices, ChoicesError, read_choices

from .estimate_data import LAMBDA, cells, check_identified, parse_free, structure
from .estimate_fit import SPENT, Likelihood, Spent, Untraced, default_start, first_guesses, hessian, maximise
from .estimate_link import LOGIT, link_plan, method_text


@dataclass(frozen=True)
class Estimate:
    """One coefficient: value, standard error (None where the information is singular or the
    estimate is on lambda's boundary), z, two-sided p-value and 95% interval (None likewise)."""

    name: str
    value: float
    se: float | None
    z: float | None = None
    p_value: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class EstimationResult:
    """What :func:`estimate` found, with the honest flags (``converged``, ``limits``)."""

    model: str
    source: str
    estimates: tuple[Estimate, ...]
    loglik: float
    n: int
    #: the likelihood-ratio test against lambda = 0: (statistic, df, p-value); None when lambda is fixed
    lr_test: tuple[float, int, float] | None
    loglik_null: float
    converged: bool
    method: str
    #: observed cells: the labels chosen, the count, the fitted probability (without covariates)
    cells: tuple[tuple[tuple[tuple[str, ...], ...], int, float], ...] = ()
    columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    time_budget: float | None = None
    evaluations: int = 0
    covariance: tuple[tuple[float, ...], ...] | None = field(default=None, repr=False)
    link: str = LOGIT

    def value(self, name: str) -> float:
        """The estimate of ``name`` (``lambda``, a parameter, or ``param:covariate``)."""
        return next(e.value for e in self.estimates if e.name == name)

    def se(self, name: str) -> float | None:
        return next(e.se for e in self.estimates if e.name == name)


def _fixed(model: Model, values: Mapping[str, Any] | None) -> tuple[dict[str, float], float | None]:
    vals = dict(values or {})
    lam = vals.pop(LAMBDA, None)
    fixed = {k: float(v) for k, v in model.values(vals).items()}
    if lam is None:
        return fixed, None
    try:
        lam_value = float(lam) if isinstance(lam, int | float) else float(Fraction(str(lam).strip()))
    except (TypeError, ValueError, ZeroDivisionError):
        raise ParameterError(f"lambda = {lam!r} is not a number") from None
    if not lam_value >= 0 or not np.isfinite(lam_value):
        raise ParameterError(f"lambda = {lam!r} must be a finite number >= 0")
    return fixed, lam_value


def _estimates(names: Sequence[str], theta: Any, cov: Any) -> tuple[Estimate, ...]:
    out = []
    crit = float(norm.ppf(0.975))
    for i, name in enumerate(names):
        value = float(theta[i])
        if cov is None or not cov[i, i] > 0:
            out.append(Estimate(name, value, None))
            continue
        se = float(np.sqrt(cov[i, i]))
        z = value / se
        out.append(Estimate(name, value, se, z, float(2 * norm.sf(abs(z))), value - crit * se, value + crit * se))
    return tuple(out)


def estimate(
    model: Model | str,
    data: Choices | str | Path,
    free: str | Sequence[str] = LAMBDA,
    values: Mapping[str, Any] | None = None,
    *,
    budget: Budget | None = None,
    timeout: float | None = None,
    link: str = LOGIT,
) -> EstimationResult:
    """Fit ``free`` (``"lambda,iran_cost"``, ``"lambda,iran_cost~1+x"``) to the choices in
    ``data`` (a :class:`~solver.formats.choices.Choices` or a CSV path) by maximum likelihood;
    ``model`` a :class:`~solver.core.symbolic.Model` or a shipped model's name or path;
    the other parameters at the model's values with ``values`` (``values["lambda"]`` fixes
    lambda when it is not free).  A budget that runs out returns the best point found,
    ``converged=False``, with a limit saying so.  ``link``: ``"logit"`` (the QRE) or
    ``"probit"`` (Signorino's strategic probit; perfect-information trees only)."""
    if isinstance(model, str):
        from solver.formats import load

        model = load(model)
    budget = Budget.of(budget, timeout)
    spec = parse_free(free, model.parameter_names)
    fixed, lam = _fixed(model, values)
    if spec.lam_free and lam is not None:
        raise ParameterError(
            "lambda is both free and set (--free includes lambda by default): name only the parameters "
            "to fit in --free, or drop --set lambda"
        )
    if not spec.lam_free and lam is None:
        raise ParameterError("lambda is neither free nor set: add it to --free or --set lambda=L")
    check_identified(model, spec)
    plan = link_plan(model, fixed, link)
    st = structure(model, fixed)
    if not isinstance(data, Choices):
        chance = st.labels.get("chance", ()) if st.is_tree else ()
        players = {p: st.labels[p] for p in model.players}
        data = read_choices(data, players, chance=chance, covariates=spec.covariates, sequences=st.is_tree)
    missing = [c for c in spec.covariates if c not in data.covariates]
    if missing:
        raise ChoicesError(f"missing covariate column {missing[0]!r}", source=data.source)
    obs = cells(st, data, spec.covariates)
    k = len(spec.names)
    notes: list[str] = []
    if obs.n < k + 1:
        raise ChoicesError(
            f"too few observations: {obs.n} for {k} free coefficients (at least {k + 1} needed)", source=data.source
        )
    occupied = {tuple(np.flatnonzero(obs.mask[c] == 0)) for c in range(len(obs.count)) if obs.count[c] > 0}
    if len(occupied) == 1:
        labels = next(obs.labels[c] for c in range(len(obs.count)) if obs.count[c] > 0)
        cell = ", ".join(" > ".join(s) for s in labels if s)
        raise ChoicesError(
            f"all {obs.n} observations are in one cell ({cell}): lambda and the parameters are not identified "
            "from a single cell (the fit would run to an edge: lambda 0 or without bound)",
            source=data.source,
        )
    index = tuple(model.parameter_names.index(p) for p, _ in spec.terms)
    base = np.asarray([fixed[p] for p in model.parameter_names], dtype=float)
    like = Likelihood(st, obs, spec, base, index, lam, budget, plan=plan)
    spread = float(np.ptp(st.form.payoffs)) or 1.0
    limits: list[str] = []
    ranges = [(float(model.parameter(p).low), float(model.parameter(p).high)) for p, _ in spec.terms]
    try:
        starts = first_guesses(like, spread, ranges)
    except Spent:
        starts = [like.best[1] if like.best[1] is not None else default_start(like, spread)]
    runs = []
    for i, theta0 in enumerate(starts):
        budget.report("maximum-likelihood search", i / len(starts))
        runs.append(maximise(like, theta0))
        if runs[-1][2] == SPENT:
            break
        if len(runs) > 1 and abs(runs[-1][4] - runs[0][4]) <= ESTIMATE_AGREE * abs(runs[0][4]):
            break  # two starts found the same maximum
    theta, converged, message, iterations, _ = runs[-1] if runs[-1][2] == SPENT else max(runs, key=lambda r: r[4])
    if message == SPENT:
        limits.append(budget.limit("the maximum-likelihood search", "points beyond the best found so far"))
    elif not converged:
        notes.append(f"L-BFGS-B did not report convergence: {message}")
    cov = None
    if spec.lam_free and theta[0] < 2 * ESTIMATE_HESSIAN_STEP * max(1.0, abs(theta[0])):
        notes.append("lambda is on its boundary (0): no standard errors (the information is not defined there)")
    elif not limits:
        try:
            budget.report("standard errors (observed information)", 0.9)
            cov = _covariance(like, theta, notes)
        except Spent:
            limits.append(budget.limit("the standard errors", "the observed information"))
    like.budget = UNBOUNDED  # the answer's own log-likelihood and fitted cells: one more QRE
    try:
        loglik = like(theta)
    except Untraced as exc:
        raise SolverError(f"the logit QRE cannot be traced at the estimates: {exc}") from None
    null = float(obs.count @ _null_cells(like))
    lr = None
    if spec.lam_free:
        stat = max(0.0, 2 * (loglik - null))
        if k == 1:  # lambda = 0 is on the boundary: the statistic is 1/2 chi2(0) + 1/2 chi2(1)
            lr = (stat, k, 0.5 * float(chi2.sf(stat, k)) if stat > 0 else 1.0)
            notes.append("LR test: lambda = 0 is on the boundary, p from 1/2 chi2(0) + 1/2 chi2(1) (Self & Liang 1987)")
        else:
            lr = (stat, k, float(chi2.sf(stat, k)))
            notes.append(
                f"LR test: df = {k}, every coefficient (at lambda = 0 play is uniform whatever the "
                "parameters, so the chi-square reference is approximate: Davies 1987)"
            )
    notes += _range_notes(model, spec, theta)
    notes += [f"columns not used: {', '.join(data.unused)}"] if data.unused else []
    notes += sorted(set(like.untraced))[:3]
    fitted: tuple[tuple[tuple[tuple[str, ...], ...], int, float], ...] = ()
    if obs.covariates.shape[0] == 1:
        probs = np.exp(like.outcome_logs(theta))[0]
        fitted = tuple(
            (obs.labels[c], int(obs.count[c]), float(probs[obs.mask[c] == 0].sum())) for c in range(len(obs.count))
        )
    return EstimationResult(
        model=model.name,
        source=data.source,
        estimates=_estimates(spec.names, theta, cov),
        loglik=loglik,
        n=obs.n,
        lr_test=lr,
        loglik_null=null,
        converged=converged and not limits,
        method=f"maximum likelihood, {method_text(st.is_tree, link)}; L-BFGS-B "
        f"({iterations} iterations); standard errors from the observed information (central differences)",
        cells=fitted,
        columns=data.columns,
        notes=tuple(notes),
        limits=tuple(limits),
        time_budget=budget.seconds,
        evaluations=like.evaluations,
        covariance=None if cov is None else tuple(tuple(float(v) for v in row) for row in cov),
        link=link,
    )


def _covariance(like: Likelihood, theta: Any, notes: list[str]) -> Any:
    """The inverse of the observed information (minus the numerical Hessian), or None (with a
    note) where it is not positive definite."""
    try:
        info = -hessian(like, theta)
    except Untraced:
        notes.append("the logit QRE could not be traced next to the estimates: no standard errors")
        return None
    if np.all(np.isfinite(info)) and np.all(np.linalg.eigvalsh((info + info.T) / 2) > 0):
        return np.linalg.inv(info)
    notes.append(
        "the observed information is not positive definite: some coefficients are not identified by these "
        "data (no standard errors)"
    )
    return None


def _null_cells(like: Likelihood) -> Any:
    """Per cell the log-probability at lambda = 0 (uniform play, chance as it is)."""
    form = like.structure.form
    logs = form.log_chance + start(form) @ form.incidence.T
    return np.asarray([float(np.logaddexp.reduce(logs + m)) for m in like.data.mask])


def _range_notes(model: Model, spec: Any, theta: Any) -> list[str]:
    out = []
    k = 1 if spec.lam_free else 0
    for name, covs in spec.terms:
        if covs == ("",):
            p = model.parameter(name)
            if not float(p.low) <= float(theta[k]) <= float(p.high):
                out.append(
                    f"{name} = {float(theta[k]):.6g} lies outside its declared range "
                    f"[{float(p.low):g}, {float(p.high):g}]"
                )
        k += len(covs)
    return out
