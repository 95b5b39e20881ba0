"""``redline unravel``: when Iran's entrenchment makes the deconfliction deal stop being self-enforcing.

syria_deal_repeated moves c = iran_cost = iran_cost_start + entrench_rate * t (defaults 6 and 1
a year).  By hand (derivation in tests/test_repeated_cli.py), with the other parameters at their
defaults the grim-trigger critical delta of (Tolerate, Acquiesce) is 3/4 for 2 < c < 14 (mixed
stage equilibrium), (c/2 - 1)/8 for 14 <= c < 18 (reversion to (Strike, Confront)) and has no
value below 1 from c = 18 on.  Along the default path c = 6 + t, so delta*(t) = 3/4 for t < 8,
(t + 4)/16 for 8 <= t < 12, none from t = 12.  At delta the deal unravels where
(t + 4)/16 = delta, t* = 16 delta - 4: 52/5 at 9/10, 44/5 at 4/5, 56/5 at 19/20, 296/25 at
99/100; below 3/4 it fails from the start.  Only Israel is ever tempted (Russia's Acquiesce is
its best reply to Tolerate).  In general c* = 16 delta + 2 and t* = (c* - iran_cost_start)/r
with r = entrench_rate: 26/5 at r = 2 and delta 9/10, 2/5 from iran_cost_start = 16.

From c = 14 on Israel's minmax is its open-conflict payoff -7 - c/2 (Russia confronts; Israel's
best reply is Strike since c/2 - 1 > K_I - D), the same as the Nash reversion, so the minmax bound
and the penal code give the same delta* there: all three punishments fail at t = 52/5 too.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from clirun import cli_outcome, run
from hostile import assert_one_line_error

from solver.analysis.repeated import unravel

DEAL = "Tolerate, Acquiesce"
MODEL = "syria_deal_repeated"






def unravel_json(*args: str) -> Any:
    result = run("unravel", MODEL, "--target", DEAL, "--points", "5", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "first", "closed", "cause"),
    [
        (("--delta", "0.9"), "52/5", False, "above"),
        (("--delta", "0.8"), "44/5", False, "above"),
        (("--delta", "0.95"), "56/5", False, "above"),
        (("--delta", "0.99"), "296/25", False, "above"),
        (("--delta", "0.7"), "0", True, "above"),
        (("--delta", "0.9", "--set", "entrench_rate=2"), "26/5", False, "above"),
        (("--delta", "0.9", "--set", "iran_cost_start=16"), "2/5", False, "above"),
        (("--delta", "0.9", "--set", "iran_cost_start=20"), "0", True, "none"),
        (("--delta", "0.9", "--path", "iran_cost=6:20"), "82/5", False, "above"),
        (("--delta", "0.9", "--path", "t=0:10"), None, False, None),
        (("--delta", "0.9", "--set", "entrench_rate=0"), None, False, None),
    ],
    ids=[
        "delta-0.9",
        "delta-0.8",
        "delta-0.95",
        "delta-0.99",
        "below-3/4",
        "fast-entrenchment",
        "late-start",
        "start-beyond-18",
        "iran-cost-path",
        "short-path",
        "no-entrenchment",
    ],
)
def test_first_unravelling_point_is_exact(
    args: tuple[str, ...], first: str | None, closed: bool, cause: str | None
) -> None:
    doc = unravel_json(*args)
    assert doc["first"] == first
    assert doc["from_first_on"] is closed
    assert doc["cause"] == cause
    assert doc["breaks"] == ([] if first is None else ["Israel"])
    assert doc["exact"] is True


def test_segments_carry_the_closed_form() -> None:
    doc = unravel_json("--delta", "0.9")
    forms = [(s["from"], s["to"], s["critical_delta"]) for s in doc["segments"]]
    assert forms[0] == ("0", "8", "3/4")
    t = sp.Symbol("t")
    conflict = [sp.sympify(v) for a, b, v in forms if v not in (None, "3/4")]
    assert conflict and all(sp.simplify(v - (t + 4) / 16) == 0 for v in conflict)
    assert forms[-1][1:] == ("20", None)
    assert [s["from"] for s in doc["segments"] if s["critical_delta"] is None] == ["12"]
    assert all(s["by_player"]["Russia"] == "0" for s in doc["segments"])


def test_numeric_punishments_agree_within_their_tolerance() -> None:
    doc = unravel_json("--delta", "0.9")
    kinds = {n["kind"]: n for n in doc["numeric"]}
    assert set(kinds) == {"nash", "minmax", "penal_code"}
    for n in kinds.values():
        assert abs(F(n["first"]) - F(52, 5)) <= F(n["tolerance"]), n
        assert n["breaks"] == ["Israel"]


def test_table_names_the_point_and_the_player() -> None:
    out = run("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--points", "5")
    assert out.exit_code == 0, out.stderr
    assert "stops being self-enforcing at δ = 9/10 just after t = 52/5" in out.stdout
    assert "Israel breaks it first" in out.stdout
    assert "leaving its declared range" in out.stdout  # iran_cost passes 20 at t = 14


def test_plot_is_written(tmp_path: Path) -> None:
    target = tmp_path / "unravel.png"
    out = run("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--points", "5", "--plot", str(target))
    assert out.exit_code == 0, out.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["unravel.png"]  # no temporary file left


def test_python_api_returns_exact_numbers() -> None:
    u = unravel(MODEL, DEAL, "9/10", ("t", 0, 20), points=3)
    assert u.first == sp.Rational(52, 5) and u.breaks == ("Israel",) and not u.closed
    assert u.complete


@pytest.mark.parametrize(
    ("args", "needles", "code"),
    [
        (("unravel", "syria_deconfliction", "--target", DEAL, "--delta", "0.9"), ("[dynamics]",), 2),
        (("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--path", "t=5"), ("--path",), 2),
        (("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--path", "t=3:1"), ("lower to a higher",), 1),
        (("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--path", "foo=0:1"), ("unknown parameter", "foo"), 1),
        (("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--set", "iran_cost=3"), ("iran_cost", "moves"), 2),
        (("unravel", MODEL, "--target", DEAL), ("--delta",), 2),
        (("unravel", MODEL, "--target", DEAL, "--delta", "1.2"), ("between 0 and 1",), 1),
        (("unravel", MODEL, "--target", "Tolerate, Foo", "--delta", "0.9"), ("Foo",), 2),
        (
            ("unravel", MODEL, "--target", DEAL, "--delta", "0.9", "--plot", "missing/x.png"),
            ("x.png", "cannot write"),
            1,
        ),
    ],
    ids=[
        "no-dynamics",
        "path-syntax",
        "path-backwards",
        "path-unknown",
        "set-moving",
        "no-delta",
        "delta-outside",
        "bad-target",
        "plot-folder-missing",
    ],
)
def test_bad_input_one_line(tmp_path: Path, args: tuple[str, ...], needles: tuple[str, ...], code: int) -> None:
    out = cli_outcome(tmp_path, *args, "--points", "3")
    assert_one_line_error(out, *needles, code=code)
    assert out.stdout == ""


def test_exponential_entrenchment_gives_a_logarithm(tmp_path: Path) -> None:
    """iran_cost = 6 exp(t/10): the red line c* = 82/5 is reached at t = 10 log(82/30) = 10 log(41/15)."""
    text = (Path(__file__).parents[1] / "models" / f"{MODEL}.toml").read_text()
    text = text.replace('"iran_cost_start + entrench_rate * t"', '"iran_cost_start * exp(entrench_rate * t / 10)"')
    (tmp_path / "exp.toml").write_text(text)
    u = unravel(str(tmp_path / "exp.toml"), DEAL, "9/10", ("t", 0, 20), points=3)
    assert sp.simplify(u.first - 10 * sp.log(sp.Rational(41, 15))) == 0
    assert u.breaks == ("Israel",) and u.complete and u.exact
