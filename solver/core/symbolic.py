"""The symbolic game: payoffs as sympy expressions over named, documented parameters.

A :class:`Model` is what a model file means.  :func:`evaluate` turns it into the numeric
:class:`~solver.core.game.Game` at one parameter point (exactly, with rationals, where it can);
:func:`batch_evaluator` compiles the payoff tensor once with ``sympy.lambdify`` so a sweep can
evaluate it over a whole grid of points with numpy broadcasting.

>>> from solver.formats import load
>>> m = load("chicken")
>>> evaluate(m, {"T": 5}).payoffs[0, 1, 0]
Fraction(5, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ModelError, ParameterError, RangeError
from solver.core.expr import MAX_MAGNITUDE, MAX_ROOT, lookalike_message, symbol
from solver.core.game import Game, short, to_fraction
from solver.core.tree import Tree


@dataclass(frozen=True)
class Parameter:
    """A named assumption: its value, its plausible range, what it means, which claims it encodes."""

    name: str
    value: Fraction
    low: Fraction
    high: Fraction
    doc: str
    cites: tuple[str, ...] = ()
    unit: str = ""
    distribution: Mapping[str, Any] = field(default_factory=dict)

    def contains(self, x: Fraction | float) -> bool:
        return self.low <= x <= self.high


@dataclass(frozen=True, eq=False)
class Model:
    """A game whose payoffs are formulas of parameters (the parsed model file)."""

    name: str
    title: str
    kind: str
    source: str
    description: str
    parameters: tuple[Parameter, ...]
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    #: object array of sympy expressions, shape (n_players, s1, ..., sn)
    payoffs: npt.NDArray[Any]
    path: str = ""
    #: extensive-form models keep their tree here (solver.core.tree.Tree); None for strategic form
    tree: Tree | None = None
    #: what reading the file noticed, one line each naming the file (e.g. a blank player shown
    #: as "Player 2"); the library never prints them, the command line does (on stderr)
    notes: tuple[str, ...] = ()
    #: the file's own labels where others are shown (solver.formats.labels.FileLabels), for the
    #: writers to write back; None when the file's labels are the ones shown
    file_labels: Any = None
    #: ``[dynamics]``: moving parameter -> sympy expression in time ``t`` and the other parameters
    dynamics: Mapping[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        lookalike = lookalike_message(name)
        if lookalike:
            raise ParameterError(
                f"parameter name {name!r} {lookalike}; type the name in plain ASCII",
                source=self.path or self.name,
            )
        raise ParameterError(
            f"unknown parameter {name!r} (parameters: {', '.join(self.parameter_names) or 'none'})",
            source=self.path or self.name,
        )

    def values(
        self, overrides: Mapping[str, Any] | None = None, *, check_range: bool = True
    ) -> dict[str, Fraction]:
        """Parameter values: the model's defaults with ``overrides`` applied and range-checked."""
        vals = {p.name: p.value for p in self.parameters}
        for name, raw in (overrides or {}).items():
            p = self.parameter(name)
            try:
                x = to_fraction(raw)
            except (ValueError, TypeError, ZeroDivisionError, OverflowError) as exc:
                text = repr(raw) if len(repr(raw)) <= 40 else repr(raw)[:40] + "..."
                why = str(exc) if "limit" in str(exc) else "not a number"
                raise ParameterError(
                    f"value {text} for {name} is {why}"
                    if why == "not a number"
                    else f"value {text} for {name}: {why}",
                    source=self.path or self.name,
                ) from None
            if check_range and not p.contains(x):
                raise RangeError(
                    f"{name} = {_fmt(x)} is outside its declared range [{_fmt(p.low)}, {_fmt(p.high)}]",
                    source=self.path or self.name,
                )
            vals[name] = x
        return vals


def _fmt(x: Fraction) -> str:
    return short(x)


def profile_key(strategies: tuple[tuple[str, ...], ...], index: tuple[int, ...]) -> str:
    return ", ".join(labels[k] for labels, k in zip(strategies, index, strict=True))


