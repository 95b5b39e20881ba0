"""Take-it-or-leave-it bargaining with a continuous offer and one-dimensional private information.

:func:`solve_bargaining` solves a ``kind = "bargaining"`` model (read by
:mod:`solver.formats.bargaining_model`) at one parameter point, exactly: the proposer's optimal
offer, the probability of war and both sides' expected payoffs, together with the closed form
(:mod:`.closed`) it came from.  Method: Fearon (1995), "Rationalist explanations for war",
International Organization 49(3), the risk-return trade-off (pp. 395-396), in its uniform case.

>>> from solver.formats import load
>>> r = solve_bargaining(load("fearon_bargaining"))
>>> r.offer, r.p_war, r.regime
(Fraction(21, 40), Fraction(1, 8), 'interior')
>>> r = solve_bargaining(load("fearon_bargaining"), {"p": "0.55", "c_lo": "0.1", "c_hi": "0.1"})
>>> r.offer, r.p_war, r.regime
(Fraction(9, 20), Fraction(0, 1), 'safe')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from solver.core.errors import ModelError
from solver.equilibria.bargaining.closed import ClosedForm, closed_form
from solver.equilibria.bargaining.point import BargainingResult, solve_at

__all__ = ["BargainingResult", "ClosedForm", "closed_form", "solve_at", "solve_bargaining"]


def solve_bargaining(
    model: Any, overrides: Mapping[str, Any] | None = None, *, check_range: bool = True
) -> BargainingResult:
    """The optimal offer of ``model`` (a bargaining model) at its values with ``overrides``."""
    spec = getattr(model, "bargaining", None)
    if spec is None:
        raise ModelError(f"{model.name} is not a bargaining model (kind = \"bargaining\")", source=model.path)
    values = model.values(overrides, check_range=check_range)
    return solve_at(spec, closed_form(spec, model.path), values, source=model.path or model.name)
