"""Read and write Gambit's strategic-form ``.nfg`` files (exact payoffs).

Format (Gambit documentation, "Game representation formats"): a header
``NFG 1 R "title" { "Player 1" "Player 2" }`` (``D`` instead of ``R`` is accepted), then either
the strategy labels ``{ { "s1" "s2" } { "t1" "t2" } }`` or the counts ``{ 2 2 }``, an optional
comment string, then the payoffs in one of two forms:

* payoff list: one payoff per player for every pure profile, profiles in lexicographic order
  with the *first* player's strategy changing fastest;
* outcome list: ``{ { "name" 1, 2 } ... }`` then one outcome index per profile in the same
  order, ``0`` being the null outcome (all payoffs zero).

Payoffs are read as exact :class:`fractions.Fraction`.  The comment and outcome names are not
kept.  Reading is bounded (:mod:`.limits`): the strategy counts are checked against the game
size limit before any label or payoff table is built, so ``{ 1000000000 1 }`` is refused at
once.  :func:`parse_nfg` and :func:`read_nfg` give the labels as the file spells them, blank and
repeated ones too (so ``format_nfg`` writes back what it read); :func:`relabel` and
:func:`read_nfg_model` (what ``load`` uses) show blank and repeated labels under unique names
(:mod:`.labels`: player ``i`` as ``Player i``, strategy ``k`` as ``k``, a repeat as
``Defect (2)``) and keep the file's own in a :class:`~.labels.FileLabels`, which
:func:`format_nfg` and :func:`write_nfg` write back.

>>> g = parse_nfg('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
>>> g.strategies, g.payoff((1, 0))
((('1', '2'), ('1', '2')), (Fraction(5, 1), Fraction(0, 1)))
>>> parse_nfg(format_nfg(g)).payoffs.tolist() == g.payoffs.tolist()
True
>>> shown, labels = relabel(parse_nfg('NFG 1 R "" { "" "" } { { "C" "C" } { "" "1" } } 0 0 0 0 0 0 0 0'))
>>> shown.players, shown.strategies
(('Player 1', 'Player 2'), (('C', 'C (2)'), ('1 (2)', '1')))
>>> labels.notes[0]
'<string>: unnamed player 1 shown as "Player 1"'
>>> format_nfg(shown, labels) == format_nfg(parse_nfg(format_nfg(shown, labels)))
True
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from solver.core.game import Game
from solver.core.symbolic import Model, evaluate, from_game
from solver.formats import atomic
from solver.formats.gambit_tokens import (
    LBRACE,
    NUMBER,
    STRING,
    TokenStream,
    describe,
    format_number,
    quote,
    read_prologue,
    read_text,
)
from solver.formats.labels import FileLabels, player, position, renamed, unique
from solver.formats.limits import check_size

_ZERO = Fraction(0)


def read_nfg(path: str | Path) -> Game:
    """The game in the ``.nfg`` file at ``path``; any problem raises :class:`ModelError`."""
    return parse_nfg(read_text(path), source=str(path))


def read_nfg_model(path: str | Path) -> Model:
    """A parameter-free strategic :class:`Model` of the ``.nfg`` file at ``path``, with unique
    labels (:func:`relabel`): the renaming in ``notes``, the file's own labels in
    ``file_labels``."""
    p = Path(path)
    shown, labels = relabel(read_nfg(p), str(p))
    model = from_game(shown, name=p.stem, path=str(p), source=f"Gambit .nfg file {p.name}")
    if model.title != shown.title:  # untitled: shown by the file's name, written back untitled
        labels = replace(labels or FileLabels(shown.players), title=shown.title)
    return model if labels is None else replace(model, notes=labels.notes, file_labels=labels)


def relabel(game: Game, source: str = "<string>") -> tuple[Game, FileLabels | None]:
    """``game`` with every blank or repeated label shown under a unique name (:mod:`.labels`),
    and the file's own labels with one note per renamed label naming ``source`` (None, and
    ``game`` itself, when every label is already unique)."""
    players = unique(game.players, player)
    strategies = tuple(unique(s, position) for s in game.strategies)
    if players == game.players and strategies == game.strategies:
        return game, None
    notes = renamed(source, "player", game.players, players)
    for i, (given, shown) in enumerate(zip(game.strategies, strategies, strict=True)):
        notes += renamed(source, "strategy", given, shown, f" of player {quote(players[i])}")
    shown_game = Game(players, strategies, game.payoffs, game.title, game.is_exact)
    return shown_game, FileLabels(game.players, game.strategies, notes=tuple(notes))


def parse_nfg(text: str, source: str = "<string>") -> Game:
    """The game described by ``.nfg`` text, labels as the file spells them; errors name
    ``source`` and the line (or outcome)."""
    ts = TokenStream(text, source)
    title, players = read_prologue(ts, "NFG", 1)
    if not players:
        raise ts.error("a game needs at least one player")
    check_size([1] * len(players), source)
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
        counts = [len(labels) for labels in lists]
    else:
        counts = []
        while not ts.close_or_none():
            counts.append(ts.integer("a number of strategies or '}'"))
        if len(counts) != n:
            raise ts.error(f"{len(counts)} strategy counts for {n} players", first)
    for i, c in enumerate(counts):
        if c < 1:
            raise ts.error(f"player {i + 1} has no strategies (a count of {c}; at least 1 is needed)", first)
    check_size(counts, ts.source, f"line {first.line}" if first is not None else None)
    if first is None or first.kind != LBRACE:
        lists = [tuple(position(k) for k in range(c)) for c in counts]
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


def format_nfg(game: Game, labels: FileLabels | None = None) -> str:
    """``.nfg`` text of ``game`` in payoff-list form (fractions exact, floats by ``repr``), with
    the file's own player and strategy labels from ``labels`` where it has them."""
    players, strategies, title = game.players, game.strategies, game.title
    if labels is not None:
        title = title if labels.title is None else labels.title
        players = labels.players or players
        strategies = labels.strategies or strategies
        if len(players) != game.n_players or tuple(map(len, strategies)) != game.shape:
            raise ValueError("the file labels are those of another game")
    lines = [
        f"NFG 1 R {quote(title)} {{ {' '.join(quote(p) for p in players)} }}",
        "",
        "{ "
        + "\n".join("{ " + " ".join(quote(s) for s in each) + " }" for each in strategies),
        "}",
        '""',
        "",
    ]
    flat = game.payoffs.reshape(-1, order="F")
    n = game.n_players
    for start in range(0, len(flat), n):
        lines.append(" ".join(format_number(v) for v in flat[start : start + n]))
    return "\n".join(lines) + "\n"


def write_nfg(
    game: Game | Model,
    path: str | Path,
    labels: FileLabels | None = None,
    values: dict[str, Any] | None = None,
) -> None:
    """Write ``game`` (or a model at ``values``, with its ``file_labels`` unless ``labels`` are
    given) to ``path`` atomically (temp file in the same folder, then ``os.replace``)."""
    if isinstance(game, Model):
        labels = labels if labels is not None else game.file_labels
        game = evaluate(game, values)
    atomic.write_text(path, format_nfg(game, labels))


__all__ = ["format_nfg", "parse_nfg", "read_nfg", "read_nfg_model", "relabel", "write_nfg"]
