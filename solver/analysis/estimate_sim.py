"""Choices simulated from a model's logit QRE (or strategic probit): data with known lambda and parameters, to check
that :func:`solver.analysis.estimate.estimate` recovers them (and for the README's example).

Each of ``n`` observations is one play drawn from the principal-branch logit QRE at ``lam``
(McKelvey & Palfrey 1995; the agent QRE on a tree, McKelvey & Palfrey 1998): a profile of a
strategic game, or a play of a tree (chance's moves included) listed per player as the CSV
reader expects (:mod:`solver.formats.choices`).

>>> from solver.formats import load
>>> cols, rows = simulate(load("syria_deconfliction"), 0.5, 1000, seed=1)
>>> cols, sum(c for _, c in rows), rows[0]
(('Israel', 'Russia'), 1000, (('Tolerate', 'Acquiesce'), 323))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from solver.core.symbolic import Model
from solver.equilibria.qre.form import start
from solver.equilibria.qre.probit_tree import log_behaviour
from solver.equilibria.qre.trace import trace
from solver.formats.choices import THEN

from .estimate_data import structure
from .estimate_link import LOGIT, link_plan


def outcome_probabilities(
    model: Model, lam: float, values: Mapping[str, Any] | None = None, link: str = LOGIT
) -> tuple[Any, Any]:
    """(the :class:`~.estimate_data.Structure`, each outcome's probability at the QRE with
    ``link``'s errors)."""
    fixed = {k: float(v) for k, v in model.values(values).items()}
    st = structure(model, fixed)
    plan = link_plan(model, fixed, link)
    if plan is not None:
        y = log_behaviour(plan, st.form.payoffs, lam)
    elif lam == 0:
        y = start(st.form)
    else:
        tr = trace(st.form, lam, [lam])
        if 0 not in tr.hits:
            raise ValueError(f"the principal branch could not be traced to lambda = {lam:g} ({tr.status})")
        y = tr.hits[0][:-1]
    logs = st.form.log_chance + y @ st.form.incidence.T
    p = np.exp(logs)
    return st, p / p.sum()


def simulate(
    model: Model, lam: float, n: int, values: Mapping[str, Any] | None = None, *, seed: int = 0, link: str = LOGIT
) -> tuple[tuple[str, ...], list[tuple[tuple[str, ...], int]]]:
    """``n`` plays drawn (seeded) from the logit QRE at ``lam`` (``link="probit"``: Signorino's
    strategic probit, perfect-information trees): (columns, [(labels, count)]) per outcome in the
    model's order, zero counts included."""
    st, p = outcome_probabilities(model, lam, values, link)
    counts = np.random.default_rng(seed).multinomial(n, p)
    rows = [(tuple(f" {THEN} ".join(seq) for seq in out), int(c)) for out, c in zip(st.outcomes, counts, strict=True)]
    return st.columns, rows
