"""Indifference systems of many support profiles at once, evaluated over many boxes at once.

A support profile with ``m_j = |S_j| - 1`` unknowns per player (:mod:`.supports`) has, for player
``i``, the equations ``u_i(k) - u_i(k0) = 0`` (``k`` in ``S_i[1:]``); written over the other
players' vectors ``(1, x_j)`` they are tensors contracted once with each such vector, so the
system is *multilinear* (McKelvey & McLennan 1996).  Supports with the same ``m`` share one
:class:`Layout` and their coefficient tensors are stacked, so one batched matrix product evaluates
every equation of every support at every corner of every box.  Since a multilinear function's
range over a box is spanned by its corner values, those give exact ranges (of the equations and
of their Jacobian).

>>> import numpy as np
>>> mp = [np.array([[1., -1.], [-1., 1.]]), np.array([[-1., 1.], [1., -1.]])]   # matching pennies
>>> lay = layout(mp, [((0, 1), (0, 1))])
>>> lay.nvars, [b.coeffs.tolist() for b in lay.blocks]    # -2 + 4 y = 0 and 2 - 4 x = 0
((1, 1), [[[[-2.0, 4.0]]], [[[2.0, -4.0]]]])
>>> lo, hi = np.zeros((1, 2)), np.ones((1, 2))
>>> values(lay, corners(lay, lo, hi), np.zeros(1, dtype=int)).tolist()   # corners 00, 01, 10, 11
[[[-2.0, -2.0, 2.0, 2.0], [2.0, -2.0, 2.0, -2.0]]]
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import product
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from solver.core.tolerances import FLOOR

Array = npt.NDArray[np.float64]
Index = npt.NDArray[np.intp]
Support = tuple[tuple[int, ...], ...]


class Block(NamedTuple):
    """One player's equations: ``coeffs[s]`` is support ``s``'s tensor (equations, then one axis
    per other player over ``(1, x_j)``)."""

    rows: slice
    owner: int
    others: tuple[int, ...]
    coeffs: Array


class Layout(NamedTuple):
    """Supports sharing the unknown counts ``nvars`` (offsets into the flat vector ``x``)."""

    nvars: tuple[int, ...]
    offsets: tuple[int, ...]
    blocks: tuple[Block, ...]


@cache
def _affine(size: int) -> Array:
    """``p = (1, x) @ A``: the support's probabilities from ``(1, x_1, ..., x_{size-1})``."""
    mat = np.eye(size)
    mat[0, 1:] = -1.0
    return mat


def layout(payoffs: Sequence[npt.NDArray[np.float64]], supports: Sequence[Support]) -> Layout:
    """The stacked float systems of ``supports`` (all with the same support sizes)."""
    n = len(payoffs)
    sizes = tuple(len(s) for s in supports[0])
    nvars = tuple(k - 1 for k in sizes)
    offsets = tuple(int(v) for v in np.cumsum((0, *nvars))[:-1])
    idx = [np.array([s[j] for s in supports], dtype=np.intp) for j in range(n)]
    blocks, start = [], 0
    for i in range(n):
        if not nvars[i]:
            continue
        grid = [idx[j].reshape((-1, *(sizes[j] if t == j else 1 for t in range(n)))) for j in range(n)]
        block = payoffs[i][tuple(grid)]  # (S, |S_0|, ..., |S_{n-1}|)
        own = np.take(block, range(1, sizes[i]), axis=1 + i) - np.take(block, [0], axis=1 + i)
        t = np.moveaxis(own, 1 + i, 1)  # (S, m_i, others...)
        for axis, j in enumerate(j for j in range(n) if j != i):
            t = np.moveaxis(np.tensordot(t, _affine(sizes[j]), axes=([2 + axis], [0])), -1, 2 + axis)
        others = tuple(j for j in range(n) if j != i)
        blocks.append(Block(slice(start, start + nvars[i]), i, others, np.ascontiguousarray(t)))
        start += nvars[i]
    return Layout(nvars, offsets, tuple(blocks))


@cache
def _bits(m: int) -> Array:
    return np.array(list(product((0.0, 1.0), repeat=m)), dtype=float).reshape(2**m, m)


def _split(lay: Layout, x: Array) -> list[Array]:
    return [x[:, o : o + m] for o, m in zip(lay.offsets, lay.nvars, strict=True)]


