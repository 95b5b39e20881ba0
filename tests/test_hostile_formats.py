"""Hostile model files (issue 10, loading): what is not a regular file, what is too big, numbers
that would take forever or overflow, games too large to build, malformed or garbage text and
model keys that would be wrong only later.

Every refusal is one ``redline:`` line on stderr naming the file, the key or limit and what is
wrong, with exit code 1 and no traceback, under the harness's memory limit and timeout: the
memory bombs are refused before anything of their size is built, so they are quick.  Rows run
through the command line where the failure was a crash, a hang or a memory bomb; the finer
checks of one key run in-process (:func:`solver.formats.load`), which is the same code and
faster.  A property test feeds garbled ``.nfg`` token streams to ``load``: a model or a
:class:`RedlineError`, never another exception.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CHICKEN_TOML
from hostile import assert_one_line_error, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.core.errors import ModelError, RedlineError
from solver.formats import load
from solver.formats.gambit_tokens import tokenize
from solver.formats.limits import MAX_FILE_BYTES, MAX_PAYOFFS, MAX_PLAYERS, read_bytes

T_LINE = 'T = { value = 4, range = [0, 10], doc = "temptation: the other swerves, I go straight" }'
assert T_LINE in CHICKEN_TOML


def chicken(t_line: str | None = None, extra: str = "") -> str:
    """The chicken model with parameter T's line replaced and ``extra`` appended."""
    return CHICKEN_TOML.replace(T_LINE, t_line if t_line is not None else T_LINE) + extra


def with_t(fields: str) -> str:
    """Chicken with ``fields`` added to parameter T's table."""
    return chicken(T_LINE.replace("doc = ", f"{fields}, doc = "))


def players_toml(n: int, k: int) -> str:
    """A model of ``n`` players with ``k`` strategies each and a single payoff line (a 1 KB file
    that declares a huge game)."""
    strategies = ", ".join(f'"s{j}"' for j in range(k))
    lines = ["[model]", 'name = "big"', "[players]"]
    lines += [f"P{i} = [{strategies}]" for i in range(n)]
    lines += ["[payoffs]", '"' + ", ".join(["s0"] * n) + '" = [' + ", ".join(["1"] * n) + "]"]
    return "\n".join(lines) + "\n"


NFG = 'NFG 1 R "g" { "A" "B" } '

# --- through the command line: crashes, hangs and memory bombs ---------------------------------

Maker = Callable[[Path], Path]


