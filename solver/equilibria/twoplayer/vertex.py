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
facets), vertices are deduplicated by label set and pairs matched by a hash join of label
bitmasks (:mod:`.matching`: memory proportional to the vertex lists).  Large games enumerate one
polytope only and solve for the completing vertices of the other (:mod:`.partners`).  Exact
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

from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget, run_bounded
from solver.core.errors import SolverError
from solver.core.game import Game, Number, to_fraction
from solver.core.result import Result
from solver.equilibria.twoplayer.components import maximal_nash_subsets
from solver.equilibria.twoplayer.matching import complete_pairs, exact_complements
from solver.equilibria.twoplayer.partners import enumerate_vertices
from solver.equilibria.twoplayer.polytope import (
    BoolArray,
    FloatArray,
    Vertices,
    rational_vertices,
    systems,
)
from solver.equilibria.verify import dropped_note, verified, verified_bimatrix

__all__ = [
    "BoolArray",
    "Extreme",
    "FloatArray",
    "Pair",
    "Vector",
    "Vertices",
    "bounded_extreme",
    "extreme_equilibria",
    "maximal_nash_subsets",
    "require_two_players",
    "solve_bimatrix",
]

Vector = tuple[Number, ...]
Pair = tuple[Vector, Vector]
#: under a time budget, games with more constraint subsets than this enumerate their vertices in
#: a child process (Qhull cannot be interrupted); smaller ones finish in milliseconds inline
INLINE_SUBSETS = 10_000
#: share of the time budget vertex enumeration may use before Lemke-Howson gets the rest
VERTEX_SHARE = 0.75
#: share of the vertex budget after which a forked enumeration stops matching and returns
MATCH_SHARE = 0.9


@dataclass(frozen=True)
class Extreme:
    """Extreme equilibria of a bimatrix game as plain data (indices, no labels)."""

    pairs: tuple[Pair, ...]
    degenerate: bool
    #: maximal Nash subsets: indices into ``pairs`` (one singleton each when nondegenerate)
    components: tuple[tuple[int, ...], ...]
    #: the exhaustive exact enumeration replaced Qhull for at least one polytope
    fallback: bool = False
    #: False when the budget stopped the matching of degenerate vertices (pairs are a subset)
    complete: bool = True


