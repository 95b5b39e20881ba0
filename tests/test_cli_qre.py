"""``redline qre`` and :func:`solver.analysis.qre.qre`: the CLI's JSON points against pygambit's
``logit_solve_lambda`` (strategic games, and the agent QRE on trees), uniform play at lambda 0,
the Nash limit (verified by its regret, and the equilibrium ``redline solve`` lists), the plot's
curves, the time budget, and bad input (one line, nothing written).

pygambit answers in one child process for the module (``oracle.run_child``), as in
``tests/test_qre.py``: trees travel as the ``.efg`` text of :func:`solver.formats.efg.format_efg`
and come back as node realisation probabilities, turned into behaviour at each information set.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from clirun import run, run_json
from oracle import CHILD_PRELUDE, run_child

from solver.analysis.qre import qre as qre_api
from solver.cli.qre import parse_lambda
from solver.core.errors import ModelError, ParameterError
from solver.core.game import Game
from solver.core.symbolic import evaluate
from solver.core.tree import Tree
from solver.equilibria.verify import is_equilibrium, max_regret, regret_tolerance
from solver.formats import load
from solver.formats.efg import format_efg
from solver.formats.nfg import format_nfg
from solver.render.qre_plot import qre_figure

TOL = 1e-6
#: small Gambit test games (gambit's tests/test_games): information sets without names, so
#: every player's sets are shown "#1", "#2"...; a tree in which only chance moves
DATA = Path(__file__).parent / "data" / "efg"
CHANCE2 = str(DATA / "2_player_chance.efg")
PI3 = str(DATA / "3_player_perfect_info_1_move_each.efg")
NO_MOVES = str(DATA / "chance_root_5_moves_no_nonterm_player_nodes.efg")


def _run(*args: str) -> Any:
    """``redline qre ARGS`` in this process (:func:`clirun.run`: no traceback, no stray exception)."""
    return run("qre", *args)


def _json(*args: str) -> Any:
    """``redline qre ARGS --format json``, which must succeed, parsed."""
    return run_json("qre", *args)


#: a 3x3 game without a pure equilibrium, integer payoffs (written as .nfg for the CLI)
THREE = Game.from_bimatrix([[3, 0, 1], [0, 2, 4], [1, 3, 0]], [[0, 3, 1], [2, 0, 1], [1, 1, 3]])


@pytest.fixture(scope="module")
def nfg3(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("qre") / "three.nfg"
    path.write_text(format_nfg(THREE))
    return str(path)


def _spec(model: str, nfg: str) -> str:
    return nfg if model == "3x3" else model


CASES = [
    pytest.param("syria_deconfliction", "0:2:5", id="syria-2x2"),
    pytest.param("syria_deconfliction", "7.5", id="syria-2x2-high-lambda"),
    pytest.param("3x3", "0:3:4", id="3x3-nfg"),
    pytest.param("entry_deterrence", "0:2:5", id="entry-deterrence-tree"),
    pytest.param("syria_sequential", "0.1:1.5:3", id="syria-sequential-tree"),
    pytest.param(CHANCE2, "0.5:2:4", id="unnamed-sets-chance-tree"),
]
TREES = ("entry_deterrence", "syria_sequential", CHANCE2)

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
    res = gbt.qre.logit_solve_lambda(g, lam=job["lams"], use_strategic=True)
    out[key] = [[[float(r.profile[p][s]) for s in g.get_strategies(p)] for p in g.players] for r in res]
print(json.dumps(out))
"""
)


def _lams(spec: str) -> list[float]:
    lam = parse_lambda(spec)
    return [lam] if isinstance(lam, float) else lam


def _positive(spec: str) -> list[float]:
    """The lambdas pygambit is asked about (it answers lambda = 0 with the end of its trace;
    uniform play there is checked on its own)."""
    return [v for v in _lams(spec) if v > 0]


def _tree(name: str) -> Tree:
    m = load(name)
    assert m.tree is not None
    return m.tree.at(m.values())


