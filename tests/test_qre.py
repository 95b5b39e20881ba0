"""Logit QRE (:mod:`solver.equilibria.qre`) against pygambit's logit solvers, hand-solved fixed
points of published games, its limits and invariances; the batched 2x2 kernel against the
single-game tracer.

pygambit answers in one child process for the whole module (``oracle.run_child``): strategic
games through ``logit_solve_lambda(use_strategic=True)`` and ``logit_solve``, trees through
``logit_solve_lambda(use_strategic=False)`` (the agent QRE), whose behaviour is read back from
the nodes' realisation probabilities (pygambit 17's profiles are keyed by histories).
"""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from oracle import CHILD_PRELUDE, run_child
from scipy.optimize import brentq, fsolve
from scipy.special import expit, logit

from solver.core.budget import Budget
from solver.core.game import Game
from solver.core.symbolic import evaluate
from solver.core.tolerances import QRE_RESIDUAL, REGRET
from solver.core.tree import Tree
from solver.equilibria.qre.batched2x2 import qre_2x2
from solver.equilibria.qre.branch import form_of, point, points, qre_all_at, qre_at, trace_branch
from solver.equilibria.qre.form import Form, augmented, jacobian, residual, values
from solver.equilibria.qre.limit import logit_limit, support_nash
from solver.equilibria.qre.many import qre_many
from solver.equilibria.qre.trace import _hermite, _tangent, fixed_lambda, trace
from solver.equilibria.verify import is_equilibrium, max_regret
from solver.formats import load
from solver.formats.efg import format_efg, read_efg

TOL = 1e-6
#: lambdas in units of the payoff spread (lambda * spread is what the QRE depends on)
REL_LAMBDAS = (0.5, 2.0, 5.0, 10.0, 30.0)

_CHILD = (
    CHILD_PRELUDE
    + r"""
import io, json
import numpy as np
out = {}
for key, job in json.loads(sys.stdin.read()).items():
    if job["kind"] == "efg":
        g = gbt.read_efg(io.StringIO(job["text"]))
        res = gbt.qre.logit_solve_lambda(g, lam=job["lams"], use_strategic=False)
        out[key] = [[float(v) for _, v in list(r.profile.realiz_probs)] for r in res]
        continue
    arr = np.array(job["payoffs"], dtype=float)
    g = gc.game_from_arrays(*[arr[i] for i in range(arr.shape[0])])
    def flat(prof):
        return [[float(prof[p][s]) for s in g.get_strategies(p)] for p in g.players]
    res = gbt.qre.logit_solve_lambda(g, lam=job["lams"], use_strategic=True)
    eq = gbt.nash.logit_solve(g).equilibrium
    out[key] = {"points": [flat(r.profile) for r in res], "limit": None if eq is None else flat(eq)}
print(json.dumps(out))
"""
)


def _random(shape: tuple[int, ...], seed: int) -> Game:
    rng = np.random.default_rng(seed)
    return Game.from_arrays(np.round(rng.normal(size=(len(shape), *shape)), 2), exact=False)


