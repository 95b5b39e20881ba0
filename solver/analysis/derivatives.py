"""Derivatives of one equilibrium for :mod:`solver.analysis.sensitivity`: the implicit-function
theorem on a support's indifference system, the closed form of a pure equilibrium (no solving:
unit vectors and the profile's symbolic payoffs), and cheap exact steps for the many constants
of pure strategies (a tree's reduced normal form has thousands of plans)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.expr import to_sympy
from solver.core.symbolic import Model


def implicit(
    model: Model, eq: Any, subs: Mapping[Any, Any], params: list[Any]
) -> dict[Any, tuple[list[list[Any]], list[Any]]]:
    """d(probabilities), d(payoffs) per parameter by the implicit-function theorem, exactly, on the
    support's indifference system (:func:`solver.analysis.supports.indifference_system`)."""
    import sympy as sp

    from solver.analysis.supports import indifference_system

    support = eq.support()
    system = indifference_system(model.payoffs, support)
    unknowns, probs, eqs, base = system.unknowns, system.probs, system.equations, system.base
    z0 = {}
    for i, S in enumerate(support):
        for k, z in zip(S[1:], unknowns[sum(len(t) - 1 for t in support[:i]) :], strict=False):
            z0[z] = sp.nsimplify(eq.vectors[i][k])
    point = {**subs, **z0}
    Jz = (
        sp.Matrix([[sp.diff(f, z).xreplace(point) for z in unknowns] for f in eqs])
        if unknowns
        else None
    )
    out = {}
    for th in params:
        if unknowns:
            Jt = sp.Matrix([sp.diff(f, th).xreplace(point) for f in eqs])
            dz = -(Jz.LUsolve(Jt)) if Jz.det() != 0 else None  # type: ignore[union-attr]
        else:
            dz = sp.Matrix([])
        if dz is None:
            out[th] = ([[None] * len(v) for v in eq.vectors], [None] * len(base))
            continue
        dmap = dict(zip(unknowns, list(dz), strict=True))
        dprobs = [
            [
                sp.Add(*[sp.diff(to_sympy(probs[i].get(k, 0)), z) * dmap[z] for z in unknowns])
                for k in range(len(eq.vectors[i]))
            ]
            for i in range(len(support))
        ]
        dpay = [
            (sp.diff(b, th) + sp.Add(*[sp.diff(b, z) * dmap[z] for z in unknowns])).xreplace(point)
            for b in base
        ]
        out[th] = (
            [[sp.nsimplify(x) for x in row] for row in dprobs],
            [sp.nsimplify(x) for x in dpay],
        )
    return out


def diff(v: Any, th: Any) -> Any:
    """``d v / d th``; a constant's is 0 at once (pure strategies: thousands of 0s and 1s)."""
    import sympy as sp

    return sp.S.Zero if v.is_Number else sp.diff(v, th)


def at_point(v: Any, subs: Mapping[Any, Any]) -> Any:
    """``v`` at the point, as an exact number (:func:`sympy.nsimplify`; constants as they are)."""
    import sympy as sp

    return v if v.is_Rational else sp.nsimplify(v.xreplace(subs))


def exact(v: Any) -> Any:
    """An equilibrium's probability as sympy's exact number (0 and 1 without nsimplify)."""
    import sympy as sp

    return sp.Integer(v) if isinstance(v, int) or (isinstance(v, Fraction) and v.denominator == 1) else sp.nsimplify(v)


def pure_branch(model: Model, eq: Any) -> Any:
    """The closed form of a pure equilibrium without solving anything: the strategies are the
    constant unit vectors and the payoffs the symbolic payoffs of the profile (what
    :func:`~solver.analysis.supports.analyse_support` returns for a one-strategy support, whose
    deviation checks cannot fail at an exact equilibrium: a deviation gain that is a constant is
    its value here, at most 0).  None unless every support is one strategy and the regret is 0."""
    import sympy as sp

    from solver.analysis.supports import Branch

    support = eq.support()
    if eq.max_regret != 0 or any(len(s) != 1 for s in support):
        return None
    profile = tuple(s[0] for s in support)
    U = model.payoffs
    strategies = tuple(
        tuple(sp.Integer(int(k == s)) for k in range(len(vec))) for s, vec in zip(profile, eq.vectors, strict=True)
    )
    payoffs = tuple(sp.factor(sp.cancel(to_sympy(U[(i, *profile)]))) for i in range(U.shape[0]))
    return Branch(support, strategies, payoffs, ())
