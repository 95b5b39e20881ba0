"""Exact polynomials in behaviour probabilities, and the vertices of a system that is linear once
its linear equations are eliminated (for :mod:`.assessments`).

A polynomial is a dict from monomials (sorted tuples of variables, ``()`` the constant) to
non-zero Fractions; a variable is a pair of ints (an information set and an action, say).
:func:`solve_system` eliminates equations of degree one by substitution (Gauss, one pivot at a
time, so a triangular polynomial system becomes linear step by step); if what is left is linear,
its feasible set is a polytope whose vertices are enumerated exactly by
:func:`solver.equilibria.signalling.polytope.vertices`; otherwise the system is *nonlinear*
and left unsolved (``None``).

>>> x, y = var((0, 0)), var((0, 1))
>>> # x*y = 1/4 with x = 1/2 first: triangular, solved; 0 <= y <= 1
>>> solve_system([sub(mul(x, y), const(F(1, 4))), sub(x, const(F(1, 2)))], [y, sub(const(F(1)), y)])
[{(0, 1): Fraction(1, 2), (0, 0): Fraction(1, 2)}]
>>> solve_system([sub(mul(x, y), const(F(1, 4)))], [x, y]) is None  # a curve: not linear
True
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from solver.equilibria.signalling.polytope import Row, TooManyBases, vertices

F = Fraction
Var = tuple[int, int]
Poly = dict[tuple[Var, ...], Fraction]
Point = dict[Var, Fraction]
#: :func:`solve_system`'s answer: the vertices, or None (nonlinear), or "large" (too many bases)
Solution = list[Point] | None | str


def const(c: Fraction | int) -> Poly:
    return {(): Fraction(c)} if c else {}


def var(k: Var) -> Poly:
    return {(k,): Fraction(1)}


def add(p: Poly, q: Poly, scale: Fraction | int = 1) -> Poly:
    """``p + scale * q``."""
    if not q:
        return p
    out = dict(p)
    for m, c in q.items():
        v = out.get(m, Fraction(0)) + scale * c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return out


def sub(p: Poly, q: Poly) -> Poly:
    return add(p, q, -1)


def total(polys: Iterable[Poly]) -> Poly:
    out: Poly = {}
    for p in polys:
        out = add(out, p)
    return out


def mul(p: Poly, q: Poly) -> Poly:
    if len(q) == 1 and () in q:  # a constant factor: the common case
        c = q[()]
        return {m: v * c for m, v in p.items()}
    if len(p) == 1 and () in p:
        return mul(q, p)
    out: Poly = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(sorted(m1 + m2))
            v = out.get(m, Fraction(0)) + c1 * c2
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    return out


def degree(p: Poly) -> int:
    return max((len(m) for m in p), default=0)


def substitute(p: Poly, k: Var, by: Poly) -> Poly:
    """``p`` with variable ``k`` replaced by the polynomial ``by``."""
    if not any(k in m for m in p):
        return p
    out: Poly = {}
    for m, c in p.items():
        term: Poly = {tuple(v for v in m if v != k): c}
        for _ in range(m.count(k)):
            term = mul(term, by)
        out = add(out, term)
    return out


def evaluate(p: Poly, x: Point) -> Fraction:
    total = Fraction(0)
    for m, c in p.items():
        for v in m:
            c = c * x[v]
        total += c
    return total


def solve_system(eqs: list[Poly], ineqs: list[Poly]) -> Solution:
    """The vertices (values of every variable that occurs) of ``{eqs = 0, ineqs >= 0}`` when
    eliminating its degree-one equations leaves a linear system; ``[]`` when infeasible, ``None``
    when nonlinear, ``"large"`` when the polytope has too many bases to enumerate.  The feasible
    set must be bounded (the callers' variables are probabilities, each with its ``>= 0`` row)."""
    names = sorted({v for p in (*eqs, *ineqs) for m in p for v in m})
    eqs, ineqs = [e for e in eqs if e], list(ineqs)
    steps: list[tuple[Var, Poly]] = []
    while True:
        if any(set(e) == {()} for e in eqs) or any(set(g) == {()} and g[()] < 0 for g in ineqs):
            return []
        pick = next((e for e in eqs if degree(e) == 1), None)
        if pick is None:
            break
        k = next(m[0] for m in pick if m)
        c = pick[(k,)]
        by = {m: -v / c for m, v in pick.items() if m != (k,)}
        steps.append((k, by))
        eqs = [e for e in (substitute(e, k, by) for e in eqs) if e]
        ineqs = [substitute(g, k, by) for g in ineqs]
        ineqs = [g for g in ineqs if not (set(g) <= {()} and g.get((), Fraction(0)) >= 0)]
    if eqs or any(degree(g) > 1 for g in ineqs):
        return None
    done = {k for k, _ in steps}
    free = [v for v in names if v not in done]
    rows: list[Row] = [([g.get((v,), Fraction(0)) for v in free], -g.get((), Fraction(0))) for g in ineqs]
    try:
        points = vertices(len(free), [], rows)
    except TooManyBases:
        return "large"
    out = []
    for pt in points:
        x = dict(zip(free, pt, strict=True))
        for k, by in reversed(steps):
            x[k] = evaluate(by, x)
        out.append(x)
    return out