SHIPPED = ["chicken", "matching_pennies", "prisoners_dilemma", "stag_hunt", "syria_deconfliction", "syria_triad"]
GAMES: dict[str, Game] = {name: evaluate(load(name)) for name in SHIPPED}
GAMES |= {f"random-2x2-{s}": _random((2, 2), s) for s in range(4)}
GAMES |= {f"random-3x3-{s}": _random((3, 3), s) for s in range(3)}
GAMES |= {f"random-2x2x2-{s}": _random((2, 2, 2), s) for s in range(3)}
GAMES["random-5x5-0"] = _random((5, 5), 0)
#: a 2x2 game whose principal branch folds back twice (see test_turning_points_are_the_folds)
FOLDING = ([[-0.331, -0.54], [0.781, -0.472]], [[-2.432, 0.488], [0.593, 0.021]])
GAMES["folding-2x2"] = Game.from_bimatrix(*FOLDING, exact=False)
#: degenerate games: a duplicated strategy, a player indifferent everywhere, weak dominance
GAMES["duplicate-strategy"] = Game.from_bimatrix([[1, 0], [1, 0], [0, 2]], [[1, 0], [1, 0], [0, 2]])
GAMES["indifferent-row"] = Game.from_bimatrix([[1, 1], [1, 1]], [[2, 0], [0, 1]])
GAMES["weakly-dominated"] = Game.from_bimatrix([[1, 1], [0, 1]], [[1, 0], [1, 1]])
GAMES["rock-paper-scissors"] = Game.from_bimatrix(
    [[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]
)


def _tree(name: str) -> Tree:
    m = load(name)
    assert m.tree is not None
    return m.tree.at(m.values())


def _reshuffled(tree: Tree, seed: int) -> Tree:
    """The same tree with random leaf payoffs (two decimals)."""
    rng = np.random.default_rng(seed)
    nodes = tuple(
        replace(n, payoffs=tuple(F(round(float(v), 2)).limit_denominator(100) for v in rng.normal(size=len(n.payoffs))))
        if n.is_terminal
        else n
        for n in tree.nodes
    )
    return Tree(tree.players, nodes, tree.infosets, tree.title)


KUHN = read_efg(Path(__file__).parent / "data" / "efg" / "kuhn_poker.efg")
SHIPPED_TREES = ("entry_deterrence", "chicken_commitment", "syria_resolve", "syria_sequential")
TREES: dict[str, Tree] = {name: _tree(name) for name in SHIPPED_TREES}
TREES |= {"kuhn-poker": KUHN, "kuhn-random-0": _reshuffled(KUHN, 0)}
TREES["syria-resolve-random-1"] = _reshuffled(TREES["syria_resolve"], 1)


def _spread(subject: Game | Tree) -> float:
    form = form_of(subject)
    return float(form.payoffs.max() - form.payoffs.min()) or 1.0


def _lams(subject: Game | Tree) -> list[float]:
    return [c / _spread(subject) for c in REL_LAMBDAS]


@pytest.fixture(scope="module")
def gambit() -> dict[str, Any]:
    jobs: dict[str, Any] = {
        k: {"kind": "nfg", "payoffs": g.float_payoffs().tolist(), "lams": _lams(g)} for k, g in GAMES.items()
    }
    jobs |= {k: {"kind": "efg", "text": format_efg(t), "lams": _lams(t)} for k, t in TREES.items()}
    jobs |= {
        f"fork-{k}": {"kind": "nfg", "payoffs": _symmetric(a).float_payoffs().tolist(), "lams": _before_fork(a)}
        for k, a in FORKS.items()
    }
    answer: dict[str, Any] = json.loads(run_child(_CHILD, stdin=json.dumps(jobs), timeout=120))
    return answer


def _gap(ours: Any, theirs: Any) -> float:
    pairs = zip(ours, theirs, strict=True)
    return max(abs(float(a) - float(b)) for va, vb in pairs for a, b in zip(va, vb, strict=True))


@pytest.mark.parametrize("name", list(GAMES))
def test_strategic_qre_matches_pygambit(name: str, gambit: dict[str, Any]) -> None:
    """Every point on the principal branch (first crossing of each lambda) equals pygambit's."""
    b = qre_at(GAMES[name], _lams(GAMES[name]))
    assert b.complete and len(b.points) == len(REL_LAMBDAS)
    for ours, theirs in zip(b.points, gambit[name]["points"], strict=True):
        assert _gap(ours.vectors, theirs) <= TOL, (ours.lam, ours.vectors, theirs)


@pytest.mark.parametrize("name", list(GAMES))
def test_logit_limit_is_pygambit_selection(name: str, gambit: dict[str, Any]) -> None:
    """The limit is a Nash equilibrium (regret check) and the one ``logit_solve`` approaches."""
    r = logit_limit(GAMES[name])
    assert r.method == "logit tracing" and len(r.equilibria) == 1 and not r.complete
    eq = r.equilibria[0]
    assert is_equilibrium(GAMES[name], eq.vectors)
    assert _gap(eq.vectors, gambit[name]["limit"]) <= 1e-5  # pygambit stops at regret 1e-8 * spread


def _behaviour(tree: Tree, realised: list[float]) -> list[list[float]]:
    """Behaviour at each player's information set from node realisation probabilities."""
    out = []
    for h in tree.infosets:
        if h.player < 0:
            continue
        total = sum(realised[m] for m in h.members)
        out.append([sum(realised[tree.nodes[m].children[a]] for m in h.members) / total for a in range(len(h.actions))])
    return out


@pytest.mark.parametrize("name", list(TREES))
def test_agent_qre_matches_pygambit(name: str, gambit: dict[str, Any]) -> None:
    """The agent QRE on the tree's behaviour strategies equals pygambit's behaviour logit."""
    tree = TREES[name]
    b = qre_at(tree, _lams(tree))
    assert b.complete and len(b.points) == len(REL_LAMBDAS)
    for ours, realised in zip(b.points, gambit[name], strict=True):
        assert _gap(ours.vectors, _behaviour(tree, realised)) <= TOL, ours.lam


@pytest.mark.parametrize("subject", [*GAMES.values(), *TREES.values()], ids=[*GAMES, *TREES])
def test_uniform_at_lambda_zero(subject: Game | Tree) -> None:
    (p,) = qre_at(subject, 0.0).points
    assert all(v == pytest.approx(1 / len(vec), abs=1e-15) for vec in p.vectors for v in vec)


# --- invariances -------------------------------------------------------------------------------

INVARIANT = ["random-2x2-1", "random-3x3-0", "random-2x2x2-2", "syria_deconfliction"]


@pytest.mark.parametrize("name", INVARIANT)
def test_relabelling_permutes_the_qre(name: str) -> None:
    g = GAMES[name]
    pay = g.float_payoffs()
    perms = [np.roll(np.arange(m), 1) for m in g.shape]
    moved = pay[np.ix_(range(g.n_players), *perms)]
    lams = _lams(g)
    a, b = qre_at(g, lams), qre_at(Game.from_arrays(moved, exact=False), lams)
    for pa, pb in zip(a.points, b.points, strict=True):
        assert _gap([np.asarray(v)[perm] for v, perm in zip(pa.vectors, perms, strict=True)], pb.vectors) <= TOL


@pytest.mark.parametrize("name", INVARIANT)
@pytest.mark.parametrize("k", [0.25, 3.0])
def test_constant_shift_and_scaling(name: str, k: float) -> None:
    """Adding a constant to one player's payoffs changes nothing; scaling by k scales lambda by 1/k."""
    g = GAMES[name]
    pay = g.float_payoffs()
    shifted = pay.copy()
    shifted[0] += 7.5
    lams = _lams(g)
    base = qre_at(g, lams)
    same = qre_at(Game.from_arrays(shifted, exact=False), lams)
    scaled = qre_at(Game.from_arrays(k * pay, exact=False), [v / k for v in lams])
    for p, q, r in zip(base.points, same.points, scaled.points, strict=True):
        assert _gap(p.vectors, q.vectors) <= TOL and _gap(p.vectors, r.vectors) <= TOL


# --- published games, solved by hand ---------------------------------------------------------


def _hand_2x2(a: Any, b: Any, lam: float) -> tuple[float, float]:
    """The unique logit QRE of a 2x2 game without a pure equilibrium (McKelvey & Palfrey 1995):
    p = P(Top) solves p = logistic(lam * (Row's gain of Top against q)) with
    q = logistic(lam * (Column's gain of Left against p)); the left side minus the right is
    increasing in p, so brentq on [0, 1] finds the one root."""
    (a11, a12), (a21, a22) = a
    (b11, b12), (b21, b22) = b

    def q_of(p: float) -> float:
        return float(expit(lam * (p * (b11 - b12) + (1 - p) * (b21 - b22))))

    def gap(p: float) -> float:
        q = q_of(p)
        return p - float(expit(lam * (q * (a11 - a21) + (1 - q) * (a12 - a22))))

    p = brentq(gap, 0.0, 1.0, xtol=1e-15, rtol=1e-15)
    return p, q_of(p)


def _goeree_holt(x: int) -> tuple[list[list[int]], list[list[int]]]:
    """Goeree & Holt (2001, AER 91:1402-1422, "Ten little treasures"): asymmetric matching
    pennies in cents, Row's payoff ``x`` at (Top, Left); x = 80 symmetric, 320 and 44 asymmetric."""
    return [[x, 40], [40, 80]], [[40, 80], [80, 40]]


@pytest.mark.parametrize("x", [80, 320, 44])
@pytest.mark.parametrize("lam", [0.01, 0.05, 0.2])
def test_goeree_holt_asymmetric_matching_pennies(x: int, lam: float) -> None:
    a, b = _goeree_holt(x)
    (p,) = qre_at(Game.from_bimatrix(a, b), lam).points
    top, left = _hand_2x2(a, b, lam)
    assert p.vectors[0][0] == pytest.approx(top, abs=1e-9) and p.vectors[1][0] == pytest.approx(left, abs=1e-9)
    # the own-payoff effect (Goeree, Holt & Palfrey 2005, Exp. Econ. 8:347-367): the
    # Nash Top probability is 1/2 whatever x is; the QRE's rises with x
    assert (top > 0.5) if x == 320 else (top < 0.5) if x == 44 else top == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("x, left", [(80, F(1, 2)), (320, F(1, 8)), (44, F(10, 11))])
def test_goeree_holt_nash_limit(x: int, left: F) -> None:
    """The limit is the mixed equilibrium: Top 1/2 (Column indifferent), Left 40/x (Row indifferent)."""
    r = logit_limit(Game.from_bimatrix(*_goeree_holt(x)))
    assert r.exact and r.equilibria[0].vectors == ((F(1, 2), F(1, 2)), (left, 1 - left))


#: McKelvey & Palfrey (1995, GEB 10:6-38) fit Ochs's (1995) game with Row's payoff 4
#: at (Top, Left), in 1982 US cents per player: Row's matrix times 0.2785, Column's times 1.1141
#: (as reproduced by Turocy 2016, "Doing statistical game theory", with Gambit)
OCHS_ROW = [[4 * 0.2785, 0.0], [0.0, 0.2785]]
OCHS_COLUMN = [[0.0, 1.1141], [1.1141, 0.0]]


@pytest.mark.parametrize("lam", [0.5, 2.0, 5.0, 20.0])
def test_mckelvey_palfrey_ochs_game(lam: float) -> None:
    """The QRE by hand; and MP95's reading of it: Row plays Top more than its Nash 1/2 and Column
    Left more than its Nash 1/5, both converging to Nash as lambda grows."""
    g = Game.from_bimatrix(OCHS_ROW, OCHS_COLUMN, exact=False)
    (p,) = qre_at(g, lam).points
    top, left = _hand_2x2(OCHS_ROW, OCHS_COLUMN, lam)
    assert p.vectors[0][0] == pytest.approx(top, abs=1e-9) and p.vectors[1][0] == pytest.approx(left, abs=1e-9)
    assert top > 0.5 and left > 0.2
    (far,) = qre_at(g, 50 * lam).points
    assert abs(far.vectors[0][0] - 0.5) < abs(top - 0.5) and abs(far.vectors[1][0] - 0.2) < abs(left - 0.2)


def test_battle_of_the_sexes_bifurcation() -> None:
    """The battle of the sexes (3, 2 / 2, 3) is symmetric: its principal branch keeps q = 1 - p and
    is crossed by two asymmetric branches where 5 lam p (1 - p) = 1 with logit(p) = lam (3 - 5p)
    (the 2x2 Jacobian is singular there).  The tracer reports a bifurcation around that lambda,
    goes straight on and ends at the mixed equilibrium (3/5, 2/5); pygambit 17 perturbs the game
    there (its LogitBifurcationEvent lies between lambda 0.708 and 0.811)."""
    p = brentq(lambda p: logit(p) - (3 - 5 * p) / (5 * p * (1 - p)), 0.5, 0.6, xtol=1e-15)
    star = 1 / (5 * p * (1 - p))
    g = evaluate(load("battle_of_the_sexes"))
    b = trace_branch(g, lambda_max=5.0)
    assert len(b.bifurcations) == 1 and b.bifurcations[0][0] < star < b.bifurcations[0][1]
    assert all(pt.vectors[1][0] == pytest.approx(pt.vectors[0][1], abs=1e-9) for pt in b.points)
    r = logit_limit(g)
    assert r.equilibria[0].vectors == ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5)))
    assert any("bifurcation" in n for n in r.notes)


