"""Content of the shipped model files: claim citations, defining orderings, Syria equilibria.

These tests read ``models/*.toml`` with :mod:`tomllib` and evaluate payoff expressions with a
small exact (``Fraction``) evaluator of their own, so they do not depend on the project's loader.
They pin down the data: the classic games satisfy their defining payoff orderings at the
defaults, every Syria parameter cites a claim in ``seeds/claims.md``, and the Syria defaults have
the equilibria their descriptions state (checked by best responses and indifference, not by a
solver).
"""

from __future__ import annotations

import ast
import itertools
import re
import tomllib
from collections.abc import Callable, Mapping
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
CLAIMS = ROOT / "seeds" / "claims.md"
#: strategic-form models (the sequential ones are checked in tests/test_sequential.py)
MODEL_FILES = sorted(
    p
    for p in MODELS.glob("*.toml")
    if 'kind = "sequential"' not in p.read_text() and 'kind = "bargaining"' not in p.read_text()
)
SYRIA = ("syria_deconfliction", "syria_triad", "syria_deal_repeated")
CLASSICS = ("chicken", "stag_hunt", "prisoners_dilemma", "matching_pennies", "battle_of_the_sexes")
HEADING = re.compile(r"^## (C\d+) ([a-z0-9]+(?:-[a-z0-9]+)*)\s*$")


