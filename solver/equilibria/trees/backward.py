"""Backward induction: every subgame-perfect equilibrium of a perfect-information tree.

Zermelo (1913) / Kuhn (1953); Selten (1965, 1975) for subgame perfection.  One kernel,
:func:`backward_induction`, works level by level on CSR arrays of the tree, deepest level first.
A node's *options* are its continuation payoffs under each subgame-perfect play of its subtree: a
mover keeps *every* maximising action against every combination of its children's options, so
ties branch and all pure SPE are listed (Osborne & Rubinstein 1994, §6.2); a generic tree has one
option per node.  A wide level of a large tree is one numpy pass over its nodes whose children
have one option each; a narrow level (every level of a small tree: plain Python lists, no numpy
call per level) and a node with a tied child are enumerated in Python, combination after
combination, each node stopping as soon as it has more than ``limit`` options.  :func:`all_spe`
runs it on the tree's own numbers (exact trees compare exactly); :func:`spe_arrays` keeps one
option per node (the first maximiser) for large float trees and reports whether a tie was met.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> [(moves, vals) for moves, vals in all_spe(t)[0]]
[({0: 1, 1: 1}, (2, 2))]
>>> values, choice, tie = spe_arrays(**tree_arrays(t))  # the same kernel, one option per node
>>> values[0].tolist(), choice.tolist(), tie
([2.0, 2.0], [1, -1, 1, -1, -1], False)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.tree import CHANCE, Tree
from solver.core.tree_columns import tree_columns
from solver.equilibria.trees.arrays import INT64_SAFE as INT64_SAFE  # re-exported
from solver.equilibria.trees.arrays import SMALL, Options, Table, level_plan, starts
from solver.equilibria.trees.arrays import tree_arrays as tree_arrays  # re-exported: one import for callers

#: stop enumerating after this many SPE (the result is then marked incomplete)
MAX_SPE = 1000
#: a level of a large tree with at most this many edges is solved in plain Python (numpy's
#: per-call cost would dominate)
NARROW = 48

Ints = npt.NDArray[np.int64]


def backward_induction(arrays: dict[str, npt.NDArray[Any]], tol: float = 0.0, limit: int = MAX_SPE) -> Options:
    """Every node's SPE options from CSR arrays (see :func:`.arrays.tree_arrays`), deepest
    level first (Kuhn 1953; Selten 1965).

    ``tol``: absolute slack under which two payoffs of a mover tie (0: exact comparison, the
    only one used for object arrays of exact numbers).  Each node keeps its first ``limit``
    options, in the order of the combinations of its children's options (the last child varying
    fastest), each combination giving its best actions in order.  Wide levels of a large tree
    go to :func:`_wide` (numpy), the others to :func:`_enumerate` (Python lists).  Caches the
    level plan in ``arrays`` (:func:`.arrays.level_plan`).
    """
    order, level_ptr, edges, edge_ptr = level_plan(arrays)
    ptr = arrays["ptr"]
    nodes_at, edges_at = level_ptr.tolist(), edge_ptr.tolist()
    wide = [b - a > NARROW for a, b in itertools.pairwise(edges_at)]
    table = Table(arrays["payoffs"], ptr, vector=len(ptr) - 1 > SMALL and any(wide))
    cols: list[Any] = [order, ptr[order + 1] - ptr[order], arrays["player"][order]]
    cols += [arrays["children"][edges], arrays["probs"][edges]]
    if not table.vector:  # every level in Python: one conversion for the whole tree
        cols = [x.tolist() for x in cols]
    complete = True
    for d in reversed(range(len(wide))):
        v, e = slice(nodes_at[d], nodes_at[d + 1]), slice(edges_at[d], edges_at[d + 1])
        level: list[Any] = [cols[0][v], cols[1][v], cols[2][v], cols[3][e], cols[4][e]]
        if table.vector and wide[d]:
            complete &= _wide(table, *level, tol=tol, limit=limit)
        else:
            narrow: list[Any] = [x if isinstance(x, list) else x.tolist() for x in level]
            complete &= _enumerate(table, *narrow, tol=tol, limit=limit)
    return table.options(complete)


def _enumerate(
    table: Table,
    nodes: list[int],
    lens: list[int],
    movers: list[int],
    kids: list[int],
    probs: list[Any],
    *,
    tol: float,
    limit: int,
) -> bool:
    """The options of ``nodes`` in plain Python, combination after combination (the last child
    varying fastest), each node stopping once it has more than ``limit``; False if one did."""
    first, count, rows = table.fetch(kids)
    out_count: list[int] = []
    vals: list[Any] = []
    acts: list[int] = []
    at: list[int] = []
    combo: list[int] = []
    base, s, complete = len(table.combo), 0, True
    for m, p in zip(lens, movers, strict=True):
        f, c, s = first[s : s + m], count[s : s + m], s + m
        before = len(vals)
        picks: Any = (f,) if c.count(1) == m else itertools.product(*map(range, f, map(int.__add__, f, c)))
        for ids in picks:
            where = base + len(combo)
            combo += ids
            if p < 0:  # chance: one option, the expected payoffs
                vals.append(_expect(probs[s - m : s], [rows[i] for i in ids], table.dtype))
                acts.append(-1)
                at.append(where)
            else:
                own = [rows[i][p] for i in ids]
                best = max(own)
                if not tol and own.count(best) == 1:  # the generic case: one maximiser
                    a = own.index(best)
                    vals.append(rows[ids[a]])
                    acts.append(a)
                    at.append(where)
                else:  # every maximiser (``>= max - tol``; exact: ``== max``, one comparison each)
                    low = best - tol if tol else best
                    picked = [a for a, x in enumerate(own) if (x >= low if tol else x == low)]
                    vals += [rows[ids[a]] for a in picked]
                    acts += picked
                    at += [where] * len(picked)
            if len(vals) - before > limit:
                del vals[before + limit :], acts[before + limit :], at[before + limit :]
                complete = False
                break
        out_count.append(len(vals) - before)
    table.append(nodes, out_count, vals, acts, at, combo)
    return complete


def _expect(probs: list[Any], rows: list[Any], dtype: np.dtype[Any]) -> list[Any]:
    """A chance node's expected payoffs, added up in the order :func:`_wide` adds them (numpy's
    ``reduceat``: one by one for exact numbers, pairwise for floats), so a level's width never
    changes a result."""
    if not dtype.hasobject:
        w = np.array(probs)[:, None] * np.array(rows)
        out: list[Any] = (0 + np.add.reduceat(w, [0], axis=0)[0]).tolist()
        return out
    total = [probs[0] * x for x in rows[0]]
    for q, row in zip(probs[1:], rows[1:], strict=True):
        total = [t + q * x for t, x in zip(total, row, strict=True)]
    return [0 + t for t in total]


def _wide(
    table: Table, nodes: Ints, lens: Ints, movers: Ints, kids: Ints, probs: npt.NDArray[Any], *, tol: float, limit: int
) -> bool:
    """The options of a wide level in one numpy pass; its nodes with a tied child (several
    combinations) go to :func:`_enumerate`."""
    complete = True
    if (several := table.count[kids] != 1).any():
        tied = np.logical_or.reduceat(several, starts(lens))
        by_edge = np.repeat(tied, lens)
        picked: list[Any] = [x.tolist() for x in (nodes[tied], lens[tied], movers[tied], kids[by_edge], probs[by_edge])]
        complete = _enumerate(table, *picked, tol=tol, limit=limit)
        if tied.all():
            return complete
        nodes, lens, movers, kids, probs = nodes[~tied], lens[~tied], movers[~tied], kids[~by_edge], probs[~by_edge]
    kf: Ints = table.first[kids]
    seg = starts(lens)
    where = table.combo.extend(kf) + seg  # one combination per node: its children's options
    kid_vals = table.values.data[kf]
    own = kid_vals[np.arange(kf.size), np.repeat(np.maximum(movers, 0), lens)]
    best = np.repeat(np.maximum.reduceat(own, seg), lens)
    out = np.asarray(own >= best - tol if tol else own >= best, dtype=bool)
    chance = movers == -1
    if has_chance := bool(chance.any()):  # a chance node: one option, on its first edge
        edge_chance = np.repeat(chance, lens)
        out[edge_chance] = False
        out[seg[chance]] = True
    out_edge = np.flatnonzero(out)  # in node order, then edge order
    out_node = np.repeat(np.arange(lens.size), lens)[out_edge]
    out_vals = kid_vals[out_edge]
    act = out_edge - seg[out_node]
    if has_chance:
        by_chance = edge_chance[out_edge]
        w = probs[edge_chance][:, None] * kid_vals[edge_chance]
        out_vals[by_chance] = 0 + np.add.reduceat(w, starts(lens[chance]), axis=0)
        act[by_chance] = -1
    keep: Any = slice(None)
    kept = np.ones(lens.size, dtype=np.int64)
    if out_edge.size > lens.size:  # ties: keep each node's first `limit` options
        per_node = np.bincount(out_node, minlength=lens.size)
        keep = np.arange(out_node.size) - np.repeat(starts(per_node), per_node) < limit
        complete = complete and bool(keep.all())
        kept = np.minimum(per_node, limit)
    table.first[nodes] = table.values.extend(out_vals[keep]) + starts(kept)
    table.count[nodes] = kept
    table.action.extend(act[keep])
    table.kids.extend(where[out_node][keep])
    return complete


def spe_arrays(
    ptr: Ints,
    children: Ints,
    player: Ints,
    probs: npt.NDArray[np.float64],
    payoffs: npt.NDArray[np.float64],
    tol: float = 0.0,
) -> tuple[npt.NDArray[np.float64], Ints, bool]:
    """One SPE of a float tree on CSR arrays (player -1 chance, -2 terminal): the kernel keeping
    one option per node.

    Returns (values per node and player, chosen action per node (-1 at leaves and chance),
    whether some mover had tied best actions: then other SPE exist, see :func:`all_spe`).
    """
    arrays = {"ptr": ptr, "children": children, "player": player, "probs": probs, "payoffs": payoffs}
    opts = backward_induction(arrays, tol, limit=1)
    values: npt.NDArray[np.float64] = opts.values[opts.first]
    return values, opts.action[opts.first], not opts.complete


def all_spe(tree: Tree, limit: int = MAX_SPE) -> tuple[list[tuple[dict[int, int], tuple[Any, ...]]], bool]:
    """Every pure SPE as (infoset -> action, payoffs), and whether the list is complete.

    When every payoff and probability is a :class:`~fractions.Fraction`, the kernel compares
    integers: the payoffs times their common denominator (ties and order unchanged), divided
    back at the end.
    """
    cols = tree_columns(tree)
    kinds = set(map(type, cols.numbers))
    exact = not any(issubclass(t, float) for t in kinds)
    tol = 0.0 if exact else tie_tolerance(tree)
    fractions = exact and kinds <= {Fraction}
    scale = math.lcm(*set(map(attrgetter("denominator"), cols.payoffs))) if fractions else 0
    arrays = tree_arrays(tree, objects=True, scale=scale, cols=cols)
    opts = backward_induction(arrays, tol, limit)
    movers = np.flatnonzero((np.diff(arrays["ptr"]) > 0) & (cols.player != CHANCE))
    roots, acts = spe_moves(arrays, opts, movers.tolist())
    values = opts.values[roots].tolist()
    if scale:
        back = {v: Fraction(v, scale) for v in {v for row in values for v in row}}
        values = [[back[v] for v in row] for row in values]
    infosets = cols.infoset[movers].tolist()
    return [
        (dict(zip(infosets, moves, strict=True)), tuple(vals)) for vals, moves in zip(values, acts, strict=True)
    ], opts.complete


def spe_moves(
    arrays: dict[str, npt.NDArray[Any]], opts: Options, movers: list[int]
) -> tuple[list[int], list[list[int]]]:
    """Each SPE (one per option of the root): its root option and its actions at ``movers``.

    Root first, a parent's option fixes its children's (through ``kids`` and ``combo``): in
    plain Python for a few SPE of a small tree, else one numpy pass per level over every SPE.
    """
    order, _, edges, edge_ptr = level_plan(arrays)
    ptr, children = arrays["ptr"], arrays["children"]
    roots = list(range(int(opts.first[0]), int(opts.first[0] + opts.count[0])))
    if len(roots) * len(edges) <= SMALL:
        p, c, kids, combo, action = (x.tolist() for x in (ptr, children, opts.kids, opts.combo, opts.action))
        acts = []
        for root in roots:
            option = {0: root}
            for k in order.tolist():
                at = kids[option[k]] - p[k]
                option.update(zip(c[p[k] : p[k + 1]], combo[at + p[k] : at + p[k + 1]], strict=True))
            acts.append([action[option[k]] for k in movers])
        return roots, acts
    kid = children[edges]
    inner = np.flatnonzero(ptr[kid + 1] > ptr[kid])  # edges to inner nodes: leaves need no option
    parent = np.repeat(order, ptr[order + 1] - ptr[order])[inner]
    pos, kid = edges[inner] - ptr[parent], kid[inner]
    cut = np.searchsorted(inner, edge_ptr).tolist()
    used = np.zeros((len(roots), len(ptr) - 1), dtype=np.int64)
    used[:, 0] = roots
    for a, b in itertools.pairwise(cut):
        used[:, kid[a:b]] = opts.combo[opts.kids[used[:, parent[a:b]]] + pos[a:b]]
    return roots, opts.action[used[:, movers]].tolist()


def tie_tolerance(tree: Tree) -> float:
    """Slack under which two float payoffs of a mover tie: ``TIE`` times the payoff span."""
    vals = [float(v) for n in tree.nodes if n.is_terminal for v in n.payoffs]
    return 0.0 if not vals else tolerances.scaled(tolerances.TIE, max(vals) - min(vals))