#: symmetric 2x2 games (``A`` against ``A.T``) whose symmetric principal branch forks: the first
#: three have a dominated second strategy, yet asymmetric QRE branch off at one lambda and merge back
#: at a larger one (the strategies are substitutes: D' < 0 below); the last is an anti-coordination
#: game (one fork).  The tracer used to stall at the second fork of each, and at the only one of the
#: last: near the fork the Jacobian is nearly singular and Newton's corrector could not get its step
#: under QRE_NEWTON; it now accepts a step that stops contracting at rounding-level residuals.
FORKS = {
    "dominated-gap-0.08": [[1.73, 4.11], [1.65, -6.52]],
    "dominated-gap-0.05": [[0.72, 3.91], [0.67, 1.31]],
    "dominated-gap-0.15": [[-1.47, 3.77], [-1.62, -0.68]],
    "anti-coordination": [[4.22, 2.08], [4.37, -1.68]],
}


def _symmetric(a: list[list[float]]) -> Game:
    return Game.from_bimatrix(a, np.asarray(a).T.tolist(), exact=False)


def _forks(a: list[list[float]]) -> tuple[list[float], float]:
    """By hand: with ``p`` the probability of the first strategy and D(p) = (a - c) p + (b - d)(1 - p)
    its payoff advantage, the symmetric branch is logit(p) = lam D(p); the 2x2 Jacobian's
    antisymmetric direction is singular (a pitchfork) where lam p (1 - p) (-D') = 1.  The lambdas
    of the forks, and the limit of p: 1 when D > 0 throughout, else the mixed equilibrium D(p) = 0."""
    (a1, b1), (c1, d1) = a
    slope = (a1 - c1) - (b1 - d1)

    def adv(p: float) -> float:
        return (a1 - c1) * p + (b1 - d1) * (1 - p)

    def gap(s: float) -> float:
        return float(s * expit(s) * expit(-s) * -slope - adv(float(expit(s))))

    limit = 1.0 if a1 > c1 else (b1 - d1) / (b1 - d1 - (a1 - c1))
    grid = np.linspace(1e-9, 40.0 if limit == 1.0 else float(logit(limit)) - 1e-9, 4001)
    vals = [gap(s) for s in grid]
    roots = [brentq(gap, grid[i], grid[i + 1], xtol=1e-14) for i in range(grid.size - 1) if vals[i] * vals[i + 1] < 0]
    return [r / adv(float(expit(r))) for r in roots], limit


