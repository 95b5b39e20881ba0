"""Finitely repeated games: unravelling with a unique stage equilibrium, equilibrium switching
with several (Luce & Raiffa 1957; Benoit & Krishna 1985)."""

from __future__ import annotations

import pytest

from solver.core.errors import ParameterError
from solver.core.game import Game
from solver.equilibria.repeated import finitely_repeated

CD = (("Cooperate", "Defect"), ("Cooperate", "Defect"))
PD = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], strategies=CD)

#: the prisoner's dilemma with a third action X and a second equilibrium (X, X) paying 3:
#:
#:            C       D       X
#:     C    4, 4    0, 5    0, 0
#:     D    5, 0    1, 1    0, 0
#:     X    0, 0    0, 0    3, 3
CDX = (("C", "D", "X"), ("C", "D", "X"))
PDX = Game.from_bimatrix([[4, 0, 0], [5, 1, 0], [0, 0, 3]], [[4, 5, 0], [0, 1, 0], [0, 0, 3]], strategies=CDX)


@pytest.mark.parametrize("periods", [1, 2, 5, 50], ids=lambda t: f"T{t}")
def test_finitely_repeated_prisoners_dilemma_unravels(periods):
    """(Defect, Defect) is the unique stage equilibrium: backward induction plays it in every
    period, whatever the horizon; cooperation is never played."""
    r = finitely_repeated(PD, (0, 0), periods)
    assert r.path == ("pure (Defect, Defect)",) * periods
    assert r.target_periods == 0 and r.unique_stage_equilibrium
    assert "unravelling" in r.note


@pytest.mark.parametrize(("periods", "cooperative"), [(1, 0), (2, 1), (3, 2), (10, 9)], ids=["T1", "T2", "T3", "T10"])
def test_equilibrium_switching_sustains_cooperation_early(periods, cooperative):
    """By hand: stage equilibria are (D, D) paying 1, (X, X) paying 3 and a mix of D and X
    paying 3/4 (each indifferent: q = 3(1 - q) gives q = 3/4).  Deviating from (C, C) gains
    5 - 4 = 1; one last period of (X, X) instead of the 3/4 equilibrium costs 3 - 3/4 = 9/4 >= 1,
    so (C, C) is played in every period but the last (none when T = 1)."""
    r = finitely_repeated(PDX, (0, 0), periods)
    assert r.target_periods == cooperative
    if cooperative:
        assert r.path == ("target (C, C)",) * cooperative + ("pure (X, X)",)
        assert r.reward == "pure (X, X)"
        assert set(r.punishments.values()) == {"mixed (Row: D/X; Column: D/X)"}
    assert not r.unique_stage_equilibrium


def test_rewards_too_small_to_sustain_the_target():
    """Same game but deviating from (C, C) pays 9: a reward of 9/4 per final period needs four
    final periods; with T = 3 the target is never played, with T = 6 in periods 1 and 2."""
    g = Game.from_bimatrix([[4, 0, 0], [13, 1, 0], [0, 0, 3]], [[4, 13, 0], [0, 1, 0], [0, 0, 3]], strategies=CDX)
    assert finitely_repeated(g, (0, 0), 3).target_periods == 0
    r = finitely_repeated(g, (0, 0), 6)
    assert r.target_periods == 2 and r.path[2:] == ("pure (X, X)",) * 4


@pytest.mark.parametrize("periods", [0, -3, 2.5, True, 10**9], ids=["zero", "negative", "fraction", "bool", "huge"])
def test_bad_horizon(periods):
    with pytest.raises(ParameterError, match="number of periods"):
        finitely_repeated(PD, (0, 0), periods)
