"""The Fearon models and Kydd's spiral model: each test checks the SOURCE's result, derived by hand
from the paper's setting in the test's docstring, never our code against our code.

* Fearon (1995), IO 49(3): the risk-return trade-off of a take-it-or-leave-it offer under private
  information about costs (``fearon_bargaining``, continuous offer, uniform cost).
* Fearon (1994), APSR 88(3): audience costs make a public threat an informative signal
  (``fearon_audience_costs``, two-type one-round reduction).
* Fearon (1997), JCR 41(1): tying hands versus sinking costs, the separating equilibria's
  costly-signal thresholds and "leaders never bluff" (``fearon_tying_hands``, ``fearon_sinking_costs``).
* Kydd (1997), World Politics 49(3), and Kydd (2005), ch. 2 and 7: the trust threshold and
  reassurance by costly signals (``kydd_spiral_deterrence``).
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from functools import cache
from typing import Any

import pytest
import sympy as sp
from clirun import run_json

from solver.core.expr import parse, symbol
from solver.equilibria.bargaining import solve_bargaining
from solver.equilibria.trees.sequential import solve_tree
from solver.formats import load

# --- Fearon 1995: the risk-return trade-off ---------------------------------------------------


def hand_offer(p: F, c_a: F, lo: F, hi: F) -> tuple[F, F]:
    """Fearon (1995, pp. 395-396), uniform case, derived by hand.  B accepts x iff x >= p - c_B,
    so with c_B ~ U[lo, hi] an offer x is refused with probability (p - x - lo)/(hi - lo).  A
    maximises (1 - x)(hi - p + x)/(hi - lo) + (1 - p - c_A)(p - x - lo)/(hi - lo); the derivative
    is (hi - c_A - 2 (p - x))/(hi - lo) = 0 at p - x = (hi - c_A)/2: x* = p - (hi - c_A)/2 and
    P(war) = ((hi - c_A)/2 - lo)/(hi - lo) when (hi - c_A)/2 >= lo; otherwise the concave payoff
    peaks at the safe offer x = p - lo, accepted by every type."""
    cut = (hi - c_a) / 2
    if hi == lo or cut <= lo:
        return p - lo, F(0)
    return p - cut, (cut - lo) / (hi - lo)


def bargain(**values: Any) -> Any:
    return solve_bargaining(load("fearon_bargaining"), {k: str(v) for k, v in values.items()})


@pytest.mark.parametrize(
    ("p", "c_b", "offer"),
    [
        pytest.param(F(55, 100), F(1, 10), F(45, 100), id="p=0.55: offer 0.45"),
        pytest.param(F(6, 10), F(1, 10), F(1, 2), id="p=0.6: offer 0.5"),
        pytest.param(F(3, 10), F(1, 4), F(1, 20), id="p=0.3: offer 0.05"),
    ],
)
def test_complete_information_offer_is_bs_war_value_and_no_war(p: F, c_b: F, offer: F) -> None:
    """Fearon (1995, pp. 387-390): with complete information A offers exactly B's war value
    p - c_B, B accepts, and there is no war; A keeps 1 - p + c_B."""
    r = bargain(p=p, c_lo=c_b, c_hi=c_b)
    assert (r.offer, r.p_war, r.payoffs) == (offer, 0, (1 - offer, offer))


def test_closed_form_is_fearons_risk_return_trade_off() -> None:
    """The solver's closed form equals the hand derivation (:func:`hand_offer`), symbol by symbol."""
    closed = bargain().closed
    p, c_a, lo, hi = (symbol(n) for n in ("p", "c_A", "c_lo", "c_hi"))
    (x,) = closed.interior_offers
    (q,) = closed.interior_p_war
    assert sp.simplify(x - (p - (hi - c_a) / 2)) == 0
    assert sp.simplify(q - ((hi - c_a) / 2 - lo) / (hi - lo)) == 0
    assert sp.simplify(closed.safe_offer - (p - lo)) == 0
    assert sp.simplify(closed.cutoff - (p - closed.offer)) == 0  # B's indifferent cost


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({}, id="defaults"),
        pytest.param({"c_lo": 0, "c_hi": F(3, 10)}, id="U[0,0.3]"),
        pytest.param({"c_lo": F(1, 10), "c_hi": F(2, 10)}, id="safe corner"),
        pytest.param({"p": F(3, 10), "c_A": F(1, 5), "c_lo": 0, "c_hi": F(1, 2)}, id="p=0.3"),
    ],
)
def test_offer_and_war_probability_match_the_hand_derivation(values: dict[str, F]) -> None:
    m = load("fearon_bargaining")
    v = m.values({k: str(x) for k, x in values.items()})
    r = bargain(**values)
    assert (r.offer, r.p_war) == hand_offer(v["p"], v["c_A"], v["c_lo"], v["c_hi"])


