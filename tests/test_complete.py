"""``complete`` never lies (issue 9, part 1).

Two tables:
- every path that can return ``complete = False`` does so, each forced on a small game (some by
  replacing one internal step with a stub that misbehaves the way the real step could);
- no method ever returns ``complete = True`` with fewer equilibria than the exact reference:
  pygambit (``enummixed`` in rationals for two players, ``enumpoly`` for more) or a hand count,
  never our own code by another path.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as F
from typing import Any

import numpy as np
import pytest
from oracle import gambit_equilibria_many

from solver.core.errors import ModelError
from solver.core.game import Game
from solver.core.result import Result
from solver.core.tree import decision, from_named, leaf
from solver.equilibria import solve
from solver.equilibria.trees.sequential import solve_numeric_tree, solve_tree
from solver.equilibria.verify import is_equilibrium
from solver.formats import load

BOS = Game.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], title="battle of the sexes")
#: von Stengel (2007)'s 3x2 example made degenerate: row 1 gives the column player a tie
DEGENERATE = Game.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]], title="degenerate 3x2")
#: McKelvey & McLennan's 2x2x2 game with 9 equilibria (hand count, McKelvey & McLennan 1997)
_MM = np.zeros((3, 2, 2, 2), dtype=int)
_MM[:, 0, 0, 0], _MM[:, 1, 1, 0] = (9, 8, 12), (9, 8, 2)
_MM[:, 0, 1, 1] = _MM[:, 1, 0, 1] = (3, 4, 6)
MCKELVEY_MCLENNAN = Game.from_arrays(_MM.tolist(), title="McKelvey-McLennan 2x2x2")


def random_game(shape: tuple[int, ...], seed: int, spread: int = 50) -> Game:
    """Integer payoffs in ``[-spread, spread]`` (generic: no ties in practice)."""
    rng = np.random.default_rng(seed)
    return Game.from_arrays(rng.integers(-spread, spread + 1, size=(len(shape), *shape)).tolist())


def irrational_game() -> Game:
    """A nondegenerate 2x2x2 game whose equilibria include an irrational one (the first seed)."""
    for seed in range(200):
        g = random_game((2, 2, 2), seed)
        res = solve(g)
        if res.complete and any(e.extra.get("irrational") for e in res.equilibria):
            return g
    raise AssertionError("no 2x2x2 game with an irrational equilibrium among the seeds")


def verified(res: Result) -> None:
    """Every reported profile passes the regret check (in floats where it is a float profile:
    irrational equilibria are Newton-polished floats)."""
    for e in res.equilibria:
        if e.vectors and all(e.vectors):
            exact = all(isinstance(v, F) for vec in e.vectors for v in vec)
            assert is_equilibrium(res.game if exact else res.game.as_float(), e.vectors), e.describe()


# --- every path that returns complete = False ---------------------------------------------------


def _vertex_drops(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.twoplayer import vertex

    real = vertex.extreme_equilibria

    def bogus(a: Any, b: Any, exact: bool = False) -> Any:
        ext = real(a, b, exact)
        bad = ((F(1), F(0)), (F(0), F(1)))  # (row 1, column 2): not an equilibrium of BoS
        return vertex.Extreme((*ext.pairs, bad), ext.degenerate, (*ext.components, (len(ext.pairs),)))

    mp.setattr(vertex, "extreme_equilibria", bogus)
    return vertex.solve_bimatrix(BOS)


def _support_drops(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.twoplayer import support

    real = support.support_enumeration

    def bogus(*args: Any, **kwargs: Any) -> Any:
        pairs, degenerate, stopped = real(*args, **kwargs)
        return [*pairs, ((F(1), F(0)), (F(0), F(1)))], degenerate, stopped

    mp.setattr(support, "support_enumeration", bogus)
    return solve(BOS, method="support")


def _nashpy_vertex_short(mp: pytest.MonkeyPatch) -> Result:
    import nashpy

    real = nashpy.Game.vertex_enumeration

    def fewer(self: Any) -> Any:
        yield from list(real(self))[:-1]  # nashpy missing one equilibrium in floating point

    mp.setattr(nashpy.Game, "vertex_enumeration", fewer)
    return solve(BOS, method="nashpy-vertex")


def _nashpy_drops(mp: pytest.MonkeyPatch) -> Result:
    import nashpy

    real = nashpy.Game.vertex_enumeration

    def bogus(self: Any) -> Any:
        yield from real(self)
        yield (np.array([1.0, 0.0]), np.array([0.0, 1.0]))  # not an equilibrium of BoS

    mp.setattr(nashpy.Game, "vertex_enumeration", bogus)
    return solve(BOS, method="nashpy-vertex")


def _algebra_gave_up(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.nplayer import polynomial

    real = polynomial.solve_polys

    def gives_up(polys: Any, m: int, seed: int = 0) -> Any:
        sols = real(polys, m, seed)
        return sols._replace(solved=False) if m > 1 else sols

    mp.setattr(polynomial, "solve_polys", gives_up)
    mp.setattr(polynomial, "eliminate", lambda system, exact=True: None)
    return solve(MCKELVEY_MCLENNAN)


def _unverifiable_candidate(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.nplayer import polynomial

    game = irrational_game()
    mp.setattr(polynomial, "newton", lambda system, x0, steps=30: np.asarray(x0, dtype=float) + 0.05)
    return solve(game)


def _tree_normal_form_too_large(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.trees import sequential

    def too_large(tree: Any, root: int = 0, **kwargs: Any) -> Any:
        raise ModelError("reduced normal form too large (stub)")

    mp.setattr(sequential, "normal_form", too_large)
    return solve_tree(load("entry_deterrence"))


def _tree_spe_truncated(mp: pytest.MonkeyPatch) -> Result:
    from solver.equilibria.trees import backward

    real = backward.all_spe
    mp.setattr(backward, "all_spe", lambda tree, limit=backward.MAX_SPE: (real(tree, limit)[0], False))
    return solve_tree(load("entry_deterrence"), nash="all")


def _regions_too_many_supports(mp: pytest.MonkeyPatch) -> Any:
    from solver.analysis import regions

    mp.setattr(regions, "MAX_SUPPORTS", 2)
    return regions.regions(load("chicken"), free=["T"])


def _regions_support_timeout(mp: pytest.MonkeyPatch) -> Any:
    from solver.analysis.regions import regions

    return regions(load("syria_triad"), ["iran_cost", "entrench_cost"], timeout_per_support=0.01)


PATHS: dict[str, Callable[[pytest.MonkeyPatch], Any]] = {
    "pure-method-two-players": lambda mp: solve(BOS, method="pure"),
    "vertex-dropped-candidate": _vertex_drops,
    "support-degenerate": lambda mp: solve(DEGENERATE, method="support"),
    "support-dropped-candidate": _support_drops,
    "nashpy-support-always": lambda mp: solve(BOS, method="nashpy-support"),
    "nashpy-lemke-howson-always": lambda mp: solve(BOS, method="nashpy-lh"),
    "nashpy-vertex-degenerate": lambda mp: solve(DEGENERATE, method="nashpy-vertex"),
    "nashpy-vertex-fewer-than-vertex-enumeration": _nashpy_vertex_short,
    "nashpy-dropped-profile": _nashpy_drops,
    "polynomial-continuum": lambda mp: solve(Game.from_arrays(np.zeros((3, 2, 2, 2), dtype=int).tolist())),
    "polynomial-algebra-gave-up": _algebra_gave_up,
    "polynomial-unverifiable-candidate": _unverifiable_candidate,
    "tree-pure-only": lambda mp: solve_tree(load("entry_deterrence")),
    "tree-normal-form-too-large": _tree_normal_form_too_large,
    "tree-spe-list-truncated": _tree_spe_truncated,
    "regions-too-many-supports": _regions_too_many_supports,
    "regions-support-timeout": _regions_support_timeout,
}


@pytest.mark.parametrize("path", list(PATHS), ids=list(PATHS))
def test_path_returns_incomplete(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    res = PATHS[path](monkeypatch)
    assert res.complete is False
    assert res.notes, "an incomplete result says why"
    if isinstance(res, Result):
        verified(res)


def test_unverifiable_candidate_is_named() -> None:
    mp = pytest.MonkeyPatch()
    try:
        res = _unverifiable_candidate(mp)
    finally:
        mp.undo()
    assert any("could not be verified" in n for n in res.notes)


def test_tree_too_large_says_nash_equilibria_were_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    res = _tree_normal_form_too_large(monkeypatch)
    assert any("not searched" in n for n in res.notes) and not res.complete
    assert [e.extra["subgame_perfect"] for e in res.equilibria] == [True]  # the SPE is still found


# --- subgame perfection: "unknown" where a mixed completion might be needed ----------------------


def _mixed_completion_tree() -> Any:
    """P1 stays Out (1, 0) or enters a subgame where it picks L or R and P2, not seeing which,
    picks x, y or z.  P1 gets 0 whatever happens inside, so (Out, z) is Nash.  z is P2's best
    reply only to P1 mixing L and R with probabilities in [1/3, 2/3] (x pays 3 against L, y 3
    against R, z always 2): subgame perfect with a mixed completion, with no pure one."""
    return from_named(
        ("P1", "P2"),
        "root",
        {
            "root": decision("P1", {"Out": "o", "In": "h"}),
            "o": leaf((1, 0)),
            "h": decision("P1", {"L": "l", "R": "r"}),
            "l": decision("P2", {"x": "lx", "y": "ly", "z": "lz"}, infoset="p2"),
            "r": decision("P2", {"x": "rx", "y": "ry", "z": "rz"}, infoset="p2"),
            "lx": leaf((0, 3)),
            "ly": leaf((0, 0)),
            "lz": leaf((0, 2)),
            "rx": leaf((0, 0)),
            "ry": leaf((0, 3)),
            "rz": leaf((0, 2)),
        },
    )


def test_mixed_completion_makes_subgame_perfection_true_not_false() -> None:
    res = solve_numeric_tree(_mixed_completion_tree())
    marks = {e.describe(): e.extra["subgame_perfect"] for e in res.equilibria}
    # pure completions fail; the support-pattern search finds the mixed one (P1 mixes L and R
    # with probability 1/3 or 2/3 off the path), so (Out, z) is subgame perfect
    assert marks == {"pure (Out/*, z)": True, "pure (Out/*, x)": True, "pure (Out/*, y)": True}
    assert len(res.equilibria) == 3
    (z,) = [e for e in res.equilibria if e.describe() == "pure (Out/*, z)"]
    assert min(abs(float(z.extra["behaviour"]["P1"]["h"]["L"]) - x) for x in (1 / 3, 2 / 3)) < 1e-9


def test_fully_specified_failure_stays_false() -> None:
    # Selten's chain store: Fight is specified, so no completion can rescue (Out, Fight)
    marks = {e.describe(): e.extra["subgame_perfect"] for e in solve_tree(load("entry_deterrence")).equilibria}
    assert marks == {"pure (In, Accommodate)": True, "pure (Out, Fight)": False}


def test_generic_perfect_information_tree_keeps_false() -> None:
    # no ties: the unique SPE play is pure, so pure completions are all there is to try
    marks = [e.extra["subgame_perfect"] for e in solve_tree(load("syria_sequential")).equilibria]
    assert marks.count(True) == 1 and marks.count(False) == 11


# --- no method claims completeness with fewer equilibria than the exact reference ---------------

TWO_PLAYER = {
    "bos": BOS,
    "degenerate-3x2": DEGENERATE,
    "random-4x4-a": random_game((4, 4), 4000),
    "random-4x4-b": random_game((4, 4), 4005),
    "random-5x5-a": random_game((5, 5), 5001),
    "random-5x5-b": random_game((5, 5), 5002),
    "ties-4x3": random_game((4, 3), 7, spread=2),
}
MANY_PLAYERS = {
    "mckelvey-mclennan": MCKELVEY_MCLENNAN,
    "random-2x2x2": random_game((2, 2, 2), 11),
    "random-3x2x2": random_game((3, 2, 2), 12, spread=9),
    "random-2x2x2x2": random_game((2, 2, 2, 2), 14, spread=9),
}
#: hand counts where pygambit's enumpoly is known to miss equilibria on other games
HAND_COUNTS = {"mckelvey-mclennan": 9}
TWO_METHODS = ("auto", "vertex", "support", "nashpy-vertex", "nashpy-support", "nashpy-lh", "pure")
MANY_METHODS = ("auto", "polynomial", "pure")
CASES = [(g, m) for g in TWO_PLAYER for m in TWO_METHODS] + [(g, m) for g in MANY_PLAYERS for m in MANY_METHODS]


@pytest.fixture(scope="module")
def references() -> dict[str, list[Any]]:
    two = gambit_equilibria_many(list(TWO_PLAYER.values()), "enummixed", rational=True)
    many = gambit_equilibria_many(list(MANY_PLAYERS.values()), "enumpoly")
    return dict(zip([*TWO_PLAYER, *MANY_PLAYERS], [*two, *many], strict=True))


def _close(a: Any, b: Any, tol: float = 1e-6) -> bool:
    return all(abs(float(p) - float(q)) <= tol for x, y in zip(a, b, strict=True) for p, q in zip(x, y, strict=True))


@pytest.mark.parametrize(("game", "method"), CASES, ids=[f"{g}-{m}" for g, m in CASES])
def test_complete_never_has_fewer_than_the_reference(game: str, method: str, references: dict[str, Any]) -> None:
    g = {**TWO_PLAYER, **MANY_PLAYERS}[game]
    res = solve(g, method=method)
    verified(res)
    if not res.complete:
        return
    ref = references[game]
    missing = [r for r in ref if not any(_close(r, e.vectors) for e in res.equilibria)]
    assert not missing, f"{method} claims completeness but misses {missing}"
    assert len(res) >= max(len(ref), HAND_COUNTS.get(game, 0))


def test_nashpy_support_misses_on_a_random_game_and_says_so(references: dict[str, Any]) -> None:
    # the observation: 2 of 3 equilibria of a nondegenerate 4x4 game, once flagged complete
    res = solve(TWO_PLAYER["random-4x4-a"], method="nashpy-support")
    assert len(res) < len(references["random-4x4-a"]) and not res.complete and not res.degenerate


TREES = {
    "zagare-kilgour": lambda: solve_tree(load("zagare_kilgour_deterrence")),
    "mixed-completion": lambda: solve_numeric_tree(_mixed_completion_tree()),
}


@pytest.mark.parametrize("name", list(TREES), ids=list(TREES))
def test_tree_complete_never_has_fewer_than_the_reference(name: str) -> None:
    res = TREES[name]()
    verified(res)
    (ref,) = gambit_equilibria_many([res.game], "enummixed", rational=True)
    if res.complete:
        assert all(any(_close(r, e.vectors) for e in res.equilibria) for r in ref)
