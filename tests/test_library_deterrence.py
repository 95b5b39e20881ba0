"""The deterrence library (issue 15, part 2): each model's test reproduces its source's result.

Every expected value below is derived by hand from the source's game and assumptions (the
derivation is in the test's docstring or comment) and evaluated exactly; the solver's output is
compared with it, never with another run of our own code.  Models: Zagare & Kilgour's Unilateral
Deterrence Game (1993), Generalized Mutual Deterrence (Kilgour & Zagare 1991) and Tripartite
Crisis Game (2003); Selten's chain store (1978) with three markets; Kreps & Wilson's reputation
equilibrium (1982); the war of attrition (Fudenberg & Tirole 1991); Powell's brinkmanship (1987,
1990).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction as F
from itertools import product
from typing import Any

import pytest

from solver.analysis.thresholds import scan_thresholds, thresholds
from solver.core.result import Equilibrium
from solver.core.symbolic import evaluate
from solver.equilibria import solve
from solver.equilibria.trees.sequential import solve_tree
from solver.formats import load


def pbe(model: str, **values: Any) -> list[Equilibrium]:
    """The (weak) perfect Bayesian equilibria the tree solver reports at ``values``."""
    return [e for e in solve_tree(load(model), values).equilibria if e.extra["perfect_bayesian"]]


def spe(model: str, **values: Any) -> list[Equilibrium]:
    return [e for e in solve_tree(load(model), values).equilibria if e.extra["subgame_perfect"]]


def act(e: Equilibrium, player: str, infoset: str, action: str) -> float:
    return float(e.extra["behaviour"][player][infoset][action])


# --- Zagare & Kilgour (1993) / (2000, ch. 5): the Unilateral Deterrence Game ------------------
# Defaults: alpha_H = (c_DC - c_SQ)/(c_DC - c_DD_hard) = (4-3)/(4-2) = 1/2,
#           alpha_S = (c_DC - c_SQ)/(c_DC - c_CD) = (4-3)/(4-1) = 1/3,
#           beta = (d_CD - d_DC)/(d_CD - d_DD_soft) = (3-1)/(3-0) = 2/3.
ALPHA_H, ALPHA_S, BETA = F(1, 2), F(1, 3), F(2, 3)


def udg_kinds(p_ch: F, p_def: F) -> set[str]:
    """The source's existence conditions (beliefs after an unexpected challenge = the prior):
    Status Quo iff p_Def >= alpha_H or p_Ch <= beta; Attack iff p_Ch >= beta and
    p_Def <= alpha_S; Separating iff alpha_S <= p_Def <= alpha_H; Bluff iff p_Def < alpha_S and
    p_Ch < beta."""
    kinds = set()
    if p_def >= ALPHA_H or p_ch <= BETA:
        kinds.add("status quo")
    if p_ch >= BETA and p_def <= ALPHA_S:
        kinds.add("attack")
    if ALPHA_S <= p_def <= ALPHA_H:
        kinds.add("separating")
    if p_def < ALPHA_S and p_ch < BETA:
        kinds.add("bluff")
    return kinds


def udg_kind(e: Equilibrium) -> str:
    hard = act(e, "Challenger", "initiate_hard", "Defect")
    soft = act(e, "Challenger", "initiate_soft", "Defect")
    return {(0, 0): "status quo", (1, 1): "attack", (1, 0): "separating"}.get((hard, soft), "bluff")


def prior_beliefs_fit(e: Equilibrium, prior: F) -> bool:
    """Every off-path belief range (on the 'Challenger Hard' node) contains the prior."""
    ranges = (e.extra.get("belief_ranges") or {}).get("Defender", {})
    return all(r["min"] <= prior <= r["max"] for r in ranges.values())


@pytest.mark.parametrize(
    "p_ch,p_def",
    [
        pytest.param(F(4, 5), F(3, 5), id="credible-defender-deterrence"),
        pytest.param(F(4, 5), F(2, 5), id="middling-defender-separating"),
        pytest.param(F(4, 5), F(1, 5), id="incredible-defender-attack"),
        pytest.param(F(1, 2), F(1, 5), id="soft-challenger-likely-bluff"),
        pytest.param(F(1, 2), F(2, 5), id="soft-challenger-likely-separating"),
        pytest.param(F(1, 2), F(3, 5), id="both-deterred"),
    ],
)
def test_unilateral_deterrence_equilibria(p_ch: F, p_def: F) -> None:
    """Zagare & Kilgour (1993) ISQ 37(1); (2000) Perfect Deterrence ch. 5: which of the Status
    Quo, Attack, Separating and Bluff perfect Bayesian equilibria exist at (p_Ch, p_Def).

    Backward induction: a Hard Challenger presses on, a Soft one backs down; a Hard Defender
    resists; a Soft Defender resists iff its belief that the Challenger is Hard is <= beta.  A
    Challenger facing resistance with probability q initiates iff q <= alpha_H (Hard) or
    q <= alpha_S (Soft), which gives the conditions of :func:`udg_kinds`."""
    found = {udg_kind(e) for e in pbe("zk_unilateral_deterrence", p_Ch=p_ch, p_Def=p_def) if prior_beliefs_fit(e, p_ch)}
    assert found == udg_kinds(p_ch, p_def)


@pytest.mark.parametrize("p_ch,p_def", [(F(1, 2), F(1, 5)), (F(3, 5), F(1, 4))])
def test_unilateral_deterrence_bluff_mixing(p_ch: F, p_def: F) -> None:
    """Zagare & Kilgour (1993): in the Bluff equilibrium the Soft Challenger initiates with the
    probability that makes the Soft Defender indifferent (posterior = beta):
    x = p_Ch (1 - beta)/((1 - p_Ch) beta); the Soft Defender resists with the probability that
    makes the Soft Challenger indifferent (resistance probability alpha_S):
    y = (alpha_S - p_Def)/(1 - p_Def)."""
    (e,) = [e for e in pbe("zk_unilateral_deterrence", p_Ch=p_ch, p_Def=p_def) if udg_kind(e) == "bluff"]
    assert act(e, "Challenger", "initiate_hard", "Defect") == 1
    assert act(e, "Challenger", "initiate_soft", "Defect") == pytest.approx(
        float(p_ch * (1 - BETA) / ((1 - p_ch) * BETA))
    )
    assert act(e, "Defender", "respond_soft", "Resist") == pytest.approx(float((ALPHA_S - p_def) / (1 - p_def)))
    assert act(e, "Defender", "respond_hard", "Resist") == 1


def test_unilateral_deterrence_thresholds_in_the_defenders_credibility() -> None:
    """Zagare & Kilgour (1993): at p_Ch = 3/4 > beta the outcome changes exactly where the
    Defender's credibility crosses the Challenger's thresholds alpha_S = 1/3 (Attack ->
    Separating) and alpha_H = 1/2 (Separating -> Status Quo).  No closed form on this tree: the
    red lines come from bisection, so they are compared to the tolerance of ``pytest.approx``."""
    ts = thresholds(load("zk_unilateral_deterrence"), "p_Def")
    assert [t.decimal for t in ts] == [pytest.approx(float(ALPHA_S)), pytest.approx(float(ALPHA_H))]


# --- Kilgour & Zagare (1991): Generalized Mutual Deterrence ------------------------------------
# c_1 = (win_1 - sq_1)/(win_1 - war_1), c_2 = (win_2 - sq_2)/(win_2 - war_2).
MUTUAL_B = {"win_1": 5, "sq_1": 3, "cap_soft_1": 2, "war_1": 1,
            "win_2": 3, "sq_2": 2, "cap_soft_2": 1, "war_2": 0}  # fmt: skip


def status_quo_everywhere(e: Equilibrium) -> bool:
    return all(p["path"][2:] == ["C", "C"] for p in e.extra["path"])


@pytest.mark.parametrize(
    "payoffs,c_1,c_2,p_1,p_2",
    [
        pytest.param({}, F(1, 3), F(1, 2), F(3, 5), F(3, 5), id="both-credible"),
        pytest.param({}, F(1, 3), F(1, 2), F(1, 2), F(2, 5), id="on-the-edge-for-1"),
        pytest.param({}, F(1, 3), F(1, 2), F(1, 2), F(1, 3), id="both-on-the-edge"),
        pytest.param({}, F(1, 3), F(1, 2), F(49, 100), F(9, 10), id="1-not-credible-enough"),
        pytest.param({}, F(1, 3), F(1, 2), F(9, 10), F(3, 10), id="2-not-credible-enough"),
        pytest.param(MUTUAL_B, F(1, 2), F(1, 3), F(2, 5), F(3, 5), id="other-payoffs-deterred"),
        pytest.param(MUTUAL_B, F(1, 2), F(1, 3), F(3, 5), F(2, 5), id="other-payoffs-not-deterred"),
    ],
)
def test_mutual_deterrence_condition(payoffs: Mapping[str, int], c_1: F, c_2: F, p_1: F, p_2: F) -> None:
    """Kilgour & Zagare (1991) AJPS 35(2): the deterrence equilibrium (every type of both players
    cooperates) exists iff p_1 >= c_2 and p_2 >= c_1.  Player 1 defects iff
    p_2*war_1 + (1 - p_2)*win_1 > sq_1, i.e. p_2 < c_1; player 2 (belief about player 1 = the
    prior on the path) defects after C iff p_1*war_2 + (1 - p_1)*win_2 > sq_2, i.e. p_1 < c_2."""
    values = {**payoffs, "p_1": p_1, "p_2": p_2}
    m = load("zk_mutual_deterrence")
    env = {k: F(v) for k, v in {**m.values(None), **payoffs}.items()}
    assert (env["win_1"] - env["sq_1"]) / (env["win_1"] - env["war_1"]) == c_1
    assert (env["win_2"] - env["sq_2"]) / (env["win_2"] - env["war_2"]) == c_2
    deterred = any(status_quo_everywhere(e) for e in pbe("zk_mutual_deterrence", **values))
    assert deterred == (p_1 >= c_2 and p_2 >= c_1)


def test_mutual_deterrence_red_line_in_player_1s_credibility() -> None:
    """Kilgour & Zagare (1991): at p_2 = 3/4 (>= c_1 = 1/3) the deterrence equilibrium appears
    exactly where player 1's credibility reaches player 2's threshold c_2 = (4-2)/(4-0) = 1/2.
    No closed form on this tree: bisection, compared to ``pytest.approx``'s tolerance."""
    ts = thresholds(load("zk_mutual_deterrence"), "p_1")
    assert [t.decimal for t in ts] == [pytest.approx(0.5)]
    everyone_cooperates = " | ".join(f"1 {a} -> 2 {b} -> C -> C" for a in ("Hard", "Soft") for b in ("Hard", "Soft"))
    assert f"PBE {everyone_cooperates}" in ts[0].after.split(" + ")
    assert f"PBE {everyone_cooperates}" not in ts[0].before.split(" + ")