def load(name: str) -> dict[str, Any]:
    with (MODELS / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def claim_ids() -> list[str]:
    return [m.group(1) for line in CLAIMS.read_text().splitlines() if (m := HEADING.match(line))]


# --- a tiny exact evaluator (numbers, names, + - * / **, unary minus, parentheses, min, max) ---


def _power(a: F, b: F) -> F:
    assert b.denominator == 1, "only integer exponents are evaluated exactly here"
    return a ** int(b)


_BINOPS: dict[type, Callable[[F, F], F]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: _power,
}


def evaluate(text: object, env: Mapping[str, F]) -> F:
    """Evaluate one payoff expression exactly; raises on anything outside the small grammar."""
    return _eval(ast.parse(str(text).strip(), mode="eval").body, env)


def _eval(node: ast.AST, env: Mapping[str, F]) -> F:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return F(str(node.value))
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _eval(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_eval(a, env) for a in node.args]
        if node.func.id == "min":
            return min(args)
        if node.func.id == "max":
            return max(args)
    raise AssertionError(f"unsupported expression node {ast.dump(node)}")


def defaults(model: Mapping[str, Any], **override: object) -> dict[str, F]:
    env = {k: F(str(v["value"])) for k, v in model["parameters"].items()}
    env.update({k: F(str(v)) for k, v in override.items()})
    return env


Table = dict[tuple[str, ...], tuple[F, ...]]


def table(model: Mapping[str, Any], env: Mapping[str, F]) -> Table:
    """Pure profile (labels) -> payoff vector, evaluated at ``env``."""
    return {
        tuple(key.split(", ")): tuple(evaluate(e, env) for e in exprs)
        for key, exprs in model["payoffs"].items()
    }


def strategy_sets(model: Mapping[str, Any]) -> list[list[str]]:
    return [list(s) for s in model["players"].values()]


def deviations(model: Mapping[str, Any], profile: tuple[str, ...], i: int) -> list[tuple[str, ...]]:
    own = strategy_sets(model)[i]
    return [(*profile[:i], s, *profile[i + 1 :]) for s in own if s != profile[i]]


def pure_equilibria(model: Mapping[str, Any], env: Mapping[str, F]) -> set[tuple[str, ...]]:
    """Pure Nash equilibria by best-response checks (no profitable unilateral deviation)."""
    u = table(model, env)
    return {
        p
        for p in u
        if all(u[q][i] <= u[p][i] for i in range(len(p)) for q in deviations(model, p, i))
    }


def cell(u: Table, *labels: str) -> tuple[F, ...]:
    return u[tuple(labels)]


# --- structure of every model file -------------------------------------------------------------


def test_claim_headings_are_unique_and_numbered() -> None:
    ids = claim_ids()
    assert ids, f"no '## C<n> slug' headings in {CLAIMS}"
    assert len(ids) == len(set(ids))


def test_all_expected_models_are_shipped() -> None:
    assert {p.stem for p in MODEL_FILES} >= set(SYRIA) | set(CLASSICS)


@pytest.mark.parametrize("path", MODEL_FILES, ids=[p.stem for p in MODEL_FILES])
def test_model_file_shape(path: Path) -> None:
    model = load(path.stem)
    meta = model["model"]
    assert meta["name"] == path.stem
    assert meta["kind"] == "normal"
    for key in ("title", "source", "description"):
        assert isinstance(meta[key], str) and meta[key].strip()
    known = set(claim_ids())
    for pname, spec in model["parameters"].items():
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", pname)
        assert spec.get("doc", "").strip(), pname
        lo, hi = (F(str(x)) for x in spec["range"])
        assert lo <= F(str(spec["value"])) <= hi, pname
        unknown = set(spec.get("cites", [])) - known
        assert not unknown, f"{pname} cites {sorted(unknown)} missing from {CLAIMS.name}"
    sets = strategy_sets(model)
    expected = {", ".join(p) for p in itertools.product(*sets)}
    assert set(model["payoffs"]) == expected
    for exprs in model["payoffs"].values():
        assert len(exprs) == len(sets)
    u = table(model, defaults(model))  # every expression evaluates at the defaults
    assert len(u) == len(expected)


@pytest.mark.parametrize("name", SYRIA)
def test_syria_parameters_cite_claims(name: str) -> None:
    for pname, spec in load(name)["parameters"].items():
        assert spec.get("cites"), f"{name}.{pname} has no cites"


def test_triad_shares_the_dyad_parameters() -> None:
    dyad, triad = load("syria_deconfliction"), load("syria_triad")
    for pname, spec in dyad["parameters"].items():
        assert triad["parameters"][pname]["value"] == spec["value"], pname
        assert triad["parameters"][pname]["range"] == spec["range"], pname


# --- classic games: defining orderings at the defaults -----------------------------------------


def _symmetric(u: Table, a: str, b: str) -> tuple[F, F, F, F]:
    """(T, R, S, P) of a symmetric 2x2 read off the cells, checking symmetry on the way."""
    r, s, t, p = cell(u, a, a)[0], cell(u, a, b)[0], cell(u, b, a)[0], cell(u, b, b)[0]
    assert cell(u, a, a)[1] == r and cell(u, b, b)[1] == p
    assert cell(u, a, b)[1] == t and cell(u, b, a)[1] == s
    return t, r, s, p


def _chicken(u: Table) -> None:
    t, r, s, p = _symmetric(u, "Swerve", "Straight")
    assert t > r > s > p


def _stag_hunt(u: Table) -> None:
    t, r, s, p = _symmetric(u, "Stag", "Hare")
    assert r > t >= p > s


def _prisoners_dilemma(u: Table) -> None:
    t, r, s, p = _symmetric(u, "Cooperate", "Defect")
    assert t > r > p > s
    assert 2 * r > t + s


def _matching_pennies(u: Table) -> None:
    assert all(sum(v) == 0 for v in u.values())
    hh, ht, th, tt = (cell(u, *k)[0] for k in itertools.product(("Heads", "Tails"), repeat=2))
    assert hh > th and tt > ht  # Row wants to match
    assert cell(u, "Heads", "Tails")[1] > cell(u, "Heads", "Heads")[1]  # Column to mismatch
    assert cell(u, "Tails", "Heads")[1] > cell(u, "Tails", "Tails")[1]


def _battle_of_the_sexes(u: Table) -> None:
    oo, ff = cell(u, "Opera", "Opera"), cell(u, "Football", "Football")
    miss = {cell(u, "Opera", "Football"), cell(u, "Football", "Opera")}
    assert len(miss) == 1
    (m,) = miss
    assert oo[0] > ff[0] > m[0] and ff[1] > oo[1] > m[1]


ORDERINGS: dict[str, Callable[[Table], None]] = {
    "chicken": _chicken,
    "stag_hunt": _stag_hunt,
    "prisoners_dilemma": _prisoners_dilemma,
    "matching_pennies": _matching_pennies,
    "battle_of_the_sexes": _battle_of_the_sexes,
}

CLASSIC_PURE: dict[str, set[tuple[str, ...]]] = {
    "chicken": {("Swerve", "Straight"), ("Straight", "Swerve")},
    "stag_hunt": {("Stag", "Stag"), ("Hare", "Hare")},
    "prisoners_dilemma": {("Defect", "Defect")},
    "matching_pennies": set(),
    "battle_of_the_sexes": {("Opera", "Opera"), ("Football", "Football")},
}


@pytest.mark.parametrize("name", CLASSICS)
def test_classic_ordering_at_defaults(name: str) -> None:
    model = load(name)
    ORDERINGS[name](table(model, defaults(model)))


@pytest.mark.parametrize("name", CLASSICS)
def test_classic_pure_equilibria_at_defaults(name: str) -> None:
    model = load(name)
    assert pure_equilibria(model, defaults(model)) == CLASSIC_PURE[name]


# --- Syria models: the equilibria the descriptions state ---------------------------------------


def _generic(model: Mapping[str, Any], env: Mapping[str, F]) -> bool:
    """No player is ever indifferent between two pure strategies against a pure profile."""
    u = table(model, env)
    return all(
        u[q][i] != u[p][i] for p in u for i in range(len(p)) for q in deviations(model, p, i)
    )


def _mixed_2x2(model: Mapping[str, Any], env: Mapping[str, F]) -> tuple[F, F]:
    """Totally mixed equilibrium of a 2x2 (P of each player's second strategy), by indifference."""
    u = table(model, env)
    (a1, a2), (b1, b2) = strategy_sets(model)
    # Row mixes x on a2 so Column is indifferent; Column mixes y on b2 so Row is indifferent.
    dc1 = cell(u, a1, b2)[1] - cell(u, a1, b1)[1]
    dc2 = cell(u, a2, b2)[1] - cell(u, a2, b1)[1]
    dr1 = cell(u, a2, b1)[0] - cell(u, a1, b1)[0]
    dr2 = cell(u, a2, b2)[0] - cell(u, a1, b2)[0]
    return dc1 / (dc1 - dc2), dr1 / (dr1 - dr2)


def test_deconfliction_defaults_unique_mixed() -> None:
    model = load("syria_deconfliction")
    env = defaults(model)
    assert _generic(model, env)
    assert pure_equilibria(model, env) == set()  # best responses cycle: no pure equilibrium
    assert _mixed_2x2(model, env) == (F(3, 5), F(1, 3))


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"iran_cost": 0}, {("Tolerate", "Acquiesce")}),
        ({"iran_cost": 20}, {("Strike", "Confront")}),
        ({"conflict_cost_israel": 0}, {("Strike", "Confront")}),
        ({"conflict_cost_russia": 20}, {("Strike", "Acquiesce")}),
        ({"assad_stake": 0}, {("Strike", "Acquiesce")}),
        ({"deal_value": 10}, {("Strike", "Confront")}),
        ({"strike_cost": 10}, {("Tolerate", "Acquiesce")}),
    ],
    ids=[
        "low-iran-cost",
        "high-iran-cost",
        "cheap-conflict-israel",
        "costly-conflict-russia",
        "no-assad-stake",
        "high-deal-value",
        "costly-strikes",
    ],
)
def test_deconfliction_ranges_cross_thresholds(
    override: dict[str, int], expected: set[tuple[str, ...]]
) -> None:
    model = load("syria_deconfliction")
    env = defaults(model, **override)
    assert _generic(model, env)
    assert pure_equilibria(model, env) == expected


