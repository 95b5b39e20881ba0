"""Every extreme equilibrium of two-player trees by vertex enumeration on the sequence form,
against pygambit's ``enummixed`` on the reduced normal form (Gambit's own reading of the same
.efg text), hand derivations, and exhaustive best replies written here (regret exactly zero).

Equilibria are compared as outcome distributions (the probability of each leaf): many mixed
profiles of the reduced normal form give one behaviour profile.  Where the tree is degenerate
an extreme point of a Nash set of the reduced normal form can map inside a segment of realization
plans, so each of Gambit's distributions must be one of ours or a convex combination of ours.
"""

from __future__ import annotations

import json
import random
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from oracle import CHILD_PRELUDE, run_child
from scipy.optimize import linprog
from test_lemke_tree import best_pure, value
from test_sequence_form import poker_like

from solver.core import tolerances
from solver.core.budget import Budget
from solver.core.tree import Node, Tree, decision, from_named, leaf
from solver.core.treeform import normal_form
from solver.equilibria.trees.lemke import lemke_tree
from solver.equilibria.trees.routes import SEQUENCE_FROM, sequence_equilibria
from solver.equilibria.trees.sequence_vertices import TreeEquilibria, all_tree_equilibria
from solver.formats.efg import parse_efg, read_efg

DATA = Path(__file__).parent / "data" / "efg"
GAMBIT = Path("/work/shared/games/gambit")

#: small two-player trees with perfect recall from Gambit's collection (paths under GAMBIT)
GAMBIT_FILES = [
    "contrib/games/e04.efg",
    "contrib/games/e07.efg",
    "contrib/games/e13.efg",
    "contrib/games/e17.efg",
    "contrib/games/e18.efg",
    "contrib/games/hs1.efg",
    "contrib/games/km1.efg",
    "contrib/games/km6.efg",
    "contrib/games/my_2-4.efg",
    "contrib/games/my_3-3b.efg",
    "contrib/games/pvw.efg",
    "contrib/games/sww2.efg",
    "contrib/games/vd.efg",
    "contrib/games/w_ex1.efg",
    "contrib/games/wilson1.efg",
    "contrib/games/work2.efg",
    "contrib/games/coord3.efg",
    "doc/poker.efg",
    "tests/test_games/nature_rooted_nongeneric.efg",
    "tests/test_games/entry_accommodation.efg",
    "tests/test_games/nature_leaves_nongeneric.efg",
    "tests/test_games/reduction_both_players_payoff_ties_GTE_survey.efg",
    "tests/test_games/binary_3_levels_generic_payoffs.efg",
    "tests/test_games/perfect_info_with_chance.efg",
]

#: hand-built trees, as .efg text so that Gambit reads exactly what we read
HAND = {
    # battle of the sexes, the second mover not seeing the first: two pure equilibria and a mixed one
    "battle-of-sexes": """EFG 2 R "bos" { "A" "B" }
""
p "" 1 1 "" { "O" "F" } 0
p "" 2 1 "" { "o" "f" } 0
t "" 1 "" { 3, 2 }
t "" 2 "" { 0, 0 }
p "" 2 1 "" { "o" "f" } 0
t "" 3 "" { 0, 0 }
t "" 4 "" { 2, 3 }
""",
    # an outside option before a simultaneous coordination game (cut-off information sets)
    "outside-option": """EFG 2 R "outside" { "A" "B" }
""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 2, 2 }
p "" 1 2 "" { "U" "D" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 2 "" { 3, 1 }
t "" 3 "" { 0, 0 }
p "" 2 1 "" { "l" "r" } 0
t "" 4 "" { 0, 0 }
t "" 5 "" { 1, 3 }
""",
    # a signalling game: chance picks a type, the sender signals, the receiver sees the signal only
    "signalling": """EFG 2 R "signal" { "S" "R" }
""
c "" 1 "" { "strong" 2/3 "weak" 1/3 } 0
p "" 1 1 "" { "beer" "quiche" } 0
p "" 2 1 "" { "fight" "yield" } 0
t "" 1 "" { 1, 0 }
t "" 2 "" { 3, 1 }
p "" 2 2 "" { "fight" "yield" } 0
t "" 3 "" { 0, 0 }
t "" 4 "" { 2, 1 }
p "" 1 2 "" { "beer" "quiche" } 0
p "" 2 1 "" { "fight" "yield" } 0
t "" 5 "" { 0, 1 }
t "" 6 "" { 2, 0 }
p "" 2 2 "" { "fight" "yield" } 0
t "" 7 "" { 1, 1 }
t "" 8 "" { 3, 0 }
""",
}

