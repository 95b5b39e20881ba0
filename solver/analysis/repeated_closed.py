"""The grim-trigger critical delta at a point, in closed form over the model's parameters.

:func:`solver.equilibria.repeated.symbolic_grim` splits delta* = max_i (d_i - u_i)/(d_i - e_i)
(Friedman 1971) into branches by which deviation is best and by the signs that decide it; the
branch that holds at the model's values, with the conditions that keep the reversion a stage
equilibrium (and the worst one for each deviator), is the ``regions``-style answer: the formula
and the region of parameters where it is the answer.

Prisoner's dilemma: delta* = (T - R)/(T - P) while T > R > P and (Defect, Defect) is an equilibrium.

>>> c = grim_closed_form("prisoners_dilemma", ("Cooperate", "Cooperate"))
>>> c.value, c.conditions
((R - T)/(P - T), (T > R, R > P, P >= S))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from solver.analysis.repeated import as_model
from solver.core.errors import SolverError


@dataclass(frozen=True)
class ClosedForm:
    """delta* (sympy; None: no delta < 1) of the branch holding at the point, per player too."""

    value: Any
    by_player: Mapping[str, Any]
    #: sympy relationals in the parameters: where this formula is the answer
    conditions: tuple[Any, ...]
    #: per player, the stage equilibrium reverted to
    reversion: Mapping[str, str]


def grim_closed_form(model: Any, target: Any, overrides: Mapping[str, Any] | None = None) -> ClosedForm:
    """The grim-trigger branch of ``target`` (labels, or a string ``"A, B"``) holding at the
    model's values with ``overrides``; :class:`SolverError` when there is no closed form."""
    from solver.equilibria.repeated import symbolic_grim

    m = as_model(model)
    labels = tuple(s.strip() for s in target.split(",")) if isinstance(target, str) else tuple(target)
    values = m.values(overrides)
    sg = symbolic_grim(m, labels, values=values)
    overall = sg.at(values)
    if overall is None:
        raise SolverError("no grim-trigger branch holds at these values (a degenerate point)")
    per = {}
    for player, branches in sg.by_player.items():
        held = next((b for b in branches if b.holds(values)), None)
        per[player] = None if held is None else held.value
    conds = tuple(dict.fromkeys((*overall.conditions, *sg.equilibrium)))
    return ClosedForm(overall.value, per, conds, dict(zip(sg.by_player, sg.reversion, strict=True)))
