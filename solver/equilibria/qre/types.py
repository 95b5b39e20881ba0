"""What the QRE functions return: :class:`QREPoint` (indices inside) and :class:`Branch` (the
labels, the points, and the honest flags: how the trace ended, where it turned, what it hit).

In a strategic game the *choices* are the players and ``vectors[i]`` is player ``i``'s mixed
strategy; in a tree (agent QRE) they are the information sets and ``vectors[h]`` is the
behaviour strategy at set ``h``.  ``values`` are the players' expected payoffs either way.

>>> b = Branch(("A", "B"), ("A", "B"), (0, 1), (("x", "y"), ("u", "v")),
...            (QREPoint(0.0, ((0.5, 0.5), (0.5, 0.5)), (0.0, 0.0)),))
>>> b.profile(b.points[0])
{'A': {'x': 0.5, 'y': 0.5}, 'B': {'u': 0.5, 'v': 0.5}}
>>> b.lambdas(), b.complete
([0.0], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from solver.core import tolerances


def qre_tolerances() -> dict[str, float]:
    """The named tolerances every QRE computation runs with (recorded on each branch)."""
    return {
        "newton": tolerances.QRE_NEWTON,
        "residual": tolerances.QRE_RESIDUAL,
        "duplicate": tolerances.QRE_DUPLICATE,
    }


@dataclass(frozen=True)
class QREPoint:
    """One logit QRE: its ``lam``, the probabilities per choice and the players' payoffs; and
    ``exact_lambda``: whether Newton's method solved the equations at exactly this lambda (False
    only where it failed and the point was interpolated between two traced points)."""

    lam: float
    vectors: tuple[tuple[float, ...], ...]
    values: tuple[float, ...]
    exact_lambda: bool = True


@dataclass(frozen=True)
class Branch:
    """A traced piece of the principal branch (or the QRE found at one lambda).

    ``choices`` names each choice (a player, or an information set's label), ``owners`` the
    player (index) who makes it and ``actions`` its actions' labels.  ``complete``: the trace
    reached what it was asked for (``lambda_max``, every target) or, for :func:`qre_all_at`, the
    set is known to be all; ``status`` is ``"done"``, ``"budget"``, ``"stalled"`` or ``"steps"``
    (see :class:`~solver.equilibria.qre.trace.Trace`); ``turning`` the lambdas where the branch
    folds back; ``bifurcations`` where other branches cross it (the trace keeps straight on:
    there Gambit 17 perturbs the game and may follow another branch); ``limits`` and ``notes``
    say in words what was not done and how."""

    players: tuple[str, ...]
    choices: tuple[str, ...]
    owners: tuple[int, ...]
    actions: tuple[tuple[str, ...], ...]
    points: tuple[QREPoint, ...]
    status: str = "done"
    complete: bool = True
    turning: tuple[float, ...] = ()
    #: (lambda before, lambda after) around each bifurcation the trace went straight through
    bifurcations: tuple[tuple[float, float], ...] = ()
    method: str = "logit QRE, principal branch (predictor-corrector)"
    limits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    tolerances: Mapping[str, float] = field(default_factory=qre_tolerances)
    time_budget: float | None = None

    def profile(self, point: QREPoint) -> dict[str, dict[str, float]]:
        """The point's probabilities by label: choice -> action -> probability."""
        return {
            c: dict(zip(labels, vec, strict=True))
            for c, labels, vec in zip(self.choices, self.actions, point.vectors, strict=True)
        }

    def payoffs(self, point: QREPoint) -> dict[str, float]:
        return dict(zip(self.players, point.values, strict=True))

    def lambdas(self) -> list[float]:
        return [p.lam for p in self.points]
