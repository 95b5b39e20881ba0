"""Signature bisection: the one kernel that narrows a change of the equilibrium set in a parameter.

Each bracket ``[lo, hi]`` has the equilibrium signature ``sig_lo`` at ``lo`` and another at ``hi``;
the midpoint of every bracket is solved at once and replaces the end whose signature it shares,
until every bracket is at most :data:`solver.core.tolerances.BOUNDARY` wide (the bisection method,
Burden & Faires, *Numerical Analysis*, 2.1, applied to the indicator "signature differs from
``sig_lo``").  A degenerate midpoint lies on the red line itself: the bracket narrows towards it,
but the far side keeps the generic signature beyond it.  The sweep boundaries
(:mod:`solver.sweep.boundaries`, float brackets, batched engine) and the numeric thresholds
(:mod:`solver.analysis.thresholds`, exact ``Fraction`` brackets, exact solver) both call it.

The prisoner's dilemma with temptation ``T`` (reward 3): cooperation is an equilibrium iff
``T <= 3``, so the red line is ``T = 3``:

>>> import numpy as np
>>> def pd(t):
...     sig = np.where(t < 3, "C + D", np.where(t > 3, "D", "tie")).astype(object)
...     return sig, t == 3
>>> lo, hi, after = bisect_signatures(np.array([2.0]), np.array([4.5]), np.array(["C + D"], dtype=object),
...                                   np.array(["D"], dtype=object), pd)
>>> bool(abs((lo[0] + hi[0]) / 2 - 3) <= tolerances.BOUNDARY), after[0]
(True, 'D')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances

Array = npt.NDArray[Any]
#: midpoints -> (signature of each, whether each is degenerate)
Signatures = Callable[[Array], tuple[Array, Array]]

#: at most this many halvings (a float bracket cannot halve much more before it stops shrinking)
MAX_STEPS = 200


def halve(lo: Array, hi: Array) -> Array:
    """The midpoint of every bracket."""
    return (lo + hi) / 2  # type: ignore[no-any-return]


def bisect_signatures(
    lo: Array,
    hi: Array,
    sig_lo: Array,
    sig_hi: Array,
    signatures: Signatures,
    width: float = tolerances.BOUNDARY,
    midpoint: Callable[[Array, Array], Array] = halve,
) -> tuple[Array, Array, Array]:
    """Narrow every bracket ``[lo, hi]`` (signature ``sig_lo`` at ``lo``) to ``width``.

    Returns the narrowed ``(lo, hi)`` and the generic signature just beyond each red line
    (``sig_hi``, updated by every non-degenerate midpoint on the far side).  ``lo`` and ``hi`` may
    hold floats or exact ``Fraction`` objects; ``midpoint`` chooses the points solved.
    """
    for _ in range(MAX_STEPS):
        if np.all(hi - lo <= width):
            break
        mid = midpoint(lo, hi)
        sig_mid, degenerate = signatures(mid)
        same = sig_mid == sig_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
        sig_hi = np.where(same | degenerate, sig_hi, sig_mid)
    return lo, hi, sig_hi
