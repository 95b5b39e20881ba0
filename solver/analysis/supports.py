"""Support enumeration over symbolic payoffs (Porter, Nudelman & Shoham 2008; McKelvey & McLennan
1996): for each support profile, solve the indifference equations with sympy, then read off the
closed-form strategies, expected payoffs and existence conditions (positive probabilities, no
profitable deviation).  Each support is solved in a forked worker with a time limit, so a hard
system reports a timeout instead of hanging.

>>> import numpy as np, sympy
>>> from solver.core.expr import symbol
>>> T = symbol("T")
>>> U = np.array([[[3, 0], [T, 1]], [[3, T], [0, 1]]], dtype=object)  # a prisoner's dilemma in T
>>> [b.region for b in analyse_support(U, ((0,), (0,)), (T,), {T: (0, 10)})]  # (C, C) iff T <= 3
[Interval(0, 3)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, product
from typing import Any

import numpy as np
import numpy.typing as npt
import sympy as sp

from solver.analysis.conditions import Condition, univariate_set
from solver.core.budget import UNBOUNDED, Budget, Outcome
from solver.core.budget import run_bounded as _run_bounded
from solver.core.expr import to_sympy

Support = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Branch:
    """One closed-form equilibrium of one support: strategies, payoffs, conditions, region."""

    support: Support
    strategies: tuple[tuple[Any, ...], ...]
    payoffs: tuple[Any, ...]
    conditions: tuple[Condition, ...]
    region: Any = None  # exact sympy Set when exactly one parameter is free
    degenerate: bool = False  # a tie holds identically (a weak best response everywhere)


class Continuum(Exception):
    """The indifference system leaves some probabilities free for every parameter value."""


class NoClosedForm(Exception):
    """sympy cannot solve or decide this support (e.g. payoffs mixing ``sqrt(T)`` and ``log(T)``)."""


#: what sympy raises on systems it cannot handle (transcendental, undecidable signs)
SYMPY_FAILURES: tuple[type[BaseException], ...] = (
    NotImplementedError,
    sp.PolynomialError,
    sp.polys.polyerrors.PolificationFailed,
    sp.polys.polyerrors.GeneratorsNeeded,
    sp.polys.polyerrors.CoercionFailed,
    TypeError,
    ValueError,
    ZeroDivisionError,
    RecursionError,
)


def one_line(exc: BaseException, limit: int = 120) -> str:
    """An exception's message on one short line (sympy's can span several)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def supports_and_ties(shape: Sequence[int]) -> Iterator[tuple[Support, Support]]:
    """The candidates of symbolic support enumeration: pairs (support profile, ties), where
    ``ties[i]`` are strategies outside player i's support that must tie with it as best responses.
    Three or more players: every support profile, no ties.  Two players: every pair of supports;
    when one is smaller, extra strategies of that player are required to be tied best responses so
    that the other's mixture is pinned down (the extreme equilibria of degenerate games, e.g.
    reduced trees, sit there; von Stengel 2007).  Unlike the numeric
    :func:`solver.equilibria.nplayer.supports.support_profiles`, nothing is pruned by dominance:
    the payoffs are symbolic.

    >>> list(supports_and_ties([2, 1]))  # 2x1: a mixed row needs a second tied column; none exists
    [(((0,), (0,)), ((), ())), (((1,), (0,)), ((), ()))]
    """
    subsets = [[c for k in range(1, m + 1) for c in combinations(range(m), k)] for m in shape]
    for prof in product(*subsets):
        if len(shape) != 2:
            yield tuple(prof), tuple(() for _ in prof)
            continue
        extras: list[list[tuple[int, ...]]] = []
        for i in (0, 1):
            need = len(prof[1 - i]) - len(prof[i])
            rest = [k for k in range(shape[i]) if k not in prof[i]]
            extras.append(list(combinations(rest, need)) if need > 0 else [()])
        for e0, e1 in product(*extras):
            yield tuple(prof), (e0, e1)


def count_supports_and_ties(shape: Sequence[int]) -> int:
    """How many candidates :func:`supports_and_ties` yields (10**9 standing for "too many")."""
    if len(shape) == 2:
        return sum(1 for _ in supports_and_ties(shape)) if max(shape) <= 12 else 10**9
    return int(np.prod([2**m - 1 for m in shape]))


def expected_payoff(U: npt.NDArray[Any], i: int, s: int, probs: Sequence[Mapping[int, Any]]) -> Any:
    """Player i's expected payoff from pure strategy s against the others' mixed strategies."""
    n = U.shape[0]
    others = [list(probs[j].items()) if j != i else [(s, sp.Integer(1))] for j in range(n)]
    total = sp.Integer(0)
    for combo in product(*others):
        w = sp.Integer(1)
        for _, pr in combo:
            w = w * pr
        total += U[(i, *[k for k, _ in combo])] * w
    return total


@dataclass(frozen=True)
class IndifferenceSystem:
    """The indifference equations of a support profile (each ``== 0``) in its unknown probabilities.

    Player i's first support strategy has probability ``1 - sum`` of the unknowns of the others;
    ``base[i]`` is i's expected payoff from that first strategy.
    """

    unknowns: list[Any]
    probs: list[dict[int, Any]]
    equations: list[Any]
    base: list[Any]


