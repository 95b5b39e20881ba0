"""In-process command-line runs for tests (quicker than a child process; the hostile harness in
tests/hostile.py runs the real console script where the process boundary matters)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hostile import Outcome
from typer.testing import CliRunner

from solver.cli import app


def run(*args: str) -> Any:
    """``redline ARGS`` in this process; no traceback, no exception other than an exit."""
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}")
    return result


def run_json(*args: str) -> Any:
    """``redline ARGS --format json``, which must succeed, parsed."""
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def cli_outcome(folder: Path, *args: str) -> Outcome:
    """One in-process run in ``folder``, as the hostile harness's :class:`Outcome`."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        result = run(*args)
    finally:
        os.chdir(here)
    return Outcome(result.exit_code, result.stdout, result.stderr)
