"""Grim trigger in the parameters, and its closed form over arrays of 2x2 games.

Prisoner's dilemma with payoffs R (both cooperate), S/T (sucker/temptation), P (both defect),
reverting to (Defect, Defect) (Axelrod 1984; Oye 1986).  By hand: cooperating forever pays
R/(1 - delta); defecting once pays T + delta P/(1 - delta); so cooperation holds iff
R >= (1 - delta) T + delta P, i.e. delta >= (T - R)/(T - P) when T > R > P.  When R >= T no
deviation pays (delta* = 0); when T > R but R <= P nothing below one works.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from solver.core.errors import UsageError
from solver.core.expr import symbol
from solver.core.game import Game
from solver.equilibria.repeated import analyse_repeated, grim_delta, minmax_delta, symbolic_grim
from solver.formats import load

T, R, P = symbol("T"), symbol("R"), symbol("P")
PD = load("prisoners_dilemma")
CC, DD = ("Cooperate", "Cooperate"), ("Defect", "Defect")


def test_symbolic_prisoners_dilemma_closed_form():
    g = symbolic_grim(PD, CC, DD)
    values = {b.value: b.conditions for b in g.overall}
    works = [b for b in g.overall if b.value is not None and b.value != 0]
    assert len(works) == 1
    assert sp.simplify(works[0].value - (T - R) / (T - P)) == 0
    assert set(works[0].conditions) == {sp.Gt(T, R), sp.Gt(R, P)}
    assert values[sp.Integer(0)] == (sp.Ge(R, T),)
    assert set(values[None]) == {sp.Gt(T, R), sp.Ge(P, R)}
    assert g.reversion == ("pure (Defect, Defect)",) * 2
    # (Defect, Defect) is an equilibrium when P >= S and P >= S for the other: the same line
    assert set(g.equilibrium) == {sp.Ge(P, symbol("S"))}


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ({"T": 5, "R": 3, "P": 1, "S": 0}, F(1, 2)),
        ({"T": 9, "R": 3, "P": 1, "S": 0}, F(3, 4)),
        ({"T": 2, "R": 3, "P": 1, "S": 0}, F(0)),
        ({"T": 5, "R": 1, "P": 2, "S": 0}, None),
    ],
    ids=["axelrod", "tempting", "no-temptation", "target-below-reversion"],
)
def test_symbolic_branch_matches_the_exact_numbers(point, expected):
    """The branch that holds at a point gives the exact numeric answer there."""
    branch = symbolic_grim(PD, CC, DD).at(point)
    assert branch is not None
    value = None if branch.value is None else F(str(branch.value.subs({symbol(k): v for k, v in point.items()})))
    assert value == expected
    exact = analyse_repeated(load_game(point), CC).punishment("nash").critical_delta
    assert exact == expected


def load_game(point):
    from solver.core.symbolic import evaluate

    return evaluate(PD, point)


def test_symbolic_default_reversion_and_bad_profiles():
    assert symbolic_grim(PD, CC).reversion == ("pure (Defect, Defect)",) * 2  # at the defaults
    with pytest.raises(UsageError, match="not a strategy of Row"):
        symbolic_grim(PD, ("Betray", "Cooperate"), DD)
    with pytest.raises(UsageError, match="names 1 strategies"):
        symbolic_grim(PD, ("Cooperate",), DD)


def _random_generic_2x2(rng, size):
    """Integer 2x2 games with no ties within any player's comparisons (generic)."""
    games = []
    while len(games) < size:
        a, b = rng.integers(-20, 21, size=(2, 2, 2))
        if a[0, 0] != a[1, 0] and a[0, 1] != a[1, 1] and b[0, 0] != b[0, 1] and b[1, 0] != b[1, 1]:
            games.append((a, b))
    return games


@pytest.mark.parametrize("target", [(0, 0), (0, 1), (1, 1)], ids=["00", "01", "11"])
def test_closed_form_matches_exact_analysis(target):
    """The vectorised 2x2 formulas agree with the exact analysis game by game (generic games)."""
    games = _random_generic_2x2(np.random.default_rng(sum(target) + 7), 40)
    a = np.stack([g[0] for g in games], axis=-1).astype(float)
    b = np.stack([g[1] for g in games], axis=-1).astype(float)
    grim, minmax = grim_delta(a, b, target), minmax_delta(a, b, target)
    for k, (ga, gb) in enumerate(games):
        res = analyse_repeated(Game.from_bimatrix(ga.tolist(), gb.tolist()), tuple(str(t + 1) for t in target))
        for got, kind in ((grim[k], "nash"), (minmax[k], "minmax")):
            want = res.punishment(kind).critical_delta
            assert (np.isnan(got) and want is None) or abs(got - float(want)) < 1e-12, (k, kind)