# --- Zagare & Kilgour (2003): the Tripartite Crisis Game ---------------------------------------


@pytest.mark.parametrize(
    "values,path",
    [
        pytest.param({}, ["Status quo"], id="realignment-threat-deters-israel"),
        pytest.param({"protege_realign": F(1, 2)}, ["Demand", "Abandon", "Concede"], id="no-threat-russia-abandons"),
        pytest.param({"challenger_war": F(5, 2)}, ["Demand", "Support", "Fight"], id="highly-motivated-israel-fights"),
        pytest.param({"challenger_war": -2}, ["Status quo"], id="unwilling-to-fight-backs-down"),
        pytest.param({"defender_war": -1}, ["Status quo"], id="russia-would-abandon-realignment-deters"),
        pytest.param(
            {"defender_war": -1, "challenger_realign": 3},
            ["Demand", "Abandon", "Realign"],
            id="realignment-suits-israel",
        ),
    ],
)
def test_tripartite_extended_deterrence(values: dict[str, Any], path: list[str]) -> None:
    """Zagare & Kilgour (2003) ISQ 47(4), abstract: a Challenger willing to fight
    (challenger_war > challenger_backdown) but moderately motivated (challenger_war <
    challenger_sq) is dissuaded by the Protege's threat to realign.  By backward induction at the
    defaults: the abandoned Protege realigns (2 > 1); Russia supports (war 1 > realignment 0);
    Israel would fight (0 > -1) and so keeps the status quo (2 > 0).  Without the threat
    (protege_realign = 1/2 < 1) Russia abandons (concession 2 > war 1) and Israel demands (3 > 2).
    A highly motivated Israel (challenger_war = 5/2 > 2) demands and fights; one unwilling to
    fight (challenger_war = -2 < -1) would back down, and so does not demand.  If Russia prefers
    losing its client to war (defender_war = -1 < 0) it would abandon and Assad-Iran realign,
    which Israel likes less than the status quo (1 < 2): the realignment threat deters Israel
    directly; only if realignment suits Israel (challenger_realign = 3 > 2) does it demand."""
    (e,) = spe("zk_tripartite_crisis", **values)
    assert e.extra["path"] == path


