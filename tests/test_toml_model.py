"""TOML model files: every bad input is one ModelError/ParameterError naming the file and key;
every shipped model loads and solves to verified equilibria."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CHICKEN_TOML, chicken_with

from solver import solve
from solver.core.errors import ModelError, ParameterError, RedlineError
from solver.core.symbolic import evaluate
from solver.equilibria.trees.sequential import solve_tree
from solver.equilibria.verify import max_regret, regret_tolerance
from solver.formats import load, models_dir, shipped_models
from solver.formats.toml_model import read_model

SS = '"Swerve, Swerve"'
ST = '"Swerve, Straight"'
TS = '"Straight, Swerve"'
TT = '"Straight, Straight"'
PLAYERS = '[players]\nRow = ["Swerve", "Straight"]\nColumn = ["Swerve", "Straight"]\n'

# (id, model text, key that the message must name, what it must say)
BAD_MODELS = [
    ("malformed-toml", "[model\nname = 'x'\n", None, "invalid TOML"),
    ("unterminated-string", CHICKEN_TOML.replace('course"', "course"), None, "invalid TOML"),
    ("not-utf8", None, None, "cannot read"),
    (
        "missing-players",
        CHICKEN_TOML.split("[players]")[0] + "[payoffs]\n",
        "players",
        "missing [players]",
    ),
    ("missing-payoffs", CHICKEN_TOML.split("[payoffs]")[0], "payoffs", "missing [payoffs]"),
    (
        "players-not-table",
        "players = 1\n" + CHICKEN_TOML.replace(PLAYERS, ""),
        "players",
        "must be a table",
    ),
    (
        "no-players",
        CHICKEN_TOML.replace('Row = ["Swerve", "Straight"]\n', "").replace(
            'Column = ["Swerve", "Straight"]\n', ""
        ),
        "players",
        "no players",
    ),
    (
        "missing-profile",
        chicken_with(**{TT: ""}),
        "payoffs",
        'missing profile "Straight, Straight"',
    ),
    (
        "duplicate-profile-spacing",
        CHICKEN_TOML + '"Swerve,Swerve" = ["1", "1"]\n',
        'payoffs."Swerve,Swerve"',
        "duplicate profile",
    ),
    (
        "duplicate-profile-padding",
        CHICKEN_TOML + '" Straight ,  Straight" = ["1", "1"]\n',
        'payoffs." Straight ,  Straight"',
        "duplicate profile",
    ),
    (
        "too-few-payoffs",
        chicken_with(**{SS: f'{SS} = ["R"]'}),
        f"payoffs.{SS}",
        "list of 2 payoffs",
    ),
    (
        "too-many-payoffs",
        chicken_with(**{SS: f'{SS} = ["R", "R", "R"]'}),
        f"payoffs.{SS}",
        "list of 2 payoffs",
    ),
    ("payoff-not-list", chicken_with(**{SS: f'{SS} = "R"'}), f"payoffs.{SS}", "list of 2 payoffs"),
    (
        "unknown-name",
        chicken_with(**{SS: f'{SS} = ["R + X", "R"]'}),
        f"payoffs.{SS}[0] (Row)",
        "unknown name 'X'",
    ),
    (
        "unknown-name-column",
        chicken_with(**{ST: f'{ST} = ["S", "Tee"]'}),
        f"payoffs.{ST}[1] (Column)",
        "unknown name 'Tee'",
    ),
    ("boolean-payoff", chicken_with(**{SS: f'{SS} = [true, "R"]'}), f"payoffs.{SS}[0]", "boolean"),
    (
        "import-payoff",
        chicken_with(**{SS: f"""{SS} = ["__import__('os').system('touch MARK')", "R"]"""}),
        f"payoffs.{SS}[0]",
        "not allowed",
    ),
    (
        "division-by-zero",
        chicken_with(**{SS: f'{SS} = ["R/0", "R"]'}),
        f"payoffs.{SS}[0]",
        "division by zero",
    ),
    (
        "unknown-strategy",
        CHICKEN_TOML.replace(TT, '"Straight, Crash"'),
        'payoffs."Straight, Crash"',
        "'Crash' is not a strategy of Column",
    ),
    (
        "too-few-labels",
        CHICKEN_TOML.replace(TT, '"Straight"'),
        'payoffs."Straight"',
        "expected 2 strategy names",
    ),
    (
        "too-many-labels",
        CHICKEN_TOML.replace(TT, '"Straight, Straight, Swerve"'),
        'payoffs."Straight, Straight, Swerve"',
        "expected 2 strategy names",
    ),
    (
        "empty-strategies",
        CHICKEN_TOML.replace('Row = ["Swerve", "Straight"]', "Row = []"),
        "players.Row",
        "non-empty list",
    ),
    (
        "duplicate-strategy",
        CHICKEN_TOML.replace('Row = ["Swerve", "Straight"]', 'Row = ["A", "A"]'),
        "players.Row",
        "duplicate strategy",
    ),
    (
        "comma-in-strategy",
        CHICKEN_TOML.replace('Row = ["Swerve", "Straight"]', 'Row = ["A,B", "C"]'),
        "players.Row",
        "commas",
    ),
    (
        "value-outside-range",
        chicken_with(T='T = { value = 11, range = [0, 10], doc = "t" }'),
        "parameters.T.value",
        "outside its range",
    ),
    (
        "value-below-range",
        chicken_with(T='T = { value = -1, range = [0, 10], doc = "t" }'),
        "parameters.T.value",
        "outside its range",
    ),
    (
        "reversed-range",
        chicken_with(T='T = { value = 4, range = [10, 0], doc = "t" }'),
        "parameters.T.range",
        "reversed",
    ),
    (
        "range-not-pair",
        chicken_with(T='T = { value = 4, range = [0], doc = "t" }'),
        "parameters.T.range",
        "[low, high]",
    ),
    (
        "infinite-range",
        chicken_with(T='T = { value = 4, range = [0, inf], doc = "t" }'),
        "parameters.T.range",
        "finite",
    ),
    (
        "value-not-number",
        chicken_with(T='T = { value = "four", range = [0, 10], doc = "t" }'),
        "parameters.T.value",
        "expected a number",
    ),
    (
        "value-bool",
        chicken_with(T='T = { value = true, range = [0, 10], doc = "t" }'),
        "parameters.T.value",
        "expected a number",
    ),
    (
        "missing-value",
        chicken_with(T='T = { range = [0, 10], doc = "t" }'),
        "parameters.T",
        "missing 'value'",
    ),
    (
        "missing-range",
        chicken_with(T='T = { value = 4, doc = "t" }'),
        "parameters.T",
        "missing 'range'",
    ),
    (
        "missing-doc",
        chicken_with(T="T = { value = 4, range = [0, 10] }"),
        "parameters.T",
        "missing 'doc'",
    ),
    (
        "empty-doc",
        chicken_with(T='T = { value = 4, range = [0, 10], doc = " " }'),
        "parameters.T.doc",
        "non-empty",
    ),
    (
        "unknown-parameter-key",
        chicken_with(T='T = { value = 4, range = [0, 10], doc = "t", x = 1 }'),
        "parameters.T",
        "unknown key 'x'",
    ),
    ("parameter-not-table", chicken_with(T="T = 4"), "parameters.T", "expected {"),
    (
        "parameter-keyword-name",
        chicken_with(T='class = { value = 4, range = [0, 10], doc = "t" }'),
        "parameters.class",
        "identifiers",
    ),
    (
        "parameter-function-name",
        chicken_with(T='min = { value = 4, range = [0, 10], doc = "t" }'),
        "parameters.min",
        "function names",
    ),
    (
        "parameter-dash-name",
        chicken_with(T='my-T = { value = 4, range = [0, 10], doc = "t" }'),
        "parameters.my-T",
        "identifiers",
    ),
    (
        "parameter-digit-name",
        chicken_with(T='1T = { value = 4, range = [0, 10], doc = "t" }'),
        "parameters.1T",
        "identifiers",
    ),
    (
        "unknown-model-key",
        CHICKEN_TOML.replace('kind = "normal"', 'kind = "normal"\ncolour = "red"'),
        "model.colour",
        "unknown key",
    ),
    (
        "unknown-kind",
        CHICKEN_TOML.replace('kind = "normal"', 'kind = "extensive-ish"'),
        "model.kind",
        "unknown kind",
    ),
    (
        "missing-name",
        CHICKEN_TOML.replace('name = "chicken"\n', ""),
        "model.name",
        "missing model name",
    ),
    (
        "missing-model-table",
        "[parameters]" + CHICKEN_TOML.split("[parameters]")[1],
        "model",
        "missing [model]",
    ),
]


@pytest.mark.parametrize(
    ("text", "key", "what"), [pytest.param(t, k, w, id=i) for i, t, k, w in BAD_MODELS]
)
def test_bad_model_files_name_the_file_and_key(
    text: str | None, key: str | None, what: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    marker = tmp_path / "MARK"
    if text is None:
        path.write_bytes(b"\xff\xfe not utf-8 \x80")
    else:
        path.write_text(text.replace("MARK", str(marker)), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        read_model(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    if key is not None:
        assert message.startswith(f"{path}: {key}"), message
    assert what in message
    assert "\n" not in message.strip()
    assert not marker.exists()
    # load() by path gives the same error
    with pytest.raises(ModelError) as again:
        load(str(path))
    assert str(again.value) == message


def test_missing_file_and_unknown_model_name(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        load(str(tmp_path / "nope.toml"))
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: no such file"
    with pytest.raises(ModelError) as info:
        load("no_such_model_anywhere")
    assert str(info.value).startswith("no_such_model_anywhere: no shipped model")
    with pytest.raises(ModelError, match="directory"):
        load(str(tmp_path))


NON_FINITE = [
    ("pole", "1/(T-4)", {}),
    ("pole-after-set", "1/(T-5)", {"T": 5}),
    ("log-zero", "log(T - 4)", {}),
    ("sqrt-negative", "sqrt(P - 2)", {}),
    ("float-overflow", "exp(T*100)", {"T": 10}),
]


@pytest.mark.parametrize(("expr", "values"), [pytest.param(e, v, id=i) for i, e, v in NON_FINITE])
def test_non_finite_payoff_is_reported_at_evaluation(
    expr: str, values: dict[str, int], write_model: Callable[..., Path]
) -> None:
    path = write_model(chicken_with(**{SS: f'{SS} = ["{expr}", "R"]'}))
    model = read_model(path)  # the formula itself is fine
    with pytest.raises(ModelError) as info:
        evaluate(model, values)
    message = str(info.value)
    assert message.startswith(f"{path}: payoffs.{SS}: ")
    assert "not a finite number" in message or "overflows" in message


def test_finite_elsewhere_the_pole_is_fine(write_model: Callable[..., Path]) -> None:
    model = read_model(write_model(chicken_with(**{SS: f'{SS} = ["1/(T-4)", "R"]'})))
    assert evaluate(model, {"T": 5}).payoffs[0, 0, 0] == Fraction(1)


OVERRIDES = [
    ("outside-range", {"T": 11}, "T = 11 is outside its declared range [0, 10]"),
    ("below-range", {"P": "-1/2"}, "P = -0.5 is outside its declared range [0, 10]"),
    ("unknown-parameter", {"X": 1}, "unknown parameter 'X' (parameters: T, R, S, P)"),
    ("not-a-number", {"T": "abc"}, "value 'abc' for T is not a number"),
]


@pytest.mark.parametrize(("values", "what"), [pytest.param(v, w, id=i) for i, v, w in OVERRIDES])
def test_bad_overrides_are_parameter_errors(
    values: dict[str, object], what: str, chicken_file: Path
) -> None:
    model = read_model(chicken_file)
    with pytest.raises(ParameterError) as info:
        evaluate(model, values)
    assert str(info.value) == f"{chicken_file}: {what}"


def test_overrides_inside_range_are_exact(chicken_file: Path) -> None:
    model = read_model(chicken_file)
    game = evaluate(model, {"T": "9/2", "P": 0.5})
    assert game.is_exact
    assert game.payoffs[1, 0, 1] == Fraction(9, 2)
    assert game.payoffs[0, 1, 1] == Fraction(1, 2)
    assert model.values({"T": 10})["T"] == 10  # the range is closed


def test_issue_chicken_reads_as_written(chicken_file: Path) -> None:
    model = read_model(chicken_file)
    assert model.players == ("Row", "Column")
    assert model.strategies == (("Swerve", "Straight"), ("Swerve", "Straight"))
    assert model.parameter_names == ("T", "R", "S", "P")
    game = evaluate(model)
    assert game.payoffs.tolist() == [[[3, 2], [4, 1]], [[3, 4], [2, 1]]]


def test_profile_keys_may_be_spaced_freely(write_model: Callable[..., Path]) -> None:
    text = CHICKEN_TOML.replace(SS, '"Swerve,Swerve"').replace(TT, '"  Straight ,Straight "')
    a = evaluate(read_model(write_model(text)))
    assert a.payoffs.tolist() == [[[3, 2], [4, 1]], [[3, 4], [2, 1]]]


# --- every shipped model loads and solves -----------------------------------------------------

SHIPPED = sorted(shipped_models().items())


def test_models_folder_is_not_empty() -> None:
    assert SHIPPED, f"no models in {models_dir()}"


@pytest.mark.parametrize("path", [pytest.param(p, id=n) for n, p in SHIPPED])
def test_every_shipped_model_loads_and_solves(path: Path) -> None:
    model = load(path.stem)
    assert model.path == str(path)
    assert model.title and model.players
    for p in model.parameters:
        assert p.low <= p.value <= p.high and p.doc
    if model.kind == "bargaining":  # a continuous offer: its closed form at the values
        from solver.equilibria.bargaining import solve_bargaining

        r = solve_bargaining(model)
        assert 0 <= r.p_war <= 1
        return
    if model.tree is not None:  # sequential models: their own solver, same Result contract
        tree_result = solve_tree(model, model.values())
        assert tree_result.equilibria
        tol = regret_tolerance(tree_result.game)
        assert all(e.max_regret <= tol for e in tree_result.equilibria)
        return
    assert model.kind == "normal"
    game = evaluate(model)
    try:
        result = solve(game)
    except RedlineError as exc:  # pragma: no cover - a failure, reported clearly
        pytest.fail(f"{path.name}: {exc}")
    assert result.equilibria, "every finite game has an equilibrium (Nash 1951)"
    if game.n_players == 2:
        assert result.complete
    tol = regret_tolerance(game)
    for e in result.equilibria:
        assert e.max_regret <= tol
        assert float(max_regret(game, e.vectors)) <= tol
        for vec in e.vectors:
            assert all(v >= 0 for v in vec)
            assert abs(float(sum(vec)) - 1) <= 1e-12
        assert set(e.profile) == set(model.players)


@pytest.mark.parametrize("path", [pytest.param(p, id=n) for n, p in SHIPPED])
def test_every_shipped_model_evaluates_anywhere_in_its_box(path: Path) -> None:
    model = load(path.stem)
    for corner in ("low", "high"):
        values = {p.name: getattr(p, corner) for p in model.parameters}
        if model.tree is not None:
            # sequential models: every chance probability and leaf payoff at the corner (the
            # reduced normal form of syria_resolve alone would take seconds to evaluate)
            try:
                tree = model.tree.at(model.values(values))
            except ModelError as exc:
                assert "nodes." in str(exc)  # a pole at a corner: a clean error naming the node
                continue
            leaves = [n.payoffs for n in tree.nodes if n.is_terminal]
            assert leaves and all(len(p) == len(model.players) for p in leaves)
            assert all(math.isfinite(v) for p in leaves for v in p)
            continue
        try:
            game = evaluate(model, values)
        except ModelError as exc:
            # a pole at a corner must at least be a clean, located error
            assert str(exc).startswith(str(path))
            continue
        assert game.payoffs.shape[0] == len(model.players)