def _before_fork(a: list[list[float]]) -> list[float]:
    first = _forks(a)[0][0]
    return [0.25 * first, 0.5 * first, 0.9 * first]


@pytest.mark.parametrize("name", list(FORKS))
def test_symmetric_branch_goes_straight_through_forks(name: str, gambit: dict[str, Any]) -> None:
    """The principal branch reaches lambda_max, stays symmetric, solves logit(p) = lam D(p) at every
    point, and reports each fork (derived by hand in :func:`_forks`) between the lambdas it names.
    Its limit is the game's Nash equilibrium with p = the hand-derived limit: with a dominated
    strategy the unique equilibrium (pygambit 17's ``logit_solve`` reports no equilibrium on these
    games, "regret target not reached": if it does answer, it must be this one); in the
    anti-coordination game the symmetric mixed equilibrium, the branch going straight on through the
    fork (pygambit perturbs there and may follow an asymmetric branch to a pure equilibrium).
    Before the first fork the branch equals pygambit's ``logit_solve_lambda`` (past it pygambit leaves
    the symmetric branch)."""
    a = FORKS[name]
    g = _symmetric(a)
    (a1, b1), (c1, d1) = a
    forks, limit = _forks(a)
    b = trace_branch(g, lambda_max=1000.0)
    assert b.status == "done" and b.complete and b.points[-1].lam == 1000.0
    for pt in b.points:
        p, q = pt.vectors[0][0], pt.vectors[1][0]
        assert p == pytest.approx(q, abs=1e-9)
        assert float(expit(pt.lam * ((a1 - c1) * p + (b1 - d1) * (1 - p)))) == pytest.approx(p, abs=1e-9)
    assert len(b.bifurcations) == len(forks)
    assert all(lo <= star <= hi for (lo, hi), star in zip(b.bifurcations, forks, strict=True))
    r = logit_limit(g)
    assert not r.limits and len(r.equilibria) == 1
    eq = r.equilibria[0]
    assert max_regret(g, eq.vectors) <= REGRET
    assert _gap(eq.vectors, [[limit, 1 - limit]] * 2) <= 1e-9
    assert sum("bifurcation" in n for n in r.notes) == len(forks)
    theirs = gambit[f"fork-{name}"]
    assert limit < 1.0 or theirs["limit"] is None or _gap(eq.vectors, theirs["limit"]) <= 1e-5
    for ours, their in zip(qre_at(g, _before_fork(a)).points, theirs["points"], strict=True):
        assert _gap(ours.vectors, their) <= TOL, (ours.lam, ours.vectors, their)