def test_tripartite_red_line_is_the_protege_threat() -> None:
    """Zagare & Kilgour (2003): deterrence succeeds exactly when the Protege's realignment threat
    is credible: the red line in protege_realign is protege_concede = 1 (below it: Demand,
    Abandon, Concede; above it: Status quo)."""
    (t,) = thresholds(load("zk_tripartite_crisis"), "protege_realign")
    assert t.value == 1 and t.exact
    assert (t.before, t.after) == ("SPE Demand -> Abandon -> Concede", "SPE Status quo")


def test_tripartite_threat_never_prompts_a_demand_under_complete_information() -> None:
    """Zagare & Kilgour (2003), abstract, second claim: when the Challenger is willing to fight
    and stands to gain a great deal, the Protege's threat to realign 'may actually prompt
    Challenger to make a demand'.  Under complete information it cannot, whenever the Challenger
    prefers the Protege's concession to its realignment (challenger_realign < challenger_concession
    = 3) and the Defender prefers the concession to losing its client (defender_realign <
    defender_concede = 2).  By hand: the threat changes only what follows abandonment, from
    (concession 3 for Israel, 2 for Russia) to (challenger_realign, defender_realign), both lower;
    so Russia supports in every case it did without the threat, and Israel's value of demanding,
    max(war, backdown) after support or the Protege's answer after abandonment, is never higher
    with the threat (max(war, backdown) < 3 in every case here).  The grid (72 parameter sets,
    each with and without the threat: protege_realign 2 > protege_concede 1, or 1/2) has no
    Demand with the threat that is absent without it.  The claim needs the paper's incomplete
    information (the Challenger unsure of the Defender's and Protege's types), which this
    complete-information model does not have."""
    prompted = []
    for war, backdown, realign, d_war, d_realign in product(
        [-2, 0, F(5, 2)], [-1, F(1, 2)], [1, F(5, 2)], [-1, 1, F(5, 2)], [0, F(3, 2)]
    ):
        base = {"challenger_war": war, "challenger_backdown": backdown, "challenger_realign": realign,
                "defender_war": d_war, "defender_realign": d_realign}
        demands = [
            any(e.extra["path"][0] == "Demand" for e in spe("zk_tripartite_crisis", **base, protege_realign=threat))
            for threat in (2, F(1, 2))
        ]
        if demands == [True, False]:
            prompted.append(base)
    assert prompted == []


