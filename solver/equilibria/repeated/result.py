"""The result of a repeated-game analysis: one frozen value, labels outside, exact numbers inside.

A :class:`Punishment` says how a target profile is enforced and from which discount factor on:
``kind`` is ``"nash"`` (grim trigger, reversion to a stage equilibrium; Friedman 1971),
``"minmax"`` (the folk-theorem bound: no equilibrium sustains the target below it) or
``"penal_code"`` (simple penal codes, Abreu 1988, with stick-and-carrot punishments).
``critical_delta`` is ``None`` when no discount factor below one works.

>>> from fractions import Fraction
>>> p = Punishment("nash", Fraction(1, 2), {"Row": Fraction(1, 2), "Column": Fraction(1, 2)})
>>> p.sustains(Fraction(3, 5)), p.sustains(Fraction(2, 5))
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from solver.core.game import Game, Number
from solver.core.result import Equilibrium

KINDS = ("nash", "minmax", "penal_code")

Delta = Fraction | None
Vertex = tuple[Number, Number]


@dataclass(frozen=True)
class Punishment:
    """One way of punishing deviations and the critical discount factor it gives."""

    kind: str
    #: the smallest delta from which the target is sustained (exact); None: no delta < 1 works
    critical_delta: Delta
    #: player label -> that player's critical delta (None: no delta < 1 keeps them in line)
    by_player: Mapping[str, Delta]
    #: symbolic answers only: the conditions (sympy relationals) under which the value holds
    conditions: tuple[Any, ...] = ()
    #: player label -> the punishment that binds for that player, in words
    detail: Mapping[str, str] = field(default_factory=dict)
    #: what the number means (e.g. "a lower bound over all equilibria")
    note: str = ""

    def sustains(self, delta: Number) -> bool:
        """Whether the target is enforced at discount factor ``delta`` by this punishment."""
        return self.critical_delta is not None and delta >= self.critical_delta


@dataclass(frozen=True)
class Reversion:
    """Grim trigger with reversion to one stage equilibrium (for every deviator alike)."""

    equilibrium: str
    payoffs: Mapping[str, Number]
    critical_delta: Delta
    by_player: Mapping[str, Delta]


@dataclass(frozen=True)
class PayoffSet:
    """A convex polygon of payoff pairs, vertices counter-clockwise (floats, or exact Fractions)."""

    vertices: tuple[Vertex, ...]
    #: Abreu-Sannikov only: iterations run, whether the tolerance was met, the final threat point
    iterations: int = 0
    converged: bool = True
    threat: Vertex | None = None
    note: str = ""


@dataclass(frozen=True, eq=False)
class RepeatedResult:
    """Everything the repeated-game analysis found about one target profile of one stage game."""

    game: Game
    #: the target pure profile, one strategy label per player
    target: tuple[str, ...]
    target_payoffs: Mapping[str, Number]
    #: best one-shot deviation payoff of each player against the target
    deviation_payoffs: Mapping[str, Number]
    punishments: tuple[Punishment, ...]
    #: every stage equilibrium used for reversion, each with its own critical delta
    reversions: tuple[Reversion, ...]
    stage_equilibria: tuple[Equilibrium, ...]
    #: minmax value of each player (mixed for two players, pure otherwise) and the pure one
    minmax: Mapping[str, Number]
    pure_minmax: Mapping[str, Number]
    #: player -> how the others hold them to ``minmax``, in words
    punishers: Mapping[str, str]
    #: the discount factor asked about (None: only critical values were computed)
    delta: Number | None = None
    #: Abreu-Sannikov set of subgame-perfect payoffs at ``delta`` (two players), None otherwise
    payoff_set: PayoffSet | None = None
    #: feasible and individually rational payoffs (two players), exact where the game is
    feasible_ir_set: PayoffSet | None = None
    notes: tuple[str, ...] = ()
    method: str = "grim trigger; minmax bound; simple penal codes (Abreu 1988)"
    tolerances: Mapping[str, float] = field(default_factory=dict)
    #: False when a stage solve or a search was cut short (see ``limits``)
    complete: bool = True
    limits: tuple[str, ...] = ()

    def punishment(self, kind: str) -> Punishment:
        """The punishment of one kind (``"nash"``, ``"minmax"``, ``"penal_code"``)."""
        for p in self.punishments:
            if p.kind == kind:
                return p
        raise KeyError(kind)

    @property
    def critical_delta(self) -> Delta:
        """The smallest critical delta over the punishments that are subgame perfect (Nash
        reversion and penal codes; the minmax number is a bound, not a strategy)."""
        found = [
            p.critical_delta
            for p in self.punishments
            if p.kind != "minmax" and p.critical_delta is not None
        ]
        return min(found) if found else None

    def sustained(self) -> bool | None:
        """Whether the target is a subgame-perfect outcome at ``delta`` (None: no delta given)."""
        if self.delta is None:
            return None
        best = self.critical_delta
        return best is not None and self.delta >= best
