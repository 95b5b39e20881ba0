"""Signalling games: every perfect Bayesian equilibrium (PBE), exact, with the Cho-Kreps
refinements, checked against the published results and against pygambit.

Beer-quiche (Cho & Kreps 1987, QJE 102(2):179-221, §II and §IV), derived by hand.  A is weak
with prior p; A gets 1 for its preferred breakfast (weak: quiche, strong: beer) plus 2 if B does
not duel; B gets 1 for dueling a weak A or not dueling a strong one.  B duels iff its belief that A
is weak is at least 1/2.

* p = 1/10.  Pooling on beer: B's belief at beer is 1/10 < 1/2, so no duel; the weak type gets 2
  and would get 1 + 2(1 - d) from quiche, so B must duel after quiche with probability d >= 1/2:
  d = 1 needs mu(weak | quiche) >= 1/2, 0 < d < 1 needs mu = 1/2 exactly.  Pooling on quiche is
  the mirror image (the strong type gets 2, beer would give 1 + 2(1 - d)).  Separation fails (the
  type sending the message B duels after would mimic the other).  No type mixes: a mixing weak
  type with a pure strong one meets the prior-dominated belief after the strong type's breakfast
  (no duel there) and a sure duel after its own, so it strictly prefers the former; a mixing
  strong type needs 1 + 2(1 - d_beer) = 2(1 - d_quiche), so d_beer >= 1/2, so a belief of at least
  1/2 on weak after beer, so the weak type drinks beer, which needs d_beer <= 1/2 and d_quiche = 1,
  and then the strong type gets 2 from beer and 0 from quiche: not indifferent.  So exactly two
  families, one per breakfast, each with off-path belief on weak in [1/2, 1].
  Intuitive criterion: at the quiche pool (u* weak 3, strong 2) beer gives the weak type at most
  2 < 3 (equilibrium-dominated) and the strong type up to 3 > 2, so beer means strong, B would not
  duel and the strong type would gain: the quiche pool fails; at the beer pool, quiche gives the
  strong type at most 2 < 3, a quiche-eater is weak, B duels and neither type gains: it survives.
  D1 agrees: the type that cannot reach its equilibrium payoff with the off-path breakfast (gain
  set empty, inside the other's) is deleted, and the same beliefs follow.
* p > 1/2.  No pooling (B duels at the prior, the type whose breakfast it is would switch).  The
  hybrid: the strong type drinks beer; the weak type mixes, beer with probability b, which makes B
  indifferent after beer (mu = p b / (p b + 1 - p) = 1/2, so b = (1 - p)/p); B duels after quiche
  (only the weak type eats it) and, after beer, with the probability 1/2 that makes the weak type
  indifferent (2(1 - d) = 1).  It is the only PBE and passes both tests (no message is off path).

Spence (1973), QJE 87(3):355-374, the numerical example: Group I (productivity 1, share q1,
education y costs y), Group II (productivity 2, cost y/2).  Separating at y*: Group I stays at 0
iff 1 >= 2 - y*; Group II signals iff 2 - y*/2 >= 1: so 1 <= y* <= 2.  Pooling at 0 pays both the
average 2 - q1.  Intuitive criterion (Cho & Kreps 1987, §IV): a pool at 0 fails it through a level
y with q1 < y < 2 q1 (Group I's 2 - y falls below 2 - q1, Group II's 2 - y/2 exceeds it); the
separating equilibrium at y2 > y1 fails it through y1 (Group I: 2 - y1 < 1, Group II:
2 - y1/2 > 2 - y2/2); the least-cost separating one survives (Riley 1979).
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from clirun import run_json
from oracle import CHILD_PRELUDE, run_child

from solver.core.budget import Budget
from solver.core.signalling import Signalling, from_tree
from solver.equilibria.signalling.polytope import vertices
from solver.equilibria.signalling.solve import PBE, SignallingResult, solve_signalling
from solver.formats import load

F = Fraction
HALF = F(1, 2)


def game(name: str, **values: Any) -> Signalling:
    m = load(name)
    assert m.tree is not None
    g = from_tree(m.tree.at(m.values({k: str(v) for k, v in values.items()})))
    assert g is not None
    return g


def pbe_json(name: str, *sets: str) -> list[dict[str, Any]]:
    doc = run_json("solve", name, *(x for s in sets for x in ("--set", s)))
    return [e for e in doc["equilibria"] if e.get("perfect_bayesian")]


def pooled(e: dict[str, Any]) -> str:
    """The message a pooling PBE's path goes through (path: chance, A's message, B's reply)."""
    return str(e["path"][0]["path"][1])


