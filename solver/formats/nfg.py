"""Read and write Gambit's strategic-form ``.nfg`` files (exact payoffs).

Format (Gambit documentation, "Game representation formats"): a header
``NFG 1 R "title" { "Player 1" "Player 2" }`` (``D`` instead of ``R`` is accepted), then either
the strategy labels ``{ { "s1" "s2" } { "t1" "t2" } }`` or the counts ``{ 2 2 }``, an optional
comment string, then the payoffs in one of two forms:

* payoff list: one payoff per player for every pure profile, profiles in lexicographic order
  with the *first* player's strategy changing fastest;
* outcome list: ``{ { "name" 1, 2 } ... }`` then one outcome index per profile in the same
  order, ``0`` being the null outcome (all payoffs zero).

Payoffs are read as exact :class:`fractions.Fraction`.  The comment is not kept.

>>> g = parse_nfg('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
>>> g.strategies, g.payoff((1, 0))
((('1', '2'), ('1', '2')), (Fraction(5, 1), Fraction(0, 1)))
>>> parse_nfg(format_nfg(g)).payoffs.tolist() == g.payoffs.tolist()
True
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from solver.core.game import Game
from solver.formats import atomic
from solver.formats.gambit_tokens import LBRACE, NUMBER, STRING, TokenStream, describe, format_number, quote, read_text

_ZERO = Fraction(0)


def read_nfg(path: str | Path) -> Game:
    """The game in the ``.nfg`` file at ``path``; any problem raises :class:`ModelError`."""
    return parse_nfg(read_text(path), source=str(path))


def parse_nfg(text: str, source: str = "<string>") -> Game:
    """The game described by ``.nfg`` text; errors name ``source`` and the line (or outcome)."""
    ts = TokenStream(text, source)
    ts.word("'NFG' at the start of the file", ("NFG",))
    version = ts.next("the format version 1")
    if version.kind != NUMBER or version.value != 1:
        raise ts.error(f"unsupported NFG version: {describe(version)} (expected 1)", version)
    ts.word("'R' or 'D' after the version", ("R", "D"))
    title = ts.string("the game title (a quoted string)")
    players = tuple(ts.strings("the player names"))
    if not players:
        raise ts.error("a game needs at least one player")
    strategies = _read_strategies(ts, len(players))
    tok = ts.peek()
    if tok is not None and tok.kind == STRING:
        ts.pos += 1  # the comment
    shape = tuple(len(s) for s in strategies)
    tok = ts.peek()
    if tok is not None and tok.kind == LBRACE:
        payoffs = _read_outcome_form(ts, len(players), shape)
    else:
        payoffs = _read_payoff_list(ts, len(players), shape)
    if not ts.at_end():
        raise ts.error(f"unexpected {describe(ts.tokens[ts.pos])} after the payoffs")
    return Game(players, strategies, payoffs, title, True)


def _read_strategies(ts: TokenStream, n: int) -> tuple[tuple[str, ...], ...]:
    """``{ { "s1" ... } ... }`` (one list per player) or ``{ 2 3 }`` (counts)."""
    ts.open("the strategies")
    first = ts.peek()
    if first is not None and first.kind == LBRACE:
        lists: list[tuple[str, ...]] = []
        while not ts.close_or_none():
            lists.append(tuple(ts.strings(f"the strategy labels of player {len(lists) + 1}")))
        if len(lists) != n:
            raise ts.error(f"{len(lists)} strategy lists for {n} players", first)
    else:
        counts: list[int] = []
        while not ts.close_or_none():
            counts.append(ts.integer("a number of strategies or '}'"))
        if len(counts) != n:
            raise ts.error(f"{len(counts)} strategy counts for {n} players", first)
        lists = [tuple(str(k + 1) for k in range(c)) for c in counts]
    for i, labels in enumerate(lists):
        if not labels:
            raise ts.error(f"player {i + 1} has no strategies", first)
    return tuple(lists)


def _read_payoff_list(ts: TokenStream, n: int, shape: tuple[int, ...]) -> Any:
    """``n`` payoffs per profile, first player's strategy fastest (Fortran order)."""
    need = n * math.prod(shape)
    start, tokens = ts.pos, ts.tokens
    stop = min(start + need, len(tokens))
    values = [t.value for t in tokens[start:stop]]
    got = next((j for j in range(start, stop) if tokens[j].kind != NUMBER), stop) - start
    if got < need:
        bad = tokens[start + got] if start + got < len(tokens) else None
        found = describe(bad) if bad is not None else "the end of the file"
        raise ts.error(
            f"expected {need} payoffs ({n} players x {need // n} profiles), "
            f"found {got} then {found}",
            bad,
        )
    ts.pos = stop
    if not ts.at_end() and ts.tokens[ts.pos].kind == NUMBER:
        extra = sum(1 for t in tokens[stop:] if t.kind == NUMBER)
        raise ts.error(f"expected {need} payoffs, found {need + extra}")
    return np.array(values, dtype=object).reshape((n, *shape), order="F").copy()


