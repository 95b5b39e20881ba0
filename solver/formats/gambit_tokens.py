"""Tokenizer shared by Gambit's ``.nfg`` and ``.efg`` readers.

Gambit's text formats ("Game representation formats", Gambit documentation) are a stream of
five kinds of token separated by whitespace: double-quoted strings (a backslash escapes the
next character, so ``\\"`` is a literal quote), braces ``{`` and ``}``, numbers, and bare
words (``NFG``, ``R``, ``p``, ``c``, ``t``, ...).  Commas are separators like whitespace, as
Gambit writes them between the payoffs of an outcome.  Numbers are read as exact
:class:`fractions.Fraction`: integers, rationals ``1/2``, decimals ``.80`` and ``7.600000``,
exponents ``1.5e-3``.  Every token carries its line number for error messages.
Reading is bounded (:mod:`.limits`): only regular files of at most ``MAX_FILE_BYTES``, numbers
checked by :func:`~.limits.parse_number` before they are converted, at most ``MAX_TOKENS`` tokens.

>>> [(t.kind, t.value) for t in tokenize('NFG 1 R "a \\\\"b\\\\"" { 1/2, -.5e1 }')]
... # doctest: +NORMALIZE_WHITESPACE
[('word', 'NFG'), ('number', Fraction(1, 1)), ('word', 'R'), ('string', 'a "b"'),
 ('{', '{'), ('number', Fraction(1, 2)), ('number', Fraction(-5, 1)), ('}', '}')]
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from solver.core.errors import ModelError
from solver.formats.limits import (
    MAX_FILE_BYTES,
    MAX_PLAYERS,
    MAX_TOKENS,
    NUMBER_RE,
    parse_number,
    read_bytes,
    shorten,
)

STRING = "string"
NUMBER = "number"
WORD = "word"
LBRACE = "{"
RBRACE = "}"

#: numbers remembered by their text while tokenizing (repeated payoffs share one Fraction)
_CACHE = 1 << 16

_TOKEN = re.compile(
    r"""
      (?P<ws>[ \t\r\f\v,]+)
    | (?P<nl>\n)
    | (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<number>"""
    + NUMBER_RE.pattern
    + r"""(?![\w.]))
    | (?P<brace>[{}])
    | (?P<word>[A-Za-z_][\w.-]*)
    | (?P<bad>[^\s{}",]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
#: what the tokenizer reads as one token or more (never one token as two): for counting
_CHUNK = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]|[^\s{}",]+', re.DOTALL)


__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PLAYERS",
    "MAX_TOKENS",
    "NUMBER_RE",
    "Token",
    "TokenStream",
    "describe",
    "format_number",
    "parse_number",
    "quote",
    "read_bytes",
    "read_prologue",
    "read_text",
    "shorten",
    "tokenize",
]


class Token(NamedTuple):
    """One token: ``kind`` is ``"string"``, ``"number"``, ``"word"``, ``"{"`` or ``"}"``."""

    kind: str
    value: str | Fraction
    line: int


def tokenize(text: str, source: str = "<string>", start: int = 0, limit: int = MAX_TOKENS) -> list[Token]:
    """All tokens of ``text`` from offset ``start`` (a token boundary) on; a malformed token, a
    number out of bounds (:func:`parse_number`) or more than ``limit`` tokens raises
    :class:`ModelError` keyed by its line."""
    too_many = f"more than {limit:,} tokens: the limit for a game file"
    # a token takes a character at least, so only a longer text can have too many: counted
    # first (a tenth of the cost of tokenizing), it is refused before any token is built
    if len(text) - start > limit and sum(1 for _ in _CHUNK.finditer(text, start)) > limit:
        raise ModelError(too_many, source=source)
    tokens: list[Token] = []
    append = tokens.append
    numbers: dict[str, Fraction] = {}
    line = text.count("\n", 0, start) + 1
    for m in _TOKEN.finditer(text, start):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "nl":
            line += 1
            continue
        if len(tokens) >= limit:
            raise ModelError(too_many, source=source, key=f"line {line}")
        raw = m.group()
        if kind == "number":
            value = numbers.get(raw)
            if value is None:
                try:
                    value = parse_number(raw)
                except ZeroDivisionError:
                    raise ModelError(
                        f"number {shorten(raw)} divides by zero", source=source, key=f"line {line}"
                    ) from None
                except ValueError as exc:
                    raise ModelError(str(exc), source=source, key=f"line {line}") from None
                if len(numbers) < _CACHE:
                    numbers[raw] = value
            append(Token(NUMBER, value, line))
        elif kind == "string":
            body = raw[1:-1]
            append(Token(STRING, _ESCAPE.sub(r"\1", body) if "\\" in body else body, line))
            line += body.count("\n")
        elif kind == "brace":
            append(Token(raw, raw, line))
        elif kind == "word":
            append(Token(WORD, raw, line))
        elif raw == '"':
            raise ModelError("unterminated string", source=source, key=f"line {line}")
        else:
            raise ModelError(f"unexpected text '{shorten(raw)}'", source=source, key=f"line {line}")
    return tokens


def quote(text: str) -> str:
    """A Gambit string literal: quotes and backslashes escaped with a backslash.

    >>> print(quote('say "hi"'))
    "say \\"hi\\""
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_number(value: Any) -> str:
    """A payoff as Gambit text: fractions exactly (``3``, ``-1/2``), floats by ``repr``.

    >>> format_number(Fraction(-1, 2)), format_number(0.1), format_number(Fraction(4))
    ('-1/2', '0.1', '4')
    """
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"payoff {value!r} cannot be written to a Gambit file")
        return repr(float(value))
    return str(Fraction(value))


def read_text(path: str | Path) -> str:
    """The text of a game file (:func:`read_bytes`): UTF-8 (with or without BOM), else latin-1;
    NUL bytes are refused."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ModelError("not a text file (NUL byte)", source=str(path), key=f"line {line}")
    return text


class TokenStream:
    """A cursor over the tokens of one file (from offset ``start`` on) with typed ``expect`` helpers."""

    def __init__(self, text: str, source: str = "<string>", start: int = 0) -> None:
        self.source = source
        self.tokens = tokenize(text, source, start)
        self.pos = 0
        self.last_line = text.count("\n") + 1

    def error(self, message: str, token: Token | None = None, key: str | None = None) -> ModelError:
        """A :class:`ModelError` at ``token`` (default: the current token, or the end)."""
        if key is None:
            tok = token if token is not None else self.peek()
            key = f"line {tok.line if tok is not None else self.last_line}"
        return ModelError(message, source=self.source, key=key)

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def next(self, what: str) -> Token:
        """The next token; the end of the file is an error that names ``what`` was expected."""
        tok = self.peek()
        if tok is None:
            raise self.error(f"unexpected end of file, expected {what}")
        self.pos += 1
        return tok

    def expect(self, kind: str, what: str) -> Token:
        tok = self.next(what)
        if tok.kind != kind:
            raise self.error(f"expected {what}, found {describe(tok)}", tok)
        return tok

    def word(self, what: str, allowed: tuple[str, ...] | None = None) -> str:
        tok = self.expect(WORD, what)
        if allowed is not None and tok.value not in allowed:
            raise self.error(f"expected {what}, found {describe(tok)}", tok)
        return str(tok.value)

    def string(self, what: str) -> str:
        return str(self.expect(STRING, what).value)

    def number(self, what: str) -> Fraction:
        value = self.expect(NUMBER, what).value
        assert isinstance(value, Fraction)
        return value

    def integer(self, what: str) -> int:
        tok = self.expect(NUMBER, what)
        value = tok.value
        assert isinstance(value, Fraction)
        if value.denominator != 1:
            raise self.error(f"expected {what} (an integer), found {value}", tok)
        return int(value)

    def open(self, what: str) -> None:
        self.expect(LBRACE, f"'{{' opening {what}")

    def close_or_none(self) -> bool:
        """Consume a closing brace if it is next."""
        tok = self.peek()
        if tok is not None and tok.kind == RBRACE:
            self.pos += 1
            return True
        return False

    def strings(self, what: str) -> list[str]:
        """A braced list of strings ``{ "a" "b" }``."""
        self.open(what)
        out: list[str] = []
        while not self.close_or_none():
            out.append(self.string(f"a string in {what} or '}}'"))
        return out


def describe(tok: Token) -> str:
    """A token as shown in an error message."""
    if tok.kind == STRING:
        return f'string "{shorten(str(tok.value))}"'
    if tok.kind in (LBRACE, RBRACE):
        return f"'{tok.kind}'"
    return f"{tok.kind} {tok.value}"


def read_prologue(ts: TokenStream, kind: str, version: int) -> tuple[str, tuple[str, ...]]:
    """The shared start of a Gambit file, ``NFG 1 R "title" { "player" ... }`` (or ``EFG 2``):
    (title, player names).  The format word and version are checked."""
    ts.word(f"'{kind}' at the start of the file", (kind,))
    tok = ts.next(f"the format version {version}")
    if tok.kind != NUMBER or tok.value != version:
        raise ts.error(f"unsupported {kind} version: {describe(tok)} (expected {version})", tok)
    ts.word("'R' or 'D' after the version", ("R", "D"))
    title = ts.string("the game title (a quoted string)")
    return title, tuple(ts.strings("the player names"))
