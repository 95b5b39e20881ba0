"""Read Gambit's extensive-form ``.efg`` files (exact numbers); writing is in ``efg_write``.

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

from solver.core.symbolic import Model
from solver.core.tree import CHANCE, TERMINAL, Node, Tree
from solver.formats.efg_careful import Raw, build, careful
from solver.formats.efg_write import format_efg, model_from_tree, same_tree, write_efg
from solver.formats.gambit_tokens import NUMBER_RE, read_text

__all__ = [
    "format_efg",
    "model_from_tree",
    "parse_efg",
    "read_efg",
    "read_efg_model",
    "same_tree",
    "write_efg",
]


def read_efg(path: str | Path) -> Tree:
    """The tree in the ``.efg`` file at ``path``; any problem raises :class:`ModelError`."""
    return parse_efg(read_text(path), source=str(path))


def read_efg_model(path: str | Path) -> Model:
    """A parameter-free sequential :class:`Model` for a ``.efg`` file (tree + reduced form)."""
    tree = read_efg(path)
    return model_from_tree(
        tree, name=Path(path).stem, path=str(path), source=f"Gambit .efg file {Path(path).name}"
    )


def parse_efg(text: str, source: str = "<string>") -> Tree:
    """The tree described by ``.efg`` text; errors name ``source`` and the line.

    A fast reader (one regular expression match per node, no line tracking) reads well-formed
    files; anything it does not accept is re-read by the checking tokenizer
    (:mod:`.efg_careful`), which defines the format and reports the line of a problem.
    """
    try:
        raw = _fast(text)
    except (ValueError, KeyError, ZeroDivisionError):
        raw = None
    return build(*(raw if raw is not None else careful(text, source)), source)


# --- the fast reader -------------------------------------------------------------------------
# Separators are whitespace and commas, as in the tokenizer; strings may hold escapes.  A whole
# node is one match (``findall``: no match objects); action lists and payoff lists are captured
# with their braces and decoded once per distinct text.  Whatever this grammar does not cover
# (signs on integers, escapes inside action lists, ...) fails the match, or leaves a gap between
# matches, and goes to the checking reader.
_W = r"[ \t\n\r\f\v,]"
# possessive quantifiers (``*+``, Python 3.11) keep the engine from backtracking into a token
_S = r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"'  # a string, its body captured
_SKIP = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # a string, not captured
_I = r'(\d++)(?![^ \t\n\r\f\v,{}"])'  # an integer token, captured
_BLOCK = rf'(\{{[^{{}}"]*+(?:{_SKIP}[^{{}}"]*+)*+\}})'  # braces holding strings too, captured
_HEADER = re.compile(
    rf"{_W}*+EFG{_W}++2{_W}++[RD]{_W}*+{_S}{_W}*+\{{((?:{_W}*+{_SKIP})*+){_W}*+\}}"
    rf"(?:{_W}*+{_SKIP})?",
    re.DOTALL,
)
#: one node: (whole text, "t" for a leaf, "p" or "c" otherwise, name, first integer (player of
#: "p", set of "c"), second integer (set of "p"), set name, action list, outcome, payoff list
#: (only the characters of numbers and blanks));
#: ``(?(2)|...)``: a leaf has no player, set or actions
_NODE = re.compile(
    rf"({_W}*+(?:(t)|([pc])){_W}*+{_S}"
    rf"(?(2)|{_W}*+{_I}(?:{_W}++{_I})?(?:{_W}*+{_S})?(?:{_W}*+{_BLOCK})?)"
    rf"{_W}*+{_I}(?:{_W}*+{_SKIP})?(?:{_W}*+(\{{[ \t\n\r\f\v,0-9+\-./eE]*+\}}))?)",
    re.DOTALL,
)
_STRINGS = re.compile(_S, re.DOTALL)
_TOKEN = r'[^ \t\n\r\f\v,{}"]+'
_PAIRS = re.compile(rf"{_W}*{_S}{_W}*({_TOKEN})", re.DOTALL)
#: a player's action list (names only) and a chance action list (name, probability pairs)
_LISTS = (
    re.compile(rf"\{{(?:{_W}*{_SKIP})+{_W}*\}}", re.DOTALL),
    re.compile(rf"\{{(?:{_W}*{_SKIP}{_W}*{_TOKEN})+{_W}*\}}", re.DOTALL),
)
_SPLIT = re.compile(rf"{_W}+")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_BLANK = " \t\n\r\f\v,"


def _unq(body: str) -> str:
    return _ESCAPE.sub(r"\1", body) if "\\" in body else body


def _number(text: str, cache: dict[str, Fraction]) -> Fraction:
    """A number token's value, once per distinct text (integers skip Fraction's string parser)."""
    value = cache.get(text)
    if value is None:
        num, slash, den = text.partition("/")  # [+-]?\d+ or [+-]?\d+/\d+: no string parsing
        if (num.isdigit() or (num[:1] in "+-" and num[1:].isdigit())) and (
            not slash or den.isdigit()
        ):
            value = Fraction(int(num), int(den)) if slash else Fraction(int(num))
        elif NUMBER_RE.fullmatch(text) is not None:
            value = Fraction(text)
        else:
            raise ValueError(text)
        cache[text] = value
    return value


def _payoffs(
    text: str, cache: dict[str, Fraction], n: int, zero: tuple[Fraction, ...]
) -> tuple[Fraction, ...]:
    """The numbers of a braced payoff list (``zero`` itself when all are 0: nothing to add);
    ValueError unless there are ``n`` plain numbers."""
    parts = text[1:-1].replace(",", " ").split()  # the grammar let only ASCII blanks through
    if len(parts) != n:
        raise ValueError(text)
    out = tuple([cache[t] if t in cache else _number(t, cache) for t in parts])
    return out if any([x.numerator for x in out]) else zero


def _plus(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    """Payoff vectors added, integers without Fraction's general (gcd) addition."""
    return tuple(
        [
            x
            if not y
            else Fraction(x.numerator + y.numerator)
            if x.denominator == 1 == y.denominator
            else x + y
            for x, y in zip(a, b, strict=True)
        ]
    )


