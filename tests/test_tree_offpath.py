"""Off-path behaviour in tree equilibria: completions that must be sequentially rational, and
perfect Bayesian equilibria (PBE) inside continua of Nash equilibria (the support-pattern search
of solver.equilibria.trees.assessments).

Expected results are derived by hand in each docstring; pygambit's logit (agent quantal
response) limit, a sequential equilibrium (McKelvey & Palfrey 1998), and the signalling engine's
exact PBE (an independent implementation for signalling games) are the cross-checks.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from typing import Any

import pytest
from clirun import run_json
from oracle import CHILD_PRELUDE, run_child

from solver.core.budget import Budget
from solver.core.signalling import from_tree
from solver.core.tree import Tree, chance, decision, from_named, leaf
from solver.equilibria.signalling.solve import solve_signalling
from solver.equilibria.signalling.tree import behaviour
from solver.equilibria.trees.assessments import eligible, search
from solver.equilibria.trees.paths import tree_signature
from solver.equilibria.trees.polys import const, mul, solve_system, sub, var
from solver.equilibria.trees.sequential import solve_numeric_tree
from solver.formats import load
from solver.formats.efg_write import format_efg


def entry_with_types() -> Tree:
    """Chance draws H or L (1/2 each), which only P2 sees.  P1 stays Out (1, 0) or goes In; P2
    Fights or Yields; P1 then plays A or B, seeing P2's move but not the type.  Payoffs (P1, P2):
    after Fight, A gives (-2, -1) if H and (1, -1) if L, B gives (0, 1); after Yield, A gives
    (2, 2), B gives (3, 0)."""
    half = F(1, 2)
    specs: dict[str, Any] = {"nature": chance({"H": (half, "h"), "L": (half, "l")})}
    fight_a = {"h": (-2, -1), "l": (1, -1)}
    for t in ("h", "l"):
        specs[t] = decision("P1", {"Out": f"{t}_out", "In": f"{t}_in"}, "entry")
        specs[f"{t}_out"] = leaf((1, 0))
        specs[f"{t}_in"] = decision("P2", {"Fight": f"{t}_f", "Yield": f"{t}_y"}, f"P2 {t.upper()}")
        specs[f"{t}_f"] = decision("P1", {"A": f"{t}_fa", "B": f"{t}_fb"}, "after Fight")
        specs[f"{t}_y"] = decision("P1", {"A": f"{t}_ya", "B": f"{t}_yb"}, "after Yield")
        specs[f"{t}_fa"], specs[f"{t}_fb"] = leaf(fight_a[t]), leaf((0, 1))
        specs[f"{t}_ya"], specs[f"{t}_yb"] = leaf((2, 2)), leaf((3, 0))
    return from_named(("P1", "P2"), "nature", specs)


def deterred(eqs: list[Any]) -> list[Any]:
    """The listed equilibria in which P1 stays out and both P2 types fight."""
    return [
        e for e in eqs
        if e.extra["behaviour"]["P1"]["entry"]["Out"] == 1
        and all(e.extra["behaviour"]["P2"][f"P2 {t}"]["Fight"] == 1 for t in "HL")
    ]


def test_unreached_set_is_completed_by_its_sequentially_rational_action() -> None:
    """The reduced normal form's equilibrium (Out; Fight, Fight) leaves P1's moves after In
    unspecified (its own Out makes them unreachable), and the tree has no proper subgame (P1's
    sets straddle the types), so every pure completion passes the subgame test.  The first one,
    (A, A), is not sequentially rational: after Fight, Bayes' rule given the deviation In and
    P2's fighting gives belief (1/2, 1/2), under which A yields (-2 + 1)/2 = -1/2 < 0 = B; and
    after Yield, B (3) beats A (2) at either node.  Under (A, A) P2 would yield (2 > -1), so the
    completion (A, A) is no PBE; completed by (B, B) it is one: each P2 type fights (1 > 0) and
    P1 stays out (In yields 0 < 1).  So the solver reports it completed by (B, B), a PBE with
    belief (1/2, 1/2) after Fight.  (Before the fix it was reported with (A, A) and marked not
    perfect Bayesian.)"""
    res = solve_numeric_tree(entry_with_types())
    (e,) = deterred(list(res.equilibria))
    beh = e.extra["behaviour"]["P1"]
    assert beh["after Fight"] == {"A": 0, "B": 1} and beh["after Yield"] == {"A": 0, "B": 1}
    assert e.extra["perfect_bayesian"] is True and e.extra["subgame_perfect"] is True
    assert e.extra["completed_off_own_path"] is True  # the reduced normal form's, completed
    assert list(e.extra["beliefs"]["P1"]["after Fight"].values()) == [0.5, 0.5]
    assert e.values == (1, 0)


def own_deviation_tree() -> Tree:
    """Chance draws H or L (1/2 each); P1, not seeing it, stays Out (0) or goes In; P2, seeing
    the type, Fights or Yields (P2's payoffs are all 0); P1 sees P2's move, not the type, and
    plays A or B.  P1's payoffs: after Fight, A gives 1 (H) or -5 (L), B gives -2 (H) or 0 (L);
    after Yield, A gives 0 (H) or -2 (L), B gives -5 (H) or 1 (L)."""
    half = F(1, 2)
    specs: dict[str, Any] = {"nature": chance({"H": (half, "h"), "L": (half, "l")})}
    pay = {"h": {"fa": 1, "fb": -2, "ya": 0, "yb": -5}, "l": {"fa": -5, "fb": 0, "ya": -2, "yb": 1}}
    for t in ("h", "l"):
        specs[t] = decision("P1", {"Out": f"{t}_out", "In": f"{t}_in"}, "entry")
        specs[f"{t}_out"] = leaf((0, 0))
        specs[f"{t}_in"] = decision("P2", {"Fight": f"{t}_f", "Yield": f"{t}_y"}, f"P2 {t.upper()}")
        specs[f"{t}_f"] = decision("P1", {"A": f"{t}_fa", "B": f"{t}_fb"}, "after Fight")
        specs[f"{t}_y"] = decision("P1", {"A": f"{t}_ya", "B": f"{t}_yb"}, "after Yield")
        for k, v in pay[t].items():
            specs[f"{t}_{k}"] = leaf((v, 0))
    return from_named(("P1", "P2"), "nature", specs)


def test_beliefs_after_an_own_deviation_follow_the_others_strategies() -> None:
    """Profile: P1 Out, then B after Fight and A after Yield; P2 Fights if H and Yields if L.
    Each move is locally optimal if P1's off-path beliefs are free: In yields (-2 - 2)/2 = -2 <
    0, and B after Fight is optimal believing L (0 > -5), A after Yield believing H (0 > -5).
    But it is no Nash equilibrium: In, then A after Fight and B after Yield, yields (1 + 1)/2 = 1
    > 0.  After its own deviation P1 must reason from P2's strategy: a Fight comes from H only
    (belief H = 1), where A (1) beats B (-2).  So the test must reject it, with belief H = 1
    after Fight (the free-belief test accepted it, and the support-pattern search then found
    profiles that are not Nash equilibria).  The solver does not list it."""
    from solver.equilibria.trees.bayesian import beliefs_extra

    tree = own_deviation_tree()
    sets = {info.label: h for h, info in enumerate(tree.infosets)}
    one, zero = F(1), F(0)
    beh = [{sets["entry"]: [one, zero], sets["after Fight"]: [zero, one], sets["after Yield"]: [one, zero]},
           {sets["P2 H"]: [one, zero], sets["P2 L"]: [zero, one]}]
    out = beliefs_extra(tree, beh)
    assert out["perfect_bayesian"] is False
    assert out["beliefs"]["P1"]["after Fight"] == {"chance H, P1 In, P2 Fight": 1, "chance L, P1 In, P2 Fight": 0}
    rejected = {"P1": {"entry": {"Out": 1, "In": 0}, "after Fight": {"A": 0, "B": 1}, "after Yield": {"A": 1, "B": 0}},
                "P2": {"P2 H": {"Fight": 1, "Yield": 0}, "P2 L": {"Fight": 0, "Yield": 1}}}
    res = solve_numeric_tree(tree)
    pbe = [e.extra["behaviour"] for e in res.equilibria if e.extra["perfect_bayesian"]]
    assert pbe and rejected not in pbe
    assert not any("dropped" in n for n in res.notes)  # every PBE the search found is Nash


_LOGIT = CHILD_PRELUDE + r"""
import json
if gc.major() < 17:
    print(json.dumps({"skip": "pygambit 17 needed (history selectors)"}))
    raise SystemExit
out = []
for job in json.loads(sys.stdin.read()):
    g = gbt.read_efg(job["efg"])
    eq = gbt.nash.logit_solve(g, use_strategic=False).equilibrium
    out.append([{a: float(x) for a, x in dict(eq[gbt.H.path(*p)]).items()} for p in job["paths"]])
print(json.dumps(out))
"""

#: the games pygambit's logit limit is computed on (one child for all), with a history to each
#: information set whose behaviour the tests read
KW_DELTA = F(2, 5)
LOGIT_PATHS = {
    "entry": [("H",), ("H", "In"), ("L", "In"), ("H", "In", "Fight"), ("H", "In", "Yield")],
    "kreps_wilson": [("Weak", "In"), ("Tough", "In")],
}


def kreps_wilson(delta: F) -> Tree:
    m = load("kreps_wilson_reputation")
    assert m.tree is not None
    return m.tree.at(m.values({"delta": delta}))


@pytest.fixture(scope="module")
def logit(tmp_path_factory: Any) -> dict[str, list[dict[str, float]]]:
    """pygambit's logit agent-QRE limit on each game: the behaviour at each listed history's set."""
    jobs = []
    for name, tree in (("entry", entry_with_types()), ("kreps_wilson", kreps_wilson(KW_DELTA))):
        efg = tmp_path_factory.mktemp("efg") / f"{name}.efg"
        efg.write_text(format_efg(tree))
        jobs.append({"efg": str(efg), "paths": LOGIT_PATHS[name]})
    out = json.loads(run_child(_LOGIT, stdin=json.dumps(jobs), timeout=120))
    if isinstance(out, dict):
        pytest.skip(out["skip"])
    return dict(zip(LOGIT_PATHS, out, strict=True))


def test_pygambit_logit_limit_is_the_completed_equilibrium(logit: dict[str, Any]) -> None:
    """pygambit's logit limit on the same game, a sequential equilibrium, is (Out; Fight, Fight;
    B, B): the completion the solver now reports, not the first-action one."""
    entry, p2_h, p2_l, after_fight, after_yield = logit["entry"]
    assert entry["Out"] == pytest.approx(1, abs=1e-2)
    assert p2_h["Fight"] == pytest.approx(1, abs=1e-2) and p2_l["Fight"] == pytest.approx(1, abs=1e-2)
    assert after_fight["B"] == pytest.approx(1, abs=1e-2) and after_yield["B"] == pytest.approx(1, abs=1e-2)


def test_kreps_wilson_inner_pbe_matches_pygambit_logit_limit(logit: dict[str, Any]) -> None:
    """Kreps & Wilson (1982) at delta = 2/5 (b^2 = 1/4 < delta < b = 1/2, a = 2): the Weak
    incumbent fights with probability (1 - b) delta/((1 - delta) b) = (1/2)(2/5)/((3/5)(1/2)) =
    2/3 and the second entrant stays out after a fight with probability 1/a = 1/2, both off the
    path.  pygambit's logit limit finds the same point (to its path-following accuracy), and
    the solver lists it exactly, as its one PBE."""
    fight, after_fight = logit["kreps_wilson"]
    assert fight["Fight"] == pytest.approx(2 / 3, abs=1e-2)
    assert after_fight["Out"] == pytest.approx(1 / 2, abs=1e-2)
    pbe = [e for e in solve_numeric_tree(kreps_wilson(KW_DELTA)).equilibria if e.extra["perfect_bayesian"]]
    assert [(e.extra["behaviour"]["Incumbent"]["inc_1"]["Fight"],
             e.extra["behaviour"]["Entrant 2"]["entrant_2_after_fight"]["Out"]) for e in pbe] == [(2 / 3, 1 / 2)]
    assert pbe[0].extra["pbe_search"] is True  # found inside the continuum, not at an extreme point


def test_cli_json_lists_the_inner_pbe_and_its_path() -> None:
    """``redline solve`` (JSON) at delta = 2/5 shows Kreps & Wilson's equilibrium as the one
    PBE, with a note saying the support-pattern search was complete; its path (entrant 1 out,
    entrant 2 in, whatever the type) is the tree signature that sweeps and thresholds track."""
    doc = run_json("solve", "kreps_wilson_reputation", "--set", "delta=2/5")
    (e,) = [e for e in doc["equilibria"] if e["perfect_bayesian"]]
    assert e["behaviour"]["Incumbent"]["inc_1"] == {"Fight": 2 / 3, "Accommodate": 1 / 3}
    assert any(n.startswith("every perfect Bayesian equilibrium by support patterns") for n in doc["notes"])
    signature = tree_signature(solve_numeric_tree(kreps_wilson(KW_DELTA)))
    assert signature == "PBE Tough -> Out -> In | Weak -> Out -> In"


@pytest.mark.parametrize(
    "name,values",
    [
        pytest.param("beer_quiche", {}, id="beer-quiche-default"),
        pytest.param("beer_quiche", {"p_weak": "3/5"}, id="beer-quiche-3/5"),
        pytest.param("beer_quiche", {"p_weak": "1/2"}, id="beer-quiche-1/2-ties"),
    ],
)
def test_search_agrees_with_the_signalling_engine(name: str, values: dict[str, str]) -> None:
    """On a signalling game the support-pattern search over behaviour must list exactly the
    extreme PBE of the signalling engine (Cho & Kreps's beer-quiche: at 1/10 the two pooling
    families, at 3/5 the one pooling on Beer, at 1/2 the ties), an independent implementation:
    each pattern's conditions separate into the sender's and the receiver's polytopes there."""
    m = load(name)
    assert m.tree is not None
    tree = m.tree.at(m.values(values))
    sig = from_tree(tree)
    assert sig is not None and eligible(tree)
    found = search(tree)
    assert found.complete and found.nonlinear == 0

    def ident(beh: Any) -> Any:
        return sorted((h, tuple(p)) for b in beh for h, p in b.items())

    ours = sorted(ident(b) for b in found.equilibria)
    theirs = sorted(ident(behaviour(tree, sig, e.sigma, e.rho)) for e in solve_signalling(sig).equilibria)
    assert ours == theirs


