"""Hostile expressions, parameter values and Python-API calls (issue 10): refused in one clear line.

Payoff expressions that are undefined (``sqrt(-1)``, ``log(0)``, ``(-8)**(1/3)``), too large or
written with look-alike characters are refused where they are parsed; formulas that are undefined
only at some parameter values are refused where they are evaluated, naming the payoff and the
values.  ``--set`` literals are bounded before exact conversion (``1e99999999`` would build a
hundred-million-digit integer) and printed compactly.  The Python API raises a
:class:`RedlineError` subclass for every misuse, never a numpy error, and solves games whose float
payoffs would overflow (1e308) or underflow by scaling each player by a power of two.  Property
tests: the expression parser returns sympy or raises ModelError on any string of its grammar, and
random games solve to verified equilibria, the same at 1e300 times the payoffs.
"""

from __future__ import annotations

import signal
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import CHICKEN_TOML
from hostile import assert_one_line_error, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.analysis.uncertainty import draw_parameter
from solver.core.errors import ModelError, ParameterError, RangeError, RedlineError, SolverError
from solver.core.expr import parse
from solver.core.game import Game
from solver.core.symbolic import Parameter, evaluate
from solver.equilibria import solve
from solver.equilibria.verify import max_regret, regret_tolerance
from solver.formats import load

MP_A = [[1.0, -1.0], [-1.0, 1.0]]
MP_B = [[-1.0, 1.0], [1.0, -1.0]]
RPS = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=float)


def one_param_model(a: str, b: str, low: str = "0", high: str = "10", value: str = "1") -> str:
    """A 2x2 model over one parameter T whose "A, C" cell has the payoffs ``a`` and ``b``."""
    return f"""\
[model]
name = "m"
title = "hostile payoffs"

[parameters]
T = {{ value = {value}, range = [{low}, {high}], doc = "t" }}

[players]
Row = ["A", "B"]
Column = ["C", "D"]

[payoffs]
"A, C" = ["{a}", "{b}"]
"A, D" = [0, 0]
"B, C" = [0, 0]
"B, D" = [1, 1]
"""


@contextmanager
def hang_guard(seconds: int = 20) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging; a bound, not a measurement."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- expressions: refused at parse time ---------------------------------------------------------

