"""How a Gambit ``.efg`` node is spelled, and its fields read two ways that agree.

The format (Gambit documentation, "The extensive game (.efg) file format") is a stream of the
tokens of :mod:`.gambit_tokens`: a header ``EFG 2 R "title" { "Player 1" "Player 2" }``, an
optional comment string, then the nodes in prefix order::

    p "name" player set ["set name"] [{ "a" "b" }] outcome ["outcome name"] [{ payoffs }]
    c "name" set ["set name"] [{ "a" 1/2 "b" 1/2 }] outcome ["outcome name"] [{ payoffs }]
    t "name" outcome ["outcome name"] [{ payoffs }]

* *By pattern*: :data:`NODE` takes a whole node as Gambit writes it (blanks and commas between
  tokens, unsigned integers) in one match, and :func:`plain_actions` and :func:`plain_payoffs`
  decode its lists (the caller keeps them once per distinct text); they raise ``ValueError`` or
  ``ZeroDivisionError`` for whatever must be read by tokens instead.
* *By tokens*: :func:`read_header`, :func:`read_set` and :func:`read_outcome` take the same
  fields from a :class:`~.gambit_tokens.TokenStream`, in every spelling the format allows, and
  a problem names its line.

>>> m = NODE.match('p "n" 1 2 "s" { "L" "R" } 0')
>>> m.groups()
(None, 'p', 'n', '1', '2', 's', '{ "L" "R" }', '0', None, None)
>>> plain_actions(m[7], False, {})
(('L', 'R'), ())
>>> read_outcome(TokenStream('3 "o" { 1/2, -1 }'), 2)[1:]
(3, (Fraction(1, 2), Fraction(-1, 1)), 'o')
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ParamSpec, TypeVar

from solver.core.errors import ModelError
from solver.formats.gambit_tokens import (
    LBRACE,
    STRING,
    Token,
    TokenStream,
    read_prologue,
    tokenize,
)
from solver.formats.limits import parse_number

P = ParamSpec("P")
R = TypeVar("R")

#: the separators: whitespace and commas, as in the tokenizer
BLANK = " \t\n\r\f\v,"
# Strings may hold escapes; possessive quantifiers (``*+``) keep the engine from backtracking
# into a token; action and payoff lists are captured with their braces.
_W = r"[ \t\n\r\f\v,]"
_S = r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"'  # a string, its body captured
_SKIP = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'  # a string, not captured
_I = r'(\d++)(?![^ \t\n\r\f\v,{}"])'  # an integer token, captured
_BLOCK = rf'(\{{[^{{}}"]*+(?:{_SKIP}[^{{}}"]*+)*+\}})'  # braces holding strings too, captured
_HEADER = re.compile(
    rf"{_W}*+EFG{_W}++2{_W}++[RD]{_W}*+{_S}{_W}*+\{{((?:{_W}*+{_SKIP})*+){_W}*+\}}"
    rf"(?:{_W}*+{_SKIP})?",
    re.DOTALL,
)
#: One node.  Groups: "t" for a leaf, "p" or "c" otherwise, name, first integer (player of "p",
#: set of "c"), second integer (set of "p"), set name, action list, outcome, outcome name, payoff list (only
#: the characters of numbers and blanks); ``(?(1)|...)``: a leaf has no player, set or actions.
#: A node followed by a string or a brace is left to the tokens, which may read it as its own.
NODE = re.compile(
    rf"{_W}*+(?:(t)|([pc])){_W}*+{_S}"
    rf"(?(1)|{_W}*+{_I}(?:{_W}++{_I})?(?:{_W}*+{_S})?(?:{_W}*+{_BLOCK})?)"
    rf"{_W}*+{_I}(?:{_W}*+{_S})?(?:{_W}*+(\{{[ \t\n\r\f\v,0-9+\-./eE]*+\}}))?"
    rf'(?!{_W}*+[{{"])',
    re.DOTALL,
)
#: a string token, its body captured
STRINGS = re.compile(_S, re.DOTALL)
_TOKEN = r'[^ \t\n\r\f\v,{}"]+'
_PAIRS = re.compile(rf"{_W}*{_S}{_W}*({_TOKEN})", re.DOTALL)
#: a player's action list (names only) and a chance action list (name, probability pairs)
_LISTS = (
    re.compile(rf"\{{(?:{_W}*{_SKIP})+{_W}*\}}", re.DOTALL),
    re.compile(rf"\{{(?:{_W}*{_SKIP}{_W}*{_TOKEN})+{_W}*\}}", re.DOTALL),
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
#: player action lists written one after another (each as :data:`_LISTS` takes it: its braces
#: hold only strings and separators), for checking a column of distinct lists in one match
LIST_RUN = re.compile(rf"(?:\{{(?:{_W}*+{_SKIP})++{_W}*+\}})*+", re.DOTALL)


# --- by pattern ------------------------------------------------------------------------------
def unquote(body: str) -> str:
    """A string token's body with its escapes resolved."""
    return _ESCAPE.sub(r"\1", body) if "\\" in body else body


def plain_header(text: str) -> tuple[tuple[str, ...], str, int] | None:
    """(players, title, offset after the header) of a plainly written header, or None."""
    head = _HEADER.match(text)
    if head is None:
        return None
    return tuple(map(unquote, STRINGS.findall(head[2]))), unquote(head[1]), head.end()