def test_closed_form_sweep_of_a_million_prisoners_dilemmas():
    """delta*(T) = (T - R)/(T - P) over 10^6 values of T (R = 3, P = 1, S = 0), and NaN-free."""
    t = np.linspace(3.5, 20.0, 1_000_000)
    one = np.ones_like(t)
    a = np.array([[3 * one, 0 * one], [t, one]])
    d, d_row, d_col = grim_delta(a, a.transpose(1, 0, 2), (0, 0), by_player=True)
    assert np.allclose(d, (t - 3) / (t - 1), rtol=0, atol=1e-14)
    assert np.array_equal(d_row, d_col)


def test_closed_form_affine_invariance():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 2, 2, 5000))
    for fn in (grim_delta, minmax_delta):
        base = fn(a, b, (0, 0))
        moved = fn(2.5 * a - 4.0, 0.3 * b + 7.0, (0, 0))
        assert np.array_equal(np.isnan(base), np.isnan(moved))
        ok = ~np.isnan(base)
        assert np.allclose(base[ok], moved[ok], rtol=0, atol=1e-9)


#: syria_deconfliction at the values its file documents (given in full: the test does not depend
#: on the file's defaults)
SYRIA_POINT = {
    "iran_cost": 6, "strike_eff": F(1, 2), "strike_cost": 1, "deal_value": 2,
    "conflict_cost_israel": 8, "conflict_cost_russia": 5, "assad_stake": 10, "tech_value": 3,
    "convoys_kept_in_conflict": 1,
}


def test_syria_deconfliction_grim_trigger_by_hand():
    """The deal (Tolerate, Acquiesce) in ``syria_deconfliction``, by hand.

    Write c = iran_cost, e = strike_eff, s = strike_cost, D = deal_value, K =
    conflict_cost_israel and X = D - (1 - e) c - s (Israel's payoff striking while Russia
    acquiesces).  Israel gets D - c on the deal, -c at (Tolerate, Confront), X at (Strike,
    Acquiesce), X - K at (Strike, Confront).  Russia gets tech_value on the deal and 0 by
    confronting, so Russia never deviates (delta_Russia = 0).  At the point below the best
    replies cycle, so the stage equilibrium is the completely mixed one; Israel's value there
    (the 2x2 zero-determinant formula) is

        v = ((D - c)(X - K) + c X) / (D - K) = X - K (e c - s) / (K - D).

    Israel's gain from striking is X - (D - c) = e c - s, and X - v = K (e c - s)/(K - D), so

        delta_Israel = (e c - s) / (K (e c - s) / (K - D)) = (K - D) / K = 1 - D/K,

    independent of Iran's entrenchment c while this equilibrium is the reversion: 3/4 at D = 2,
    K = 8.  The minmax of Israel is the saddle point (Tolerate, Confront), -6, so the bound is
    (-2 - (-4))/(-2 - (-6)) = 1/2.  The best stick for Israel is one period of (Strike,
    Confront) (payoff -10): delta (-4 - (-10)) >= gain gives 2/6 on the deal and 4/6 at the
    stick itself (Tolerate pays -6 there), so the penal code needs 2/3.
    """
    model = load("syria_deconfliction")
    g = symbolic_grim(model, ("Tolerate", "Acquiesce"), values=SYRIA_POINT)
    branch = g.at(SYRIA_POINT)
    assert branch is not None and branch.value is not None
    D, K = symbol("deal_value"), symbol("conflict_cost_israel")
    k = symbol("convoys_kept_in_conflict")  # the default reading, k = 1 (the formula is (K - kD)/(K - kD + D))
    assert sp.simplify(branch.value.subs(k, 1) - (K - D) / K) == 0
    assert g.reversion[0] == "mixed (full support)"
    from solver.core.symbolic import evaluate

    res = analyse_repeated(evaluate(model, SYRIA_POINT), ("Tolerate", "Acquiesce"))
    assert res.punishment("nash").critical_delta == F(3, 4)
    assert dict(res.punishment("nash").by_player) == {"Israel": F(3, 4), "Russia": 0}
    assert res.punishment("minmax").critical_delta == F(1, 2)
    assert res.punishment("penal_code").critical_delta == F(2, 3)
    assert "(Strike, Confront)" in res.punishment("penal_code").detail["Israel"]
    # the symbolic branch agrees with the exact numbers wherever it holds along iran_cost
    for c in (F(5, 2), 4, 9, 15):
        point = {**SYRIA_POINT, "iran_cost": c}
        exact = analyse_repeated(evaluate(model, point), ("Tolerate", "Acquiesce")).punishment("nash")
        here = g.at(point)
        subs = {symbol(k): v for k, v in point.items()}
        if here is not None and all(bool(cond.subs(subs)) for cond in g.equilibrium):
            value = here.value.subs({symbol(k): sp.Rational(str(v)) for k, v in point.items()})
            assert exact.critical_delta == F(str(value)), c
