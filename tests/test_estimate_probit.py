"""Signorino's strategic probit (``redline estimate --link probit``) and the backward-induction
agent QRE it rests on (:mod:`solver.equilibria.qre.probit_tree`): logit by backward induction
equals the traced agent QRE on perfect-information trees, probit probabilities equal the normal
CDF derived by hand, lambda and a parameter (also a linear function of a covariate) recovered
from probit-simulated plays, the JSON carries the link, and what the probit does not cover
(strategic-form models, imperfect information) is refused in one line; at nodes with three or
more actions the multinomial probit's quadrature equals scipy's multivariate normal CDF.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from clirun import cli_outcome, run, run_json
from hostile import assert_one_line_error
from scipy.stats import multivariate_normal, norm

from solver.analysis.estimate import EstimationResult, estimate
from solver.analysis.estimate_sim import outcome_probabilities, simulate
from solver.core.tolerances import QRE_RESIDUAL
from solver.core.tree_value import Infoset, Node, Tree
from solver.equilibria.qre.branch import qre_at
from solver.equilibria.qre.probit_tree import leaf_payoffs, log_behaviour, plan
from solver.formats import load
from solver.formats.choices import choices_csv, parse_choices


def _tree(name: str, values: dict[str, float] | None = None) -> Tree:
    model = load(name)
    return model.tree.at(model.values(values or {}), exact=False)


def _labels(name: str) -> dict[str, tuple[str, ...]]:
    model = load(name)
    sets = model.tree.infosets
    return {
        p: tuple(dict.fromkeys(a for h in sets if h.player == i for a in h.actions))
        for i, p in enumerate(model.players)
    }


#: scipy's multivariate normal CDF (Genz's quasi-Monte Carlo for 3+ dimensions) is accurate to
#: about 1e-5 by default; the quadrature is far more accurate than that
ORTHANT = 1e-5

AGREE = [
    pytest.param(name, lam, id=f"{name}-lambda={lam}")
    for name in ("entry_deterrence", "syria_sequential", "powell_brinkmanship")
    for lam in (0.2, 1.0, 5.0)
]


@pytest.mark.parametrize(("name", "lam"), AGREE)
def test_backward_induction_logit_equals_the_traced_agent_qre(name: str, lam: float) -> None:
    """On a perfect-information tree the agent QRE has no fixed point to find: the logit choice
    at each node given the continuation values below it.  Backward induction and the
    predictor-corrector tracer (``qre_at``) agree within QRE_RESIDUAL (1e-9), action by action
    (powell_brinkmanship has chance moves)."""
    tree = _tree(name)
    traced = np.concatenate(qre_at(tree, lam).points[0].vectors)
    backward = np.exp(log_behaviour(plan(tree, "logit"), leaf_payoffs(tree), lam))
    assert np.max(np.abs(traced - backward)) <= QRE_RESIDUAL


def _phi(x: float) -> float:
    return float(norm.cdf(x))


HAND = [
    pytest.param(lam, out, war, id=f"lambda={lam}-out={out}-war={war}")
    for lam, out, war in ((0.5, 1.0, 0.0), (1.0, 1.0, 0.0), (3.0, 1.5, -1.0), (1.0, 3.0, 1.0))
]


@pytest.mark.parametrize(("lam", "out", "war"), HAND)
def test_probit_probabilities_equal_the_normal_cdf_by_hand(lam: float, out: float, war: float) -> None:
    """entry_deterrence, a two-stage tree: the Entrant chooses Out (payoffs ``entrant_out``, 5)
    or In; after In the Incumbent chooses Fight (``entrant_war``, ``incumbent_war``) or
    Accommodate (2, 2).  With independent N(0, 1/lambda^2) errors on each action's utility the
    difference of two errors is N(0, 2/lambda^2), so

    * P(Fight) = Phi(lambda (war - 2) / sqrt 2);
    * the Entrant's continuation value of In: V = P(Fight) * 0 + (1 - P(Fight)) * 2;
    * P(Out) = Phi(lambda (out - V) / sqrt 2).

    The plan's probabilities (Entrant Out, In; Incumbent Fight, Accommodate) equal these, and
    the outcome probabilities ``simulate`` draws from are their products."""
    values = {"entrant_out": out, "incumbent_war": war}
    tree = _tree("entry_deterrence", values)
    fight = _phi(lam * (war - 2.0) / math.sqrt(2))
    v_in = 2.0 * (1 - fight)
    stay_out = _phi(lam * (out - v_in) / math.sqrt(2))
    got = np.exp(log_behaviour(plan(tree, "probit"), leaf_payoffs(tree), lam))
    want = [stay_out, 1 - stay_out, fight, 1 - fight]
    assert np.max(np.abs(got - want)) <= QRE_RESIDUAL
    _, p = outcome_probabilities(load("entry_deterrence"), lam, values, link="probit")
    leaves = [stay_out, (1 - stay_out) * fight, (1 - stay_out) * (1 - fight)]
    assert np.max(np.abs(p - leaves)) <= QRE_RESIDUAL


TRUTH = (("lambda", 0.5), ("iran_cost", 8.0))


@cache
def _probit_fit(n: int, seed: int) -> tuple[EstimationResult, str]:
    """syria_sequential: ``n`` plays simulated from the strategic probit at TRUTH, fitted with
    the probit; (the result, the CSV)."""
    model = load("syria_sequential")
    columns, rows = simulate(model, TRUTH[0][1], n, dict(TRUTH[1:]), seed=seed, link="probit")
    text = choices_csv(columns, rows)
    data = parse_choices(text, "sim.csv", _labels("syria_sequential"), sequences=True)
    return estimate(model, data, "lambda,iran_cost", link="probit"), text


def test_probit_recovers_lambda_and_iran_cost() -> None:
    """n = 2000 plays of syria_sequential from the strategic probit (lambda 0.5, iran_cost 8):
    both estimates within 3 standard errors, converged, the LR test rejecting lambda = 0, and the
    method line naming the probit."""
    r, _ = _probit_fit(2000, 3)
    assert r.converged and r.link == "probit" and "probit" in r.method
    for name, true in TRUTH:
        se = r.se(name)
        assert se is not None and abs(r.value(name) - true) <= 3 * se, (name, r.value(name), se)
    assert r.lr_test is not None and r.lr_test[2] < 0.01


def test_probit_with_chance_moves() -> None:
    """powell_brinkmanship (chance ends the crisis in disaster after each escalation): 2000 plays
    from the strategic probit at lambda 1, chance's moves in their column; the probit fit
    recovers lambda within 3 standard errors (chance's moves are averaged in the continuation
    values, outside Signorino's models)."""
    model = load("powell_brinkmanship")
    columns, rows = simulate(model, 1.0, 2000, seed=5, link="probit")
    chance = tuple(dict.fromkeys(a for h in model.tree.infosets if h.player < 0 for a in h.actions))
    labels = {p: a for p, a in _labels("powell_brinkmanship").items() if p in model.players}
    data = parse_choices(choices_csv(columns, rows), "p.csv", labels, chance=chance, sequences=True)
    r = estimate(model, data, "lambda", link="probit")
    se = r.se("lambda")
    assert r.converged and se is not None and abs(r.value("lambda") - 1.0) <= 3 * se, (r.value("lambda"), se)


def test_probit_with_a_covariate() -> None:
    """Signorino's setting: each observation's game has its own payoffs.  iran_cost = 4 + 2x for
    x = 0..3 (500 plays each, strategic probit at lambda 0.5): ``lambda,iran_cost~1+x`` with the
    probit recovers lambda, the intercept and the slope within 3 standard errors."""
    model = load("syria_sequential")
    lines = ["Iran,Israel,Russia,count,x"]
    for x in range(4):
        _, rows = simulate(model, 0.5, 500, {"iran_cost": 4.0 + 2.0 * x}, seed=10 + x, link="probit")
        lines += [f"{','.join(labels)},{count},{x}" for labels, count in rows if count]
    data = parse_choices(
        "\n".join(lines) + "\n", "cov.csv", _labels("syria_sequential"), covariates=("x",), sequences=True
    )
    r = estimate(model, data, "lambda,iran_cost~1+x", link="probit")
    truth = {"lambda": 0.5, "iran_cost:(Intercept)": 4.0, "iran_cost:x": 2.0}
    assert r.converged and [e.name for e in r.estimates] == list(truth)
    for key, true in truth.items():
        se = r.se(key)
        assert se is not None and abs(r.value(key) - true) <= 3 * se, (key, r.value(key), se)


def test_cli_json_carries_the_link(tmp_path: Path) -> None:
    """``--link probit --format json`` reports what ``estimate(link="probit")`` finds, with
    ``link: probit``; the table's title says so; the default is the logit (``link: logit``), a
    different fit of the same data."""
    r, text = _probit_fit(2000, 3)
    path = tmp_path / "p.csv"
    path.write_text(text)
    args = ("estimate", "syria_sequential", "--data", str(path), "--free", "lambda,iran_cost")
    doc = run_json(*args, "--link", "probit")
    assert doc["link"] == "probit" and doc["n"] == 2000
    for e in r.estimates:
        assert doc["estimates"][e.name]["value"] == pytest.approx(e.value, rel=1e-6)
    assert doc["loglik"] == pytest.approx(r.loglik, rel=1e-9)
    table = run(*args, "--link", "probit")
    assert table.exit_code == 0 and table.stdout.startswith("Strategic probit maximum-likelihood estimates")
    logit = run_json(*args)
    assert logit["link"] == "logit" and logit["loglik"] < doc["loglik"]


def _one_node(payoffs: tuple[float, ...]) -> Tree:
    """One player choosing among ``len(payoffs)`` actions, each ending the game."""
    k = len(payoffs)
    leaves = tuple(Node(f"z{a}", -2, payoffs=(v,)) for a, v in enumerate(payoffs))
    return Tree(("A",), (Node("a", 0, 0, tuple(range(1, k + 1))), *leaves), (Infoset(0, "a", tuple("LMRS"[:k]), (0,)),))


MULTI = [
    pytest.param((1.0, 0.0, -1.0), 1.0, id="three-actions"),
    pytest.param((0.0, 2.0, 0.5), 2.5, id="three-actions-steep"),
    pytest.param((0.3, 0.3, 0.3), 4.0, id="three-ties"),
    pytest.param((1.0, -1.0, 0.0, 2.0), 0.7, id="four-actions"),
]


@pytest.mark.parametrize(("utilities", "lam"), MULTI)
def test_multinomial_probit_equals_the_normal_orthant(utilities: tuple[float, ...], lam: float) -> None:
    """At a node with k actions and independent errors e_b ~ N(0, 1/lambda^2), a is chosen when
    U_a + e_a > U_b + e_b for every b != a, i.e. Z_b = lambda (e_b - e_a) < lambda (U_a - U_b):
    the Z_b are jointly normal with variance 2 and covariance 1, so P(a) is the normal CDF with
    covariance I + 11' at the gaps (scipy's ``multivariate_normal.cdf``), which the quadrature
    of the one-dimensional integral must match."""
    u = np.asarray(utilities)
    k = u.size
    got = np.exp(log_behaviour(plan(_one_node(utilities), "probit"), u[:, None], lam))
    cov = np.eye(k - 1) + np.ones((k - 1, k - 1))
    want = [
        float(multivariate_normal(mean=np.zeros(k - 1), cov=cov).cdf(lam * (u[a] - np.delete(u, a)))) for a in range(k)
    ]
    assert np.max(np.abs(got - want)) <= ORTHANT
    assert abs(got.sum() - 1.0) <= QRE_RESIDUAL


REFUSED = [
    pytest.param("syria_deconfliction", ("--link probit", "strategic-form", "--link logit"), id="strategic-model"),
    pytest.param(
        "beer_quiche", ("--link probit", "information set", "perfect information"), id="imperfect-information"
    ),
]


@pytest.mark.parametrize(("model", "needles"), REFUSED)
def test_probit_refusals_are_one_line(tmp_path: Path, model: str, needles: tuple[str, ...]) -> None:
    """Where the strategic probit is not defined here, ``--link probit`` is one line on stderr,
    exit 1, naming what stands in the way (the information set); the logit stays."""
    (tmp_path / "c.csv").write_text("A,B,count\nL,l,3\nM,,2\n")
    o = cli_outcome(tmp_path, "estimate", model, "--data", "c.csv", "--link", "probit")
    assert_one_line_error(o, *needles)
