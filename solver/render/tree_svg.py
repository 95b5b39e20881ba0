"""A game tree drawn as an SVG string: nodes labelled by player, edges by action, payoffs at the
leaves, information sets joined by a dashed line, and the path of play of an equilibrium
highlighted.

The layout is the usual one for extensive forms (Kuhn 1953; as Gambit's GUI draws them, root at
the left): each leaf gets its own row, in prefix order, each decision or chance node sits at the
mean height of its children, one column per depth.  Given a behaviour profile (the JSON form of
:func:`solver.equilibria.trees.paths.behaviour_json`, player -> information-set label -> action
-> probability, as ``Equilibrium.extra["behaviour"]`` and ``redline solve --format json`` give
it), an edge is

* *on the path*: its node is reached with positive probability and the action is played with
  positive probability (thick, red);
* *chosen off the path*: the action is played but its node is not reached (dashed, red): the
  threat or promise that subgame perfection (Selten 1965) tests;
* *not chosen* (thin, grey).

Every label comes from the model file and is escaped.  The SVG carries its own styling
(attributes, no stylesheet), so it shows the same inside any page or on its own.

>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("Entrant", "Incumbent"), "e", {
...     "e": decision("Entrant", {"Out": "o", "In": "i"}),
...     "i": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
...     "o": leaf((1, 5)), "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> beh = {"Entrant": {"e": {"Out": 1, "In": 0}}, "Incumbent": {"i": {"Fight": 1, "Accommodate": 0}}}
>>> svg = tree_svg(t, beh)
>>> svg.startswith("<svg"), svg.count('data-state="path"'), svg.count('data-state="off"')
(True, 1, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from html import escape
from typing import Any

from solver.core.tree import Tree
from solver.render.report.tree_layout import Behaviour
from solver.render.report.tree_layout import layout as _layout
from solver.render.report.tree_layout import positive as _positive
from solver.render.report.tree_layout import probabilities as _probabilities
from solver.render.report.tree_layout import reach as _reach

#: a tree with more nodes than this is not drawn (a note says so instead)
MAX_DRAWN = 600
#: pixels: one leaf row, the gap before the first column, the leaf payoff column's gap
ROW = 34
MARGIN = 16
CHAR = 7.0  # approximate width of a character at the font size used (12 px sans-serif)
PATH_COLOUR = "#c0392b"
EDGE_COLOUR = "#9aa0a6"
INFOSET_COLOUR = "#1f6fb2"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"'


def tree_svg(
    tree: Tree,
    behaviour: Behaviour | None = None,
    *,
    number: Callable[[Any], str] | None = None,
    max_nodes: int = MAX_DRAWN,
    legend: bool = True,
) -> str:
    """An ``<svg>`` drawing of ``tree`` (see the module docstring).

    ``tree``: numeric (``model.tree.at(values)``) or symbolic (payoff formulas are shown as
    written).  ``behaviour``: player -> information-set label -> action -> probability (numbers,
    Fractions or strings like ``"2/5"``), e.g. ``result.equilibria[k].extra["behaviour"]``; None
    draws the tree without a highlighted path.  ``number`` formats a payoff or probability
    (default: exact fractions as ``2/5``, floats to 4 significant digits).  A tree with more
    than ``max_nodes`` nodes gives a small SVG saying so.  ``legend`` adds the key below.
    Elements carry ``data-*`` attributes for tests and scripts: every edge ``data-node``,
    ``data-action`` and ``data-state`` (``path``, ``off`` or ``none``), every leaf ``data-leaf``.
    """
    fmt = number or _number
    n = len(tree.nodes)
    if n > max_nodes:
        return _note_svg(f"The tree has {n:,} nodes: too many to draw (at most {max_nodes:,}).")
    probs = _probabilities(tree, behaviour)
    reach = _reach(tree, probs)
    depth, row = _layout(tree)
    widths = _column_widths(tree, depth, probs, fmt)
    left = MARGIN + CHAR * max(len(w) for w in ("chance", *tree.players)) + 12  # room for the root's name
    xs = [left + sum(widths[:d]) for d in range(max(depth) + 1)]
    leaf_x = xs[-1] + 14
    header = "payoffs (" + ", ".join(tree.players) + ")"
    pay_w = max([len(header)] + [len(_payoffs(nd.payoffs, fmt)) for nd in tree.nodes if nd.is_terminal])
    width = int(leaf_x + CHAR * pay_w + MARGIN)
    rows = max(row) + 1
    top = 40
    height = int(top + rows * ROW + (70 if legend else 10))
    pos = [(xs[depth[k]] if not tree.nodes[k].is_terminal else xs[-1], top + row[k] * ROW) for k in range(n)]
    # leaves all line up in the last column
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="redline-tree" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" {FONT}>',
        f"<title>{escape(tree.title or 'game tree')}</title>",
        f'<text x="{leaf_x:.1f}" y="{top - 18}" font-weight="bold">{escape(header)}</text>',
    ]
    parts += _infoset_lines(tree, pos)
    parts += _edges(tree, pos, probs, reach, fmt, behaviour is not None)
    parts += _nodes(tree, pos, leaf_x, fmt)
    if legend:
        parts += _legend(top + rows * ROW + 14, behaviour is not None, not tree.perfect_information)
    parts.append("</svg>")
    return "\n".join(parts)


def _number(x: Any) -> str:
    from solver.render.layout import given

    if isinstance(x, Fraction):
        return given(x)
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _payoffs(values: tuple[Any, ...], fmt: Callable[[Any], str]) -> str:
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def _edge_label(tree: Tree, k: int, a: int, probs: dict[int, list[Any]], fmt: Callable[[Any], str]) -> str:
    label = tree.actions(k)[a]
    p = probs.get(k)
    if p is not None and (tree.nodes[k].is_chance or not (p[a] == 0 or p[a] == 1)):
        label += f" ({fmt(p[a])})"
    return label


def _column_widths(tree: Tree, depth: list[int], probs: dict[int, list[Any]], fmt: Callable[[Any], str]) -> list[float]:
    """The width of each column: room for its longest edge label and its players' names."""
    deepest = max(depth)
    widths = [130.0] * (deepest + 1)
    for k, node in enumerate(tree.nodes):
        if node.is_terminal:
            continue
        for a in range(len(node.children)):
            need = CHAR * len(_edge_label(tree, k, a, probs, fmt)) + 50
            widths[depth[k]] = max(widths[depth[k]], need)
    return widths