def corners(lay: Layout, lo: Array, hi: Array) -> list[Array]:
    """Per player, ``(N, 2**m_j, 1 + m_j)``: ``(1, x_j)`` at the corners of every box's face."""
    out = []
    for a, b in zip(_split(lay, lo), _split(lay, hi), strict=True):
        x = a[:, None, :] + _bits(a.shape[1])[None] * (b - a)[:, None, :]
        out.append(np.concatenate([np.ones((*x.shape[:2], 1)), x], axis=2))
    return out


def points(lay: Layout, x: Array) -> list[Array]:
    """Per player, ``(N, 1, 1 + m_j)``: ``(1, x_j)`` at every point."""
    return [np.concatenate([np.ones((len(x), 1)), v], axis=1)[:, None, :] for v in _split(lay, x)]


def contract(coeffs: Array, mats: list[Array]) -> Array:
    """``(N, k, C_q, ..., C_1)``: per-box tensors ``(N, k, d_1, ..., d_q)`` contracted with one
    ``(N or 1, C_t, d_t)`` matrix per axis, last axis first (batched matrix products)."""
    n_box, k = coeffs.shape[:2]
    r = coeffs.reshape(n_box, -1, coeffs.shape[-1])
    acc = 1
    for t in range(len(mats) - 1, -1, -1):
        if t < len(mats) - 1:  # bring axis d_t last: (N, rest, d_t, acc) -> (N, rest * acc, d_t)
            d = coeffs.shape[t + 2]
            r = r.reshape(n_box, -1, d, acc).swapaxes(2, 3).reshape(n_box, -1, d)
        r = r @ mats[t].swapaxes(1, 2)
        acc *= mats[t].shape[1]
    return r.reshape(n_box, k, *(m.shape[1] for m in reversed(mats)))


def block_values(lay: Layout, vecs: list[Array], sid: Index) -> list[Array]:
    """Per block, its equations at the corners of the other players' faces: ``(N, k, C)``."""
    return [
        contract(b.coeffs[sid], [vecs[j] for j in b.others]).reshape(len(sid), b.coeffs.shape[1], -1)
        for b in lay.blocks
    ]


def values(lay: Layout, vecs: list[Array], sid: Index) -> Array:
    """Every equation at every corner of every box: ``(N, M, prod of corner counts)``."""
    n = len(vecs)
    sizes = [v.shape[1] for v in vecs]
    out = np.empty((len(sid), sum(lay.nvars), *reversed(sizes)))
    for b in lay.blocks:
        got = contract(b.coeffs[sid], [vecs[j] for j in b.others])
        out[:, b.rows] = np.expand_dims(got, 2 + n - 1 - b.owner)
    return out.reshape(len(sid), out.shape[1], -1)


def jacobian(lay: Layout, vecs: list[Array], sid: Index) -> tuple[Array, Array]:
    """The exact range (min and max over the corners) of every Jacobian entry: ``(N, M, M)``."""
    n_box, m = len(sid), sum(lay.nvars)
    jlo = np.zeros((n_box, m, m))
    jhi = np.zeros((n_box, m, m))
    for b in lay.blocks:
        coeffs = b.coeffs[sid]
        k, q = coeffs.shape[1], len(b.others)
        for pos, j in enumerate(b.others):
            mj = lay.nvars[j]
            if not mj:
                continue
            mats = [np.eye(1 + mj)[None, 1:] if t == j else vecs[t] for t in b.others]
            v = np.moveaxis(contract(coeffs, mats), 2 + q - 1 - pos, 2).reshape(n_box, k, mj, -1)
            cols = slice(lay.offsets[j], lay.offsets[j] + mj)
            jlo[:, b.rows, cols], jhi[:, b.rows, cols] = v.min(axis=3), v.max(axis=3)
    return jlo, jhi


def inverse(mat: Array) -> tuple[Array, npt.NDArray[np.bool_]]:
    """Batched inverses; singular (or non-finite) matrices get zeros and ``False``."""
    ok: npt.NDArray[np.bool_] = np.asarray(np.isfinite(mat).all(axis=(1, 2)))
    ok[ok] = np.abs(np.linalg.det(mat[ok])) > FLOOR
    inv = np.zeros_like(mat)
    try:
        inv[ok] = np.linalg.inv(mat[ok])
    except np.linalg.LinAlgError:  # a zero pivot the determinant did not show: one at a time
        for t in np.flatnonzero(ok):
            try:
                inv[t] = np.linalg.inv(mat[t])
            except np.linalg.LinAlgError:
                ok[t] = False
    return inv, ok & np.isfinite(inv).all(axis=(1, 2))
