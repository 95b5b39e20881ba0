"""The vectorised kernels: equilibria of a whole batch of same-shape games at once.

Each kernel is a function of plain arrays returning a :class:`~.candidate.Found` (candidates plus
the suspect points it leaves to the exact solvers); the single-game closed forms
(:mod:`solver.equilibria.twoplayer.closed_form`, :mod:`solver.equilibria.nplayer.closed_form`)
are these kernels on a batch of one.  :func:`solve_strategic` picks the kernel for a shape and
returns ``None`` for shapes no kernel covers.

>>> import numpy as np
>>> u = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)[..., None]  # matching pennies
>>> f = solve_strategic(u, np.array([1e-9]))
>>> [c.support for c in f.candidates], f.candidates[0].probs[0][0].tolist()
([((0, 1), (0, 1))], [0.5, 0.5])
"""

from __future__ import annotations

from math import comb

from solver.equilibria.batched.candidate import Array, Candidate, Found, pure_found
from solver.equilibria.batched.closed_form import closed_2x2_batch
from solver.equilibria.batched.support import bimatrix_batch
from solver.equilibria.batched.three_binary import binary_three_batch

#: two-player games with more equal-size support pairs than this are left to the exact solver
MAX_SUPPORT_PAIRS = 4096

__all__ = ["Candidate", "Found", "solve_strategic", "support_pairs", "three_binary", "two_player"]


def support_pairs(shape: tuple[int, ...]) -> int:
    """Number of equal-size support pairs of an m x n game (the work of support enumeration)."""
    m, n = shape
    return sum(comb(m, k) * comb(n, k) for k in range(1, min(m, n) + 1))


def two_player(payoffs: Array, tol: Array) -> Found:
    """Pure profiles plus batched support enumeration over equal-size supports (k >= 2)."""
    return pure_found(payoffs, tol) + bimatrix_batch(payoffs[0], payoffs[1], tol)


def three_binary(payoffs: Array, tol: Array) -> Found:
    """Pure profiles plus the mixed supports of 2x2x2 games."""
    return pure_found(payoffs, tol) + binary_three_batch(payoffs, tol)


def solve_strategic(payoffs: Array, tol: Array) -> Found | None:
    """Equilibria of a batch of strategic-form games, or ``None`` outside the batched classes."""
    shape = payoffs.shape[1:-1]
    if shape == (2, 2):
        return closed_2x2_batch(payoffs, tol)
    if len(shape) == 2 and support_pairs(shape) <= MAX_SUPPORT_PAIRS:
        return two_player(payoffs, tol)
    if shape == (2, 2, 2):
        return three_binary(payoffs, tol)
    if len(shape) == 1 or all(s == 1 for s in shape[1:]):
        return pure_found(payoffs, tol)
    return None
