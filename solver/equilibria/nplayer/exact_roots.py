"""Exact rational roots from certified float ones: Newton's method in rationals, then continued
fractions.

A root certified by subdivision (:mod:`.subdivision`) is known to about 16 digits.  If it is
rational, ``p/q``, it is a convergent of the continued fraction of any approximation closer than
``1 / (2 q**2)`` (Legendre's theorem; Khinchin 1964, Theorem 19).  Each exact Newton step on the
integer system doubles the digits (quadratic convergence at a simple root), so after ``k`` steps
denominators up to about ``2**(26 * 2**k)`` are recovered; iterates are rounded to twice the
digits they carry, which keeps the rationals small.  A candidate counts only if it solves the
system *exactly*; otherwise the root stays a float (irrational, or a rational too large to
recover in ``STEPS`` steps).

>>> polys = [{(1, 0): 3, (0, 0): -1}, {(1, 1): 7, (0, 0): -2}]   # 3x = 1, 7xy = 2
>>> rational_root(polys, [0.3333333333333333, 0.857142857142857])
(Fraction(1, 3), Fraction(6, 7))
>>> rational_root([{(2,): 1, (0,): -2}], [1.4142135623730951]) is None   # x**2 = 2
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from solver.core.linalg import solve_unique

Poly = dict[tuple[int, ...], int]

#: exact Newton steps tried before a root is left as a float
STEPS = 3
#: the cheap first tries: denominators a person would write
SMALL = (100, 10_000)


def value(poly: Poly, x: Sequence[Fraction]) -> Fraction:
    """``poly`` at ``x``, exactly."""
    total = Fraction(0)
    for exps, c in poly.items():
        term = Fraction(c)
        for v, e in zip(x, exps, strict=True):
            if e:
                term *= v**e
        total += term
    return total


def _derivative(poly: Poly, var: int) -> Poly:
    out: Poly = {}
    for exps, c in poly.items():
        e = exps[var]
        if e:
            key = (*exps[:var], e - 1, *exps[var + 1 :])
            out[key] = out.get(key, 0) + c * e
    return out


def _solves(polys: Sequence[Poly], x: Sequence[Fraction]) -> bool:
    return all(value(p, x) == 0 for p in polys)


def rational_root(polys: Sequence[Poly], approx: Sequence[float], steps: int = STEPS) -> tuple[Fraction, ...] | None:
    """The exact rational root near ``approx`` (a simple root of the square system ``polys``), or
    ``None`` when none is found within ``steps`` exact Newton steps."""
    m = len(approx)
    for bound in SMALL:
        q = tuple(Fraction(float(v)).limit_denominator(bound) for v in approx)
        if _solves(polys, q):
            return q
    jac = [[_derivative(p, v) for v in range(m)] for p in polys]
    x = [Fraction(float(v)) for v in approx]
    for k in range(steps):
        step = solve_unique([[value(d, x) for d in row] for row in jac], [value(p, x) for p in polys])
        if step is None:
            return None
        bits = 53 * 2 ** (k + 1)
        scale = 2**bits
        x = [Fraction(round((xi - di) * scale), scale) for xi, di in zip(x, step, strict=True)]
        q = tuple(v.limit_denominator(2 ** (bits // 2 - 4)) for v in x)
        if _solves(polys, q):
            return q
    return None