# --- beer-quiche ------------------------------------------------------------------------------


def test_beer_quiche_two_pooling_families_at_one_tenth() -> None:
    eqs = pbe_json("beer_quiche")
    assert {e["signalling"]["kind"] for e in eqs} == {"pooling"}
    families: dict[str, list[dict[str, Any]]] = {}
    for e in eqs:
        families.setdefault(pooled(e), []).append(e)
    assert sorted(families) == ["Beer", "Quiche"]
    for message, members in families.items():
        off = "after_quiche" if message == "Beer" else "after_beer"
        spans = [e["belief_ranges"]["B"][off] for e in members]
        assert {s["node"] for s in spans} == {f"chance Weak, A {'Quiche' if message == 'Beer' else 'Beer'}"}
        assert min(s["min"] for s in spans) == 0.5 and max(s["max"] for s in spans) == 1
        assert {s["min_exact"] for s in spans} == {"1/2"} and {s["max_exact"] for s in spans} == {"1/2", "1"}
        # on the path: the prior
        on = "after_beer" if message == "Beer" else "after_quiche"
        assert {tuple(e["beliefs"]["B"][on].values()) for e in members} == {(0.1, 0.9)}
        survives = message == "Beer"
        assert {e["signalling"]["intuitive_criterion"] for e in members} == {survives}
        assert {e["signalling"]["d1"] for e in members} == {survives}


def test_beer_quiche_table_says_what_the_json_says() -> None:
    from clirun import run

    eqs = pbe_json("beer_quiche")
    text = run("solve", "beer_quiche").stdout
    for k, e in enumerate(eqs, 1):  # each PBE's heading carries its kind and tests
        words = ("pooling, survives the intuitive criterion and D1" if e["signalling"]["intuitive_criterion"]
                 else "pooling, fails the intuitive criterion and D1")
        assert f"#{k}  perfect Bayesian; {words};" in text
    # one line per play: the beer pool (#1, #2 in the JSON's order) survives, the quiche pool fails
    beer = [k for k, e in enumerate(eqs, 1) if pooled(e) == "Beer"]
    assert "survives the intuitive criterion and D1: Strong > Beer > Not duel | Weak > Beer > Not" in text
    assert f"({', '.join(f'#{k}' for k in beer)})" in text


@pytest.mark.parametrize("p", [F(3, 5), F(3, 4), F(9, 10)], ids=["p=3/5", "p=3/4", "p=9/10"])
def test_beer_quiche_hybrid_above_one_half(p: Fraction) -> None:
    res = solve_signalling(game("beer_quiche", p_weak=p))
    assert res.complete and len(res.equilibria) == 1
    e = res.equilibria[0]
    beer, quiche, duel = 0, 1, 0
    assert e.kind == "semi-separating"
    assert e.sigma == ((1 - (1 - p) / p, (1 - p) / p)[::-1], (F(1), F(0)))
    assert e.rho[beer][0][duel] == HALF and e.rho[quiche][0][duel] == 1
    assert e.beliefs[beer][0] == (HALF, HALF) and e.beliefs[quiche][0] == (F(1), F(0))
    assert e.intuitive_criterion and e.d1 and e.sender_payoffs == (F(1), F(2))


def test_beer_quiche_no_separating_at_any_prior_below_one_half() -> None:
    for p in (F(1, 10), F(1, 4), F(2, 5)):
        res = solve_signalling(game("beer_quiche", p_weak=p))
        assert {e.kind for e in res.equilibria} == {"pooling"}, p


# --- Spence -------------------------------------------------------------------------------------


def outcome(e: PBE) -> tuple[tuple[int, ...], ...]:
    """Which education each group chooses (the messages it sends)."""
    return tuple(tuple(m for m, x in enumerate(row) if x) for row in e.sigma)


SEP_Y1 = ((0,), (1,))  # Group I none, Group II y1
SEP_Y2 = ((0,), (2,))
POOL_0 = ((0,), (0,))


