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


def validate(tree: Tree, source: str | None = None, parameters: Iterable[Any] = ()) -> None:
    """Structural checks, and chance probabilities >= 0 summing to 1 (symbolically: identically,
    and non-negative at the corners of the parameter ranges and at the defaults)."""
    n_players = len(tree.players)
    for h in tree.infosets:
        for m in h.members:
            node = tree.nodes[m]
            if len(node.children) != len(h.actions):
                raise ModelError(
                    "number of actions and children differ", source=source, key=f"nodes.{node.name}"
                )
            if len(set(h.actions)) != len(h.actions):
                raise ModelError("duplicate action label", source=source, key=f"nodes.{node.name}")
    params = list(parameters)
    for k, node in enumerate(tree.nodes):
        if node.is_terminal and len(node.payoffs) != n_players:
            raise ModelError(
                f"expected {n_players} payoffs", source=source, key=f"nodes.{node.name}"
            )
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
        raise ModelError("negative chance probability", source=source, key=key)
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
    import itertools

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
    points = [{symbol(p.name): p.value for p in used}]
    points += [
        {symbol(p.name): v for p, v in zip(used, corner, strict=True)}
        for corner in itertools.product(*((p.low, p.high) for p in used))
    ]
    for point in points:
        subs = {k: sympy.Rational(v.numerator, v.denominator) for k, v in point.items()}
        for label, p in zip(labels, node.probs, strict=True):
            v = p.xreplace(subs)
            if v.is_number and v.is_negative:
                where = ", ".join(f"{k}={v2}" for k, v2 in point.items())
                raise ModelError(
                    f"chance probability of {label!r} is {v} at {where}: negative",
                    source=source,
                    key=key,
                )
