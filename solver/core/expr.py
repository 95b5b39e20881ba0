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
import unicodedata
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import cache
from math import isfinite
from typing import Any

from solver.core.errors import ModelError
from solver.core.game import parse_number, short

MAX_LENGTH = 2000
#: a number written in an expression may not exceed this in magnitude: payoffs are compared and
#: solved in floats too, which end near 1.8e308
MAX_MAGNITUDE = 10**300
MAX_DEPTH = 60
MAX_EXPONENT = 64
#: a fractional exponent may have a denominator of at most this (``x**0.6448057`` is a
#: 10,000,000th root: exact evaluation at a rational x would take minutes)
MAX_ROOT = 1000
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
        if not isfinite(text) if isinstance(text, float) else abs(text) > MAX_MAGNITUDE:
            raise ModelError(
                f"number {short(text) if isinstance(text, int) else text} is not finite or is larger in "
                f"magnitude than the limit of {short(MAX_MAGNITUDE)}",
                source=source,
                key=key,
            )
        text = repr(text)
    if not isinstance(text, str):
        raise ModelError(
            f"expected a number or an expression string, got {type(text).__name__}",
            source=source,
            key=key,
        )
    if len(text) > MAX_LENGTH:
        raise ModelError(f"expression longer than {MAX_LENGTH} characters", source=source, key=key)
    lookalike = lookalike_message(text)
    if lookalike:
        raise ModelError(lookalike, source=source, key=key)
    text = text.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ModelError(
            f"cannot parse expression {text!r}: {exc.msg}", source=source, key=key
        ) from None
    allowed = frozenset(names)
    try:
        out = _build(tree.body, allowed, 0, text)
        _check_constant(out)
    except ModelError as exc:
        raise ModelError(exc.message, source=source, key=key) from None
    except (ValueError, TypeError, ZeroDivisionError, OverflowError, RecursionError) as exc:
        raise ModelError(f"invalid expression {_clip(text)}: {exc}", source=source, key=key) from None
    return out


def _clip(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def lookalike_message(text: str) -> str:
    """Why ``text`` is refused for holding a character Python would silently fold into another
    (NFKC: fullwidth ``ｘ`` and mathematical ``𝑥`` both become ``x``), or ``""``.

    >>> lookalike_message("ｘ + 1")
    "contains a non-ASCII lookalike of 'x' (U+FF58 FULLWIDTH LATIN SMALL LETTER X)"
    """
    for ch in text:
        if ord(ch) > 127 and unicodedata.normalize("NFKC", ch) != ch:
            name = unicodedata.name(ch, "")
            folded = unicodedata.normalize("NFKC", ch)
            return f"contains a non-ASCII lookalike of {folded!r} (U+{ord(ch):04X} {name})".replace(
                " )", ")"
            )
    return ""


def _check_constant(value: Any) -> None:
    """A formula without parameters must be a finite real number (``sqrt(-1)``, ``log(0)``,
    ``(-8)**(1/3)`` are not), no larger than :data:`MAX_MAGNITUDE`."""
    sp = _sympy()
    if value.free_symbols:
        return
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_real is not True:
        raise ModelError(f"the value {_clip(str(value))} is not a finite real number")
    # in floats where not rational: evalf of exp(exp(exp(100))) would try to build the number
    if abs(value) > MAX_MAGNITUDE if value.is_Rational else not abs(as_float(value)) <= MAX_MAGNITUDE:
        raise ModelError(
            f"the value {_clip(str(value))} is not a finite real number of magnitude at most "
            f"{short(MAX_MAGNITUDE)}"
        )


def as_float(value: Any) -> float:
    """A parameter-free sympy expression in float64 (``inf``/``nan`` where it overflows or is
    undefined), without numpy warnings."""
    import numpy as np

    sp = _sympy()
    try:
        with np.errstate(all="ignore"):
            out = sp.lambdify([], value, modules="numpy")()
        return float(np.real_if_close(out)) if np.isrealobj(out) else float("nan")
    except (OverflowError, ValueError, TypeError, ZeroDivisionError):
        return float("inf")


def _bits(x: Any) -> int:
    return max(abs(int(x.p)), int(x.q)).bit_length()


def _literal(node: ast.Constant, text: str) -> Any:
    """A number literal, exactly (``0.1`` is 1/10, ``1e-400`` is 10^-400), within the limits."""
    sp = _sympy()
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"constant {value!r} is not a number")
    if isinstance(value, int):
        q = Fraction(value)
    else:
        source = ast.get_source_segment(text, node) or repr(value)
        if not isfinite(value):
            raise ModelError(
                f"number {_clip(source)} is non-finite as a float (larger in magnitude than the "
                f"limit of {short(MAX_MAGNITUDE)})"
            )
        try:
            q = parse_number(source)
        except ValueError as exc:
            raise ModelError(f"number {_clip(source)}: {exc}") from None
    if abs(q) > MAX_MAGNITUDE:
        raise ModelError(
            f"number {short(q)} is larger in magnitude than the limit of {short(MAX_MAGNITUDE)}"
        )
    return sp.Rational(q.numerator, q.denominator)


def _build(node: ast.AST, names: frozenset[str], depth: int, text: str = "") -> Any:
    if depth > MAX_DEPTH:
        raise ModelError("expression nested too deeply")
    if isinstance(node, ast.Constant):
        return _literal(node, text)
    if isinstance(node, ast.Name):
        if node.id in names:
            return symbol(node.id)
        raise ModelError(
            f"unknown name {node.id!r} (declared parameters: {', '.join(sorted(names)) or 'none'})"
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _build(node.operand, names, depth + 1, text)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _build(node.left, names, depth + 1, text)
        right = _build(node.right, names, depth + 1, text)
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
            if right.is_Rational and right.q > MAX_ROOT:
                raise ModelError(
                    f"exponent {short(Fraction(int(right.p), int(right.q)))} is a fraction with denominator "
                    f"{short(int(right.q))}, more than the limit of {MAX_ROOT} (write a shorter decimal)"
                )
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
        args = [_build(a, names, depth + 1, text) for a in node.args]
        fn = _functions()[node.func.id]
        if node.func.id in ("exp", "log", "sqrt", "abs") and len(args) != 1:
            raise ModelError(f"{node.func.id}() takes one argument")
        return fn(*args)
    raise ModelError(f"{type(node).__name__} is not allowed in an expression")
