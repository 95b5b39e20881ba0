"""pygambit as an oracle, run in a subprocess with a timeout (its C++ solvers can hang).

Shared by the test modules::

    from oracle import gambit_equilibria
    eqs = gambit_equilibria(game, solver="enummixed")   # [[probs of player 1], [player 2], ...]
    if eqs is None: pytest.skip("pygambit timed out or is unavailable")

The payoff tensor travels to the child as JSON (exact payoffs as ``"p/q"`` strings, so nothing is
rounded on the way); probabilities come back as ``"p/q"`` strings (rational solvers) or floats.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

SOLVERS = ("enummixed", "enumpoly", "enumpure", "lcp", "lp")

_CHILD = r"""
import json, sys
from fractions import Fraction
import numpy as np
import pygambit as gbt


def solve(job):
    conv = Fraction if job["exact"] else float
    tensor = np.vectorize(conv, otypes=[object])(np.array(job["payoffs"], dtype=object))
    game = gbt.Game.from_arrays(*[tensor[i] for i in range(tensor.shape[0])])
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

    return [[[out(eq[p][s]) for s in p.strategies] for p in game.players] for eq in res.equilibria]


json.dump([solve(job) for job in json.load(sys.stdin)], sys.stdout)
"""


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
) -> list[list[list[Any]]] | None:
    """Equilibria of ``game`` (a ``solver.core.game.Game`` or a payoff tensor) by a pygambit solver.

    Returns one ``[[p1 probs], [p2 probs], ...]`` per equilibrium: floats, or ``Fraction`` when
    ``fractions=True`` and the solver is rational.  ``None`` on timeout or a failing child.
    """
    many = gambit_equilibria_many(
        [game], solver, rational=rational, timeout=timeout, fractions=fractions
    )
    return None if many is None else many[0]


def gambit_equilibria_many(
    games: Sequence[Any],
    solver: str = "enummixed",
    *,
    rational: bool = True,
    timeout: float = 60.0,
    fractions: bool = False,
) -> list[list[list[list[Any]]]] | None:
    """:func:`gambit_equilibria` for several games in one child process (one import of
    pygambit), ``timeout`` covering them all; ``None`` if the child times out or fails."""
    if solver not in SOLVERS:
        raise ValueError(f"unknown pygambit solver {solver!r}")
    jobs = []
    for game in games:
        payoffs, exact = _payoff_json(game)
        jobs.append({"payoffs": payoffs, "exact": exact, "solver": solver, "rational": rational})
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        return None
    conv = Fraction if fractions else _to_float
    return [
        [[[conv(v) for v in vec] for vec in eq] for eq in eqs] for eqs in json.loads(proc.stdout)
    ]


def _to_float(v: Any) -> float:
    return float(Fraction(v)) if isinstance(v, str) else float(v)
