"""Errors that carry *where* (file, key) and *what*, so the CLI can print one clear line.

>>> str(ModelError("what is wrong", source="m.toml", key="payoffs"))
'm.toml: payoffs: what is wrong'
"""

from __future__ import annotations


class RedlineError(Exception):
    """Base class: a problem with the user's input, reported as one line (exit code 1)."""

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        self.message = message
        self.source = source
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.key) if p]
        return ": ".join([*parts, self.message])


class ModelError(RedlineError):
    """A model file (TOML, .nfg, .efg) is malformed or inconsistent."""


class ParameterError(RedlineError):
    """A parameter value is unknown, malformed or outside its declared range."""


class RangeError(ParameterError):
    """A parameter value lies outside the range its model declares (``--force`` allows it)."""


class SolverError(RedlineError):
    """A solver cannot handle the game it was given (e.g. wrong number of players)."""


class BudgetSpent(SolverError):
    """An inner solver (a linear program) stopped at the time budget before it had an answer;
    the caller turns this into an incomplete result naming the limit."""


class UsageError(RedlineError):
    """The command line itself is wrong (exit code 2)."""
