"""Shared helpers for the symbolic-analysis tests (numeric solve at exact points, random points)."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from conftest import exact_reference

from solver.core.symbolic import Model, evaluate


def numeric(model: Model, point: dict[str, Any]) -> Any:
    """The exact numeric solve at ``point``, by a solver that is not a batched kernel."""
    return exact_reference(evaluate(model, point))


def random_point(model: Model, names: list[str], rng: random.Random) -> dict[str, Fraction]:
    """A random rational point of the box of ``names`` (odd denominators: generic with high probability)."""
    out = {}
    for n in names:
        p = model.parameter(n)
        out[n] = p.low + (p.high - p.low) * Fraction(rng.randrange(1, 9973), 9973)
    return out
