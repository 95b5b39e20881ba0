"""The ``[dynamics]`` table of a model file: parameters as functions of time ``t``.

A crisis moves: Iran digs in, so what its presence costs Israel grows.  A model says how with one
expression per moving parameter, over the other parameters and the reserved time variable ``t``::

    [dynamics]
    iran_cost = "iran_cost_start + entrench_rate * t"

The expressions go through the same ``ast`` whitelist as payoffs (nothing is evaluated).  A moving
parameter may not appear in any dynamics expression (no cycles), and no parameter may be called
``t``.  ``redline unravel`` follows the path ``t = a..b``; at a given ``t`` the moving parameters
take their expressions' values.

>>> from solver.core.symbolic import Parameter
>>> from fractions import Fraction as F
>>> ps = (Parameter("c", F(1), F(0), F(9), "cost"), Parameter("g", F(1, 2), F(0), F(2), "growth"))
>>> d = parse_dynamics({"dynamics": {"c": "2 + g*t"}}, "m.toml", ps)
>>> d["c"]
g*t + 2
>>> parse_dynamics({"dynamics": {"c": "2 + c*t"}}, "m.toml", ps)
Traceback (most recent call last):
solver.core.errors.ModelError: m.toml: dynamics.c: a moving parameter may not appear in a dynamics expression (c)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from solver.core.errors import ModelError
from solver.core.expr import parse, symbol
from solver.core.symbolic import Parameter
from solver.formats.limits import shorten
from solver.formats.toml_sections import section

#: the time variable of ``[dynamics]`` expressions (reserved: no parameter may be called this)
TIME = "t"


def parse_dynamics(data: Mapping[str, Any], src: str, params: Sequence[Parameter]) -> dict[str, Any]:
    """Parameter name -> sympy expression in ``t`` and the other parameters (empty: no table)."""
    if "dynamics" not in data:
        return {}
    table = section(data, "dynamics", src)
    names = {p.name for p in params}
    if TIME in names:
        raise ModelError(
            f"a model with [dynamics] may not have a parameter called {TIME!r} (the time variable)",
            source=src,
            key=f"parameters.{TIME}",
        )
    out: dict[str, Any] = {}
    for name, text in table.items():
        key = f"dynamics.{shorten(name, 60)}"
        if name not in names:
            raise ModelError(
                f"not a parameter of the model (parameters: {shorten(', '.join(sorted(names)), 160)})",
                source=src,
                key=key,
            )
        out[name] = parse(text, names | {TIME}, source=src, key=key)
    moving = {symbol(n) for n in out}
    for name, expr in out.items():
        loops = sorted(str(s) for s in expr.free_symbols & moving)
        if loops:
            raise ModelError(
                f"a moving parameter may not appear in a dynamics expression ({', '.join(loops)})",
                source=src,
                key=f"dynamics.{shorten(name, 60)}",
            )
    return out