def type_offset(m: re.Match[str]) -> int:
    """Where the node type letter of a :data:`NODE` match is (errors about the node name it)."""
    return m.start(1) if m[1] else m.start(2)


def outcome_offset(m: re.Match[str]) -> int:
    """Where the outcome number of a :data:`NODE` match is."""
    return m.start(8)


#: number tokens up to this long, ASCII digits only, take the fast integer path
SHORT_NUMBER = 100


def number(text: str, cache: dict[str, Fraction]) -> Fraction:
    """A number token's value, once per distinct text (integers skip Fraction's string parser);
    ValueError or ZeroDivisionError where the tokens must read it."""
    value = cache.get(text)
    if value is None:
        num, slash, den = text.partition("/")  # [+-]?\d+ or [+-]?\d+/\d+: no string parsing
        plain = text.isascii() and len(text) <= SHORT_NUMBER
        if plain and (num.isdigit() or (num[:1] in "+-" and num[1:].isdigit())) and (not slash or den.isdigit()):
            value = Fraction(int(num), int(den)) if slash else Fraction(int(num))
        else:  # exponents, decimals, long or odd text: bounded before any exact conversion
            value = parse_number(text)
        cache[text] = value
    return value


def plain_payoffs(text: str, cache: dict[str, Fraction], zero: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    """The numbers of a braced payoff list (``zero`` itself when all are 0: nothing to add);
    ValueError unless there is one per player (the tokens report that)."""
    parts = text[1:-1].replace(",", " ").split()  # the pattern let only ASCII blanks through
    if len(parts) != len(zero):
        raise ValueError(text)
    out = tuple([cache[t] if t in cache else number(t, cache) for t in parts])
    return out if any([x.numerator for x in out]) else zero


def plus(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    """Payoff vectors added, integers without Fraction's general (gcd) addition."""
    return tuple(
        [
            x if not y else Fraction(x.numerator + y.numerator) if x.denominator == 1 == y.denominator else x + y
            for x, y in zip(a, b, strict=True)
        ]
    )


def plain_actions(text: str, chance: bool, cache: dict[str, Fraction]) -> tuple[Any, ...]:
    """(action names, probabilities) of a braced action list; ValueError if not plain."""
    if _LISTS[chance].fullmatch(text) is None:
        raise ValueError(text)
    if not chance:
        return tuple(map(unquote, STRINGS.findall(text))), ()
    pairs = _PAIRS.findall(text, 1)
    return tuple(unquote(a) for a, _ in pairs), tuple(number(p, cache) for _, p in pairs)


# --- by tokens -------------------------------------------------------------------------------
def read_header(ts: TokenStream) -> tuple[tuple[str, ...], str]:
    """(players, title); the comment after them is skipped."""
    title, players = read_prologue(ts, "EFG", 2)
    if (tok := ts.peek()) is not None and tok.kind == STRING:
        ts.pos += 1
    return players, title


def read_set(ts: TokenStream, chance: bool) -> tuple[int, str, tuple[Any, ...] | None]:
    """(information set number, its name or "", (actions, probabilities) or None if omitted)."""
    number = ts.integer("the information set number")
    tok = ts.peek()
    label = ts.string("the information set name") if tok is not None and tok.kind == STRING else ""
    tok = ts.peek()
    if tok is None or tok.kind != LBRACE:
        return number, label, None
    ts.open("the action list")
    actions: list[str] = []
    probs: list[Fraction] = []
    while not ts.close_or_none():
        actions.append(ts.string("an action name or '}'"))
        if chance:
            probs.append(ts.number("the action's probability"))
    if not actions:
        raise ts.error("an information set needs at least one action")
    return number, label, (tuple(actions), tuple(probs))


def read_outcome(ts: TokenStream, n: int) -> tuple[Token | None, int, tuple[Fraction, ...] | None, str | None]:
    """(the outcome number's token, the number, its ``n`` payoffs or None if omitted, its name or
    None if omitted)."""
    tok = ts.peek()
    number = ts.integer("the outcome number")
    name = None
    if (nxt := ts.peek()) is not None and nxt.kind == STRING:
        name = ts.string("the outcome name")
        nxt = ts.peek()
    if nxt is None or nxt.kind != LBRACE:
        return tok, number, None, name
    ts.open("the outcome's payoffs")
    pay = []
    while not ts.close_or_none():
        pay.append(ts.number("a payoff or '}'"))
    if len(pay) != n:
        raise ts.error(f"outcome {number} has {len(pay)} payoffs, expected {n}", tok)
    return tok, number, tuple(pay), name


def error_at(message: str, text: str, source: str, at: Token | int | None) -> ModelError:
    """An error at a token, at a pattern-read token's offset, or (None) at the end of the file.
    From an offset the rest of the file is tokenized first, so that a malformed token there is
    the error, as when the whole file is tokenized before it is read."""
    if isinstance(at, int):
        tokenize(text, source, at)
    line = at.line if isinstance(at, Token) else text.count("\n", 0, at) + 1
    return ModelError(message, source=source, key=f"line {line}")


def paused_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn(text, ...)`` with Python's cyclic garbage collector paused (and resumed as it was):
    reading a 10^6-node file allocates millions of objects and no cycles, and each full
    collection would walk all of them again (reading 10^6 nodes: 14 s with it, 6 s without).
    The command line then freezes what is loaded (``solver.cli.common.load_model``); a library
    call does not, since freezing is process-wide."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        was = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was:
                gc.enable()

    return run
