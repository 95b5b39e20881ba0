"""The ``redline`` command line through typer's CliRunner (plus one real subprocess run).

Contract: results on stdout (exactly one JSON document with ``--format json``); bad input gives
exactly one line on stderr naming file/key/what, exit code 1 (2 for usage), nothing on stdout,
no traceback, and nothing executed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from clirun import run
from conftest import CHICKEN_TOML, chicken_with

from solver.formats import DEFAULT_MODEL, shipped_models
from solver.formats.toml_model import read_toml

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SS = '"Swerve, Swerve"'


def run_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)  # the whole stdout is one JSON document


def is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def check_solve_contract(doc: dict[str, Any]) -> None:
    players = doc["players"]
    assert isinstance(players, list) and players
    assert list(doc["strategies"]) == players
    assert isinstance(doc["parameters"], dict)
    for spec in doc["parameters"].values():
        assert is_number(spec["value"]) and isinstance(spec["doc"], str)
        low, high = spec["range"]
        assert is_number(low) and is_number(high) and low <= spec["value"] <= high
    assert isinstance(doc["complete"], bool) and isinstance(doc["degenerate"], bool)
    assert doc["equilibria"], "every finite game has an equilibrium"
    for eq in doc["equilibria"]:
        assert list(eq["profile"]) == players
        for p in players:
            probs = eq["profile"][p]
            assert list(probs) == doc["strategies"][p]
            assert all(is_number(v) and v >= 0 for v in probs.values())
            assert sum(probs.values()) == pytest.approx(1, abs=1e-12)
        assert list(eq["payoffs"]) == players
        assert all(is_number(v) for v in eq["payoffs"].values())
        assert is_number(eq["max_regret"]) and eq["max_regret"] <= 1e-8


def mixed_row_probability(doc: dict[str, Any], player: str, strategy: str) -> list[float]:
    return sorted(e["profile"][player][strategy] for e in doc["equilibria"])


# --- results --------------------------------------------------------------------------------


def test_solve_default_model_table() -> None:
    result = run("solve")
    assert result.exit_code == 0 and result.stderr == ""
    assert "Israel" in result.stdout and "Russia" in result.stdout
    out = result.stdout
    assert "Strike 3/5" in out or "Strike 0.6" in out
    assert "Confront 1/3" in out or "Confront 0.333333" in out


def test_solve_default_model_json() -> None:
    doc = run_json("solve")
    check_solve_contract(doc)
    assert doc["model"] == DEFAULT_MODEL
    assert doc["complete"] is True
    (eq,) = doc["equilibria"]
    assert eq["profile"]["Israel"]["Strike"] == pytest.approx(0.6)
    assert eq["profile"]["Russia"]["Confront"] == pytest.approx(1 / 3)


def test_solve_chicken_json_contract() -> None:
    doc = run_json("solve", "chicken")
    check_solve_contract(doc)
    assert doc["players"] == ["Row", "Column"]
    assert doc["strategies"] == {"Row": ["Swerve", "Straight"], "Column": ["Swerve", "Straight"]}
    assert set(doc["parameters"]) >= {"T", "R", "S", "P"}
    assert doc["complete"] is True and doc["degenerate"] is False
    assert len(doc["equilibria"]) == 3  # two pure, one mixed


def test_issue_chicken_file_equilibria(chicken_file: Path) -> None:
    doc = run_json("solve", str(chicken_file))
    check_solve_contract(doc)
    assert mixed_row_probability(doc, "Row", "Swerve") == [0, 0.5, 1]


def test_exact_prints_fractions(chicken_file: Path) -> None:
    table = run("solve", str(chicken_file), "--exact")
    assert table.exit_code == 0
    assert "Swerve 1/2, Straight 1/2" in table.stdout
    doc = run_json("solve", str(chicken_file), "--exact")
    assert doc["exact"] is True
    mixed = [e for e in doc["equilibria"] if e["profile"]["Row"]["Swerve"] not in (0, 1)]
    assert mixed[0]["profile_exact"]["Row"] == {"Swerve": "1/2", "Straight": "1/2"}
    assert mixed[0]["profile"]["Row"]["Swerve"] == 0.5  # numbers stay numbers


def test_set_changes_the_answer(chicken_file: Path) -> None:
    before = run_json("solve", str(chicken_file))
    after = run_json("solve", str(chicken_file), "--set", "T=5")
    assert after["parameters"]["T"]["value"] == 5
    assert mixed_row_probability(before, "Column", "Swerve") == [0, 0.5, 1]
    after_q = mixed_row_probability(after, "Column", "Swerve")
    assert after_q[1] == pytest.approx(1 / 3)
    table = run("solve", str(chicken_file), "--set", "T=5", "--set", "P = 1/2", "--exact")
    assert table.exit_code == 0 and "T = 5" in table.stdout


def test_solve_nfg_file() -> None:
    path = DATA / "pd_labels.nfg"
    doc = run_json("solve", str(path))
    check_solve_contract(doc)
    assert len(doc["equilibria"]) == 1


def test_solve_method_pure_needs_no_mixed_solver(chicken_file: Path) -> None:
    doc = run_json("solve", str(chicken_file), "--method", "pure")
    assert len(doc["equilibria"]) == 2 and doc["complete"] is False


def test_show_json(chicken_file: Path) -> None:
    doc = run_json("show", str(chicken_file), "--set", "T=5")
    assert doc["players"] == ["Row", "Column"]
    assert doc["strategies"]["Column"] == ["Swerve", "Straight"]
    assert doc["parameters"]["T"] == {
        "value": 5,
        "range": [0, 10],
        "doc": doc["parameters"]["T"]["doc"],
    }
    assert doc["parameters"]["P"]["doc"] == "crash"
    rows = {r["key"]: r for r in doc["payoffs"]}
    assert rows["Straight, Swerve"]["formulas"] == {"Row": "T", "Column": "S"}
    assert rows["Straight, Swerve"]["payoffs"] == {"Row": 5, "Column": 2}


def test_show_table_default_model() -> None:
    result = run("show")
    assert result.exit_code == 0 and result.stderr == ""
    assert "iran_cost" in result.stdout


def test_models_lists_every_shipped_file_with_its_title() -> None:
    shipped = shipped_models()
    doc = run_json("models")
    rows = {r["name"]: r for r in doc["models"]}
    assert set(rows) == set(shipped)
    for name, path in shipped.items():
        assert rows[name]["title"] == read_toml(path)["model"]["title"]
    table = run("models")
    assert table.exit_code == 0
    for name in shipped:
        assert name in table.stdout


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("solve",), id="solve-default"),
        pytest.param(("solve", "--exact"), id="solve-exact"),
        pytest.param(("solve", "chicken", "--set", "T=5"), id="solve-set"),
        pytest.param(("show",), id="show-default"),
        pytest.param(("show", "chicken"), id="show-chicken"),
        pytest.param(("models",), id="models"),
    ],
)
def test_every_command_prints_one_json_document(args: tuple[str, ...]) -> None:
    doc = run_json(*args)
    assert isinstance(doc, dict)


# --- bad input ------------------------------------------------------------------------------

MARK = "REDLINE_MARK"
BAD_FILES = [
    ("malformed", "[model\nname =", "invalid TOML"),
    (
        "missing-profile",
        chicken_with(**{'"Straight, Straight"': ""}),
        'missing profile "Straight, Straight"',
    ),
    (
        "duplicate-profile",
        CHICKEN_TOML + '"Swerve,Swerve" = ["1", "1"]\n',
        'payoffs."Swerve,Swerve": duplicate',
    ),
    ("unknown-name", chicken_with(**{SS: f'{SS} = ["R + Q", "R"]'}), "unknown name 'Q'"),
    (
        "outside-range",
        chicken_with(T='T = { value = 12, range = [0, 10], doc = "t" }'),
        "parameters.T.value: value 12 is outside its range",
    ),
    ("non-finite", chicken_with(**{SS: f'{SS} = ["1/(T-4)", "R"]'}), "not a finite number"),
    (
        "import",
        chicken_with(**{SS: f"""{SS} = ["__import__('os').system('touch {MARK}')", "R"]"""}),
        "not allowed",
    ),
    ("attribute", chicken_with(**{SS: f'{SS} = ["R.__class__", "R"]'}), "Attribute is not allowed"),
    ("unknown-strategy", CHICKEN_TOML.replace(SS, '"Swerve, Crash"'), "'Crash' is not a strategy"),
]


def check_one_line_error(result: Any, code: int, *fragments: str) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("redline: ")
    for f in fragments:
        assert f in line, line
    return line


@pytest.mark.parametrize("command", ["solve", "show"])
@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize(("text", "what"), [pytest.param(t, w, id=i) for i, t, w in BAD_FILES])
def test_bad_model_file(
    command: str, fmt: str, text: str, what: str, write_model: Callable[..., Path], tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    path = write_model(text.replace(MARK, str(marker)), "bad.toml")
    result = run(command, str(path), "--format", fmt)
    check_one_line_error(result, 1, str(path), what)
    assert not marker.exists(), "an expression in a model file was executed"


SET_ERRORS = [
    ("unknown-parameter", "X=1", 1, "unknown parameter 'X'"),
    ("outside-range", "T=11", 1, "T = 11 is outside its declared range [0, 10]"),
    ("not-a-number", "T=abc", 1, "value 'abc' for T is not a number"),
    ("expression", "T=__import__('os')", 1, "is not a number"),
    ("malformed", "T", 2, "--set expects name=value"),
    ("empty-value", "T=", 2, "--set expects name=value"),
    ("empty-name", "=3", 2, "--set expects name=value"),
]


@pytest.mark.parametrize("command", ["solve", "show"])
@pytest.mark.parametrize(
    ("item", "code", "what"), [pytest.param(s, c, w, id=i) for i, s, c, w in SET_ERRORS]
)
def test_bad_set(command: str, item: str, code: int, what: str, chicken_file: Path) -> None:
    result = run(command, str(chicken_file), "--set", item, "--format", "json")
    line = check_one_line_error(result, code, what)
    if code == 1:
        assert str(chicken_file) in line


@pytest.mark.parametrize(
    ("spec", "what"),
    [
        pytest.param("nope/missing.toml", "nope/missing.toml: no such file", id="missing-file"),
        pytest.param("missing.nfg", "missing.nfg: no such file", id="missing-nfg"),
        pytest.param("no_such_model", "no_such_model: no shipped model", id="unknown-model"),
    ],
)
@pytest.mark.parametrize("command", ["solve", "show"])
def test_missing_file_or_model(command: str, spec: str, what: str) -> None:
    check_one_line_error(run(command, spec, "--format", "json"), 1, what)


def test_malformed_nfg(write_model: Callable[..., Path]) -> None:
    path = write_model('NFG 1 R "x" { "a" "b" } { 2 2 }\n1 2 3\n', "bad.nfg")
    check_one_line_error(run("solve", str(path)), 1, str(path))


def test_a_directory_is_not_a_model(tmp_path: Path) -> None:
    check_one_line_error(run("solve", str(tmp_path)), 1, str(tmp_path), "directory")


# --- the real console script ------------------------------------------------------------------


def test_console_script_help() -> None:
    exe = Path(sys.executable).parent / "redline"
    if not exe.exists():
        pytest.skip(f"{exe} is not installed (pip install -e .)")
    proc = subprocess.run(
        [str(exe), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    for command in ("solve", "show", "models"):
        assert command in proc.stdout


def test_python_dash_m_solve_json() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "solver", "solve", "chicken", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    check_solve_contract(doc)
    mixed = [e for e in doc["equilibria"] if 0 < e["profile"]["Row"]["Swerve"] < 1]
    assert len(mixed) == 1


def test_python_dash_m_error_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[model\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "solver", "solve", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert str(bad) in proc.stderr


def test_fraction_strings_parse_back(chicken_file: Path) -> None:
    doc = run_json("solve", str(chicken_file), "--exact")
    for eq in doc["equilibria"]:
        for p, probs in eq["profile_exact"].items():
            for s, text in probs.items():
                assert float(Fraction(text)) == pytest.approx(eq["profile"][p][s])
