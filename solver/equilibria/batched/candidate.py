"""The value every batched kernel returns: one support profile's equilibrium over a batch.

A batch is ``N`` games of one shape, payoffs ``u`` of shape ``(n_players, s_1, ..., s_n, N)``.
A kernel returns the :class:`Candidate` equilibria it found and a *suspect* mask: the points
where a tie (a probability, payoff gap or determinant within tolerance of zero) makes the batched
algebra unsafe, which the caller solves exactly instead.  Pure profiles are found by vectorised
best-response checks (the definition of Nash equilibrium, Nash 1951).

>>> import numpy as np
>>> u = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)[..., None]  # prisoner's dilemma
>>> [c.support for c in pure_candidates(u)], bool(pure_ties(u, np.array([1e-9]))[0])
([((1,), (1,))], False)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.equilibria.pure import pure_equilibrium_mask

Array = npt.NDArray[Any]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Candidate:
    """One support profile's equilibrium over the batch (``mask`` says where it exists)."""

    support: tuple[tuple[int, ...], ...]
    mask: Mask
    mixed: tuple[Array, ...] | None  # per player (N, s_i); None for a pure profile (built on demand)
    value_columns: tuple[Array, ...]  # per player (N,): expected payoffs
    shape: tuple[int, ...] = ()

    @property
    def values(self) -> Array:
        """Expected payoffs, shape (N, n_players) (stacked on demand: most sweeps never ask)."""
        return np.stack(self.value_columns, axis=1)

    @property
    def probs(self) -> tuple[Array, ...]:
        if self.mixed is not None:
            return self.mixed
        out = []
        for k, s in zip(self.support, self.shape, strict=True):
            p = np.zeros((self.mask.shape[0], s))
            p[:, k[0]] = 1.0
            out.append(p)
        return tuple(out)

    def without(self, points: Mask) -> Candidate:
        """The same candidate with ``points`` removed from its mask."""
        return replace(self, mask=self.mask & ~points)


@dataclass(frozen=True)
class Found:
    """A kernel's answer: the candidates and the points it could not decide."""

    candidates: tuple[Candidate, ...]
    suspect: Mask

    def __add__(self, other: Found) -> Found:
        return Found(self.candidates + other.candidates, self.suspect | other.suspect)


def pure_candidates(payoffs: Array) -> tuple[Candidate, ...]:
    """Every pure profile that is an equilibrium somewhere in the batch."""
    shape = payoffs.shape[1:-1]
    mask = pure_equilibrium_mask(payoffs, len(shape), tol=0.0)
    out = []
    for idx in np.ndindex(*shape):
        m = mask[idx]
        if not m.any():
            continue
        values = tuple(payoffs[(i, *idx)] for i in range(len(shape)))
        out.append(Candidate(tuple((k,) for k in idx), m, None, values, tuple(shape)))
    return tuple(out)


def pure_ties(payoffs: Array, tol: Array) -> Mask:
    """Points where some player has two best payoffs within ``tol`` against a pure profile of the others."""
    n = payoffs.shape[0]
    out = np.zeros(payoffs.shape[-1], dtype=bool)
    for i in range(n):
        u = payoffs[i]
        if u.shape[i] < 2:
            continue
        best = u.max(axis=i, keepdims=True)
        ties = (u >= best - tol).sum(axis=i) > 1
        out |= ties.reshape(-1, payoffs.shape[-1]).any(0)
    return out


def pure_found(payoffs: Array, tol: Array) -> Found:
    """Pure equilibria of the batch, ties suspect (complete for games where nobody mixes)."""
    return Found(pure_candidates(payoffs), pure_ties(payoffs, tol))
