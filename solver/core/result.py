"""One result type for every solver (cf. pygambit's ``NashComputationResult``).

An :class:`Equilibrium` carries its mixed strategies and payoffs *by label* and its verified
``max_regret``; a :class:`Result` carries the equilibria plus the honest flags ``complete``
(every equilibrium was enumerated) and ``degenerate`` (ties: components or continua may exist;
then ``components`` groups extreme equilibria that span a convex set of equilibria), and what
the computation used: the ``method``, the named ``tolerances``, the ``limits`` it hit and its
``time_budget``.  No option changes the type a solver returns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from solver.core import tolerances as _tolerances
from solver.core.game import Game, Number


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """A verified Nash equilibrium (a mixed profile).

    ``vectors[i][k]`` is the probability player ``i`` puts on strategy ``k`` (indices inside);
    ``profile`` and ``payoffs`` give the same by label (labels outside).
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    vectors: tuple[tuple[Number, ...], ...]
    values: tuple[Number, ...]
    max_regret: float
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def profile(self) -> dict[str, dict[str, Number]]:
        return {
            p: dict(zip(labels, vec, strict=True))
            for p, labels, vec in zip(self.players, self.strategies, self.vectors, strict=True)
        }

    @property
    def payoffs(self) -> dict[str, Number]:
        return dict(zip(self.players, self.values, strict=True))

    @property
    def is_pure(self) -> bool:
        return all(sum(1 for v in vec if v > 0) == 1 for vec in self.vectors)

    def outcomes(self, top: int | None = None) -> list[tuple[tuple[str, ...], Number]]:
        """The probability of each pure profile the equilibrium plays (the product of the
        players' independent mixtures), most likely first; exact where the vectors are.  At most
        ``top`` (and never more than ``MAX_OUTCOMES``) are listed: where the supports multiply to
        more, the most likely are found best-first without listing the rest
        (:meth:`outcome_count` counts them all).

        >>> F = Fraction
        >>> vecs = ((F(3, 5), F(2, 5)), (F(2, 3), F(1, 3)))
        >>> mp = Equilibrium(("A", "B"), (("x", "y"), ("u", "v")), vecs, (0, 0), 0.0)
        >>> [(", ".join(k), str(p)) for k, p in mp.outcomes(top=2)]
        [('x, u', '2/5'), ('y, u', '4/15')]
        """
        limit = MAX_OUTCOMES if top is None else min(top, MAX_OUTCOMES)
        if self.outcome_count() <= 4 * MAX_OUTCOMES:
            cells: list[tuple[tuple[str, ...], Number]] = [((), 1)]
            for labels, vec in zip(self.strategies, self.vectors, strict=True):
                cells = [((*key, labels[k]), p * v) for key, p in cells for k, v in enumerate(vec) if v > 0]
            cells.sort(key=lambda kv: -float(kv[1]))
            return cells[:limit]
        return _most_likely(self.strategies, self.vectors, limit)

    def outcome_count(self) -> int:
        """How many pure profiles the equilibrium plays with positive probability."""
        return math.prod(sum(1 for v in vec if v > 0) for vec in self.vectors)

    def support(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(k for k, v in enumerate(vec) if v > 0) for vec in self.vectors)

    def describe(self) -> str:
        """Short human label: the pure profile, or each player's support.

        >>> e = Equilibrium(("A", "B"), (("x", "y"), ("u", "v")), ((1, 0), (0, 1)), (0, 0), 0.0)
        >>> e.describe()
        'pure (x, v)'
        >>> Equilibrium(("A", "B"), (("x", "y"), ("u", "v")), ((0.5, 0.5), (0, 1)), (0, 0), 0.0).describe()
        'mixed (A: x/y; B: v)'
        """
        return describe_support(self.players, self.strategies, self.support())


#: an equilibrium lists at most this many outcomes (the most likely); the rest are counted
MAX_OUTCOMES = 1000


def _most_likely(
    strategies: tuple[tuple[str, ...], ...], vectors: tuple[tuple[Number, ...], ...], limit: int
) -> list[tuple[tuple[str, ...], Number]]:
    """The ``limit`` most likely pure profiles of independent mixtures, best-first: each player's
    positive probabilities sorted, a heap of index tuples (a profile's successors raise one
    player's index by one), so the work is about ``limit`` times the number of players."""
    import heapq

    ranked = [sorted(((v, k) for k, v in enumerate(vec) if v > 0), key=lambda t: -float(t[0])) for vec in vectors]

    def prob(idx: tuple[int, ...]) -> Number:
        return math.prod((ranked[i][j][0] for i, j in enumerate(idx)), start=1)

    start = (0,) * len(ranked)
    heap = [(-float(prob(start)), start)]
    seen = {start}
    out: list[tuple[tuple[str, ...], Number]] = []
    while heap and len(out) < limit:
        _, idx = heapq.heappop(heap)
        out.append((tuple(strategies[i][ranked[i][j][1]] for i, j in enumerate(idx)), prob(idx)))
        for i in range(len(idx)):
            nxt = (*idx[:i], idx[i] + 1, *idx[i + 1 :])
            if nxt[i] < len(ranked[i]) and nxt not in seen:
                seen.add(nxt)
                heapq.heappush(heap, (-float(prob(nxt)), nxt))
    return out


def describe_support(
    players: tuple[str, ...],
    strategies: tuple[tuple[str, ...], ...],
    support: tuple[tuple[int, ...], ...],
) -> str:
    """The signature word of one equilibrium, from its support (shared with the sweep engine)."""
    if all(len(s) == 1 for s in support):
        return (
            "pure ("
            + ", ".join(labels[s[0]] for labels, s in zip(strategies, support, strict=True))
            + ")"
        )
    if all(len(s) == len(labels) for labels, s in zip(strategies, support, strict=True)):
        return "mixed (full support)"
    parts = [
        f"{p}: " + "/".join(labels[k] for k in s)
        for p, labels, s in zip(players, strategies, support, strict=True)
    ]
    return "mixed (" + "; ".join(parts) + ")"


@dataclass(frozen=True, eq=False)
class Result:
    """Everything a solver found about one game."""

    game: Game
    equilibria: tuple[Equilibrium, ...]
    method: str
    complete: bool
    degenerate: bool
    exact: bool
    notes: tuple[str, ...] = ()
    #: groups of indices into ``equilibria``: extreme points of one convex set of equilibria
    components: tuple[tuple[int, ...], ...] = ()
    #: the named tolerances the equilibria were verified with (relative to the payoff scale;
    #: an exact result compares exactly)
    tolerances: Mapping[str, float] = field(default_factory=_tolerances.verification)
    #: limits the computation hit (e.g. a support-count cap), each in words; empty when none
    limits: tuple[str, ...] = ()
    #: the time budget in seconds the computation ran under (``None``: unbounded)
    time_budget: float | None = None

    def __len__(self) -> int:
        return len(self.equilibria)

    def signature(self) -> str:
        """The equilibrium set in words, e.g. ``mixed (full support) + pure (Strike, Confront)``."""
        parts = sorted(e.describe() for e in self.equilibria)
        return " + ".join(parts) if parts else "none"


def number_to_json(x: Number) -> float:
    return float(x)


def exact_string(x: Number) -> str:
    """``'1/3'`` for exact numbers, a short decimal for floats.

    >>> exact_string(Fraction(1, 3)), exact_string(0.25)
    ('1/3', '0.25')
    """
    if isinstance(x, Fraction):
        return str(x)
    return f"{x:.10g}"
