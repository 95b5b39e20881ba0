"""Regions that can never hold: a branch whose existence conditions contradict each other (or the
parameter ranges), such as ``v > 2*d and v < 2*d``, describes no equilibrium and is dropped.

Linear conditions are decided exactly by a rational linear programme (sympy's simplex): the
strict ones ``e > 0`` get a common slack ``t`` (``e >= t``), and the region is empty when the
programme is infeasible or the largest slack is not positive.  Anything else (nonlinear
conditions, sympy errors) is undecided, and the branch is kept.

>>> import sympy as sp
>>> v, d = sp.symbols("v d")
>>> box = {v: (0, 10), d: (0, 10)}
>>> never_holds(((v - 2*d, True), (2*d - v, True)), box)
True
>>> never_holds(((v - 2*d, False), (2*d - v, False)), box)
False
>>> never_holds(((v - 20, False),), box)
True
>>> never_holds(((v*d - 1, True),), box)
False
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def never_holds(raw: Sequence[tuple[Any, bool]], box: Mapping[Any, tuple[Any, Any]], region: Any = None) -> bool:
    """True when the conditions ``raw`` (``(expr, strict)``: ``expr > 0`` or ``>= 0``) have no
    solution in ``box`` (symbol -> (low, high)); False when they have one or it is undecided."""
    import sympy as sp
    from sympy.solvers.simplex import InfeasibleLPError, lpmax

    if region is not None and region is sp.S.EmptySet:
        return True
    syms = set(box)
    # conditions are sympy expressions built by the analysis (never model text); numbers -> sympy
    exprs = [e if isinstance(e, sp.Basic) else sp.Rational(e) for e, _ in raw]
    if not all(e.free_symbols <= syms and e.is_polynomial(*syms) for e in exprs):
        return False
    if not all(sp.Poly(e, *syms).total_degree() <= 1 for e in exprs if e.free_symbols):
        return False
    t = sp.Dummy("t")
    cons = [e >= t if strict else e >= 0 for e, (_, strict) in zip(exprs, raw, strict=True)]
    cons += [c for s, (lo, hi) in box.items() for c in (s >= sp.nsimplify(lo), s <= sp.nsimplify(hi))]
    cons = [c for c in cons if c is not sp.true]
    if any(c is sp.false for c in cons):
        return True
    try:
        best, _ = lpmax(t, [*cons, t <= 1])
    except InfeasibleLPError:
        return True
    except Exception:  # sympy cannot decide: keep the branch
        return False
    return bool(best <= 0) if any(strict for _, strict in raw) else False