# --- Selten (1978): the chain store paradox with three markets ---------------------------------


def test_chain_store_unique_spe_is_entry_and_accommodation() -> None:
    """Selten (1978) Theory and Decision 9, section 2 (induction theory): with Selten's payoffs
    (out 1/5, accommodated 2/2, fought 0/0) the unique subgame-perfect equilibrium has every
    entrant enter and the chain store accommodate at every one of its 13 decision nodes, whatever
    happened before: path In, Accommodate three times, payoffs 3*2 = 6 to the chain store and 2
    to each entrant."""
    (e,) = spe("chain_store_3")
    assert e.extra["path"] == ["In", "Accommodate"] * 3
    assert e.values == (6, 2, 2, 2)
    beh = e.extra["behaviour"]
    assert len(beh["Incumbent"]) == 13 and all(d["Accommodate"] == 1 for d in beh["Incumbent"].values())
    entrants = [d for p in ("Entrant 1", "Entrant 2", "Entrant 3") for d in beh[p].values()]
    assert len(entrants) == 13 and all(d["In"] == 1 for d in entrants)


def test_chain_store_threat_credible_once_war_beats_sharing() -> None:
    """Selten (1978): fighting is not credible because war (0) < share (2) in the last market;
    the outcome flips to no entry anywhere exactly at war = share = 2.  (``scan_thresholds``:
    ``thresholds`` finds nothing here, because ``regions`` takes this tree's untabulated reduced
    normal form for an empty game.)"""
    m = load("chain_store_3")
    (t,) = scan_thresholds(m, "war", m.values(None))
    assert t.value == 2
    assert t.after == "SPE Out -> Out -> Out"


