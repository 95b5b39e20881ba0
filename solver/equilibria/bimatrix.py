"""Every Nash equilibrium of a two-player game: vertex enumeration, with a support cross-check.

Vertex enumeration (von Stengel 2007, "Equilibrium computation for two-player games in strategic
and extensive form", Alg. 3.5; Avis, Rosenberg, Savani & von Stengel 2010).  With payoffs shifted
to be positive, the best-response polytopes are

    P = {x in R^m : x >= 0, B^T x <= 1}     Q = {y in R^n : A y <= 1, y >= 0}

with labels ``0..m-1`` for the row strategies (``x_i = 0`` resp. ``(A y)_i = 1``) and
``m..m+n-1`` for the columns.  The *extreme* equilibria are exactly the pairs of nonzero vertices
whose label sets cover all ``m + n`` labels.  Vertices come from Qhull (``scipy.spatial``) as the
facets of the polar polytope, as in QuantEcon's ``vertex_enumeration`` (small polytopes instead
solve every ``d``-subset of constraints in one batched numpy call, which is faster there); each
vertex gets its *full* label set by evaluating every constraint (Qhull triangulates degenerate
facets), vertices are deduplicated by label set and pairs matched with integer bitmasks.  Exact
games re-solve the relevant vertices in rationals from their tight constraints; where Qhull
cannot be used or a rational cross-check disagrees, every ``d``-subset of constraints is tried
exactly.  A vertex with more labels than its dimension means the game is *degenerate*; then the
equilibrium set is the union of the maximal Nash subsets (maximal bicliques of extreme pairs),
reported as ``components``.

>>> bos = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], title="Battle of the sexes")
>>> res = solve_bimatrix(bos)
>>> len(res), res.degenerate, res.complete
(3, False, True)
>>> res.equilibria[1].vectors
((Fraction(2, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3)))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import ConvexHull, QhullError

from .. import tolerances
from ..errors import SolverError
from ..game import Game, Number, to_fraction
from ..result import Result
from . import exact_linalg
from .verify import dropped_note, verified

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Vector = tuple[Number, ...]
Pair = tuple[Vector, Vector]
#: float vertices of one polytope: points, label sets, any degenerate vertex, ambiguous labels
Vertices = tuple[FloatArray, BoolArray, bool, bool]
#: label sets up to this size are matched as int64 bitmasks, larger ones by a matrix product
_BITS = 62
#: polytopes with (number of d-subsets of constraints) * d up to this skip Qhull (batched solves)
_BATCH = 150
#: |det| below this marks a d-subset of (normalised) constraints as singular in the batched path
_SINGULAR = 1e-10
#: exact games: a constraint value this close to tight (but not within tolerance) makes the float
#: labels untrusted, so every vertex is re-solved in rationals
_AMBIGUOUS = 1e-6


@dataclass(frozen=True)
class Extreme:
    """Extreme equilibria of a bimatrix game as plain data (indices, no labels)."""

    pairs: tuple[Pair, ...]
    degenerate: bool
    #: maximal Nash subsets: indices into ``pairs`` (one singleton each when nondegenerate)
    components: tuple[tuple[int, ...], ...]
    #: the exhaustive exact enumeration replaced Qhull for at least one polytope
    fallback: bool = False


def _systems(a: Any, b: Any, one: Any, zero: Any) -> list[tuple[list[list[Any]], list[Any]]]:
    """Constraint systems ``g z <= h`` of P (z = x) and Q (z = y), rows in label order."""
    m, n = len(a), len(a[0])
    gp = [[-one if i == k else zero for i in range(m)] for k in range(m)]
    gp += [[b[i][j] for i in range(m)] for j in range(n)]
    gq = [list(a[i]) for i in range(m)]
    gq += [[-one if j == k else zero for j in range(n)] for k in range(n)]
    return [(gp, [zero] * m + [one] * n), (gq, [one] * m + [zero] * n)]


@lru_cache(maxsize=64)
def _templates(m: int, n: int) -> tuple[FloatArray, FloatArray]:
    """Constant parts of the float systems of P (index 0) and Q (index 1), padded to a common
    width ``max(m, n)`` so that square games stack them in one array."""
    d = max(m, n)
    g, h = np.zeros((2, m + n, d)), np.zeros((2, m + n))
    g[0, :m, :m] = -np.eye(m)
    g[1, m:, :n] = -np.eye(n)
    h[0, m:] = h[1, :m] = 1.0
    return g, h


def _float_systems(norm: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:func:`_systems` in floats for payoffs ``norm`` of shape ``(2, m, n)``, stacked; for
    ``m != n`` the narrower system's padding columns are cut off by the caller."""
    m, n = norm.shape[1:]
    g, h = _templates(m, n)
    g = g.copy()
    g[0, m:, :m] = norm[1].T
    g[1, :m, :n] = norm[0]
    return g, h