@pytest.mark.parametrize(
    "y1,separates",
    [(F(4, 5), False), (F(6, 5), True), (F(3, 2), True), (F(19, 10), True), (F(12, 5), False)],
    ids=["y=0.8", "y=1.2", "y=1.5", "y=1.9", "y=2.4"],
)
def test_spence_separating_iff_y_between_one_and_two(y1: Fraction, separates: bool) -> None:
    res = solve_signalling(game("spence_job_market", y1=y1))
    found = {outcome(e): e for e in res.equilibria}
    assert (SEP_Y1 in found) is separates
    if separates:  # Group I paid 1 at no cost, Group II paid 2 at cost y/2
        assert found[SEP_Y1].sender_payoffs == (F(1), 2 - y1 / 2)
    assert found[POOL_0].sender_payoffs == (F(5, 4), F(5, 4))  # the average wage 2 - q1


@pytest.mark.parametrize(
    "q1,survivors",
    # q1 = 1/2 also has a hybrid (no level is off the path but y2, dominated for both groups):
    # Group II at 0 with probability 1/3 makes the employer's belief on Group II at 0 equal to
    # 1/4, where the low (1) and average (3/2) wages tie; it mixes them 1/5 : 4/5 so that 0 pays
    # 7/5 = 2 - y1/2 and Group II is indifferent
    [(F(3, 4), {SEP_Y1}), (F(1, 2), {SEP_Y1, POOL_0, ((0,), (0, 1))})],
    ids=["q1=3/4 (y1 in (q1, 2 q1)): Riley only", "q1=1/2 (no level in (q1, 2 q1)): pool too"],
)
def test_spence_intuitive_criterion(q1: Fraction, survivors: set[Any]) -> None:
    res = solve_signalling(game("spence_job_market", q1=q1))
    outcomes = {outcome(e) for e in res.equilibria}
    assert {SEP_Y1, SEP_Y2, POOL_0} <= outcomes
    assert {outcome(e) for e in res.equilibria if e.intuitive_criterion} == survivors
    assert {e.d1 for e in res.equilibria} == {None}  # three wages: D1 is not computed


def test_spence_cli_json_marks_the_riley_equilibrium() -> None:
    eqs = pbe_json("spence_job_market")
    kept = [e for e in eqs if e["signalling"]["intuitive_criterion"]]
    assert kept and {e["signalling"]["kind"] for e in kept} == {"separating"}
    for e in kept:
        assert e["signalling"]["type_payoffs"] == {"Group I": 1, "Group II": 1.4}


# --- invariance, structure, budget ------------------------------------------------------------


def summary(res: SignallingResult, perm: list[int] | None = None) -> set[Any]:
    """Each PBE as (sigma, rho, kind, tests, off-path belief vertices), messages put back in the
    original order by ``perm`` (new index -> old)."""
    out = set()
    for e in res.equilibria:
        order = perm or list(range(len(e.rho)))
        back = sorted(range(len(order)), key=lambda k: order[k])
        sigma = tuple(tuple(row[k] for k in back) for row in e.sigma)
        rho = tuple(e.rho[k] for k in back)
        off = frozenset(((order[m], r), pts) for (m, r), pts in e.off_path)
        out.add((sigma, rho, e.kind, e.intuitive_criterion, e.d1, off))
    return out


def test_relabelling_messages_and_affine_payoffs_change_nothing() -> None:
    g = game("beer_quiche", p_weak=F(1, 10))
    base = summary(solve_signalling(g))
    perm = [1, 0]  # new message k is old message perm[k]
    swapped = Signalling(
        g.sender, g.receiver, g.types, g.receiver_types, g.prior,
        ("Q", "B"), tuple(g.responses[k] for k in perm),
        tuple(tuple(tuple(by_r[k] for k in perm) for by_r in by_t) for by_t in g.u_sender),
        tuple(tuple(tuple(by_r[k] for k in perm) for by_r in by_t) for by_t in g.u_receiver),
    )
    assert summary(solve_signalling(swapped), perm) == base

    def affine(u: Any, a: int, b: list[int]) -> Any:  # a u + b[t]: type-wise shifts
        return tuple(tuple(tuple(tuple(a * v + b[t] for v in cell) for cell in by_r) for by_r in by_t)
                     for t, by_t in enumerate(u))

    scaled = Signalling(g.sender, g.receiver, g.types, g.receiver_types, g.prior, g.messages, g.responses,
                        affine(g.u_sender, 3, [5, -2]), affine(g.u_receiver, 2, [7, 1]))
    assert summary(solve_signalling(scaled)) == base


