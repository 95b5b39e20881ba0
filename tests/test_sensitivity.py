"""Sensitivity: closed-form and implicit-function derivatives against finite differences."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from analysis_helpers import numeric
from typer.testing import CliRunner

from solver.analysis.sensitivity import sensitivity
from solver.cli import app
from solver.formats import load

H = Fraction(1, 10**6)


@pytest.mark.parametrize("name", ["syria_deconfliction", "chicken", "stag_hunt", "syria_triad"])
@pytest.mark.parametrize("closed", [True, False], ids=["closed-form", "implicit"])
def test_derivatives_match_finite_differences(name, closed):
    model = load(name)
    s = sensitivity(model, margins=False, closed_form=closed)
    values = dict(s.values)
    for e in s.equilibria:
        for param, d in e.derivatives.items():
            p = model.parameter(param)
            lo, hi = max(p.low, values[param] - H), min(p.high, values[param] + H)
            up = [
                x
                for x in numeric(model, {**values, param: hi}).equilibria
                if x.support() == e.support
            ]
            down = [
                x
                for x in numeric(model, {**values, param: lo}).equilibria
                if x.support() == e.support
            ]
            if len(up) != 1 or len(down) != 1:
                continue
            for i, vec in enumerate(d["probabilities"]):
                for k, v in enumerate(vec):
                    fd = (up[0].vectors[i][k] - down[0].vectors[i][k]) / (hi - lo)
                    assert abs(float(v) - float(fd)) < 1e-5, (param, i, k)
            for i, v in enumerate(d["payoffs"]):
                fd = (up[0].values[i] - down[0].values[i]) / (hi - lo)
                assert abs(float(v) - float(fd)) < 1e-5, (param, i)


def test_closed_form_equals_implicit_exactly():
    a = sensitivity(load("syria_deconfliction"), margins=False)
    b = sensitivity(load("syria_deconfliction"), margins=False, closed_form=False)
    assert [e.method for e in a.equilibria] == ["closed form"] and [
        e.method for e in b.equilibria
    ] == ["implicit function"]
    assert a.equilibria[0].derivatives == b.equilibria[0].derivatives


def test_margins_are_the_nearest_thresholds():
    s = sensitivity(load("syria_deconfliction"))
    m = s.margins["iran_cost"]
    assert (m.down, m.up, m.lower_is_threshold, m.upper_is_threshold) == (4, 8, True, True)
    m = s.margins["strike_cost"]  # no red line below 1 on [0, 10]: the range bound
    assert (m.down, m.up, m.lower_is_threshold) == (1, 2, False)


def test_tornado_chart(tmp_path):
    from solver.render.analysis_plots import plot_tornado

    path = plot_tornado(sensitivity(load("chicken")), tmp_path / "t.png")
    assert path.stat().st_size > 1000


runner = CliRunner()


def test_cli_sensitivity_json_and_plot(tmp_path):
    out = runner.invoke(
        app, ["sensitivity", "syria_deconfliction", "-f", "json", "--plot", str(tmp_path / "m.png")]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    [e] = doc["equilibria"]
    assert e["derivatives"]["iran_cost"]["probabilities"]["Russia"]["Confront"] == pytest.approx(
        1 / 12
    )
    assert e["margins"]["iran_cost"]["down"] == 4 and (tmp_path / "m.png").exists()


def test_cli_sensitivity_bad_input():
    out = runner.invoke(app, ["sensitivity", "chicken", "--set", "Q=1"])
    assert out.exit_code == 1 and out.stderr.startswith("redline:")