def _match(
    tx: BoolArray, ty: BoolArray, simple: bool = False, m: int = 0
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs of completely labelled vertex pairs (:func:`.matching.complete_pairs`;
    ``simple``: both polytopes are simple, so label sets pair as exact complements)."""
    if simple:
        return exact_complements(tx, ty)
    found = complete_pairs(tx, ty, m)
    return found.ix, found.iy


def extreme_equilibria(a: Any, b: Any, exact: bool = False, budget: Budget = UNBOUNDED) -> Extreme:
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
    found = enumerate_vertices(norm, exact)
    if exact or any(f is None for f in found):
        points, tights, fallback = _rationalise(a, b, found, exact)
        degenerate = bool(
            tights[0].sum(axis=1).max(initial=0) > m or tights[1].sum(axis=1).max(initial=0) > n
        )
    else:
        points, tights, fallback = [f[0] for f in found if f], [f[1] for f in found if f], False
        degenerate = any(f[2] for f in found if f)
    matches = complete_pairs(tights[0], tights[1], m, budget)
    ix, iy = matches.ix, matches.iy
    xs = _mixed(points[0], tights[0][:, :m], ix, exact)
    ys = _mixed(points[1], tights[1][:, m:], iy, exact)
    order = sorted(range(len(xs)), key=lambda k: (xs[k], ys[k]), reverse=True)
    pairs = tuple((xs[k], ys[k]) for k in order)
    if degenerate:
        components = maximal_nash_subsets([(int(ix[k]), int(iy[k])) for k in order])
    else:
        components = tuple((k,) for k in range(len(pairs)))
    return Extreme(pairs, degenerate, components, fallback, matches.complete)


def _rationalise(
    a: Any,
    b: Any,
    found: list[Vertices | None],
    exact: bool,
) -> tuple[list[Any], list[BoolArray], bool]:
    """Exact vertices where needed: re-solve the float candidates, or enumerate exhaustively.

    Exact games re-solve every vertex that is matched or looks degenerate in floats (the only
    ones whose coordinates or label counts matter), or every vertex when some constraint value
    is ambiguous (within ``tolerances.AMBIGUOUS`` of tight but not within tolerance); a disagreement
    between float and exact labels, or a Qhull failure, switches to the exhaustive enumeration.
    """
    # exact arithmetic on the payoffs as given (floats by their decimal repr), so ties stay ties
    shifted = [
        (p - p.min() + 1).tolist()
        for p in (
            np.vectorize(to_fraction, otypes=[object])(np.asarray(q, dtype=object)) for q in (a, b)
        )
    ]
    rational = systems(shifted[0], shifted[1], Fraction(1), Fraction(0))
    m = len(shifted[0])
    nonnegs, dims = (slice(0, m), slice(m, None)), (m, len(shifted[0][0]))
    points: list[Any] = []
    tights: list[BoolArray] = []
    if exact and all(f is not None for f in found):
        tights = [f[1] for f in found if f is not None]
        ix, iy = _match(tights[0], tights[1], m=m)
        try:
            for side, tight in enumerate(tights):
                rows = np.union1d((ix, iy)[side], np.flatnonzero(tight.sum(axis=1) > dims[side]))
                ambiguous = found[side][3]  # type: ignore[index]
                rows = np.union1d(rows, np.flatnonzero(ambiguous))
                points.append(rational_vertices(*rational[side], nonnegs[side], tight, rows)[0])
            return points, tights, False
        except ArithmeticError:
            points, tights = [], []
    for side, f in enumerate(found):
        if f is not None and not exact:
            points.append(f[0])
            tights.append(f[1])
            continue
        pts, tight = rational_vertices(*rational[side], nonnegs[side], None, None)
        dim = dims[side]
        points.append(
            pts
            if exact
            else np.array([[float(v) for v in pts[r]] for r in range(len(pts))]).reshape(-1, dim)
        )
        tights.append(tight)
    return points, tights, True


def _mixed(points: Any, zero: BoolArray, rows: npt.NDArray[np.intp], exact: bool) -> list[Vector]:
    """Polytope points ``rows`` scaled to mixed strategies (labelled-zero coordinates exactly 0;
    floats also get :func:`~solver.equilibria.verify.make_equilibrium`'s cleaning: probabilities
    below ``PROBABILITY`` become 0, then renormalise, as
    :func:`~solver.equilibria.verify.verified_bimatrix` requires)."""
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
    z[z < tolerances.PROBABILITY] = 0.0
    z /= z.sum(axis=1, keepdims=True)
    return list(map(tuple, z.tolist()))


def require_two_players(game: Game) -> None:
    if game.n_players != 2:
        raise SolverError(f"the bimatrix solvers need 2 players, not {game.n_players}")


def bounded_extreme(a: Any, b: Any, exact: bool, budget: Budget) -> Extreme | None:
    """:func:`extreme_equilibria` within ``budget``: inline for small games (at most
    ``INLINE_SUBSETS`` constraint subsets), else in a forked child killed when the budget is
    spent (Qhull cannot be interrupted); ``None`` when it did not finish."""
    m, n = np.shape(a)
    if not budget.bounded or comb(m + n, m) <= INLINE_SUBSETS:
        return extreme_equilibria(a, b, exact=exact)
    child = budget.share(MATCH_SHARE)  # the matching stops itself before the child is killed
    [(status, ext)] = run_bounded(
        [(extreme_equilibria, (a, b, exact, child))], None, budget=budget, phase="vertex enumeration"
    )
    if status == "ok":
        return ext  # type: ignore[no-any-return]
    if status == "timeout":
        return None
    raise SolverError(f"vertex enumeration failed: {ext}")


def solve_bimatrix(game: Game, *, exact: bool | None = None, budget: Budget = UNBOUNDED) -> Result:
    """All equilibria of a two-player game by vertex enumeration (method ``"vertex"``).

    Complete for every game: nondegenerate games have finitely many equilibria, all listed;
    degenerate games list the extreme equilibria and group them into ``components`` (maximal
    Nash subsets, whose convex hulls are equilibria too).  ``exact`` defaults to
    ``game.is_exact``; ``exact=True`` on a float game solves its decimal values exactly.  When
    ``budget`` runs out first, :func:`.fallback.unfinished` says what the time left still found.
    """
    require_two_players(game)
    exact = game.is_exact if exact is None else exact
    target = game.as_exact() if exact else game.as_float()
    budget.report("vertex enumeration", 0.0)
    ext = bounded_extreme(target.payoffs[0], target.payoffs[1], exact, budget.share(VERTEX_SHARE))
    if ext is None:
        from solver.equilibria.twoplayer.fallback import unfinished

        return unfinished(target, budget)
    budget.report("vertex enumeration", 1.0)
    eqs, kept = verified(target, ext.pairs) if exact else verified_bimatrix(target, ext.pairs)
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
    limits: tuple[str, ...] = ()
    if not ext.complete:
        limits = (budget.limit("vertex matching", "pairs with a degenerate vertex were partly"),)
        notes.extend(limits)
    return Result(
        game,
        tuple(eqs),
        "vertex",
        ext.complete and len(kept) == len(ext.pairs),
        ext.degenerate,
        exact,
        tuple(notes),
        comps,
        limits=limits,
        time_budget=budget.seconds,
    )
