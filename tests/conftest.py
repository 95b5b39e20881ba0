"""Shared fixtures and helpers: model files written into ``tmp_path`` and comparisons of mixed
profiles.  Nothing here skips: an import error in our own code fails the tests that need it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that read text output check its content, not its layout: they get a terminal wide
    enough that nothing wraps or stacks.  tests/test_layout.py sets 80 and 100 columns itself."""
    monkeypatch.setenv("COLUMNS", "10000")


#: the chicken model exactly as the issue writes it (T=4, R=3, S=2, P=1)
CHICKEN_TOML = """\
[model]
name = "chicken"
title = "Chicken: two sides on a collision course"
kind = "normal"
source = "Schelling 1960"

[parameters]
T = { value = 4, range = [0, 10], doc = "temptation: the other swerves, I go straight" }
R = { value = 3, range = [0, 10], doc = "both swerve" }
S = { value = 2, range = [0, 10], doc = "I swerve, the other goes straight" }
P = { value = 1, range = [0, 10], doc = "crash" }

[players]
Row = ["Swerve", "Straight"]
Column = ["Swerve", "Straight"]

[payoffs]
"Swerve, Swerve" = ["R", "R"]
"Swerve, Straight" = ["S", "T"]
"Straight, Swerve" = ["T", "S"]
"Straight, Straight" = ["P", "P"]
"""


def chicken_with(**replace: str) -> str:
    """The chicken model text with whole lines replaced: ``chicken_with(T='T = {...}')``.

    A key is the start of the line to replace (``"T"`` or ``'"Swerve, Swerve"'``); the value
    is the new line, or ``""`` to delete it.
    """
    lines = CHICKEN_TOML.splitlines()
    for start, new in replace.items():
        hits = [k for k, line in enumerate(lines) if line.startswith(start + " ")]
        assert len(hits) == 1, f"no unique line starting with {start!r}"
        lines[hits[0]] = new
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_model(tmp_path: Path) -> Callable[..., Path]:
    """Write model text into ``tmp_path`` and return the file's path."""

    def write(text: str, name: str = "model.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def chicken_file(write_model: Callable[..., Path]) -> Path:
    return write_model(CHICKEN_TOML, "chicken_issue.toml")


def exact_reference(game: Any) -> Any:
    """Every equilibrium of ``game`` in rationals, by a solver that is not a batched kernel: the
    reference for the sweep engine and the analyses.

    Two players: vertex enumeration (``solve`` would send a 2x2 game to the closed form, which is
    the batched 2x2 kernel on a batch of one).  Three or more: the polynomial solver (``solve``
    with ``exact=True``; the 2x2x2 closed form, the batched kernel, serves float games only).
    """
    from solver.equilibria import solve
    from solver.equilibria.twoplayer.vertex import solve_bimatrix

    exact = game.as_exact()
    if exact.n_players == 2:
        return solve_bimatrix(exact)
    return solve(exact, exact=True)


def as_fractions(vectors: Sequence[Sequence[Any]]) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(Fraction(v) for v in vec) for vec in vectors)


def close_profiles(
    a: Sequence[Sequence[Any]], b: Sequence[Sequence[Any]], tol: float = 1e-7
) -> bool:
    """Two mixed profiles agree (max-norm within ``tol``)."""
    return all(
        len(x) == len(y) and all(abs(float(p) - float(q)) <= tol for p, q in zip(x, y, strict=True))
        for x, y in zip(a, b, strict=True)
    )


def same_set(
    found: Sequence[Sequence[Sequence[Any]]],
    expected: Sequence[Sequence[Sequence[Any]]],
    tol: float = 1e-7,
) -> bool:
    """Equal sets of profiles (each matched within ``tol``; sizes equal)."""
    if len(found) != len(expected):
        return False
    return all(any(close_profiles(f, e, tol) for f in found) for e in expected) and all(
        any(close_profiles(f, e, tol) for e in expected) for f in found
    )


# the browser fixtures (tests/browser.py): headless Debian chromium through playwright
from browser import browser, page  # noqa: E402, F401
