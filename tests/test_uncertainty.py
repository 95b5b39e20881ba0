"""Monte Carlo over the assumptions: the batched engine against a per-point reference, the intervals."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from conftest import exact_reference
from typer.testing import CliRunner

from solver.analysis.uncertainty import sample_parameters, uncertainty, wilson
from solver.cli import app
from solver.core.symbolic import Model, Parameter
from solver.formats import load
from solver.sweep.engine import solve_batch


@dataclass
class PointBatch:
    """Reference for the engine: every point solved exactly, one by one."""

    model: Model
    codes: npt.NDArray[np.int64]
    labels: list[str]
    outcomes: npt.NDArray[np.float64]

    def outcome_probabilities(self) -> npt.NDArray[np.float64]:
        return self.outcomes


def solve_points(model: Model, columns: Mapping[str, npt.NDArray[Any]]) -> PointBatch:
    """Solve each point exactly, by a solver that is not a batched kernel (``exact_reference``)."""
    from solver.core.symbolic import evaluate

    n = len(next(iter(columns.values()))) if columns else 1
    labels: list[str] = []
    index: dict[str, int] = {}
    codes = np.zeros(n, dtype=np.int64)
    outcomes = np.zeros((n, *model.shape))
    for k in range(n):
        point = {name: float(columns[name][k]) for name in model.parameter_names}
        res = exact_reference(evaluate(model, point))
        sig = res.signature()
        codes[k] = index.setdefault(sig, len(index))
        if codes[k] == len(labels):
            labels.append(sig)
        for e in res.equilibria:
            dist = np.asarray(e.vectors[0], dtype=float)
            for v in e.vectors[1:]:
                dist = np.multiply.outer(dist, np.asarray(v, dtype=float))
            outcomes[k] += dist / max(1, len(res.equilibria))
    return PointBatch(model, codes, labels, outcomes)



def test_wilson_known_values():
    assert wilson(0, 10)[0] == 0.0
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)


@pytest.mark.parametrize("name", ["chicken", "syria_deconfliction", "syria_triad"])
def test_batched_engine_agrees_with_per_point_reference(name):
    model = load(name)
    cols, _ = sample_parameters(model, 60, seed=7)
    batched, slow = solve_batch(model, cols), solve_points(model, cols)
    assert [batched.labels[c] for c in batched.codes] == [slow.labels[c] for c in slow.codes]
    np.testing.assert_allclose(
        batched.outcome_probabilities(), slow.outcome_probabilities(), atol=1e-9
    )


def test_probabilities_and_reproducibility():
    a = uncertainty(load("syria_deconfliction"), samples=5000, seed=3)
    b = uncertainty(load("syria_deconfliction"), samples=5000, seed=3)
    assert [(e.label, e.p) for e in a.signatures] == [(e.label, e.p) for e in b.signatures]
    assert sum(e.p for e in a.signatures) == pytest.approx(1.0)
    assert sum(e.p for e in a.outcomes) == pytest.approx(1.0)
    assert all(e.low <= e.p <= e.high for e in a.signatures + a.outcomes)


def test_fixed_parameter_gives_the_point_answer():
    model = load("syria_deconfliction")
    u = uncertainty(
        model, samples=200, seed=0, fixed={k: str(v) for k, v in model.values().items()}
    )
    assert [e.label for e in u.signatures] == ["mixed (full support)"]
    top = {e.label: e.p for e in u.outcomes}
    assert top["Strike, Confront"] == pytest.approx(1 / 5) and top[
        "Tolerate, Acquiesce"
    ] == pytest.approx(4 / 15)


def test_distributions():
    from fractions import Fraction as F

    from solver.analysis.uncertainty import draw_parameter

    rng = np.random.default_rng(0)
    tri = Parameter("x", F(2), F(0), F(10), "d", distribution={"kind": "triangular", "mode": 2})
    x, _ = draw_parameter(tri, 20000, rng, "m")
    assert x.min() >= 0 and x.max() <= 10 and x.mean() == pytest.approx(4, abs=0.1)
    nor = Parameter(
        "y", F(5), F(0), F(10), "d", distribution={"kind": "normal", "mean": 9, "sd": 2}
    )
    y, _ = draw_parameter(nor, 20000, rng, "m")
    assert y.min() >= 0 and y.max() <= 10 and 7 < y.mean() < 9


runner = CliRunner()


def test_cli_uncertainty_json():
    out = runner.invoke(
        app, ["uncertainty", "syria_triad", "--samples", "2000", "--seed", "1", "-f", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["samples"] == 2000 and doc["signatures"] and doc["outcomes"]
    assert runner.invoke(app, ["uncertainty", "chicken", "--samples", "0"]).exit_code == 1


def test_a_model_without_parameters_is_one_game_counted_for_every_draw():
    """Battle of the sexes has no parameters: every draw is the same game, its equilibrium set has
    share 1, and with the three equilibria weighted equally the outcome odds are, by hand,
    P(Opera, Opera) = (1 + 0 + 2/9) / 3 = 11/27 and P(Opera, Football) = (4/9) / 3 = 4/27."""
    from pathlib import Path

    model = load(str(Path(__file__).parent / "data" / "bos_outcomes.nfg"))
    assert not model.parameters
    res = uncertainty(model, samples=50, seed=1)
    assert [e.p for e in res.signatures] == [1.0]
    odds = {o.label: o.p for o in res.outcomes}
    assert abs(odds["Opera, Opera"] - 11 / 27) < 1e-12
    assert abs(odds["Opera, Football"] - 4 / 27) < 1e-12