REFUSED = [
    pytest.param("sqrt(-1)", "not a finite real", id="sqrt-of-negative"),
    pytest.param("(-1)**0.5", "not a finite real", id="half-power-of-negative"),
    pytest.param("log(0)", "not a finite real", id="log-zero"),
    pytest.param("log(-2)", "not a finite real", id="log-negative"),
    pytest.param("0**-1", "not a finite real", id="zero-to-minus-one"),
    pytest.param("0.0**-1", "not a finite real", id="float-zero-to-minus-one"),
    pytest.param("(-8)**(1/3)", "not a finite real", id="cube-root-of-negative-is-complex"),
    pytest.param("exp(1000)", "at most 1e+300", id="exp-overflows-a-float"),
    pytest.param("exp(exp(exp(100)))", "at most 1e+300", id="exp-tower-no-hang"),
    pytest.param("9" * 2000, "limit of 1e+300", id="2000-digit-integer"),
    pytest.param("1" + "0" * 400 + ".5", "limit of 1e+300", id="400-digit-decimal"),
    pytest.param("1e400", "non-finite", id="exponent-literal-over-float"),
    pytest.param("1e99999999", "non-finite", id="huge-exponent-literal"),
    pytest.param("1e-99999999", "limit of 400", id="huge-negative-exponent-literal"),
    pytest.param("(-0.6448057) ** (-0.6448057)", "limit of 1000", id="ten-millionth-root-no-hang"),
    pytest.param("x ** 975e-311", "limit of 1000", id="root-of-huge-degree"),
    pytest.param("ｘ + 1", "lookalike of 'x' (U+FF58", id="fullwidth-x"),
    pytest.param("2*𝑥", "lookalike of 'x' (U+1D465", id="mathematical-italic-x"),
    pytest.param("ｌｏｇ(x)", "lookalike of 'l'", id="fullwidth-function-name"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED)
def test_undefined_or_unbounded_expressions_are_refused(text: str, fragment: str) -> None:
    with hang_guard(), pytest.raises(ModelError, match=None) as info:
        parse(text, {"x"}, source="m.toml", key='payoffs."A, C"[0]')
    assert str(info.value).startswith('m.toml: payoffs."A, C"[0]: ')
    assert fragment in str(info.value)
    assert len(str(info.value)) < 300


@pytest.mark.parametrize(
    "number",
    [
        pytest.param(10**5000, id="5000-digit-int"),
        pytest.param(float("inf"), id="inf"),
        pytest.param(float("nan"), id="nan"),
    ],
)
def test_number_payoffs_from_a_file_are_bounded(number: Any) -> None:
    """TOML gives numbers, not strings: the same limits, no int-to-str conversion error."""
    with pytest.raises(ModelError, match="limit of 1e\\+300"):
        parse(number, {"x"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1e-400", Fraction(1, 10**400), id="tiny-literal-exact"),
        pytest.param("0.1000000000000000000001", Fraction(10**21 + 1, 10**22), id="long-decimal-exact"),
        pytest.param("9" * 300, Fraction(10**300 - 1), id="300-digit-integer"),
        pytest.param("sqrt(4) + abs(-1)", Fraction(3), id="real-constant"),
    ],
)
def test_finite_real_constants_stay_exact(text: str, expected: Fraction) -> None:
    value = parse(text, {"x"})
    assert value.is_Rational and Fraction(int(value.p), int(value.q)) == expected


# --- formulas undefined at some parameter values: refused where evaluated --------------------------

AT_POINT = [
    pytest.param("log(T)", "0", "T=0", id="log-at-zero"),
    pytest.param("1/(T-5)", "5", "T=5", id="pole"),
    pytest.param("sqrt(T-5)", "1", "T=1", id="sqrt-of-negative"),
    pytest.param("(T-9)**(1/3)", "1", "T=1", id="odd-root-of-negative"),
    pytest.param("exp(100*T)", "10", "T=10", id="overflow"),
    pytest.param("T**-3", "0", "T=0", id="negative-power-at-zero"),
]


@pytest.mark.parametrize(("formula", "at", "where"), AT_POINT)
def test_formula_undefined_at_a_point_names_payoff_and_values(
    formula: str, at: str, where: str, write_model: Callable[..., Path]
) -> None:
    model = load(str(write_model(one_param_model(formula, "1"))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning on the way
        with pytest.raises(ModelError) as info:
            evaluate(model, {"T": at})
    message = str(info.value)
    assert 'payoffs."A, C"' in message and where in message and "\n" not in message


def test_deep_root_at_a_parameter_value_is_evaluated_in_floats(write_model: Callable[..., Path]) -> None:
    """``T**U`` at U = 0.6448057 is a 10,000,000th root: exactly it would take minutes."""
    text = one_param_model("T**U", "1").replace(
        'T = {', 'U = { value = 1, range = [0, 10], doc = "u" }\nT = {'
    )
    model = load(str(write_model(text)))
    with hang_guard():
        game = evaluate(model, {"T": "0.6448057", "U": "0.6448057"})
    assert not game.is_exact and abs(float(game.payoffs[0, 0, 0]) - 0.6448057**0.6448057) < 1e-12


# --- parameter values (--set) ------------------------------------------------------------------------

SET_VALUES = [
    pytest.param("1e99999999", ParameterError, "exponent 99999999", id="huge-exponent"),
    pytest.param("-1e-99999999", ParameterError, "limit of 400", id="huge-negative-exponent"),
    pytest.param("1" * 5000, ParameterError, "limit of 400", id="5000-digit-value"),
    pytest.param("1e400", RangeError, "T = 1e+400 is outside", id="huge-but-bounded-printed-compactly"),
    pytest.param("nan", ParameterError, "not a number", id="nan"),
    pytest.param("inf", ParameterError, "not a number", id="inf"),
    pytest.param("1/0", ParameterError, "not a number", id="division-by-zero"),
    pytest.param("0x10", ParameterError, "not a number", id="hex"),
    pytest.param("", ParameterError, "not a number", id="empty"),
    pytest.param("   ", ParameterError, "not a number", id="whitespace"),
    pytest.param("--1", ParameterError, "not a number", id="double-minus"),
]


@pytest.mark.parametrize(("value", "error", "fragment"), SET_VALUES)
def test_set_values_are_bounded_and_messages_compact(
    value: str, error: type[RedlineError], fragment: str
) -> None:
    model = load("chicken")
    with hang_guard(), pytest.raises(error) as info:
        model.values({"T": value})
    assert fragment in str(info.value)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        pytest.param("Ｔ", "lookalike of 'T' (U+FF34", id="fullwidth"),
        pytest.param("𝑇", "lookalike of 'T' (U+1D447", id="mathematical-italic"),
        pytest.param("Q", "unknown parameter 'Q'", id="unknown"),
    ],
)
def test_parameter_names_lookalikes_refused(name: str, fragment: str) -> None:
    with pytest.raises(ParameterError, match=None) as info:
        load("chicken").parameter(name)
    assert fragment in str(info.value)


# --- the Python API: games ------------------------------------------------------------------------

BAD_GAMES: list[Any] = [
    pytest.param(lambda: Game.from_arrays([]), "shape", id="empty-list"),
    pytest.param(lambda: Game.from_arrays(np.zeros((2, 0, 2))), "empty game", id="no-strategies"),
    pytest.param(lambda: Game.from_bimatrix([], []), "m x n", id="empty-bimatrix"),
    pytest.param(lambda: Game.from_arrays([1, 2, 3]), "shape", id="one-dimensional"),
    pytest.param(lambda: Game.from_arrays(5), "shape", id="scalar"),
    pytest.param(lambda: Game.from_arrays(np.zeros((2, 2, 2, 2))), "one strategy axis per player", id="axes"),
    pytest.param(lambda: Game.from_bimatrix([[1, 2], [3]], MP_B), "ragged", id="ragged"),
    pytest.param(lambda: Game.from_bimatrix([[1j, 2], [3, 4]], MP_B), "not a real number", id="complex"),
    pytest.param(lambda: Game.from_bimatrix([["a", 2], [3, 4]], MP_B), "not a real number", id="string"),
    pytest.param(lambda: Game.from_bimatrix(np.eye(2, dtype=bool), MP_B), "not a real number", id="bool"),
    pytest.param(lambda: Game.from_bimatrix([[object(), 2], [3, 4]], MP_B), "not a real", id="object"),
    pytest.param(lambda: Game.from_bimatrix([[None, 2], [3, 4]], MP_B), "not a real", id="none"),
    pytest.param(lambda: Game.from_bimatrix([[np.nan, 2], [3, 4]], MP_B), "not a finite", id="nan"),
    pytest.param(lambda: Game.from_bimatrix([[np.inf, 2], [3, 4]], MP_B), "not a finite", id="inf"),
    pytest.param(lambda: Game.from_bimatrix(MP_A, [[1, 2, 3], [4, 5, 6]]), "shape (2, 2)", id="mismatched"),
    pytest.param(lambda: Game.from_bimatrix([[[1]]], [[[1]]]), "m x n", id="three-d-matrix"),
    pytest.param(lambda: Game.from_bimatrix(MP_A, MP_B, players=["a"]), "player names", id="players"),
    pytest.param(lambda: Game.from_bimatrix(MP_A, MP_B, strategies=[["a"], ["b", "c"]]), "shape", id="labels"),
    pytest.param(lambda: Game.from_bimatrix(MP_A, MP_B, strategies=[["a", "a"], ["b", "c"]]), "repeat", id="dup"),
    pytest.param(
        lambda: Game(("R", "C"), (("a",), ("b",)), np.array([[[np.nan]], [[0.0]]])), "finite", id="constructor-nan"
    ),
]


@pytest.mark.parametrize(("build", "fragment"), BAD_GAMES)
def test_api_misuse_raises_model_error(build: Callable[[], Any], fragment: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModelError) as info:
            build()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        pytest.param({"method": "bogus"}, SolverError, "unknown method", id="method"),
        pytest.param({"timeout": -1}, ParameterError, "timeout", id="negative-timeout"),
        pytest.param({"timeout": float("nan")}, ParameterError, "timeout", id="nan-timeout"),
    ],
)
def test_solve_arguments_are_checked(kwargs: dict[str, Any], error: type[RedlineError], fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        solve(Game.from_bimatrix(MP_A, MP_B), **kwargs)


def test_solve_refuses_what_is_not_a_game() -> None:
    with pytest.raises(ModelError, match="takes a Game"):
        solve(MP_A)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "half"),
    [
        pytest.param(np.array(MP_A) * 1e308, np.array(MP_B) * 1e308, 2, id="pennies-1e308"),
        pytest.param(np.array(MP_A) * 1e-308, np.array(MP_B) * 1e-308, 2, id="pennies-1e-308"),
        pytest.param(np.array(MP_A) * 1e-320, np.array(MP_B) * 1e-320, 2, id="pennies-subnormal"),
        pytest.param(RPS * 1.5e308, -RPS * 1.5e308, 3, id="rock-paper-scissors-1.5e308"),
        pytest.param(np.array(MP_A) * 1e308, np.array(MP_B) * 1e-308, 2, id="one-huge-one-tiny"),
    ],
)
def test_extreme_float_payoffs_solve_by_scaling(a: Any, b: Any, half: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = solve(Game.from_bimatrix(a, b))
    assert r.complete and len(r.equilibria) == 1
    (eq,) = r.equilibria
    for vec in eq.vectors:
        assert np.allclose(np.asarray(vec, dtype=float), 1 / half)
    assert abs(float(eq.values[0])) <= 1e-6 * float(np.abs(a).max())  # zero-sum: value 0, original units


def test_huge_exact_payoffs_solve_exactly() -> None:
    big = 10**2000
    u = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], [[[3, 0], [0, 1]], [[0, 1], [3, 0]]]], dtype=object)
    game = Game.from_arrays(np.array([u[0] * big, u[1] * big, u[0] * big], dtype=object))
    r = solve(game, timeout=30)
    assert r.equilibria and all(e.max_regret == 0 for e in r.equilibria)
    assert all(isinstance(v, Fraction) for e in r.equilibria for v in e.values)


