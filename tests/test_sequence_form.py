"""The sequence form and the zero-sum sequence-form LP, against Kuhn (1950) and pygambit's
``lp_solve`` on the same .efg files (never against our own code by another path)."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from oracle import CHILD_PRELUDE, run_child

from solver.core.tree import decision, from_named, leaf
from solver.equilibria.trees.sequence_form import best_response_value, build
from solver.equilibria.trees.zero_sum import solve_zero_sum
from solver.formats.efg import read_efg

DATA = Path(__file__).parent / "data" / "efg"

_LP_CHILD = (
    CHILD_PRELUDE
    + r"""
import json
out = []
for path in json.load(sys.stdin):
    game = gbt.read_efg(path)
    eq = gc.equilibria(gbt.nash.lp_solve(game, rational=True))[0]
    pay = eq.payoffs() if callable(eq.payoffs) else eq.payoffs
    first = gc.players(game)[0]
    out.append(str(pay[first] if gc.major() >= 17 else eq.payoff(first)))
json.dump(out, sys.stdout)
"""
)


def poker_like(seed: int) -> str:
    """A random zero-sum poker-like .efg: chance deals each player a private type, then the
    players alternate public moves; each move's information set is (own type, public history),
    so the tree has perfect recall and imperfect information."""
    rng = random.Random(seed)
    types = rng.randint(2, 3)
    depth = rng.randint(2, 3)
    lines = ['EFG 2 R "poker-like" { "P1" "P2" }', '""']
    infosets: dict[tuple[int, int, tuple[int, ...]], int] = {}
    outcome = [0]
    counts: tuple[dict[int, int], dict[int, int]] = ({}, {})
    deals = [(a, b) for a in range(types) for b in range(types)]
    lines.append('c "" 1 "" { ' + " ".join(f'"{a}{b}" 1/{len(deals)}' for a, b in deals) + " } 0")

    def node(deal: tuple[int, int], hist: tuple[int, ...]) -> None:
        player = len(hist) % 2
        if len(hist) == depth or (hist and hist[-1] == 0 and len(hist) > 1):
            outcome[0] += 1
            v = rng.randint(-5, 5)
            lines.append(f't "" {outcome[0]} "" {{ {v}, {-v} }}')
            return
        key = (player, deal[player], hist)
        number = infosets.setdefault(key, 1 + sum(1 for k in infosets if k[0] == player))
        if number not in counts[player]:
            counts[player][number] = rng.randint(2, 3) if not hist else 2
        k = counts[player][number]
        acts = " ".join(f'"a{j}"' for j in range(k))
        lines.append(f'p "" {player + 1} {number} "" {{ {acts} }} 0')
        for j in range(k):
            node(deal, (*hist, j))

    for deal in deals:
        node(deal, ())
    return "\n".join(lines) + "\n"


def test_kuhn_poker_value_is_minus_one_eighteenth() -> None:
    """Kuhn (1950): the first player loses 1/18 per hand; the certificate is exact."""
    s = solve_zero_sum(read_efg(DATA / "kuhn_poker.efg"))
    assert s.exact
    assert s.value == Fraction(-1, 18)
    # the certificate: neither player gains by deviating from the other's exact plan
    assert best_response_value(s.form, 0, s.plans[1]) == Fraction(-1, 18)
    assert best_response_value(s.form, 1, s.plans[0]) == Fraction(1, 18)


def test_kuhn_poker_sequence_form_size() -> None:
    """13 sequences per player (6 information sets of 2 actions, plus the empty one), against
    27 x 64 pure strategies in the reduced normal form."""
    sf = build(read_efg(DATA / "kuhn_poker.efg"))
    assert (sf.size(0), sf.size(1)) == (13, 13)
    assert len(sf.constraints(0)) == 7


def test_matching_pennies_tree_by_hand() -> None:
    """Matching pennies with B not seeing A's coin: value 0, both mix 1/2 (by hand)."""
    t = from_named(
        ("A", "B"),
        "a",
        {
            "a": decision("A", {"H": "bh", "T": "bt"}),
            "bh": decision("B", {"H": "hh", "T": "ht"}, infoset="b"),
            "bt": decision("B", {"H": "th", "T": "tt"}, infoset="b"),
            "hh": leaf((3, -3)),
            "ht": leaf((-1, 1)),
            "th": leaf((-2, 2)),
            "tt": leaf((1, -1)),
        },
    )
    s = solve_zero_sum(t)
    # A mixes p on H with 3p - 2(1-p) = -p + (1-p): p = 3/7, value 3p - 2 + 2p = 1/7
    assert s.exact and s.value == Fraction(1, 7)
    assert s.behaviour[0][0] == (Fraction(3, 7), Fraction(4, 7))


SEEDS = range(12)


@pytest.fixture(scope="module")
def gambit_values(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, str]]:
    """pygambit's exact values of the random trees, in one child process."""
    folder = tmp_path_factory.mktemp("poker")
    paths = []
    for seed in SEEDS:
        paths.append(folder / f"g{seed}.efg")
        paths[-1].write_text(poker_like(seed))
    values = json.loads(run_child(_LP_CHILD, stdin=json.dumps([str(p) for p in paths]), timeout=300))
    return {seed: (p, v) for seed, p, v in zip(SEEDS, paths, values, strict=True)}


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"poker-like-{s}") for s in SEEDS])
def test_random_zero_sum_trees_match_gambit_lp(seed: int, gambit_values: dict[int, tuple[Path, str]]) -> None:
    path, expected = gambit_values[seed]
    s = solve_zero_sum(read_efg(path))
    assert s.exact
    assert s.value == Fraction(expected)
