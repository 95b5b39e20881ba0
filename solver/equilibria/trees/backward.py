"""Backward induction: every subgame-perfect equilibrium of a perfect-information tree.

Zermelo (1913) / Kuhn (1953); Selten (1965, 1975) for subgame perfection.  One kernel,
:func:`backward_induction`, works level by level on CSR arrays of the tree (deepest level
first, one numpy pass per level).  A node's *options* are its continuation payoffs under
each subgame-perfect play of its subtree: a mover keeps *every* maximising action against every
combination of its children's options, so ties branch and all pure SPE are listed (Osborne &
Rubinstein 1994, §6.2); a generic tree has one option per node.  :func:`all_spe` runs it on the
tree's own numbers (exact trees compare exactly); :func:`spe_arrays` keeps one option per node
(the first maximiser) for large float trees and reports whether any tie was met.

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
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.tree import Tree
from solver.equilibria.trees.arrays import Growing, levels, ranges, starts
from solver.equilibria.trees.arrays import tree_arrays as tree_arrays  # re-exported: one import for callers

#: stop enumerating after this many SPE (the result is then marked incomplete)
MAX_SPE = 1000

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Options:
    """The kernel's answer: node ``n`` owns options ``first[n]`` to ``first[n] + count[n] - 1``.

    Per option: ``values`` (one row of payoffs), ``action`` (child position chosen at a decision
    node, -1 at leaves and chance nodes) and ``kids`` (where the option ids of the children it
    continues with start in ``combo``; -1 at leaves).  ``complete``: no node was truncated to
    ``limit`` options (with ``limit=1``: no mover had tied best actions).
    """

    first: Ints
    count: Ints
    values: npt.NDArray[Any]
    action: Ints
    kids: Ints
    combo: Ints
    complete: bool


def backward_induction(
    arrays: dict[str, npt.NDArray[Any]], tol: float = 0.0, limit: int = MAX_SPE
) -> Options:
    """Every node's SPE options from CSR arrays (see :func:`.arrays.tree_arrays`).

    ``tol``: absolute slack under which two payoffs of a mover tie (0: exact comparison, the
    only one used for object arrays of exact numbers).  Each node keeps its first ``limit``
    options, in the order of the combinations of its children's options (the last child varying
    fastest), each combination giving its best actions in order.
    """
    ptr, children, player = arrays["ptr"], arrays["children"], arrays["player"]
    probs, payoffs = arrays["probs"], arrays["payoffs"]
    n = len(player)
    values = Growing(payoffs[:0], n)
    action, kids, combo = Growing(ptr[:0], n), Growing(ptr[:0], n), Growing(ptr[:0], len(children))
    first = np.full(n, -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    leaves = np.flatnonzero(np.diff(ptr) == 0)
    first[leaves] = values.extend(payoffs[leaves]) + np.arange(leaves.size)
    count[leaves] = 1
    action.extend(np.full(leaves.size, -1, dtype=np.int64))
    kids.extend(np.full(leaves.size, -1, dtype=np.int64))
    complete = True
    for level in reversed(levels(ptr, children)):
        node_of, opts, lens = _combos(ptr, children, level, first, count, limit)
        seg = starts(lens)
        at = combo.extend(opts) + seg  # where each combination's option ids are stored
        kid_vals = values.data[opts]
        mover = player[level][node_of]
        edge = np.arange(opts.size)
        own = kid_vals[edge, np.repeat(np.maximum(mover, 0), lens)]
        best = np.repeat(np.maximum.reduceat(own, seg), lens)
        out = np.asarray(own >= best - tol if tol else own >= best, dtype=bool)
        chance = mover == -1
        if has_chance := bool(chance.any()):  # a chance combination: one option, on its first edge
            edge_chance = np.repeat(chance, lens)
            out[edge_chance] = False
            out[seg[chance]] = True
        out_edge = np.flatnonzero(out)  # in combination order, then edge order
        out_combo = np.repeat(np.arange(lens.size), lens)[out_edge]
        out_vals = kid_vals[out_edge]
        act = out_edge - seg[out_combo]
        if has_chance:
            by_chance = edge_chance[out_edge]
            csr = np.repeat(ptr[level][node_of] - seg, lens) + edge
            w = probs[csr[edge_chance]][:, None] * kid_vals[edge_chance]
            out_vals[by_chance] = 0 + np.add.reduceat(w, starts(lens[chance]), axis=0)
            act[by_chance] = -1
        if out_edge.size == level.size:  # one option per node: nothing to truncate
            kept = np.ones(level.size, dtype=np.int64)
            keep: Any = slice(None)
        else:  # keep each node's first `limit` options
            out_node = node_of[out_combo]
            per_node = np.bincount(out_node, minlength=level.size)
            keep = np.arange(out_node.size) - np.repeat(starts(per_node), per_node) < limit
            complete = complete and bool(keep.all())
            kept = np.minimum(per_node, limit)
        first[level] = values.extend(out_vals[keep]) + starts(kept)
        count[level] = kept
        action.extend(act[keep])
        kids.extend(at[out_combo][keep])
    return Options(first, count, values.data, action.data, kids.data, combo.data, complete)


def _combos(
    ptr: Ints, children: Ints, level: Ints, first: Ints, count: Ints, limit: int
) -> tuple[Ints, Ints, Ints]:
    """The combinations of children's options at each node of ``level``, at most ``limit + 1``
    per node (enough to exceed ``limit`` options): (node of each, option ids, lengths)."""
    lens = np.diff(ptr)[level]
    edges = ranges(ptr[level], lens)
    kid_first, kid_count = first[children[edges]], count[children[edges]]
    if (kid_count == 1).all():  # generic: one combination per node
        return np.arange(level.size), kid_first, lens
    node_of: list[int] = []
    opts: list[int] = []
    for k, (s, m) in enumerate(zip(starts(lens).tolist(), lens.tolist(), strict=True)):
        firsts, sizes = kid_first[s : s + m].tolist(), kid_count[s : s + m].tolist()
        for pick in itertools.islice(itertools.product(*map(range, sizes)), limit + 1):
            node_of.append(k)
            opts.extend(f + j for f, j in zip(firsts, pick, strict=True))
    node = np.array(node_of, dtype=np.int64)
    return node, np.array(opts, dtype=np.int64), lens[node]


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


def all_spe(
    tree: Tree, limit: int = MAX_SPE
) -> tuple[list[tuple[dict[int, int], tuple[Any, ...]]], bool]:
    """Every pure SPE as (infoset -> action, payoffs), and whether the list is complete."""
    exact = all(not isinstance(v, float) for n in tree.nodes for v in (*n.payoffs, *n.probs))
    tol = 0.0 if exact else tie_tolerance(tree)
    arrays = tree_arrays(tree, objects=True)
    opts = backward_induction(arrays, tol, limit)
    used = spe_options(arrays, opts)
    movers = [k for k, node in enumerate(tree.nodes) if node.children and not node.is_chance]
    infosets = [tree.nodes[k].infoset for k in movers]
    return [
        (dict(zip(infosets, acts, strict=True)), tuple(opts.values[row[0]]))
        for row, acts in zip(used.tolist(), opts.action[used[:, movers]].tolist(), strict=True)
    ], opts.complete


def spe_options(arrays: dict[str, npt.NDArray[Any]], opts: Options) -> Ints:
    """The option each SPE continues with at every node: one row per option of the root."""
    ptr, children = arrays["ptr"], arrays["children"]
    used = np.zeros((int(opts.count[0]), len(ptr) - 1), dtype=np.int64)
    used[:, 0] = opts.first[0] + np.arange(opts.count[0])
    for level in levels(ptr, children):  # root first: a parent's option fixes its children's
        lens = np.diff(ptr)[level]
        parent = np.repeat(level, lens)
        edges = ranges(ptr[level], lens)
        used[:, children[edges]] = opts.combo[opts.kids[used[:, parent]] + (edges - ptr[parent])]
    return used


def tie_tolerance(tree: Tree) -> float:
    """Slack under which two float payoffs of a mover tie: ``TIE`` times the payoff span."""
    vals = [float(v) for n in tree.nodes if n.is_terminal for v in n.payoffs]
    return 0.0 if not vals else tolerances.scaled(tolerances.TIE, max(vals) - min(vals))