#: seeds of random general-sum poker-like trees (4 x 16 to 4 x 64 reduced normal forms)
RANDOM = (2, 15, 19)


def general_sum_text(seed: int) -> str:
    """The .efg text of :func:`test_lemke_tree.general_sum` (the second payoff drawn apart)."""
    rng = random.Random(1000 + seed)
    lines = []
    for line in poker_like(seed).splitlines():
        if line.startswith("t "):
            head, first = line[: line.index("{")], line[line.index("{") + 1 :].split(",")[0]
            line = f"{head}{{ {first.strip()}, {rng.randint(-5, 5)} }}"
        lines.append(line)
    return "\n".join(lines) + "\n"


_CHILD = (
    CHILD_PRELUDE
    + r"""
import json
out = []
for path in json.load(sys.stdin):
    game = gbt.read_efg(path)
    found = []
    for eq in gbt.nash.enummixed_solve(game, rational=True).equilibria:
        items = list(eq.as_behavior().realiz_probs)
        keys = [tuple(str(t.action) for t in h) for h, _ in items]
        inner = {k[:i] for k in keys for i in range(len(k))}
        found.append([[list(k), str(v)] for (_, v), k in zip(items, keys) if k not in inner])
    out.append(found)
json.dump(out, sys.stdout)
"""
)

Dist = tuple[tuple[int, Fraction], ...]


def distribution(tree: Tree, profile: dict[int, tuple[Any, ...]]) -> Dist:
    """The probability of each leaf reached (a plain walk, written here)."""
    out: dict[int, Fraction] = {}
    stack = [(0, Fraction(1))]
    while stack:
        n, p = stack.pop()
        node = tree.nodes[n]
        if node.is_terminal:
            out[n] = out.get(n, Fraction(0)) + p
        elif node.is_chance:
            stack.extend((c, p * Fraction(q)) for c, q in zip(node.children, node.probs, strict=True))
        else:
            probs = profile[node.infoset]
            stack.extend((c, p * Fraction(q)) for c, q in zip(node.children, probs, strict=True) if q)
    return tuple(sorted((n, v) for n, v in out.items() if v))


def leaf_of(tree: Tree, actions: list[str]) -> int:
    n = 0
    for label in actions:
        n = tree.nodes[n].children[tree.actions(n).index(label)]
    return n


def gambit_distribution(tree: Tree, answer: list[list[Any]]) -> Dist:
    out: dict[int, Fraction] = {}
    for actions, v in answer:
        if Fraction(v):
            n = leaf_of(tree, actions)
            out[n] = out.get(n, Fraction(0)) + Fraction(v)
    return tuple(sorted(out.items()))


def in_hull(point: Dist, corners: set[Dist]) -> bool:
    """Whether ``point`` is a convex combination of ``corners`` (an LP, in floats)."""
    leaves = sorted({n for d in (point, *corners) for n, _ in d})
    cols = [dict(d) for d in corners]
    mat = np.array([[float(c.get(n, 0)) for c in cols] for n in leaves] + [[1.0] * len(cols)])
    want = np.array([float(dict(point).get(n, 0)) for n in leaves] + [1.0])
    res = linprog(np.zeros(len(cols)), A_eq=mat, b_eq=want, bounds=(0, None), method="highs")
    return bool(res.status == 0 and np.abs(mat @ res.x - want).max() <= tolerances.FEASIBILITY)