# --- uncertainty: distributions that reach it badly ---------------------------------------------------

@pytest.mark.parametrize(
    ("dist", "fragment"),
    [
        pytest.param({"kind": "normal", "mean": "abc", "sd": 1}, "mean must be a number", id="string-mean"),
        pytest.param({"kind": "normal", "mean": float("nan"), "sd": 1}, "finite", id="nan-mean"),
        pytest.param({"kind": "normal", "mean": 0, "sd": float("inf")}, "finite", id="inf-sd"),
        pytest.param({"kind": "normal", "mean": 1e300, "sd": 1}, "no probability", id="mean-far-away"),
        pytest.param({"kind": "normal", "mean": 10**400, "sd": 1}, "mean must be a number", id="huge-int"),
        pytest.param({"kind": "normal", "sd": True}, "sd must be a number", id="bool-sd"),
        pytest.param({"kind": "triangular", "mode": [1]}, "mode must be a number", id="list-mode"),
        pytest.param({"kind": "triangular", "mode": 100}, "low <= mode", id="mode-outside"),
        pytest.param({"kind": "triangular", "low": -100, "mode": 0}, "range low <= low", id="low-outside"),
        pytest.param({"kind": ["x"]}, "unknown distribution", id="list-kind"),
    ],
)
def test_bad_distributions_raise_model_error(dist: dict[str, Any], fragment: str) -> None:
    p = Parameter("T", Fraction(1), Fraction(0), Fraction(10), "t", distribution=dist)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModelError) as info:
            draw_parameter(p, 5, np.random.default_rng(0), "m.toml")
    assert "parameters.T.distribution" in str(info.value) and fragment in str(info.value)