@pytest.mark.parametrize(
    "name", ["entry_deterrence", "zagare_kilgour_deterrence", "syria_resolve", "kreps_wilson_reputation"]
)
def test_other_trees_are_not_signalling_games(name: str) -> None:
    try:
        m = load(name)
    except Exception:  # a model another helper may not have written yet
        pytest.skip(f"{name} not available")
    assert m.tree is not None
    assert from_tree(m.tree.at(m.values())) is None


def test_spent_budget_stops_cleanly() -> None:
    res = solve_signalling(game("spence_job_market"), Budget.start(0.0))
    assert not res.complete and res.limits and "ran out" in res.limits[0]
    capped = solve_signalling(game("spence_job_market"), max_patterns=10)
    assert not capped.complete and "10 support patterns" in capped.limits[0]


# --- pygambit: every PBE is a Nash equilibrium; every PBE Nash equilibrium is in a component ---

_CHILD = (
    CHILD_PRELUDE
    + r"""
import json
from fractions import Fraction
if gc.major() < 17:
    print(json.dumps({"skip": "pygambit 17 needed (history selectors)"}))
    raise SystemExit
H = gbt.H
answers = []
for job in json.loads(sys.stdin.read()):
    g = gbt.read_efg(job["efg"])
    out = {"regrets": [], "nash": []}
    for prof in job["profiles"]:
        p = g.mixed_behavior_profile(rational=True)
        for path, dist in prof:
            p[H.path(*path)] = {a: Fraction(x) for a, x in dist.items()}
        out["regrets"].append(str(p.max_regret()))
    if job["solver"] == "enummixed":
        found = gbt.nash.enummixed_solve(g, rational=True).equilibria
    else:
        found = gbt.nash.lcp_solve(g, rational=True, use_strategic=True).equilibria
    for eq in found:
        b = eq.as_behavior() if hasattr(eq, "as_behavior") else eq
        out["nash"].append([{a: str(x) for a, x in dict(b[H.path(*path)]).items()} for path in job["paths"]])
    answers.append(out)
print(json.dumps(answers))
"""
)

def random_tree(nt: int, nr: int, nm: int, na: int, seed: int) -> Any:
    """A random signalling game as a tree: one chance move over (sender type, receiver type)."""
    import random

    from solver.core.tree import chance, decision, from_named, leaf

    rng = random.Random(seed)
    specs: dict[str, Any] = {"nature": chance({f"t{t}": (F(1, nt), f"n{t}") for t in range(nt)})}
    for t in range(nt):  # the receiver's type drawn next, its odds depending on the sender's
        weights = [rng.randint(1, 4) for _ in range(nr)]
        specs[f"n{t}"] = chance({f"r{r}": (F(w, sum(weights)), f"s{t}_{r}") for r, w in enumerate(weights)})
        for r in range(nr):
            specs[f"s{t}_{r}"] = decision("S", {f"m{m}": f"x{t}_{r}_{m}" for m in range(nm)}, f"type {t}")
            for m in range(nm):
                specs[f"x{t}_{r}_{m}"] = decision("R", {f"a{a}": f"z{t}_{r}_{m}_{a}" for a in range(na)}, f"m{m} r{r}")
                for a in range(na):
                    specs[f"z{t}_{r}_{m}_{a}"] = leaf((F(rng.randint(0, 6)), F(rng.randint(0, 6))))
    return from_named(("S", "R"), "nature", specs)


def test_random_tree_is_recognised_with_its_types() -> None:
    g = from_tree(random_tree(3, 2, 2, 2, seed=1))
    assert g is not None
    assert (g.types, g.receiver_types, g.messages) == (("t0", "t1", "t2"), ("r0", "r1"), ("m0", "m1"))
    assert sum(sum(row) for row in g.prior) == 1


CASES: list[tuple[str, dict[str, Any], str]] = [
    ("beer_quiche", {}, "enummixed"),
    ("beer_quiche", {"p_weak": F(3, 5)}, "enummixed"),
    ("beer_quiche", {"p_weak": F(1, 2)}, "enummixed"),
    ("spence_job_market", {}, "lcp"),
    # random games with three sender and two receiver types: lcp (enummixed takes seconds there)
    ("random 3 types, 2 receiver types, seed 1", {}, "lcp"),
    ("random 3 types, 2 receiver types, seed 2", {}, "lcp"),
]


