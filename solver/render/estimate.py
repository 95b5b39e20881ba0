"""``redline estimate`` output: the JSON document and a statsmodels-style coefficient table.

The table follows statsmodels' ``summary()`` layout (Seabold & Perktold 2010): a header block
(model, data, observations, log-likelihood, the likelihood-ratio test against lambda = 0), one
row per coefficient with ``coef``, ``std err``, ``z``, ``P>|z|`` and the 95% interval, then the
observed and fitted frequency of each observed cell, the notes and the limits.

>>> from solver.analysis.estimate import Estimate, EstimationResult
>>> r = EstimationResult("m", "c.csv", (Estimate("lambda", 0.5, 0.1, 5.0, 5.7e-7, 0.304, 0.696),),
...                      -10.0, 20, (4.2, 1, 0.04), -12.1, True, "ML")
>>> estimate_doc(r)["estimates"]["lambda"]["se"], estimate_doc(r)["lr_test"]["df"]
(0.1, 1)
>>> print(estimate_table(r).splitlines()[8])
lambda           0.5000      0.1000      5.000     0.000      0.3040      0.6960
"""

from __future__ import annotations

from typing import Any

from solver.analysis.estimate import EstimationResult

RULE = 80
#: the table's title per link
TITLES = {"logit": "Logit QRE", "probit": "Strategic probit"}


def _opt(x: float | None) -> float | None:
    return None if x is None else float(x)


def estimate_doc(r: EstimationResult) -> dict[str, Any]:
    """The JSON document: ``estimates`` (name -> value, se, z, p_value, ci_95), ``loglik``,
    ``n``, ``lr_test``, the fitted cells, ``link`` (logit or probit), and the house flags."""
    return {
        "model": r.model,
        "data": r.source,
        "estimates": {
            e.name: {
                "value": e.value,
                "se": _opt(e.se),
                "z": _opt(e.z),
                "p_value": _opt(e.p_value),
                "ci_95": None if e.low is None or e.high is None else [e.low, e.high],
            }
            for e in r.estimates
        },
        "loglik": r.loglik,
        "loglik_null": r.loglik_null,
        "n": r.n,
        "lr_test": None
        if r.lr_test is None
        else {"statistic": r.lr_test[0], "df": r.lr_test[1], "p_value": r.lr_test[2]},
        "covariance": None if r.covariance is None else [list(row) for row in r.covariance],
        "cells": [
            {
                "choices": dict(zip(r.columns, [" > ".join(s) for s in labels], strict=True)),
                "count": count,
                "observed": count / r.n if r.n else None,
                "fitted": fitted,
            }
            for labels, count, fitted in r.cells
        ],
        "link": r.link,
        "method": r.method,
        "converged": r.converged,
        "evaluations": r.evaluations,
        "notes": list(r.notes),
        "limits": list(r.limits),
        "time_budget": r.time_budget,
    }


def _num(x: float | None, spec: str) -> str:
    return "" if x is None else format(x, spec)


def estimate_table(r: EstimationResult) -> str:
    """The coefficient table (see the module docstring)."""
    lr = r.lr_test
    lr_text = "n/a (lambda fixed)" if lr is None else f"chi2({lr[1]}) = {lr[0]:.3f}, p = {lr[2]:.4g}"
    if lr is not None and not r.converged:
        lr_text += " (not at the maximum)"
    width = max([14, *(len(e.name) + 2 for e in r.estimates)])
    rule = max(RULE, width + 66)
    head = [
        f"{TITLES.get(r.link, r.link)} maximum-likelihood estimates: {r.model}",
        "=" * rule,
        f"{'Data:':<16}{r.source}",
        f"{'Observations:':<16}{r.n:<24}{'Log-likelihood:':<17}{r.loglik:.4f}",
        f"{'Converged:':<16}{'yes' if r.converged else 'NO':<24}{'LR vs lambda=0:':<17}{lr_text}",
        "=" * rule,
        f"{'':<{width}}{'coef':>9}{'std err':>12}{'z':>11}{'P>|z|':>10}{'[0.025':>12}{'0.975]':>12}",
    ]
    rows = [
        f"{e.name:<{width}}{e.value:>9.4f}{_num(e.se, '.4f'):>12}{_num(e.z, '.3f'):>11}{_num(e.p_value, '.3f'):>10}"
        f"{_num(e.low, '.4f'):>12}{_num(e.high, '.4f'):>12}".rstrip()
        for e in r.estimates
    ]
    out = [*head, "-" * rule, *rows, "=" * rule]
    if r.cells:
        out.append(f"{'observed cell':<50}{'count':>8}{'observed':>11}{'fitted':>11}")
        for labels, count, fitted in r.cells:
            name = ", ".join(" > ".join(s) if s else "-" for s in labels)
            share = count / r.n if r.n else 0.0
            out.append(f"{name[:49]:<50}{count:>8}{share:>11.4f}{fitted:>11.4f}")
        out.append("-" * rule)
    out.append(f"Method: {r.method}")
    out += [f"Note: {n}" for n in r.notes]
    out += [f"LIMIT: {lim}" for lim in r.limits]
    return "\n".join(out)
