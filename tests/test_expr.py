"""The ``ast`` whitelist of payoff expressions: what parses, to what, and what is refused.

Model files are data: every refused form raises ModelError before anything runs, and no form,
however wrapped, gets ``eval``/``exec``/``sympify`` to see the text or runs a side effect.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest
import sympy

from solver.core.errors import ModelError
from solver.core.expr import MAX_LENGTH, parse, symbol

T, R = symbol("T"), symbol("R")
NAMES = {"T", "R"}

ALLOWED = [
    ("integer", "3", sympy.Integer(3)),
    ("python-int", 3, sympy.Integer(3)),
    ("python-float-exact", 0.25, sympy.Rational(1, 4)),
    ("decimal-exact", "0.1", sympy.Rational(1, 10)),
    ("scientific", "1e3", sympy.Integer(1000)),
    ("name", "T", T),
    ("whitespace", "  T  ", T),
    ("sum", "T + R", T + R),
    ("difference", "T - R", T - R),
    ("product", "2*T", 2 * T),
    ("quotient", "T / 4", T / 4),
    ("power", "T**2", T**2),
    ("negative-power", "2**-1", sympy.Rational(1, 2)),
    ("max-exponent", "2**64", sympy.Integer(2) ** 64),
    ("unary-minus", "-T", -T),
    ("unary-plus", "+T", T),
    ("parentheses", "T - (R + 1)/2", T - (R + 1) / 2),
    ("redundant-parens", "((((T))))", T),
    ("min", "min(T, R)", sympy.Min(T, R)),
    ("max-3", "max(T, R, 1)", sympy.Max(T, R, 1)),
    ("exp", "exp(T)", sympy.exp(T)),
    ("log", "log(T)", sympy.log(T)),
    ("sqrt", "sqrt(4)", sympy.Integer(2)),
    ("abs", "abs(-3)", sympy.Integer(3)),
    ("nested-calls", "max(0, min(T, sqrt(R)))", sympy.Max(0, sympy.Min(T, sympy.sqrt(R)))),
    ("decimal-coefficient", "0.5*T - 1.25", T / 2 - sympy.Rational(5, 4)),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in ALLOWED])
def test_allowed_forms_build_the_right_sympy_expression(text: Any, expected: Any) -> None:
    got = parse(text, NAMES)
    assert sympy.simplify(got - expected) == 0
    assert got.free_symbols <= {T, R}


def test_decimals_become_exact_rationals() -> None:
    assert parse("0.1 + 0.2", set()) == sympy.Rational(3, 10)


MARKER = "REDLINE_MARKER"  # replaced by a path in tmp_path
PAYLOAD = f"__import__('os').system('touch {MARKER}')"

REFUSED = [
    ("import-call", PAYLOAD, "call"),
    ("builtin-eval", f'eval("{PAYLOAD}")', "call"),
    ("builtin-exec", f'exec("{PAYLOAD}")', "call"),
    ("open-file", f"open('{MARKER}', 'w')", "call"),
    ("attribute", "T.real", "Attribute"),
    ("dunder-attribute", "T.__class__.__bases__", "Attribute"),
    ("attribute-call", "(1).__class__.__subclasses__()", "call"),
    ("method-on-function", "exp.__globals__", "Attribute"),
    ("subscript", "T[0]", "Subscript"),
    ("slice", "R[1:2]", "Subscript"),
    ("lambda", f"(lambda: {PAYLOAD})()", "call"),
    ("bare-lambda", "lambda x: x", "Lambda"),
    ("list-comprehension", f"[{PAYLOAD} for x in (1,)]", "ListComp"),
    ("generator", f"max({PAYLOAD} for x in (1,))", "GeneratorExp"),
    ("set-comprehension", "{x for x in (1, 2)}", "SetComp"),
    ("dict-comprehension", "{x: x for x in (1, 2)}", "DictComp"),
    ("string", "'abc'", "not a number"),
    ("bytes", "b'abc'", "not a number"),
    ("f-string", 'f"{' + PAYLOAD + '}"', "JoinedStr"),
    ("walrus", "(y := 1)", "NamedExpr"),
    ("walrus-in-call", f"max((y := {PAYLOAD}), 1)", "NamedExpr"),
    ("keyword-arg", "max(T, R, key=abs)", "positional"),
    ("star-arg", "max(*T)", "Starred"),
    ("no-args", "min()", "positional"),
    ("wrong-arity", "exp(T, R)", "one argument"),
    ("huge-exponent", "9**9**9", "exponent"),
    ("big-exponent", "2**65", "exponent"),
    ("negative-big-exponent", "2**-100", "exponent"),
    ("power-tower", "((((9**64)**64)**64)**64)**64", "large"),
    ("symbolic-tower", "(((T**64)**64)**64)**64", "exponent"),
    ("deep-unary", "-" * 1500 + "1", "nested"),
    ("deep-parens", "(" * 300 + "1" + ")" * 300, "parse"),
    ("deep-calls", "abs(" * 100 + "1" + ")" * 100, "nested"),
    ("over-long", "1+" * (MAX_LENGTH // 2) + "1", "longer"),
    ("unknown-name", "X + 1", "unknown name 'X'"),
    ("builtin-name", "__builtins__", "unknown name"),
    ("os-name", "os", "unknown name"),
    ("function-as-value", "exp", "unknown name"),
    ("bool-literal", "True", "not a number"),
    ("none-literal", "None", "not a number"),
    ("ellipsis", "...", "not a number"),
    ("complex", "1j", "not a number"),
    ("infinite-literal", "1e999", "non-finite"),
    ("boolean-and", "T and R", "BoolOp"),
    ("boolean-not", "not T", "UnaryOp"),
    ("invert", "~T", "UnaryOp"),
    ("comparison", "T < R", "Compare"),
    ("conditional", "T if R else 1", "IfExp"),
    ("modulo", "T % 2", "Mod"),
    ("floor-division", "T // 2", "FloorDiv"),
    ("matmul", "T @ R", "MatMult"),
    ("shift", "T << 1", "LShift"),
    ("bit-or", "T | R", "BitOr"),
    ("division-by-zero", "T / 0", "division by zero"),
    ("division-by-zero-expr", "T / (1 - 1)", "division by zero"),
    ("tuple", "(1, 2)", "Tuple"),
    ("list", "[1, 2]", "List"),
    ("dict", "{1: 2}", "Dict"),
    ("statement", "import os", "parse"),
    ("two-statements", f"1; {PAYLOAD}", "parse"),
    ("assignment", "T = 1", "parse"),
    ("empty", "", "parse"),
    ("await", "await T", ""),
    ("yield", "(yield)", ""),
]


@pytest.fixture
def forbid_eval(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and block) any eval/exec/sympify of a string while parsing."""
    calls: list[str] = []

    def trap(name: str, real: Any) -> Any:
        def wrapped(source: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(source, str | bytes):
                calls.append(f"{name}({source!r})")
                raise AssertionError(f"{name} saw raw text")
            return real(source, *args, **kwargs)

        return wrapped

    monkeypatch.setattr(builtins, "eval", trap("eval", builtins.eval))
    monkeypatch.setattr(builtins, "exec", trap("exec", builtins.exec))
    monkeypatch.setattr(sympy, "sympify", trap("sympify", sympy.sympify))
    monkeypatch.setattr(sympy, "parse_expr", trap("parse_expr", sympy.parse_expr))
    return calls


@pytest.mark.parametrize(("text", "fragment"), [pytest.param(t, f, id=i) for i, t, f in REFUSED])
def test_refused_forms_raise_model_error_and_run_nothing(
    text: str, fragment: str, tmp_path: Path, forbid_eval: list[str]
) -> None:
    marker = tmp_path / "pwned"
    text = text.replace(MARKER, str(marker))
    with pytest.raises(ModelError) as info:
        parse(text, NAMES, source="m.toml", key='payoffs."A, B"[0]')
    message = str(info.value)
    assert message.startswith('m.toml: payoffs."A, B"[0]: ')
    assert fragment in message
    assert "\n" not in message
    assert not marker.exists(), "the expression was executed"
    assert forbid_eval == []


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(True, id="bool-true"),
        pytest.param(False, id="bool-false"),
        pytest.param(None, id="none"),
        pytest.param([1, 2], id="list"),
        pytest.param({"a": 1}, id="dict"),
    ],
)
def test_non_expression_values_are_refused(value: Any) -> None:
    with pytest.raises(ModelError) as info:
        parse(value, NAMES, source="m.toml", key="k")
    assert str(info.value).startswith("m.toml: k: ")


def test_declared_names_only() -> None:
    assert parse("T", {"T"}) == T
    with pytest.raises(ModelError, match="declared parameters: T"):
        parse("R", {"T"})
    with pytest.raises(ModelError, match="declared parameters: none"):
        parse("T", set())


def test_function_names_are_not_values_even_if_declared_elsewhere() -> None:
    # 'min' is a function in expressions; as a bare name it is just an unknown name
    with pytest.raises(ModelError, match="unknown name 'min'"):
        parse("min + 1", NAMES)
