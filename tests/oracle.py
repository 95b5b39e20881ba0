"""pygambit as an oracle, run in a subprocess with a timeout (its C++ solvers can hang).

Shared by the test modules::

    from oracle import gambit_equilibria
    eqs = gambit_equilibria(game, solver="enummixed")   # [[probs of player 1], [player 2], ...]

The payoff tensor travels to the child as JSON (exact payoffs as ``"p/q"`` strings, so nothing is
rounded on the way); probabilities come back as ``"p/q"`` strings (rational solvers) or floats.

Only a missing pygambit skips a test (:func:`require_pygambit`). A child that crashes or runs
past its timeout fails the test, with the child's stderr: an oracle that cannot answer proves
nothing. pygambit 16.x and 17.x both work, through ``gambit_compat``; ``pyproject.toml`` pins
17.0.0b2 (see the comment there).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SOLVERS = ("enummixed", "enumpoly", "enumpure", "lcp", "lp")

#: first lines of every child script: ``gambit_compat`` (this folder) imported as ``gc``
CHILD_PRELUDE = f"""\
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
import gambit_compat as gc
gbt = gc.gambit()
"""

_CHILD = (
    CHILD_PRELUDE
    + r"""
import json
from fractions import Fraction
import numpy as np


def solve(job):
    conv = Fraction if job["exact"] else float
    tensor = np.vectorize(conv, otypes=[object])(np.array(job["payoffs"], dtype=object))
    game = gc.game_from_arrays(*[tensor[i] for i in range(tensor.shape[0])])
    solver, rational = job["solver"], job["rational"]
    if solver == "enummixed":
        res = gbt.nash.enummixed_solve(game, rational=rational)
    elif solver == "enumpoly":
        res = gbt.nash.enumpoly_solve(game, use_strategic=True)
    elif solver == "enumpure":
        res = gbt.nash.enumpure_solve(game)
    elif solver == "lcp":
        res = gbt.nash.lcp_solve(game, rational=rational)
    else:
        res = gbt.nash.lp_solve(game, rational=rational)

    def out(v):
        return str(v) if isinstance(v, Fraction) else float(v)

    ps = gc.players(game)
    return [[[out(eq[p][s]) for s in gc.strategies(game, p)] for p in ps] for eq in gc.equilibria(res)]


json.dump([solve(job) for job in json.load(sys.stdin)], sys.stdout)
"""
)


def require_pygambit() -> None:
    """Skip the calling test when pygambit is not installed (the one allowed reason to skip)."""
    if importlib.util.find_spec("pygambit") is None:
        pytest.skip("pygambit is not installed (make test installs it: pip install -e '.[dev]')")


def run_child(script: str, *args: str, stdin: str = "", timeout: float) -> str:
    """Run ``script`` (Python source, starting with :data:`CHILD_PRELUDE`) under this interpreter
    and return its stdout.  Skips without pygambit; fails the test on a timeout or a crash."""
    require_pygambit()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr
        pytest.fail(f"the pygambit oracle ran past its {timeout:g} s timeout\n{err or ''}")
    if proc.returncode != 0:
        pytest.fail(f"the pygambit oracle failed (exit {proc.returncode}):\n{proc.stderr}")
    return proc.stdout


def _payoff_json(game: Any) -> tuple[list[Any], bool]:
    """The payoff tensor ``(n, s1, ..., sn)`` as nested lists of ``"p/q"`` strings or floats."""
    payoffs = game.payoffs if hasattr(game, "payoffs") else game
    arr = np.asarray(payoffs, dtype=object)
    exact = bool(getattr(game, "is_exact", all(isinstance(v, int | Fraction) for v in arr.flat)))
    conv = (lambda v: str(Fraction(v))) if exact else float
    return np.vectorize(conv, otypes=[object])(arr).tolist(), exact


def gambit_equilibria(
    game: Any,
    solver: str = "enummixed",
    *,
    rational: bool = True,
    timeout: float = 20.0,
    fractions: bool = False,
) -> list[list[list[Any]]]:
    """Equilibria of ``game`` (a ``solver.core.game.Game`` or a payoff tensor) by a pygambit solver.

    Returns one ``[[p1 probs], [p2 probs], ...]`` per equilibrium: floats, or ``Fraction`` when
    ``fractions=True`` and the solver is rational.  Skips without pygambit; a crash or a timeout
    of the oracle fails the test.
    """
    return gambit_equilibria_many(
        [game], solver, rational=rational, timeout=timeout, fractions=fractions
    )[0]


def gambit_equilibria_many(
    games: Sequence[Any],
    solver: str = "enummixed",
    *,
    rational: bool = True,
    timeout: float = 60.0,
    fractions: bool = False,
) -> list[list[list[list[Any]]]]:
    """:func:`gambit_equilibria` for several games in one child process (one import of
    pygambit), ``timeout`` covering them all."""
    if solver not in SOLVERS:
        raise ValueError(f"unknown pygambit solver {solver!r}")
    jobs = []
    for game in games:
        payoffs, exact = _payoff_json(game)
        jobs.append({"payoffs": payoffs, "exact": exact, "solver": solver, "rational": rational})
    out = run_child(_CHILD, stdin=json.dumps(jobs), timeout=timeout)
    conv = Fraction if fractions else _to_float
    answers = [[[[conv(v) for v in vec] for vec in eq] for eq in eqs] for eqs in json.loads(out)]
    assert len(answers) == len(games), "the pygambit oracle answered for another number of games"
    return answers


def nfg_reference(
    path: Path,
) -> tuple[list[str], list[list[str]], dict[tuple[int, ...], list[Fraction]]]:
    """pygambit's reading of a ``.nfg`` file, in this process: player labels, strategy labels and
    every pure profile's payoffs (``Fraction``; zero for the null outcome).  Skips without
    pygambit; a file pygambit cannot read raises, and the test fails."""
    require_pygambit()
    import gambit_compat as gc

    game = gc.gambit().read_nfg(str(path))
    ps = gc.players(game)
    strats = [gc.strategies(game, p) for p in ps]
    table = {
        tuple(int(k) for k in idx): [Fraction(str(v)) for v in gc.cell_payoffs(game, idx)]
        for idx in np.ndindex(*[len(ss) for ss in strats])
    }
    return [gc.label(p) for p in ps], [[gc.label(s) for s in ss] for ss in strats], table


def _to_float(v: Any) -> float:
    return float(Fraction(v)) if isinstance(v, str) else float(v)
