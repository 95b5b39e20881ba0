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

import numpy as np

from solver.equilibria.batched.candidate import Array, Candidate, Found


def closed_2x2_batch(u: Array, tol: Array) -> Found:
    """The equilibria of a batch of 2x2 games (u: (2, 2, 2, N)) and the suspect points."""
    a, b = u[0], u[1]
    dr0, dr1 = a[0, 0] - a[1, 0], a[0, 1] - a[1, 1]
    dc0, dc1 = b[0, 0] - b[0, 1], b[1, 0] - b[1, 1]
    suspect = (
        (np.abs(dr0) <= tol) | (np.abs(dr1) <= tol) | (np.abs(dc0) <= tol) | (np.abs(dc1) <= tol)
    ).astype(bool)
    r0, r1, c0, c1 = (np.asarray(d > 0, dtype=bool) for d in (dr0, dr1, dc0, dc1))
    ok = ~suspect
    shape = (2, 2)
    cands: list[Candidate] = []
    for i, j, mask in ((0, 0, r0 & c0), (0, 1, r1 & ~c0), (1, 0, ~r0 & c1), (1, 1, ~r1 & ~c1)):
        m = mask & ok
        if m.any():
            cands.append(Candidate(((i,), (j,)), m, None, (a[i, j], b[i, j]), shape))
    mixed = ok & (r0 != r1) & (c0 != c1)
    if mixed.any():
        one = np.ones_like(dr0)
        q = dr1 / np.where(mixed, dr1 - dr0, one)  # column's probability of column 1
        p = dc1 / np.where(mixed, dc1 - dc0, one)  # row's probability of row 1
        v_row = a[0, 0] * q + a[0, 1] * (1 - q)
        v_col = b[0, 0] * p + b[1, 0] * (1 - p)
        probs = (np.stack([p, 1 - p], axis=1), np.stack([q, 1 - q], axis=1))
        cands.append(Candidate(((0, 1), (0, 1)), mixed, probs, (v_row, v_col), shape))
    return Found(tuple(cands), suspect)