def file(name: str, content: str | bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return make


def fifo(folder: Path) -> Path:
    path = folder / "model.toml"
    os.mkfifo(path)
    return path


def sparse(folder: Path) -> Path:
    path = folder / "huge.nfg"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    return path


def dev_zero(folder: Path) -> Path:
    return Path("/dev/zero")


CLI_CASES = [
    pytest.param(dev_zero, ("solve",), ("/dev/zero", "character device"), id="dev-zero"),
    pytest.param(fifo, ("solve",), ("model.toml", "named pipe"), id="fifo-not-opened"),
    pytest.param(sparse, ("solve",), ("huge.nfg", "64 MiB"), id="file-over-size-limit"),
    pytest.param(file("e.nfg", NFG + "{ 1 1 } 1e99999999 0"), ("solve",), ("e.nfg", "exponent", "10000"),
                 id="nfg-exponent-bomb"),
    pytest.param(file("d.nfg", NFG + "{ 1 1 } 0 " + "9" * 5000), ("solve",), ("line 1", "4000 digits"),
                 id="nfg-5000-digits"),
    pytest.param(file("d.nfg", NFG + "{ 1 1 } 0 " + "9" * 2000), ("solve",), ("range of a float",),
                 id="nfg-2000-digits-past-float"),
    pytest.param(file("big.nfg", NFG + "{ 1000000000 1 }"), ("solve",),
                 ("big.nfg", "1,000,000,000 strategy profiles", f"limit of {MAX_PAYOFFS:,}"), id="nfg-strategy-bomb"),
    pytest.param(file("p.nfg", 'NFG 1 R "" { ' + '"" ' * 40 + "} { " + "1 " * 40 + "} " + "0 " * 40), ("solve",),
                 ("40 players", f"limit of {MAX_PLAYERS}"), id="nfg-too-many-players"),
    pytest.param(file("n.nfg", NFG + "{ 2 -3 }"), ("solve",), ("player 2", "no strategies", "-3"),
                 id="nfg-negative-count"),
    pytest.param(file("b.nfg", bytes(range(1, 256)) * 64), ("solve",), ("b.nfg", "unexpected text"), id="nfg-binary"),
    pytest.param(file("b.efg", b"\x00\x01garbage" * 100), ("solve",), ("b.efg", "NUL"), id="efg-nul-bytes"),
    pytest.param(file("b.toml", b"\xff\xfe\x00garbage\x80"), ("solve",), ("b.toml", "UTF-8"), id="toml-not-utf8"),
    pytest.param(file("deep.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n"), ("solve",),
                 ("deep.toml", "nested too deeply"), id="toml-nested-1e5"),
    pytest.param(file("i.toml", "x = " + "9" * 5000 + "\n"), ("solve",), ("i.toml", "too long"),
                 id="toml-5000-digit-int"),
    pytest.param(file("p.toml", players_toml(16, 3)), ("solve",),
                 ("p.toml", "43,046,721 strategy profiles", f"limit of {MAX_PAYOFFS:,}"), id="toml-16-players-3-each"),
    pytest.param(file("p.toml", players_toml(24, 2)), ("solve",), ("24 players", f"limit of {MAX_PLAYERS}"),
                 id="toml-24-players"),
    pytest.param(file("p.toml", players_toml(40, 1)), ("solve",), ("40 players", f"limit of {MAX_PLAYERS}"),
                 id="toml-40-players"),
    pytest.param(file("u.toml", with_t('distribution = { mean = "a", sd = -1 }')), ("uncertainty", "--samples", "50"),
                 ("u.toml", "parameters.T.distribution.mean"), id="uncertainty-distribution-bad-keys"),
    pytest.param(file("u.toml", with_t('distribution = { kind = "normal", mean = 4, sd = -1 }')),
                 ("uncertainty", "--samples", "50"), ("parameters.T.distribution.sd", "sd > 0"),
                 id="uncertainty-distribution-negative-sd"),
    pytest.param(file("n.toml", chicken(T_LINE.replace("value = 4", "value = nan"))), ("solve",),
                 ("n.toml", "parameters.T.value", "finite"), id="toml-nan-value"),
]


@pytest.mark.parametrize(("make", "command", "needles"), CLI_CASES)
def test_hostile_file_is_one_line(
    make: Maker, command: tuple[str, ...], needles: tuple[str, ...], tmp_path: Path
) -> None:
    path = make(tmp_path)
    if not path.exists():
        pytest.skip(f"{path} does not exist here")
    before = set(os.listdir(tmp_path))
    outcome = run_cli(command[0], str(path), *command[1:], cwd=tmp_path, timeout=30)
    assert_one_line_error(outcome, *needles)
    assert set(os.listdir(tmp_path)) == before  # nothing written


# --- in-process: the checks of one key ---------------------------------------------------------

LOAD_CASES = [
    # bounds and garbage, as in the command-line rows
    pytest.param("m.nfg", NFG + "{ 1 1 } 1 1e-99999999", ("exponent", "10000"), id="nfg-tiny-exponent"),
    pytest.param("m.nfg", NFG + "{ 1 1 } 0 1/" + "7" * 4500, ("4000 digits",), id="nfg-4500-digit-denominator"),
    pytest.param("m.nfg", 'NFG 1 R "" { "A" } { 99999999999999999999999999999999 }',
                 ("about 10^32 strategy profiles",), id="nfg-astronomical-count"),
    pytest.param("m.toml", "\ufeff", ("missing [model]",), id="toml-only-bom"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = "a", sd = 1 }'),
                 ("parameters.T.distribution.mean", "expected a number"), id="dist-mean-string"),
    pytest.param("m.toml", chicken(T_LINE.replace("[0, 10]", "[-inf, inf]")), ("parameters.T.range", "finite"),
                 id="toml-infinite-range"),
    # distributions: a known kind, its own keys, finite numbers, consistent with the range
    pytest.param("m.toml", with_t('distribution = { kind = "lognormal" }'), ("parameters.T.distribution.kind",
                 "unknown distribution kind"), id="dist-unknown-kind"),
    pytest.param("m.toml", with_t("distribution = { kind = 3 }"), ("parameters.T.distribution.kind",),
                 id="dist-kind-not-string"),
    pytest.param("m.toml", with_t("distribution = { kind = [1] }"), ("parameters.T.distribution.kind",),
                 id="dist-kind-list"),
    pytest.param("m.toml", chicken(extra="").replace("[parameters]\n", '[parameters]\n"a\\nb" = 1\n'),
                 ("parameters.a\\nb", "identifiers"), id="parameter-name-newline"),
    pytest.param("m.toml", chicken().replace('source = "Schelling 1960"', '"a\\nb" = 1'), ("model.a\\nb",),
                 id="model-key-newline"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = 4, sd = 1, skew = 2 }'),
                 ("parameters.T.distribution.skew", "unknown key"), id="dist-unknown-key"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = 4 }'), ("parameters.T.distribution.sd",
                 "sd > 0"), id="dist-normal-no-sd"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = 4, sd = nan }'),
                 ("parameters.T.distribution.sd", "finite"), id="dist-nan-sd"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = 4, sd = inf }'),
                 ("parameters.T.distribution.sd", "finite"), id="dist-inf-sd"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = 40, sd = 1 }'),
                 ("parameters.T.distribution.mean", "range [0, 10]"), id="dist-mean-outside-range"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = true, sd = 1 }'),
                 ("parameters.T.distribution.mean", "expected a number"), id="dist-bool"),
    pytest.param("m.toml", with_t('distribution = { kind = "triangular", mode = 40 }'),
                 ("parameters.T.distribution", "low <= mode <= high"), id="dist-mode-outside-range"),
    pytest.param("m.toml", with_t('distribution = { kind = "triangular", low = 5, high = 2 }'),
                 ("parameters.T.distribution", "low <= mode <= high"), id="dist-triangular-reversed"),
    pytest.param("m.toml", with_t('distribution = { kind = "triangular", low = -5, mode = 4 }'),
                 ("parameters.T.distribution",), id="dist-triangular-low-outside-range"),
    pytest.param("m.toml", with_t('distribution = { kind = "uniform", low = 1 }'),
                 ("parameters.T.distribution.low", "uniform"), id="dist-uniform-takes-no-bounds"),
    pytest.param("m.toml", with_t('distribution = "normal"'), ("parameters.T.distribution", "table"),
                 id="dist-not-table"),
    # parameters
    pytest.param("m.toml", chicken(T_LINE.replace("[0, 10]", "[10, 0]")), ("parameters.T.range", "reversed"),
                 id="range-reversed"),
    pytest.param("m.toml", chicken(T_LINE.replace("value = 4", "value = 40")), ("parameters.T.value", "outside"),
                 id="value-outside-range"),
    pytest.param("m.toml", chicken(T_LINE.replace("[0, 10]", "[0, 1" + "0" * 400 + "]")),
                 ("parameters.T.range", "range of a float"), id="range-past-float"),
    pytest.param("m.toml", chicken(T_LINE.replace("value = 4", "value = 1e-400")), ("1e-400", "range of a float"),
                 id="toml-float-literal-underflows"),
    pytest.param("m.toml", chicken(T_LINE.replace("[0, 10]", "[0, 1e400]")), ("1e400", "range of a float"),
                 id="toml-float-literal-overflows"),
    pytest.param("m.toml", chicken().replace('["T", "S"]', '[1e-400, "S"]'), ("1e-400", "range of a float"),
                 id="toml-payoff-literal-underflows"),
    pytest.param("m.toml", with_t("unit = 5"), ("parameters.T.unit", "string"), id="unit-not-string"),
    pytest.param("m.toml", with_t("color = 5"), ("parameters.T", "unknown key 'color'"), id="parameter-unknown-key"),
    # tables, players, payoffs
    pytest.param("m.toml", chicken(extra="\n[extra]\nx = 1\n"), ("extra", "unknown table"), id="unknown-top-table"),
    pytest.param("m.toml", chicken().replace('source = "Schelling 1960"', 'source = "S"\nauthor = "x"'),
                 ("model.author", "unknown key"), id="unknown-model-key"),
    pytest.param("m.toml", chicken(extra='"Swerve,Swerve" = ["R", "R"]\n'),
                 ('payoffs."Swerve,Swerve"', "duplicate profile"), id="payoffs-given-twice"),
    pytest.param("m.toml", chicken().replace("Row = ", '"" = '), ("players.", "blank"), id="blank-player-name"),
    pytest.param("m.toml", chicken().replace("Row = ", '"R\\nw" = '), ("players.R\\nw", "printable"),
                 id="player-name-newline"),
    pytest.param("m.toml", chicken().replace('Row = ["Swerve", "Straight"]', 'Row = ["Swerve", "Str\\u0007aight"]'),
                 ("players.Row", "control characters"), id="strategy-name-control"),
    pytest.param("m.toml", "", ("model", "missing [model] table"), id="toml-empty"),
    pytest.param("m.toml", "[model\n", ("invalid TOML",), id="toml-malformed"),
    # Gambit files
    pytest.param("m.nfg", "", ("line 1", "expected 'NFG'"), id="nfg-empty"),
    pytest.param("m.nfg", "\ufeff", ("expected 'NFG'",), id="nfg-only-bom"),
    pytest.param("m.efg", "", ("expected 'EFG'",), id="efg-empty"),
    pytest.param("m.nfg", NFG + "{ 2 0 }", ("player 2 has no strategies",), id="nfg-zero-count"),
    pytest.param("m.nfg", NFG + "{ 2 2 } 1 2 3", ("expected 8 payoffs",), id="nfg-too-few-payoffs"),
    pytest.param("m.nfg", NFG + "{ 2 2 } 1 2 3 4 5 6 7 8 9", ("expected 8 payoffs, found 9",),
                 id="nfg-too-many-payoffs"),
    pytest.param("m.nfg", NFG + '{ 1 1 } { { "o" 1 } } 1', ("outcome 1", "1 payoffs for 2 players"),
                 id="nfg-outcome-short"),
    pytest.param("m.nfg", NFG + "{ 1 1 } 1/0 1", ("1/0", "divides by zero"), id="nfg-zero-denominator"),
    pytest.param("m.nfg", NFG + "{ 1 1 } 1 \u0663", ("unexpected text",), id="nfg-non-ascii-digit"),
    pytest.param("m.nfg", NFG + '{ 1 1 } 1 "a\nb"', ('string "a\\nb"',), id="nfg-newline-in-string"),
    pytest.param("m.nfg", NFG + "{ 1 1 } 1 1e400", ("range of a float",), id="nfg-past-float"),
]