#: symmetric games beyond 2x2 whose branch forks where a strategy's probability is tiny: the
#: Newton step near the fork is rounding amplified from its very first iteration (log-probability of
#: the third strategy about -1500 at the second fork); the tracer stalled at lambda 5.67 before
#: QRE_ROUNDING, then (accepting only later iterations) at 224
DEEP_FORKS = [
    pytest.param(
        [[4.96, -2.67, 2.49], [4.94, -3.78, -0.25], [-1.7, 9.2, -2.41]],
        [5.6719],
        [1, 0, 0],
        id="3x3-gap-0.02",
    ),
]


@pytest.mark.parametrize("a, forks, limit", DEEP_FORKS)
def test_symmetric_branch_passes_deep_forks(a: list[list[float]], forks: list[float], limit: list[int]) -> None:
    """The branch reaches lambda_max symmetric, reporting each fork (at the lambdas given, to 4
    decimals), and its limit is the symmetric pure equilibrium (a best reply to itself).  Traced to
    lambda 100 only: the game forks again at lambda ~224.35 with a log-probability near -1477,
    where whether the tracer stays on the symmetric branch depends on rounding (not asserted)."""
    g = _symmetric(a)
    b = trace_branch(g, lambda_max=100.0)
    assert b.status == "done" and b.points[-1].lam == 100.0
    assert all(_gap([pt.vectors[0]], [pt.vectors[1]]) <= 1e-6 for pt in b.points)
    assert [round((lo + hi) / 2, 4) for lo, hi in b.bifurcations] == forks
    (eq,) = logit_limit(g).equilibria
    assert max_regret(g, eq.vectors) <= REGRET and _gap(eq.vectors, [limit, limit]) <= 1e-9


def test_all_qre_at_one_lambda() -> None:
    """A coordination game at lam = 5 has three QRE: every root of the one-dimensional fixed
    point, found by hand on a grid and refined by brentq, is found, and nothing else."""
    a, b = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
    lam = 5.0

    def gap(p: float) -> float:
        q = float(expit(lam * (3 * p - 2)))
        return p - float(expit(lam * (3 * q - 1)))

    grid = np.linspace(1e-9, 1 - 1e-9, 20001)
    vals = np.array([gap(p) for p in grid])
    changes = np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))
    roots = [brentq(gap, grid[k], grid[k + 1], xtol=1e-15) for k in changes]
    found = qre_all_at(Game.from_bimatrix(a, b), lam)
    assert not found.complete and len(roots) == 3
    assert sorted(pt.vectors[0][0] for pt in found.points) == pytest.approx(sorted(roots), abs=1e-9)
    form = form_of(Game.from_bimatrix(a, b))
    for pt in found.points:
        y = np.log(np.concatenate([np.asarray(v) for v in pt.vectors]))
        assert float(np.abs(residual(form, np.append(y, lam))).max()) < 1e-9


