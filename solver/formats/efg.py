"""Read Gambit's extensive-form ``.efg`` files (exact numbers); writing is in ``efg_write``.

The format is Gambit's "extensive game (.efg) file format" (Gambit documentation; its syntax
is spelled out in :mod:`.efg_syntax`): the players, then the nodes in prefix order, each a
decision (``p``), chance (``c``) or terminal (``t``) node.  An information set's name and
actions may be omitted after its first node; an outcome's name and payoffs after its first use.
Outcomes may sit on any node: a leaf's payoff is the sum of the outcomes on its path (as in
Gambit).  Blank and repeated labels are shown under unique names (:mod:`.labels`: ``Player 2``,
action ``1``, set ``#3``, ``Defect (2)``); :func:`parse_efg_labelled` also gives the file's own.

A plainly written file is read in bulk, a column of fields at a time (:mod:`.efg_bulk`); any
other node by node: one body of code gives the fields a meaning (outcomes, information sets,
every error), reading them *by pattern* (a regular-expression match per node) while the file
keeps to the plain layout Gambit writes, from the first node the pattern does not take (a sign
on an integer, an escape in an action list, a syntax error) *by tokens*, which take every
spelling the format allows.  Errors do not depend on the way: a pattern-read node's error names
the line of the token that reading by tokens blames, and a malformed token anywhere in the file
is reported first, as when the whole file is tokenized before it is read.

>>> t = parse_efg('EFG 2 R "E" { "A" "B" } p "" 1 1 "" { "L" "R" } 0 '
...               't "" 1 "" { 1, 2 } p "" 2 1 "" { "l" "r" } 0 t "" 2 "" { 0 0 } t "" 1')
>>> [tuple(map(int, n.payoffs)) for n in t.nodes if n.is_terminal]
[(1, 2), (0, 0), (1, 2)]
>>> same_tree(parse_efg(format_efg(t)), t)
True
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from solver.core.symbolic import Model
from solver.core.tree import CHANCE, TERMINAL, Node, Tree
from solver.formats.efg_bulk import Bulk, bulk_tree
from solver.formats.efg_fields import _new
from solver.formats.efg_fields import build_tree as build_tree
from solver.formats.efg_syntax import (
    BLANK,
    NODE,
    error_at,
    outcome_offset,
    paused_gc,
    plain_actions,
    plain_header,
    plain_payoffs,
    plus,
    read_header,
    read_outcome,
    read_set,
    type_offset,
    unquote,
)
from solver.formats.efg_write import format_efg, model_from_tree, same_tree, write_efg
from solver.formats.gambit_tokens import MAX_PLAYERS, TokenStream, read_text
from solver.formats.labels import FileLabels

__all__ = ["build_tree", "format_efg", "model_from_tree", "parse_efg", "parse_efg_labelled", "pattern_layout",
           "read_efg", "read_efg_model", "same_tree", "token_layout", "write_efg"]

#: players, title, nodes, information sets, parents: what :func:`build_tree` makes a tree of.
#: ``nodes`` in prefix order: a leaf as its :class:`Node` (payoffs: the outcomes on its path
#: summed), others ``[name, player, set, children]``; ``sets``: ``(player, number) -> [name,
#: actions, probabilities, members, index]``; ``parents``: each node's parent (-1: the root).
Layout = tuple[tuple[str, ...], str, list[Any], dict[tuple[int, int], list[Any]], list[int], dict[int, str]]
_BOTH, _PATTERN, _TOKENS = 0, 1, 2


def read_efg(path: str | Path) -> Tree:
    """The tree in the ``.efg`` file at ``path``; any problem raises :class:`ModelError`."""
    return parse_efg(read_text(path), source=str(path))


def read_efg_model(path: str | Path) -> Model:
    """A parameter-free sequential :class:`Model` for a ``.efg`` file (tree + reduced form); its
    ``notes`` name the labels shown under other names, its ``file_labels`` keep the file's."""
    import sympy  # noqa: F401  (imported before a large tree exists: the GC need not walk it)
    p = Path(path)
    return _model(read_text(p), p)


