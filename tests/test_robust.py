"""``redline robust``: ordinal robustness over every payoff ordering a model's [ordering] allows.

Each case is checked by hand: the number of orderings (linear extensions) and the equilibria of
rank games follow from a short argument in each test's docstring, never from our own solver's
output on the same model.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from solver.analysis.robust import robust
from solver.analysis.robust_orders import linear_extensions
from solver.cli.robust import robust as robust_command
from solver.core.errors import ModelError
from solver.core.symbolic import evaluate
from solver.equilibria.pure import pure_equilibria
from solver.formats import load

# the command in a local app until it is registered in solver/cli/__init__.py
app = typer.Typer()
app.command("robust")(robust_command)
app.command("version")(lambda: None)  # two commands: typer keeps the "robust" name
runner = CliRunner()

TWO_BY_TWO = """
[model]
name = "{name}"
title = "a 2x2 for redline robust"
source = "test"
description = "test"

[players]
Row = ["{a}", "{b}"]
Column = ["{a}", "{b}"]

[payoffs]
"{a}, {a}" = ["{r}", "{r}"]
"{a}, {b}" = ["{s}", "{t}"]
"{b}, {a}" = ["{t}", "{s}"]
"{b}, {b}" = ["{p}", "{p}"]

[ordering]
{ordering}
"""


def two_by_two(tmp_path: Path, name: str, ordering: str, *, a: str = "Cooperate", b: str = "Defect",
               t: int = 5, r: int = 3, p: int = 1, s: int = 0) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(TWO_BY_TWO.format(name=name, a=a, b=b, t=t, r=r, p=p, s=s, ordering=ordering))
    return path


def test_linear_extensions_by_hand() -> None:
    """Three classes with 0 < 1 and 2 free: 2 may sit below, between or above: 3 orderings;
    no constraint on 4 classes: 4! = 24; a limit of 5 stops the listing (complete False)."""
    assert linear_extensions(3, {(0, 1)}, 100) == ([(0, 1, 2), (0, 2, 1), (2, 0, 1)], True)
    assert len(linear_extensions(4, set(), 100)[0]) == 24
    assert linear_extensions(4, set(), 5) == (linear_extensions(4, set(), 100)[0][:5], False)


def test_fully_stated_2x2_is_one_combination_equal_to_solving_the_model(tmp_path: Path) -> None:
    """Chicken, T > R > S > P for both, every relation stated: exactly one ordering per player,
    so one combination, and its pure equilibria are the model's own: (Swerve, Straight) and
    (Straight, Swerve) (each swerves against the other's Straight, as S > P)."""
    order = (
        'Row = ["Straight, Straight < Swerve, Straight < Swerve, Swerve < Straight, Swerve"]\n'
        'Column = ["Straight, Straight < Straight, Swerve < Swerve, Swerve < Swerve, Straight"]'
    )
    path = two_by_two(tmp_path, "chick", order, a="Swerve", b="Straight", t=3, r=2, s=1, p=0)
    res = robust(load(str(path)))
    assert res.examined == 1 and res.complete and not res.violations
    model = load(str(path))
    pure = {  # the model solved with its own numbers
        ", ".join(model.strategies[i][k] for i, k in enumerate(idx)) for idx in pure_equilibria(evaluate(model))
    }
    assert set(res.per_combo[0]) == pure == {"Swerve, Straight", "Straight, Swerve"}


@pytest.mark.parametrize(
    ("ordering", "combinations"),
    [
        pytest.param(
            'Row = ["Cooperate, Defect < Defect, Defect < Cooperate, Cooperate < Defect, Cooperate"]\n'
            'Column = ["Defect, Cooperate < Defect, Defect < Cooperate, Cooperate < Cooperate, Defect"]',
            1,
            id="T>R>P>S-stated",
        ),
        pytest.param(
            'Row = ["Cooperate, Cooperate < Defect, Cooperate", "Cooperate, Defect < Defect, Defect"]\n'
            'Column = ["Cooperate, Cooperate < Cooperate, Defect", "Defect, Cooperate < Defect, Defect"]',
            36,
            id="only-T>R-and-P>S",
        ),
    ],
)
def test_prisoners_dilemma_defect_in_every_ordering(tmp_path: Path, ordering: str, combinations: int) -> None:
    """With T > R and P > S Defect strictly dominates Cooperate for each player, so (Defect,
    Defect) is the unique pure equilibrium in every ordering.  T > R and P > S alone: two
    disjoint pairs each ordered, 4!/4 = 6 orderings per player, 36 combinations."""
    res = robust(load(str(two_by_two(tmp_path, "pd", ordering))))
    assert res.examined == combinations and res.complete
    assert res.sets == {("Defect, Defect",): combinations}
    found = {f.text: (f.verdict, f.holds, f.of) for f in res.findings}
    assert found["Defect, Defect is a pure equilibrium"] == ("always", combinations, combinations)


def test_unconstrained_2x2_counts_and_nash_existence(tmp_path: Path) -> None:
    """No constraint: 4! = 24 orderings per player, 576 combinations.  Row's best replies (to
    Cooperate, to Defect) compare two disjoint pairs of cells, so each of the 4 patterns comes
    from 24/4 = 6 orderings; likewise for Column.  No pure equilibrium iff the best replies cycle,
    2 of the 4 x 4 pattern pairs: 2 * 6 * 6 = 72 combinations; a pure one in the other 504.
    Nash (1951): every one of the 576 has an equilibrium, mixed in those 72."""
    res = robust(load(str(two_by_two(tmp_path, "free", "Row = []\nColumn = []"))))
    assert res.examined == 576 and res.complete
    found = {f.text: (f.holds, f.of) for f in res.findings}
    assert found["a pure equilibrium exists"] == (504, 576)
    assert found["an equilibrium exists (pure, or mixed where none is pure)"] == (576, 576)
    assert res.sets[()] == 72


def test_max_orderings_cuts_and_says_so(tmp_path: Path) -> None:
    path = two_by_two(tmp_path, "free", "Row = []\nColumn = []")
    res = robust(load(str(path)), max_orderings=100)
    assert res.examined <= 100 and not res.complete and res.limits
    doc = json.loads(runner.invoke(app, ["robust", str(path), "--max-orderings", "30", "-f", "json"]).stdout)
    assert doc["complete"] is False and doc["combinations"] <= 30


# --- the Syria models' orderings (from seeds/claims.md) ----------------------------------------


def test_deconfliction_status_quo_never_an_equilibrium() -> None:
    """Israel: TC < TA < SA (C3, C9), SC < SA (C4), SC placed freely: 3 orderings; Russia:
    SC < TC < TA (C4, C7), SA < TA (C2), SA placed freely below TA: 3.  9 combinations.  The
    status quo (Tolerate, Acquiesce) is never a pure equilibrium: TA < SA for Israel in every one
    (C9), so Israel strikes against an acquiescing Russia.  The model's numbers (TA -4 < SA -2
    etc.) are one of the 9."""
    res = robust(load("syria_deconfliction"))
    assert res.examined == 9 and res.complete and not res.violations
    found = {f.kind: f for f in res.findings if f.kind == "status_quo"}
    assert (found["status_quo"].verdict, found["status_quo"].of) == ("never", 9)


def _israel_orderings_with(first: str, second: str) -> int:
    """Israel's orderings in syria_sequential with ``first`` below ``second``, by brute force
    over all 8! permutations (independent of the linear-extension code)."""
    spec = load("syria_sequential")
    from solver.analysis.robust_orders import outcomes_of
    from solver.formats.ordering import read_ordering

    chains = read_ordering(spec.path, spec.players).chains["Israel"]
    labels = outcomes_of(spec).labels
    pairs = [(c.labels[0], c.labels[1]) for c in chains]
    count = total = 0
    for perm in itertools.permutations(labels):
        pos = {x: k for k, x in enumerate(perm)}
        if all(pos[a] < pos[b] for a, b in pairs):
            total += 1
            count += pos[first] < pos[second]
    assert total == 49
    return count


def test_sequential_status_quo_and_russian_threat() -> None:
    """syria_sequential: Iran 5 orderings (its Restrain outcomes one class below E,T,A < E,T,C,
    E,S,A < E,S,C, E,S,A < E,T,A, E,S,C < E,T,C), Israel 49, Russia 3: 735 combinations.
    Backward induction: Russia acquiesces to a tolerant Israel (TC < TA); it confronts a strike
    only in its ordering SA < SC < TC < TA (1 of 3).  After Restrain Israel tolerates (R,S,* <
    R,S,A < R,T,A).  The status quo Entrench, Tolerate, Acquiesce is the SPE outcome iff Russia
    confronts strikes and Israel ranks E,S,C below E,T,A (then it tolerates the bases; Iran
    prefers E,T,A to restraint, C6): 5 * 37 * 1 combinations, 37 counted by brute force.  In the
    simultaneous triad the same profile is never a pure equilibrium (Israel strikes against an
    acquiescing Russia, C9): timing, not the orderings, decides whether the status quo is stable."""
    res = robust(load("syria_sequential"))
    assert res.examined == 735 and res.complete and not res.violations
    assert [len(po.orders) for po in res.orders] == [5, 49, 3]
    found = {f.text: f for f in res.findings}
    sq = found["the status quo (Entrench, Tolerate, Acquiesce) is a subgame-perfect outcome"]
    assert sq.holds == 5 * _israel_orderings_with("Entrench, Strike, Confront", "Entrench, Tolerate, Acquiesce")
    assert sq.holds == 185
    threat = found["Russia's Confront at Iran Entrench, Israel Strike is credible"]
    assert (threat.holds, threat.of) == (735 // 3, 735)
    assert found["Russia's Confront at Iran Entrench, Israel Tolerate is credible"].verdict == "never"
    triad = {f.kind: f for f in robust(load("syria_triad")).findings}
    assert triad["status_quo"].verdict == "never"


def test_credibility_agrees_with_the_credibility_module_at_the_model_numbers() -> None:
    """The model's numbers are one ordering; there solver.analysis.credibility finds Russia's
    Confront after Entrench, Strike credible, and robust counts it credible in some ordering."""
    from solver.analysis.credibility import threats

    confront = [t for t in threats(load("syria_sequential")) if t.action == "Confront" and "Entrench" in t.where]
    assert confront and all(t.credible for t in confront if "Strike" in t.where)


# --- bad input: one line, exit 1 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordering", "needle"),
    [
        pytest.param('Row = ["Cooperate, Nope < Defect, Defect"]\nColumn = []', "unknown outcome", id="unknown-label"),
        pytest.param(
            'Row = ["Cooperate, Defect < Defect, Defect", "Defect, Defect < Cooperate, Defect"]\nColumn = []',
            "cyclic",
            id="cycle",
        ),
        pytest.param(
            'Row = ["Cooperate, Defect = Defect, Defect", "Defect, Defect < Cooperate, Defect"]\nColumn = []',
            "contradiction",
            id="equal-and-less",
        ),
        pytest.param('Nobody = ["Cooperate, Defect < Defect, Defect"]', "unknown player", id="unknown-player"),
        pytest.param('Row = ["Cooperate, Defect"]', "joined by", id="no-relation"),
        pytest.param('status_quo = "Cooperate, Defect"', "no player", id="no-orderings"),
        pytest.param('status_quo = "Up, Down"\nRow = []', "unknown outcome", id="bad-status-quo"),
    ],
)
def test_bad_ordering_is_one_line_exit_1(tmp_path: Path, ordering: str, needle: str) -> None:
    path = two_by_two(tmp_path, "bad", ordering)
    out = runner.invoke(app, ["robust", str(path)])
    lines = out.stderr.strip().splitlines()
    assert out.exit_code == 1 and len(lines) == 1 and lines[0].startswith("redline: "), out.stderr
    assert needle in lines[0] and "Traceback" not in out.output
    assert out.stdout == ""


def test_no_ordering_table_and_chance_trees_are_refused() -> None:
    for name, needle in (("chicken", "no [ordering] table"), ("syria_resolve", "perfect information")):
        out = runner.invoke(app, ["robust", name])
        assert out.exit_code == 1 and needle in out.stderr and len(out.stderr.strip().splitlines()) == 1
    with pytest.raises(ModelError):
        robust(load("chicken"))


def test_cli_json_matches_the_library() -> None:
    doc = json.loads(runner.invoke(app, ["robust", "syria_deconfliction", "--format", "json"]).stdout)
    res = robust(load("syria_deconfliction"))
    assert doc["combinations"] == res.examined == 9 and doc["complete"] is True
    assert "mixing probabilities depend on cardinal payoffs" in doc["note"]
    sq = next(f for f in doc["findings"] if f["kind"] == "status_quo")
    assert (sq["verdict"], sq["holds"], sq["of"]) == ("never", 0, 9)
    assert set(sq["example_fails"]) == {"Israel", "Russia"}
    text = runner.invoke(app, ["robust", "syria_deconfliction"]).stdout
    assert "mixing probabilities depend on cardinal payoffs" in text.replace("\n    ", " ")


def test_numbers_outside_the_orderings_are_named() -> None:
    """At iran_cost = 1 the status quo pays Israel D - c = 1 and striking with Russia looking
    away D - (1-e)c - s = 1/2: the numbers break C9's Tolerate, Acquiesce < Strike, Acquiesce
    (the region where the uncertainty run finds the status quo stable), and only that one."""
    res = robust(load("syria_deconfliction"), {"iran_cost": "1"})
    assert res.violations == ["Israel: Tolerate, Acquiesce < Strike, Acquiesce fails (1 vs 0.5)"]