@lru_cache(maxsize=128)
def _subsets(size: int, d: int) -> npt.NDArray[np.intp]:
    return np.array(list(combinations(range(size), d)), dtype=np.intp).reshape(-1, d)


def _batched_vertices(g: FloatArray, h: FloatArray) -> list[tuple[FloatArray, FloatArray]]:
    """Vertices of small polytopes ``{z : g[p] z <= h[p]}`` (stacked along ``p``), by solving
    every ``d``-subset of constraints at once; no Qhull call."""
    sub = _subsets(*g.shape[1:])
    mats, rhs = g[:, sub], h[:, sub]
    if g.shape[2] == 2:  # Cramer's rule: the common 2 x n case without LAPACK call overhead
        a00, a01, a10, a11 = mats[..., 0, 0], mats[..., 0, 1], mats[..., 1, 0], mats[..., 1, 1]
        det = a00 * a11 - a01 * a10
        ok = np.abs(det) > _SINGULAR
        inv = 1.0 / np.where(ok, det, 1.0)
        z = np.empty((*ok.shape, 2))
        z[..., 0] = (rhs[..., 0] * a11 - a01 * rhs[..., 1]) * inv
        z[..., 1] = (a00 * rhs[..., 1] - a10 * rhs[..., 0]) * inv
    else:
        ok = np.abs(np.linalg.det(mats)) > _SINGULAR
        z = np.zeros((*ok.shape, g.shape[2]))
        z[ok] = np.linalg.solve(mats[ok], rhs[ok][..., None])[..., 0]
    resid = z @ g.transpose(0, 2, 1) - h[:, None, :]
    tol = tolerances.FEASIBILITY
    keep = ok & (resid.max(axis=2) <= tol) & (z.max(axis=2) > tol)  # feasible, not the origin
    return [(z[p][keep[p]], np.abs(resid[p][keep[p]])) for p in range(len(g))]


