"""Equilibrium selection (Harsanyi & Selten 1988): payoff dominance and risk dominance, and the
``--select`` weighting of ``uncertainty`` and ``sweep``, against hand derivations.

Risk dominance in a 2x2 game with two strict equilibria compares the products of the deviation
losses: in the stag hunt with R (both Stag), T (Hare against Stag), P (both Hare), S (Stag against
Hare), (Stag, Stag) has (R - T)^2 and (Hare, Hare) has (P - S)^2.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from functools import reduce

import pytest
from typer.testing import CliRunner

from solver.analysis.selection import payoff_dominant, risk_dominant, select
from solver.cli import app
from solver.core.errors import ParameterError
from solver.core.game import Game
from solver.equilibria import solve

SH = (("Stag", "Hare"), ("Stag", "Hare"))


def bimatrix(a, b, strategies=SH):
    return Game.from_bimatrix(a, b, strategies=strategies)


def stag_hunt(r, t, p, s):
    return bimatrix([[r, s], [t, p]], [[r, t], [s, p]])


GAMES = [
    # (id, game, payoff-dominant, risk-dominant): None where the rule picks nothing
    ("classic-stag-hunt", stag_hunt(4, 3, 3, 0), "pure (Stag, Stag)", "pure (Hare, Hare)"),
    ("shipped-stag-hunt", stag_hunt(4, 3, 2, 0), "pure (Stag, Stag)", "pure (Hare, Hare)"),  # 1 < 4
    ("aumann-stag-hunt", stag_hunt(9, 8, 7, 0), "pure (Stag, Stag)", "pure (Hare, Hare)"),  # 1 < 49
    ("safe-stag-hunt", stag_hunt(5, 1, 1, 0), "pure (Stag, Stag)", "pure (Stag, Stag)"),  # 16 > 1
    ("battle-of-the-sexes", bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), None, None),  # 2 = 2
    ("chicken", bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]]), None, None),  # symmetric
    ("asymmetric-coordination", bimatrix([[3, 0], [0, 2]], [[1, 0], [0, 5]]), None, "pure (Hare, Hare)"),  # 3 < 10
    ("prisoners-dilemma", bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]), "pure (Hare, Hare)", "pure (Hare, Hare)"),
    ("3x3-coordination", Game.from_arrays([[[3, 0, 0], [0, 2, 0], [0, 0, 1]]] * 2), "pure (1, 1)", None),
]


@pytest.mark.parametrize(("game", "payoff", "risk"), [g[1:] for g in GAMES], ids=[g[0] for g in GAMES])
def test_selection_on_classic_games(game, payoff, risk):
    eqs = list(solve(game, exact=True).equilibria)
    p, r = payoff_dominant(eqs), risk_dominant(game, eqs)
    assert (p.describe() if p else None) == payoff
    assert (r.describe() if r else None) == risk


@pytest.mark.parametrize(
    ("rule", "kept", "words"),
    [
        ("all", 3, "all 3 equilibria weighted equally (1/3 each)"),
        ("payoff-dominance", 1, "payoff dominance (Harsanyi & Selten 1988) selects pure (Stag, Stag) of 3 equilibria"),
        ("risk-dominance", 1, "risk dominance (Harsanyi & Selten 1988) selects pure (Hare, Hare) of 3 equilibria"),
        ("logit", 1, "logit tracing (McKelvey & Palfrey 1995; Turocy 2005) selects pure (Hare, Hare) of 3 equilibria"),
    ],
    ids=["all", "payoff", "risk", "logit"],
)
def test_select_says_how(rule, kept, words):
    game = stag_hunt(4, 3, 3, 0)
    chosen, sentence = select(game, solve(game).equilibria, rule)
    assert len(chosen) == kept and sentence == words


@pytest.mark.parametrize(
    ("game", "rule", "reason"),
    [
        (bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "payoff-dominance", "no equilibrium payoff-dominates"),
        (bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "risk-dominance", "no unique risk-dominant equilibrium"),
        (Game.from_arrays([[[3, 0, 0], [0, 2, 0], [0, 0, 1]]] * 2), "risk-dominance", "only for 2x2 games"),
    ],
    ids=["bos-payoff", "bos-risk", "3x3-risk"],
)
def test_a_rule_that_picks_nothing_falls_back_to_equal_weights_and_says_so(game, rule, reason):
    eqs = solve(game, exact=True).equilibria
    chosen, sentence = select(game, eqs, rule)
    assert len(chosen) == len(eqs) > 1
    assert reason in sentence and f"all {len(eqs)} equilibria weighted equally" in sentence


def test_an_unknown_rule_is_refused():
    with pytest.raises(ParameterError, match="unknown selection rule"):
        select(stag_hunt(4, 3, 3, 0), [], "coin-toss")


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


# Shipped stag hunt (R = 4, P = 2, S = 0) across T: for T < 4 both coordination outcomes and a
# mixed one (Pr(Stag) = (P - S)/((R - T) + (P - S)) = 2/(6 - T)) are equilibria; above, only Hare.
# Payoff dominance: (Stag, Stag) pays 4 to both, more than anything else.  Risk dominance:
# (R - T)^2 against (P - S)^2 = 4, so Stag for T < 2, Hare for 2 < T < 4, a tie at T = 2 (equal
# weights: (1 + 0 + (1/2)^2)/3 = 5/12).  Equal weights at T = 0: (1 + 0 + (1/3)^2)/3 = 10/27.
SWEEP = [
    ("all", [F(10, 27), F(5, 12), F(1, 3) + F(4, 27), F(0)]),
    ("payoff-dominance", [F(1), F(1), F(1), F(0)]),
    ("risk-dominance", [F(1), F(5, 12), F(0), F(0)]),
]


@pytest.mark.parametrize(("rule", "expected"), SWEEP, ids=[s[0] for s in SWEEP])
def test_sweep_select_matches_the_hand_derivation(rule, expected):
    code, out, err = run("sweep", "stag_hunt", "--vary", "T=0,2,3,6", "--outcome", "Stag, Stag",
                         "--select", rule, "--format", "json", "-q")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["outcome"]["probability"] == pytest.approx([float(x) for x in expected])
    w = doc["weighting"]
    assert w["rule"] == rule and w["several_equilibria"] == 3
    if rule == "risk-dominance":  # the tie at T = 2 is weighted equally, and said to be
        assert (w["selected"], w["equal_weights"]) == (2, 1) and "no unique risk-dominant" in w["note"]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("payoff-dominance", 1.0), ("risk-dominance", 0.0)],
    ids=["payoff", "risk"],
)
def test_uncertainty_select_at_a_fixed_point(rule, expected):
    sets = [a for s in ("R=4", "T=3", "P=2", "S=0") for a in ("--set", s)]
    code, out, err = run("uncertainty", "stag_hunt", "-n", "20", *sets, "--select", rule, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    stag = {o["label"]: o["p"] for o in doc["outcomes"]}["Stag, Stag"]
    assert stag == pytest.approx(expected)
    assert doc["weighting"]["selected"] == 20 and doc["weighting"]["rule"] == rule


def test_risk_dominance_beyond_2x2_is_reported_as_equal_weights():
    code, out, _ = run("uncertainty", "syria_triad", "-n", "300", "--select", "risk-dominance")
    assert code == 0
    note = [line for line in out.splitlines() if line.startswith("note: weighting:")]
    assert note and "defined here only for 2x2 games" in note[0]


def _definition(eqs, game, rule):
    """The weights by the definitions, on exact equilibria: payoff dominance (every player at least
    as well off, someone better, against every other equilibrium) and, in a 2x2 game, risk
    dominance (the larger product of deviation losses of two strict pure equilibria)."""
    if rule == "payoff-dominance":
        def dominates(e, f):
            pairs = list(zip(e.values, f.values, strict=True))
            return all(a >= b for a, b in pairs) and any(a > b for a, b in pairs)

        wins = [e for e in eqs if all(dominates(e, f) for f in eqs if f is not e)]
        return wins if len(wins) == 1 else eqs
    if rule == "risk-dominance" and game.shape == (2, 2) and len(eqs) > 1:
        u = game.payoffs
        strict = {}
        for e in eqs:
            if e.is_pure:
                r, c = (s[0] for s in e.support())
                loss = (u[0, r, c] - u[0, 1 - r, c], u[1, r, c] - u[1, r, 1 - c])
                if loss[0] > 0 and loss[1] > 0:
                    strict[e] = loss[0] * loss[1]
        if len(strict) == 2 and len(set(strict.values())) == 2:
            return [max(strict, key=strict.get)]
    return eqs


@pytest.mark.parametrize("rule", ["all", "payoff-dominance", "risk-dominance"])
@pytest.mark.parametrize("name", ["stag_hunt", "chicken", "battle_of_the_sexes", "syria_triad"])
def test_batched_weights_follow_the_definitions_at_every_point(name, rule):
    import numpy as np
    from conftest import exact_reference

    from solver.analysis.outcome_weights import weigh
    from solver.analysis.uncertainty import sample_parameters
    from solver.core.symbolic import evaluate
    from solver.formats import load
    from solver.sweep.engine import solve_batch

    model = load(name)
    cols, _ = sample_parameters(model, 40, seed=11)
    got = weigh(solve_batch(model, cols), rule).values
    for k in range(40):
        game = evaluate(model, {n: float(cols[n][k]) for n in model.parameter_names}).as_exact()
        kept = _definition(list(exact_reference(game).equilibria), game, rule)
        want = np.zeros(model.shape)
        for e in kept:
            want += reduce(np.multiply.outer, [np.asarray(v, dtype=float) for v in e.vectors]) / len(kept)
        np.testing.assert_allclose(got[k], want, atol=1e-9)


# The logit tracing selection (McKelvey & Palfrey 1995; Turocy 2005) by hand.  In a symmetric 2x2
# coordination game (the stag hunt R, T, P, S) the principal branch starts at (1/2, 1/2) and stays
# symmetric (until a bifurcation), both playing Stag with p where logit(p) = lam (d1 p - d2 (1 - p)),
# d1 = R - T, d2 = P - S > 0.  At p = 1/2 that needs lam = 0, so the branch never crosses p = 1/2
# again; Stag's gain there, (d1 - d2)/2, sends it towards p = 1 when d1 > d2 and towards p = 0 when
# d1 < d2, and lam(p) = logit(p)/(d1 p - d2 (1 - p)) is finite on the way and infinite only at the
# end: the limit is (Stag, Stag) iff d1 > d2, i.e. iff d1^2 > d2^2, the risk-dominant equilibrium.
# The battle of the sexes and chicken are symmetric between the players' roles: their branch passes
# a bifurcation, the trace keeps straight on to the mixed equilibrium, and the note says the
# selection is not unique.  In asymmetric coordination games the limit need not be risk-dominant:
# Syria's status quo against open conflict (syria_deconfliction at iran_cost = 1, deal_value = 9.5)
# has Nash products 1/2 * 3 = 3/2 at (Tolerate, Acquiesce) and 1 * 2 = 2 at (Strike, Confront), yet
# the branch ends at (Tolerate, Acquiesce), as pygambit 17's logit_solve finds too.
SYRIA_COORDINATION = bimatrix(
    [[F(17, 2), -1], [8, 0]], [[3, 0], [-7, -5]], (("Tolerate", "Strike"), ("Acquiesce", "Confront"))
)
LOGIT = [
    # (id, game, logit pick, bifurcates, risk-dominant too)
    ("classic-stag-hunt", stag_hunt(4, 3, 3, 0), "pure (Hare, Hare)", False, True),  # d1 = 1 < d2 = 3
    ("shipped-stag-hunt", stag_hunt(4, 3, 2, 0), "pure (Hare, Hare)", False, True),  # 1 < 2
    ("aumann-stag-hunt", stag_hunt(9, 8, 7, 0), "pure (Hare, Hare)", False, True),  # 1 < 7
    ("safe-stag-hunt", stag_hunt(5, 1, 1, 0), "pure (Stag, Stag)", False, True),  # 4 > 1
    ("near-tie-stag-hunt", stag_hunt(5, 2, 2, 0), "pure (Stag, Stag)", False, True),  # 3 > 2
    ("asymmetric-coordination", bimatrix([[3, 0], [0, 2]], [[1, 0], [0, 5]]), "pure (Hare, Hare)", False, True),
    ("syria-coordination", SYRIA_COORDINATION, "pure (Tolerate, Acquiesce)", False, False),
    ("battle-of-the-sexes", bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "mixed (full support)", True, False),
    ("chicken", bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]]), "mixed (full support)", True, False),
]


@pytest.mark.parametrize(("game", "pick", "forks", "risk"), [g[1:] for g in LOGIT], ids=[g[0] for g in LOGIT])
def test_logit_selection_on_classic_games(game, pick, forks, risk):
    from solver.analysis.selection import choose

    eqs = list(solve(game, exact=True).equilibria)
    s = choose(game, eqs, "logit")
    assert [e.describe() for e in s.kept] == [pick] and not s.fell_back
    assert s.kept[0] in eqs  # the sweep's own equilibrium, weight 1
    assert any("not unique" in n for n in s.notes) == forks
    rd = risk_dominant(game, eqs)
    assert (rd is not None and rd.describe() == pick) == risk


def test_logit_keeps_the_nearest_equilibrium_when_the_limit_is_not_given():
    from solver.analysis.selection import logit_pick

    game = stag_hunt(4, 3, 3, 0)
    eqs = [e for e in solve(game, exact=True).equilibria if e.describe() != "pure (Hare, Hare)"]
    pick, notes = logit_pick(game, eqs)
    assert pick is not None and pick.describe() == "mixed (full support)"  # Stag w.p. 3/4, nearer Hare
    assert any("is not among the 2 equilibria given" in n for n in notes)


@pytest.mark.parametrize("name", ["stag_hunt", "chicken", "battle_of_the_sexes"])
def test_vectorised_logit_matches_logit_limit_on_a_sample(name):
    """The 2x2 sweep's shortcut (the QRE at lambda = 1000 over the spread, the nearest candidate)
    picks the equilibrium the logit tracing selection picks, point by point."""
    import numpy as np

    from solver.analysis.selection import logit_pick, logit_winners
    from solver.analysis.uncertainty import sample_parameters
    from solver.core.symbolic import evaluate
    from solver.formats import load
    from solver.sweep.engine import solve_batch

    model = load(name)
    cols, _ = sample_parameters(model, 30, seed=5)
    batch = solve_batch(model, cols)
    cands = [c for c in batch.candidates if c.mask.any()]
    masks = np.array([c.mask for c in cands], dtype=bool)
    win = logit_winners(batch, cands, masks)
    compared = 0
    for k in np.flatnonzero(masks.sum(axis=0) > 1).tolist():
        game = evaluate(model, {n: float(cols[n][k]) for n in model.parameter_names})
        pick, _ = logit_pick(game, list(solve(game).equilibria))
        if pick is None:  # the single-game tracer stalled at a bifurcation (symmetric games)
            continue
        compared += 1
        (j,) = np.flatnonzero(win[:, k])
        got = [p[k] for p in cands[j].probs]
        assert max(float(np.abs(np.asarray(a) - np.asarray(b, dtype=float)).max())
                   for a, b in zip(got, pick.vectors, strict=True)) < 1e-6
    assert compared >= 3
