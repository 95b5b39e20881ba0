"""Text output fits the terminal: 80 and 100 columns (100 without a terminal).

Snapshot of a 3-player answer at 80 columns (a table too wide for it stacks into records), and
every line of every shipped model's `solve` and `show` within the width.
"""

from __future__ import annotations

import pytest
from clirun import run
from library import GAME_MODELS

MODELS = GAME_MODELS

TRIAD_80 = """\
Syria triad: Israel (Tolerate/Strike), Russia (Acquiesce/Confront), Iran
    (Restrain/Entrench)
at iran_cost = 6, strike_eff = 0.5, strike_cost = 1, deal_value = 2,
    conflict_cost_israel = 8, conflict_cost_russia = 5, assad_stake = 10,
    tech_value = 3, base_value = 8, entrench_cost = 5, russian_cover = 2,
    convoys_kept_in_conflict = 1
1 equilibrium (polynomial; complete)

# 1
  type: mixed
  Israel: Tolerate 0.4, Strike 0.6
  Russia: Acquiesce 0.666667, Confront 0.333333
  Iran: Entrench
  u(Israel): -4.66667
  u(Russia): -3
  u(Iran): 1.26667
  regret: 0.0e+00
"""


DECONFLICTION_100 = """\
Syria deconfliction: Israel (Tolerate/Strike) vs Russia (Acquiesce/Confront)
at iran_cost = 6, strike_eff = 0.5, strike_cost = 1, deal_value = 2, conflict_cost_israel = 8,
    conflict_cost_russia = 5, assad_stake = 10, tech_value = 3, convoys_kept_in_conflict = 1
1 equilibrium (vertex; complete)

# 1
  type: mixed
  Israel: Tolerate 0.4, Strike 0.6
  Russia: Acquiesce 0.666667, Confront 0.333333
  u(Israel): -4.66667
  u(Russia): -3
  regret: 0.0e+00

most likely outcomes (the chance each combination of strategies is played):
  #1: Strike, Acquiesce 0.4; Tolerate, Acquiesce 0.2667; Strike, Confront 0.2 (and 1 more)

reading this:
  complete: every equilibrium is listed
  regret: what a player could gain by deviating alone (0: exact)
  mixed: a player's probabilities keep the OTHER players indifferent: they are set by the others'
      payoffs, not by the player's own inclination (redline explain says whose)
  terms: redline explain --glossary
"""


def test_two_player_answer_at_100_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert run("solve", "syria_deconfliction").stdout == DECONFLICTION_100


def test_three_player_answer_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("solve", "syria_triad").stdout
    assert out.startswith(TRIAD_80), out


@pytest.mark.parametrize("width", [80, 100], ids=["80", "100"])
@pytest.mark.parametrize("name", MODELS, ids=MODELS)
@pytest.mark.parametrize("command", ["solve", "show"], ids=["solve", "show"])
def test_every_line_fits(monkeypatch: pytest.MonkeyPatch, command: str, name: str, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(command, name, "--timeout", "20") if command == "solve" else run(command, name)
    assert result.exit_code == 0, result.stderr
    wide = [line for line in result.stdout.splitlines() if len(line) > width]
    assert not wide, wide[:3]


def test_set_values_are_printed_as_given() -> None:
    out = run("solve", "syria_deconfliction", "--set", "iran_cost=1/3", "--set", "strike_eff=0.25").stdout
    assert "iran_cost = 1/3" in out and "strike_eff = 0.25" in out


@pytest.mark.parametrize(
    ("args", "legend"),
    [
        (("thresholds", "syria_triad", "--vary", "iran_cost"), "R2 = mixed (Israel: Tolerate/Strike; Russia: "),
        (("uncertainty", "syria_triad", "--samples", "50"), "R1 = pure"),
    ],
    ids=["thresholds", "uncertainty"],
)
def test_long_equilibrium_descriptions_become_named_regimes(args: tuple[str, ...], legend: str) -> None:
    out = run(*args).stdout
    assert legend in out and "  R1" in out
