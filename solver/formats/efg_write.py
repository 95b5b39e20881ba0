"""Writing Gambit ``.efg`` files, comparing trees, and trees as sequential models.

The writer follows Gambit's "extensive game (.efg) file format": every payoff goes on a leaf,
one outcome per leaf, numbers exact (``-1/2``); player and action labels as the file read gave
them where :class:`~.labels.FileLabels` are at hand (a model's ``file_labels``), so blank and
repeated labels stay so.

>>> from solver.core.tree import decision, from_named, leaf
>>> t = from_named(("A",), "r", {"r": decision("A", {"L": "x"}), "x": leaf((1,))})
>>> print(format_efg(t), end="")
EFG 2 R "" { "A" }
""
<BLANKLINE>
p "r" 1 1 "r" { "L" } 0
t "x" 1 "" { 1 }
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from solver.core.errors import ModelError
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.formats import atomic
from solver.formats.gambit_tokens import format_number, quote
from solver.formats.labels import FileLabels


def format_efg(tree: Tree, labels: FileLabels | None = None) -> str:
    """``.efg`` text of a numeric tree (all payoffs on leaves, one outcome per leaf), with the
    file's own player and action labels from ``labels`` where it has them (information sets
    keep their ``name``)."""
    if tree.symbolic:
        raise ValueError("evaluate the tree at parameter values first (tree.at(values))")
    players = labels.players if labels is not None and labels.players else tree.players
    actions = labels.actions if labels is not None and labels.actions else tuple(h.actions for h in tree.infosets)
    if len(players) != len(tree.players) or tuple(map(len, actions)) != tuple(len(h.actions) for h in tree.infosets):
        raise ValueError("the file labels are those of another tree")
    lines = [
        f"EFG 2 R {quote(tree.title)} {{ {' '.join(quote(p) for p in players)} }}",
        '""',
        "",
    ]
    numbers = _numbers(tree)
    seen: set[int] = set()
    outcome = 0
    for k, node in enumerate(tree.nodes):
        if node.is_terminal:
            outcome += 1
            pay = ", ".join(format_number(v) for v in node.payoffs)
            lines.append(f"t {quote(node.name)} {outcome} {quote(tree.outcome_labels.get(k, ''))} {{ {pay} }}")
            continue
        h = tree.infosets[node.infoset]
        head = f"c {quote(node.name)}" if node.is_chance else f"p {quote(node.name)} {node.player + 1}"
        text = f"{head} {numbers[node.infoset]}"
        if node.infoset not in seen:
            seen.add(node.infoset)
            if node.is_chance:
                acts = " ".join(
                    f"{quote(a)} {format_number(p)}"
                    for a, p in zip(actions[node.infoset], node.probs, strict=True)
                )
            else:
                acts = " ".join(quote(a) for a in actions[node.infoset])
            text += f" {quote(h.name)} {{ {acts} }}"
        lines.append(text + " 0")
    return "\n".join(lines) + "\n"


def _numbers(tree: Tree) -> dict[int, int]:
    """Infoset numbers per player: the file's own where they are distinct, else 1, 2, ..."""
    out: dict[int, int] = {}
    for who in {h.player for h in tree.infosets}:
        mine = [k for k, h in enumerate(tree.infosets) if h.player == who]
        nums = [tree.infosets[k].number for k in mine]
        if all(nums) and len(set(nums)) == len(nums):
            out.update(zip(mine, nums, strict=True))
        else:
            out.update(
                {
                    k: r + 1
                    for r, k in enumerate(sorted(mine, key=lambda k: min(tree.infosets[k].members)))
                }
            )
    return out


def write_efg(
    game: Tree | Model,
    path: str | Path,
    values: dict[str, Any] | None = None,
    labels: FileLabels | None = None,
) -> None:
    """Write a tree (or a sequential model at ``values``, with its ``file_labels`` unless
    ``labels`` are given) atomically: temp file + ``os.replace``."""
    if isinstance(game, Model):
        if game.tree is None:
            raise ModelError("not an extensive-form model", source=game.path or game.name)
        labels = labels if labels is not None else game.file_labels
        tree = game.tree.at(game.values(values)) if game.tree.symbolic else game.tree
    else:
        tree = game.at(values) if game.symbolic else game
    atomic.write_text(path, format_efg(tree, labels))


def same_tree(a: Tree, b: Tree) -> bool:
    """Same players, structure, information sets, actions, probabilities and payoffs."""
    if a.players != b.players or len(a.nodes) != len(b.nodes) or len(a.infosets) != len(b.infosets):
        return False
    for x, y in zip(a.nodes, b.nodes, strict=True):
        if (x.player, x.infoset, x.children, x.probs, x.payoffs) != (
            y.player,
            y.infoset,
            y.children,
            y.probs,
            y.payoffs,
        ):
            return False
    return all(
        (h.player, h.actions, h.members) == (g.player, g.actions, g.members)
        for h, g in zip(a.infosets, b.infosets, strict=True)
    )


def model_from_tree(tree: Tree, *, name: str, path: str = "", source: str = "") -> Model:
    """A parameter-free sequential :class:`Model`: the tree and its reduced normal form."""
    import numpy as np
    import sympy

    from solver.core.treeform import normal_form

    try:
        nf = normal_form(tree)
    except ModelError:  # too large to tabulate: the tree methods still apply
        n = len(tree.players)
        return Model(
            name,
            tree.title or name,
            "sequential",
            source,
            "reduced normal form too large to tabulate",
            (),
            tree.players,
            tuple(() for _ in range(n)),
            np.empty((n,) + (0,) * n, dtype=object),
            path,
            tree,
        )

    def conv(v: Any) -> Any:
        return (
            sympy.Rational(v.numerator, v.denominator)
            if isinstance(v, Fraction)
            else sympy.Float(float(v))
        )

    exprs = np.vectorize(conv, otypes=[object])(nf.payoffs) if nf.payoffs.size else nf.payoffs
    return Model(
        name,
        tree.title or name,
        "sequential",
        source,
        "",
        (),
        tree.players,
        nf.strategies,
        exprs,
        path,
        tree,
    )