def indifference_system(
    U: npt.NDArray[Any], support: Support, extra: Support | None = None
) -> IndifferenceSystem:
    """Every strategy of the support (and of ``extra``) earns what the first one does.

    Matching pennies, both players mixing: each must be indifferent, so each mixes 1/2.

    >>> U = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=object)
    >>> s = indifference_system(U, ((0, 1), (0, 1)))
    >>> len(s.equations), sorted(sp.solve(s.equations, s.unknowns, dict=True)[0].values())
    (2, [1/2, 1/2])
    """
    unknowns: list[Any] = []
    probs: list[dict[int, Any]] = []
    for i, S in enumerate(support):
        zs = [sp.Dummy(f"z{i}_{k}", real=True) for k in S[1:]]
        unknowns += zs
        probs.append({S[0]: 1 - sp.Add(*zs), **dict(zip(S[1:], zs, strict=True))})
    base = [expected_payoff(U, i, support[i][0], probs) for i in range(len(support))]
    extra = extra or tuple(() for _ in support)
    equations = [
        sp.expand(expected_payoff(U, i, s, probs) - base[i])
        for i, S in enumerate(support)
        for s in (*S[1:], *extra[i])
    ]
    return IndifferenceSystem(unknowns, probs, equations, base)


def analyse_support(
    U: npt.NDArray[Any],
    support: Support,
    free: Sequence[Any],
    box: Mapping[Any, tuple[Fraction, Fraction]],
    extra: Support | None = None,
) -> list[Branch]:
    """Every closed-form equilibrium with exactly this support (generic in the free parameters);
    ``extra[i]``: strategies outside the support that must tie with it (best responses too).
    Raises :class:`NoClosedForm` where sympy cannot solve or decide the system."""
    try:
        return _analyse(U, support, free, box, extra)
    except SYMPY_FAILURES as exc:
        raise NoClosedForm(f"sympy cannot solve it ({one_line(exc)})") from None


def _analyse(
    U: npt.NDArray[Any],
    support: Support,
    free: Sequence[Any],
    box: Mapping[Any, tuple[Fraction, Fraction]],
    extra: Support | None,
) -> list[Branch]:
    extra = extra or tuple(() for _ in support)
    system = indifference_system(U, support, extra)
    unknowns, eqs = system.unknowns, []
    for e in system.equations:
        if not unknowns or not e.has(*unknowns):
            if sp.simplify(e) != 0:
                return []  # a tie the free parameters do not make identically: measure zero
            continue
        eqs.append(e)
    sols = (sp.solve(eqs, unknowns, dict=True) if eqs else [{}]) if unknowns else [{}]
    out = []
    for sol in sols:
        if any(z not in sol for z in unknowns):
            raise Continuum(f"support {support}: probabilities not determined")
        sub = {z: sp.factor(sp.cancel(v)) for z, v in sol.items()}
        branch = _branch(U, support, system.probs, sub, system.base, free, box, extra)
        if branch is not None:
            out.append(branch)
    return out


def _branch(
    U: npt.NDArray[Any],
    support: Support,
    probs: Sequence[Mapping[int, Any]],
    sub: Mapping[Any, Any],
    base: Sequence[Any],
    free: Sequence[Any],
    box: Mapping[Any, tuple[Fraction, Fraction]],
    extra: Support,
) -> Branch | None:
    n = U.shape[0]
    shape = U.shape[1:]
    conds: list[Condition] = []
    degenerate = False
    strategies = []
    for i in range(n):
        vec = []
        for k in range(shape[i]):
            v = sp.factor(sp.cancel(to_sympy(probs[i].get(k, 0)).xreplace(sub)))
            vec.append(v)
            if len(support[i]) > 1 and k in support[i]:
                if v.is_number:
                    if not v > 0:
                        return None
                else:
                    conds.append((v, True))
        strategies.append(tuple(vec))
    numeric = [{k: p for k, p in enumerate(vec)} for vec in strategies]
    payoffs = tuple(sp.factor(sp.cancel(to_sympy(b).xreplace(sub))) for b in base)
    for i in range(n):
        for t in range(shape[i]):
            if t in support[i] or t in extra[i]:
                degenerate |= t in extra[i]
                continue
            gain = sp.cancel(expected_payoff(U, i, t, numeric) - payoffs[i])
            if gain.is_number:
                if gain > 0:
                    return None
                degenerate |= gain == 0
                continue
            conds.append((sp.factor(-gain), False))
    region = None
    if len(free) == 1:
        lo, hi = box[free[0]]
        region = univariate_set(conds, free[0], lo, hi)
        if region is sp.S.EmptySet:
            return None
    return Branch(support, tuple(strategies), payoffs, tuple(conds), region, degenerate)


def run_bounded(
    jobs: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]],
    timeout: float | None,
    budget: Budget = UNBOUNDED,
    phase: str = "closed forms per support",
) -> list[Outcome]:
    """:func:`solver.core.budget.run_bounded` with :class:`Continuum` reported as ``("continuum", msg)``
    and :class:`NoClosedForm` as ``("noclosedform", msg)``."""
    return _run_bounded(jobs, timeout, budget=budget, expected=(Continuum, NoClosedForm), phase=phase)