def _qhull_vertices(g: FloatArray, h: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vertices of ``{z : g z <= h}`` and their full tight-constraint sets, via the polar hull."""
    if g.shape[1] < 2:
        raise ValueError("Qhull needs dimension >= 2")
    c = 0.5 / float(g[h > 0].sum(axis=1).max())  # z0 = c * 1 is interior
    slack = h - c * g.sum(axis=1)
    eq = ConvexHull(g / slack[:, None]).equations
    z = eq[:, :-1] / -eq[:, -1:] + c
    resid = z @ g.T - h
    if resid.max() > tolerances.FEASIBILITY:
        raise ValueError("Qhull returned an infeasible vertex")
    keep = z.max(axis=1) > tolerances.FEASIBILITY  # not the origin
    return z[keep], np.abs(resid[keep])


def _distinct(z: FloatArray, tight: BoolArray) -> tuple[FloatArray, BoolArray, bool]:
    """Drop repeated label sets: a degenerate vertex (more tight constraints than the dimension)
    is found from several constraint subsets or Qhull facets.  Also says if there is one."""
    degenerate = bool(len(z) and tight.sum(axis=1).max() > z.shape[1])
    if degenerate:
        if tight.shape[1] <= _BITS:
            keys: list[Any] = (tight @ _weights(tight.shape[1])).tolist()
        else:
            keys = [row.tobytes() for row in tight]
        first = sorted({k: r for r, k in reversed(list(enumerate(keys)))}.values())
        z, tight = z[first], tight[first]
    return z, tight, degenerate


def _float_vertices(norm: FloatArray, exact: bool = False) -> list[Vertices | None]:
    """Vertices (nonzero, distinct) of P and Q in floats, with their label sets, whether one is
    degenerate and (``exact`` only) whether a constraint value is ambiguously close to tight;
    ``None`` where Qhull failed."""
    m, n = norm.shape[1:]
    g, h = _float_systems(norm)
    dims = (m, n)
    small = [comb(m + n, d) * d <= _BATCH for d in dims]
    found: list[tuple[FloatArray, FloatArray] | None] = [None, None]
    if m == n and small[0]:
        found = list(_batched_vertices(g, h))
    for side, d in enumerate(dims):
        gs = g[side, :, :d]
        try:
            if found[side] is None:
                found[side] = (
                    _batched_vertices(gs[None], h[side][None])[0]
                    if small[side]
                    else _qhull_vertices(gs, h[side])
                )
        except (QhullError, ValueError, np.linalg.LinAlgError):
            continue
    out: list[Vertices | None] = []
    tol = tolerances.FEASIBILITY
    for f in found:
        if f is None:
            out.append(None)
            continue
        z, resid = f
        ambiguous = exact and bool(((resid > tol) & (resid <= _AMBIGUOUS)).any())
        out.append((*_distinct(z, resid <= tol), ambiguous))
    return out


def _rational_vertices(
    g: list[list[Fraction]], h: list[Fraction], nonneg: slice, tight: BoolArray | None, rows: Any
) -> tuple[dict[int, tuple[Fraction, ...]], BoolArray]:
    """Exact vertices: ``rows`` of Qhull's label sets re-solved, or (``tight=None``) all of them
    exhaustively.  Raises ``ArithmeticError`` when an exact label set differs from the float one.
    """
    if tight is not None:
        found: dict[int, tuple[Fraction, ...]] = {}
        for r in rows:
            labels = tuple(int(k) for k in np.flatnonzero(tight[r]))
            vertex = exact_linalg.vertex_at(g, h, labels)
            if vertex is None or vertex[1] != labels:
                raise ArithmeticError("float labels disagree with the exact vertex")
            found[int(r)] = vertex[0]
        return found, tight
    every = [
        v for v in exact_linalg.vertices(g, h) if not all(k in v[1] for k in range(len(g))[nonneg])
    ]
    lab = np.zeros((len(every), len(g)), dtype=bool)
    for r, (_, labels) in enumerate(every):
        lab[r, list(labels)] = True
    return {r: v[0] for r, v in enumerate(every)}, lab


@lru_cache(maxsize=128)
def _weights(size: int) -> npt.NDArray[np.int64]:
    return np.int64(1) << np.arange(size, dtype=np.int64)


def _match(
    tx: BoolArray, ty: BoolArray, simple: bool = False
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs of completely labelled vertex pairs (union of label sets is everything).

    ``simple``: both polytopes are simple (a nondegenerate game), so complementary label sets
    are exact complements and a hash join finds the pairs in linear time.
    """
    size = tx.shape[1]
    if simple and size <= _BITS:
        w = _weights(size)
        full = (1 << size) - 1
        where: dict[int, list[int]] = {}
        for j, code in enumerate((ty @ w).tolist()):
            where.setdefault(code, []).append(j)
        pairs = [(i, j) for i, code in enumerate((tx @ w).tolist()) for j in where.get(full ^ code, ())]
        arr = np.array(pairs, dtype=np.intp).reshape(-1, 2)
        return arr[:, 0], arr[:, 1]
    if size <= _BITS:
        w = _weights(size)
        ok = ((tx @ w)[:, None] | (ty @ w)[None, :]) == (1 << size) - 1
    else:
        ok = (~tx).astype(np.int32) @ (~ty).astype(np.int32).T == 0
    ix, iy = np.nonzero(ok)
    return ix, iy


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


def extreme_equilibria(a: Any, b: Any, *, exact: bool = False) -> Extreme:
    """All extreme equilibria of the bimatrix game ``(a, b)`` (row payoffs, column payoffs).

    ``exact=True`` takes rational payoffs (``Fraction`` / ``int``) and returns ``Fraction``
    probabilities; otherwise floats.

    >>> ext = extreme_equilibria([[1.0, -1.0], [-1.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]])
    >>> [[round(v, 12) for v in x + y] for x, y in ext.pairs], ext.degenerate
    ([[0.5, 0.5, 0.5, 0.5]], False)
    """
    pay = np.asarray((a, b), dtype=float)
    if pay.ndim != 3 or 0 in pay.shape or not np.isfinite(pay).all():
        raise SolverError("a bimatrix game needs two finite m x n payoff matrices, m, n >= 1")
    m, n = pay.shape[1:]
    lo = pay.min(axis=(1, 2), keepdims=True)
    spread = pay.max(axis=(1, 2), keepdims=True) - lo
    norm = 1.0 + (pay - lo) / np.where(spread > 0, spread, 1.0)  # payoffs in [1, 2]
    found = _float_vertices(norm, exact)
    if exact or any(f is None for f in found):
        points, tights, fallback = _rationalise(a, b, found, exact)
        degenerate = bool(
            tights[0].sum(axis=1).max(initial=0) > m or tights[1].sum(axis=1).max(initial=0) > n
        )
    else:
        points, tights, fallback = [f[0] for f in found if f], [f[1] for f in found if f], False
        degenerate = any(f[2] for f in found if f)
    ix, iy = _match(tights[0], tights[1], simple=not degenerate)
    xs = _mixed(points[0], tights[0][:, :m], ix, exact)
    ys = _mixed(points[1], tights[1][:, m:], iy, exact)
    order = sorted(range(len(xs)), key=lambda k: (xs[k], ys[k]), reverse=True)
    pairs = tuple((xs[k], ys[k]) for k in order)
    if degenerate:
        components = maximal_nash_subsets([(int(ix[k]), int(iy[k])) for k in order])
    else:
        components = tuple((k,) for k in range(len(pairs)))
    return Extreme(pairs, degenerate, components, fallback)


def _rationalise(
    a: Any,
    b: Any,
    found: list[Vertices | None],
    exact: bool,
) -> tuple[list[Any], list[BoolArray], bool]:
    """Exact vertices where needed: re-solve the float candidates, or enumerate exhaustively.

    Exact games re-solve every vertex that is matched or looks degenerate in floats (the only
    ones whose coordinates or label counts matter), or every vertex when some constraint value
    is ambiguous (within ``_AMBIGUOUS`` of tight but not within tolerance); a disagreement
    between float and exact labels, or a Qhull failure, switches to the exhaustive enumeration.
    """
    # exact arithmetic on the payoffs as given (floats by their decimal repr), so ties stay ties
    shifted = [
        (p - p.min() + 1).tolist()
        for p in (
            np.vectorize(to_fraction, otypes=[object])(np.asarray(q, dtype=object)) for q in (a, b)
        )
    ]
    rational = _systems(shifted[0], shifted[1], Fraction(1), Fraction(0))
    m = len(shifted[0])
    nonnegs, dims = (slice(0, m), slice(m, None)), (m, len(shifted[0][0]))
    points: list[Any] = []
    tights: list[BoolArray] = []
    if exact and all(f is not None for f in found):
        tights = [f[1] for f in found if f is not None]
        ix, iy = _match(tights[0], tights[1])
        try:
            for side, tight in enumerate(tights):
                rows = np.union1d((ix, iy)[side], np.flatnonzero(tight.sum(axis=1) > dims[side]))
                if any(f[3] for f in found if f is not None):
                    rows = np.arange(len(tight))
                points.append(_rational_vertices(*rational[side], nonnegs[side], tight, rows)[0])
            return points, tights, False
        except ArithmeticError:
            points, tights = [], []
    for side, f in enumerate(found):
        if f is not None and not exact:
            points.append(f[0])
            tights.append(f[1])
            continue
        pts, tight = _rational_vertices(*rational[side], nonnegs[side], None, None)
        dim = dims[side]
        points.append(
            pts
            if exact
            else np.array([[float(v) for v in pts[r]] for r in range(len(pts))]).reshape(-1, dim)
        )
        tights.append(tight)
    return points, tights, True


def _mixed(points: Any, zero: BoolArray, rows: npt.NDArray[np.intp], exact: bool) -> list[Vector]:
    """Polytope points ``rows`` scaled to mixed strategies (labelled-zero coordinates exactly 0)."""
    if exact:
        out: list[Vector] = []
        for r in rows.tolist():
            total = sum(points[r], Fraction(0))
            out.append(
                tuple(Fraction(0) if zero[r, i] else v / total for i, v in enumerate(points[r]))
            )
        return out
    z = np.where(zero[rows], 0.0, np.maximum(points[rows], 0.0))
    z /= z.sum(axis=1, keepdims=True)
    return list(map(tuple, z.tolist()))


def _exact_game(game: Game) -> Game:
    if game.is_exact:
        return game
    frac = np.vectorize(to_fraction, otypes=[object])(game.payoffs)
    return Game(game.players, game.strategies, frac, game.title, True)


def require_two_players(game: Game) -> None:
    if game.n_players != 2:
        raise SolverError(f"the bimatrix solvers need 2 players, not {game.n_players}")


def solve_bimatrix(game: Game, *, exact: bool | None = None) -> Result:
    """All equilibria of a two-player game by vertex enumeration (method ``"vertex"``).

    Complete for every game: nondegenerate games have finitely many equilibria, all listed;
    degenerate games list the extreme equilibria and group them into ``components`` (maximal
    Nash subsets, whose convex hulls are equilibria too).  ``exact`` defaults to
    ``game.is_exact``; ``exact=True`` on a float game solves its decimal values exactly.
    """
    require_two_players(game)
    exact = game.is_exact if exact is None else exact
    target = _exact_game(game) if exact else game.as_float()
    ext = extreme_equilibria(target.payoffs[0], target.payoffs[1], exact=exact)
    eqs, kept = verified(target, ext.pairs)
    comps = tuple(
        c for c in (tuple(kept[k] for k in comp if k in kept) for comp in ext.components) if c
    )
    notes: list[str] = []
    if ext.degenerate:
        notes.append(
            f"degenerate game: {len(eqs)} extreme equilibria in {len(comps)} maximal Nash "
            "subset(s); every convex combination of extreme equilibria within a component "
            "is an equilibrium too"
        )
    if ext.fallback:
        notes.append("Qhull was replaced by exhaustive exact vertex enumeration for a polytope")
    if len(kept) < len(ext.pairs):
        notes.append(dropped_note(len(ext.pairs) - len(kept)))
    return Result(
        game,
        tuple(eqs),
        "vertex",
        len(kept) == len(ext.pairs),
        ext.degenerate,
        exact,
        tuple(notes),
        comps,
    )