@paused_gc  # until the model is built: counting a large tree's plans allocates too
def _model(text: str, p: Path) -> Model:
    tree, labels = parse_efg_labelled(text, str(p))
    model = model_from_tree(tree, name=p.stem, path=str(p), source=f"Gambit .efg file {p.name}")
    return model if labels is None else replace(model, notes=labels.notes, file_labels=labels)


@paused_gc
def parse_efg(text: str, source: str = "<string>") -> Tree:
    """The tree described by ``.efg`` text; errors name ``source`` and the line."""
    return _parse(text, source, None)[0]


@paused_gc
def parse_efg_labelled(text: str, source: str = "<string>") -> tuple[Tree, FileLabels | None]:
    """:func:`parse_efg`, and the file's own labels with a note per renamed one (None if none)."""
    notes: list[str] = []
    tree, players, actions = _parse(text, source, notes)
    # blank set names alone make no note: the file's names are in Infoset.name
    return tree, FileLabels(players, actions=actions, notes=tuple(notes)) if notes else None


def _parse(text: str, source: str, notes: list[str] | None) -> Bulk:
    """In bulk where the file is plainly written (:mod:`.efg_bulk`), else node by node."""
    found = bulk_tree(text, source, notes)
    if found is None:
        players, title, raw, sets, parents, labels = _layout(text, source, _BOTH)
        tree = build_tree(players, title, raw, sets, parents, labels, source, notes)
        found = tree, players, tuple(e[1] for e in sets.values())
    return found


def pattern_layout(text: str, source: str = "<string>") -> Layout | None:
    """The :data:`Layout` with every node read by pattern, or None where a node needs tokens."""
    return _read(text, source, _PATTERN)


def token_layout(text: str, source: str = "<string>") -> Layout:
    """The :data:`Layout` with every node read by tokens (what the pattern must agree with)."""
    return _layout(text, source, _TOKENS)


def _layout(text: str, source: str, lanes: int) -> Layout:
    layout = _read(text, source, lanes)
    assert layout is not None  # only _PATTERN gives up
    return layout


