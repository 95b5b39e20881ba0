"""``redline solve``'s options as a user meets them: methods, ranges, and renamed Gambit labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solver.cli import app


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        pytest.param(["chicken", "--method", "foo"], 2, "unknown --method", id="unknown-method"),
        pytest.param(["entry_deterrence", "--method", "vertex"], 2, "game tree", id="method-on-a-tree"),
        pytest.param(["chicken", "--set", "T=300"], 1, "--force", id="outside-range-names-force"),
    ],
)
def test_refusals_are_one_line_with_the_right_exit_code(args, code, words):
    r = run("solve", *args)
    assert r.exit_code == code
    assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_force_solves_outside_the_range_with_a_warning():
    """Chicken at T = 300 (R = 3, S = 1, P = 0): each swerves with (S - P) / (S - P + T - R) = 1/298."""
    r = run("solve", "chicken", "--set", "T=300", "--force", "--exact", "-f", "json")
    assert r.exit_code == 0 and "outside its declared range" in r.stderr
    doc = json.loads(r.stdout)
    mixed = [e for e in doc["equilibria"] if e["description"] == "mixed (full support)"]
    assert len(doc["equilibria"]) == 3 and len(mixed) == 1
    assert mixed[0]["profile_exact"]["Row"]["Swerve"] == "1/298"


def test_two_unnamed_players_keep_both_profiles_and_are_reported(tmp_path: Path):
    """Matching pennies with blank player and strategy names: both players' 1/2-1/2 survive."""
    path = tmp_path / "blank.nfg"
    path.write_text('NFG 1 R "pennies" { "" "" } { 2 2 }\n1 -1 -1 1 -1 1 1 -1\n')
    r = run("solve", str(path), "-f", "json")
    assert r.exit_code == 0
    assert 'unnamed player 1 shown as "Player 1"' in r.stderr
    assert 'unnamed player 2 shown as "Player 2"' in r.stderr
    profile = json.loads(r.stdout)["equilibria"][0]["profile"]
    assert set(profile) == {"Player 1", "Player 2"}
    for player in profile.values():
        assert player == {"1": pytest.approx(0.5), "2": pytest.approx(0.5)}