# --- the command line ----------------------------------------------------------------------------------

REGIONS_SLOW = """\
[model]
name = "slow"
title = "slow regions"
[parameters]
""" + "\n".join(f'{p} = {{ value = 1, range = [0, 5], doc = "{p}" }}' for p in "abcdefgh") + """
[players]
Row = ["r0", "r1", "r2"]
Column = ["c0", "c1", "c2"]
[payoffs]
"r0, c0" = ["a*4 - c*f", "a + 6*b**2"]
"r0, c1" = ["b*2 - d*e", "c + 2*d**2"]
"r0, c2" = ["c*3 - e*g", "e + 3*f**2"]
"r1, c0" = ["d*1 - f*h", "g + 1*h**2"]
"r1, c1" = ["e*4 - g*a", "h + 5*a**2"]
"r1, c2" = ["f*2 - h*b", "a + 4*c**2"]
"r2, c0" = ["g*3 - a*c", "b + 2*e**2"]
"r2, c1" = ["h*1 - b*d", "d + 3*g**2"]
"r2, c2" = ["a*2 - c*e", "f + 6*b**2"]
"""

CLI = [
    pytest.param(CHICKEN_TOML, ["solve", "--set", "T=1e99999999"], ["limit of 400"], 1, id="set-huge-exponent"),
    pytest.param(CHICKEN_TOML, ["solve", "--set", "T=1e400"], ["T = 1e+400 is outside"], 1, id="set-1e400-compact"),
    pytest.param(CHICKEN_TOML, ["solve", "--set", "Ｔ=1"], ["lookalike of 'T'", "U+FF34"], 1, id="set-lookalike"),
    pytest.param(CHICKEN_TOML, ["solve", "--set", "T=1", "--set", "T=2"], ["given twice"], 2, id="set-twice"),
    pytest.param(CHICKEN_TOML, ["solve", "--timeout", "nan"], ["--timeout"], 2, id="timeout-nan"),
    pytest.param(CHICKEN_TOML, ["thresholds", "--vary", "Ｔ"], ["lookalike of 'T'"], 1, id="vary-lookalike"),
    pytest.param(
        one_param_model("sqrt(-1)", "1"), ["solve"], ['payoffs."A, C"', "not a finite real"], 1, id="toml-sqrt-of-minus"
    ),
    pytest.param(
        one_param_model("log(T)", "1"), ["solve", "--set", "T=0"], ['payoffs."A, C"', "T=0"], 1, id="toml-log-at-zero"
    ),
    pytest.param(
        one_param_model("exp(T)", "1", "-800", "800"), ["solve", "--set", "T=750"], ["not a finite", "T=750"], 1,
        id="toml-overflow-no-numpy-warning",
    ),
]


