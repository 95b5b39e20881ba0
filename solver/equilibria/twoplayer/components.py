"""Maximal Nash subsets: the equilibrium components of a degenerate bimatrix game.

The extreme equilibria ``(x, y)`` of a bimatrix game form a bipartite graph; every *biclique*
``X x Y`` of it is a Nash subset (every mix of an ``x`` in ``X`` with a ``y`` in ``Y`` is an
equilibrium), and the maximal ones generate the equilibrium components (Jansen 1981, "Maximal
Nash subsets for bimatrix games"; Avis, Rosenberg, Savani & von Stengel 2010).

>>> maximal_nash_subsets([(0, 0), (1, 0), (1, 1)])     # x0-y0, x1-y0, x1-y1: two components
((0, 1), (1, 2))
"""

from __future__ import annotations

from collections.abc import Sequence


def maximal_nash_subsets(edges: Sequence[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """Maximal bicliques ``X x Y`` of the bipartite graph of extreme equilibria ``(x, y)``.

    Each is a maximal Nash subset: every mix of an ``x`` in ``X`` with a ``y`` in ``Y`` is an
    equilibrium (Avis et al. 2010).  Closed ``X`` sets are intersections of neighbourhoods of
    ``y`` vertices; returned as sorted tuples of indices into ``edges``.

    >>> maximal_nash_subsets([(0, 0), (0, 1), (1, 1)])
    ((0, 1), (1, 2))
    """
    nbr: dict[int, int] = {}
    for x, y in edges:
        nbr[y] = nbr.get(y, 0) | (1 << x)
    closed = set(nbr.values())
    frontier = list(closed)
    while frontier:
        new = {s & t for s in frontier for t in closed} - closed - {0}
        closed |= new
        frontier = list(new)
    comps = set()
    for xs in closed:
        ys = {y for y, nx in nbr.items() if xs & nx == xs}
        comps.add(tuple(k for k, (x, y) in enumerate(edges) if (xs >> x) & 1 and y in ys))
    return tuple(sorted(comps))
