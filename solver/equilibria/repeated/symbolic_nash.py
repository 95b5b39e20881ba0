"""A stage equilibrium's payoffs in the parameters, from its support (for grim-trigger reversion).

A pure profile's payoffs are its payoff entries; it stays an equilibrium while no player gains by
a unilateral deviation.  A two-player mixed equilibrium with supports ``(I, J)``, ``|I| = |J|``
(nondegenerate), is fixed by the indifference conditions (support enumeration; e.g. von Stengel
2007, "Equilibrium computation for two-player games in strategic and extensive form"): the
column player's mixture ``y`` on ``J`` solves ``A[i, J] y = v`` for ``i`` in ``I`` with
``sum y = 1``, and symmetrically for ``x``.  Solved symbolically, ``v`` is the row player's
payoff; the equilibrium holds while every probability is positive and no strategy outside the
support pays more.

Matching pennies with a stake ``s``: each mixes half-half, value 0.

>>> import numpy as np
>>> import sympy as sp
>>> s = sp.Symbol("s", positive=True)
>>> pay = np.array([[[s, -s], [-s, s]], [[-s, s], [s, -s]]], dtype=object)
>>> values, conditions = equilibrium_values(pay, ((0, 1), (0, 1)))
>>> values, conditions
((0, 0), ())
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from solver.core.errors import SolverError

Support = tuple[tuple[int, ...], ...]


def _pure(payoffs: Any, profile: tuple[int, ...]) -> tuple[tuple[Any, ...], list[Any]]:
    n = payoffs.shape[0]
    values = tuple(payoffs[(i, *profile)] for i in range(n))
    conds = []
    for i in range(n):
        for k in range(payoffs.shape[i + 1]):
            if k != profile[i]:
                dev = list(profile)
                dev[i] = k
                conds.append(sp.Ge(values[i], payoffs[(i, *dev)]))
    return values, conds


def _mixture(m: Any, rows: Sequence[int], cols: Sequence[int]) -> tuple[list[Any], Any]:
    """The mixture ``y`` on ``cols`` making every row in ``rows`` of ``m`` pay the same ``v``."""
    k = len(cols)
    ys = sp.symbols(f"_y0:{k}")
    v = sp.Symbol("_v")
    eqs = [sum(m[r, c] * y for c, y in zip(cols, ys, strict=True)) - v for r in rows]
    eqs.append(sum(ys) - 1)
    sol = sp.solve(eqs, [*ys, v], dict=True)
    if len(sol) != 1 or any(s not in sol[0] for s in (*ys, v)):
        raise SolverError("the mixed equilibrium is degenerate (its indifference system is singular)")
    return [sp.cancel(sol[0][y]) for y in ys], sp.cancel(sol[0][v])


def equilibrium_values(payoffs: Any, support: Support) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Each player's payoff (sympy) at the equilibrium with this support, and the conditions
    (sympy relationals) under which that profile is an equilibrium."""
    if all(len(s) == 1 for s in support):
        values, pure_conds = _pure(payoffs, tuple(s[0] for s in support))
        return values, _clean(pure_conds)
    if payoffs.shape[0] != 2:
        raise SolverError("symbolic mixed equilibria are computed for two players only")
    rows, cols = support
    if len(rows) != len(cols):
        raise SolverError("the mixed equilibrium is degenerate (supports of different sizes)")
    a, b = payoffs[0], payoffs[1]
    y, va = _mixture(a, rows, cols)
    x, vb = _mixture(b.T, cols, rows)
    conds: list[Any] = [sp.Gt(p, 0) for p in (*x, *y)]
    for r in range(a.shape[0]):
        if r not in rows:
            conds.append(sp.Ge(va, sp.cancel(sum(a[r, c] * q for c, q in zip(cols, y, strict=True)))))
    for c in range(a.shape[1]):
        if c not in cols:
            conds.append(sp.Ge(vb, sp.cancel(sum(b[r, c] * p for r, p in zip(rows, x, strict=True)))))
    return (va, vb), _clean(conds)


def _clean(conds: Sequence[Any]) -> tuple[Any, ...]:
    out = []
    for c in conds:
        if c is sp.false or c is False:
            raise SolverError("that profile is never a stage equilibrium, for any parameter values")
        if c is not sp.true and c is not True and c not in out:
            out.append(c)
    return tuple(out)


def as_sympy(payoffs: Any) -> Any:
    """An object array of sympy expressions from numbers or sympy (same shape)."""
    from solver.core.expr import to_sympy

    out = np.empty(payoffs.shape, dtype=object)
    for k in range(payoffs.size):
        out.flat[k] = to_sympy(payoffs.flat[k])
    return out