def test_private_information_brings_war_with_positive_probability() -> None:
    """At the defaults (p = 0.6, c_A = 0.1, c_B ~ U[0.05, 0.25]): x* = 0.6 - 0.15/2 = 21/40 and
    P(war) = (0.075 - 0.05)/0.2 = 1/8 > 0, below the safe offer 0.55.  A's expected payoff:
    (1 - 21/40)(7/8) + 0.3/8 = 29/64; B's: (0.175 * 21/40 + int_0.05^0.075 (0.6 - c) dc)/0.2 = 337/640."""
    r = bargain()
    assert (r.offer, r.p_war, r.regime) == (F(21, 40), F(1, 8), "interior")
    assert r.offer < F(55, 100)
    assert r.payoffs == (F(29, 64), F(337, 640))


def test_war_probability_vanishes_with_the_uncertainty() -> None:
    """B's cost uniform on [k - s, k + s], k = 0.15, c_A = 0.1.  By hand: P(war) =
    ((k + s - c_A)/2 - (k - s))/(2 s) = (3 s - k - c_A)/(4 s) when s >= (k + c_A)/3 = 1/12, else 0:
    it falls with s and is exactly zero once s <= 1/12."""
    k, c_a = F(15, 100), F(1, 10)
    shown = []
    for s in (F(15, 100), F(1, 10), F(9, 100), F(1, 12), F(1, 20), F(1, 100), F(0)):
        r = bargain(c_lo=k - s, c_hi=k + s)
        expected = max(F(0), (3 * s - k - c_a) / (4 * s)) if s else F(0)
        assert r.p_war == expected
        shown.append(r.p_war)
    assert shown == sorted(shown, reverse=True) and shown[0] > 0 and shown[-4:] == [0] * 4


def test_comparative_statics_of_the_offer() -> None:
    """By hand from x* = p - (c_hi - c_A)/2, P(war) = ((c_hi - c_A)/2 - c_lo)/(c_hi - c_lo):
    the offer follows B's power one for one and P(war) does not depend on p; a costlier war for A
    (c_A up) raises the offer and lowers P(war); a wider upper tail of B's cost (c_hi up) lowers
    the offer and raises P(war) (A gambles more)."""
    base = bargain()
    stronger_b = bargain(p=F(7, 10))
    assert (stronger_b.offer - base.offer, stronger_b.p_war) == (F(1, 10), base.p_war)
    costly_a = bargain(c_A=F(15, 100))
    assert costly_a.offer > base.offer and costly_a.p_war < base.p_war
    wider = bargain(c_hi=F(35, 100))
    assert wider.offer < base.offer and wider.p_war > base.p_war
    assert (wider.offer, wider.p_war) == (F(6, 10) - F(1, 8), F(1, 4))


def test_redline_solve_json_reports_the_offer() -> None:
    doc = run_json("solve", "fearon_bargaining", "--set", "p=0.55", "--set", "c_lo=0.1", "--set", "c_hi=0.1")
    assert (doc["offer"], doc["p_war"], doc["payoffs"]) == (0.45, 0, {"A": 0.55, "B": 0.45})
    doc = run_json("solve", "fearon_bargaining")
    assert (doc["offer"], doc["p_war"], doc["exact"]["offer"]) == (0.525, 0.125, "21/40")
    p, c_a, hi = (symbol(n) for n in ("p", "c_A", "c_hi"))
    shown = parse(doc["closed_form"]["offer"], ("p", "c_A", "c_hi"))
    assert sp.simplify(shown - (p - (hi - c_a) / 2)) == 0
    json.dumps(doc)


# --- signalling trees ------------------------------------------------------------------------


@cache
def pbe(name: str, **values: str) -> tuple[Any, ...]:
    m = load(name)
    r = solve_tree(m, m.values(values), exact=True)
    return tuple(e for e in r.equilibria if e.extra["perfect_bayesian"])


def moves(e: Any, player: str, infoset: str) -> dict[str, float]:
    return {a: x for a, x in e.extra["behaviour"][player][infoset].items() if x}


def belief(e: Any, player: str, infoset: str, prefix: str) -> float:
    """The player's belief, at the information set, in the nodes whose history starts with ``prefix``."""
    return sum(x for node, x in e.extra["beliefs"][player][infoset].items() if node.startswith(prefix))


def separating(e: Any, player: str, strong: str, weak: str, signal: str) -> bool:
    """The strong type sends the signal for sure and the weak type never does."""
    return moves(e, player, strong) == {signal: 1} and signal not in moves(e, player, weak)


# Fearon 1994: audience costs ----------------------------------------------------------------


def audience_separating(e: Any) -> bool:
    return separating(e, "Challenger", "challenger_resolved", "challenger_unresolved", "Threaten")


