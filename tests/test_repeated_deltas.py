"""Critical discount factors of repeated games: grim trigger, the minmax bound, penal codes.

Published and hand-derived values, exact:

* Prisoner's dilemma (Axelrod 1984; Oye 1986): grim trigger sustains mutual cooperation iff
  ``delta >= (T - R)/(T - P)``: 1/2 at T=5, R=3, P=1, S=0.
* A Cournot-like 3x3 game (quantities Low, Medium, High; Mailath & Samuelson 2006, sec. 2.6.1
  style), target (Low, Low):

  ==========  ==========  ==========  ============
  Row\\Col     Low         Medium      High
  ==========  ==========  ==========  ============
  Low         10, 10      3, 15       0, 7
  Medium      15, 3       7, 7        -4, 5
  High        7, 0        5, -4       -15, -15
  ==========  ==========  ==========  ============

  See :func:`test_cournot_like_by_hand` for the derivation.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from solver.core.errors import ParameterError, SolverError, UsageError
from solver.core.game import Game
from solver.equilibria.repeated import analyse_repeated
from solver.equilibria.repeated.penal import best_penal_code

CDS = (("Cooperate", "Defect"), ("Cooperate", "Defect"))
LMH = (("Low", "Medium", "High"), ("Low", "Medium", "High"))


def pd(t=5, r=3, p=1, s=0):
    return Game.from_bimatrix([[r, s], [t, p]], [[r, t], [s, p]], strategies=CDS)


COURNOT = Game.from_bimatrix(
    [[10, 3, 0], [15, 7, -4], [7, 5, -15]],
    [[10, 15, 7], [3, 7, 5], [0, -4, -15]],
    strategies=LMH,
)


@pytest.mark.parametrize(
    ("t", "r", "p", "s", "expected"),
    [
        (5, 3, 1, 0, F(1, 2)),
        (4, 3, 1, 0, F(1, 3)),
        (7, 3, 1, 0, F(2, 3)),
        (F(11, 2), F(5, 2), F(1, 2), -1, F(3, 5)),
    ],
    ids=["axelrod", "mild-temptation", "strong-temptation", "rational-payoffs"],
)
def test_prisoners_dilemma_grim_trigger(t, r, p, s, expected):
    """delta* = (T - R)/(T - P), exactly, for both players (Axelrod 1984)."""
    res = analyse_repeated(pd(t, r, p, s), "Cooperate, Cooperate")
    nash = res.punishment("nash")
    assert nash.critical_delta == expected == F(t - r) / F(t - p)
    assert isinstance(nash.critical_delta, F)
    assert dict(nash.by_player) == {"Row": expected, "Column": expected}
    # Defect/Defect is the mutual minmax: no harsher punishment exists, every route agrees
    assert res.punishment("minmax").critical_delta == expected
    assert res.punishment("penal_code").critical_delta == expected


def test_cournot_like_by_hand():
    """Target (Low, Low) pays 10 each; the best deviation is Medium, paying 15.

    * The only stage equilibrium is (Medium, Medium), paying 7 (Medium is the unique best reply
      to Medium; the solver finds no mixed one).  Grim trigger:
      delta = (15 - 10)/(15 - 7) = 5/8 for each player.
    * Minmax: against High every payoff of the punished player is at most 0 (Low gives 0) and
      the Low row is non-negative against any mixture, so v = 0 (pure and mixed):
      delta >= (15 - 10)/(15 - 0) = 1/3 is necessary for any equilibrium.
    * Stick and carrot for Row: one period of (Medium, High) (Row gets -4), then (Low, Low).
      With x = -4 the constraints are delta (10 - x) >= gain, for every profile on a path:
      target gain 5 -> 5/14; Row's gain at (Medium, High) is 0 - (-4) = 4 -> 4/14; Column's
      gain in Row's stick is 7 - 5 = 2 -> 2/14 (Column's own stick (High, Medium) pays it -4).
      By symmetry delta* = 5/14 < 5/8.  No stick does better for Row: delta >= 5/(10 - u_Row(p))
      needs u_Row(p) <= -4 for 5/14; (High, High) (-15) has gain 15 -> 15/25 = 3/5 and
      (High, Medium), (Low, High) pay Row 5 and 0 -> 1 and 1/2.
    """
    res = analyse_repeated(COURNOT, ("Low", "Low"))
    assert [e.describe() for e in res.stage_equilibria] == ["pure (Medium, Medium)"]
    assert res.punishment("nash").critical_delta == F(5, 8)
    assert res.minmax == {"Row": 0, "Column": 0} == res.pure_minmax
    assert res.punishment("minmax").critical_delta == F(1, 3)
    code = res.punishment("penal_code")
    assert code.critical_delta == F(5, 14) == res.critical_delta
    assert "(Medium, High)" in code.detail["Row"] and "(High, Medium)" in code.detail["Column"]
    assert res.punishment("minmax").critical_delta < code.critical_delta < res.punishment("nash").critical_delta


def _automaton_is_spe(game: Game, target, sticks, nash_values, delta) -> bool:
    """The simple penal code as an automaton, checked by the one-shot deviation principle.

    States: ``target`` and, per player j, ``stick j`` (play ``sticks[j]`` once, then target) or
    ``nash j`` (j's worst stage equilibrium forever: value ``nash_values[j]``, no constraint).
    Values solve ``V(s) = (1 - delta) u(s) + delta V(next(s))`` exactly.
    """
    u = game.payoffs
    n = game.n_players
    v_target = [u[(i, *target)] for i in range(n)]

    def punish_value(j, i):  # player i's value at the start of j's punishment
        if sticks[j] is None:
            return nash_values[j] if i == j else None
        return (1 - delta) * u[(i, *sticks[j])] + delta * v_target[i]

    states = [target] + [s for s in sticks if s is not None]
    for prof in states:
        for i in range(n):
            stay = (1 - delta) * u[(i, *prof)] + delta * v_target[i]
            for k in range(game.shape[i]):
                dev = list(prof)
                dev[i] = k
                if (1 - delta) * u[(i, *dev)] + delta * punish_value(i, i) > stay:
                    return False
    return True


def test_penal_code_is_subgame_perfect_at_its_delta():
    """On random 3x3 games with a cooperative target, the code found is subgame perfect at its
    delta* and fails just below it (one-shot deviations checked on an automaton written here,
    exactly); it never needs more patience than Nash reversion, nor less than the minmax bound."""
    checked = 0
    for seed in range(30):
        rng = np.random.default_rng(seed)
        a, b = rng.integers(-9, 10, size=(2, 3, 3))
        a[0, 0], b[0, 0] = 8, 8
        g = Game.from_bimatrix(a.tolist(), b.tolist())
        res = analyse_repeated(g, (0, 0))
        worst = [min(e.values[i] for e in res.stage_equilibria) for i in range(2)]
        code = best_penal_code(g, (0, 0), worst)
        assert code.delta == res.punishment("penal_code").critical_delta
        nash = res.punishment("nash").critical_delta
        assert code.delta is None or nash is None or code.delta <= nash
        if code.delta is None or code.delta == 0:
            assert nash is None or code.delta is not None
            continue
        assert _automaton_is_spe(g, (0, 0), code.options, worst, code.delta), seed
        assert not _automaton_is_spe(g, (0, 0), code.options, worst, code.delta - F(1, 10**6)), seed
        floor = res.punishment("minmax").critical_delta
        assert floor is not None and floor <= code.delta
        checked += 1
    assert checked >= 4


GAMES = {
    "pd": (pd(), ("Cooperate", "Cooperate")),
    "cournot": (COURNOT, ("Low", "Low")),
    "cournot-asymmetric-target": (COURNOT, ("Low", "Medium")),
    "stag-hunt": (Game.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]]), ("1", "1")),
}


@pytest.mark.parametrize("name", list(GAMES), ids=list(GAMES))
def test_deltas_invariant_under_positive_affine_transforms(name):
    """Each player's payoffs scaled by a positive factor and shifted leave every delta alone."""
    game, target = GAMES[name]
    base = analyse_repeated(game, target)
    arr = game.payoffs.copy()
    arr[0] = arr[0] * F(7, 3) + 11
    arr[1] = arr[1] * F(1, 5) - F(2, 7)
    moved = analyse_repeated(Game(game.players, game.strategies, arr, is_exact=True), target)
    for p, q in zip(base.punishments, moved.punishments, strict=True):
        assert (p.kind, p.critical_delta, dict(p.by_player)) == (q.kind, q.critical_delta, dict(q.by_player))


def test_stag_hunt_target_is_an_equilibrium():
    """(Stag, Stag) is a stage equilibrium: no deviation pays, delta* = 0 under every punishment."""
    game, target = GAMES["stag-hunt"]
    res = analyse_repeated(game, target)
    assert [p.critical_delta for p in res.punishments] == [0, 0, 0]


def test_no_delta_below_one_when_the_target_is_worse_than_reversion():
    """Matching a target below the worst equilibrium for the deviator: (Low, Medium) gives Row 3
    < 7 at (Medium, Medium) while Medium pays 7: grim trigger never works for Row."""
    res = analyse_repeated(COURNOT, ("Low", "Medium"))
    assert res.punishment("nash").by_player["Row"] is None
    assert res.punishment("nash").critical_delta is None


def test_three_players_public_goods():
    """Each cooperator pays 3 and gives 2 to each other player.  All cooperate pays 4 - 3 = 1;
    defecting alone pays 4; all defect (the unique equilibrium, also the pure minmax 0) gives
    delta* = (4 - 1)/(4 - 0) = 3/4."""
    arr = np.empty((3, 2, 2, 2), dtype=object)
    for prof in np.ndindex(2, 2, 2):
        for i in range(3):
            others = sum(1 for j in range(3) if j != i and prof[j] == 0)
            arr[(i, *prof)] = 2 * others - (3 if prof[i] == 0 else 0)
    g = Game.from_arrays(arr, strategies=(("C", "D"),) * 3)
    res = analyse_repeated(g, "C, C, C")
    assert res.punishment("nash").critical_delta == F(3, 4)
    assert res.punishment("minmax").critical_delta == F(3, 4)
    assert "pure minmax" in res.punishment("minmax").note
    assert res.payoff_set is None and res.feasible_ir_set is None


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("Cooperate, Sometimes", "not a strategy of Column"),
        ("Cooperate", "names 1 strategy"),
        (("Cooperate", "Defect", "Defect"), "names 3 strategies"),
        ({"Row": "Defect", "Nobody": "Defect"}, "not a player"),
        ({"Row": "Defect"}, "no strategy for Column"),
        (3.5, "a target is a profile"),
    ],
    ids=["unknown-label", "too-few", "too-many", "unknown-player", "missing-player", "not-a-profile"],
)
def test_bad_targets(target, fragment):
    with pytest.raises(UsageError, match=fragment):
        analyse_repeated(pd(), target)