@pytest.mark.parametrize(("text", "args", "needles", "code"), CLI)
def test_cli_refuses_in_one_line(text: str, args: list[str], needles: list[str], code: int, tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(text, encoding="utf-8")
    o = run_cli(args[0], "m.toml", *args[1:], cwd=tmp_path)
    assert_one_line_error(o, *needles, code=code)
    assert "Warning" not in o.stderr


def test_regions_on_transcendental_payoffs_never_crash(tmp_path: Path) -> None:
    """sqrt and log payoffs: regions answers (sympy solves these supports) or, where a support
    runs past --support-timeout, says "no closed form" in one line; never a traceback."""
    (tmp_path / "m.toml").write_text(one_param_model("sqrt(T-5)", "log(T-1)", "2", "10", "6"))
    o = run_cli("regions", "m.toml", "--free", "T", "--support-timeout", "0.5", "--timeout", "30", cwd=tmp_path)
    assert "Traceback" not in o.stderr and "Warning" not in o.stderr
    if o.code == 0:
        assert "exists when: T >= 5" in o.stdout  # (A, C): Row needs sqrt(T - 5) defined
    else:
        assert_one_line_error(o, "no closed form")


def test_regions_cuts_a_never_ending_inline_sympy_call_at_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """One sympy.factor can run for minutes (Wang's algorithm draws random evaluation points):
    the supports solved in-process are interrupted at the deadline, not waited for."""
    import time

    import sympy as sp

    from solver.analysis import supports
    from solver.analysis.regions import regions

    real = sp.factor

    def endless(e: Any, *a: Any, **k: Any) -> Any:
        if getattr(e, "free_symbols", None):
            while True:
                time.sleep(0.01)
        return real(e, *a, **k)

    monkeypatch.setattr(supports.sp, "factor", endless)
    r = regions(load("chicken"), free=["T"], timeout=0.5)  # without the interrupt: never returns
    assert not r.complete and any("time budget of 0.5 s ran out" in lim for lim in r.limits)


def test_regions_two_player_honours_timeout(tmp_path: Path) -> None:
    """The two-player closed forms stop at --timeout: what was found, flagged incomplete, and
    one line on stderr."""
    (tmp_path / "slow.toml").write_text(REGIONS_SLOW, encoding="utf-8")
    o = run_cli("regions", "slow.toml", "--timeout", "1", "--format", "json", cwd=tmp_path, timeout=60)
    assert o.code == 0, o.stderr[-800:]
    # one "incomplete" line; under heavy load a support's worker may also be reported as cut off
    assert "Traceback" not in o.stderr and all(line.startswith("redline: ") for line in o.lines)
    assert any(line.startswith("redline: incomplete: time budget of 1 s") for line in o.lines), o.lines
    assert '"complete": false' in o.stdout


# --- properties -------------------------------------------------------------------------------------------

NAMES = ("T", "R")
LOOKALIKES = ("Ｔ", "𝑇", "ℛ", "ｒ")
GARBAGE = ("@", "$", "'a'", "lambda", "[1]", "1j", "...", "{}", "if", ";", "__import__", "x.y", "\\", "λ", "−")
FUNCTIONS = ("min", "max", "exp", "log", "sqrt", "abs", "eval", "open", "pow", "T")

digits = st.integers(min_value=0, max_value=10**320).map(str)
numbers = st.one_of(
    digits,
    st.builds(lambda a, b: f"{a}.{b}", digits, st.integers(0, 10**40)),
    st.builds(lambda a, e: f"{a}e{e}", st.integers(0, 10**6), st.integers(-500, 500)),
    st.builds(lambda a, e: f"{a}E+{e}", st.integers(0, 99), st.integers(0, 500)),
    st.sampled_from(["0", "0.0", "1e-400", "1e308", "1e309", "0x1f", "1_000", "00", ".5", "5."]),
)
leaves = st.one_of(numbers, st.sampled_from(NAMES), st.sampled_from(LOOKALIKES), st.sampled_from(GARBAGE))


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    operators = st.sampled_from(["+", "-", "*", "/", "**"])
    binop = st.builds(lambda a, op, b: f"{a} {op} {b}", children, operators, children)
    exponents = st.sampled_from(["2", "-1", "0.5", "(1/3)", "64", "65"])
    small_power = st.builds(lambda a, e: f"({a})**{e}", children, exponents)
    unary = st.builds(lambda op, a: f"{op}{a}", st.sampled_from(["-", "+", "--", "not "]), children)
    parens = children.map(lambda a: f"({a})")
    call = st.builds(
        lambda f, args: f"{f}({', '.join(args)})", st.sampled_from(FUNCTIONS), st.lists(children, max_size=3)
    )
    return st.one_of(binop, small_power, unary, parens, call)


expressions = st.recursive(leaves, lambda children: _compound(children), max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_parse_returns_sympy_or_model_error(text: str) -> None:
    import sympy

    with hang_guard(20), warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = parse(text, NAMES)
        except ModelError as exc:
            assert "\n" not in str(exc)
            return
    assert isinstance(out, sympy.Basic)
    if not out.free_symbols:  # a constant that parses is a finite real number
        assert out.is_real is not False and not out.has(sympy.zoo, sympy.nan, sympy.oo)


payoff = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False, width=32)
shapes = st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3), (1, 3), (2, 2, 2)])


