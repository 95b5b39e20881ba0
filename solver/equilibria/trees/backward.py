"""Backward induction: every subgame-perfect equilibrium of a perfect-information tree.

Zermelo (1913) / Kuhn (1953); Selten (1965, 1975) for subgame perfection.  Nodes are in prefix
order, so visiting them from last to first sees children before parents.  A node's options are
the pairs (continuation payoffs, moves chosen in its subtree); a mover keeps *every* maximising
action, so ties branch and all pure SPE are listed (Osborne & Rubinstein 1994, §6.2).
:func:`spe_arrays` is the vectorised version for large generic trees (one argmax per node,
level by level with numpy) and reports whether any tie was met.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> [(moves, vals) for moves, vals in all_spe(t)[0]]
[({0: 1, 1: 1}, (2, 2))]
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.tree import Tree

#: stop enumerating after this many SPE (the result is then marked incomplete)
MAX_SPE = 1000

Option = tuple[tuple[Any, ...], tuple[tuple[int, int], ...]]


def _tie_tol(tree: Tree) -> float:
    vals = [float(v) for n in tree.nodes if n.is_terminal for v in n.payoffs]
    return 0.0 if not vals else tolerances.scaled(tolerances.TIE, max(vals) - min(vals))


def all_spe(
    tree: Tree, limit: int = MAX_SPE
) -> tuple[list[tuple[dict[int, int], tuple[Any, ...]]], bool]:
    """Every pure SPE as (infoset -> action, payoffs), and whether the list is complete."""
    exact = all(not isinstance(v, float) for n in tree.nodes for v in (*n.payoffs, *n.probs))
    tol = 0.0 if exact else _tie_tol(tree)
    options: dict[int, list[Option]] = {}
    complete = True
    for n in range(len(tree.nodes) - 1, -1, -1):
        node = tree.nodes[n]
        if node.is_terminal:
            options[n] = [(tuple(node.payoffs), ())]
            continue
        kids = [options.pop(c) for c in node.children]
        combos: Any = itertools.product(*kids)
        out: list[Option] = []
        for combo in combos:
            moves = tuple(m for _, ms in combo for m in ms)
            if node.is_chance:
                vals = tuple(
                    sum(p * v[i] for p, (v, _) in zip(node.probs, combo, strict=True))
                    for i in range(len(tree.players))
                )
                out.append((vals, moves))
            else:
                mine = [v[node.player] for v, _ in combo]
                best = max(mine)
                for a, x in enumerate(mine):
                    if (x == best) if exact else (x >= best - tol):
                        out.append((combo[a][0], ((node.infoset, a), *moves)))
            if len(out) > limit:
                complete = False
                out = out[:limit]
                break
        options[n] = out
    return [(dict(moves), vals) for vals, moves in options[0]], complete


def tree_arrays(tree: Tree) -> dict[str, npt.NDArray[Any]]:
    """CSR arrays of a numeric tree for :func:`spe_arrays` (children, players, payoffs)."""
    n = len(tree.nodes)
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(node.children) for node in tree.nodes])
    children = np.fromiter(
        (c for node in tree.nodes for c in node.children), dtype=np.int64, count=int(ptr[-1])
    )
    player = np.array([node.player for node in tree.nodes], dtype=np.int64)
    probs = np.zeros(int(ptr[-1]))
    pay = np.zeros((n, len(tree.players)))
    for k, node in enumerate(tree.nodes):
        if node.is_chance:
            probs[ptr[k] : ptr[k + 1]] = [float(p) for p in node.probs]
        elif node.is_terminal:
            pay[k] = [float(v) for v in node.payoffs]
    return {"ptr": ptr, "children": children, "player": player, "probs": probs, "payoffs": pay}


def spe_arrays(
    ptr: npt.NDArray[np.int64],
    children: npt.NDArray[np.int64],
    player: npt.NDArray[np.int64],
    probs: npt.NDArray[np.float64],
    payoffs: npt.NDArray[np.float64],
    tol: float = 0.0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], bool]:
    """Vectorised backward induction on CSR arrays (player -1 chance, -2 terminal).

    Returns (values per node and player, chosen action per node (-1 at leaves and chance),
    whether some mover had tied best actions: then other SPE exist, see :func:`all_spe`).
    """
    n = len(player)
    counts = np.diff(ptr)
    depth = np.zeros(n, dtype=np.int64)
    parent_of_child = np.repeat(np.arange(n), counts)
    # prefix order: a parent precedes its children, so one pass in index order fixes depths
    order = np.argsort(children, kind="stable")
    kids_sorted = children[order]
    parents_sorted = parent_of_child[order]
    for _ in range(64):  # iterate until stable (depth <= 64 passes of pointer doubling)
        new = np.zeros(n, dtype=np.int64)
        new[kids_sorted] = depth[parents_sorted] + 1
        if np.array_equal(new, depth):
            break
        depth = new
    else:
        depth = _depth_loop(n, kids_sorted, parents_sorted)
    values = payoffs.astype(float).copy()
    choice = np.full(n, -1, dtype=np.int64)
    tie = False
    for d in range(int(depth.max()) - 1, -1, -1):
        level = np.flatnonzero((depth == d) & (counts > 0))
        if not level.size:
            continue
        starts, lens = ptr[level], counts[level]
        seg = np.repeat(np.arange(level.size), lens)
        idx = (
            np.concatenate([np.arange(s, s + k) for s, k in zip(starts, lens, strict=True)])
            if level.size < 64
            else _ranges(starts, lens)
        )
        kid_vals = values[children[idx]]
        movers = player[level]
        chance = movers == -1
        mover_of_edge = np.repeat(movers, lens)
        own = kid_vals[np.arange(idx.size), np.clip(mover_of_edge, 0, None)]
        own = np.where(np.repeat(chance, lens), 0.0, own)
        best = np.maximum.reduceat(own, np.r_[0, np.cumsum(lens)[:-1]])
        is_best = own >= np.repeat(best, lens) - tol
        n_best = np.add.reduceat(is_best.astype(np.int64), np.r_[0, np.cumsum(lens)[:-1]])
        if np.any(n_best[~chance] > 1):
            tie = True
        first = np.r_[0, np.cumsum(lens)[:-1]]
        # first maximiser per segment
        pos = np.where(is_best, np.arange(idx.size), idx.size)
        arg = np.minimum.reduceat(pos, first) - first
        choice[level] = np.where(chance, -1, arg)
        chosen = children[ptr[level] + arg]
        values[level] = values[chosen]
        if chance.any():
            w = probs[idx][:, None] * kid_vals
            sums = np.add.reduceat(w, first, axis=0)
            values[level[chance]] = sums[chance]
        del seg
    return values, choice, tie


def _ranges(starts: npt.NDArray[np.int64], lens: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Concatenated ``arange(s, s + k)`` for every (s, k), vectorised."""
    total = int(lens.sum())
    offsets = np.repeat(starts - np.r_[0, np.cumsum(lens)[:-1]], lens)
    out: npt.NDArray[np.int64] = np.arange(total, dtype=np.int64) + offsets
    return out


def _depth_loop(
    n: int, kids: npt.NDArray[np.int64], parents: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    depth = np.zeros(n, dtype=np.int64)
    par = np.full(n, -1, dtype=np.int64)
    par[kids] = parents
    for k in range(1, n):
        depth[k] = depth[par[k]] + 1
    return depth