def _actions(text: str, chance: bool, cache: dict[str, Fraction]) -> tuple[Any, ...]:
    """(action names, probabilities) of a braced action list; ValueError if not plain."""
    if _LISTS[chance].fullmatch(text) is None:
        raise ValueError(text)
    if not chance:
        return tuple(map(_unq, _STRINGS.findall(text))), ()
    pairs = _PAIRS.findall(text, 1)
    return tuple(_unq(a) for a, _ in pairs), tuple(_number(p, cache) for _, p in pairs)


def _fast(text: str) -> Raw | None:
    """The raw layout of :func:`.efg_careful.careful`, or None (or an exception) to hand over."""
    head = _HEADER.match(text)
    if head is None:
        return None
    players = tuple(map(_unq, _STRINGS.findall(head[2])))
    n = len(players)
    items = _NODE.findall(text, head.end())
    if not n or sum(map(len, [m[0] for m in items])) != len(text.rstrip(_BLANK)) - head.end():
        return None  # no players, or text the grammar does not cover
    zero = (Fraction(0),) * n
    numbers: dict[str, Fraction] = {}
    payoffs: dict[str, tuple[Fraction, ...]] = {}
    blocks: tuple[dict[str, tuple[Any, ...]], ...] = ({}, {})
    outcomes: dict[int, tuple[Fraction, ...]] = {}
    sets: dict[tuple[int, int], list[Any]] = {}
    raw: list[Any] = []
    parents: list[int] = []
    pending: list[tuple[int, tuple[Fraction, ...]]] = []
    pop, push, new, step, add = (
        pending.pop,
        pending.extend,
        object.__new__,
        parents.append,
        raw.append,
    )
    for _, leaf, kind, name, first, second, label, block, out, pay in items:
        k = len(raw)
        if pending:
            parent, acc = pop()
            raw[parent][3].append(k)
        elif k:
            return None
        else:
            parent, acc = -1, zero
        step(parent)
        if "\\" in name:
            name = _unq(name)
        if pay:
            vec = payoffs.get(pay)
            if vec is None:
                vec = payoffs[pay] = _payoffs(pay, numbers, n, zero)
            if out != "0" and int(out):
                outcomes[int(out)] = vec
            acc = vec if acc is zero else _plus(acc, vec)
        elif out != "0" and int(out):
            vec = outcomes[int(out)]
            acc = vec if acc is zero else _plus(acc, vec)
        # findall gives "" for a group that took no part
        if leaf:
            node = new(Node)
            node.__dict__.update(
                name=name, player=TERMINAL, infoset=-1, children=(), probs=(), payoffs=acc
            )
            add(node)
            continue
        if kind == "p":
            who = int(first) - 1
            if not (0 <= who < n and second):
                return None
            key = (who, int(second))
        elif second:
            return None
        else:
            who = CHANCE
            key = (CHANCE, int(first))
        entry = sets.get(key)
        if block:
            chance = who == CHANCE
            acts = blocks[chance].get(block)
            if acts is None:
                acts = blocks[chance][block] = _actions(block, chance, numbers)
            if entry is None:
                entry = sets[key] = [_unq(label), acts[0], acts[1], [], len(sets)]
            elif entry[1] != acts[0] or (acts[1] and entry[2] != acts[1]):
                return None
        elif entry is None:
            return None
        entry[3].append(k)
        add([name, who, entry, []])
        push([(k, acc)] * len(entry[1]))
    if pending or not raw:
        return None
    return players, _unq(head[1]), raw, sets, parents
