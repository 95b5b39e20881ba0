"""Tie bands of scanned thresholds: where the numeric scan sees one red line twice.

A scanned threshold (no closed form; game trees) is bisected to :data:`~solver.core.tolerances.THRESHOLD`.
At the red line itself two choices tie and the solver, with its tie tolerance, reports both
choices' equilibria over a band about 1e-12 wide.  Bisection then finds two crossings a hair
apart (into the band and out of it), and at either end of the range a band becomes a "threshold"
a hair inside it.  :func:`merge_tie_bands` makes each such pair one red line whose ``at`` is the
band's regime, placed at the simplest rational in the band, and drops the bands at the range's
ends (a tie at an end point is not a red line inside the range, as for the exact thresholds).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from solver.core import tolerances


def simplest_between(a: Fraction, b: Fraction) -> Fraction:
    """The rational of least denominator in ``[a, b]`` (Stern-Brocot descent by continued fractions).

    >>> simplest_between(Fraction(17999999999999, 10**12), Fraction(18000000000001, 10**12))
    Fraction(18, 1)
    >>> simplest_between(Fraction(3999, 10000), Fraction(4001, 10000))
    Fraction(2, 5)
    """
    if a > b:
        a, b = b, a
    if a <= 0 <= b:
        return Fraction(0)
    if b < 0:
        return -simplest_between(-b, -a)
    fl = a.numerator // a.denominator
    if Fraction(fl) == a or fl + 1 <= b:
        return Fraction(fl if Fraction(fl) == a else fl + 1)
    # a and b share the integer part fl: recurse on the reciprocals of the fractional parts
    return fl + 1 / simplest_between(1 / (b - fl), 1 / (a - fl))


def merge_tie_bands(found: Sequence[Any], low: Fraction, high: Fraction) -> list[Any]:
    """``found`` (scanned :class:`~solver.analysis.thresholds.Threshold` values, in order) with
    each tie band made one red line and the bands at the range's ends dropped."""
    band = Fraction(tolerances.TIE_BAND) * (high - low)
    out: list[Any] = []
    for t in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.after == t.before
            and Fraction(t.value) - Fraction(prev.value) <= band
            and "time budget" not in prev.note + t.note
        ):
            v = simplest_between(Fraction(prev.value), Fraction(t.value))
            out[-1] = dataclasses.replace(
                prev, value=v, decimal=float(v), after=t.after, at=prev.after, degenerate=True,
                note="no closed form: located numerically by bisection (both choices' equilibria hold "
                "on a tie band narrower than the solver's tolerance)",
            )
        else:
            out.append(t)
    return [t for t in out if Fraction(t.value) - low > band and high - Fraction(t.value) > band]
