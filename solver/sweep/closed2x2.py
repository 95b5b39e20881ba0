"""Batched closed form for 2x2 games (the same algebra as :mod:`solver.equilibria.two_by_two`).

With ``dr_j`` the row player's gain from row 1 over row 2 against column j and ``dc_i`` the
column player's gain from column 1 against row i, pure profile (i, j) is an equilibrium iff both
gains point to it, and a fully mixed equilibrium exists iff both players' gains change sign.
Any gain within tolerance of zero marks the point suspect (degenerate).

>>> import numpy as np
>>> u = np.array([[[0, 3], [1, 2]], [[0, 1], [3, 2]]], dtype=float)[..., None]  # chicken
>>> cands = []; bool(closed_2x2_batch(u, np.array([1e-9]), cands)[0]), len(cands)
(False, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]


def closed_2x2_batch(u: Array, tol: Array, cands: list[Any]) -> npt.NDArray[np.bool_]:
    """Append the equilibria of a batch of 2x2 games (u: (2, 2, 2, N)); return suspect points."""
    from .engine import Candidate

    a, b = u[0], u[1]
    dr0, dr1 = a[0, 0] - a[1, 0], a[0, 1] - a[1, 1]
    dc0, dc1 = b[0, 0] - b[0, 1], b[1, 0] - b[1, 1]
    suspect: npt.NDArray[np.bool_] = (
        (np.abs(dr0) <= tol) | (np.abs(dr1) <= tol) | (np.abs(dc0) <= tol) | (np.abs(dc1) <= tol)
    )
    r0, r1, c0, c1 = dr0 > 0, dr1 > 0, dc0 > 0, dc1 > 0
    ok = ~suspect
    shape = (2, 2)
    for i, j, mask in (
        (0, 0, r0 & c0),
        (0, 1, r1 & ~c0),
        (1, 0, ~r0 & c1),
        (1, 1, ~r1 & ~c1),
    ):
        m = mask & ok
        if m.any():
            cands.append(
                Candidate(((i,), (j,)), m, None, [a[i, j], b[i, j]], shape)
            )
    mixed = ok & (r0 != r1) & (c0 != c1)
    if mixed.any():
        with np.errstate(all="ignore"):
            q = np.where(mixed, dr1 / (dr1 - dr0), 0.5)  # column's probability of column 1
            p = np.where(mixed, dc1 / (dc1 - dc0), 0.5)  # row's probability of row 1
        v_row = a[0, 0] * q + a[0, 1] * (1 - q)
        v_col = b[0, 0] * p + b[1, 0] * (1 - p)
        probs = [np.stack([p, 1 - p], axis=1), np.stack([q, 1 - q], axis=1)]
        cands.append(
            Candidate(((0, 1), (0, 1)), mixed, probs, [v_row, v_col], shape)
        )
    return suspect