def random_entry_tree(seed: int) -> Tree:
    """The shape of :func:`own_deviation_tree` with a random prior, random integer payoffs in
    [-3, 3] (many ties: degenerate games with continua of equilibria) and, at random, P2 not
    seeing the type (one set for both)."""
    import random

    rng = random.Random(seed)
    p = F(rng.randint(1, 3), 4)
    specs: dict[str, Any] = {"nature": chance({"H": (p, "h"), "L": (1 - p, "l")})}
    blind = rng.random() < 0.5

    def pay() -> Any:
        return leaf((rng.randint(-3, 3), rng.randint(-3, 3)))

    for t in ("h", "l"):
        specs[t] = decision("P1", {"Out": f"{t}_out", "In": f"{t}_in"}, "entry")
        specs[f"{t}_in"] = decision("P2", {"Fight": f"{t}_f", "Yield": f"{t}_y"}, "P2" if blind else f"P2 {t}")
        specs[f"{t}_f"] = decision("P1", {"A": f"{t}_fa", "B": f"{t}_fb"}, "after Fight")
        specs[f"{t}_y"] = decision("P1", {"A": f"{t}_ya", "B": f"{t}_yb"}, "after Yield")
        for k in ("out", "fa", "fb", "ya", "yb"):
            specs[f"{t}_{k}"] = pay()
    return from_named(("P1", "P2"), "nature", specs)


