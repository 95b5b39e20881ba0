"""Redline: a game-theoretic red-line solver.

Model file -> symbolic game (:mod:`solver.symbolic`) -> numeric game (:class:`solver.game.Game`)
-> solvers (:func:`solve`) -> one result type (:class:`solver.result.Result`).

>>> import solver
>>> r = solver.solve(solver.game_at("prisoners_dilemma"))
>>> r.signature()
'pure (Defect, Defect)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .equilibria import solve
    from .errors import ModelError, ParameterError, RedlineError, SolverError
    from .formats import load, shipped_models
    from .game import Game
    from .result import Equilibrium, Result
    from .symbolic import Model, Parameter, evaluate

#: public name -> module (imported lazily, PEP 562: `redline --help` must start fast)
_LAZY = {
    "solve": "equilibria",
    "ModelError": "errors",
    "ParameterError": "errors",
    "RedlineError": "errors",
    "SolverError": "errors",
    "load": "formats",
    "shipped_models": "formats",
    "Game": "game",
    "Equilibrium": "result",
    "Result": "result",
    "Model": "symbolic",
    "Parameter": "symbolic",
    "evaluate": "symbolic",
    "sweep": "sweep",
    "SweepResult": "sweep",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


__all__ = [
    "Equilibrium",
    "Game",
    "Model",
    "ModelError",
    "Parameter",
    "ParameterError",
    "RedlineError",
    "Result",
    "SolverError",
    "SweepResult",
    "evaluate",
    "game_at",
    "load",
    "shipped_models",
    "solve",
    "sweep",
]
__version__ = "0.1.0"


def game_at(
    model: str | Model | None = None, values: dict[str, Any] | None = None, *, exact: bool = True
) -> Game:
    """The numeric game of a model (name, path or :class:`Model`) at its values plus ``values``."""
    from .formats import load
    from .symbolic import Model, evaluate

    m = model if isinstance(model, Model) else load(model)
    return evaluate(m, values, exact=exact)
