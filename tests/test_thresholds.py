"""Thresholds: exact red lines that separate the exact numeric solves 1e-10 either side of them."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp
from analysis_helpers import numeric
from typer.testing import CliRunner

from solver.analysis.thresholds import thresholds
from solver.cli import app
from solver.formats import load

#: the exact solves just either side of a red line are this close to it
EPSILON = Fraction(1, 10**10)


def rational_near(value):
    """A rational within 1e-40 of an exact sympy number (the number itself when rational)."""
    value = sp.nsimplify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return Fraction(str(sp.N(value, 50)))


def test_deconfliction_iran_cost_exact():
    ts = thresholds(load("syria_deconfliction"), "iran_cost")
    assert [t.value for t in ts] == [2, 14]
    assert ts[0].before == "pure (Tolerate, Acquiesce)" and ts[1].after == "pure (Strike, Confront)"
    assert all(t.degenerate for t in ts)  # at the red line itself: a continuum, reported


def test_triad_entrench_cost_exact():
    ts = thresholds(load("syria_triad"), "entrench_cost")
    assert [t.value for t in ts] == [sp.Rational(28, 5), sp.Rational(94, 15), 8]


CASES = [
    ("syria_deconfliction", p)
    for p in ("iran_cost", "strike_eff", "conflict_cost_russia", "tech_value")
]
CASES += [
    ("chicken", "T"),
    ("stag_hunt", "S"),
    ("syria_triad", "base_value"),
    ("syria_triad", "conflict_cost_russia"),
]


@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_thresholds_separate_the_exact_solves(name, param):
    """Each red line separates its two equilibrium sets in the exact numeric solver: the solves a
    quarter-gap and 1e-10 either side of it give ``before`` and ``after``."""
    model = load(name)
    ts = thresholds(model, param)
    assert ts, "expected at least one red line on the range"
    p = model.parameter(param)
    edges = [p.low, *[rational_near(t.value) for t in ts], p.high]
    for k, t in enumerate(ts):
        h = min(edges[k + 1] - edges[k], edges[k + 2] - edges[k + 1]) / 4
        for d in (h, EPSILON):
            assert numeric(model, {param: edges[k + 1] - d}).signature() == t.before
            assert numeric(model, {param: edges[k + 1] + d}).signature() == t.after


def test_no_threshold_when_nothing_changes():
    assert thresholds(load("syria_triad"), "russian_cover") == []


runner = CliRunner()


def test_cli_thresholds_json_contract():
    out = runner.invoke(app, ["thresholds", "syria_triad", "--vary", "entrench_cost", "-f", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["parameter"] == "entrench_cost"
    assert [t["exact"] for t in doc["thresholds"]] == ["28/5", "94/15", "8"]
    assert all({"value", "exact", "before", "after"} <= set(t) for t in doc["thresholds"])


@pytest.mark.parametrize(
    "args",
    [["--vary", "nope"], ["--vary", "T", "--set", "T=2"]],
    ids=["unknown", "fixed-and-varied"],
)
def test_cli_thresholds_bad_input(args):
    out = runner.invoke(app, ["thresholds", "chicken", *args])
    assert (
        out.exit_code == 1 and "Traceback" not in out.output and out.stderr.startswith("redline:")
    )


@pytest.mark.parametrize(
    ("model", "parameter"),
    [("syria_deconfliction", "iran_cost"), ("syria_deconfliction", "assad_stake"), ("syria_triad", "entrench_cost"),
     ("syria_triad", "conflict_cost_russia"), ("chicken", "T"), ("stag_hunt", "P")],
    ids=lambda v: str(v),
)
def test_thresholds_agree_with_sweep_boundaries(model, parameter):
    """The exact red lines equal the sweep engine's refined boundaries to 1e-9."""
    import numpy as np

    from solver.sweep import sweep

    m = load(model)
    p = m.parameter(parameter)
    # an irregular grid so that no grid point sits exactly on a threshold
    grid = np.linspace(float(p.low), float(p.high), 97) + 1e-3 * np.sqrt(2)
    grid = grid[(grid >= float(p.low)) & (grid <= float(p.high))]
    exact = sorted(float(t.value) for t in thresholds(m, parameter))
    found = sorted(b.value for b in sweep(m, {parameter: grid}).boundaries)
    inside = [t for t in exact if grid.min() < t < grid.max()]
    assert len(found) == len(inside)
    for t, b in zip(inside, found, strict=True):
        assert abs(t - b) <= 1e-9


#: scanned (tree) thresholds with a tie at the red line or at a range end: (model, parameter,
#: the red lines by hand from the model's description)
TIE_CASES = [
    # after Entrench, facing a confronting Russia, Israel tolerates iff deal_value - c >
    # deal_value - (1 - e)c - s - K_I, i.e. 2 - c > -7 - c/2: c < 18
    ("syria_sequential", "iran_cost", [18.0]),
    # Russia confronts a striker iff assad_stake > tech_value + conflict_cost_russia: tech_value < 5
    ("syria_sequential", "tech_value", [5.0]),
]


@pytest.mark.parametrize(("name", "param", "expected"), TIE_CASES, ids=[f"{n}-{p}" for n, p, _ in TIE_CASES])
def test_a_tie_at_a_scanned_red_line_is_one_threshold(name, param, expected):
    """At a tree's red line two choices tie and both sides' equilibria hold (on a band as wide as
    the solver's tie tolerance): one threshold whose ``at`` is that union, none at the range's ends."""
    found = list(thresholds(load(name), param))
    assert [round(t.decimal, 9) for t in found] == expected
    for t in found:
        assert set(t.before.split(" + ")) | set(t.after.split(" + ")) <= set(t.at.split(" + "))
        assert t.before != t.after


def test_tree_threshold_only_where_the_credible_answer_changes() -> None:
    """Zagare & Kilgour's rudimentary asymmetric deterrence game: the Challenger defects iff
    p < (a_DC - a_SQ) / (a_DC - a_DD) = (3 - 2) / (3 - 0) = 1/3.  At p = 2/3 only non-credible
    Nash equilibria change (the PBE is the same below, at and above): no red line there."""
    found = thresholds(load("zagare_kilgour_deterrence"), "p")
    assert [str(t.value) for t in found] == ["1/3"]
