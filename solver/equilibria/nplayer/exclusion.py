"""Box exclusion: proving that no equilibrium has a given support profile.

Every equation of a support profile's indifference system (McKelvey & McLennan 1996) and every
"off-support strategy is no better" inequality is multilinear in the variables, so its range on a
box is spanned by its values at the box's corners.  Subdividing the unit cube and discarding
boxes where an equation keeps a strict sign, an inequality is strictly violated or a simplex is
left is the exclusion test of Gambit's ``enumpoly``, exact here for multilinear polynomials.
Payoff differences within ``TIE`` (times their scale) count as zero, so rounding never excludes
a box that holds an equilibrium.

>>> import numpy as np
>>> from solver.equilibria.nplayer.supports import indifference_system
>>> pd = [np.array([[3, 0], [5, 1]], dtype=object), np.array([[3, 5], [0, 1]], dtype=object)]
>>> excluded(indifference_system(pd, ((0, 1), (0, 1))), pd)   # prisoner's dilemma: no mixing
True
>>> mp = [np.array([[1, -1], [-1, 1]], dtype=object), np.array([[-1, 1], [1, -1]], dtype=object)]
>>> excluded(indifference_system(mp, ((0, 1), (0, 1))), mp)   # matching pennies mixes
False
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.tolerances import TIE
from solver.equilibria.nplayer.supports import Poly, System, difference_tensor, tensor_poly

Dense = tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.intp], npt.NDArray[np.float64]]


def _dense(poly: Poly, m: int) -> Dense:
    """Coefficients, exponent pattern restricted to the variables the polynomial uses, those
    variables, and the corners of the unit cube over them (a player's own indifference does not
    depend on its own mix: fewer corners to evaluate)."""
    exps = np.array(list(poly) or [(0,) * m], dtype=bool).reshape(-1, m)
    used = np.flatnonzero(exps.any(axis=0))
    corners = np.array(list(np.ndindex(*(2,) * len(used))), dtype=float).reshape(
        2 ** len(used), len(used)
    )
    return _coefficients(list(poly.values())), exps[:, used], used, corners


def _coefficients(values: list[Any]) -> npt.NDArray[np.float64]:
    """The coefficients in floats; where they overflow (integer payoffs of thousands of digits)
    all divided by one power of two first: a common positive factor keeps every sign test."""
    try:
        return np.array([float(c) for c in values] or [0.0])
    except OverflowError:
        from fractions import Fraction

        bits = max(abs(Fraction(c).numerator).bit_length() - Fraction(c).denominator.bit_length() for c in values)
        scale = Fraction(1, 2 ** (bits - 64))
        return np.array([float(Fraction(c) * scale) for c in values])


def _values(dense: Dense, lo: npt.NDArray[np.float64], hi: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Values at every corner (over the used variables) of every box: shape (boxes, corners)."""
    coef, exps, used, corners = dense
    if not used.size:
        return np.full((len(lo), 1), coef.sum())
    pts = lo[:, None, used] + corners[None] * (hi - lo)[:, None, used]
    return np.prod(np.where(exps, pts[..., None, :], 1.0), axis=-1) @ coef  # type: ignore[no-any-return]


def excluded(
    system: System, ints: Sequence[npt.NDArray[Any]], rounds: int = 40, cap: int = 4096
) -> bool:
    """True if no equilibrium can have this support, proven by box subdivision.

    Every equation (and every "off-support strategy is no better" inequality) is multilinear in
    the variables, so its range on a box is spanned by its values at the box's vertices: a box
    where one equation keeps a strict sign, an inequality is strictly violated, or a simplex is
    left, holds no equilibrium (the exclusion test of Gambit's enumpoly, exact here for
    multilinear polynomials).  False means "not proven": the exact solve decides.
    """
    m = sum(system.nvars)
    if m == 0:
        return False
    n = len(system.nvars)
    shape = ints[0].shape
    eqs = [_dense(p, m) for p in system.polys]
    ineq = [
        _dense(
            tensor_poly(
                difference_tensor(ints, system.support, i, k, system.support[i][0]),
                [j for j in range(n) if j != i],
                system.offsets,
                m,
            ),
            m,
        )
        for i in range(n)
        for k in range(shape[i])
        if k not in system.support[i]
    ]
    slack = [TIE * (1.0 + float(np.abs(d[0]).sum())) for d in eqs]
    islack = [TIE * (1.0 + float(np.abs(d[0]).sum())) for d in ineq]
    blocks = [(o, k) for o, k in zip(system.offsets, system.nvars, strict=True) if k]
    lo, hi = np.zeros((1, m)), np.ones((1, m))
    for r in range(rounds):
        keep = np.ones(len(lo), dtype=bool)
        for o, k in blocks:
            keep &= lo[:, o : o + k].sum(axis=1) < 1.0
        lo, hi = lo[keep], hi[keep]
        for d, s, strict in [
            *((d, s, True) for d, s in zip(eqs, slack, strict=True)),
            *((d, s, False) for d, s in zip(ineq, islack, strict=True)),
        ]:
            if not len(lo):
                break
            v = _values(d, lo, hi)
            keep = (v.min(axis=1) <= s) & ((v.max(axis=1) >= -s) if strict else True)
            lo, hi = lo[keep], hi[keep]
        if not len(lo):
            return True
        if r == rounds - 1 or 2 * len(lo) > cap:
            return False
        axis = np.argmax(hi - lo, axis=1)
        mid = (lo[np.arange(len(lo)), axis] + hi[np.arange(len(lo)), axis]) / 2
        lo2, hi1 = lo.copy(), hi.copy()
        lo2[np.arange(len(lo)), axis] = mid
        hi1[np.arange(len(lo)), axis] = mid
        lo, hi = np.concatenate([lo, lo2]), np.concatenate([hi1, hi])
    return False
