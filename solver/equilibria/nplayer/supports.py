"""Support profiles of an n-player game and their indifference systems.

Support enumeration with conditional dominance pruning follows Porter, Nudelman & Shoham (2008,
"Simple search methods for finding a Nash equilibrium", Algorithm 2): supports are chosen player
by player and, after each choice, strategies that are *conditionally strictly dominated* given the
remaining candidate sets are removed (a chosen support strategy being removed kills the branch).
At a leaf every support is exact, so every pure profile of ``S_-i`` has positive probability and a
support strategy that is weakly dominated there (strictly somewhere) cannot be a best response.

The indifference system of a support profile (McKelvey & McLennan 1996; Datta 2003) has, per
player ``i`` with ``|S_i| > 1``, the equations ``u_i(k) - u_i(k0) = 0`` for ``k`` in ``S_i``
other than its first strategy ``k0``; probabilities are ``x`` for ``S_i[1:]`` and ``1 - sum x``
for ``k0`` (the sum-to-one constraint eliminated).  Equations are multilinear, integer coefficients.

>>> import numpy as np
>>> mp = [np.array([[1, -1], [-1, 1]]), np.array([[-1, 1], [1, -1]])]   # matching pennies
>>> list(support_profiles([u.astype(float) for u in mp]))
[((0, 1), (0, 1))]
>>> sys = indifference_system([u.astype(object) for u in mp], ((0, 1), (0, 1)))
>>> sys.polys                            # -2 + 4 y = 0 and 2 - 4 x = 0
[{(0, 0): -2, (0, 1): 4}, {(0, 0): 2, (1, 0): -4}]
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from solver.core.budget import UNBOUNDED, Budget

Support = tuple[tuple[int, ...], ...]
Poly = dict[tuple[int, ...], int]


def integer_payoffs(payoffs: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """Per player, the payoffs times a positive integer making them integers (object arrays).

    Scaling one player's payoffs by a positive constant changes no equilibrium.
    """
    out = []
    for u in payoffs:
        fr = [v if isinstance(v, Fraction) else Fraction(v) for v in u.flat]
        lcm = math.lcm(*(f.denominator for f in fr)) if fr else 1
        ints = np.array([int(f * lcm) for f in fr], dtype=object).reshape(u.shape)
        out.append(ints)
    return out


def comparable(ints: Sequence[npt.NDArray[Any]]) -> list[npt.NDArray[Any]]:
    """Float copies when exact (integers below 2**53), else the object arrays themselves."""
    big = max((abs(int(v)) for u in ints for v in u.flat), default=0)
    return [u.astype(float) for u in ints] if big < 2**53 else list(ints)


def _subtensor(u: npt.NDArray[Any], j: int, doms: Sequence[Sequence[int]]) -> npt.NDArray[Any]:
    """Player ``j``'s payoffs, rows = all own strategies, columns = profiles of ``doms[-j]``."""
    shape = u.shape
    idx = [range(shape[k]) if k == j else doms[k] for k in range(len(shape))]
    sub = np.moveaxis(u[np.ix_(*idx)], j, 0)
    return sub.reshape(shape[j], -1)


def _prune(
    u: Sequence[npt.NDArray[Any]], doms: list[tuple[int, ...]], fixed: int
) -> list[tuple[int, ...]] | None:
    """Iterated removal of conditionally strictly dominated strategies; None if a branch dies."""
    n = len(u)
    changed = True
    while changed:
        changed = False
        for j in range(n):
            sub = _subtensor(u[j], j, doms)
            cand = sub[list(doms[j])]
            dom: npt.NDArray[np.bool_] = np.asarray(
                (sub[:, None, :] > cand[None, :, :]).all(axis=2).any(axis=0)
            )
            if dom.any():
                if j < fixed:
                    return None
                keep = tuple(a for a, d in zip(doms[j], dom.tolist(), strict=True) if not d)
                if not keep:
                    return None
                doms[j] = keep
                changed = True
    return doms


def _leaf_ok(u: Sequence[npt.NDArray[Any]], supp: Sequence[tuple[int, ...]]) -> bool:
    """No support strategy is weakly dominated (strictly somewhere) on the exact supports."""
    for j in range(len(u)):
        sub = _subtensor(u[j], j, supp)
        cand = sub[list(supp[j])]
        ge = (sub[:, None, :] >= cand[None, :, :]).all(axis=2)
        gt = (sub[:, None, :] > cand[None, :, :]).any(axis=2)
        if (ge & gt).any():
            return False
    return True


def support_profiles(u: Sequence[npt.NDArray[Any]], budget: Budget = UNBOUNDED) -> Iterator[Support]:
    """Every support profile that survives conditional dominance (sound: no equilibrium lost).

    ``u[j]`` is player ``j``'s payoff tensor (float or exact object array).  The enumeration
    stops early (the caller sees ``budget.expired()``) when ``budget`` runs out.
    """
    n = len(u)
    shape = u[0].shape

    def rec(i: int, doms: list[tuple[int, ...]]) -> Iterator[Support]:
        if budget.expired():
            return
        if i == n:
            if _leaf_ok(u, doms):
                yield tuple(doms)
            return
        for size in range(1, len(doms[i]) + 1):
            for s in combinations(doms[i], size):
                if budget.expired():
                    return
                d = list(doms)
                d[i] = s
                pruned = _prune(u, d, i + 1)
                if pruned is not None:
                    yield from rec(i + 1, pruned)

    root = _prune(u, [tuple(range(m)) for m in shape], 0)
    if root is not None:
        yield from rec(0, root)


