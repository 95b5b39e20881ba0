"""Redline: a game-theoretic red-line solver.

Model file -> symbolic game (:mod:`solver.core.symbolic`) -> numeric game (:class:`solver.core.game.Game`)
-> solvers (:func:`solve`) -> one result type (:class:`solver.core.result.Result`).

>>> import solver
>>> r = solver.solve(solver.game_at("prisoners_dilemma"))
>>> r.signature()
'pure (Defect, Defect)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from solver.analysis.estimate import EstimationResult, estimate
    from solver.analysis.qre import QREResult, qre
    from solver.analysis.repeated import repeated
    from solver.core.errors import ModelError, ParameterError, RedlineError, SolverError
    from solver.core.game import Game
    from solver.core.result import Equilibrium, Result
    from solver.core.symbolic import Model, Parameter, evaluate
    from solver.equilibria import solve
    from solver.formats import load, shipped_models

#: public name -> module (imported lazily, PEP 562: `redline --help` must start fast)
_LAZY = {
    "solve": "equilibria",
    "ModelError": "core.errors",
    "ParameterError": "core.errors",
    "RedlineError": "core.errors",
    "SolverError": "core.errors",
    "load": "formats",
    "shipped_models": "formats",
    "Game": "core.game",
    "Equilibrium": "core.result",
    "Result": "core.result",
    "Model": "core.symbolic",
    "Parameter": "core.symbolic",
    "evaluate": "core.symbolic",
    "sweep": "sweep",
    "SweepResult": "sweep",
    "plot_sweep": "render.sweep_plot",
    "repeated": "analysis.repeated",
    "estimate": "analysis.estimate",
    "qre": "analysis.qre",
    "QREResult": "analysis.qre",
    "EstimationResult": "analysis.estimate",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


__all__ = [
    "Equilibrium",
    "EstimationResult",
    "Game",
    "Model",
    "ModelError",
    "Parameter",
    "ParameterError",
    "QREResult",
    "RedlineError",
    "Result",
    "SolverError",
    "SweepResult",
    "estimate",
    "evaluate",
    "game_at",
    "load",
    "plot_sweep",
    "qre",
    "repeated",
    "shipped_models",
    "solve",
    "sweep",
]
__version__ = "0.1.0"


def game_at(
    model: str | Model | None = None, values: dict[str, Any] | None = None, *, exact: bool = True
) -> Game:
    """The numeric game of a model (name, path or :class:`Model`) at its values plus ``values``."""
    from solver.core.symbolic import Model, evaluate
    from solver.formats import load

    m = model if isinstance(model, Model) else load(model)
    return evaluate(m, values, exact=exact)