@pytest.fixture(scope="module")
def gambit() -> dict[str, Any]:
    jobs: dict[str, Any] = {}
    for case in CASES:
        model, spec = case.values
        key = f"{model} {spec}"
        if model in TREES:
            jobs[key] = {"kind": "efg", "text": format_efg(_tree(str(model))), "lams": _positive(str(spec))}
        else:
            game = THREE if model == "3x3" else evaluate(load(str(model)))
            jobs[key] = {"kind": "nfg", "payoffs": game.float_payoffs().tolist(), "lams": _positive(str(spec))}
    answer: dict[str, Any] = json.loads(run_child(_CHILD, stdin=json.dumps(jobs), timeout=120))
    return answer


def _behaviour(tree: Tree, realised: list[float]) -> dict[str, list[float]]:
    """Behaviour at each player's information set (by player and label: labels are unique per
    player only) from node realisation probabilities."""
    out = {}
    for h in tree.infosets:
        if h.player >= 0:
            total = sum(realised[m] for m in h.members)
            out[f"{tree.players[h.player]} {h.label}"] = [
                sum(realised[tree.nodes[m].children[a]] for m in h.members) / total for a in range(len(h.actions))
            ]
    return out


def _ours(doc: dict[str, Any], k: int, tree: bool) -> dict[str, list[float]]:
    prof = doc["points"][k]["profile"]
    if tree:  # player -> information set -> action -> probability
        return {f"{p} {h}": list(acts.values()) for p, sets in prof.items() for h, acts in sets.items()}
    return {p: list(d.values()) for p, d in prof.items()}


@pytest.mark.parametrize("model, spec", CASES)
def test_points_match_pygambit(model: str, spec: str, nfg3: str, gambit: dict[str, Any]) -> None:
    """Every JSON point is pygambit's logit QRE at that lambda (agent QRE on trees) within 1e-6,
    and its payoffs are the profile's expected payoffs."""
    doc = _json(_spec(model, nfg3), "--lambda", spec)
    theirs = gambit[f"{model} {spec}"]
    # the chance tree's branch settles inside a component of equilibria (player 2's off-path
    # set at 1/2), between the two the tree solver lists: no Nash limit, the points are complete
    assert doc["complete"] or (model == CHANCE2 and doc["limit"] is None and doc["status"] == "done")
    assert [p["lambda"] for p in doc["points"]] == _lams(spec)
    first = len(_lams(spec)) - len(_positive(spec))
    assert len(theirs) == len(_positive(spec))
    for k, answer in enumerate(theirs, first):
        ours = _ours(doc, k, model in TREES)
        expected = _behaviour(_tree(model), answer) if model in TREES else dict(zip(ours, answer, strict=True))
        assert ours.keys() == expected.keys()
        gap = max(abs(a - b) for h in ours for a, b in zip(ours[h], expected[h], strict=True))
        assert gap <= TOL, (doc["points"][k]["lambda"], ours, expected)
    if model not in TREES:
        game = (THREE if model == "3x3" else evaluate(load(model))).as_float()
        for pt in doc["points"]:
            from solver.equilibria.verify import regrets

            _, values = regrets(game, [list(d.values()) for d in pt["profile"].values()])
            assert list(pt["payoffs"].values()) == pytest.approx(list(values), abs=1e-9)


@pytest.mark.parametrize("model", ["syria_deconfliction", "3x3", "entry_deterrence", "syria_resolve"])
def test_uniform_at_lambda_zero(model: str, nfg3: str) -> None:
    doc = _json(_spec(model, nfg3), "--lambda", "0")
    (pt,) = doc["points"]
    probs = _ours(doc, 0, model in ("entry_deterrence", "syria_resolve"))
    assert pt["lambda"] == 0.0 and all(
        v == pytest.approx(1 / len(vec), abs=1e-15) for vec in probs.values() for v in vec
    )


SOLVE_LIMITS = [
    pytest.param("syria_deconfliction", (), id="syria-mixed"),
    pytest.param("syria_deconfliction", ("--set", "iran_cost=16"), id="syria-iran-cost-16"),
    pytest.param("prisoners_dilemma", (), id="prisoners-dilemma"),
    pytest.param("3x3", (), id="3x3-nfg"),
]