@pytest.mark.parametrize(
    ("r", "a", "separates"),
    [
        pytest.param("1/2", "3/2", True, id="r=1/2 a=1.5 above (1-r)v/r=1"),
        pytest.param("1/2", "1", True, id="r=1/2 at the threshold"),
        pytest.param("1/2", "9/10", False, id="r=1/2 a=0.9 below"),
        pytest.param("2/3", "1/2", True, id="r=2/3 at (1-r)v/r=1/2"),
        pytest.param("2/3", "2/5", False, id="r=2/3 below"),
    ],
)
def test_audience_costs_make_the_threat_separate(r: str, a: str, separates: bool) -> None:
    """Fearon (1994): a public threat is informative only if backing down is costly.  An unresolved
    challenger's bluff earns (1 - r) v - r a (the weak defender concedes, the tough one resists and
    the bluffer backs down, a < k_U) against 0 for the status quo: the threat separates the types
    iff a >= (1 - r) v / r, and then the defender believes a threat comes from the resolved type."""
    found = [e for e in pbe("fearon_audience_costs", r=r, a=a) if audience_separating(e)]
    assert bool(found) is separates
    for e in found:
        assert belief(e, "Defender", "defender_weak_threatened", "chance Resolved") == 1
        assert moves(e, "Defender", "defender_weak_threatened") == {"Concede": 1}
        assert moves(e, "Defender", "defender_tough_threatened") == {"Resist": 1}


def test_cheap_threats_pool_and_tell_the_defender_nothing() -> None:
    """Below the threshold (a = 0.5 < 1) with q c_W = 1.5 > v = 1 (a weak defender concedes to an
    uninformative threat) both types threaten: pooling, the defender's belief is the prior q = 1/2."""
    (e,) = [e for e in pbe("fearon_audience_costs", a="1/2") if e.is_pure]
    for challenger in ("challenger_resolved", "challenger_unresolved"):
        assert moves(e, "Challenger", challenger) == {"Threaten": 1}
    assert belief(e, "Defender", "defender_weak_threatened", "chance Resolved") == F(1, 2)


# Fearon 1997: tying hands versus sinking costs ----------------------------------------------


def defender_separates(e: Any, signal: str) -> bool:
    return separating(e, "Defender", "defender_resolved", "defender_unresolved", signal)


@pytest.mark.parametrize(
    ("a", "separates"),
    [
        pytest.param("3/10", False, id="a=0.3 below (1-r)v_U/r=1/3"),
        pytest.param("1/3", True, id="a=1/3"),
        pytest.param("1/2", True, id="a=0.5"),
        pytest.param("6/5", True, id="a=1.2"),
    ],
)
def test_tying_hands_separates_iff_the_audience_cost_deters_bluffs(a: str, separates: bool) -> None:
    """Fearon (1997), two-type reduction: in the separating equilibrium the weak challenger stays
    out after a tie, so an unresolved bluffer gets (1 - r) v_U - r a (backing down when the tough
    challenger comes, a < c - p v_U = 1.5) against 0: separation iff a >= (1 - r) v_U / r = 1/3.
    The resolved type pays nothing for its signal: (1 - r) v_R + r (p v_R - c) = 13/8."""
    found = [e for e in pbe("fearon_tying_hands", a=a) if defender_separates(e, "Tie hands")]
    assert bool(found) is separates
    for e in found:
        assert e.payoffs["Defender"] == F(1, 4) * F(13, 8)  # q times the resolved type's 13/8
        assert moves(e, "Challenger", "challenger_weak_after_signal") == {"Not": 1}
        assert belief(e, "Challenger", "challenger_weak_after_signal", "chance Resolved") == 1


def test_tying_hands_never_bluffs_above_the_threshold() -> None:
    """Fearon (1997), "leaders never bluff": no equilibrium path has the unresolved type, which backs
    down if challenged (a < c - p v_U), tie its hands, for every audience cost above the threshold
    (at a = 1/3 it is indifferent and a bluff is a best reply)."""
    for a in ("2/5", "1/2", "1", "6/5"):
        found = pbe("fearon_tying_hands", a=a)
        assert found
        for e in found:
            paths = [o["path"] for o in e.extra["outcomes"] if o["probability"] > 0]
            assert not any(path[0] == "Unresolved" and "Tie hands" in path for path in paths)
    (bluff,) = [e for e in pbe("fearon_tying_hands", a="3/10") if not e.is_pure]
    assert any(o["path"][0] == "Unresolved" and "Tie hands" in o["path"] for o in bluff.extra["outcomes"])