@pytest.mark.parametrize(
    "delta", [0, 1, "1.5", -0.1, float("nan"), "abc", F(3, 2)], ids=["0", "1", "1.5", "neg", "nan", "text", "3/2"]
)
def test_bad_delta(delta):
    with pytest.raises(ParameterError, match="discount factor"):
        analyse_repeated(pd(), "Cooperate, Cooperate", delta=delta)


def test_payoff_set_needs_two_players():
    g = Game.from_arrays(np.zeros((3, 2, 2, 2), dtype=int))
    with pytest.raises(SolverError, match="two players"):
        analyse_repeated(g, ("1", "1", "1"), delta=F(1, 2), payoff_set=True)


def test_float_game_is_read_exactly():
    g = pd().as_float()
    res = analyse_repeated(g, "Cooperate, Cooperate", delta=0.75)
    assert res.critical_delta == F(1, 2) and res.sustained() is True
    assert any("decimal values" in n for n in res.notes)


def test_minmax_punishers_are_named():
    """Cournot-like: High holds the other to 0.  Matching pennies: the mixed minmax is 0, by the
    half-half mixture (von Neumann), while the pure minmax is 1."""
    assert analyse_repeated(COURNOT, ("Low", "Low")).punishers == {
        "Row": "Column plays High",
        "Column": "Row plays High",
    }
    pennies = Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], strategies=(("H", "T"), ("H", "T")))
    res = analyse_repeated(pennies, ("H", "H"))
    assert res.minmax == {"Row": 0, "Column": 0} and res.pure_minmax == {"Row": 1, "Column": 1}
    assert res.punishers["Row"] == "Column mixes H 1/2, T 1/2"
