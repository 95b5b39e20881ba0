"""Game trees (extensive form): the value, its construction from named nodes, its checks.

One import for the three parts (Kuhn 1953 for the extensive form; Gambit documentation, "The
extensive game (.efg) file format", for the prefix order of the nodes):

* :mod:`solver.core.tree_value`: :class:`Node`, :class:`Infoset`, :class:`Tree` (frozen), and
  the markers :data:`CHANCE` and :data:`TERMINAL` for a node's ``player``;
* :mod:`solver.core.tree_named`: :func:`from_named` lays out named nodes (:class:`Spec`,
  :func:`decision`, :func:`chance`, :func:`leaf`) as a model file writes them;
* :mod:`solver.core.tree_check`: :func:`validate` and :func:`check_probabilities`.

The example lives with :func:`~solver.core.tree_named.from_named`.
"""

from __future__ import annotations

from solver.core.tree_check import check_probabilities, validate
from solver.core.tree_named import Spec, chance, decision, from_named, leaf
from solver.core.tree_value import CHANCE, TERMINAL, Infoset, Node, Tree

__all__ = [
    "CHANCE",
    "TERMINAL",
    "Infoset",
    "Node",
    "Spec",
    "Tree",
    "chance",
    "check_probabilities",
    "decision",
    "from_named",
    "leaf",
    "validate",
]
