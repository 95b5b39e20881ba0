"""Safe payoff expressions: Python's ``ast`` parses, a whitelist walks, sympy objects are built.

Model files are data.  Raw file text never reaches ``eval``, ``sympify`` or ``parse_expr``:
the text is parsed by :func:`ast.parse` (which executes nothing), every node is checked against
a whitelist, and the sympy expression is *constructed* node by node.

Allowed: numbers, declared parameter names, ``+ - * / **``, unary minus/plus, parentheses and
the functions ``min, max, exp, log, sqrt, abs``.  Decimal literals become exact rationals.

>>> parse("T - (R + 1)/2", {"T", "R"})
-R/2 + T - 1/2
>>> parse("__import__('os').system('echo hi')", {"T"})
Traceback (most recent call last):
...
solver.core.errors.ModelError: a call to something other than min, max, exp, log, sqrt, abs is not allowed
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import cache
from typing import Any

from solver.core.errors import ModelError

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_EXPONENT = 64
#: a power of two numbers may not exceed this many bits (stops towers like ((9**64)**64)**64)
MAX_BITS = 4096


@cache
def _sympy() -> Any:
    import sympy

    return sympy


def _functions() -> dict[str, Callable[..., Any]]:
    sp = _sympy()
    return {
        "min": sp.Min,
        "max": sp.Max,
        "exp": sp.exp,
        "log": sp.log,
        "sqrt": sp.sqrt,
        "abs": sp.Abs,
    }


FUNCTION_NAMES = ("min", "max", "exp", "log", "sqrt", "abs")


def to_sympy(value: Any) -> Any:
    """A sympy object from a sympy object or a number; never parses text (strings are refused).

    >>> to_sympy(Fraction(1, 3)), to_sympy(2)
    (1/3, 2)
    """
    sp = _sympy()
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool | str):
        raise TypeError(f"not a number or sympy object: {value!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sp.Float(value)
    raise TypeError(f"not a number or sympy object: {value!r}")


@cache
def symbol(name: str) -> Any:
    """The sympy symbol of a parameter (real-valued)."""
    return _sympy().Symbol(name, real=True)


def parse(
    text: Any, names: Iterable[str], *, source: str | None = None, key: str | None = None
) -> Any:
    """Parse one payoff/probability expression over the parameter ``names`` into sympy."""
    if isinstance(text, bool):
        raise ModelError(
            "expected a number or an expression, got a boolean", source=source, key=key
        )
    if isinstance(text, int | float):
        text = repr(text)
    if not isinstance(text, str):
        raise ModelError(
            f"expected a number or an expression string, got {type(text).__name__}",
            source=source,
            key=key,
        )
    if len(text) > MAX_LENGTH:
        raise ModelError(f"expression longer than {MAX_LENGTH} characters", source=source, key=key)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ModelError(
            f"cannot parse expression {text!r}: {exc.msg}", source=source, key=key
        ) from None
    allowed = frozenset(names)
    try:
        return _build(tree.body, allowed, 0)
    except ModelError as exc:
        raise ModelError(exc.message, source=source, key=key) from None
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, RecursionError) as exc:
        raise ModelError(f"invalid expression {text!r}: {exc}", source=source, key=key) from None


def _bits(x: Any) -> int:
    return max(abs(int(x.p)), int(x.q)).bit_length()


def _build(node: ast.AST, names: frozenset[str], depth: int) -> Any:
    sp = _sympy()
    if depth > MAX_DEPTH:
        raise ModelError("expression nested too deeply")
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ModelError(f"constant {value!r} is not a number")
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise ModelError("non-finite constant")
            return sp.Rational(repr(value))
        return sp.Integer(value)
    if isinstance(node, ast.Name):
        if node.id in names:
            return symbol(node.id)
        raise ModelError(
            f"unknown name {node.id!r} (declared parameters: {', '.join(sorted(names)) or 'none'})"
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _build(node.operand, names, depth + 1)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _build(node.left, names, depth + 1)
        right = _build(node.right, names, depth + 1)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise ModelError("division by zero")
            return left / right
        if isinstance(node.op, ast.Pow):
            if right.is_number and abs(right) > MAX_EXPONENT:
                raise ModelError(f"exponent larger than {MAX_EXPONENT}")
            if left.is_Rational and right.is_Rational and abs(right) * _bits(left) > MAX_BITS:
                raise ModelError(f"power too large (over {MAX_BITS} bits)")
            out = left**right
            if out.is_Pow and out.exp.is_number and abs(out.exp) > MAX_EXPONENT:
                raise ModelError(f"exponent larger than {MAX_EXPONENT}")
            return out
        raise ModelError(f"operator {type(node.op).__name__} is not allowed (use + - * / **)")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTION_NAMES:
            raise ModelError(
                "a call to something other than " + ", ".join(FUNCTION_NAMES) + " is not allowed"
            )
        if node.keywords or not node.args:
            raise ModelError(f"{node.func.id}() takes positional arguments only")
        args = [_build(a, names, depth + 1) for a in node.args]
        fn = _functions()[node.func.id]
        if node.func.id in ("exp", "log", "sqrt", "abs") and len(args) != 1:
            raise ModelError(f"{node.func.id}() takes one argument")
        return fn(*args)
    raise ModelError(f"{type(node).__name__} is not allowed in an expression")
