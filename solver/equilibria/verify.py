"""Verification by regret: the one test every reported equilibrium passes.

A profile ``σ`` is a Nash equilibrium iff every player's *regret*, the best pure payoff against
``σ_-i`` minus the payoff of ``σ_i``, is zero (Nash 1951).  Exact games give exact regrets.

>>> from solver.core.game import Game
>>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> max_regret(pd, [[0, 1], [0, 1]]), max_regret(pd, [[1, 0], [1, 0]])
(Fraction(0, 1), Fraction(2, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.game import Game, Number, to_fraction
from solver.core.result import Equilibrium


def _vectors(game: Game, vectors: Sequence[Sequence[Any]]) -> list[npt.NDArray[Any]]:
    if game.is_exact:
        return [np.array([to_fraction(v) for v in vec], dtype=object) for vec in vectors]
    return [np.asarray(vec, dtype=float) for vec in vectors]


def pure_payoffs(game: Game, vectors: Sequence[Sequence[Any]], player: int) -> npt.NDArray[Any]:
    """Payoff of each pure strategy of ``player`` against the others' mixed strategies."""
    vecs = _vectors(game, vectors)
    t = game.payoffs[player]
    for j in range(game.n_players - 1, -1, -1):
        if j != player:
            t = np.tensordot(t, vecs[j], axes=([j], [0]))
    return np.asarray(t)


def regrets(
    game: Game, vectors: Sequence[Sequence[Any]]
) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
    """Per-player (regret, expected payoff)."""
    vecs = _vectors(game, vectors)
    if game.n_players == 2 and not game.is_exact:  # bimatrix fast path: two matrix-vector products
        a, b = game.payoffs
        x, y = vecs
        u_row, u_col = a @ y, x @ b
        v_row, v_col = float(u_row @ x), float(u_col @ y)
        return (float(u_row.max()) - v_row, float(u_col.max()) - v_col), (v_row, v_col)
    regs: list[Number] = []
    vals: list[Number] = []
    for i in range(game.n_players):
        u = pure_payoffs(game, vectors, i)
        value = u.dot(vecs[i])
        best = max(u.tolist())
        regs.append(best - value)
        vals.append(value if game.is_exact else float(value))
    return tuple(regs), tuple(vals)


def max_regret(game: Game, vectors: Sequence[Sequence[Any]]) -> Number:
    """Largest regret over players (0 exactly at an exact equilibrium)."""
    regs, _ = regrets(game, vectors)
    return max(regs)