# --- Kreps & Wilson (1982): reputation in the two-market chain store ---------------------------


def test_kreps_wilson_high_prior_deters_all_entry() -> None:
    """Kreps & Wilson (1982) JET 27, section 3: with delta = 3/5 > b = 1/2 (so above b^2 and
    b^1) the first entrant stays out (p_2 > b^2), the weak incumbent would fight it
    (p_2 >= b^(2-1)), and the second entrant, still believing delta > b, stays out: no entry.
    Every PBE the solver reports has that path; Kreps & Wilson's own profile is among them."""
    eqs = pbe("kreps_wilson_reputation", delta=F(3, 5))
    assert eqs and all({tuple(p["path"][1:]) for p in e.extra["path"]} == {("Out", "Out")} for e in eqs)
    assert any(
        act(e, "Incumbent", "inc_1", "Fight") == 1 and act(e, "Entrant 2", "entrant_2_after_fight", "Out") == 1
        for e in eqs
    )


@pytest.mark.parametrize(
    "delta,a,b",
    [
        pytest.param(F(1, 10), F(2), F(1, 2), id="defaults-delta-0.1"),
        pytest.param(F(1, 5), F(3), F(1, 2), id="a-3-delta-0.2"),
        pytest.param(F(1, 20), F(2), F(2, 5), id="b-0.4-delta-0.05"),
    ],
)
def test_kreps_wilson_mixed_sequential_equilibrium(delta: F, a: F, b: F) -> None:
    """Kreps & Wilson (1982): for delta < b^2 the first entrant enters, the weak incumbent fights
    with probability (1 - b) delta/((1 - delta) b) (which makes the posterior after a fight
    exactly b), and the last entrant, indifferent at belief b, stays out with probability 1/a
    (which makes the weak incumbent indifferent: -1 + a/a = 0).  After accommodation it enters."""
    assert delta < b**2
    (e,) = pbe("kreps_wilson_reputation", delta=delta, a=a, b=b)
    assert act(e, "Entrant 1", "entrant_1", "In") == 1
    assert act(e, "Incumbent", "inc_1", "Fight") == pytest.approx(float((1 - b) * delta / ((1 - delta) * b)))
    assert act(e, "Entrant 2", "entrant_2_after_fight", "Out") == pytest.approx(float(1 / a))
    assert act(e, "Entrant 2", "e2_weak_accommodated", "In") == 1


