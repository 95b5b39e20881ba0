"""Every command is bounded in time (issue 9, part 3).

A game that cannot finish within a 2 s budget returns within :data:`BOUND` seconds, with
``complete = False``, what was not searched in ``limits`` (and the notes), the budget in
``time_budget``, and every equilibrium it reports verified.  The bound is generous on purpose
(the budget plus stopping the workers on a loaded two-core machine): it asserts that the call
returns, not how fast.  Also: the budget's own parts (deadline, cancel flag, forked workers),
``--timeout`` and Ctrl-C on the command line, the progress line, and that nothing changes when
the budget does not run out.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable
from fractions import Fraction as F
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from solver.cli import app
from solver.core.budget import UNBOUNDED, Budget, run_bounded, run_streaming
from solver.core.game import Game
from solver.core.result import Result
from solver.equilibria import solve
from solver.equilibria.trees.sequential import solve_tree
from solver.equilibria.verify import is_equilibrium
from solver.formats import load

BUDGET = 2.0
#: seconds a call under a 2 s budget may take before the test fails (generous: see above)
BOUND = 4.0
SHARED = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit"


def kuhn_poker_efg() -> str:
    """Kuhn (1950) poker as a Gambit .efg: three cards, ante 1, one bet of 1.  Its reduced
    normal form is 27 x 64: vertex enumeration does not finish in seconds."""
    cards = "JQK"
    lines = ['EFG 2 R "Kuhn poker" { "Player 1" "Player 2" }', '""', ""]
    deals = [(a, b) for a in cards for b in cards if a != b]
    lines.append('c "" 1 "Deal" { ' + " ".join(f'"{a}{b}" 1/6' for a, b in deals) + " } 0")
    outcome = 0
    for a, b in deals:
        win = 1 if cards.index(a) > cards.index(b) else -1
        i, j = cards.index(a) + 1, cards.index(b) + 1
        leaves = []
        for v in (2 * win, 1, 2 * win, -1, win):
            outcome += 1
            leaves.append(f't "" {outcome} "" {{ {v}, {-v} }}')
        lines += [
            f'p "" 1 {i} "" {{ "Bet" "Check" }} 0',
            f'p "" 2 {j} "" {{ "Call" "Fold" }} 0',
            *leaves[:2],
            f'p "" 2 {j + 3} "" {{ "Bet" "Check" }} 0',
            f'p "" 1 {i + 3} "" {{ "Call" "Fold" }} 0',
            *leaves[2:],
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def kuhn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kuhn") / "kuhn_poker.efg"
    path.write_text(kuhn_poker_efg(), encoding="utf-8")
    return path


def _verified(res: Result) -> None:
    for e in res.equilibria:
        exact = all(isinstance(v, F) for vec in e.vectors for v in vec)
        assert is_equilibrium(res.game if exact else res.game.as_float(), e.vectors), e.describe()


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    start = time.monotonic()
    out = call()
    return out, time.monotonic() - start


def _random(shape: tuple[int, ...], seed: int) -> Game:
    rng = np.random.default_rng(seed)
    return Game.from_arrays(rng.normal(size=(len(shape), *shape)), exact=False)


# --- games that cannot finish in 2 s --------------------------------------------------------------

SLOW: dict[str, Callable[[], Game]] = {
    "vertex-40x40": lambda: _random((40, 40), 1),
    "support-30x30": lambda: _random((30, 30), 2),
    "nashpy-support-14x14": lambda: _random((14, 14), 3),
    "nashpy-vertex-40x40": lambda: _random((40, 40), 4),
    "polynomial-5x5x5": lambda: _random((5, 5, 5), 5),
}
METHOD = {"vertex-40x40": "vertex", "support-30x30": "support", "nashpy-support-14x14": "nashpy-support",
          "nashpy-vertex-40x40": "nashpy-vertex", "polynomial-5x5x5": "polynomial"}


@pytest.mark.parametrize("name", list(SLOW), ids=list(SLOW))
def test_solver_returns_within_the_budget(name: str) -> None:
    game = SLOW[name]()
    res, took = _timed(lambda: solve(game, method=METHOD[name], timeout=BUDGET))
    assert took < BOUND, f"{name} took {took:.1f} s under a {BUDGET} s budget"
    assert res.complete is False and res.time_budget == BUDGET
    assert res.limits and all(limit in res.notes for limit in res.limits)
    assert "ran out" in res.limits[0]
    _verified(res)


def test_kuhn_poker_tree_returns_within_the_budget(kuhn: Path) -> None:
    """Every extreme equilibrium of Kuhn's 27 x 64 reduced normal form (``nash="all"``) takes
    tens of seconds; the sequence-form LP alone (the default) takes one."""
    res, took = _timed(lambda: solve_tree(load(str(kuhn)), nash="all", timeout=BUDGET))
    assert took < BOUND and res.complete is False and res.limits and res.time_budget == BUDGET
    assert res.game.shape == (27, 64)
    _verified(res)
    assert res.equilibria and all(e.values[0] == F(-1, 18) for e in res.equilibria)  # Kuhn 1950


@pytest.mark.skipif(not SHARED.is_dir(), reason="Gambit's game collection (../shared) is not here")
def test_gambit_5x4x3_returns_within_the_budget() -> None:
    game = load(str(SHARED / "contrib" / "games" / "5x4x3.nfg"))
    from solver.core.symbolic import evaluate

    # complete in about a second here (certified subdivision); a budget far below that still cuts it
    res, took = _timed(lambda: solve(evaluate(game, {}), timeout=0.05))
    assert took < BOUND and res.complete is False and "support profiles" in res.limits[0]
    _verified(res)



def _analyses() -> dict[str, Callable[[float], Any]]:
    from solver.analysis.credibility import threats
    from solver.analysis.regions import regions
    from solver.analysis.sensitivity import sensitivity
    from solver.analysis.thresholds import thresholds
    from solver.analysis.uncertainty import uncertainty

    resolve = load("syria_resolve")
    return {
        "thresholds": lambda t: thresholds(resolve, "p_resolute", timeout=t),
        "sensitivity": lambda t: sensitivity(resolve, timeout=t),
        "uncertainty": lambda t: uncertainty(resolve, samples=500, timeout=t),
        "regions": lambda t: regions(resolve, ["p_resolute"], timeout=t),
        "credibility": lambda t: threats(resolve, timeout=t),
    }


@pytest.mark.parametrize("name", ["thresholds", "sensitivity", "uncertainty", "regions"])
def test_analysis_returns_within_the_budget(name: str) -> None:
    found, took = _timed(lambda: _analyses()[name](BUDGET))
    assert took < BOUND, f"{name} took {took:.1f} s under a {BUDGET} s budget"
    assert found.complete is False and found.limits and found.time_budget == BUDGET


def test_credibility_with_a_spent_budget_says_so() -> None:
    found = _analyses()["credibility"](0.0)
    assert found.complete is False and found.limits


# --- the budget's parts ---------------------------------------------------------------------------


def test_budget_value() -> None:
    assert not UNBOUNDED.bounded and not UNBOUNDED.expired() and UNBOUNDED.remaining() is None
    b = Budget.start(10.0)
    assert b.bounded and not b.expired() and 9 < (b.remaining() or 0) <= 10
    half = b.share(0.5)
    assert (half.remaining() or 0) <= 5.0 and half.seconds == 10.0
    cancel = threading.Event()
    c = Budget.start(None, cancel=cancel)
    assert c.bounded and not c.expired()
    cancel.set()
    assert c.expired() and c.cancelled and c.limit("phase", "x").startswith("interrupted during phase")
    assert Budget.of(None, None) is UNBOUNDED and Budget.of(b, 1.0) is b


def _sleep_then(value: int) -> int:
    time.sleep(60)
    return value


def test_run_bounded_kills_a_job_at_the_deadline() -> None:
    out, took = _timed(lambda: run_bounded([(_sleep_then, (1,)), (abs, (-2,))], None, budget=Budget.start(0.5)))
    assert took < BOUND
    assert out[0][0] == "timeout" and out[1] in (("ok", 2), ("timeout", "not started within the time budget"))


def _emit_then_hang(emit: Callable[[Any], None], n: int) -> None:
    for k in range(n):
        emit(k)
    time.sleep(60)


def test_run_streaming_keeps_what_arrived_before_the_deadline() -> None:
    (items, status), took = _timed(lambda: run_streaming(_emit_then_hang, (3,), Budget.start(1.0)))
    assert took < BOUND and items == [0, 1, 2] and status == "timeout"


def _fails(emit: Callable[[Any], None]) -> None:
    emit("first")
    raise ValueError("boom")


def test_run_streaming_reports_errors() -> None:
    items, status = run_streaming(_fails, (), Budget.start(5.0))
    assert items == ["first"] and status == "error: ValueError: boom"


def test_cancel_flag_stops_a_solve_with_what_was_found(kuhn: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    res, took = _timed(
        lambda: solve_tree(load(str(kuhn)), nash="all", budget=Budget.start(None, cancel=cancel))
    )
    assert took < BOUND and not res.complete
    assert any(limit.startswith("interrupted during") for limit in res.limits)
    _verified(res)


def test_progress_is_reported_in_phases() -> None:
    seen: list[tuple[str, float]] = []
    solve(_random((5, 5, 5), 5), timeout=1.0, progress=lambda phase, f: seen.append((phase, f)))
    assert seen and all(0.0 <= f <= 1.0 for _, f in seen)
    assert any("support" in phase for phase, _ in seen)


def test_nothing_changes_when_the_budget_does_not_run_out() -> None:
    game = load("syria_triad")
    from solver.core.symbolic import evaluate

    g = evaluate(game, {})
    plain, bounded = solve(g), solve(g, timeout=60)
    assert plain.signature() == bounded.signature() and plain.notes == bounded.notes
    assert plain.complete and bounded.complete and bounded.limits == () and bounded.time_budget == 60
    assert plain.time_budget is None


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_nfg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random 5 x 5 x 5 game as a Gambit file: its support enumeration takes minutes."""
    from solver.formats.nfg import write_nfg

    path = tmp_path_factory.mktemp("slow") / "random_5x5x5.nfg"
    write_nfg(_random((5, 5, 5), 5), path)
    return path