class System(NamedTuple):
    """The indifference system of one support profile.

    ``nvars[j]`` variables for player ``j`` (``|S_j| - 1``) start at ``offsets[j]``; equation ``e``
    belongs to player ``owners[e]`` and has multilinear coefficient tensor ``tensors[e]`` over the
    other players' ``(1, x_j...)`` vectors; ``polys[e]`` is the same as ``{exponents: coeff}``.
    """

    support: Support
    nvars: tuple[int, ...]
    offsets: tuple[int, ...]
    owners: tuple[int, ...]
    tensors: tuple[npt.NDArray[Any], ...]
    polys: list[Poly]


def _affine(size: int) -> npt.NDArray[Any]:
    """Row ``r``: the probability of support strategy ``r`` in ``(1, x_1, ..., x_{size-1})``."""
    mat = np.zeros((size, size), dtype=object)
    mat[0, 0] = 1
    mat[0, 1:] = -1
    for r in range(1, size):
        mat[r, r] = 1
    return mat


def difference_tensor(
    ints: Sequence[npt.NDArray[Any]], supp: Support, i: int, k: int, k0: int
) -> npt.NDArray[Any]:
    """Coefficients of ``u_i(k) - u_i(k0)`` over the others' ``(1, x_j)`` vectors."""
    n = len(ints)
    idx: list[Any] = [supp[j] for j in range(n)]
    idx[i] = [k, k0]
    block = ints[i][np.ix_(*idx)]
    t: npt.NDArray[Any] = np.asarray(np.take(block, 0, axis=i) - np.take(block, 1, axis=i))
    axis = 0
    for j in range(n):
        if j == i:
            continue
        t = np.moveaxis(np.tensordot(t, _affine(len(supp[j])), axes=([axis], [0])), -1, axis)
        axis += 1
    return t


def tensor_poly(t: npt.NDArray[Any], others: Sequence[int], offsets: Sequence[int], m: int) -> Poly:
    """The ``{exponents: coefficient}`` form of a multilinear tensor over ``others``' vectors."""
    poly: Poly = {}
    for pos, c in np.ndenumerate(t):
        if c:
            exp = [0] * m
            for j, p in zip(others, pos, strict=True):
                if p:
                    exp[offsets[j] + p - 1] = 1
            poly[tuple(exp)] = int(c)
    return poly


def indifference_system(
    ints: Sequence[npt.NDArray[Any]], supp: Support, extra: Sequence[tuple[int, int]] = ()
) -> System:
    """The system of ``supp``; ``extra`` adds ``u_i(k) = u_i(k0)`` for off-support ``(i, k)``."""
    n = len(ints)
    nvars = tuple(len(s) - 1 for s in supp)
    offsets = tuple(int(v) for v in np.cumsum((0, *nvars))[:-1])
    m = sum(nvars)
    pairs = [(i, k) for i in range(n) for k in supp[i][1:]] + list(extra)
    tensors, polys = [], []
    for i, k in pairs:
        t = difference_tensor(ints, supp, i, k, supp[i][0])
        tensors.append(t)
        polys.append(tensor_poly(t, [j for j in range(n) if j != i], offsets, m))
    return System(supp, nvars, offsets, tuple(i for i, _ in pairs), tuple(tensors), polys)


def _vectors_of(system: System, x: Sequence[Any], one: Any) -> list[list[Any]]:
    """Per player the vector ``(1, x_j...)`` from the flat variable vector ``x``."""
    return [[one, *x[o : o + m]] for o, m in zip(system.offsets, system.nvars, strict=True)]


def residuals(
    system: System, x: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Float values and Jacobian of the system at ``x`` (for Newton's method)."""
    n = len(system.nvars)
    m = sum(system.nvars)
    ys = [np.asarray(v, dtype=float) for v in _vectors_of(system, list(x), 1.0)]
    vals = np.zeros(len(system.tensors))
    jac = np.zeros((len(system.tensors), m))
    for e, (i, t) in enumerate(zip(system.owners, system.tensors, strict=True)):
        others = [j for j in range(n) if j != i]
        tf = np.asarray(t, dtype=float)
        for skip in [None, *others]:
            r = tf
            for j in reversed(others):
                r = r if j == skip else np.tensordot(r, ys[j], axes=([others.index(j)], [0]))
            if skip is None:
                vals[e] = float(r)
            else:
                o = system.offsets[skip]
                jac[e, o : o + system.nvars[skip]] = np.asarray(r)[1:]
    return vals, jac


def full_profile(
    system: System, x: Sequence[Any], shape: Sequence[int], zero: Any, one: Any
) -> list[list[Any]]:
    """Mixed strategies of all players (zeros off support) from the variable vector ``x``."""
    out: list[list[Any]] = []
    for supp, y in zip(system.support, _vectors_of(system, x, one), strict=True):
        vec = [zero] * shape[len(out)]
        vec[supp[0]] = one - sum(y[1:], zero)
        for k, v in zip(supp[1:], y[1:], strict=True):
            vec[k] = v
        out.append(vec)
    return out