@pytest.mark.parametrize(
    "delta,a,b",
    [
        pytest.param(F(2, 5), F(2), F(1, 2), id="defaults-delta-2/5"),
        pytest.param(F(3, 10), F(2), F(1, 2), id="defaults-delta-3/10"),
        pytest.param(F(1, 5), F(3), F(2, 5), id="a-3-b-2/5-delta-1/5"),
    ],
)
def test_kreps_wilson_reputation_equilibrium_between_b_squared_and_b(delta: F, a: F, b: F) -> None:
    """Kreps & Wilson (1982) JET 27, section 3, the sequential equilibrium with two entrants for
    b^2 < delta < b.  By hand, with k entrants to go: entrant 1 (k = 2) has p_2 = delta > b^2,
    so it stays out.  Off the path, the Weak incumbent, with p_2 = delta < b^(2-1) = b, fights
    with probability q = (1 - b^(k-1)) p_k / ((1 - p_k) b^(k-1)) = (1 - b) delta/((1 - delta) b),
    which makes entrant 2's posterior after a fight delta/(delta + (1 - delta) q) = b (Bayes:
    (1 - delta) q = delta (1 - b)/b, so the denominator is delta/b).  At belief b entrant 2 is
    indifferent (b(b - 1) + (1 - b) b = 0) and stays out with probability s = 1/a, which makes
    the Weak incumbent indifferent (fight: -1 + a s = 0; accommodate: 0, entrant 2 then enters).
    Entrant 1 stays out because entering pays b - delta - (1 - delta) q = b - delta/b < 0 iff
    delta > b^2.  On the path entrant 2 (belief delta < b) enters, paying b - delta, and the Weak
    incumbent accommodates it.  At the defaults a = 2, b = 1/2: delta = 2/5 gives q = 2/3 and
    delta = 3/10 gives q = 3/7, with s = 1/2; a = 3, b = 2/5, delta = 1/5 (> b^2 = 4/25) gives
    q = (3/5)(1/5)/((4/5)(2/5)) = 3/8 and s = 1/3.  This is the model's only
    PBE: the point lies inside a continuum of Nash equilibria (q, s free off the path), found by
    the support-pattern search over behaviour, not at an extreme point."""
    assert b**2 < delta < b
    (e,) = pbe("kreps_wilson_reputation", delta=delta, a=a, b=b)
    q = (1 - b) * delta / ((1 - delta) * b)
    assert act(e, "Entrant 1", "entrant_1", "Out") == 1
    assert act(e, "Incumbent", "inc_1", "Fight") == float(q)
    assert act(e, "Entrant 2", "entrant_2_after_fight", "Out") == float(1 / a)
    assert act(e, "Entrant 2", "entrant_2_after_out", "In") == 1
    assert act(e, "Entrant 2", "e2_weak_accommodated", "In") == 1
    posterior = e.extra["beliefs"]["Entrant 2"]["entrant_2_after_fight"]["chance Tough, Entrant 1 In"]
    assert posterior == float(b)
    assert e.values == (0, b - delta, (1 - delta) * a)  # the Weak incumbent's a in market 1


def test_kreps_wilson_high_prior_pbe_set() -> None:
    """Kreps & Wilson (1982) for delta = 3/5 > b: besides their profile (the Weak incumbent
    fights, entrant 2 stays out after a fight, at belief delta > b), the weak PBE listed have the
    Weak incumbent accommodate, entrant 2 entering (or mixing) after the unexpected fight, held
    up by a belief on Tough of at most b = 1/2.  A sequential equilibrium forbids that belief:
    with the Weak incumbent (almost) never fighting, a fight comes from the Tough one (belief 1
    > b), so entrant 2 would stay out and the Weak incumbent would fight.  The search lists
    exactly these three, all with no entry on the path."""
    eqs = pbe("kreps_wilson_reputation", delta=F(3, 5))
    seen = {(act(e, "Incumbent", "inc_1", "Fight"), act(e, "Entrant 2", "entrant_2_after_fight", "Out")): e
            for e in eqs}
    assert len(eqs) == 3 and set(seen) == {(1, 1), (0, 0), (0, 0.5)}
    assert seen[1, 1].extra["beliefs"]["Entrant 2"]["entrant_2_after_fight"]["chance Tough, Entrant 1 In"] == 0.6
    for k in ((0, 0), (0, 0.5)):
        span = seen[k].extra["belief_ranges"]["Entrant 2"]["entrant_2_after_fight"]
        assert span["max"] <= 0.5


# --- War of attrition (Fudenberg & Tirole 1991, section 4.5.2) ---------------------------------


