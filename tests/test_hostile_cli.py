"""Hostile input that crosses the command groups: one line, the right exit code, no traceback,
under the harness's memory limit and timeout (tests/hostile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import assert_one_line_error, listing, run_cli

EFG_BOMB = 'EFG 2 R "x" { "A" "B" }\n""\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1e99999999, 0 }\nt "" 2 "p" { 1, 0 }\n'
TREE_UNKNOWN_KEY = """
[model]
name = "t"
title = "t"
kind = "sequential"
source = "test"
description = "test"

[parameters]
x = { value = 1, range = [0, 2], doc = "x" }

[tree]
players = ["A", "B"]
bogus = 1

[nodes.r]
player = "A"
actions = { L = [1, 0], R = ["x", 1] }
"""

CASES = [
    pytest.param(("solve", "bomb.efg"), {"bomb.efg": EFG_BOMB}, ("line 4", "exponent"), 1, id="efg-exponent-bomb"),
    pytest.param(
        ("solve", "t.toml"), {"t.toml": TREE_UNKNOWN_KEY}, ("tree.bogus", "unknown key"), 1, id="tree-table-unknown-key"
    ),
    pytest.param(
        ("solve", "bad\nname.toml"), {}, ("bad\\nname.toml", "no such file"), 1, id="newline-in-path-stays-one-line"
    ),
    pytest.param(
        ("credibility", "entry_deterrence", "--timeout", "nan"), {}, ("--timeout",), 2, id="credibility-timeout-nan"
    ),
    pytest.param(("solve", "chicken", "--timeout", "nan"), {}, ("timeout",), 2, id="solve-timeout-nan"),
    pytest.param(
        ("sweep", "chicken", "--vary", "T=0:1e99999999:3"), {}, ("--vary T", "finite"), 1, id="sweep-infinite-stop"
    ),
    pytest.param(
        ("sweep", "chicken", "--vary", "T=-1e308:1e308:3"), {}, ("--vary T", "finite"), 1, id="sweep-span-overflows"
    ),
]


@pytest.mark.parametrize(("args", "files", "needles", "code"), CASES)
def test_one_line_error(
    tmp_path: Path, args: tuple[str, ...], files: dict[str, str], needles: tuple[str, ...], code: int
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    before = listing(tmp_path)
    assert_one_line_error(run_cli(*args, cwd=tmp_path), *needles, code=code)
    assert listing(tmp_path) == before


def test_force_reaches_a_tree_solve(tmp_path: Path) -> None:
    """--force lets a tree model be solved outside its declared range (with a warning)."""
    out = run_cli("solve", "entry_deterrence", "--set", "entrant_war=-1000", "--force", cwd=tmp_path)
    assert out.code == 0, out.stderr
    assert "warning" in out.stderr and "Traceback" not in out.stderr


def tied_chain(moves: int) -> str:
    """A centipede of ``moves`` alternating moves where every stop pays (0, 0) and the end
    (1, 1): its reduced normal form has hundreds of thousands of pure equilibria."""
    lines = ['EFG 2 R "tied chain" { "A" "B" }', '""']
    for i in range(moves):
        lines += [f'p "" {1 + i % 2} {i + 1} "" {{ "stop" "go" }} 0', f't "" {i + 1} "" {{ 0, 0 }}']
    lines.append(f't "" {moves + 1} "" {{ 1, 1 }}')
    return "\n".join(lines) + "\n"


def test_tied_chain_lists_a_bounded_number_of_equilibria(tmp_path: Path) -> None:
    """751 x 751 reduced plans, 562,501 pure equilibria (player A stops at once against any
    plan of B's, and so on): the listing is capped by its size in strategy entries
    (500,000 / 1,502 plans = 332) and says so; memory and time stay bounded."""
    (tmp_path / "chain.efg").write_text(tied_chain(1500))
    out = run_cli("solve", "chain.efg", "--timeout", "5", cwd=tmp_path, timeout=120)
    assert out.code == 0 and "Traceback" not in out.stderr, out.stderr[-500:]
    assert "562,501 pure equilibria of the reduced normal form; the first 332 are listed" in out.stdout
    assert "NOT known to be complete" in " ".join(out.stdout.split())  # the line may wrap at 100 columns
