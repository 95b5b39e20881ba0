"""Closed-form regions: published formulas, and agreement with the numeric solver on every model."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
import sympy as sp
from analysis_helpers import numeric, random_point
from library import GAME_MODELS
from typer.testing import CliRunner

from solver.analysis.regions import ClosedFormError, regions
from solver.cli import app
from solver.core.expr import symbol
from solver.formats import load

T, R, S, P = (symbol(k) for k in "TRSP")


def mixed(r):
    [e] = [e for e in r.equilibria if not e.is_pure]
    return e


def test_chicken_mixed_closed_form():
    e = mixed(regions(load("chicken"), free=["T", "R", "S", "P"]))
    straight = e.strategies[0][1]
    assert sp.simplify(straight - (T - R) / ((T - R) + (S - P))) == 0
    assert sp.simplify(e.strategies[1][1] - straight) == 0
    # it exists exactly in the chicken class T > R, S > P (and in its mirror T < R, S < P)
    assert e.holds({"T": 4, "R": 3, "S": 1, "P": 0})
    assert not e.holds({"T": 4, "R": 3, "S": 0, "P": 1})


def test_stag_hunt_belief_threshold_and_risk_dominance():
    r = regions(load("stag_hunt"), free=["R", "T", "P", "S"])
    q = mixed(r).strategies[1][0]  # the column's Pr(Stag) that makes the row indifferent
    assert sp.simplify(q - (P - S) / ((R - T) + (P - S))) == 0
    # Stag is a best response iff the belief is at least q
    belief = sp.Symbol("b")
    gain = belief * R + (1 - belief) * S - (belief * T + (1 - belief) * P)
    assert sp.simplify(sp.solve(gain, belief)[0] - q) == 0
    rng = random.Random(3)
    for _ in range(50):  # (Hare, Hare) risk-dominant (q > 1/2) iff P - S > R - T
        s, p, t, rr = sorted(rng.sample(range(-10, 11), 4))
        vals = {R: rr, T: t, P: p, S: s}
        assert (q.subs(vals) > sp.Rational(1, 2)) == (p - s > rr - t)


def test_deconfliction_iran_cost():
    r = regions(load("syria_deconfliction"), free=["iran_cost"])
    got = {e.describe(r.model): e.region for e in r.equilibria}
    assert got == {
        "pure (Tolerate, Acquiesce)": sp.Interval(0, 2),
        "pure (Strike, Confront)": sp.Interval(14, 20),
        "mixed (full support)": sp.Interval.open(2, 14),
    }
    e = next(e for e in r.equilibria if not e.is_pure)
    c = symbol("iran_cost")
    assert sp.simplify(e.strategies[1][1] - (c / 2 - 1) / 6) == 0
    assert [str(x) for x in e.conditions] == ["iran_cost > 2", "iran_cost < 14"]


# zk_tripartite_crisis: where Israel keeps the status quo, every mix of the others' unreached moves
# is an equilibrium; the exact solve lists that set's mixed corners, the closed forms its pure ones
CASES = [(name, None) for name in GAME_MODELS if name != "zk_tripartite_crisis"]
CASES += [(name, "each") for name in ("chicken", "syria_deconfliction", "syria_triad")]


@pytest.mark.parametrize(("name", "free"), CASES, ids=[f"{n}-{f or 'default'}" for n, f in CASES])
def test_regions_agree_with_numeric_solve(name, free):
    model = load(name)
    rng = random.Random(hash(name) % 1000)
    sets = [None] if free is None else [[p] for p in model.parameter_names[:4]]
    for names in sets:
        try:
            r = regions(model, names, strict=True)
        except ClosedFormError as exc:  # too large: says so and names the numeric alternative
            assert "too large" in str(exc) and "--fallback" in str(exc)
            return
        assert r.complete
        for _ in range(8 if free is None else 3):
            point = random_point(model, list(r.free), rng)
            res = numeric(model, {**r.fixed, **point})
            assert r.signature(point) == res.signature(), point
            for eq in res.equilibria:  # same numbers, exactly
                [b] = [b for b in r.at(point) if b.support == eq.support()]
                strategies, payoffs = b.at(point)
                assert [[Fraction(str(v)) for v in vec] for vec in strategies] == [
                    list(v) for v in eq.vectors
                ]
                assert [Fraction(str(v)) for v in payoffs] == list(eq.values)


def test_every_region_is_sampled_inside():
    """Points inside each reported region (one free parameter) carry exactly the reported equilibria."""
    model = load("syria_deconfliction")
    for name in model.parameter_names:
        r = regions(model, [name])
        for e in r.equilibria:
            inner = e.region if isinstance(e.region, sp.Interval) else None
            if inner is None or inner.measure == 0:
                continue
            x = inner.start + (inner.end - inner.start) / 3
            res = numeric(model, {**r.fixed, name: Fraction(str(x))})
            assert e.describe(model) in res.signature().split(" + ")


def test_degenerate_threshold_reports_instead_of_failing():
    r = regions(load("chicken"), free=[], fixed={"T": 3})  # T = R: a tie
    assert any(e.degenerate for e in r.equilibria)


def test_timeout_is_reported_not_hung():
    model = load("syria_triad")
    free = ["iran_cost", "strike_eff", "strike_cost", "base_value", "entrench_cost"]
    with pytest.raises(ClosedFormError, match="no closed form"):
        regions(model, free, timeout_per_support=0.01, strict=True)
    r = regions(model, free, timeout_per_support=0.01)
    assert not r.complete and r.numeric and abs(sum(f for _, f, _ in r.numeric) - 1) < 1e-9


runner = CliRunner()


def test_cli_regions_json_contract():
    out = runner.invoke(
        app, ["regions", "syria_deconfliction", "--free", "iran_cost", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    for e in doc["equilibria"]:
        assert set(e["profile"]) == {"Israel", "Russia"} and set(e["payoffs"]) == {
            "Israel",
            "Russia",
        }
        assert all(isinstance(c, str) for c in e["conditions"])
    assert any(e["conditions"] == ["iran_cost > 2", "iran_cost < 14"] for e in doc["equilibria"])


def test_cli_regions_latex_and_table():
    out = runner.invoke(app, ["regions", "chicken", "--free", "T,P", "--format", "latex"])
    assert out.exit_code == 0 and "\\frac" in out.stdout
    out = runner.invoke(app, ["regions", "stag_hunt", "--set", "R=5"])
    assert out.exit_code == 0 and "exists when" in out.stdout


@pytest.mark.parametrize(
    "args",
    [["--free", "nope"], ["--free", "T", "--set", "T=3"], ["--free", "T,T"], ["--set", "T=99"]],
    ids=["unknown", "fixed-and-freed", "twice", "out-of-range"],
)
def test_cli_regions_bad_input(args):
    out = runner.invoke(app, ["regions", "chicken", *args])
    assert out.exit_code == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.output
