"""``kind = "bargaining"``: a take-it-or-leave-it offer as a continuous choice against a responder
with one-dimensional private information (reader, closed-form solver, ``redline solve``, and a
one-line refusal from every other command).  Fearon's own results are in test_library_fearon.py."""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
import sympy as sp
from clirun import cli_outcome, run, run_json
from hostile import assert_one_line_error

from solver.core.errors import ModelError, ParameterError
from solver.core.expr import symbol
from solver.equilibria.bargaining import solve_bargaining
from solver.formats import load

POWER = '''
[model]
name = "power_uncertain"
kind = "bargaining"
title = "B's strength is private"
source = "Fearon (1995), IO 49(3), uncertainty about relative power"
description = "B wins a war with probability w, known to B only; A believes w uniform on [lo, hi]."

[parameters]
lo = { value = 0.2, range = [0, 1], unit = "probability", doc = "lowest chance B may have" }
hi = { value = 0.8, range = [0, 1], unit = "probability", doc = "highest chance B may have" }
c_A = { value = 0.1, range = [0, 1], unit = "share", doc = "A's cost of war" }
c_B = { value = 0.1, range = [0, 1], unit = "share", doc = "B's cost of war" }

[bargaining]
proposer = "A"
responder = "B"
offer = { name = "x", low = "0", high = "1", doc = "B's share" }
type = { name = "w", low = "lo", high = "hi", doc = "B's chance of winning" }
accept = { A = "1 - x", B = "x" }
war = { A = "1 - w - c_A", B = "w - c_B" }
'''


def write(tmp_path: Path, text: str, name: str = "m.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_uncertainty_about_power_mirrors_the_cutoff(tmp_path: Path) -> None:
    """B of strength w accepts x iff x >= w - c_B, so the *strong* types (w > x + c_B) fight.  By
    hand: EU_A(x) = [(1 - x)(x + c_B - lo) + int_{x + c_B}^{hi} (1 - w - c_A) dw]/(hi - lo), whose
    derivative (lo + c_A - x)/(hi - lo) vanishes at x* = lo + c_A; P(war) = (hi - lo - c_A - c_B)/
    (hi - lo) when c_A + c_B <= hi - lo, else the safe offer x = hi - c_B."""
    m = load(str(write(tmp_path, POWER)))
    r = solve_bargaining(m)
    assert (r.offer, r.p_war, r.regime) == (F(3, 10), F(2, 3), "interior")
    assert not r.closed.accepts_above
    lo, c_a = symbol("lo"), symbol("c_A")
    assert sp.simplify(r.closed.interior_offers[0] - (lo + c_a)) == 0
    r = solve_bargaining(m, {"c_A": "0.4", "c_B": "0.3"})
    assert (r.offer, r.p_war, r.regime) == (F(1, 2), 0, "safe")


def test_offers_confined_below_the_war_value_bring_war(tmp_path: Path) -> None:
    """Complete information (lo = hi = 0.5) and offers at most 0.3 < 0.5 - 0.1: every offer is
    refused, war for sure; A's payoff is its war value 1 - 0.5 - 0.1."""
    text = POWER.replace('offer = { name = "x", low = "0", high = "1"', 'offer = { name = "x", low = "0", high = "0.3"')
    m = load(str(write(tmp_path, text)))
    r = solve_bargaining(m, {"lo": "0.5", "hi": "0.5"})
    assert (r.p_war, r.regime, r.payoffs) == (1, "war", (F(2, 5), F(2, 5)))


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        pytest.param('kind = "bargaining"', 'kind = "haggling"', "unknown", id="kind"),
        pytest.param('proposer = "A"', 'proposer = "A"\nrounds = 3', "bargaining.rounds", id="unknown key"),
        pytest.param('name = "w"', 'name = "lo"', "already a parameter", id="type named as a parameter"),
        pytest.param('B = "w - c_B"', 'B = "w*w - c_B"', "linear", id="gain not linear in the type"),
        pytest.param('A = "1 - x"', 'A = "__import__(1)"', "bargaining.accept.A", id="no eval"),
        pytest.param('B = "x" }', 'C = "x" }', "bargaining.accept", id="payoffs by player"),
        pytest.param('low = "lo"', 'low = "lo", distribution = "normal"', "distribution", id="distribution"),
    ],
)
def test_bad_models_are_one_line_errors(tmp_path: Path, old: str, new: str, needle: str) -> None:
    assert old in POWER
    path = write(tmp_path, POWER.replace(old, new, 1))
    with pytest.raises(ModelError) as err:
        solve_bargaining(load(str(path)))
    assert needle in str(err.value) and str(path) in str(err.value)
    o = cli_outcome(tmp_path, "solve", path.name)
    assert_one_line_error(o, needle)


def test_bounds_out_of_order_are_refused() -> None:
    with pytest.raises(ParameterError, match="low end is above its high end"):
        solve_bargaining(load("fearon_bargaining"), {"c_lo": "0.3", "c_hi": "0.2"})


def test_solve_prints_the_offer_and_the_closed_form() -> None:
    out = run("solve", "fearon_bargaining", "--exact")
    assert out.exit_code == 0, out.stderr
    assert "x* = 21/40" in out.stdout and "P(war)          1/8" in out.stdout
    assert "A 29/64, B 337/640" in out.stdout
    doc = run_json("solve", "fearon_bargaining", "--set", "c_hi=0.1")
    assert (doc["offer"], doc["p_war"], doc["regime"]) == (0.55, 0, "safe")
    assert set(doc["closed_form"]) >= {"offer", "p_war", "holds_if", "safe_offer", "indifferent_type"}


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("show",), id="show"),
        pytest.param(("sweep",), id="sweep"),
        pytest.param(("thresholds", "--vary", "p"), id="thresholds"),
        pytest.param(("regions",), id="regions"),
        pytest.param(("sensitivity",), id="sensitivity"),
        pytest.param(("uncertainty",), id="uncertainty"),
        pytest.param(("explain",), id="explain"),
        pytest.param(("report", "--out", "r.html"), id="report"),
        pytest.param(("explore",), id="explore"),
        pytest.param(("credibility",), id="credibility"),
        pytest.param(("repeated", "--target", "offer x, Accept"), id="repeated"),
        pytest.param(("unravel", "--target", "offer x, Accept", "--delta", "0.9"), id="unravel"),
    ],
)
def test_other_commands_refuse_the_kind_in_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    command, *rest = args
    o = cli_outcome(tmp_path, command, "fearon_bargaining", *rest)
    assert_one_line_error(o, 'kind "bargaining"', "redline solve")
    assert not any(tmp_path.iterdir())  # nothing half-written


def test_solve_refuses_strategic_form_methods(tmp_path: Path) -> None:
    o = cli_outcome(tmp_path, "solve", "fearon_bargaining", "--method", "pure")
    assert_one_line_error(o, "closed form", code=2)
