"""Existence conditions of a symbolic equilibrium: exact sign analysis and readable inequalities.

A condition is a pair ``(expr, strict)`` meaning ``expr > 0`` (strict) or ``expr >= 0``.  With one
free parameter the conjunction is turned into an exact set (a union of intervals) by sign
analysis between the real roots of every numerator and denominator, the method of cylindrical
decomposition in one variable (Collins 1975); with several, each condition is kept as one
polynomial inequality, rewritten readably (``v > c + 2`` rather than ``v - c - 2 > 0``).

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> univariate_set([(x - 2, True), (14 - x, False)], x, 0, 20)
Interval.Lopen(2, 14)
>>> set_conditions(univariate_set([(x - 2, True), (14 - x, False)], x, 0, 20), x, 0, 20)
[x > 2, x <= 14]
>>> readable(x - 2, True, (x,))
x > 2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import product
from typing import Any

import sympy as sp

from solver.core import tolerances
from solver.core.expr import to_sympy

Condition = tuple[Any, bool]


def rational_parts(expr: Any) -> tuple[Any, Any]:
    """(numerator, denominator) of ``expr`` after cancelling common factors."""
    return sp.fraction(sp.cancel(sp.together(expr)))  # type: ignore[no-any-return]


def sign_on_box(poly: Any, box: Mapping[Any, tuple[Fraction, Fraction]]) -> int:
    """+1 / -1 when ``poly`` keeps that sign on the box of parameter ranges (zero at most on its
    boundary), else 0.  Exact for constants and multilinear polynomials (extremes at corners).
    """
    if poly.is_number:
        return 1 if poly > 0 else -1 if poly < 0 else 0
    syms = sorted(poly.free_symbols, key=str)
    if (
        any(s not in box for s in syms)
        or any(sp.degree(poly, s) > 1 for s in syms)
        or len(syms) > 8
    ):
        return 0
    signs = set()
    for corner in product(*[box[s] for s in syms]):
        v = poly.xreplace(
            {s: sp.Rational(c.numerator, c.denominator) for s, c in zip(syms, corner, strict=True)}
        )
        signs.add(1 if v > 0 else -1 if v < 0 else 0)
    signs.discard(0)  # zero only on the boundary: where the expression is defined the sign holds
    return signs.pop() if len(signs) == 1 else 0


def readable(
    expr: Any,
    strict: bool,
    free: Sequence[Any],
    box: Mapping[Any, tuple[Fraction, Fraction]] | None = None,
) -> Any:
    """``expr > 0`` (or ``>= 0``) as a readable relational: a sign-definite denominator is
    dropped, a parameter with a numeric coefficient is isolated, otherwise positive terms go left
    and negative terms right (``expr`` as it is where sympy cannot rearrange it, e.g. ``sqrt``)."""
    try:
        return _readable(expr, strict, free, box)
    except (NotImplementedError, sp.PolynomialError, TypeError, ValueError):
        return (sp.StrictGreaterThan if strict else sp.GreaterThan)(expr, 0)


def _readable(
    expr: Any,
    strict: bool,
    free: Sequence[Any],
    box: Mapping[Any, tuple[Fraction, Fraction]] | None,
) -> Any:
    num, den = rational_parts(expr)
    s = sign_on_box(sp.expand(den), box or {})
    if s == 0 and not den.is_number:
        rel = sp.StrictGreaterThan if strict else sp.GreaterThan
        return rel(sp.factor(num) / sp.factor(den), 0)
    num = sp.expand(num * (1 if s >= 0 else -1))
    if num.is_Add:
        num = num.as_content_primitive()[1]
    gt, lt = (sp.StrictGreaterThan, sp.StrictLessThan) if strict else (sp.GreaterThan, sp.LessThan)
    for x in free:
        if num.has(x) and sp.degree(num, x) == 1:
            a = num.coeff(x, 1)
            if a.is_number and a != 0:
                rhs = sp.expand(-(num - a * x) / a)
                return gt(x, rhs) if a > 0 else lt(x, rhs)
    terms = sp.Add.make_args(num)
    pos = sp.Add(*[t for t in terms if t.as_coeff_Mul()[0] > 0])
    neg = -sp.Add(*[t for t in terms if t.as_coeff_Mul()[0] < 0])
    return gt(pos, neg)


def _sign(value: Any) -> int | None:
    """Exact sign of a number (None: undefined, e.g. a zero denominator or a complex value)."""
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
        v = sp.simplify(value)
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or v.is_real is False:
            return None
        value = v
    if value.is_Rational:
        return 1 if value > 0 else -1 if value < 0 else 0
    v = sp.nsimplify(value) if value.is_Float else value
    if v.is_zero or sp.simplify(v) == 0:
        return 0
    f = sp.N(v, 50)
    if not f.is_real:
        re_part, im_part = f.as_real_imag()
        if abs(im_part) > tolerances.SYMBOLIC_IMAGINARY:
            return None
        f = re_part
    return 1 if f > 0 else -1


def holds(conditions: Sequence[Condition], subs: Mapping[Any, Any]) -> bool:
    """Do all conditions hold exactly at the point ``subs`` (symbol -> number)?"""
    for expr, strict in conditions:
        s = _sign(to_sympy(expr).xreplace(dict(subs)))
        if s is None or s < 0 or (strict and s == 0):
            return False
    return True


def _roots(expr: Any, x: Any) -> list[Any]:
    """Real roots of ``expr`` in ``x`` (polynomials exactly; other expressions via ``solve``)."""
    if not expr.has(x):
        return []
    try:
        return list(sp.Poly(expr, x).real_roots())
    except (sp.PolynomialError, NotImplementedError, sp.polys.polyerrors.PolificationFailed):
        return [r for r in sp.solve(expr, x) if r.is_real is not False and sp.im(sp.N(r)) == 0]


def critical_points(conditions: Sequence[Condition], x: Any, low: Any, high: Any) -> list[Any]:
    """Sorted exact values strictly inside (low, high) where some condition may change sign."""
    pts: list[Any] = []
    for expr, _ in conditions:
        num, den = rational_parts(expr)
        radicands = [
            a.base for a in to_sympy(expr).atoms(sp.Pow) if a.exp.is_Rational and a.exp.q != 1
        ]
        for poly in (num, den, *radicands):
            for r in _roots(poly, x):
                if low < r < high and not any(_same(r, q) for q in pts):
                    pts.append(r)
    return sorted(pts, key=lambda r: float(sp.N(r, 30)))


def _same(a: Any, b: Any) -> bool:
    if abs(float(sp.N(a - b, 30))) > tolerances.SYMBOLIC_EQUAL:
        return False
    return bool(a == b or sp.simplify(a - b) == 0)


def rational_between(a: Any, b: Any) -> Any:
    """A simple rational strictly between a < b: the midpoint when both are rational, else the
    midpoint of their 30-digit values with denominator at most 10**9.

    >>> rational_between(sp.Rational(1, 3), sp.Rational(1, 2))
    5/12
    >>> m = rational_between(sp.Integer(2), sp.sqrt(5)); bool(2 < m < sp.sqrt(5)) and m.is_Rational
    True
    """
    if a.is_Rational and b.is_Rational:
        return (a + b) / 2
    fa, fb = float(sp.N(a, 30)), float(sp.N(b, 30))
    mid = Fraction((fa + fb) / 2).limit_denominator(10**9)
    return sp.Rational(mid.numerator, mid.denominator)


def univariate_set(conditions: Sequence[Condition], x: Any, low: Any, high: Any) -> Any:
    """The exact subset of ``[low, high]`` where every condition holds (a sympy Set)."""
    lo, hi = sp.nsimplify(low), sp.nsimplify(high)
    if lo == hi:
        return sp.FiniteSet(lo) if holds(conditions, {x: lo}) else sp.S.EmptySet
    pts = [lo, *critical_points(conditions, x, lo, hi), hi]
    # alternate points and open gaps: (value-or-gap, truth)
    cells: list[tuple[Any, Any, bool]] = []
    for k, p in enumerate(pts):
        cells.append((p, p, holds(conditions, {x: p})))
        if k + 1 < len(pts):
            cells.append((p, pts[k + 1], holds(conditions, {x: rational_between(p, pts[k + 1])})))
    pieces = []
    k = 0
    while k < len(cells):
        if not cells[k][2]:
            k += 1
            continue
        j = k
        while j + 1 < len(cells) and cells[j + 1][2]:
            j += 1
        a_point, b_point = cells[k][0] == cells[k][1], cells[j][0] == cells[j][1]
        a, b = cells[k][0], cells[j][1]
        if k == j and a_point:
            pieces.append(sp.FiniteSet(a))
        else:
            pieces.append(sp.Interval(a, b, not a_point, not b_point))
        k = j + 1
    return sp.Union(*pieces) if pieces else sp.S.EmptySet


def set_conditions(region: Any, x: Any, low: Any, high: Any) -> list[Any]:
    """Readable inequalities for a subset of ``[low, high]``; the range bounds are left implicit."""
    lo, hi = sp.nsimplify(low), sp.nsimplify(high)
    if isinstance(region, sp.Interval):
        out = []
        if region.start > lo or region.left_open:
            out.append(x > region.start if region.left_open else x >= region.start)
        if region.end < hi or region.right_open:
            out.append(x < region.end if region.right_open else x <= region.end)
        return out
    if isinstance(region, sp.FiniteSet):
        return (
            [sp.Or(*[sp.Eq(x, v) for v in region])]
            if len(region) > 1
            else [sp.Eq(x, next(iter(region)))]
        )
    if isinstance(region, sp.Union):
        return [sp.Or(*[sp.And(*set_conditions(a, x, lo, hi)) for a in region.args])]
    return [sp.S.false] if region is sp.S.EmptySet else []
