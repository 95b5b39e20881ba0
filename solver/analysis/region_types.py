"""The values :func:`solver.analysis.regions.regions` returns: closed-form equilibrium branches
and the regions where they exist.

>>> import sympy as sp
>>> from solver.core.expr import symbol
>>> T = symbol("T")
>>> e = RegionEquilibrium(((0,), (0,)), ((1, 0), (1, 0)), (3, 3), (T <= 3,), ((3 - T, False),))
>>> e.holds({"T": 2}), e.holds({"T": 4})
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from solver.core.symbolic import Model


@dataclass(frozen=True, eq=False)
class RegionEquilibrium:
    """One equilibrium branch: closed-form strategies/payoffs and where it exists."""

    support: tuple[tuple[int, ...], ...]
    #: strategies[i][k]: probability (sympy expression) that player i plays strategy k
    strategies: tuple[tuple[Any, ...], ...]
    payoffs: tuple[Any, ...]
    #: readable sympy relationals; their conjunction is the existence region
    conditions: tuple[Any, ...]
    #: the same as (expr, strict) pairs: expr > 0 or expr >= 0 (for evaluation)
    raw: tuple[tuple[Any, bool], ...]
    #: exact sympy Set of the free parameter (one free parameter only)
    region: Any = None
    degenerate: bool = False

    def describe(self, model: Model) -> str:
        from solver.core.result import describe_support

        return describe_support(model.players, model.strategies, self.support)

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.support)

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Does this equilibrium exist at the point ``values`` (free parameter -> number)?"""
        from solver.analysis.conditions import holds

        return holds(self.raw, _subs(values))

    def at(self, values: Mapping[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """(strategies, payoffs) as exact sympy numbers at the point ``values``."""
        s = _subs(values)
        return (
            tuple(tuple(v.xreplace(s) for v in vec) for vec in self.strategies),
            tuple(v.xreplace(s) for v in self.payoffs),
        )


@dataclass(frozen=True, eq=False)
class Regions:
    """Every equilibrium of ``model`` as a function of ``free`` (the others fixed at ``fixed``)."""

    model: Model
    free: tuple[str, ...]
    fixed: Mapping[str, Fraction]
    equilibria: tuple[RegionEquilibrium, ...]
    closed_form: bool = True
    complete: bool = True
    notes: tuple[str, ...] = ()
    #: (support, reason) of each support without a closed form
    unsolved: tuple[tuple[Any, str], ...] = ()
    #: numeric fallback: (signature, share of sampled points, an example point)
    numeric: tuple[tuple[str, float, dict[str, float]], ...] = ()
    bounds: Mapping[str, tuple[Fraction, Fraction]] = field(default_factory=dict)
    #: what the time budget left unsearched, in words; empty when nothing
    limits: tuple[str, ...] = ()
    #: the time budget in seconds the analysis ran under (``None``: unbounded)
    time_budget: float | None = None

    def at(self, values: Mapping[str, Any]) -> list[RegionEquilibrium]:
        """The branches that exist at a point of the free parameters."""
        return [e for e in self.equilibria if e.holds(values)]

    def signature(self, values: Mapping[str, Any]) -> str:
        """The equilibrium set at a point, in the words of ``Result.signature()``."""
        parts = sorted(e.describe(self.model) for e in self.at(values))
        return " + ".join(parts) if parts else "none"


def _subs(values: Mapping[str, Any]) -> dict[Any, Any]:
    import sympy as sp

    from solver.core.expr import symbol
    from solver.core.game import to_fraction

    out = {}
    for k, v in values.items():
        f = to_fraction(v) if not isinstance(v, sp.Basic) else v
        out[symbol(k)] = sp.Rational(f.numerator, f.denominator) if isinstance(f, Fraction) else f
    return out