@pytest.mark.parametrize(("name", "text", "needles"), LOAD_CASES)
def test_bad_key_is_named(name: str, text: str, needles: tuple[str, ...], tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load(str(path))
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message and "\r" not in message, message
    for needle in needles:
        assert needle.lower() in message.lower(), (needle, message)


GOOD_CASES = [
    pytest.param("m.toml", chicken().replace("\n", "\r\n"), id="toml-crlf"),
    pytest.param("m.toml", "\ufeff" + chicken(), id="toml-bom"),
    pytest.param("m.nfg", (NFG + "\n{ 2 2 }\n1 2 3 4 5 6 7 8\n").replace("\n", "\r\n"), id="nfg-crlf"),
    pytest.param("m.nfg", "\ufeff" + NFG + "{ 2 2 } 1 2 3 4 5 6 7 8", id="nfg-bom"),
    pytest.param("m.nfg", NFG + "{ 2 2 } 1 2 3 4 5 6 7 8".replace(" ", "\r"), id="nfg-cr-only"),
    pytest.param("m.toml", with_t('distribution = { kind = "normal", mean = 4, sd = 2 }'), id="dist-normal"),
    pytest.param("m.toml", chicken(T_LINE.replace("value = 4", "value = 4e-300")), id="toml-tiny-float"),
    pytest.param("m.toml", chicken(T_LINE.replace("value = 4", "value = 0.0e-999")), id="toml-zero-big-exponent"),
    pytest.param("m.toml", with_t('distribution = { kind = "triangular", low = 1, mode = 4, high = 9 }'),
                 id="dist-triangular"),
    pytest.param("m.toml", with_t('distribution = { kind = "fixed" }'), id="dist-fixed"),
    pytest.param("m.toml", with_t("distribution = {}"), id="dist-empty-is-uniform"),
]


@pytest.mark.parametrize(("name", "text"), GOOD_CASES)
def test_awkward_but_valid_files_load(name: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    model = load(str(path))
    assert len(model.players) == 2
    assert [len(s) for s in model.strategies] == [2, 2]


def test_repeated_player_names_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "m.nfg"
    path.write_text('NFG 1 R "" { "A" "A" } { 2 2 } 1 2 3 4 5 6 7 8')
    model = load(str(path))
    assert model.players == ("A", "A (2)")
    assert any("repeated player name" in note for note in model.notes)


def test_long_literal_within_bounds_is_exact(tmp_path: Path) -> None:
    """A 2000-digit payoff that a float can hold is read exactly, not refused or rounded."""
    digits = "1234567890" * 200
    path = tmp_path / "m.nfg"
    path.write_text(f'NFG 1 R "" {{ "A" }} {{ 1 }} 0.{digits}')
    (value,) = load(str(path)).payoffs.flat
    assert Fraction(value.p, value.q) == Fraction(int(digits), 10**2000)


# --- the bounds themselves -----------------------------------------------------------------------


def test_tokenizer_stops_at_its_token_limit() -> None:
    with pytest.raises(ModelError, match="more than 10 tokens"):
        tokenize("1 " * 11, "g.nfg", limit=10)
    assert len(tokenize("1 " * 10, "g.nfg", limit=10)) == 10


def test_read_bytes_reads_at_most_one_byte_past_its_limit(tmp_path: Path) -> None:
    """The size is checked by ``stat`` first and again while reading, for a file whose ``stat``
    size is not its length (``/proc`` files report 0; a file may grow while it is read)."""
    path = tmp_path / "m.toml"
    path.write_bytes(b"x" * 11)
    with pytest.raises(ModelError, match="limit of 10 bytes"):
        read_bytes(path, limit=10)
    assert read_bytes(path, limit=11) == b"x" * 11
    proc = Path("/proc/self/status")
    if proc.exists() and proc.stat().st_size == 0:
        with pytest.raises(ModelError, match="limit of 10 bytes"):
            read_bytes(proc, limit=10)


def test_non_regular_files_are_refused_without_opening(tmp_path: Path) -> None:
    pipe = tmp_path / "m.nfg"
    os.mkfifo(pipe)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    with pytest.raises(ModelError, match="named pipe"):  # would block forever if opened
        load(str(pipe))
    with pytest.raises(ModelError, match="directory"):
        load(str(tmp_path))
    if Path("/dev/zero").exists():
        link = tmp_path / "zero.toml"
        link.symlink_to("/dev/zero")
        with pytest.raises(ModelError, match="character device"):  # the target is what counts
            load(str(link))


# --- property: garbled .nfg token streams ------------------------------------------------------

TOKENS = [
    "NFG", "EFG", "1", "2", "R", "D", '""', '"a"', '"b"', '"a\\"b"', '"', "{", "}", ",", "\n", "\r\n", "0", "-1",
    "3", "1/2", "1/0", "-.5e1", ".5", "7.600000", "1e99999999", "1e-99999999", "1e400", "1e-400", "1e308",
    "1000000000", "9" * 5000, "9" * 400, "1/" + "3" * 4100, "x", "p", "+", "\x00", "é", "\u0663", "\ufeff",
]
HEADER = 'NFG 1 R "g" { "A" "B" } '
streams = st.tuples(
    st.sampled_from(["", HEADER, HEADER + "{ 2 2 } ", HEADER + "{ { "]),
    st.lists(st.sampled_from(TOKENS), max_size=30),
    st.sampled_from([" ", "", "\t"]),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nfg")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(streams)
def test_garbled_nfg_loads_or_raises_redline_error(scratch: Path, stream: tuple[str, list[str], str]) -> None:
    head, tokens, sep = stream
    path = scratch / "g.nfg"
    path.write_bytes((head + sep.join(tokens)).encode("utf-8"))
    try:
        model = load(str(path))
    except RedlineError as exc:
        assert "\n" not in str(exc), str(exc)
    else:
        assert len(model.players) >= 1