def assert_no_regret(tree: Tree, found: TreeEquilibria) -> None:
    """Each equilibrium: no pure strategy of either player does better (exhaustive, exact)."""
    for e in found.equilibria:
        profile = {**e.behaviour[0], **e.behaviour[1]}
        for player in (0, 1):
            got = value(tree, profile, player)
            assert got == e.payoffs[player]
            assert best_pure(tree, profile, player) == got


def distributions(tree: Tree, found: TreeEquilibria) -> set[Dist]:
    return {distribution(tree, {**e.behaviour[0], **e.behaviour[1]}) for e in found.equilibria}


KEYS: list[tuple[str, str]] = [("gambit", f) for f in GAMBIT_FILES] + [("hand", k) for k in HAND]
KEYS += [("random", str(seed)) for seed in RANDOM]
CASES = [pytest.param(key, id=Path(key[1]).stem if key[0] != "random" else f"general-sum-{key[1]}") for key in KEYS]


@pytest.fixture(scope="module")
def gambit_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Path, list[Any]]]:
    """pygambit's enummixed on every case, in one child process."""
    folder = tmp_path_factory.mktemp("hand")
    paths: dict[tuple[str, str], Path] = {}
    for kind, name in KEYS:
        if kind == "gambit":
            if (GAMBIT / name).exists():
                paths[kind, name] = GAMBIT / name
        else:
            paths[kind, name] = folder / f"{kind}-{name}.efg"
            paths[kind, name].write_text(HAND[name] if kind == "hand" else general_sum_text(int(name)))
    keys = list(paths)
    answers = json.loads(run_child(_CHILD, stdin=json.dumps([str(paths[k]) for k in keys]), timeout=120))
    return {k: (paths[k], a) for k, a in zip(keys, answers, strict=True)}


@pytest.mark.parametrize("case", CASES)
def test_every_equilibrium_agrees_with_gambit_enummixed(
    case: tuple[str, str], gambit_answers: dict[tuple[str, str], tuple[Path, list[Any]]]
) -> None:
    if case not in gambit_answers:
        pytest.skip(f"Gambit's game collection is not at {GAMBIT}")
    path, answer = gambit_answers[case]
    tree = read_efg(path)
    found = all_tree_equilibria(tree)
    assert found.complete
    assert_no_regret(tree, found)
    ours = distributions(tree, found)
    theirs = {gambit_distribution(tree, a) for a in answer}
    assert ours <= theirs
    assert all(d in ours or in_hull(d, ours) for d in theirs)


def entry() -> Tree:
    return from_named(
        ("Entrant", "Incumbent"),
        "e",
        {
            "e": decision("Entrant", {"Out": "o", "In": "i"}),
            "o": leaf((1, 5)),
            "i": decision("Incumbent", {"Fight": "f", "Accommodate": "a"}),
            "f": leaf((0, 0)),
            "a": leaf((2, 2)),
        },
    )


def pennies() -> Tree:
    return from_named(
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


F = Fraction
HAND_SETS = [
    # (In, Accommodate); Out against Fight with probability 1 or 1/2 (the ends of the Nash set:
    # Out is a best reply while 2 (1 - fight) <= 1)
    pytest.param(
        entry, {((1, 0, 1), (1, 0, 1)), ((1, 1, 0), (1, 1, 0)), ((1, 1, 0), (1, F(1, 2), F(1, 2)))}, id="entry"
    ),
    # B indifferent: 3p - 2(1-p)... p = 3/7 on H; A indifferent: -3q + 1 - q = 2q... q = 2/7
    pytest.param(pennies, {((1, F(3, 7), F(4, 7)), (1, F(2, 7), F(5, 7)))}, id="pennies"),
]


@pytest.mark.parametrize(("make", "expected"), HAND_SETS)
def test_hand_derived_equilibrium_sets(make: Any, expected: set[Any]) -> None:
    found = all_tree_equilibria(make())
    assert found.complete
    assert {e.plans for e in found.equilibria} == expected


def moved(tree: Tree, scale: tuple[int, int], shift: tuple[int, int]) -> Tree:
    def pay(n: Node) -> tuple[Any, ...]:
        return tuple(a * v + b for a, b, v in zip(scale, shift, n.payoffs, strict=True))

    nodes = tuple(
        Node(n.name, n.player, n.infoset, n.children, n.probs, pay(n)) if n.is_terminal else n for n in tree.nodes
    )
    return Tree(tree.players, nodes, tree.infosets, tree.title)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(entry, id="entry"),
        pytest.param(lambda: parse_efg(HAND["signalling"]), id="signalling"),
        pytest.param(lambda: parse_efg(HAND["outside-option"]), id="outside-option"),
    ],
)
def test_affine_payoff_change_keeps_every_equilibrium(make: Any) -> None:
    """u_i -> a_i u_i + b_i with a_i > 0 changes no best reply (von Neumann-Morgenstern)."""
    tree = make()
    before = {e.plans for e in all_tree_equilibria(tree).equilibria}
    after = {e.plans for e in all_tree_equilibria(moved(tree, (3, 2), (-7, 5))).equilibria}
    assert before == after