def _read_outcome_form(ts: TokenStream, n: int, shape: tuple[int, ...]) -> Any:
    """Outcomes ``{ { "name" p1 ... pn } ... }`` then one index per profile (0 = null)."""
    ts.open("the outcome list")
    table: list[list[Fraction]] = [[_ZERO] * n]
    while not ts.close_or_none():
        k = len(table)
        ts.open(f"outcome {k}")
        ts.string(f"the name of outcome {k}")
        row: list[Fraction] = []
        while not ts.close_or_none():
            tok = ts.next(f"a payoff of outcome {k} or '}}'")
            if tok.kind != NUMBER:
                raise ts.error(f"expected a payoff of outcome {k}, found {describe(tok)}", tok)
            row.append(tok.value)  # type: ignore[arg-type]
        if len(row) != n:
            raise ts.error(f"{len(row)} payoffs for {n} players", key=f"outcome {k}")
        table.append(row)
    profiles = math.prod(shape)
    index: list[int] = []
    for p in range(profiles):
        nxt = ts.peek()
        if nxt is None or nxt.kind != NUMBER:
            found = describe(nxt) if nxt is not None else "the end of the file"
            raise ts.error(f"expected {profiles} outcome indices, found {p} then {found}")
        k = ts.integer("an outcome index")
        if not 0 <= k < len(table):
            raise ts.error(
                f"outcome index {k} of profile {p + 1} is out of range 0..{len(table) - 1}", nxt
            )
        index.append(k)
    if not ts.at_end() and ts.tokens[ts.pos].kind == NUMBER:
        extra = sum(1 for t in ts.tokens[ts.pos :] if t.kind == NUMBER)
        raise ts.error(f"expected {profiles} outcome indices, found {profiles + extra}")
    arr = np.empty((len(table), n), dtype=object)
    arr[:] = table
    return arr[index].T.reshape((n, *shape), order="F").copy()


def format_nfg(game: Game) -> str:
    """``.nfg`` text of ``game`` in payoff-list form (fractions exact, floats by ``repr``)."""
    lines = [
        f"NFG 1 R {quote(game.title)} {{ {' '.join(quote(p) for p in game.players)} }}",
        "",
        "{ "
        + "\n".join("{ " + " ".join(quote(s) for s in labels) + " }" for labels in game.strategies),
        "}",
        '""',
        "",
    ]
    flat = game.payoffs.reshape(-1, order="F")
    n = game.n_players
    for start in range(0, len(flat), n):
        lines.append(" ".join(format_number(v) for v in flat[start : start + n]))
    return "\n".join(lines) + "\n"


def write_nfg(game: Game, path: str | Path) -> None:
    """Write ``game`` to ``path`` atomically (temp file in the same folder, then ``os.replace``)."""
    atomic.write_text(path, format_nfg(game))


__all__ = ["format_nfg", "parse_nfg", "read_nfg", "write_nfg"]
