"""Bounds on what a model file may make Redline read, convert or build, checked before the work.

A model file is data from anywhere, so every reader bounds its work before doing it:

* :func:`read_bytes` reads only a regular file (a named pipe is refused without being opened,
  ``/dev/zero`` without being read) of at most :data:`MAX_FILE_BYTES` bytes;
* :func:`parse_number` refuses a number literal whose digits or exponent pass :data:`MAX_DIGITS`
  or :data:`MAX_EXPONENT` before converting it (``1e99999999`` is a hundred-million-digit
  integer), and a nonzero one a float cannot hold (:data:`MAGNITUDE_RULE`: the solvers also
  work in floats, and the writers write floats by ``repr``, so every finite float reads back);
* :func:`check_size` refuses a game of more than :data:`MAX_PLAYERS` players or
  :data:`MAX_PAYOFFS` payoffs before its payoff table is built;
* the Gambit tokenizer stops at :data:`MAX_TOKENS` tokens.

Each refusal is one :class:`~solver.core.errors.ModelError` that names the file and the limit.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from solver.core.errors import ModelError

#: largest game file read, in bytes (the file is read whole; a larger one is refused unread)
MAX_FILE_BYTES = 64 << 20
#: most digits in a number's mantissa, or in either side of a rational ``a/b`` (Python refuses to
#: convert integers of more than 4300 digits)
MAX_DIGITS = 4000
#: largest exponent written in a number, ``1e10000`` (converting ``1e99999999`` exactly would
#: build a hundred-million-digit integer)
MAX_EXPONENT = 10_000
#: most tokens in one file (each costs about 150 bytes while the file is read)
MAX_TOKENS = 5_000_000
#: most players in a game (its payoff tensor has an axis per player; numpy allows 64 in all)
MAX_PLAYERS = 20
#: most payoff entries in a game (players x pure strategy profiles), checked before anything of
#: that size is built; the bound :data:`solver.core.treeform.MAX_CELLS` puts on a tree's
#: reduced normal form
MAX_PAYOFFS = 4_000_000
#: a number token's text (``fullmatch`` it against text already split at separators): an
#: integer, a rational ``a/b``, a decimal with an optional exponent; ASCII digits only (``\d``
#: would take any script's digits, which Gambit does not write)
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
#: a number written in this many characters or fewer, without an exponent, is within every bound
_SHORT = 100
#: the bound on a number's magnitude, in words: that of a float, which the solvers also use
#: (a larger number would overflow them, a smaller one would be zero to them but not exactly)
MAGNITUDE_RULE = "a nonzero number must lie within the range of a float (about 5e-324 to 1.8e308 in magnitude)"


def out_of_range(value: Fraction) -> bool:
    """Whether ``value`` is nonzero and no float holds it: it overflows or rounds to zero.

    >>> out_of_range(Fraction(10) ** 308), out_of_range(Fraction(10) ** 309), out_of_range(Fraction(1, 10**330))
    (False, True, True)
    """
    if not value:
        return False
    try:
        return float(value) == 0.0  # correctly rounded; past the largest float it raises
    except OverflowError:
        return True


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, words in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES, *, what: str = "a model file") -> bytes:
    """The bytes of a model file (or ``what`` else): a regular file of at most ``limit`` bytes, else one
    :class:`ModelError` naming it.  The file is looked at (``stat``) before it is opened, so a
    named pipe is refused without blocking on it, and at most ``limit + 1`` bytes are read, so a
    file that grows while it is read is refused too."""
    source = str(path)
    too_big = f"the file is larger than the limit of {limit:,} bytes ({limit / (1 << 20):g} MiB)"
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ModelError(f"cannot read {_kind(info.st_mode)} as {what}", source=source)
        if info.st_size > limit:
            raise ModelError(too_big, source=source)
        # O_NONBLOCK: should the path have become a pipe since the stat, opening does not block
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise ModelError(f"cannot read {_kind(mode)} as {what}", source=source)
            chunks, size = [], 0
            while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise ModelError("no such file", source=source) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ModelError(f"cannot read file: {getattr(exc, 'strerror', None) or exc}", source=source) from None
    if size > limit:
        raise ModelError(too_big, source=source)
    return b"".join(chunks)


def parse_number(raw: str) -> Fraction:
    """The exact value of a number token's text (:data:`NUMBER_RE`), bounded before it is
    converted: a ``ValueError`` names the bound a number passes (digits, exponent, magnitude);
    a zero denominator raises ``ZeroDivisionError``.

    >>> parse_number("-.5e1"), parse_number("2/4")
    (Fraction(-5, 1), Fraction(1, 2))
    >>> parse_number("1e99999999")
    Traceback (most recent call last):
    ValueError: number 1e99999999 has an exponent past the limit of 10000
    >>> parse_number("1e400")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: number 1e400 is out of range: a nonzero number must lie within the range of a float ...
    """
    if raw.isascii() and raw.isdigit() and len(raw) <= _SHORT:  # the usual case, within every bound
        return Fraction(int(raw))
    if NUMBER_RE.fullmatch(raw) is None:
        raise ValueError(f"not a number: {shorten(raw)}")
    if len(raw) <= _SHORT and "e" not in raw and "E" not in raw:  # within every bound too
        return Fraction(raw)
    mantissa, e, exponent = raw.replace("E", "e").partition("e")
    if e:
        digits = exponent.lstrip("+-").lstrip("0")
        if len(digits) > len(str(MAX_EXPONENT)) or int(digits or "0") > MAX_EXPONENT:
            raise ValueError(f"number {shorten(raw)} has an exponent past the limit of {MAX_EXPONENT}")
    for part in mantissa.split("/"):
        if len(part.lstrip("+-").replace(".", "")) > MAX_DIGITS:
            raise ValueError(f"number {shorten(raw)} has more than {MAX_DIGITS} digits, the limit")
    value = Fraction(raw)
    if out_of_range(value):
        raise ValueError(f"number {shorten(raw)} is out of range: {MAGNITUDE_RULE}")
    return value


def check_size(counts: Sequence[int], source: str, key: str | None = None) -> None:
    """Refuse, before anything is built, a game whose players have ``counts`` strategies when
    it has more than :data:`MAX_PLAYERS` players or more than :data:`MAX_PAYOFFS` payoffs.

    >>> try:
    ...     check_size([10**9, 1], "g.nfg")
    ... except ModelError as exc:
    ...     print(exc.message[:44], "...", exc.message[-40:])
    the game has 1,000,000,000 strategy profiles ... more than the limit of 4,000,000 payoffs
    """
    n = len(counts)
    if n > MAX_PLAYERS:
        raise ModelError(f"the game has {n} players, more than the limit of {MAX_PLAYERS}", source=source, key=key)
    profiles = math.prod(counts)
    if n * profiles > MAX_PAYOFFS:
        raise ModelError(
            f"the game has {count(profiles)} strategy profiles ({count(n * profiles)} payoffs for "
            f"{n} players), more than the limit of {MAX_PAYOFFS:,} payoffs",
            source=source,
            key=key,
        )


def count(k: int) -> str:
    """A count for a message: ``1,000,000``, or ``about 10^5000`` for one too long to write.

    >>> count(12345), count(7**10000)
    ('12,345', 'about 10^8451')
    """
    if k < 10**15:
        return f"{k:,}"
    return f"about 10^{round(math.log10(k))}"


def shorten(text: str, width: int = 30) -> str:
    """``text`` for an error message: at most ``width`` characters, control characters escaped
    (a message is one line)."""
    cut = text[:width]
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)
    return shown + ("..." if len(text) > width else "")


__all__ = [
    "MAGNITUDE_RULE",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_FILE_BYTES",
    "MAX_PAYOFFS",
    "MAX_PLAYERS",
    "MAX_TOKENS",
    "NUMBER_RE",
    "check_size",
    "count",
    "out_of_range",
    "parse_number",
    "read_bytes",
    "shorten",
]