def _infoset_lines(tree: Tree, pos: list[tuple[float, float]]) -> list[str]:
    out = []
    for info in tree.infosets:
        if len(info.members) < 2:
            continue
        pts = sorted(pos[m] for m in info.members)
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{INFOSET_COLOUR}" stroke-width="1.5" '
            f'stroke-dasharray="2,4" data-infoset="{escape(info.label)}">'
            f"<title>information set {escape(info.label)}</title></polyline>"
        )
    return out


def _edges(
    tree: Tree,
    pos: list[tuple[float, float]],
    probs: dict[int, list[Any]],
    reach: list[bool],
    fmt: Callable[[Any], str],
    highlight: bool,
) -> list[str]:
    out = []
    for k, node in enumerate(tree.nodes):
        p = probs.get(k)
        for a, c in enumerate(node.children):
            played = p is not None and _positive(p[a])
            state = "none"
            if highlight and played and not node.is_chance:
                state = "path" if reach[k] else "off"
            elif highlight and node.is_chance and reach[k] and played:
                state = "path"
            (x1, y1), (x2, y2) = pos[k], pos[c]
            style = {
                "path": f'stroke="{PATH_COLOUR}" stroke-width="3.5"',
                "off": f'stroke="{PATH_COLOUR}" stroke-width="1.8" stroke-dasharray="6,3"',
                "none": f'stroke="{EDGE_COLOUR}" stroke-width="1.2"',
            }[state]
            action = tree.actions(k)[a]
            out.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style} '
                f'data-node="{escape(node.name)}" data-action="{escape(action)}" data-state="{state}"/>'
            )
            mx, my = x1 + (x2 - x1) * 0.5, y1 + (y2 - y1) * 0.5
            my += 14 if y2 > y1 else -5  # above a rising edge, below a falling one
            colour = PATH_COLOUR if state != "none" else "#333"
            weight = ' font-weight="bold"' if state == "path" else ""
            out.append(
                f'<text x="{mx:.1f}" y="{my:.1f}" text-anchor="middle" fill="{colour}"{weight} '
                f'paint-order="stroke" stroke="#fff" stroke-width="3">'
                f"{escape(_edge_label(tree, k, a, probs, fmt))}</text>"
            )
    return out


def _nodes(tree: Tree, pos: list[tuple[float, float]], leaf_x: float, fmt: Callable[[Any], str]) -> list[str]:
    out = []
    for k, node in enumerate(tree.nodes):
        x, y = pos[k]
        if node.is_terminal:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#333"/>')
            out.append(
                f'<text x="{leaf_x:.1f}" y="{y + 4:.1f}" data-leaf="{escape(node.name)}">'
                f"{escape(_payoffs(node.payoffs, fmt))}</text>"
            )
            continue
        if node.is_chance:
            who = "chance"
            shape = f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="#fff" stroke="#333"/>'
        else:
            who = tree.players[node.player]
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#333"/>'
        out.append(shape)
        out.append(
            f'<text x="{x - 8:.1f}" y="{y - 8:.1f}" text-anchor="end" font-weight="bold" '
            f'paint-order="stroke" stroke="#fff" stroke-width="3">{escape(who)}</text>'
        )
    return out


def _legend(y: float, highlight: bool, sets: bool) -> list[str]:
    items = [("dotted", INFOSET_COLOUR, "2,4", "information set (the mover cannot tell these apart)")] if sets else []
    if highlight:
        items = [
            ("thick", PATH_COLOUR, "", "equilibrium path of play"),
            ("dashed", PATH_COLOUR, "6,3", "equilibrium choice off the path"),
            *items,
        ]
    out = []
    for k, (_, colour, dash, text) in enumerate(items):
        yy = y + 18 * k
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{MARGIN}" y1="{yy:.1f}" x2="{MARGIN + 30}" y2="{yy:.1f}" stroke="{colour}" '
            f'stroke-width="{3 if k == 0 and highlight else 1.8}"{dashes}/>'
        )
        out.append(f'<text x="{MARGIN + 38}" y="{yy + 4:.1f}" font-size="11">{escape(text)}</text>')
    return out


def _note_svg(text: str) -> str:
    width = int(CHAR * len(text) + 2 * MARGIN)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="redline-tree" width="{width}" height="40" '
        f'viewBox="0 0 {width} 40" role="img" {FONT}><text x="{MARGIN}" y="24">{escape(text)}</text></svg>'
    )