def evaluate(
    model: Model,
    overrides: Mapping[str, Any] | None = None,
    *,
    exact: bool = True,
    check_range: bool = True,
) -> Game:
    """The numeric game at the model's values with ``overrides`` (rationals where possible)."""
    import sympy

    vals = model.values(overrides, check_range=check_range)
    _check_finite(model, vals)
    subs = {symbol(k): sympy.Rational(v.numerator, v.denominator) for k, v in vals.items()}
    out = np.empty(model.payoffs.shape, dtype=object)
    all_rational = True
    floats: Any = None
    for idx, expr in np.ndenumerate(model.payoffs):
        if subs and _deep_root(expr, subs):  # exactly, a 10^7-th root of a rational takes minutes
            if floats is None:
                with np.errstate(all="ignore"):
                    floats = batch_evaluator(model)(*[float(vals[p.name]) for p in model.parameters])
            all_rational = False
            out[idx] = float(floats[idx])
            continue
        v = expr.xreplace(subs) if subs else expr
        if v.is_Rational and abs(v) <= MAX_MAGNITUDE:  # fast path: an exact number (every cell
            out[idx] = Fraction(int(v.p), int(v.q))  # of a .nfg/.efg game)
            continue
        if v.is_Rational:
            raise ModelError(
                f"payoff of {model.players[idx[0]]} is {short(Fraction(int(v.p), int(v.q)))}, "
                f"larger in magnitude than the limit of {short(MAX_MAGNITUDE)}",
                source=model.path or model.name,
                key=f'payoffs."{profile_key(model.strategies, idx[1:])}"',
            )
        if (
            not v.is_number
            or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)
            or v.is_real is False
        ):
            raise ModelError(
                f"payoff of {model.players[idx[0]]} is not a finite number ({v}) at "
                + ", ".join(f"{k}={_fmt(x)}" for k, x in vals.items()),
                source=model.path or model.name,
                key=f'payoffs."{profile_key(model.strategies, idx[1:])}"',
            )
        if v.is_Rational:
            out[idx] = Fraction(int(v.p), int(v.q))
        else:
            all_rational = False
            f = float(v)
            if not np.isfinite(f):
                raise ModelError(
                    "payoff overflows a float",
                    source=model.path or model.name,
                    key=f'payoffs."{profile_key(model.strategies, idx[1:])}"',
                )
            out[idx] = f
    if exact and all_rational:
        return Game(model.players, model.strategies, out, model.title, True)
    return Game(model.players, model.strategies, out.astype(float), model.title, False)


def _deep_root(expr: Any, subs: Mapping[Any, Any]) -> bool:
    """Whether some power in ``expr`` gets an exponent with a denominator over ``MAX_ROOT`` at
    this point (``T**R`` at R = 0.6448057)."""
    import sympy

    for atom in expr.atoms(sympy.Pow):
        e = atom.exp.xreplace(subs)
        if e.is_Rational and e.q > MAX_ROOT:
            return True
    return False


def _check_finite(model: Model, vals: Mapping[str, Fraction]) -> None:
    """Evaluate in floats first: a payoff that overflows (``exp(exp(exp(100)))``, ``T**T**T``)
    is refused here, before exact arithmetic could try to build an astronomically large number."""
    if all(e.is_Rational for e in model.payoffs.flat):  # plain numbers (.nfg/.efg): nothing to do
        return
    try:
        with np.errstate(all="ignore"):
            numbers = batch_evaluator(model)(*[float(vals[p.name]) for p in model.parameters])
    except (OverflowError, ValueError, TypeError, ZeroDivisionError):  # e.g. int too large for a float
        numbers = np.full(model.payoffs.shape, np.inf)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(numbers) | (np.abs(numbers) > float(MAX_MAGNITUDE))
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ModelError(
            f"payoff of {model.players[idx[0]]} is not a finite number at "
            + ", ".join(f"{k}={_fmt(x)}" for k, x in vals.items()),
            source=model.path or model.name,
            key=f'payoffs."{profile_key(model.strategies, idx[1:])}"',
        )


@cache
def batch_evaluator(model: Model) -> Callable[..., npt.NDArray[np.float64]]:
    """Compile the payoff tensor once (``sympy.lambdify`` to numpy).

    The returned function takes one array (or scalar) per parameter, in ``model.parameters``
    order, all broadcastable to a batch shape ``B``, and returns payoffs of shape
    ``(n_players, s1, ..., sn, *B)`` as float64.
    """
    import sympy

    syms = [symbol(p.name) for p in model.parameters]
    flat = list(model.payoffs.flat)
    shape = model.payoffs.shape
    funcs = [sympy.lambdify(syms, e, modules="numpy", cse=True) for e in flat]

    def evaluate_batch(*arrays: Any) -> npt.NDArray[np.float64]:
        arrs = [np.asarray(a, dtype=float) for a in arrays]
        bshape = np.broadcast_shapes(*(a.shape for a in arrs)) if arrs else ()
        out = np.empty((len(flat), *bshape), dtype=float)
        for k, f in enumerate(funcs):
            out[k] = f(*arrs)  # broadcasts constants
        return out.reshape(*shape, *bshape)

    return evaluate_batch


def from_game(game: Game, *, name: str = "", path: str = "", source: str = "") -> Model:
    """A parameter-free model wrapping a numeric game (e.g. one read from a ``.nfg`` file)."""
    import sympy

    def conv(v: Any) -> Any:
        if isinstance(v, Fraction):
            return sympy.Rational(v.numerator, v.denominator)
        return sympy.Float(float(v))

    exprs = (
        np.vectorize(conv, otypes=[object])(game.payoffs)
        if game.payoffs.size
        else game.payoffs.astype(object)
    )
    return Model(
        name or game.title,
        game.title or name,
        "normal",
        source,
        "",
        (),
        game.players,
        game.strategies,
        exprs,
        path,
    )
