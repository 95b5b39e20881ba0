"""The checking ``.efg`` reader (token by token, every error names its line) and :func:`build`.

:func:`solver.formats.efg.parse_efg` tries a fast whole-node reader first and falls back to this
one for anything the fast reader does not accept, so this module defines what the format means
(Gambit documentation, "The extensive game (.efg) file format").  Both readers return the raw
layout that :func:`build` turns into a :class:`~solver.core.tree.Tree`:

* ``raw``: the nodes in prefix order: a leaf as its :class:`~solver.core.tree.Node` (payoffs: the
  sum of the outcomes on its path), a decision or chance node as ``[name, player, set,
  children]``, where ``set`` is its information set's entry of ``sets`` and ``children`` a list
  of node indices;
* ``sets``: ``(player, number) -> [name, actions, probs, members, index]``;
* ``parents``: each node's parent (``-1`` for the root).

>>> players, title, raw, sets, parents = careful('EFG 2 R "" { "A" } p "" 1 1 "" { "L" } 0 '
...                                              't "" 1 "" { 3 }', "<doc>")
>>> raw[1].payoffs, parents
((Fraction(3, 1),), [-1, 0])
>>> build(players, title, raw, sets, parents, "<doc>").infosets[0].actions
('L',)
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from solver.core.errors import ModelError
from solver.core.tree import CHANCE, TERMINAL, Infoset, Node, Tree
from solver.formats.gambit_tokens import LBRACE, NUMBER, STRING, TokenStream, describe

Raw = tuple[tuple[str, ...], str, list[list[Any]], dict[tuple[int, int], list[Any]], list[int]]


def careful(text: str, source: str) -> Raw:
    """Players, title, raw nodes, information sets and parents of ``.efg`` text (see above)."""
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
    sets: dict[tuple[int, int], list[Any]] = {}
    raw: list[Any] = []
    parents: list[int] = []
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
        k = len(raw)
        if pending:
            parent, acc = pending.pop()
            raw[parent][3].append(k)
        elif k:
            raise ts.error("a second root: the tree is already complete", start)
        else:
            parent, acc = -1, zero
        parents.append(parent)
        if kind == "t":
            acc = _add(acc, _outcome(ts, outcomes, n))
            raw.append(Node(name, TERMINAL, -1, (), (), acc))
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
            if key not in sets:
                sets[key] = [label, actions, probs, [], len(sets)]
            elif sets[key][1] != actions or (probs and sets[key][2] != probs):
                raise ts.error(f"information set {number} has different actions here", start)
        elif key not in sets:
            raise ts.error(f"information set {number} is used before its actions are given", start)
        entry = sets[key]
        entry[3].append(k)
        acc = _add(acc, _outcome(ts, outcomes, n))
        raw.append([name, who, entry, []])
        # children are taken from the stack end; the entries are equal, so order is immaterial
        pending.extend([(k, acc)] * len(entry[1]))
    if not raw:
        raise ts.error("no nodes: an extensive game needs a tree")
    if pending:
        raise ts.error(f"unexpected end of file: {len(pending)} subtrees missing")
    return players, title, raw, sets, parents


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


# --- building the tree -----------------------------------------------------------------------
# Node and Infoset are frozen dataclasses: their __init__ sets each field through
# object.__setattr__.  Filling the instance dict directly gives the same object at a third of
# the cost (tests/test_efg.py compares the two).
_new = object.__new__


def build(
    players: tuple[str, ...],
    title: str,
    raw: list[Any],
    sets: dict[tuple[int, int], list[Any]],
    parents: list[int],
    source: str,
) -> Tree:
    """The tree of a raw layout (:mod:`.efg_careful`), checked as :func:`solver.core.tree.validate`
    would: the readers already guarantee one child per action and one payoff per player, so
    what is left is unique action labels and chance probabilities (``_check_chance``)."""
    counts: dict[tuple[int, str], int] = {}
    for (who, _), entry in sets.items():
        counts[(who, entry[0])] = counts.get((who, entry[0]), 0) + 1
    infosets = []
    chance = []
    for (who, number), (name, actions, probs, members, _) in sets.items():
        label = name if name and counts[(who, name)] == 1 else f"#{number}"
        labels = _unique(actions)
        if labels is not actions and len(set(labels)) != len(labels):
            where = f"nodes.{raw[members[0]][0]}"
            raise ModelError("duplicate action label", source=source, key=where)
        if who == CHANCE:
            label = f"chance {label}"
            chance.append((members[0], probs))
        h = _new(Infoset)
        h.__dict__.update(
            player=who,
            label=label,
            actions=labels,
            members=tuple(members),
            name=name,
            number=number,
        )
        infosets.append(h)
    nodes: list[Node] = []
    add = nodes.append
    for r in raw:
        if r.__class__ is not Node:
            entry = r[2]
            node = _new(Node)
            node.__dict__.update(
                name=r[0],
                player=r[1],
                infoset=entry[4],
                children=tuple(r[3]),
                probs=entry[2],
                payoffs=(),
            )
            r = node
        add(r)
    _check_chance(chance, raw, source)
    return Tree(players, tuple(nodes), tuple(infosets), title, False, tuple(parents))


def _check_chance(
    chance: list[tuple[int, tuple[Fraction, ...]]], raw: list[Any], source: str
) -> None:
    """Chance probabilities >= 0 and summing to 1, once per probability tuple (sets read from the
    same text share one); ``chance`` is in the order of the sets' first nodes, as ``validate``
    meets them, and errors name that node."""
    checked: set[int] = set()
    for first, probs in chance:
        if id(probs) in checked:
            continue
        checked.add(id(probs))
        key = f"nodes.{raw[first][0]}"
        if any([p.numerator < 0 for p in probs]):
            raise ModelError("negative chance probability", source=source, key=key)
        den = math.lcm(*[p.denominator for p in probs])
        if sum([p.numerator * (den // p.denominator) for p in probs]) == den:
            continue  # exactly 1, in integers
        total = sum(probs, Fraction(0))
        if abs(total - 1) > 1e-9:
            raise ModelError(f"chance probabilities sum to {total}, not 1", source=source, key=key)


def _unique(actions: tuple[str, ...]) -> tuple[str, ...]:
    """Empty or repeated action labels become ``1``, ``2``, ... (labels must tell actions apart);
    ``actions`` itself when they already do."""
    if all(actions) and len(set(actions)) == len(actions):
        return actions
    return tuple(
        a if a and actions.count(a) == 1 else f"{a or ''}{k + 1}" for k, a in enumerate(actions)
    )
