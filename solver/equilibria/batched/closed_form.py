"""Closed form for batches of 2x2 games (e.g. Osborne 2004, \u00a74.3), floats or exact rationals.

With ``dr_j`` the row player's gain from row 1 over row 2 against column j and ``dc_i`` the
column player's gain from column 1 against row i, pure profile (i, j) is an equilibrium iff both
gains point to it, and a fully mixed equilibrium exists iff both players' gains change sign: then
each player makes the *other* indifferent, ``q = dr_2 / (dr_2 - dr_1)``.  Any gain within
tolerance of zero marks the point suspect (degenerate).  Object arrays of ``Fraction`` stay exact
(tolerance 0), which is how :func:`solver.equilibria.twoplayer.closed_form.solve_two_by_two`
solves one game as a batch of one.

>>> import numpy as np
>>> u = np.array([[[0, 3], [1, 2]], [[0, 1], [3, 2]]], dtype=float)[..., None]  # chicken
>>> f = closed_2x2_batch(u, np.array([1e-9])); bool(f.suspect[0]), len(f.candidates)
(False, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solver.equilibria.batched.candidate import Array, Candidate, Found

#: pure profile (i, j) -> the sign each gain must have there: (gain index, positive?)
PURE_SIGNS = {
    (0, 0): ((0, True), (2, True)),
    (0, 1): ((1, True), (2, False)),
    (1, 0): ((0, False), (3, True)),
    (1, 1): ((1, False), (3, False)),
}


def gains(a: Any, b: Any) -> tuple[Any, Any, Any, Any]:
    """(dr_1, dr_2, dc_1, dc_2): the row player's gain from row 1 against each column and the
    column player's from column 1 against each row; on numbers or on arrays of a batch alike."""
    return a[0][0] - a[1][0], a[0][1] - a[1][1], b[0][0] - b[0][1], b[1][0] - b[1][1]


def mixed_point(a: Any, b: Any, g: tuple[Any, Any, Any, Any]) -> tuple[Any, Any, Any, Any]:
    """(p, q, v_row, v_col): each player's probability of their first strategy in the fully mixed
    equilibrium (each makes the *other* indifferent) and its payoffs; numbers or arrays alike."""
    dr0, dr1, dc0, dc1 = g
    q = dr1 / (dr1 - dr0)  # column's probability of column 1: the row player is indifferent
    p = dc1 / (dc1 - dc0)  # row's probability of row 1: the column player is indifferent
    return p, q, a[0][0] * q + a[0][1] * (1 - q), b[0][0] * p + b[1][0] * (1 - p)


def closed_2x2_batch(u: Array, tol: Array) -> Found:
    """The equilibria of a batch of 2x2 games (u: (2, 2, 2, N)) and the suspect points."""
    a, b = u[0], u[1]
    g = np.stack(gains(a, b))
    suspect = np.asarray((np.abs(g) <= tol).any(axis=0), dtype=bool)
    positive = np.asarray(g > 0, dtype=bool)
    ok = ~suspect
    cands: list[Candidate] = []
    for (i, j), signs in PURE_SIGNS.items():
        m = ok.copy()
        for k, want in signs:
            m &= positive[k] == want
        if m.any():
            cands.append(Candidate(((i,), (j,)), m, None, (a[i, j], b[i, j]), (2, 2)))
    mixed = ok & (positive[0] != positive[1]) & (positive[2] != positive[3])
    if mixed.any():
        safe = np.where(mixed, g, np.stack([np.zeros_like(g[0]), np.ones_like(g[0])] * 2))
        p, q, v_row, v_col = mixed_point(a, b, tuple(safe))  # type: ignore[arg-type]
        probs = (np.stack([p, 1 - p], axis=1), np.stack([q, 1 - q], axis=1))
        cands.append(Candidate(((0, 1), (0, 1)), mixed, probs, (v_row, v_col), (2, 2)))
    return Found(tuple(cands), suspect)
