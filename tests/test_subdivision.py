"""Certified subdivision for n-player indifference systems (solver.equilibria.nplayer.subdivision).

Against pygambit's ``enumpoly`` on Gambit's own n-player files (every equilibrium it finds must be
among ours; it misses some) and against hand derivations: the roots of McKelvey & McLennan's
2x2x2 full-support system, a continuum handed to exact algebra, invariance under affine payoff
changes and relabelling.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from oracle import gambit_equilibria_many

from solver.core.game import Game
from solver.equilibria.nplayer.multilinear import layout
from solver.equilibria.nplayer.polynomial import solve_polynomial
from solver.equilibria.nplayer.subdivision import isolate
from solver.equilibria.verify import max_regret, regret_tolerance

GAMES = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit" / "contrib" / "games"


def _mm() -> np.ndarray:
    """McKelvey & McLennan's 2x2x2 game (Gambit's contrib/games/2x2x2.nfg)."""
    u = np.zeros((3, 2, 2, 2))
    u[:, 0, 0, 0], u[:, 1, 1, 0] = (9, 8, 12), (9, 8, 2)
    u[:, 0, 1, 1] = u[:, 1, 0, 1] = (3, 4, 6)
    return u


def test_full_support_roots_of_mckelvey_mclennan() -> None:
    """The game has nine equilibria, two of them completely mixed (McKelvey & McLennan 1997,
    the example behind Gambit's file); player 1 puts 1/2 on its second strategy in one and 3/5 in
    the other.  The full-support system has exactly these two roots in the box."""
    [roots] = isolate(layout(list(_mm()), [((0, 1), (0, 1), (0, 1))]))
    assert roots is not None and len(roots) == 2
    assert sorted(round(float(r[0]), 9) for r in roots) == [0.5, 0.6]


def test_continuum_is_handed_to_exact_algebra() -> None:
    """Player 3's payoff is constant, so its equation vanishes identically: the solution set is a
    curve, no box certifies, and the support is handed back (``None``)."""
    u = _mm()
    u[2] = 1.0
    assert isolate(layout(list(u), [((0, 1), (0, 1), (0, 1))]), max_boxes=20_000) == [None]


def _profiles(game: Game) -> list[tuple[tuple[float, ...], ...]]:
    res = solve_polynomial(game, exact=False)
    assert res.complete
    for e in res.equilibria:
        assert max_regret(game.as_float(), e.vectors) <= regret_tolerance(game.as_float())
    return sorted(tuple(tuple(round(float(v), 7) for v in vec) for vec in e.vectors) for e in res.equilibria)


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["seed0", "seed1", "seed2"])
def test_affine_and_relabelling_invariance(seed: int) -> None:
    rng = np.random.default_rng(seed)
    u = rng.integers(-100, 101, size=(3, 3, 3, 2))
    base = _profiles(Game.from_arrays(u.tolist()))
    scaled = _profiles(Game.from_arrays((3 * u + np.array([5, -7, 11])[:, None, None, None]).tolist()))
    assert scaled == base
    perm = [2, 0, 1]
    swapped = _profiles(Game.from_arrays(u[:, perm].tolist()))
    back = sorted(tuple((tuple(p[0][perm.index(k)] for k in range(3)), *p[1:])) for p in swapped)
    assert back == base


GAMBIT_FILES = ["5x4x3.nfg", "3x3x3.nfg", "2x2x2x2.nfg", "coord333.nfg", "g3.nfg", "e04.nfg", "8x2x2.nfg"]


@pytest.mark.parametrize("name", GAMBIT_FILES, ids=GAMBIT_FILES)
def test_gambit_files_complete_and_contain_enumpoly(name: str) -> None:
    path = GAMES / name
    if not path.exists():
        pytest.skip("../shared games not available")
    from solver.formats.nfg import read_nfg

    game = read_nfg(path)
    if len(game.players) < 3:
        pytest.skip("a two-player file")
    res = solve_polynomial(game)
    assert res.complete, res.notes
    fgame = game.as_float()
    for e in res.equilibria:
        exact = all(isinstance(v, Fraction) for vec in e.vectors for v in vec)
        assert max_regret(game if exact else fgame, e.vectors) <= (0 if exact else regret_tolerance(fgame))
    [theirs] = gambit_equilibria_many([game], "enumpoly", rational=False, timeout=60)
    for eq in theirs:
        assert any(_close(eq, e.vectors) for e in res.equilibria), eq


def _close(theirs: list[list[float]], ours: Any) -> bool:
    pairs = [(float(a), float(b)) for va, vb in zip(theirs, ours, strict=True) for a, b in zip(va, vb, strict=True)]
    return max(abs(a - b) for a, b in pairs) < 1e-5
