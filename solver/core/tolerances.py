"""Named numerical tolerances: the only place float comparisons get their slack.

Every tolerance is *relative to the payoff scale* of the game where that matters:
``scaled(REGRET, scale)`` is the absolute tolerance for a game whose payoffs span ``scale``.

>>> scaled(REGRET, 100.0) == REGRET * 100.0
True
"""

from __future__ import annotations

#: an equilibrium's max regret must be below this (times the payoff scale)
REGRET = 1e-9
#: a probability below this is treated as zero when reading supports
PROBABILITY = 1e-10
#: two payoffs closer than this (times the scale) are a tie: the game may be degenerate
TIE = 1e-9
#: slack for feasibility tests inside the polyhedral enumeration
FEASIBILITY = 1e-9
#: two floating equilibria closer than this (max-norm) are the same point
DUPLICATE = 1e-7
#: boundaries of sweeps are refined to this absolute width in the parameter
BOUNDARY = 1e-9


def scaled(tol: float, scale: float) -> float:
    """Absolute tolerance for payoffs of magnitude ``scale`` (never smaller than ``tol``)."""
    return tol * max(1.0, abs(scale))