def bimatrix_regrets(
    game: Game, xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Max regret and both expected payoffs of many float bimatrix profiles at once.

    Row ``k`` of ``xs`` (row player) and ``ys`` (column player) is one profile: the regrets of
    :func:`regrets` (up to rounding), from two matrix products for all profiles together.

    >>> pd = Game.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]).as_float()
    >>> worst, v_row, v_col = bimatrix_regrets(pd, np.eye(2), np.eye(2))
    >>> worst.tolist(), v_row.tolist(), v_col.tolist()
    ([2.0, 0.0], [3.0, 1.0], [3.0, 1.0])
    """
    a, b = game.payoffs
    u_row, u_col = ys @ a.T, xs @ b
    v_row, v_col = (u_row * xs).sum(axis=1), (u_col * ys).sum(axis=1)
    worst = np.maximum(u_row.max(axis=1) - v_row, u_col.max(axis=1) - v_col)
    return worst, v_row, v_col


def regret_tolerance(game: Game) -> float:
    return tolerances.scaled(tolerances.REGRET, game.scale())


def is_equilibrium(game: Game, vectors: Sequence[Sequence[Any]]) -> bool:
    """Whether every regret is zero: exactly in an exact game, within :func:`regret_tolerance`
    in a float one (Nash 1951).

    >>> from solver.core.game import Game
    >>> mp = Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> is_equilibrium(mp, [[0.5, 0.5], [0.5, 0.5]]), is_equilibrium(mp, [[1, 0], [1, 0]])
    (True, False)
    """
    worst = max_regret(game, vectors)
    return worst <= 0 if game.is_exact else float(worst) <= regret_tolerance(game)


def make_equilibrium(game: Game, vectors: Sequence[Sequence[Any]], **extra: Any) -> Equilibrium:
    """Wrap a profile as an :class:`Equilibrium` after checking simplex and regret.

    Raises ``ValueError`` if the profile is not an equilibrium within tolerance: solvers must
    never report an unverified profile.
    """
    if game.is_exact:
        vecs: tuple[tuple[Number, ...], ...] = tuple(
            tuple(to_fraction(v) for v in vec) for vec in vectors
        )
        for vec in vecs:
            if any(v < 0 for v in vec) or sum(vec) != 1:
                raise ValueError(f"not a mixed strategy: {vec}")
    else:
        clean: list[tuple[Number, ...]] = []
        for raw in vectors:
            arr = np.clip(np.asarray(raw, dtype=float), 0.0, None)
            arr[arr < tolerances.PROBABILITY] = 0.0
            arr = arr / arr.sum()
            clean.append(tuple(float(v) for v in arr))
        vecs = tuple(clean)
    regs, vals = regrets(game, vecs)
    worst = max(regs)
    if float(worst) > regret_tolerance(game):
        raise ValueError(f"profile has regret {float(worst):.3g}")
    return Equilibrium(game.players, game.strategies, vecs, vals, float(worst), dict(extra))


def same_profile(a: Equilibrium, b: Equilibrium) -> bool:
    """Two equilibria are the same point (exactly, or within the duplicate tolerance)."""
    for va, vb in zip(a.vectors, b.vectors, strict=True):
        for x, y in zip(va, vb, strict=True):
            if isinstance(x, Fraction) and isinstance(y, Fraction):
                if x != y:
                    return False
            elif abs(float(x) - float(y)) > tolerances.DUPLICATE:
                return False
    return True


def dedupe(eqs: Sequence[Equilibrium]) -> list[Equilibrium]:
    out: list[Equilibrium] = []
    for e in eqs:
        if not any(same_profile(e, f) for f in out):
            out.append(e)
    return out


def verified(
    target: Game, pairs: Sequence[Sequence[Sequence[Any]]]
) -> tuple[list[Equilibrium], dict[int, int]]:
    """Equilibria that pass the regret check, and the map old pair index -> kept index."""
    eqs: list[Equilibrium] = []
    kept: dict[int, int] = {}
    for k, pair in enumerate(pairs):
        try:
            eqs.append(make_equilibrium(target, pair))
        except ValueError:
            continue
        kept[k] = len(eqs) - 1
    return eqs, kept


def verified_bimatrix(
    game: Game, pairs: Sequence[tuple[tuple[Number, ...], ...]]
) -> tuple[list[Equilibrium], dict[int, int]]:
    """:func:`verified` for a float bimatrix game, every pair at once (:func:`bimatrix_regrets`).

    The pairs must already be clean mixed strategies, as :func:`make_equilibrium` would make them
    (nonnegative, probabilities below ``PROBABILITY`` zero, normalised): vertex enumeration's are.
    """
    if not pairs:
        return [], {}
    xs = np.array([p[0] for p in pairs], dtype=float)
    ys = np.array([p[1] for p in pairs], dtype=float)
    worst, v_row, v_col = bimatrix_regrets(game, xs, ys)
    eqs: list[Equilibrium] = []
    kept: dict[int, int] = {}
    tol = regret_tolerance(game)
    rows = zip(worst.tolist(), pairs, v_row.tolist(), v_col.tolist(), strict=True)
    for k, (reg, pair, vr, vc) in enumerate(rows):
        if reg > tol:
            continue
        kept[k] = len(eqs)
        eqs.append(Equilibrium(game.players, game.strategies, pair, (vr, vc), reg, {}))
    return eqs, kept


def dropped_note(count: int) -> str:
    return f"{count} candidate profile(s) failed the regret check and were dropped"


def verified_profiles(
    game: Game, profiles: Sequence[tuple[Sequence[Sequence[Any]], Sequence[Any]]]
) -> list[Equilibrium] | None:
    """Closed-form ``(profile, payoffs)`` pairs as equilibria once their regret is within
    tolerance (exactly 0 for exact games), or ``None`` if one fails: the caller then falls back
    to a general solver.  The closed form's own payoffs are kept."""
    convert = to_fraction if game.is_exact else float
    limit = 0 if game.is_exact else regret_tolerance(game)
    eqs = []
    for profile, payoffs in profiles:
        vecs = tuple(tuple(convert(v) for v in vec) for vec in profile)
        worst = max_regret(game, vecs)
        if worst > limit:
            return None
        vals = tuple(v if game.is_exact else float(v) for v in payoffs)
        eqs.append(Equilibrium(game.players, game.strategies, vecs, vals, float(worst)))
    return eqs


def one_point(game: Game, found: Any) -> list[Equilibrium] | None:
    """The verified equilibria of a batched kernel's answer on a batch of one (``found``: a
    :class:`solver.equilibria.batched.Found`), or ``None`` if the point is suspect (a tie) or a
    candidate fails the regret check."""
    if found.suspect[0]:
        return None
    try:  # batched floats are clipped and renormalised onto the simplex, as every float solver's are
        return [make_equilibrium(game, [p[0] for p in c.probs]) for c in found.candidates if c.mask[0]]
    except ValueError:
        return None
