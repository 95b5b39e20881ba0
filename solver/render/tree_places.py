"""Where in a game tree a move is made, in words: each information set by the moves leading to
it (``after Entrench, Tolerate``), moves its owner cannot tell apart joined (``Resolute or
Irresolute``), and the model's own name for it where the model gives one (a model file's node or
``infoset`` name, an ``.efg`` file's information-set label).

An information set is Kuhn's (1953): the nodes a player cannot tell apart when moving.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("Entrant", "Incumbent"), "entrant", {
...     "entrant": decision("Entrant", {"Out": "out", "In": "inc"}),
...     "inc": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
...     "out": leaf((1, 5)), "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> [place(t, h) for h in range(len(t.infosets))]
['at the start (entrant)', 'after In (inc)']
"""

from __future__ import annotations

from solver.core.tree import Tree

#: an information set whose nodes are reached by more different move sequences than this is
#: described by its size, not by the moves
MAX_SPELLED = 4


def history(tree: Tree, h: int) -> str:
    """The moves leading to information set ``h``, ``""`` at the root (see the module docstring)."""
    members = tree.infosets[h].members
    paths = [[tree.actions(p)[a] for p, a in tree.history(m)] for m in members]
    if len(paths) == 1 or all(p == paths[0] for p in paths):
        return ", ".join(paths[0])
    if len({len(p) for p in paths}) == 1:  # the same length: position by position
        parts = []
        for k in range(len(paths[0])):
            seen = list(dict.fromkeys(p[k] for p in paths))
            parts.append(" or ".join(seen) if len(seen) <= MAX_SPELLED else f"one of {len(seen)} moves")
        return ", ".join(parts)
    if len(paths) <= 2:
        return " or after ".join(", ".join(p) or "the start" for p in paths)
    return f"one of {len(paths)} histories"


def own_name(tree: Tree, h: int) -> str:
    """The model's own name for information set ``h``: ``""`` where it gives none."""
    name = tree.infosets[h].name
    return "" if not name or name.isspace() else name


def place(tree: Tree, h: int, *, named: bool = True) -> str:
    """``after Entrench, Tolerate (russia_entrench_tolerate)``: where set ``h`` moves."""
    moves = history(tree, h)
    where = f"after {moves}" if moves else "at the start"
    name = own_name(tree, h) if named else ""
    return f"{where} ({name})" if name else where


def places_by_label(tree: Tree) -> dict[str, tuple[int, str]]:
    """Each information set's display label -> (its index, :func:`place`), as the JSON keys
    ``behaviour`` and ``beliefs`` by label."""
    return {info.label: (h, place(tree, h)) for h, info in enumerate(tree.infosets)}
