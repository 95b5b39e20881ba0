"""The values :func:`solver.analysis.explain.explain` returns: one frozen :class:`Brief` with sections.

Every number is carried twice: ``exact`` (the exact string, e.g. ``3/5``, ``2*sqrt(2)``) and
``decimal``; every sentence is generated from the results, never written per model.

>>> Outcome("Strike, Confront", "1/5", 0.2).percent
'20%'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """One outcome (a pure profile, or a path of a tree) and its probability."""

    profile: str
    exact: str
    decimal: float

    @property
    def percent(self) -> str:
        return f"{100 * self.decimal:.3g}%"


@dataclass(frozen=True)
class Actor:
    """What one player does in one equilibrium, in words, and what it expects to get."""

    player: str
    plays: str
    payoff: str
    payoff_decimal: float


@dataclass(frozen=True)
class Mixing:
    """Why ``player`` mixes as it does: it keeps ``indifferent`` indifferent, by their payoffs."""

    player: str
    indifferent: tuple[str, ...]
    #: (strategy, exact probability, formula in the parameters or "")
    probabilities: tuple[tuple[str, str, str], ...]
    #: parameters the formulas use, and whose payoffs they enter
    parameters: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class EquilibriumBrief:
    number: int
    label: str
    actors: tuple[Actor, ...]
    outcomes: tuple[Outcome, ...]
    mixing: tuple[Mixing, ...]
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: a signalling game's perfect Bayesian equilibrium: ``kind``, ``intuitive_criterion``, ``d1``
    #: (the solver's), ``beliefs`` on the path and ``off_path`` threats (see
    #: :mod:`solver.analysis.explain_signalling`); None otherwise
    signalling: dict[str, Any] | None = None


@dataclass(frozen=True)
class Crossing:
    """The nearest threshold on one side of the current value: where the answer flips."""

    exact: str
    decimal: float
    before: str
    after: str
    distance: str
    distance_decimal: float


@dataclass(frozen=True)
class Assumption:
    """One parameter: what it means, the claims it encodes, and its nearest thresholds."""

    parameter: str
    doc: str
    value: str
    low: str
    high: str
    claims: tuple[tuple[str, str], ...]  # (id, title); title "" when the claims file lacks it
    below: Crossing | None = None
    above: Crossing | None = None
    #: the smaller distance to a threshold as a share of the declared range (None: no threshold)
    relative: float | None = None
    computed: bool = True
    note: str = ""


@dataclass(frozen=True)
class Brief:
    """The plain-language findings on one model at one point (see :mod:`solver.render.explain`)."""

    model: str
    title: str
    kind: str  # "strategic form" or "game tree"
    values: tuple[tuple[str, str], ...]
    summary: tuple[str, ...]
    equilibria: tuple[EquilibriumBrief, ...]
    assumptions: tuple[Assumption, ...]
    red_lines: tuple[str, ...]
    credibility: tuple[str, ...]
    robustness: tuple[str, ...]
    selection: tuple[str, ...]
    not_computed: tuple[str, ...] = field(default_factory=tuple)
    players: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.not_computed