def _read(text: str, source: str, lanes: int) -> Layout | None:
    """The layout of ``text``: nodes by pattern while it takes them (not with ``_TOKENS``), then
    by tokens (with ``_PATTERN``: None instead)."""
    head = None if lanes == _TOKENS else plain_header(text)
    ts: TokenStream | None = None
    if head is not None:
        players, title, pos = head
    elif lanes == _PATTERN:
        return None
    else:
        ts = TokenStream(text, source)
        (players, title), pos = read_header(ts), 0
    n = len(players)
    if not 0 < n <= MAX_PLAYERS:
        what = f"{n} players, more than the limit of {MAX_PLAYERS}" if n else "no players: a game needs one"
        raise error_at(f"the game has {what}", text, source, 0)
    zero = (Fraction(0),) * n
    numbers: dict[str, Fraction] = {}
    pays: dict[str, tuple[Fraction, ...]] = {}
    blocks: tuple[dict[str, tuple[Any, ...]], ...] = ({}, {})
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    names: dict[int, str] = {}  # outcome number -> its name; leaf -> its outcome's name
    labels: dict[int, str] = {}
    sets: dict[tuple[int, int], list[Any]] = {}
    raw: list[Any] = []
    parents: list[int] = []
    # (parent, payoffs on the path) for each child still to come; the entries of one parent are
    # equal, so taking them from the end keeps prefix order
    pending: list[tuple[int, tuple[Fraction, ...]]] = []
    match, pop, push, step, add = NODE.match, pending.pop, pending.extend, parents.append, raw.append
    m: re.Match[str]  # the node's match, by pattern
    start = out_at = None  # tokens that errors name, by tokens
    acts: tuple[Any, ...] | None = None
    oname: str | None = None
    vec: tuple[Fraction, ...] | None = None
    while True:
        if ts is None:  # by pattern: the whole node decoded before anything is done with it
            found = match(text, pos)
            try:
                if found is None:
                    raise ValueError(pos)
                m = found
                _, kind, name, first, second, label, block, outs, oname, pay = m.groups()
                if oname is not None and "\\" in oname:
                    oname = unquote(oname)
                if kind is None:
                    kind = "t"
                elif (kind == "p") is (second is None):  # "p" has two integers, "c" one
                    raise ValueError(kind)
                acts = vec = None
                if block is not None:
                    acts = blocks[kind == "c"].get(block)
                    if acts is None:
                        acts = blocks[kind == "c"][block] = plain_actions(block, kind == "c", numbers)
                if pay is not None:
                    vec = pays.get(pay)
                    if vec is None:
                        vec = pays[pay] = plain_payoffs(pay, numbers, zero)
            except (ValueError, ZeroDivisionError):
                if not text[pos:].strip(BLANK):
                    break
                if lanes == _PATTERN:
                    return None
                ts = TokenStream(text, source, pos)
            else:
                pos = m.end()
                out = 0 if outs == "0" else int(outs)
                if "\\" in name:
                    name = unquote(name)
        if ts is not None:  # by tokens
            start = ts.peek()
            if start is None:
                break
            kind = ts.word("a node type p, c or t", ("p", "c", "t"))
            name = ts.string("the node name")
        k = len(raw)
        if pending:
            parent, acc = pop()
            raw[parent][3].append(k)
        elif k:
            at = start if ts is not None else type_offset(m)
            raise error_at("a second root: the tree is already complete", text, source, at)
        else:
            parent, acc = -1, zero
        step(parent)
        if kind != "t":
            who = CHANCE
            if kind == "p":
                who = int(first) if ts is None else ts.integer("the player number")
                if not 1 <= who <= n:
                    at = start if ts is not None else type_offset(m)
                    raise error_at(f"player {who} does not exist (the game has {n})", text, source, at)
                who -= 1
            if ts is None:
                number = int(second or first)
            else:
                number, label, acts = read_set(ts, who == CHANCE)
            got = sets.get((who, number))
            if acts is not None:
                if got is None:
                    label = label if ts is not None else unquote(label or "")
                    got = sets[who, number] = [label, acts[0], acts[1], [], len(sets)]
                elif got[1] != acts[0] or (acts[1] and got[2] != acts[1]):
                    at = start if ts is not None else type_offset(m)
                    raise error_at(f"information set {number} has different actions here", text, source, at)
            elif got is None:
                at = start if ts is not None else type_offset(m)
                message = f"information set {number} is used before its actions are given"
                raise error_at(message, text, source, at)
            entry = got
            entry[3].append(k)
        if ts is not None:
            out_at, out, vec, oname = read_outcome(ts, n)
        if vec is not None:
            if out and outcomes.setdefault(out, vec) != vec:  # Gambit keeps one payoff vector per outcome
                at = out_at if ts is not None else outcome_offset(m)
                raise error_at(f"outcome {out} is given other payoffs than at its first use", text, source, at)
            if vec is not zero:
                acc = vec if acc is zero else plus(acc, vec)
        elif out:
            vec = outcomes.get(out)
            if vec is None:
                at = out_at if ts is not None else outcome_offset(m)
                raise error_at(f"outcome {out} is used before its payoffs are given", text, source, at)
            if vec is not zero:
                acc = vec if acc is zero else plus(acc, vec)
        if out and oname and oname.strip():
            names.setdefault(out, oname)  # an outcome's name is given at its first use
        if kind == "t":
            if out in names:
                labels[k] = names[out]
            node = _new(Node)
            node.__dict__.update(name=name, player=TERMINAL, infoset=-1, children=(), probs=(), payoffs=acc)
            add(node)
        else:
            add([name, who, entry, []])
            push([(k, acc)] * len(entry[1]))
    if not raw:
        raise error_at("no nodes: an extensive game needs a tree", text, source, None)
    if pending:
        raise error_at(f"unexpected end of file: {len(pending)} subtrees missing", text, source, None)
    return players, title, raw, sets, parents, labels
