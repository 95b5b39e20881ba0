"""The tree of a sequential model drawn at the explorer's values, with the path of play of one of
its credible equilibria highlighted (:func:`solver.render.tree_svg.tree_svg`).

>>> from solver.formats import load
>>> from solver.web.compute import Explorer
>>> svg = tree_drawing(Explorer(load("entry_deterrence")), {})
>>> svg.startswith("<svg"), 'data-state="path"' in svg
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from solver.web.compute import Explorer


def tree_drawing(ex: Explorer, overrides: Mapping[str, Any], equilibrium: int = 0) -> str:
    """The SVG of ``ex.model``'s tree at ``overrides``, the ``equilibrium``-th credible
    equilibrium of the table (as ``/api/state`` lists them) highlighted."""
    from solver.render.tree_svg import tree_svg

    tree = ex.model.tree
    assert tree is not None
    state = ex.state(overrides)
    eqs = state["solve"]["equilibria"]
    behaviour = eqs[equilibrium].get("behaviour") if 0 <= equilibrium < len(eqs) else None
    return tree_svg(tree.at(ex.values(overrides)), behaviour)