def test_below_the_threshold_the_two_type_game_bluffs_semi_separating() -> None:
    """A two-type artefact, not Fearon's continuum result: at a = 0.3 the unresolved type ties its
    hands with probability sigma making the weak challenger indifferent after a tie, posterior
    mu = b/(b + k_W) = 1/2, sigma = q (1 - mu)/((1 - q) mu) = 1/3; the weak challenger challenges
    with s making the bluffer indifferent, r(-a) + (1 - r)(s(-a) + (1 - s) v_U) = 0: s = 1/13."""
    (e,) = [e for e in pbe("fearon_tying_hands", a="3/10") if not e.is_pure]
    assert moves(e, "Defender", "defender_unresolved")["Tie hands"] == pytest.approx(1 / 3)
    assert moves(e, "Challenger", "challenger_weak_after_signal")["Challenge"] == pytest.approx(1 / 13)
    assert belief(e, "Challenger", "challenger_weak_after_signal", "chance Resolved") == pytest.approx(1 / 2)


@pytest.mark.parametrize(
    ("m", "separates"),
    [
        pytest.param("1/5", False, id="m=0.2 below (1-r)v_U=1/4"),
        pytest.param("1/4", True, id="m=1/4"),
        pytest.param("1/2", True, id="m=0.5"),
        pytest.param("9/8", True, id="m=9/8=(1-r)((1-p)v_R+c)"),
        pytest.param("6/5", False, id="m=1.2 above"),
    ],
)
def test_sinking_costs_separate_inside_the_interval(m: str, separates: bool) -> None:
    """Fearon (1997), two-type reduction: the unresolved type does not mimic iff
    m >= (1 - r) v_U = 1/4 (its gain from deterring the weak challenger); the resolved type pays
    iff m <= (1 - r)((1 - p) v_R + c) = 9/8 (war with the weak challenger avoided).  Unlike an
    audience cost, the resolved type pays m in equilibrium: the defender's ex ante payoff is
    q (13/8 - m), q m below tying hands' q 13/8 (Fearon: leaders do better by tying hands)."""
    found = [e for e in pbe("fearon_sinking_costs", m=m) if defender_separates(e, "Sink costs")]
    assert bool(found) is separates
    for e in found:
        assert e.payoffs["Defender"] == F(1, 4) * (F(13, 8) - F(m))


# Kydd: spiral versus deterrence --------------------------------------------------------------


def state2(e: Any, after: str) -> dict[str, float]:
    return moves(e, "State 2", f"state2_after_{after}")


@pytest.mark.parametrize(
    ("pi", "trusts"),
    [
        pytest.param("3/10", False, id="pi=0.3 below 1/3: spiral"),
        pytest.param("7/20", True, id="pi=0.35 above 1/3"),
        pytest.param("1/2", True, id="pi=0.5"),
    ],
)
def test_trust_threshold_without_reassurance(pi: str, trusts: bool) -> None:
    """Kydd (2005, ch. 2): State 2 cooperates iff pi R2 + (1 - pi) S2 >= P2, i.e. pi >= (P2 - S2)/
    (R2 - S2) = 1/3.  With the gesture too dear for a security seeker (m = 3 > R_S - P_S = 2) no type
    reassures, State 2's belief is the prior, and below 1/3 even two security seekers arm: a spiral."""
    found = pbe("kydd_spiral_deterrence", pi=pi, m="3")
    assert found
    for e in found:
        assert "Reassure" not in moves(e, "State 1", "state1_ss")
        assert state2(e, "none") == ({"Cooperate": 1} if trusts else {"Arm": 1})


@pytest.mark.parametrize(
    ("m", "separates"),
    [
        pytest.param("9/10", False, id="m=0.9 below T_G-P_G-g=1"),
        pytest.param("1", True, id="m=1"),
        pytest.param("3/2", True, id="m=1.5"),
        pytest.param("2", True, id="m=2=R_S-P_S"),
        pytest.param("21/10", False, id="m=2.1 above"),
    ],
)
def test_security_seekers_reassure_with_a_costly_gesture(m: str, separates: bool) -> None:
    """Kydd (1997; 2005, ch. 7): a gesture reassures, only security seekers making it, iff a greedy
    state will not pay it (m + g >= T_G - P_G) and a security seeker will (m <= R_S - P_S):
    1 <= m <= 2.  Then State 2 cooperates after the gesture (belief 1 in a security seeker) and arms
    otherwise (deterrence of the greedy type), although pi = 1/4 is below the trust threshold 1/3."""
    found = [
        e
        for e in pbe("kydd_spiral_deterrence", m=m)
        if separating(e, "State 1", "state1_ss", "state1_greedy", "Reassure")
    ]
    assert bool(found) is separates
    for e in found:
        assert (state2(e, "reassure"), state2(e, "none")) == ({"Cooperate": 1}, {"Arm": 1})
        assert belief(e, "State 2", "state2_after_reassure", "chance Security seeker") == 1