@pytest.mark.parametrize(
    "prize,cost",
    [
        pytest.param(F(3), F(1), id="defaults"),
        pytest.param(F(1), F(1), id="cost-equals-prize"),
        pytest.param(F(9), F(1), id="valuable-prize"),
        pytest.param(F(2), F(1, 1000), id="short-periods"),
    ],
)
def test_war_of_attrition_hazard_rate(prize: F, cost: F) -> None:
    """Fudenberg & Tirole (1991) section 4.5.2: in the stationary symmetric equilibrium each side
    quits each period with probability cost/(prize + cost), from 0 = q*prize - (1 - q)*cost.
    For short periods (cost = c*dt, dt = 1/1000, c = 1) q/dt -> c/prize = 1/2: the exponential
    quit rate of Maynard Smith (1974) and Bishop & Cannings (1978)."""
    m = load("war_of_attrition")
    res = solve(evaluate(m, {"prize": prize, "cost": cost}))
    mixed = [e for e in res.equilibria if not e.is_pure]
    (e,) = mixed
    q = cost / (prize + cost)
    assert e.profile["Side 1"]["Quit"] == pytest.approx(float(q))
    assert e.profile["Side 2"]["Quit"] == pytest.approx(float(q))
    assert e.values == (pytest.approx(0), pytest.approx(0))  # quitting is always worth 0
    assert {x.describe() for x in res.equilibria if x.is_pure} == {"pure (Quit, Stay)", "pure (Stay, Quit)"}
    if cost < 1:
        assert e.profile["Side 1"]["Quit"] * 1000 == pytest.approx(float(1 / (prize + cost)))


# --- Powell (1987, 1990): brinkmanship and resolve ---------------------------------------------
# resolve rho = (w - s)/(w - d): A (1, 0, -1) -> 1/2; B (1, 0, -3) -> 1/4.


@pytest.mark.parametrize(
    "values,path",
    [
        pytest.param({}, ["Escalate", "Survive", "Submit"], id="a-more-resolute-prevails"),
        pytest.param({"r2": F(1, 5)}, ["Submit"], id="b-step-within-its-resolve"),
        pytest.param({"r1": F(3, 5), "r2": F(3, 5)}, ["Submit"], id="first-step-above-a-resolve"),
        pytest.param({"d_B": F(-1, 2)}, ["Submit"], id="b-fears-disaster-less"),
    ],
)
def test_brinkmanship_resolve_decides(values: dict[str, Any], path: list[str]) -> None:
    """Powell (1987) APSR 81(3); (1990) ch. 2: a state escalates at a step of risk r, when the
    other would then submit, iff r <= its resolve (w - s)/(w - d).  Defaults (r = 1/4, 3/8, 5/8):
    A would not run r3 = 5/8 > 1/2, B would not run r2 = 3/8 > 1/4, so A escalates at r1 = 1/4
    <= 1/2 and B submits.  With r2 = 1/5 <= 1/4, or d_B = -1/2 (rho_B = 2/3 >= 3/8), B would
    escalate and A submits at once; with r1 = 3/5 > 1/2, A submits at once."""
    (e,) = spe("powell_brinkmanship", **values)
    paths = [p["path"] for p in e.extra["path"]] if isinstance(e.extra["path"][0], dict) else [e.extra["path"]]
    assert max(paths, key=len) == path


@pytest.mark.parametrize(
    "parameter,value",
    [
        pytest.param("r2", F(1, 4), id="b-resolve"),
        pytest.param("r3", F(1, 2), id="a-resolve"),
    ],
)
def test_brinkmanship_red_line_is_the_resolve(parameter: str, value: F) -> None:
    """Powell (1990): the risk at which a state stops escalating is its resolve (w - s)/(w - d):
    B's 1/4 for the second step, A's 1/2 for the third (exact thresholds)."""
    ts = thresholds(load("powell_brinkmanship"), parameter)
    assert [t.value for t in ts] == [value] and ts[0].exact


def test_brinkmanship_disaster_cost_red_line() -> None:
    """Powell (1990): B runs the second step's risk 3/8 iff (w_B - s_B)/(w_B - d_B) >= 3/8, i.e.
    d_B >= 1 - 8/3 = -5/3: the red line in B's disaster payoff (the next one, 0 = s_B, leaves the
    ordering w > s > d)."""
    ts = thresholds(load("powell_brinkmanship"), "d_B")
    assert ts[0].value == F(-5, 3)
