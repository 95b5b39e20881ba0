"""Gambit .nfg reader/writer: fixtures, Gambit's own corpus (against pygambit), round trips,
and malformed input (ModelError naming the source and the line or outcome)."""

from __future__ import annotations

import os
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import nfg_reference

from solver.core.errors import ModelError, RedlineError
from solver.core.game import Game
from solver.formats.gambit_tokens import tokenize
from solver.formats.nfg import format_nfg, parse_nfg, read_nfg, write_nfg

DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit"
CORPUS_FILES = sorted(CORPUS.rglob("*.nfg")) if CORPUS.is_dir() else []
CORPUS_IDS = [str(p.relative_to(CORPUS)) for p in CORPUS_FILES]


def corpus_params() -> list[object]:
    if not CORPUS_FILES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPUS} is missing"))]
    return [pytest.param(p, id=i) for p, i in zip(CORPUS_FILES, CORPUS_IDS, strict=True)]


def same_game(a: Game, b: Game) -> bool:
    return (
        a.players == b.players
        and a.strategies == b.strategies
        and a.title == b.title
        and a.payoffs.shape == b.payoffs.shape
        and a.payoffs.tolist() == b.payoffs.tolist()
    )


# --- fixtures written for this project -------------------------------------------------------

FIXTURES = {
    "pd_labels.nfg": (
        "Prisoner's dilemma",
        ("Row", "Column"),
        (("Cooperate", "Defect"), ("Cooperate", "Defect")),
        {(0, 0): (3, 3), (1, 0): (5, 0), (0, 1): (0, 5), (1, 1): (1, 1)},
    ),
    "bos_outcomes.nfg": (
        'Battle of the sexes, "outcome" form',
        ("Her", "Him"),
        (("Opera", "Football"), ("Opera", "Football")),
        {(0, 0): (2, 1), (1, 0): (0, 0), (0, 1): (0, 0), (1, 1): (1, 2)},
    ),
    "counts_decimal.nfg": (
        "",
        ("P1", "P2", "P3"),
        (("1", "2"), ("1",), ("1", "2")),
        {
            (0, 0, 0): (F(1, 2), F(1, 4), F(-3, 2000)),
            (1, 0, 0): (0, 0, 0),
            (0, 0, 1): (F(38, 5), 100, F(-3, 4)),
            (1, 0, 1): (2, 0, 5),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_reads_exactly(name: str) -> None:
    title, players, strategies, table = FIXTURES[name]
    g = read_nfg(DATA / name)
    assert (g.title, g.players, g.strategies, g.is_exact) == (title, players, strategies, True)
    for profile, expected in table.items():
        got = g.payoff(profile)
        assert all(isinstance(v, F) for v in got)
        assert got == tuple(F(v) for v in expected)
    assert same_game(parse_nfg(format_nfg(g)), g)


def test_outcome_and_payoff_forms_agree() -> None:
    outcome = parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 } { { "x" 1, 2 } { "y" 3 4 } } 2 0 1 2')
    payoff = parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 } 3 4 0 0 1 2 3 4')
    assert outcome.payoffs.tolist() == payoff.payoffs.tolist()


def test_tokens_carry_lines_and_exact_numbers() -> None:
    toks = tokenize('NFG\n"two\nlines" 1.5e-3\n-2/6 { }')
    assert [(t.kind, t.value, t.line) for t in toks] == [
        ("word", "NFG", 1),
        ("string", "two\nlines", 2),
        ("number", F(3, 2000), 3),
        ("number", F(-1, 3), 4),
        ("{", "{", 4),
        ("}", "}", 4),
    ]


# --- Gambit's corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_parses_and_round_trips(path: Path) -> None:
    g = read_nfg(path)
    assert g.is_exact and g.payoffs.shape == (g.n_players, *g.shape)
    assert all(isinstance(v, F) for v in g.payoffs.flat)
    assert same_game(parse_nfg(format_nfg(g)), g)


FIXTURE_PARAMS = [pytest.param(DATA / n, id=f"data/{n}") for n in sorted(FIXTURES)]


@pytest.mark.parametrize("path", FIXTURE_PARAMS + corpus_params())
def test_file_agrees_with_pygambit(path: Path) -> None:
    players, strategies, table = nfg_reference(path)  # pygambit reads every file here
    g = read_nfg(path)
    # pygambit renames blank and duplicate labels ("_1", "defect_2"); compare the others
    if distinct(g.players):
        assert g.players == tuple(players)
    for ours, theirs in zip(g.strategies, strategies, strict=True):
        if distinct(ours):
            assert ours == tuple(theirs)
    assert set(table) == set(np.ndindex(*g.shape))
    for profile, expected in table.items():
        for i, value in enumerate(expected):
            assert g.payoffs[(i, *profile)] == value, (profile, i)


def distinct(labels: tuple[str, ...]) -> bool:
    return "" not in labels and len(set(labels)) == len(labels)


# --- round trips on generated games -----------------------------------------------------------

labels = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
rationals = st.fractions(max_denominator=50).filter(lambda x: abs(x) < 10**6)
floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def games(draw: st.DrawFn, exact: bool) -> Game:
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    n = len(shape)
    size = n * int(np.prod(shape))
    values = draw(st.lists(rationals if exact else floats, min_size=size, max_size=size))
    payoffs = np.empty(size, dtype=object if exact else float)
    payoffs[:] = values
    return Game(
        tuple(draw(st.lists(labels, min_size=n, max_size=n))),
        tuple(tuple(draw(st.lists(labels, min_size=m, max_size=m))) for m in shape),
        payoffs.reshape((n, *shape)),
        draw(labels),
        exact,
    )


@settings(max_examples=100, deadline=None)
@given(games(exact=True))
def test_round_trip_exact(g: Game) -> None:
    assert same_game(parse_nfg(format_nfg(g)), g)


@settings(max_examples=100, deadline=None)
@given(games(exact=False))
def test_round_trip_float(g: Game) -> None:
    back = parse_nfg(format_nfg(g))
    assert (back.players, back.strategies, back.title) == (g.players, g.strategies, g.title)
    assert back.float_payoffs().tolist() == g.float_payoffs().tolist()  # repr is exact


def test_write_nfg_round_trips_and_replaces(tmp_path: Path) -> None:
    g = read_nfg(DATA / "bos_outcomes.nfg")
    target = tmp_path / "out.nfg"
    target.write_text("old")
    write_nfg(g, target)
    assert same_game(read_nfg(target), g)
    assert os.listdir(tmp_path) == ["out.nfg"]


def test_write_nfg_leaves_nothing_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that fails part-way (here: the disk fills) leaves the old file and no temp file."""
    import errno

    import solver.formats.atomic as atomic

    real = atomic.os.replace

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    game = Game.from_arrays(np.array([[1.0, 2.0]]))
    target = tmp_path / "out.nfg"
    target.write_text("old")
    with pytest.raises(RedlineError, match="No space left"):
        write_nfg(game, target)
    monkeypatch.setattr(atomic.os, "replace", real)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.nfg"]


# --- malformed input --------------------------------------------------------------------------

HEAD = 'NFG 1 R "t" { "A" "B" }\n'
BAD = [
    ("not-nfg", 'EFG 2 R "t" { "A" }', "line 1", "'NFG'"),
    ("version", 'NFG 2 R "t" { "A" } { 1 } 0', "line 1", "version"),
    ("no-title", 'NFG 1 R { "A" } { 1 } 0', "line 1", "title"),
    ("no-players", 'NFG 1 R "t" { } { } ', "line 1", "at least one player"),
    ("strategy-lists", HEAD + '{ { "a" } }\n1 2', "line 2", "strategy lists"),
    ("strategy-counts", HEAD + "{ 2 2 2 }\n1 2", "line 2", "strategy counts"),
    ("zero-strategies", HEAD + "{ 2 0 }", "line 2", "no strategies"),
    ("count-not-int", HEAD + "{ 2 1.5 }", "line 2", "integer"),
    ("too-few", HEAD + "{ 2 2 }\n1 2 3 4 5 6\n7", "line 3", "expected 8 payoffs"),
    ("too-many", HEAD + "{ 1 1 }\n1 2\n3", "line 4", "expected 2 payoffs, found 3"),
    ("word-payoff", HEAD + "{ 1 1 }\n1 x", "line 3", "then word x"),
    ("bad-number", HEAD + "{ 1 1 }\n1 2.5.5", "line 3", "2.5.5"),
    ("zero-denominator", HEAD + "{ 1 1 }\n1\n1/0", "line 4", "divides by zero"),
    ("unterminated", HEAD + '{ 1 1 }\n"oops\n1 2', "line 3", "unterminated string"),
    ("outcome-size", HEAD + '{ 1 1 }\n{ { "a" 1 2 } { "b" 1 } }\n1', "outcome 2", "1 payoffs"),
    ("outcome-range", HEAD + '{ 1 2 }\n{ { "a" 1 2 } }\n1\n2', "line 5", "out of range 0..1"),
    ("outcome-negative", HEAD + '{ 1 1 }\n{ { "a" 1 2 } }\n-1', "line 4", "out of range"),
    ("outcome-few", HEAD + '{ 1 2 }\n{ { "a" 1 2 } }\n1', "line 4", "found 1 then the end"),
    ("trailing", HEAD + '{ 1 1 }\n1 2\n"x"', "line 4", "after the payoffs"),
    ("truncated", HEAD + "{ { ", "line 2", "end of file"),
]


@pytest.mark.parametrize(("text", "key", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_raises_model_error(text: str, key: str, words: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_nfg(text, source="bad.nfg")
    assert info.value.source == "bad.nfg"
    assert info.value.key == key
    assert words in info.value.message


def test_bad_file_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.nfg"
    path.write_text(HEAD + "{ 2 2 }\n1 2 3")
    with pytest.raises(ModelError) as info:
        read_nfg(path)
    assert info.value.source == str(path) and info.value.key == "line 3"


@pytest.mark.parametrize(
    ("data", "key"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00", "line 3"), (b"NFG \x00\x01", "line 1")],
    ids=["png", "nul"],
)
def test_binary_file_is_refused(tmp_path: Path, data: bytes, key: str) -> None:
    path = tmp_path / "game.nfg"
    path.write_bytes(data)
    with pytest.raises(ModelError, match="not a text file") as info:
        read_nfg(path)
    assert info.value.source == str(path) and info.value.key == key


def test_missing_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        read_nfg(tmp_path / "absent.nfg")
    assert info.value.source == str(tmp_path / "absent.nfg")


def test_latin1_and_bom_files_read(tmp_path: Path) -> None:
    text = 'NFG 1 R "caf\u00e9" { "A" } { 1 } 3'
    for name, data in [("l1", text.encode("latin-1")), ("bom", b"\xef\xbb\xbf" + text.encode())]:
        path = tmp_path / f"{name}.nfg"
        path.write_bytes(data)
        assert read_nfg(path).title == "caf\u00e9"
