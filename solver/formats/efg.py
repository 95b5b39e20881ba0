"""Read and write Gambit's extensive-form ``.efg`` files (exact numbers).

Format (Gambit documentation, "The extensive game (.efg) file format"): a header
``EFG 2 R "title" { "Player 1" "Player 2" }``, an optional comment string, then the nodes in
prefix order::

    p "name" player infoset ["infoset name"] [{ "a" "b" }] outcome ["outcome name"] [{ payoffs }]
    c "name" infoset ["infoset name"] [{ "a" 1/2 "b" 1/2 }] outcome ...
    t "name" outcome ["outcome name"] [{ payoffs }]

An information set's name and actions may be omitted after its first node; an outcome's name
and payoffs after its first use.  Outcomes may sit on any node: a leaf's payoff here is the sum
of the outcomes on its path (what Gambit computes).  The writer puts every payoff on the leaves.

>>> t = parse_efg('EFG 2 R "E" { "A" "B" } p "" 1 1 "" { "L" "R" } 0 '
...               't "" 1 "" { 1, 2 } p "" 2 1 "" { "l" "r" } 0 t "" 2 "" { 0 0 } t "" 1')
>>> [tuple(map(int, n.payoffs)) for n in t.nodes if n.is_terminal]
[(1, 2), (0, 0), (1, 2)]
>>> same_tree(parse_efg(format_efg(t)), t)
True
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..symbolic import Model
from ..tree import CHANCE, TERMINAL, Infoset, Node, Tree, validate
from . import atomic
from .gambit_tokens import (
    LBRACE,
    NUMBER,
    STRING,
    TokenStream,
    describe,
    format_number,
    quote,
    read_text,
)


def read_efg(path: str | Path) -> Tree:
    """The tree in the ``.efg`` file at ``path``; any problem raises :class:`ModelError`."""
    return parse_efg(read_text(path), source=str(path))


def parse_efg(text: str, source: str = "<string>") -> Tree:
    """The tree described by ``.efg`` text; errors name ``source`` and the line.

    A fast path (one ``re.findall``, no line tracking) reads well-formed files; anything it does
    not accept is re-read by the checking tokenizer, which reports the line of the problem.
    """
    try:
        fast = _fast(text)
    except Exception:
        fast = None
    if fast is not None:
        players, title, nodes, sets = fast
        return _build(players, title, nodes, sets, source)
    return _careful(text, source)


#: number text -> Fraction, shared by every file read (payoffs repeat a lot)
_NUMBERS: dict[str, Fraction] = {}
_FAST = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]|[^\s{}",]+')


def _fast(text: str) -> tuple[Any, ...] | None:
    toks = _FAST.findall(text)
    nums = _NUMBERS
    if len(nums) > 100_000:
        nums.clear()

    def num(t: str) -> Fraction:
        v = nums.get(t)
        if v is None:
            v = nums[t] = Fraction(int(t)) if t.isdigit() else Fraction(t)
        return v

    def unq(t: str) -> str:
        body = t[1:-1]
        return re.sub(r"\\(.)", r"\1", body) if "\\" in body else body

    if toks[:3] != ["EFG", "2", "R"] and toks[:3] != ["EFG", "2", "D"]:
        return None
    title = unq(toks[3])
    k = 5
    players = []
    while toks[k] != "}":
        players.append(unq(toks[k]))
        k += 1
    k += 1
    if k < len(toks) and toks[k][0] == '"':
        k += 1
    n = len(players)
    zero = tuple(Fraction(0) for _ in range(n))
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    sets: dict[tuple[int, int], list[Any]] = {}
    nodes: list[list[Any]] = []
    pending: list[tuple[int, tuple[Fraction, ...]]] = []
    end = len(toks)
    while k < end:
        kind = toks[k]
        name = unq(toks[k + 1])
        k += 2
        idx = len(nodes)
        if pending:
            parent, acc = pending.pop()
            nodes[parent][3].append(idx)
        elif idx:
            return None
        else:
            acc = zero
        if kind == "p":
            who = int(toks[k]) - 1
            k += 1
            if not 0 <= who < n:
                return None
        elif kind == "c":
            who = CHANCE
        elif kind != "t":
            return None
        if kind != "t":
            key = (who, int(toks[k]))
            k += 1
            if toks[k][0] == '"':
                label = unq(toks[k])
                k += 1
            else:
                label = ""
            if toks[k] == "{":
                k += 1
                actions, probs = [], []
                while toks[k] != "}":
                    actions.append(unq(toks[k]))
                    k += 1
                    if who == CHANCE:
                        probs.append(num(toks[k]))
                        k += 1
                k += 1
                if key not in sets:
                    sets[key] = [label, tuple(actions), tuple(probs), []]
                elif sets[key][1] != tuple(actions) or (probs and sets[key][2] != tuple(probs)):
                    return None
            elif key not in sets:
                return None
            sets[key][3].append(idx)
        number = int(toks[k])
        k += 1
        if k < end and toks[k][0] == '"':
            k += 1
        pay = None
        if k < end and toks[k] == "{":
            k += 1
            vals = []
            while toks[k] != "}":
                vals.append(num(toks[k]))
                k += 1
            k += 1
            if len(vals) != n:
                return None
            pay = tuple(vals)
            if number:
                outcomes[number] = pay
        elif number:
            pay = outcomes[number]
        if pay is not None:
            acc = pay if acc is zero else tuple(x + y for x, y in zip(acc, pay, strict=True))
        if kind == "t":
            nodes.append([name, TERMINAL, None, [], acc])
            continue
        nodes.append([name, who, key, [], None])
        m = len(sets[key][1])
        pending.extend([(idx, acc)] * m)
    if pending or not nodes or not n > 0:
        return None
    return players_tuple(players), title, nodes, sets


def players_tuple(players: list[str]) -> tuple[str, ...]:
    return tuple(players)


def _careful(text: str, source: str) -> Tree:
    ts = TokenStream(text, source)
    ts.word("'EFG' at the start of the file", ("EFG",))
    version = ts.next("the format version 2")
    if version.kind != NUMBER or version.value != 2:
        raise ts.error(f"unsupported EFG version: {describe(version)} (expected 2)", version)
    ts.word("'R' or 'D' after the version", ("R", "D"))
    title = ts.string("the game title (a quoted string)")
    players = tuple(ts.strings("the player names"))
    n = len(players)
    tok = ts.peek()
    if tok is not None and tok.kind == STRING:
        ts.pos += 1  # the comment
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    sets: dict[
        tuple[int, int], list[Any]
    ] = {}  # (player, number) -> [name, actions, probs, members]
    nodes: list[list[Any]] = []  # [name, player, set key, children, payoff]
    # stack of (parent index, accumulated payoffs) waiting for children
    pending: list[tuple[int, tuple[Fraction, ...]]] = []
    zero = tuple(Fraction(0) for _ in range(n))
    acc = zero
    while True:
        start = ts.peek()
        if start is None:
            break
        kind = ts.word("a node type p, c or t", ("p", "c", "t"))
        name = ts.string("the node name")
        k = len(nodes)
        if pending:
            parent, acc = pending.pop()
            nodes[parent][3].append(k)
        elif k:
            raise ts.error("a second root: the tree is already complete", start)
        else:
            acc = zero
        if kind == "t":
            acc = _add(acc, _outcome(ts, outcomes, n))
            nodes.append([name, TERMINAL, None, [], acc])
            continue
        if kind == "p":
            player = ts.integer("the player number")
            if not 1 <= player <= n:
                raise ts.error(f"player {player} does not exist (the game has {n})", start)
            who = player - 1
        else:
            who = CHANCE
        number = ts.integer("the information set number")
        key = (who, number)
        label = ""
        tok = ts.peek()
        if tok is not None and tok.kind == STRING:
            label = ts.string("the information set name")
        tok = ts.peek()
        if tok is not None and tok.kind == LBRACE:
            actions, probs = _actions(ts, who == CHANCE)
            if key in sets and (sets[key][1] != actions or (probs and sets[key][2] != probs)):
                raise ts.error(f"information set {number} has different actions here", start)
        elif key not in sets:
            raise ts.error(f"information set {number} is used before its actions are given", start)
        else:
            actions, probs = sets[key][1], sets[key][2]
        if key not in sets:
            sets[key] = [label, actions, probs, []]
        sets[key][3].append(k)
        acc = _add(acc, _outcome(ts, outcomes, n))
        nodes.append([name, who, key, [], None])
        for _ in actions:
            pending.append((k, acc))
        # children are consumed from the stack end: reverse so the first action comes first
        pending[len(pending) - len(actions) :] = pending[len(pending) - len(actions) :][::-1]
    if not nodes:
        raise ts.error("no nodes: an extensive game needs a tree")
    if pending:
        raise ts.error(f"unexpected end of file: {len(pending)} subtrees missing")
    return _build(players, title, nodes, sets, source)


def _add(a: tuple[Fraction, ...], b: tuple[Fraction, ...] | None) -> tuple[Fraction, ...]:
    return a if b is None else tuple(x + y for x, y in zip(a, b, strict=True))


def _outcome(
    ts: TokenStream, outcomes: dict[int, tuple[Fraction, ...]], n: int
) -> tuple[Fraction, ...] | None:
    tok = ts.peek()
    number = ts.integer("the outcome number")
    nxt = ts.peek()
    if nxt is not None and nxt.kind == STRING:
        ts.pos += 1
        nxt = ts.peek()
    if nxt is not None and nxt.kind == LBRACE:
        ts.open("the outcome's payoffs")
        pay = []
        while not ts.close_or_none():
            pay.append(ts.number("a payoff or '}'"))
        if len(pay) != n:
            raise ts.error(f"outcome {number} has {len(pay)} payoffs, expected {n}", tok)
        if number != 0:
            outcomes[number] = tuple(pay)
        return tuple(pay)
    if number == 0:
        return None
    if number not in outcomes:
        raise ts.error(f"outcome {number} is used before its payoffs are given", tok)
    return outcomes[number]


def _actions(ts: TokenStream, chance: bool) -> tuple[tuple[str, ...], tuple[Fraction, ...]]:
    ts.open("the action list")
    actions: list[str] = []
    probs: list[Fraction] = []
    while not ts.close_or_none():
        actions.append(ts.string("an action name or '}'"))
        if chance:
            probs.append(ts.number("the action's probability"))
    if not actions:
        raise ts.error("an information set needs at least one action")
    return tuple(actions), tuple(probs)


def _build(
    players: tuple[str, ...],
    title: str,
    raw: list[list[Any]],
    sets: dict[tuple[int, int], list[Any]],
    source: str,
) -> Tree:
    keys = list(sets)
    pos = {key: k for k, key in enumerate(keys)}
    infosets = []
    counts: dict[tuple[int, str], int] = {}
    for (who, _), s in sets.items():
        counts[(who, s[0])] = counts.get((who, s[0]), 0) + 1
    for (who, number), (name, actions, _, members) in sets.items():
        label = name if name and counts[(who, name)] == 1 else f"#{number}"
        if who == CHANCE:
            label = f"chance {label}"
        infosets.append(Infoset(who, label, tuple(_unique(actions)), tuple(members), name, number))
    nodes = []
    for name, who, key, children, pay in raw:
        if who == TERMINAL:
            nodes.append(Node(name, TERMINAL, -1, (), (), pay))
        else:
            probs = sets[key][2] if who == CHANCE else ()
            nodes.append(Node(name, who, pos[key], tuple(children), probs))
    tree = Tree(players, tuple(nodes), tuple(infosets), title, False)
    validate(tree, source)
    return tree


def _unique(actions: tuple[str, ...]) -> list[str]:
    """Empty or repeated action labels become ``1``, ``2``, ... (labels must tell actions apart)."""
    if all(actions) and len(set(actions)) == len(actions):
        return list(actions)
    return [
        a if a and actions.count(a) == 1 else f"{a or ''}{k + 1}" for k, a in enumerate(actions)
    ]


def format_efg(tree: Tree) -> str:
    """``.efg`` text of a numeric tree (all payoffs on leaves, one outcome per leaf)."""
    if tree.symbolic:
        raise ValueError("evaluate the tree at parameter values first (tree.at(values))")
    lines = [
        f"EFG 2 R {quote(tree.title)} {{ {' '.join(quote(p) for p in tree.players)} }}",
        '""',
        "",
    ]
    numbers = _numbers(tree)
    seen: set[int] = set()
    outcome = 0
    for node in tree.nodes:
        if node.is_terminal:
            outcome += 1
            pay = ", ".join(format_number(v) for v in node.payoffs)
            lines.append(f't {quote(node.name)} {outcome} "" {{ {pay} }}')
            continue
        h = tree.infosets[node.infoset]
        head = "c" if node.is_chance else f"p {quote(node.name)} {node.player + 1}"
        if node.is_chance:
            head = f"c {quote(node.name)}"
        text = f"{head} {numbers[node.infoset]}"
        if node.infoset not in seen:
            seen.add(node.infoset)
            if node.is_chance:
                acts = " ".join(
                    f"{quote(a)} {format_number(p)}"
                    for a, p in zip(h.actions, node.probs, strict=True)
                )
            else:
                acts = " ".join(quote(a) for a in h.actions)
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


def write_efg(game: Tree | Model, path: str | Path, values: dict[str, Any] | None = None) -> None:
    """Write a tree (or a sequential model at ``values``) atomically: temp file + ``os.replace``."""
    if isinstance(game, Model):
        if game.tree is None:
            raise ModelError("not an extensive-form model", source=game.path or game.name)
        tree = game.tree.at(game.values(values)) if game.tree.symbolic else game.tree
    else:
        tree = game.at(values) if game.symbolic else game
    atomic.write_text(path, format_efg(tree))


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


def read_efg_model(path: str | Path) -> Model:
    """A parameter-free sequential :class:`Model` for a ``.efg`` file (tree + reduced form)."""
    tree = read_efg(path)
    return model_from_tree(
        tree, name=Path(path).stem, path=str(path), source=f"Gambit .efg file {Path(path).name}"
    )


def model_from_tree(tree: Tree, *, name: str, path: str = "", source: str = "") -> Model:
    import numpy as np
    import sympy

    from ..treeform import normal_form

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
