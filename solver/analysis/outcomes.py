"""One outcome (a pure profile) tracked through the analyses: its name on the command line, its
probability under an equilibrium and that probability's derivative.

Players mix independently (Nash 1951), so the probability of the pure profile ``(s_1, ..., s_n)``
is the product ``p_1(s_1) ... p_n(s_n)``, and by the product rule its derivative is
``sum_i p_i'(s_i) prod_{j != i} p_j(s_j)``.  Where the mixed strategies are rational functions of
the parameters (a support's closed form) the probability is one too, and is differentiated as
a formula.

>>> from fractions import Fraction as F
>>> parse_outcome(("Row", "Column"), (("Stag", "Hare"), ("Stag", "Hare")), "Stag, Hare")
(0, 1)
>>> cell_probability(((F(3, 5), F(2, 5)), (F(2, 3), F(1, 3))), (0, 1))
Fraction(1, 5)
>>> cell_derivative(((F(3, 5), F(2, 5)), (F(2, 3), F(1, 3))), ((0, 0), (F(-1, 12), F(1, 12))), (0, 1))
Fraction(1, 20)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import UsageError

#: the quantiles ``uncertainty --outcome`` reports of an outcome's probability over the draws
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def _example(strategies: Sequence[Sequence[str]]) -> str:
    return ", ".join(s[0] for s in strategies if s)


def parse_outcome(players: Sequence[str], strategies: Sequence[Sequence[str]], text: str) -> tuple[int, ...]:
    """The strategy index of each player in ``text``, one label per player separated by commas
    (``"Strike, Confront"``); anything else is a :class:`UsageError` in one line."""
    if not all(strategies):
        raise UsageError("--outcome needs a model whose strategies are listed (this tree's reduced normal form is not)")
    parts = [t.strip() for t in text.split(",")]
    n = len(players)
    if len(parts) != n or not all(parts):
        who = ", ".join(players)
        raise UsageError(
            f"--outcome {text.strip()[:80]!r} does not name one strategy for each of the {n} players "
            f"({who}): give them in that order, e.g. --outcome {_example(strategies)!r}"
        )
    out = []
    for p, labels, part in zip(players, strategies, parts, strict=True):
        if part not in labels:
            shown = ", ".join(labels[:8]) + (", ..." if len(labels) > 8 else "")
            raise UsageError(f"--outcome: {part[:40]!r} is not a strategy of {p} ({shown})")
        out.append(list(labels).index(part))
    return tuple(out)


def outcome_label(strategies: Sequence[Sequence[str]], cell: Sequence[int]) -> str:
    return ", ".join(s[k] for s, k in zip(strategies, cell, strict=True))


def cell_probability(vectors: Sequence[Sequence[Any]], cell: Sequence[int]) -> Any:
    """``prod_i vectors[i][cell[i]]`` (exact where the vectors are; sympy values too)."""
    out: Any = 1
    for vec, k in zip(vectors, cell, strict=True):
        out = out * vec[k]
    return out


def cell_derivative(vectors: Sequence[Sequence[Any]], derivatives: Sequence[Sequence[Any]], cell: Sequence[int]) -> Any:
    """The product rule: ``sum_i d_i(s_i) prod_{j != i} p_j(s_j)``; ``None`` where a needed
    strategy derivative does not exist (``None``, e.g. at a degenerate point)."""
    total: Any = 0
    for i, k in enumerate(cell):
        d = derivatives[i][k]
        rest = cell_probability([v for j, v in enumerate(vectors) if j != i], [c for j, c in enumerate(cell) if j != i])
        if rest == 0:
            continue
        if d is None:
            return None
        total = total + d * rest
    return total


@dataclass(frozen=True)
class Spread:
    """An outcome's probability over many points (the draws of ``uncertainty``)."""

    label: str
    points: int
    mean: float
    sd: float
    quantiles: tuple[tuple[float, float], ...]  # (q, value)
    p_positive: float  # share of the points where the outcome has positive probability

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.label,
            "points": self.points,
            "mean": self.mean,
            "sd": self.sd,
            "quantiles": {f"{q:g}": v for q, v in self.quantiles},
            "share_positive": self.p_positive,
        }


def spread(label: str, values: npt.NDArray[np.float64], zero: float = 0.0) -> Spread:
    """Mean, standard deviation and :data:`QUANTILES` of ``values`` (one probability per point).

    >>> s = spread("x", np.array([0.0, 0.5, 1.0]))
    >>> s.mean, s.quantiles[2], round(s.p_positive, 3)
    (0.5, (0.5, 0.5), 0.667)
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return Spread(label, 0, float("nan"), float("nan"), tuple((q, float("nan")) for q in QUANTILES), float("nan"))
    qs = np.quantile(v, QUANTILES)
    sd = float(v.std(ddof=1)) if v.size > 1 else 0.0
    return Spread(
        label, int(v.size), float(v.mean()), sd,
        tuple((q, float(x)) for q, x in zip(QUANTILES, qs, strict=True)), float((v > zero).mean()),
    )


@dataclass(frozen=True)
class OutcomeSensitivity:
    """P(outcome) under one equilibrium at the point, exactly, and its derivative and elasticity
    with respect to each parameter; ``formula`` (and ``formulas``, its derivatives) where the
    support has a closed form in the parameters."""

    label: str
    probability: Any
    derivatives: dict[str, Any]
    elasticities: dict[str, Any]
    formula: Any = None
    formulas: dict[str, Any] | None = None


def outcome_sensitivity(eq: Any, strategies: Sequence[Sequence[str]], cell: tuple[int, ...],
                        values: Any) -> OutcomeSensitivity:
    """P(``cell``) under ``eq`` (an :class:`~solver.analysis.sensitivity.EquilibriumSensitivity`)
    and its derivatives by the product rule from the strategies' derivatives; with a closed form
    also the formula of P and of each derivative (sympy, differentiated)."""
    import sympy as sp

    from solver.core.expr import symbol

    p = sp.nsimplify(cell_probability(eq.strategies, cell))
    ders: dict[str, Any] = {}
    els: dict[str, Any] = {}
    for name, d in eq.derivatives.items():
        v = cell_derivative(eq.strategies, d["probabilities"], cell)
        ders[name] = None if v is None else sp.nsimplify(v)
        theta = sp.Rational(values[name].numerator, values[name].denominator)
        els[name] = None if v is None or p == 0 else sp.nsimplify(v * theta / p)
    formula, forms = None, None
    if eq.strategy_formulas is not None:
        formula = sp.factor(sp.cancel(cell_probability(eq.strategy_formulas, cell)))
        forms = {name: sp.factor(sp.cancel(sp.diff(formula, symbol(name)))) for name in eq.derivatives}
    return OutcomeSensitivity(outcome_label(strategies, cell), p, ders, els, formula, forms)