def test_triad_slice_at_entrench_is_the_dyad() -> None:
    dyad, triad = load("syria_deconfliction"), load("syria_triad")
    ud, ut = table(dyad, defaults(dyad)), table(triad, defaults(triad))
    for (israel, russia), payoff in ud.items():
        assert ut[(israel, russia, "Entrench")][:2] == payoff


def test_triad_defaults_documented_equilibrium() -> None:
    """Iran entrenches; Israel strikes w.p. 3/5 and Russia confronts w.p. 1/3 (both indifferent)."""
    model = load("syria_triad")
    env = defaults(model)
    assert _generic(model, env)
    assert pure_equilibria(model, env) == set()
    u = table(model, env)
    sets = strategy_sets(model)
    mix = [
        {"Tolerate": F(2, 5), "Strike": F(3, 5)},
        {"Acquiesce": F(2, 3), "Confront": F(1, 3)},
        {"Restrain": F(0), "Entrench": F(1)},
    ]

    def value(i: int, s: str) -> F:
        total = F(0)
        for p in itertools.product(*sets):
            if p[i] != s:
                continue
            weight = F(1)
            for j, sj in enumerate(p):
                if j != i:
                    weight *= mix[j][sj]
            total += weight * u[p][i]
        return total

    assert value(0, "Tolerate") == value(0, "Strike") == F(-14, 3)
    assert value(1, "Acquiesce") == value(1, "Confront") == F(-3)
    assert value(2, "Entrench") - value(2, "Restrain") == F(19, 15)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"entrench_cost": 15}, {("Tolerate", "Acquiesce", "Restrain")}),
        ({"base_value": 0}, {("Tolerate", "Acquiesce", "Restrain")}),
        ({"iran_cost": 0}, {("Tolerate", "Acquiesce", "Entrench")}),
        ({"iran_cost": 20}, {("Strike", "Confront", "Entrench")}),
    ],
    ids=["costly-entrenchment", "worthless-bases", "low-iran-cost", "high-iran-cost"],
)
def test_triad_ranges_cross_thresholds(
    override: dict[str, int], expected: set[tuple[str, ...]]
) -> None:
    model = load("syria_triad")
    env = defaults(model, **override)
    assert _generic(model, env)
    assert pure_equilibria(model, env) == expected