def _random_game(draw: Any, exact: bool) -> Game:
    shape = draw(shapes)
    size = len(shape) * int(np.prod(shape))
    if exact:
        vals = draw(st.lists(st.integers(-9, 9), min_size=size, max_size=size))
        return Game.from_arrays(np.array(vals, dtype=object).reshape(len(shape), *shape))
    vals = draw(st.lists(payoff, min_size=size, max_size=size))
    return Game.from_arrays(np.array(vals, dtype=float).reshape(len(shape), *shape))


def _profiles(result: Any) -> list[list[float]]:
    return sorted([float(v) for vec in e.vectors for v in vec] for e in result.equilibria)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans())
def test_random_games_give_verified_equilibria_invariant_under_huge_scaling(data: Any, exact: bool) -> None:
    game = _random_game(data.draw, exact)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = solve(game, timeout=30)
        assert not r.complete or r.equilibria  # Nash 1951: complete never means "none"
        for e in r.equilibria:
            worst = max_regret(game, e.vectors)
            rational = all(isinstance(v, Fraction) for vec in e.vectors for v in vec)
            # an exact game's irrational equilibria come as regret-verified floats
            assert worst <= 0 if rational else float(worst) <= regret_tolerance(game)
        factor: Any = 10**300 if exact else 1e300
        big = Game(game.players, game.strategies, game.payoffs * factor, game.title, game.is_exact)
        rb = solve(big, timeout=30)
    assert not rb.complete or rb.equilibria
    if exact or not (r.degenerate or rb.degenerate):
        a, b = _profiles(r), _profiles(rb)
        assert len(a) == len(b)
        assert all(np.allclose(x, y, atol=1e-7) for x, y in zip(a, b, strict=True))


def test_repeated_closed_form_honours_timeout(tmp_path: Path) -> None:
    """delta* in eight free parameters: sympy's tidying of the conditions runs past the budget,
    and the command still answers at the deadline, the closed form left out and said so."""
    (tmp_path / "slow.toml").write_text(REGIONS_SLOW, encoding="utf-8")
    args = ("repeated", "slow.toml", "--target", "r0, c0", "--timeout", "1", "--format", "json")
    o = run_cli(*args, cwd=tmp_path, timeout=60)
    assert o.code == 0, o.stderr[-800:]
    assert o.lines == ["redline: incomplete: time budget of 1 s ran out during the closed form of delta* in the "
                       "parameters: the closed form not searched"], o.lines
    assert '"critical_delta"' in o.stdout

