"""Checks of a game tree: one child per action, distinct action labels, one payoff per player,
chance probabilities non-negative and summing to one.

A behaviour strategy's chance moves are a probability distribution at each chance node (Kuhn
1953; Gambit documentation, "The extensive game (.efg) file format": "the probabilities must
sum to one").  Numeric probabilities are checked to :data:`~solver.core.tolerances.PROBABILITY_SUM`
(exact ones too: a file's decimals may round); symbolic ones (model files) must sum to one
identically and be non-negative at the defaults and at the corners of the parameter ranges.

>>> check_probabilities((Fraction(1, 2), Fraction(1, 2)), "doc", "nodes.c")
>>> check_probabilities((Fraction(1, 2), Fraction(1, 3)), "doc", "nodes.c")
Traceback (most recent call last):
...
solver.core.errors.ModelError: doc: nodes.c: chance probabilities sum to 5/6, not 1
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from solver.core.errors import ModelError
from solver.core.tolerances import PROBABILITY_SUM
from solver.core.tree_value import Node, Tree

#: a one-parameter probability's derivative is solved exactly up to this degree
MAX_ROOT_DEGREE = 24
#: otherwise (and for several parameters) at most this many points of the ranges are tried
GRID_POINTS = 512


def validate(tree: Tree, source: str | None = None, parameters: Iterable[Any] = ()) -> None:
    """Structural checks, and chance probabilities >= 0 summing to 1 (symbolically: identically,
    and non-negative at the corners of the parameter ranges and at the defaults)."""
    n_players = len(tree.players)
    for h in tree.infosets:
        for m in h.members:
            node = tree.nodes[m]
            if len(node.children) != len(h.actions):
                raise ModelError("number of actions and children differ", source=source, key=f"nodes.{node.name}")
            if len(set(h.actions)) != len(h.actions):
                raise ModelError("duplicate action label", source=source, key=f"nodes.{node.name}")
    params = list(parameters)
    for k, node in enumerate(tree.nodes):
        if node.is_terminal and len(node.payoffs) != n_players:
            raise ModelError(f"expected {n_players} payoffs", source=source, key=f"nodes.{node.name}")
        if node.is_chance:
            _check_chance(node, tree.actions(k), tree.symbolic, params, source)


def check_probabilities(probs: Sequence[Any], source: str | None, key: str) -> None:
    """Numeric chance probabilities: none negative, and summing to 1 within
    :data:`~solver.core.tolerances.PROBABILITY_SUM`; a :class:`ModelError` at ``key`` if not."""
    if probs and all(type(p) is Fraction for p in probs) and min(p.numerator for p in probs) >= 0:
        den = math.lcm(*[p.denominator for p in probs])  # exactly 1, in integers: no Fraction sums
        if sum([p.numerator * (den // p.denominator) for p in probs]) == den:
            return
    if any(p < 0 for p in probs):
        raise ModelError(f"negative chance probability {min(probs)}", source=source, key=key)
    total = sum(probs)
    if abs(total - 1) > PROBABILITY_SUM:
        raise ModelError(f"chance probabilities sum to {total}, not 1", source=source, key=key)


def _check_chance(
    node: Node, labels: tuple[str, ...], symbolic: bool, parameters: list[Any], source: str | None
) -> None:
    key = f"nodes.{node.name}"
    if len(node.probs) != len(node.children):
        raise ModelError("one probability per chance branch", source=source, key=key)
    if not symbolic:
        check_probabilities(node.probs, source, key)
        return

    import sympy

    from solver.core.expr import symbol

    total = sympy.simplify(sum(node.probs) - 1)
    if total != 0:
        raise ModelError(
            f"chance probabilities sum to {sympy.simplify(sum(node.probs))}, not 1",
            source=source,
            key=key,
        )
    free = set().union(*(p.free_symbols for p in node.probs))
    used = [p for p in parameters if symbol(p.name) in free]
    for label, prob in zip(labels, node.probs, strict=True):
        found = _negative_at(prob, used)
        if found is not None:
            point, v = found
            where = ", ".join(f"{k}={v2}" for k, v2 in point.items()) or "every value"
            raise ModelError(
                f"chance probability of {label!r} is {v} at {where}: negative (inside the declared parameter ranges)",
                source=source,
                key=key,
            )


def _negative_at(expr: Any, used: list[Any]) -> tuple[dict[str, Any], Any] | None:
    """A point of the parameter box (the ranges of ``used``) where ``expr`` is negative, and the
    value there; None if there is none.  Exact where the minimum is at known points: an affine
    expression's minimum is at the corner its coefficients' signs pick; a one-parameter rational
    expression's at an end of the range or a real root of its derivative's numerator (degree at
    most :data:`MAX_ROOT_DEGREE`).  Otherwise the defaults and a grid of at most
    :data:`GRID_POINTS` points are tried, and evaluation at the values used catches the rest."""
    import itertools

    import sympy

    from solver.core.expr import symbol

    syms = [symbol(p.name) for p in used]
    rational = {
        s: (sympy.Rational(p.low.numerator, p.low.denominator), sympy.Rational(p.high.numerator, p.high.denominator))
        for s, p in zip(syms, used, strict=True)
    }
    points: list[dict[Any, Any]] = [
        {s: sympy.Rational(p.value.numerator, p.value.denominator) for s, p in zip(syms, used, strict=True)}
    ]
    poly = sympy.Poly(expr, *syms) if syms and expr.is_polynomial(*syms) else None
    if not syms:
        points = [{}]
    elif poly is not None and poly.total_degree() <= 1:  # affine: the minimising corner
        points.append({s: rational[s][0 if expr.coeff(s) >= 0 else 1] for s in syms})
    elif len(syms) == 1 and expr.is_rational_function(syms[0]):
        s = syms[0]
        lo, hi = rational[s]
        points += [{s: lo}, {s: hi}]
        num = sympy.numer(sympy.together(sympy.diff(expr, s)))
        dpoly = sympy.Poly(num, s)
        if dpoly.degree() <= MAX_ROOT_DEGREE:  # degree 0: monotone, the ends decide
            points += [{s: r} for r in dpoly.real_roots() if lo <= r <= hi]
        else:
            points += [{s: lo + (hi - lo) * sympy.Rational(k, GRID_POINTS)} for k in range(GRID_POINTS + 1)]
    else:
        per = max(2, int(GRID_POINTS ** (1 / len(syms))))
        axes = [[lo + (hi - lo) * sympy.Rational(k, per - 1) for k in range(per)] for lo, hi in rational.values()]
        points += [dict(zip(syms, c, strict=True)) for c in itertools.islice(itertools.product(*axes), GRID_POINTS)]
    for point in points:
        v = expr.xreplace(point) if point else expr
        negative = v.is_negative if v.is_number else None
        if negative is None and v.is_number and v.is_real:
            negative = bool(sympy.N(v, 30) < 0)
        if negative:
            shown = {str(k): (x if x.is_Rational else sympy.N(x, 6)) for k, x in point.items()}
            return shown, v if v.is_Rational else sympy.N(v, 6)
    return None
