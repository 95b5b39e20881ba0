"""The grim-trigger critical delta along a path of parameters, exactly, piece by piece.

A path moves some parameters with one variable ``t`` (``[dynamics]`` expressions, or one
parameter standing for ``t`` itself) over ``[lo, hi]``; the others stay fixed.  The symbolic
branches of :func:`solver.equilibria.repeated.symbolic_grim` (Friedman 1971 grim trigger with
Nash reversion, reversion to the stage equilibrium worst for each deviator) hold while the stage
equilibria they revert to stay equilibria: each piece of the path gets the branches computed at a
point inside it, and the piece ends where one of its equilibrium conditions changes sign.
Substituting the path turns every branch condition and value into a function of ``t``; the
breakpoints are the real roots (sympy: exact rationals or algebraic numbers) of their numerators
and denominators and of ``delta*_i(t) - delta``.  Between breakpoints the branch is fixed, so
:class:`Segment` carries each player's ``delta*_i(t)`` in closed form; each segment is checked at
a rational inner point against the exact numeric analysis
(:func:`solver.equilibria.repeated.analyse_repeated`).

Prisoner's dilemma with the temptation T moving as ``t``: ``delta* = (T - 3)/(T - 1)``.

>>> import sympy as sp
>>> from solver.formats import load
>>> m = load("prisoners_dilemma")
>>> segs = grim_segments(m, ("Cooperate", "Cooperate"), m.values(), {"T": T}, sp.Integer(4), sp.Integer(9))
>>> [(str(s.lo), str(s.hi), str(s.value)) for s in segs]
[('4', '9', '(t - 3)/(t - 1)')]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from solver.core.budget import UNBOUNDED, Budget
from solver.core.errors import SolverError
from solver.core.expr import symbol
from solver.core.symbolic import Model

#: the path variable (the ``[dynamics]`` time variable)
T = symbol("t")
#: pieces of a path explored before giving up (each is one symbolic solve)
MAX_PIECES = 64


@dataclass(frozen=True)
class Segment:
    """An open interval ``(lo, hi)`` of the path with one closed form per player."""

    lo: Any
    hi: Any
    #: overall grim delta* in ``t`` (sympy); None: no delta < 1 sustains the target
    value: Any
    by_player: Mapping[str, Any]
    #: the stage equilibrium each player reverts to (in words)
    reversion: Mapping[str, str]
    #: the symbolic form agreed with the exact numeric analysis at an inner rational point
    checked: bool = True


def rational(x: Any) -> Fraction:
    """A sympy rational as a Fraction."""
    return Fraction(int(x.p), int(x.q))


def point_values(fixed: Mapping[str, Fraction], moving: Mapping[str, Any], x: Any) -> dict[str, Fraction]:
    """Parameter values at ``t = x`` (rational): the fixed ones and the moving expressions
    (an irrational value, such as ``exp(1/10)``, by the nearest rational with 12 digits)."""
    out = dict(fixed)
    for name, expr in moving.items():
        q = x if isinstance(x, sp.Basic) else sp.Rational(Fraction(x).numerator, Fraction(x).denominator)
        if not isinstance(expr, sp.Basic):  # always parsed through the expression whitelist
            raise SolverError(f"{name}: the path must be a parsed expression, got {type(expr).__name__}")
        v = expr.xreplace({T: q})
        if v.is_Rational:
            out[name] = rational(v)
        elif v.is_number and v.is_real:  # e.g. exp(t/10): the nearest rational with 12 digits
            out[name] = Fraction(str(sp.N(v, 30))).limit_denominator(10**12)
        else:
            raise SolverError(f"{name} is not a real number at t = {x} ({v})")
    return out


def unranged(model: Model, names: Any) -> Model:
    """``model`` with the parameters ``names`` free of their declared ranges (a path may leave
    them; the caller says so in its notes)."""
    from dataclasses import replace

    wide = Fraction(10) ** 30
    params = tuple(replace(p, low=-wide, high=wide) if p.name in names else p for p in model.parameters)
    return replace(model, parameters=params)


def _in_t(expr: Any, subs: Mapping[Any, Any]) -> Any:
    return sp.cancel(sp.together(expr.xreplace(subs)))


def _roots(expr: Any, lo: Any, hi: Any) -> list[Any]:
    """Real roots in ``(lo, hi)`` of the numerator and denominator of ``expr`` (a function of t)."""
    out: list[Any] = []
    num, den = sp.fraction(sp.together(expr))
    for part in (num, den):
        part = sp.expand(part)
        if T not in part.free_symbols:
            continue
        if part.is_polynomial(T):
            found = sp.real_roots(sp.Poly(part, T))
        else:
            sol = sp.solveset(part, T, domain=sp.S.Reals)
            if sol is sp.S.EmptySet:
                continue
            if not isinstance(sol, sp.FiniteSet):
                raise SolverError(f"cannot solve {part} = 0 for t exactly")
            found = list(sol)
        out += [r for r in found if bool(lo < r) and bool(r < hi)]
    return out


def _condition_exprs(conditions: Sequence[Any]) -> list[Any]:
    return [c.lhs - c.rhs for c in conditions if isinstance(c, sp.Rel)]


def sort_unique(points: Sequence[Any]) -> list[Any]:
    """Exact numbers sorted, repeats dropped."""
    out: list[Any] = []
    for p in sorted(points, key=lambda x: float(sp.N(x, 30))):
        if not out or sp.simplify(p - out[-1]) != 0:
            out.append(p)
    return out


def _holds(conditions: Sequence[Any], subs: Mapping[Any, Any], x: Any) -> bool:
    return all(bool(c.xreplace(subs).xreplace({T: x})) for c in conditions)


def _branch_value(branches: Sequence[Any], subs: Mapping[Any, Any], x: Any) -> tuple[bool, Any]:
    """(found, value in t) of the player's branch that holds at ``t = x``."""
    for b in branches:
        if _holds(b.conditions, subs, x):
            return True, None if b.value is None else sp.cancel(b.value.xreplace(subs))
    return False, None


