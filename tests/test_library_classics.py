"""The classic games of the model library: each test reproduces its source's result, derived by
hand from the source's own conditions (never by comparing our code with our code)."""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from typing import Any

import pytest

from solver import game_at, solve
from solver.analysis.selection import risk_dominant
from solver.equilibria.trees.sequential import solve_tree
from solver.formats import load


def equilibria(name: str, values: dict[str, Any] | None = None) -> set[tuple[tuple[F, ...], ...]]:
    """Every Nash equilibrium of the model at its values, as exact probability vectors."""
    res = solve(game_at(name, values))
    assert res.complete and res.exact
    return {tuple(tuple(F(x) for x in v) for v in e.vectors) for e in res.equilibria}


def pure(*index: int) -> tuple[tuple[F, ...], ...]:
    return tuple((F(1), F(0)) if i == 0 else (F(0), F(1)) for i in index)


def mixed(p: F, q: F) -> tuple[tuple[F, ...], ...]:
    return ((p, 1 - p), (q, 1 - q))


#: (model, values, the equilibria by hand from the source); 2x2 payoffs as in the model files
CASES = [
    # Luce & Raiffa 1957, Games and Decisions, s. 5.3 (pp. 90-94): two pure equilibria and a mixed
    # one in which each plays its preferred option with probability (high - miss)/(high + low - 2 miss)
    pytest.param(
        "battle_of_the_sexes", {}, {pure(0, 0), pure(1, 1), mixed(F(3, 5), F(2, 5))}, id="bos-luce-raiffa"
    ),
    pytest.param(
        "battle_of_the_sexes",
        {"high": 5, "low": 1, "miss": -1},
        {pure(0, 0), pure(1, 1), mixed(F(6, 8), F(2, 8))},
        id="bos-other-payoffs",
    ),
    # Rapoport & Chammah 1966, "The game of chicken", American Behavioral Scientist 10(3): two
    # asymmetric pure equilibria and a mixed one with P(Swerve) = (S - P)/(S - P + T - R)
    pytest.param("chicken", {}, {pure(0, 1), pure(1, 0), mixed(F(1, 2), F(1, 2))}, id="chicken"),
    pytest.param(
        "chicken", {"T": 6, "R": 2, "S": 1, "P": -3}, {pure(0, 1), pure(1, 0), mixed(F(4, 8), F(4, 8))}, id="chicken-2"
    ),
    # von Neumann & Morgenstern 1944, s. 17.1: matching pennies has a unique equilibrium, each side
    # mixing 1/2-1/2 (value 0); with unequal stakes Row's mix keeps Column indifferent:
    # P(Row Heads) = (loss + win_tails)/(win_heads + win_tails + 2 loss)
    pytest.param("matching_pennies", {}, {mixed(F(1, 2), F(1, 2))}, id="pennies"),
    pytest.param(
        "matching_pennies", {"win_heads": 3, "win_tails": 1, "loss": 2}, {mixed(F(3, 8), F(3, 8))}, id="pennies-unequal"
    ),
    # Flood 1952 / Tucker 1950 (Rapoport & Chammah 1965, Prisoner's Dilemma, ch. 1): with T > R >
    # P > S, Defect strictly dominates: the unique equilibrium is mutual defection
    pytest.param("prisoners_dilemma", {}, {pure(1, 1)}, id="pd"),
    pytest.param("prisoners_dilemma", {"T": 9, "R": 8, "P": -1, "S": -9}, {pure(1, 1)}, id="pd-2"),
    # Skyrms 2004, The Stag Hunt, ch. 1: both pure equilibria and a mixed one with
    # P(Stag) = (P - S)/(R - T + P - S)
    pytest.param("stag_hunt", {}, {pure(0, 0), pure(1, 1), mixed(F(2, 3), F(2, 3))}, id="stag-hunt"),
]


@pytest.mark.parametrize(("name", "values", "expected"), CASES)
def test_the_sources_equilibria(name: str, values: dict[str, Any], expected: set[Any]) -> None:
    assert equilibria(name, values) == expected


def test_prisoners_dilemma_in_every_ordering() -> None:
    """Every strict T > R > P > S (Rapoport & Chammah 1965) gives only (Defect, Defect), which both
    players rank below (Cooperate, Cooperate)."""
    for t, r, p, s in itertools.combinations(range(9, -10, -3), 4):
        assert equilibria("prisoners_dilemma", {"T": t, "R": r, "P": p, "S": s}) == {pure(1, 1)}
        assert r > p


@pytest.mark.parametrize(
    ("values", "hare"),
    [
        pytest.param({}, True, id="defaults-hare"),  # P - S = 2 > R - T = 1
        pytest.param({"R": 6, "T": 3, "P": 2, "S": 0}, False, id="stag"),  # 2 < 3
    ],
)
def test_stag_hunt_risk_dominance(values: dict[str, int], hare: bool) -> None:
    """Harsanyi & Selten 1988, A General Theory of Equilibrium Selection, s. 3.9: in the stag hunt
    (Hare, Hare) risk-dominates exactly when P - S > R - T (the larger product of deviation losses),
    although (Stag, Stag) is payoff dominant."""
    game = game_at("stag_hunt", values)
    res = solve(game)
    chosen = risk_dominant(game, [e for e in res.equilibria if e.describe().startswith("pure")])
    assert chosen is not None
    assert chosen.describe() == ("pure (Hare, Hare)" if hare else "pure (Stag, Stag)")


def test_schelling_commitment() -> None:
    """Schelling 1960, The Strategy of Conflict, ch. 2: in chicken with a first mover, the driver who
    commits first goes straight and the other swerves (the unique subgame-perfect equilibrium)."""
    res = solve_tree(load("chicken_commitment"))
    spe = [e for e in res.equilibria if e.extra.get("subgame_perfect")]
    assert len(spe) == 1
    assert spe[0].values == (F(1), F(-1))


def test_selten_entry_deterrence() -> None:
    """Selten 1978 (one market): the threat to fight entry supports a Nash equilibrium (Out, Fight)
    that is not subgame perfect; the unique SPE is (In, Accommodate)."""
    res = solve_tree(load("entry_deterrence"))
    flags = {e.describe(): e.extra["subgame_perfect"] for e in res.equilibria}
    assert flags == {"pure (In, Accommodate)": True, "pure (Out, Fight)": False}