def test_cli_timeout_prints_partial_results_and_exits_0(slow_nfg: Path) -> None:
    out = CliRunner().invoke(app, ["solve", str(slow_nfg), "--timeout", "2", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["complete"] is False and doc["limits"] and doc["time_budget"] == 2.0
    assert doc["limits"][0] in doc["notes"]


def test_cli_json_unchanged_when_nothing_times_out() -> None:
    out = CliRunner().invoke(app, ["solve", "chicken", "--format", "json"])
    doc = json.loads(out.stdout)
    assert "limits" not in doc and "time_budget" not in doc and doc["complete"] is True


def test_cli_rejects_a_negative_timeout() -> None:
    out = CliRunner().invoke(app, ["solve", "chicken", "--timeout", "-1"])
    assert out.exit_code == 2 and "--timeout" in out.output


@pytest.mark.parametrize(
    "args",
    [
        ["regions", "syria_resolve", "--free", "p_resolute", "--fallback"],
        ["thresholds", "syria_resolve", "--vary", "p_resolute"],
        ["sensitivity", "syria_resolve", "--margins"],
        ["uncertainty", "syria_resolve", "--samples", "500"],
    ],
    ids=["regions", "thresholds", "sensitivity", "uncertainty"],
)
def test_cli_analysis_commands_take_a_timeout(args: list[str]) -> None:
    out = CliRunner().invoke(app, [*args, "--timeout", "1", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["complete"] is False and doc["limits"] and doc["time_budget"] == 1.0


def test_ctrl_c_prints_partial_results_and_one_line(slow_nfg: Path) -> None:
    timer = threading.Timer(1.0, signal.raise_signal, (signal.SIGINT,))
    timer.start()
    try:
        out = CliRunner().invoke(app, ["solve", str(slow_nfg), "--timeout", "60"])
    finally:
        timer.cancel()
    assert out.exit_code == 130
    assert "NOT known to be complete" in out.stdout and "interrupted during" in out.stdout
    assert out.stderr.strip().splitlines() == ["redline: interrupted: the results above are partial"]
    assert "Traceback" not in out.output


def test_second_ctrl_c_stops_at_once() -> None:
    from solver.cli.progress import bounded

    with bounded(60.0, draw=False) as budget:
        signal.raise_signal(signal.SIGINT)
        assert budget.cancelled and budget.expired()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)


def test_progress_line_draws_phase_and_fraction() -> None:
    from rich.console import Console

    from solver.cli.progress import ProgressLine

    sink = StringIO()
    line = ProgressLine(draw=True, delay=60.0, console=Console(file=sink, force_terminal=True, width=80))
    line("vertex enumeration", 0.25)
    line.show()
    line("Lemke-Howson", 0.5)
    line.bar.refresh()
    line.stop()
    text = sink.getvalue()
    assert "Lemke-Howson" in text and "50%" in text


# --- every place a spent budget leaves its mark (forced at that point by a cancel flag) -----------


def _cancel_inside(mp: pytest.MonkeyPatch, module: Any, name: str) -> Budget:
    """A budget whose cancel flag is set when ``module.name`` is first called."""
    cancel = threading.Event()
    real = getattr(module, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        cancel.set()
        return real(*args, **kwargs)

    mp.setattr(module, name, wrapped)
    return Budget.start(None, cancel=cancel)


def _degeneracy_undecided(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.twoplayer import support

    budget = _cancel_inside(mp, support, "has_degenerate_strategy")
    return solve(Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), method="support", budget=budget)


def _subgame_perfection_unchecked(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.trees import sequential

    budget = _cancel_inside(mp, sequential, "complete_behaviour")
    return solve_tree(load("entry_deterrence"), nash="all", budget=budget)


def _nashpy_cross_check_skipped(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.twoplayer import nashpy_adapter

    mp.setattr(nashpy_adapter, "bounded_extreme", lambda a, b, exact, budget: None)
    return solve(Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), method="nashpy-vertex", timeout=60)


def _polynomial_support_enumeration_cut(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.nplayer import polynomial

    budget = _cancel_inside(mp, polynomial, "run_streaming")
    return solve(_random((3, 3, 3), 6), budget=budget)


BUDGET_PATHS: dict[str, tuple[Callable[[pytest.MonkeyPatch], Result], str]] = {
    "support-degeneracy-test": (_degeneracy_undecided, "degeneracy test"),
    "tree-subgame-perfection": (_subgame_perfection_unchecked, "subgame-perfection checks"),
    "nashpy-cross-check": (_nashpy_cross_check_skipped, "cross-check"),
    "polynomial-supports": (_polynomial_support_enumeration_cut, "support profiles"),
}


@pytest.mark.parametrize("name", list(BUDGET_PATHS), ids=list(BUDGET_PATHS))
def test_spent_budget_is_named_where_it_ran_out(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run, words = BUDGET_PATHS[name]
    res = run(monkeypatch)
    assert res.complete is False and res.limits and any(words in limit for limit in res.limits), res.limits
    _verified(res)


class _SlowFinaliser:
    """An object whose ``__del__`` runs for ``seconds``: a signal landing there is swallowed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __del__(self) -> None:
        t = time.monotonic()
        while time.monotonic() - t < self.seconds:
            pass


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_deadline_fires_again_after_a_swallowed_signal() -> None:
    """The deadline lands inside a finaliser (Python prints "exception ignored" and goes on): the
    timer fires again, and the block still stops."""
    from solver.core.errors import BudgetSpent
    from solver.core.interrupt import at_deadline

    with pytest.raises(BudgetSpent), at_deadline(Budget.start(0.05)):
        _SlowFinaliser(0.2)
        while True:
            pass
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_support_enumeration_of_a_tree_stops_at_the_budget() -> None:
    """syria_resolve's reduced normal form has tens of thousands of support profiles whose pruning
    never recurses: the enumeration must still look at the budget (it once ran past 10 minutes)."""
    from solver.equilibria.trees.sequential import solve_numeric_tree
    from solver.formats import load

    m = load("syria_resolve")
    r = solve_numeric_tree(m.tree.at(m.values({})), nash="all", budget=Budget.start(0.5))
    assert not r.complete
    assert any("time budget" in line and "support" in line for line in r.limits)
