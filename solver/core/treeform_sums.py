"""Helpers of :mod:`solver.core.treeform`: exact payoff tensors summed as integers, and the
memory of the last tree whose reduced normal form was refused.

Each leaf of a tree adds ``P(chance path) * payoff`` to every profile of plans consistent with
its path; with Fractions that is thousands of Fraction additions per normal form.  Scaled by the
weights' common denominator the sums are int64 numpy adds, and only the distinct totals become
Fractions again: the same exact numbers, far faster (thresholds solve a tree at every point).
"""

from __future__ import annotations

import math
import weakref
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from solver.core.tree import Tree

#: integer sums stay below this bound (int64 with room to spare), else the caller adds Fractions
INT_BOUND = 2**62


def integer_payoffs(n: int, shape: tuple[int, ...], cells: list[tuple[Any, list[Any]]]) -> npt.NDArray[Any] | None:
    """The payoff tensor when every leaf weight is a Fraction: summed as int64 multiples of the
    weights' common denominator (numpy adds, no Fraction arithmetic), then each distinct sum
    turned back into one Fraction.  None where a weight is not a Fraction or the sums could
    overflow (the caller then adds Fractions)."""
    weights = [w for _, ws in cells for w in ws]
    if not all(type(w) is Fraction for w in weights):
        return None
    scale = math.lcm(*(w.denominator for w in weights)) if weights else 1
    ints = [[w.numerator * (scale // w.denominator) for w in ws] for _, ws in cells]
    if sum(max((abs(v) for v in row), default=0) for row in ints) >= INT_BOUND:
        return None
    acc = np.zeros((n, *shape), dtype=np.int64)
    for (where, _), row in zip(cells, ints, strict=True):
        for i in range(n):
            acc[i][where] += row[i]
    distinct, inverse = np.unique(acc, return_inverse=True)
    exact = np.array([Fraction(int(v), scale) for v in distinct.tolist()] + [None], dtype=object)[:-1]
    return exact[inverse.reshape(acc.shape)]  # type: ignore[no-any-return]


#: the last refusal: (the tree, weakly held; root; max_cells; message)
_REFUSED: list[tuple[weakref.ref[Tree], int, int, str]] = []


def remember_refusal(tree: Tree, root: int, max_cells: int, message: str) -> str:
    """Record that the reduced normal form of ``tree`` at ``root`` was refused (``message``), so
    the next request for the same tree (loading a .efg builds its model, then the solve asks
    again) is refused at once instead of counting a 10^6-node tree's plans twice."""
    _REFUSED[:] = [(weakref.ref(tree), root, max_cells, message)]
    return message


def known_refusal(tree: Tree, root: int, max_cells: int) -> str | None:
    """The message of :func:`remember_refusal` if it was for this very tree, root and limit."""
    for ref, r, cells, message in _REFUSED:
        if ref() is tree and r == root and cells == max_cells:
            return message
    return None