@pytest.mark.parametrize("seed", range(12))
def test_search_finds_only_nash_equilibria_and_the_nash_bound_loses_none(seed: int) -> None:
    """On random degenerate trees: every PBE the search finds has zero regret in the reduced
    normal form (a PBE is a Nash equilibrium), and bounding the supports by the extreme Nash
    equilibria (every Nash equilibrium is a convex combination of extreme ones in a maximal
    clique) finds exactly the same PBE as the unbounded search."""
    from solver.core.treeform import mixed_from_behaviour, normal_form
    from solver.equilibria import solve
    from solver.equilibria.trees.inner_pbe import allowed_actions
    from solver.equilibria.trees.subgames import normal_form_game
    from solver.equilibria.verify import regrets

    tree = random_entry_tree(seed)
    nf = normal_form(tree)
    game = normal_form_game(tree, nf)
    core = solve(game)
    assert core.complete
    free = search(tree)
    bounded = search(tree, allowed=allowed_actions(tree, nf, [e.vectors for e in core.equilibria]))
    assert free.complete and bounded.complete

    def ident(beh: Any) -> Any:
        return sorted((h, tuple(p)) for b in beh for h, p in b.items())

    assert sorted(map(ident, free.equilibria)) == sorted(map(ident, bounded.equilibria))
    assert free.equilibria
    for beh in free.equilibria:
        assert max(regrets(game, mixed_from_behaviour(nf, beh))[0]) == 0


def test_linear_after_elimination_is_solved_and_a_curve_is_not() -> None:
    """x*y = 1/4 with x = 1/2 is triangular: x is eliminated first, then 1/2*y = 1/4 gives y =
    1/2.  x*y = 1/4 alone, on [0, 1]^2, is a hyperbola arc: nonlinear, left unsolved (None)."""
    x, y = var((0, 0)), var((0, 1))
    box = [x, y, sub(const(1), x), sub(const(1), y)]
    assert solve_system([sub(mul(x, y), const(F(1, 4))), sub(x, const(F(1, 2)))], box) == [
        {(0, 0): F(1, 2), (0, 1): F(1, 2)}
    ]
    assert solve_system([sub(mul(x, y), const(F(1, 4)))], box) is None
    assert solve_system([sub(x, const(2))], box) == []  # x = 2 is outside the box


def test_spent_budget_stops_the_search_cleanly() -> None:
    found = search(kreps_wilson(F(3, 4)), Budget.start(0.0))
    assert not found.complete and "PBE support patterns" in found.limit