def test_turning_points_are_the_folds() -> None:
    """In log-odds x = logit(P(Top)) the QRE of a 2x2 game solve F(x, lam) = x - lam * (alpha *
    g + beta) = 0 with g = logistic(lam * (gamma * logistic(x) + delta)); the branch folds where
    also dF/dx = 0.  Solved by hand (fsolve from the two folds a grid of roots shows, near lambda
    13 and 2.7): the tracer reports a turning point at each, and at lambda = 5, where three QRE
    exist, gives the first crossing (the one continuing uniform play, x near -0.43)."""
    (a11, a12), (a21, a22) = FOLDING[0]
    (b11, b12), (b21, b22) = FOLDING[1]
    al, be, ga, de = a11 - a21 - a12 + a22, a12 - a22, b11 - b12 - b21 + b22, b21 - b22

    def fold(v: Any) -> list[float]:
        x, lam = v
        s, g = expit(x), expit(lam * (ga * expit(x) + de))
        return [x - lam * (al * g + be), 1 - lam * lam * al * ga * g * (1 - g) * s * (1 - s)]

    folds = [float(fsolve(fold, guess, xtol=1e-12)[1]) for guess in ((-1.0, 13.0), (-1.6, 2.7))]
    b = trace_branch(GAMES["folding-2x2"], lambda_max=20.0)
    assert len(b.turning) == 2 and all(abs(t - f) < 0.05 for t, f in zip(b.turning, folds, strict=True))
    (p,) = qre_at(GAMES["folding-2x2"], 5.0).points
    assert float(logit(p.vectors[0][0])) == pytest.approx(-0.434, abs=1e-3)


def test_budget_stops_cleanly() -> None:
    """A spent budget: what was traced comes back, flagged, with the limit in words."""
    game = GAMES["random-5x5-0"]
    b = trace_branch(game, lambda_max=1e6, budget=Budget.start(0.0))
    assert b.status == "budget" and not b.complete and b.points and "time budget" in b.limits[0]
    at = qre_at(game, [0.0, 1.0], budget=Budget.start(0.0))
    assert [p.lam for p in at.points] == [0.0] and not at.complete and "time budget" in at.limits[0]
    r = logit_limit(game, budget=Budget.start(0.0))
    assert not r.equilibria and "time budget" in r.limits[0] and r.time_budget == 0.0


# --- the batched 2x2 kernel ---------------------------------------------------------------------

TWO_BY_TWO = [k for k, g in GAMES.items() if g.shape == (2, 2)]


def test_batched_kernel_matches_pygambit(gambit: dict[str, Any]) -> None:
    for name in TWO_BY_TWO:
        pay = GAMES[name].float_payoffs()
        for lam, theirs in zip(_lams(GAMES[name]), gambit[name]["points"], strict=True):
            p, q, _ = qre_2x2(pay[0][None], pay[1][None], lam)
            assert abs(p[0] - theirs[0][0]) <= TOL and abs(q[0] - theirs[1][0]) <= TOL, (name, lam)


@pytest.mark.parametrize("lam", [0.5, 3.0, 8.0])
def test_batched_kernel_matches_single_game_tracer(lam: float) -> None:
    """Point for point on random games, the games the lockstep pass hands on (folds, jumps) among
    them: the sample checked is 12 handed-on games and the first 8 games."""
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(4000, 2, 2)), rng.normal(size=(4000, 2, 2))
    from solver.equilibria.qre.batched2x2 import coefficients, lockstep

    _, _, handed = lockstep(*coefficients(a, b), lam, 4.0)
    p, q, _ = qre_2x2(a, b, lam)
    picks = [*np.flatnonzero(handed)[:12].tolist(), *range(8)]
    for k in picks:
        (pt,) = qre_at(Game.from_arrays(np.stack([a[k], b[k]]), exact=False), lam).points
        assert abs(pt.vectors[0][0] - p[k]) <= TOL and abs(pt.vectors[1][0] - q[k]) <= TOL, k


