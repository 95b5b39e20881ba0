"""Harness for hostile-input tests: run ``redline`` in a child process under hard limits.

Each run gets an address-space limit (``resource.setrlimit(RLIMIT_AS)``) and a wall-clock
timeout, so a memory bomb or a hang fails the test instead of taking the machine down.  The
limits are bounds, not measurements: tests never time anything.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: address-space ceiling of one CLI run (numpy, sympy and scipy need about 1 GB of it)
MEMORY_MB = 2048
#: wall-clock ceiling of one CLI run, seconds (a clean refusal takes about one)
TIMEOUT_S = 60


@dataclass(frozen=True)
class Outcome:
    code: int | None  # None: killed by the timeout
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def _limits(memory_mb: int) -> None:
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_cli(
    *args: str,
    cwd: Path | str,
    memory_mb: int = MEMORY_MB,
    timeout: float = TIMEOUT_S,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> Outcome:
    """``redline *args`` in ``cwd`` under the limits; the outcome (never raises on timeout)."""
    full_env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **(env or {})}
    full_env.pop("COLUMNS", None)
    cmd = [sys.executable, "-m", "solver.cli", *args]
    try:
        p = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            env=full_env,
            preexec_fn=lambda: _limits(memory_mb),
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        return Outcome(None, out, err)
    return Outcome(p.returncode, p.stdout, p.stderr)


def assert_one_line_error(o: Outcome, *needles: str, code: int = 1) -> None:
    """Exit ``code``, exactly one stderr line starting ``redline:``, no traceback, and each of
    ``needles`` (case-insensitive) in that line."""
    assert o.code is not None, f"timed out; stderr tail: {o.stderr[-500:]}"
    assert "Traceback" not in o.stderr, o.stderr[-2000:]
    assert o.code == code, (o.code, o.stderr[-1000:])
    assert len(o.lines) == 1, o.lines
    assert o.lines[0].startswith("redline: "), o.lines
    for needle in needles:
        assert needle.lower() in o.lines[0].lower(), (needle, o.lines[0])


def listing(folder: Path) -> set[str]:
    """Every path under ``folder`` (to check that a failed command left nothing behind)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}
