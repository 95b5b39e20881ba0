"""A signalling game in exact numbers and the quantities every test of it needs: the sender's
value of a message, Bayes' rule, the receiver's best-response regions in the belief simplex.

Notation (Fudenberg & Tirole 1991, §8.2): ``sigma[t][m]`` the sender's strategy, ``rho[m][r][a]``
the receiver's, ``prior[t][r]`` the joint prior.  Floats are converted exactly
(``Fraction(0.1)`` is the binary number the float holds), so every comparison is exact.

>>> from solver.core.signalling import Signalling
>>> F = Fraction
>>> g = Signalling("S", "R", ("a", "b"), ("",), ((F(1, 4),), (F(3, 4),)), ("m",), (("x", "y"),),
...     ((((1, 0),),), (((0, 1),),)), ((((1, 0),),), (((0, 1),),)))
>>> ex = exact(g)
>>> posterior(ex, [[F(1)], [F(1)]], 0, 0), belief_region(ex, 0, 0, (0,))
([Fraction(1, 4), Fraction(3, 4)], [(Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 1), Fraction(0, 1))])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from solver.core.signalling import Signalling
from solver.equilibria.signalling.polytope import Point, Row, simplex_vertices

Sigma = list[list[Fraction]]  # [t][m]
Rho = list[list[list[Fraction]]]  # [m][r][a]


def _q(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)


@dataclass(frozen=True, eq=False)
class Exact:
    """The game in Fractions, with the sender's conditional weights on the receiver's types."""

    game: Signalling
    nt: int
    nr: int
    nm: int
    na: tuple[int, ...]
    prior: list[list[Fraction]]
    weight: list[list[Fraction]]
    us: list[list[list[list[Fraction]]]]
    ur: list[list[list[list[Fraction]]]]
    memo: dict[Any, Any] = field(default_factory=dict)


def exact(game: Signalling) -> Exact:
    """The game in exact numbers.  A sender type of prior zero weighs the receiver's types by
    their marginal (its information set is never reached: any belief is consistent)."""
    prior = [[_q(p) for p in row] for row in game.prior]
    nr = len(game.receiver_types)
    marginal = [sum((row[r] for row in prior), Fraction(0)) for r in range(nr)]
    total = sum(marginal, Fraction(0))
    weight = []
    for row in prior:
        s = sum(row, Fraction(0))
        weight.append([p / s for p in row] if s > 0 else [m / total if total else Fraction(1, nr) for m in marginal])

    def conv(u: Any) -> list[list[list[list[Fraction]]]]:
        return [[[[_q(v) for v in cell] for cell in by_m] for by_m in by_r] for by_r in u]

    return Exact(
        game, len(game.types), nr, len(game.messages), tuple(len(a) for a in game.responses),
        prior, weight, conv(game.u_sender), conv(game.u_receiver),
    )


def sender_value(ex: Exact, rho: Rho, t: int, m: int) -> Fraction:
    """Type ``t``'s expected payoff from message ``m`` against ``rho``."""
    us = ex.us[t]
    return sum(
        (ex.weight[t][r] * sum((p * us[r][m][a] for a, p in enumerate(rho[m][r]) if p), Fraction(0))
         for r in range(ex.nr)),
        Fraction(0),
    )


def reach(ex: Exact, sigma: Sigma, m: int, r: int) -> list[Fraction]:
    """The (unnormalised) weight of each sender type at the receiver's set (m, r)."""
    return [ex.prior[t][r] * sigma[t][m] for t in range(ex.nt)]


def posterior(ex: Exact, sigma: Sigma, m: int, r: int) -> list[Fraction] | None:
    """Bayes' rule at (m, r); None off the path."""
    w = reach(ex, sigma, m, r)
    total = sum(w, Fraction(0))
    return None if total == 0 else [x / total for x in w]


def gain_rows(ex: Exact, m: int, r: int, support: tuple[int, ...]) -> list[list[Fraction]]:
    """Per (a in support, a' another response): the receiver's gain of a over a' per sender type;
    a belief ``mu`` makes every support action optimal iff ``mu . row >= 0`` for every row."""
    rows = []
    for a in support:
        for b in range(ex.na[m]):
            if b != a:
                rows.append([ex.ur[t][r][m][a] - ex.ur[t][r][m][b] for t in range(ex.nt)])
    return rows


def belief_region(
    ex: Exact, m: int, r: int, support: tuple[int, ...], types: tuple[int, ...] | None = None
) -> list[Point]:
    """The vertices of the beliefs over sender types (only ``types``, if given) under which every
    response in ``support`` is optimal at (m, r); ``[]`` if there are none.  Kept per game."""
    key = ("region", m, r, support, types)
    if key not in ex.memo:
        zero = Fraction(0)
        cons: list[Row] = [(row, zero) for row in gain_rows(ex, m, r, support)]
        if types is not None:
            cons += [([-Fraction(int(j == t)) for j in range(ex.nt)], zero) for t in range(ex.nt) if t not in types]
        ex.memo[key] = simplex_vertices(ex.nt, cons)
    out: list[Point] = ex.memo[key]
    return out


def best_responses(ex: Exact, mu: list[Fraction], m: int, r: int) -> tuple[int, ...]:
    """The receiver's optimal responses at (m, r) under the belief ``mu``."""
    vals = [sum((w * ex.ur[t][r][m][a] for t, w in enumerate(mu) if w), Fraction(0)) for a in range(ex.na[m])]
    best = max(vals)
    return tuple(a for a, v in enumerate(vals) if v == best)


def responses_for(ex: Exact, m: int, r: int, types: tuple[int, ...]) -> tuple[int, ...]:
    """``BR(types, m)`` of Cho & Kreps (1987): the pure responses at (m, r) optimal under some
    belief concentrated on ``types``."""
    return tuple(a for a in range(ex.na[m]) if belief_region(ex, m, r, (a,), types))