# --- many games of one shape at once ------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2), (5, 5)], ids=["3x3", "2x2x2", "5x5"])
def test_many_games_match_the_single_game_tracer(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    pays = np.round(rng.normal(size=(12, len(shape), *shape)), 2)
    form = form_of(Game.from_arrays(pays[0], exact=False))
    probs, ok = qre_many(form, pays.reshape(12, len(shape), -1).transpose(0, 2, 1), 4.0)
    assert ok.all()
    for k in range(12):
        (pt,) = qre_at(Game.from_arrays(pays[k], exact=False), 4.0).points
        assert np.abs(np.concatenate(pt.vectors) - probs[k]).max() <= TOL


def test_many_trees_match_the_single_tree_tracer() -> None:
    """One tree's structure with random payoffs per game (agent QRE)."""
    tree = TREES["syria_resolve"]
    form = form_of(tree)
    rng = np.random.default_rng(4)
    pays = form.payoffs[None] + rng.normal(size=(6, *form.payoffs.shape))
    probs, ok = qre_many(form, pays, 2.0)
    assert ok.all()
    leaves = [k for k, n in enumerate(tree.nodes) if n.is_terminal]
    for k in range(6):
        nodes = list(tree.nodes)
        for z, leaf in enumerate(leaves):
            nodes[leaf] = replace(nodes[leaf], payoffs=tuple(float(v) for v in pays[k, z]))
        (pt,) = qre_at(Tree(tree.players, tuple(nodes), tree.infosets), 2.0).points
        assert np.abs(np.concatenate(pt.vectors) - probs[k]).max() <= TOL


def test_many_leaves_a_bifurcation_unsolved() -> None:
    """At a bifurcation (the battle of the sexes) the batch refuses rather than guesses."""
    form = form_of(evaluate(load("battle_of_the_sexes")))
    _, ok = qre_many(form, form.payoffs[None], 3.0)
    assert not ok.any()


def test_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A game whose dense arrays would pass the cap is refused in words, not run out of memory."""
    import solver.equilibria.qre.form as form

    monkeypatch.setattr(form, "MAX_CELLS", 50)
    with pytest.raises(ValueError, match="too large for the logit QRE"):
        qre_at(GAMES["random-3x3-0"], 1.0)


# --- the tracer's fast paths (issue 16: single-game speed) ---------------------------------------


def _reference_jacobian(form: Form, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The logit equations and their Jacobian assembled from :func:`values` as the module docstring
    writes them (one sum per choice, one log-odds equation per non-first action)."""
    y, lam = x[:-1], float(x[-1])
    v, dv = values(form, y)
    m, h = form.n_actions, form.n_choices
    p = np.exp(y)
    jac = np.zeros((m, m + 1))
    jac[form.choice, np.arange(m)] = p
    jac[h:, :m] = form.diff - lam * (form.diff @ dv)
    jac[h:, m] = -(form.diff @ v)
    sums = np.bincount(form.choice, weights=p, minlength=h) - 1.0
    return np.concatenate([sums, form.diff @ y - lam * (form.diff @ v)]), jac


def _unreached_action() -> Form:
    """Row of a 2x2 game with a third action below which no outcome lies (as an action under a
    chance move of probability zero): the guarded branch of :func:`augmented`."""
    f = form_of(GAMES["random-2x2-0"])
    inc = np.insert(f.incidence, 2, 0.0, axis=1)
    owner = np.asarray([0, 0, 0, 1, 1], dtype=np.int64)
    return Form(inc, f.log_chance, f.payoffs, owner, owner.copy(), np.asarray([0, 3]), np.asarray([3, 2]))


@pytest.mark.parametrize(
    "form",
    [
        *[pytest.param(form_of(GAMES[k]), id=k) for k in ("random-2x2-0", "random-3x3-1", "random-2x2x2-0")],
        pytest.param(form_of(TREES["kuhn-poker"]), id="kuhn-poker-chance"),
        pytest.param(_unreached_action(), id="unreached-action"),
    ],
)
def test_augmented_system_is_the_logit_jacobian(form: Form) -> None:
    """The tracer's one-call system ``[J; t]`` and ``(res, 0)`` equals the Jacobian assembled from
    the action values, at random points off the branch too (large and negative log-probabilities),
    and its Jacobian is the finite-difference derivative of the residual."""
    rng = np.random.default_rng(5)
    assert form_of(TREES["kuhn-poker"]).chance and not _unreached_action().covered
    for scale in (0.3, 4.0, 40.0):
        x = np.append(rng.normal(size=form.n_actions) * scale - scale, rng.uniform(0.1, 50.0))
        t = rng.normal(size=x.size)
        res, aug = augmented(form, x, t)
        ref_res, ref_jac = _reference_jacobian(form, x)
        assert np.abs(res[:-1] - ref_res).max() <= 1e-12 * max(1.0, float(np.abs(ref_res).max()))
        assert np.abs(aug[:-1] - ref_jac).max() <= 1e-12 * max(1.0, float(np.abs(ref_jac).max()))
        assert res[-1] == 0.0 and np.array_equal(aug[-1], t)
    x = np.append(rng.normal(size=form.n_actions) * 0.5 - 1.0, 2.0)
    step = 1e-7
    columns = [(residual(form, x + step * e) - residual(form, x - step * e)) / (2 * step) for e in np.eye(x.size)]
    numeric = np.stack(columns)
    assert np.abs(numeric.T - jacobian(form, x)[1]).max() <= 1e-5


@pytest.mark.parametrize("name", ["random-2x2-2", "random-3x3-0", "random-2x2x2-1", "random-5x5-0", "folding-2x2"])
def test_every_traced_point_solves_the_equations(name: str) -> None:
    """The corrector stops when the contraction of its Newton steps bounds the error below
    QRE_NEWTON (without a confirming evaluation): every point the branch reports still solves the
    logit equations to QRE_RESIDUAL, and the batched conversion of the points equals the one by one."""
    form = form_of(GAMES[name])
    tr = trace(form, 1000.0 / _spread(GAMES[name]))
    assert tr.status == "done"
    for x in tr.points:
        assert float(np.abs(residual(form, x)).max()) <= QRE_RESIDUAL * max(1.0, float(x[-1]))
    for a, b in zip(points(form, tr.points), [point(form, x) for x in tr.points], strict=True):
        assert a.lam == b.lam and a.exact_lambda and b.exact_lambda
        assert np.allclose(np.concatenate(a.vectors), np.concatenate(b.vectors), rtol=0, atol=1e-15)
        assert np.allclose(a.values, b.values, rtol=0, atol=1e-12)


def test_hermite_guess_beats_the_linear_one() -> None:
    """Between two traced points the cubic Hermite interpolant lands closer to the QRE at an
    intermediate lambda than the linear interpolation in lambda did (so the target's Newton
    solve starts nearer), and exactly on the lambda asked where both ends agree."""
    form = form_of(GAMES["random-3x3-1"])
    tr = trace(form, 30.0 / _spread(GAMES["random-3x3-1"]))
    wins = 0
    for x, z in zip(tr.points[3:-1], tr.points[4:], strict=True):
        tx, tz = (z - x) / np.linalg.norm(z - x), (z - x) / np.linalg.norm(z - x)
        v = 0.5 * (float(x[-1]) + float(z[-1]))
        exact = fixed_lambda(form, 0.5 * (x[:-1] + z[:-1]), v)
        assert exact is not None
        assert np.allclose(_hermite(x, z, tx, tz, v), 0.5 * (x[:-1] + z[:-1]), atol=1e-12)  # straight ends
        _, ax = augmented(form, x)
        _, az = augmented(form, z)
        ta, tb = _tangent(np.vstack([ax[:-1], tx])), _tangent(np.vstack([az[:-1], tz]))
        assert ta is not None and tb is not None
        cubic = _hermite(x, z, ta[0], tb[0], v)
        wins += np.abs(cubic - exact).max() < np.abs(0.5 * (x[:-1] + z[:-1]) - exact).max()
    assert wins >= 0.8 * (len(tr.points) - 5)


def test_pure_support_is_not_solved() -> None:
    """Singleton supports purify to the pure profile itself (no Newton), and logit_limit of a
    dominance-solvable game returns it exactly."""
    g = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    vecs = [np.asarray([1e-7, 1 - 1e-7]), np.asarray([2e-7, 1 - 2e-7])]
    out = support_nash(g, vecs, [np.asarray([1]), np.asarray([1])])
    assert out is not None and [v.tolist() for v in out] == [[0.0, 1.0], [0.0, 1.0]]
    (eq,) = logit_limit(g).equilibria
    assert [list(v) for v in eq.vectors] == [[0, 1], [0, 1]]


#: games where a probability of one rounds to a log-probability just above zero at large lambda:
#: Newton's method at the target lambda converged there, yet its point was refused (``y <= 0``) and
#: interpolated (residual up to 2e-2) before log-probabilities up to QRE_RESIDUAL were accepted
ROUNDS_ABOVE_ONE = {
    "2x2x2": [
        [[[0.84, -1.1], [0.86, -1.2]], [[0.81, 0.09], [-0.43, -0.9]]],
        [[[0.24, -1.89], [-0.28, -0.4]], [[0.68, -1.25], [1.71, -0.31]]],
        [[[-1.14, 1.39], [1.66, -0.19]], [[-0.89, 0.02], [-0.69, -0.31]]],
    ],
    "2x3x2": [
        [[[-1.5, -2.1], [-0.9, -0.2], [-0.6, -0.8]], [[0.9, 1.0], [0.8, -0.9], [0.1, -0.2]]],
        [[[-1.4, 0.9], [0.1, -0.5], [1.4, 0.8]], [[0.9, 1.2], [0.7, -1.3], [-0.4, 1.0]]],
        [[[-0.8, 0.1], [0.4, 1.5], [1.3, 0.9]], [[-0.2, 0.9], [0.5, -0.1], [1.4, 0.5]]],
    ],
}


@pytest.mark.parametrize("name", list(ROUNDS_ABOVE_ONE))
def test_targets_at_large_lambda_are_solved_exactly(name: str) -> None:
    """Every requested lambda up to 60 / spread and the branch's end at 500 / spread is solved by
    Newton's method at exactly that lambda (``exact_lambda``), to QRE_RESIDUAL."""
    pay = np.asarray(ROUNDS_ABOVE_ONE[name])
    g = Game.from_arrays(pay, exact=False)
    form, spread = form_of(g), float(pay.max() - pay.min())
    at = qre_at(g, list(np.linspace(0.5, 60.0, 12) / spread)).points
    end = trace_branch(g, lambda_max=500.0 / spread).points[-1]
    for p in [*at, end]:
        x = np.append(np.log(np.concatenate(p.vectors)), p.lam)
        assert p.exact_lambda and float(np.abs(residual(form, x)).max()) <= QRE_RESIDUAL * max(1.0, p.lam)


def test_limit_on_a_continuum_reports_the_last_purified_equilibrium() -> None:
    """Row's strategy 3 against Column's (q, 1 - q, 0) is an equilibrium for every q <= 1/2 (Row:
    3 - 6q >= 6q - 3 and >= -2q - 1; Column: 3 = 3 > -2 against strategy 3).  The branch creeps
    towards q = 1/2 like 1/lambda and never purifies twice to the same point: the last purified
    equilibrium comes back, exactly verified, with the limit line and a note saying so."""
    g = Game.from_bimatrix([[3, -3, -2], [-3, -1, 1], [-3, 3, 0]], [[0, 3, 3], [-1, -1, 1], [3, 3, -2]])
    r = logit_limit(g)
    (eq,) = r.equilibria
    assert max_regret(g, eq.vectors) == 0
    row, col = eq.vectors
    assert list(row) == [0, 0, 1] and col[2] == 0 and col[0] <= F(1, 2)
    assert abs(float(col[0]) - 0.5) < 1e-3
    assert r.limits and any("had not settled" in n for n in r.notes)