def _piece(
    model: Model,
    target: Sequence[str],
    fixed: Mapping[str, Fraction],
    moving: Mapping[str, Any],
    s: Any,
    lo: Any,
    hi: Any,
    delta: Any,
) -> tuple[Any, Any, list[Any], Any]:
    """The symbolic branches at ``t = s``: the interval ``(a, b)`` around ``s`` on which its
    reversions stay stage equilibria, the breakpoints inside, and the branches."""
    from solver.equilibria.repeated import symbolic_grim

    sg = symbolic_grim(model, target, values=point_values(fixed, moving, s))
    subs = {symbol(k): sp.Rational(v.numerator, v.denominator) for k, v in fixed.items() if k not in moving}
    subs.update({symbol(k): e.xreplace(subs) for k, e in moving.items()})
    ends = [r for e in _condition_exprs(sg.equilibrium) for r in _roots(_in_t(e, subs), lo, hi)]
    a = max([r for r in ends if bool(r < s)], key=lambda r: float(sp.N(r, 30)), default=lo)
    b = min([r for r in ends if bool(r > s)], key=lambda r: float(sp.N(r, 30)), default=hi)
    cuts: list[Any] = []
    for branches in sg.by_player.values():
        for br in branches:
            cuts += [r for e in _condition_exprs(br.conditions) for r in _roots(_in_t(e, subs), a, b)]
            if br.value is not None and delta is not None:
                args = br.value.args if isinstance(br.value, sp.Max) else (br.value,)
                cuts += [r for v in args for r in _roots(_in_t(v - delta, subs), a, b)]
    return a, b, sort_unique(cuts), (sg, subs)


def _first_piece(
    model: Model,
    target: Sequence[str],
    fixed: Mapping[str, Fraction],
    moving: Mapping[str, Any],
    a0: Any,
    b0: Any,
    delta: Any,
) -> tuple[Any, Any, list[Any], Any]:
    """:func:`_piece` at the middle of ``(a0, b0)``, or at other inner points where the stage
    game is degenerate there (no closed form for its equilibria)."""
    from solver.analysis.conditions import rational_between

    mid = rational_between(a0, b0)
    tries = [mid, rational_between(a0, mid), rational_between(mid, b0)]
    for k, s in enumerate(tries):
        try:
            return _piece(model, target, fixed, moving, s, a0, b0, delta)
        except SolverError:
            if k == len(tries) - 1:
                raise
    raise AssertionError("unreachable")


def _segments_of(a: Any, b: Any, cuts: list[Any], sg_subs: Any, check: Any) -> list[Segment]:
    from solver.analysis.conditions import rational_between

    sg, subs = sg_subs
    out = []
    edges = [a, *cuts, b]
    for lo, hi in itertools.pairwise(edges):
        mid = rational_between(lo, hi)
        per: dict[str, Any] = {}
        for player, branches in sg.by_player.items():
            found, v = _branch_value(branches, subs, mid)
            per[player] = v if found else None
        nonzero = [v for v in per.values() if v is not None and v != 0]  # every delta_i >= 0
        value = None if any(v is None for v in per.values()) else sp.Max(*nonzero) if nonzero else sp.Integer(0)
        rev = dict(zip(sg.by_player, sg.reversion, strict=True))
        out.append(Segment(lo, hi, value, per, rev, check(mid, value)))
    return out


def grim_segments(
    model: Model,
    target: Sequence[str],
    fixed: Mapping[str, Fraction],
    moving: Mapping[str, Any],
    lo: Any,
    hi: Any,
    delta: Any = None,
    budget: Budget = UNBOUNDED,
    check: Any = None,
) -> list[Segment]:
    """Segments covering ``(lo, hi)`` with the grim delta* in closed form on each.  ``moving``
    maps parameters to sympy expressions in ``t`` (with only fixed parameters besides);
    ``check(mid, value)`` (optional) compares a segment's value with the numeric analysis."""

    checker = check or (lambda mid, value: True)
    model = unranged(model, moving)
    todo = [(sp.nsimplify(lo), sp.nsimplify(hi))]
    out: list[Segment] = []
    pieces = 0
    while todo:
        a0, b0 = todo.pop()
        if pieces >= MAX_PIECES or budget.expired():
            raise SolverError(f"the path splits into more than {MAX_PIECES} pieces, or the time ran out")
        pieces += 1
        a, b, cuts, sg = _first_piece(model, target, fixed, moving, a0, b0, delta)
        out += _segments_of(a, b, cuts, sg, checker)
        if bool(a > a0):
            todo.append((a0, a))
        if bool(b < b0):
            todo.append((b, b0))
    out.sort(key=lambda seg: float(sp.N(seg.lo, 30)))
    return out