@pytest.mark.parametrize("model, sets", SOLVE_LIMITS)
def test_limit_is_the_equilibrium_solve_lists(model: str, sets: tuple[str, ...], nfg3: str) -> None:
    """No --lambda: the branch is traced and its Nash limit has zero regret (exactly, from its
    fractions; and within the tolerance as floats) and is an equilibrium ``redline solve`` lists
    (the only one, in these games)."""
    from clirun import run_json

    spec = _spec(model, nfg3)
    doc = _json(spec, *sets)
    limit = doc["limit"]
    assert doc["mode"] == "branch" and doc["complete"] and doc["points"][0]["lambda"] == 0.0
    m = load(spec)
    game = evaluate(m, dict(s.split("=") for s in sets[1::2]))
    exact = [[Fraction(v) for v in d.values()] for d in limit["profile_exact"].values()]
    floats = [list(d.values()) for d in limit["profile"].values()]
    assert is_equilibrium(game, exact) and max_regret(game, exact) == 0
    assert float(max_regret(game.as_float(), floats)) <= regret_tolerance(game)
    solved = run_json("solve", spec, *sets)
    assert [e["profile"] for e in solved["equilibria"]] == [limit["profile"]]
    assert limit["description"] == solved["equilibria"][0]["description"]


@pytest.mark.parametrize("model", ["entry_deterrence", "syria_sequential", "chicken_commitment"])
def test_tree_limit_is_the_subgame_perfect_equilibrium(model: str) -> None:
    """The agent QRE's limit (a sequential equilibrium, McKelvey & Palfrey 1998) is the subgame
    perfect equilibrium ``redline solve`` shows, behaviour for behaviour."""
    from clirun import run_json

    doc = _json(model)
    solved = run_json("solve", model)
    credible = [e for e in solved["equilibria"] if e["subgame_perfect"]]
    assert len(credible) == 1 and doc["limit"]["subgame_perfect"]
    assert doc["limit"]["profile"] == credible[0]["behaviour"]
    assert doc["limit"]["description"] == credible[0]["description"]


def test_all_qre_at_one_lambda(tmp_path: Path) -> None:
    """A coordination game at lambda 5 has three QRE (tests/test_qre.py solves it by hand):
    --all lists three, flagged not complete; the branch's first crossing is among them."""
    path = tmp_path / "coordination.nfg"
    path.write_text(format_nfg(Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])))
    doc = _json(str(path), "--lambda", "5", "--all")
    one = _json(str(path), "--lambda", "5")
    assert len(doc["points"]) == 3 and not doc["complete"] and doc["mode"] == "all"
    first = _flat(one["points"][0])
    assert sum(max(abs(a - b) for a, b in zip(_flat(p), first, strict=True)) <= TOL for p in doc["points"]) == 1


def _flat(pt: dict[str, Any]) -> list[float]:
    return [v for d in pt["profile"].values() for v in d.values()]