def kuhn_general_sum(seed: int) -> Tree:
    """Kuhn poker with the second player's payoff moved off zero-sum by -1, 0 or +1 per leaf."""
    rng = random.Random(seed)
    lines = []
    for line in (DATA / "kuhn_poker.efg").read_text().splitlines():
        if line.startswith("t "):
            head, first = line[: line.index("{")], line[line.index("{") + 1 :].split(",")[0]
            v = int(first)
            line = f"{head}{{ {v}, {-v + rng.randint(-1, 1)} }}"
        lines.append(line)
    return parse_efg("\n".join(lines) + "\n")


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"kuhn-general-sum-{s}") for s in range(3)])
def test_general_sum_kuhn_beyond_the_reduced_normal_form(seed: int) -> None:
    """27 x 64 reduced strategies (more than SEQUENCE_FROM): solved on the sequence form, every
    equilibrium verified, Lemke's among them."""
    tree = kuhn_general_sum(seed)
    assert normal_form(tree).payoffs[0].size > SEQUENCE_FROM
    found = all_tree_equilibria(tree)
    assert found.complete and found.equilibria
    assert_no_regret(tree, found)
    assert lemke_tree(tree).plans in {e.plans for e in found.equilibria}
    routed = sequence_equilibria(tree)
    assert routed.complete and len(routed.equilibria) == len(found.equilibria)


def test_kuhn_poker_has_two_extreme_equilibria() -> None:
    """Kuhn (1950): value -1/18; the second player's strategy is unique, the first player bets a
    Jack with probability alpha in [0, 1/3] (the rest of its strategy follows alpha)."""
    tree = read_efg(DATA / "kuhn_poker.efg")
    found = all_tree_equilibria(tree)
    assert found.complete and found.degenerate
    assert {e.payoffs for e in found.equilibria} == {(F(-1, 18), F(1, 18))}
    assert len({e.plans[1] for e in found.equilibria}) == 1
    jack = next(h for h, info in enumerate(tree.infosets) if info.label == "J")
    assert sorted(e.behaviour[0][jack][1] for e in found.equilibria) == [0, F(1, 3)]


def test_a_spent_budget_returns_what_was_found_marked_incomplete() -> None:
    cancel = threading.Event()
    cancel.set()
    found = all_tree_equilibria(kuhn_general_sum(0), Budget.start(None, cancel=cancel))
    assert not found.complete
    assert any("time budget" in n for n in found.notes)


def test_past_the_enumeration_limit_the_route_falls_back_to_lemke(monkeypatch: pytest.MonkeyPatch) -> None:
    from solver.equilibria.trees import routes

    tree = kuhn_general_sum(1)
    monkeypatch.setattr(routes, "MAX_ENUMERATION_SEQUENCES", 10)
    routed = routes.sequence_equilibria(tree)
    assert not routed.complete and len(routed.equilibria) == 1
    assert routed.method == "sequence-form Lemke"
    assert any("more than the limit of 10" in n for n in routed.notes)
    beh, pay = routed.equilibria[0]
    profile = {h: tuple(p) for b in beh for h, p in b.items()}
    for player in (0, 1):
        assert best_pure(tree, profile, player) == value(tree, profile, player) == pay[player]