def _paths(g: Signalling, tree: Any) -> list[tuple[str, ...]]:
    """A history to one node of each sender set (per type) and receiver set (per message, type)."""
    def moves(n: int) -> tuple[str, ...]:
        return tuple(tree.actions(p)[a] for p, a in tree.history(n))

    out = [moves(row[0]) for row in g.states]
    out += [(*moves(s), msg) for msg in g.messages for s in g.states[0]]
    return out


def _in_hull(points: list[Any], x: Any) -> bool:
    n = len(points)
    eqs = [([F(1)] * n, F(1))] + [([F(p[j]) for p in points], F(x[j])) for j in range(len(x))]
    return bool(vertices(n, eqs, [([F(int(i == k)) for i in range(n)], F(0)) for k in range(n)]))


@pytest.fixture(scope="module")
def gambit_runs(tmp_path_factory: Any) -> list[tuple[Signalling, SignallingResult, dict[str, Any]]]:
    """Each case solved here and, in one pygambit child, its PBE's regrets and pygambit's own
    equilibria (enummixed, or lcp on the reduced strategic form)."""
    from solver.formats.efg_write import format_efg

    jobs, solved = [], []
    for k, (name, values, solver) in enumerate(CASES):
        if name.startswith("random"):
            tree = random_tree(3, 2, 2, 2, seed=int(name[-1]))
        else:
            m = load(name)
            assert m.tree is not None
            tree = m.tree.at(m.values({key: str(v) for key, v in values.items()}))
        g = from_tree(tree)
        assert g is not None
        res = solve_signalling(g)
        paths = _paths(g, tree)
        profiles = []
        for e in res.equilibria:
            rows = [dict(zip(g.messages, map(str, e.sigma[t]), strict=True)) for t in range(len(g.types))]
            rows += [dict(zip(g.responses[mm], map(str, e.rho[mm][r]), strict=True))
                     for mm in range(len(g.messages)) for r in range(len(g.receiver_types))]
            profiles.append(list(zip(paths, rows, strict=True)))
        efg = tmp_path_factory.mktemp("efg") / f"game{k}.efg"
        efg.write_text(format_efg(tree))
        jobs.append({"efg": str(efg), "profiles": profiles, "paths": paths, "solver": solver})
        solved.append((g, res))
    out = json.loads(run_child(_CHILD, stdin=json.dumps(jobs), timeout=120))
    if isinstance(out, dict):
        pytest.skip(out["skip"])
    return [(g, res, answer) for (g, res), answer in zip(solved, out, strict=True)]


@pytest.mark.parametrize("case", range(len(CASES)),
                         ids=["beer-quiche 1/10", "beer-quiche 3/5", "beer-quiche 1/2 (ties)", "spence (lcp)",
                              "random 3x2 types seed 1", "random 3x2 types seed 2"])
def test_pygambit_agrees(case: int, gambit_runs: list[tuple[Signalling, SignallingResult, dict[str, Any]]]) -> None:
    from solver.equilibria.signalling.check import is_pbe
    from solver.equilibria.signalling.model import exact

    g, res, out = gambit_runs[case]
    assert out["regrets"] == ["0"] * len(res.equilibria)  # every PBE is a Nash equilibrium
    ex = exact(g)
    nt, nr = len(g.types), len(g.receiver_types)
    pbe_nash = 0
    for dists in out["nash"]:
        sigma = [[F(dists[t][msg]) for msg in g.messages] for t in range(nt)]
        rho = [[[F(dists[nt + m * nr + r][a]) for a in g.responses[m]] for r in range(nr)]
               for m in range(len(g.messages))]
        if not is_pbe(ex, sigma, rho):
            continue
        pbe_nash += 1  # then it lies in one of the components listed
        flat_s = [x for row in sigma for x in row]
        flat_r = [x for by_r in rho for p in by_r for x in p]
        assert any(
            _in_hull([[x for row in res.equilibria[k].sigma for x in row] for k in comp], flat_s)
            and _in_hull([[x for b in res.equilibria[k].rho for p in b for x in p] for k in comp], flat_r)
            for comp in res.components
        ), (sigma, rho)
    assert pbe_nash > 0