@pytest.mark.parametrize(
    "model, sets, lines",
    [
        pytest.param("syria_deconfliction", (), 2, id="2x2"),
        pytest.param("entry_deterrence", (), 2, id="tree"),
        pytest.param("battle_of_the_sexes", (), 2, id="bifurcation"),
    ],
)
def test_plot_draws_each_strategy_and_the_limit(model: str, sets: tuple[str, ...], lines: int, tmp_path: Path) -> None:
    """--plot writes a PNG; its figure has one panel per choice, one curve per strategy along
    the JSON's lambdas, and the Nash limit's dashed line at each limit probability."""
    import matplotlib.pyplot as plt

    out = tmp_path / "qre.png"
    result = _run(model, *sets, "--plot", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 800 and height > 600 and plt.imread(str(out)).shape[:2] == (height, width)
    r = qre_api(model)
    fig = qre_figure(r)
    assert len(fig.axes) == lines and r.limit is not None
    prof = r.limit.profile
    limit = prof if r.kind == "strategic" else {h: a for sets_ in prof.values() for h, a in sets_.items()}
    for ax, choice, actions in zip(fig.axes, r.branch.choices, r.branch.actions, strict=True):
        curves = [ln for ln in ax.lines if ln.get_linestyle() == "-"]
        assert [ln.get_label() for ln in curves] == list(actions)
        assert list(curves[0].get_xdata()) == [p["lambda"] for p in doc["points"]]
        dashed = sorted(float(ln.get_ydata()[0]) for ln in ax.lines if ln.get_linestyle() == "--")
        assert dashed == pytest.approx(sorted(float(v) for v in limit[choice].values()))
    if model == "battle_of_the_sexes":
        assert doc["bifurcations"] and any(ln.get_linestyle() == "-." for ln in fig.axes[0].lines)
    plt.close(fig)


def test_budget_runs_out_cleanly(tmp_path: Path) -> None:
    """A spent time budget: the points reached (uniform play at 0), complete false, the limit
    line on stderr, exit 0; the plot still drawn from what was reached."""
    out = tmp_path / "cut.png"
    result = _run("syria_deconfliction", "--timeout", "0.000001", "--plot", str(out), "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert not doc["complete"] and doc["status"] == "budget" and doc["limit"] is None and doc["points"]
    assert doc["points"][0]["profile"]["Israel"] == {"Tolerate": 0.5, "Strike": 0.5}
    assert "time budget" in doc["limits"][0] and doc["time_budget"] == 1e-6
    (line,) = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert line.startswith("redline: incomplete: time budget") and out.exists()


BAD = [
    pytest.param(("syria_deconfliction", "--lambda", "-1"), 1, "lambda must be a finite number >= 0", id="negative"),
    pytest.param(("syria_deconfliction", "--lambda", "nan"), 1, "finite number", id="nan"),
    pytest.param(("syria_deconfliction", "--lambda", "2:1:3"), 1, "reversed", id="reversed-range"),
    pytest.param(("syria_deconfliction", "--lambda", "0:1:0"), 1, "number of values", id="zero-points"),
    pytest.param(("syria_deconfliction", "--lambda", "0:1:2.5"), 1, "whole number", id="fractional-count"),
    pytest.param(("syria_deconfliction", "--lambda", "0:1"), 1, "a:b:n", id="two-fields"),
    pytest.param(("syria_deconfliction", "--lambda", "lots"), 1, "a:b:n", id="not-a-number"),
    pytest.param(("no_such_model",), 1, "no shipped model", id="unknown-model"),
    pytest.param(("fearon_bargaining",), 1, "bargaining", id="bargaining"),
    pytest.param(("syria_deconfliction", "--set", "iran_cost=99"), 1, "outside its declared range", id="range"),
    pytest.param(("syria_deconfliction", "--plot", "{missing}/x.png"), 1, "folder does not exist", id="plot-folder"),
    pytest.param(("syria_deconfliction", "--plot", "{tmp}"), 1, "is a folder", id="plot-is-folder"),
    pytest.param(("syria_deconfliction", "--plot", "{tmp}/x.txt"), 1, ".png, .svg or .pdf", id="plot-suffix"),
    pytest.param(("syria_deconfliction", "--all"), 2, "--all takes exactly one", id="all-without-lambda"),
    pytest.param(("syria_deconfliction", "--lambda", "0:1:3", "--all"), 2, "--all takes exactly one", id="all-range"),
    pytest.param(("syria_deconfliction", "--timeout", "-1"), 2, "--timeout", id="negative-timeout"),
]


@pytest.mark.parametrize("args, code, words", BAD)
def test_bad_input_is_one_line(args: tuple[str, ...], code: int, words: str, tmp_path: Path) -> None:
    """One line on stderr naming the problem, the documented exit code, nothing on stdout and
    nothing written."""
    real = [a.format(tmp=tmp_path, missing=tmp_path / "missing") for a in args]
    result = _run(*real)
    assert result.exit_code == code and result.stdout == ""
    (line,) = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert line.startswith("redline: ") and words in line, line
    assert list(tmp_path.iterdir()) == []


def _symbolic(name: str) -> Tree:
    tree = load(name).tree
    assert tree is not None and tree.symbolic
    return tree


API_BAD = [
    pytest.param(lambda: qre_api("syria_deconfliction", -0.5), "lambda must be", id="negative"),
    pytest.param(lambda: qre_api("syria_deconfliction", [0.5, 1.0], all=True), "exactly one lambda", id="all-two"),
    pytest.param(lambda: qre_api(_symbolic("entry_deterrence"), 1.0), "symbolic tree", id="symbolic-tree"),
    pytest.param(lambda: qre_api(THREE, 1.0, values={"x": 1}), "numeric game", id="values-on-a-game"),
]


@pytest.mark.parametrize("call, words", API_BAD)
def test_api_refuses_bad_input(call: Any, words: str) -> None:
    with pytest.raises(ParameterError, match=words):
        call()


def test_api_takes_a_symbolic_tree_with_values() -> None:
    """A model's symbolic tree with values gives the same agent QRE as the model."""
    m = load("entry_deterrence")
    a = qre_api(_symbolic("entry_deterrence"), [0.5, 2.0], values=m.values({"monopoly": 6}))
    b = qre_api(m, [0.5, 2.0], values={"monopoly": 6})
    assert [p.vectors for p in a.points] == [p.vectors for p in b.points] and b.kind == "tree"


def test_table_shows_the_outcome_odds_and_the_nash_limit() -> None:
    """The table's odds of open conflict, P(Strike, Confront), are the JSON probabilities'
    product at each lambda, and its Nash-limit row is the odds ``redline solve`` gives."""
    from clirun import run_json

    doc = _json("syria_deconfliction", "--lambda", "0.5:2:2")
    text = _run("syria_deconfliction", "--lambda", "0.5:2:2").stdout
    rows = text.split("odds of each outcome")[1].splitlines()
    header = rows[1].split("  ")
    assert [h.strip() for h in header if h.strip()][-1] == "Strike, Confront"
    for pt, row in zip(doc["points"], rows[3:5], strict=True):
        odds = pt["profile"]["Israel"]["Strike"] * pt["profile"]["Russia"]["Confront"]
        assert row.split()[0] == f"{pt['lambda']:g}" and float(row.split()[-1]) == pytest.approx(odds, abs=5e-5)
    nash = rows[5]
    solved = run_json("solve", "syria_deconfliction")["equilibria"][0]["outcomes"]
    conflict = next(o["probability"] for o in solved if o["outcome"] == "Strike, Confront")
    assert nash.startswith("Nash limit") and float(nash.split()[-1]) == pytest.approx(conflict, abs=5e-5)
    assert "Nash limit (lambda -> infinity, logit tracing): mixed (full support)" in text


@pytest.mark.parametrize(
    "path, end",
    [
        pytest.param(CHANCE2, {("2", "#2"): {"X": 0.5, "Y": 0.5}}, id="2-players-unnamed-sets-chance-root"),
        pytest.param(
            PI3,
            {("Player 1", "#1"): {"1": 0.0, "2": 1.0}, ("Player 2", "#1"): {"1": 0.5, "2": 0.5}},
            id="3-players-unnamed-sets-perfect-information",
        ),
    ],
)
def test_unnamed_information_sets_each_get_their_entry(path: str, end: dict[tuple[str, str], Any]) -> None:
    """Gambit files whose sets have no names (every player's first set is "#1"): the branch and
    the QRE at lambda 1 answer, with one profile entry per information set, each a distribution
    over that set's actions.  At the branch's end, sets of two players both labelled "#1" or
    "#2" keep their own behaviour: the chance game's player 2 is indifferent at his off-path set
    (#2, both at 1/2, while his #1 and #3 are not); in the perfect-information game player 1
    takes the sure 1 (action 2) and player 2, indifferent once player 3 plays 1, mixes evenly.
    Both branches settle inside a component of equilibria: no Nash limit, said in words."""
    tree = _tree(path)
    sets = {(tree.players[h.player], h.label): list(h.actions) for h in tree.infosets if h.player >= 0}
    doc = _json(path, "--lambda", "1", "--timeout", "10")
    got = {(p, h): acts for p, rows in doc["points"][0]["profile"].items() for h, acts in rows.items()}
    assert {k: list(v) for k, v in got.items()} == sets
    assert all(sum(v.values()) == pytest.approx(1.0, abs=1e-12) for v in got.values())
    whole = _json(path, "--timeout", "10")
    last = {(p, h): acts for p, rows in whole["points"][-1]["profile"].items() for h, acts in rows.items()}
    assert last.keys() == sets.keys()
    for key, probs in end.items():
        assert last[key] == pytest.approx(probs, abs=1e-3)
    assert whole["limit"] is None and "component of equilibria" in whole["limits"][-1]


def test_tree_without_player_moves_is_refused_in_one_line() -> None:
    """Only chance moves: nothing to choose, refused in one line by the CLI (exit 1) and by a
    ModelError from the API, whether given the model or its tree."""
    result = _run(NO_MOVES, "--lambda", "1")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"redline: {NO_MOVES}: no player moves: nothing to choose"]
    for subject in (NO_MOVES, _tree(NO_MOVES)):
        with pytest.raises(ModelError, match="no player moves: nothing to choose"):
            qre_api(subject, 1.0)
