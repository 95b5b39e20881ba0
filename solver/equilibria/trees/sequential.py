"""Equilibria of game trees: subgame-perfect (backward induction) and Nash via the reduced
normal form, each marked subgame perfect or not, with behaviour strategies and paths.

* Perfect information: every pure SPE by backward induction, ties branching (:mod:`.backward`).
* Any tree: the Nash equilibria of the reduced normal form (:func:`solver.equilibria.solve`),
  turned into behaviour strategies by Kuhn's theorem (1953).  An equilibrium is subgame perfect
  (Selten 1965) if, completing its behaviour where its own moves make it unspecified, it is a
  Nash equilibrium of every subgame; checked on each subgame's reduced normal form.
* Incomplete information enters as a chance move over types (Harsanyi 1967-68); where a player
  has information sets with several nodes, :mod:`.bayesian` adds beliefs and the weak perfect
  Bayesian test (sequential rationality given Bayes-consistent beliefs).

>>> from solver.formats import load
>>> r = solve_tree(load("entry_deterrence"))
>>> [(e.describe(), e.extra["subgame_perfect"]) for e in r.equilibria]
[('pure (In, Accommodate)', True), ('pure (Out, Fight)', False)]
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.errors import ModelError, SolverError
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, NormalForm, behaviour_from_mixed, mixed_from_behaviour, normal_form
from solver.equilibria.verify import make_equilibrium, regret_tolerance, regrets

#: ``nash="auto"`` runs the general solver up to this many profiles (two players / more)
AUTO_ALL_TWO = 10_000
AUTO_ALL_MANY = 64
#: at most this many pure completions of unspecified behaviour are tried per equilibrium
MAX_COMPLETIONS = 256


def solve_tree(
    model: Model,
    values: Mapping[str, Any] | None = None,
    *,
    exact: bool | None = None,
    nash: str = "auto",
) -> Result:
    """Every equilibrium found for the tree of ``model`` at ``values`` (see module docstring).

    ``nash``: which Nash equilibria of the reduced normal form to add to the SPE: ``"all"``
    (the core solver: every extreme equilibrium), ``"pure"``, or ``"auto"`` (pure for
    perfect-information trees, whose reduced forms are degenerate; all otherwise).
    """
    if model.tree is None:
        raise SolverError("not an extensive-form model")
    tree = model.tree.at(
        model.values(values) if model.tree.symbolic else None, exact=exact is not False
    )
    return solve_numeric_tree(tree, title=model.title, nash=nash)


def solve_numeric_tree(tree: Tree, *, title: str = "", nash: str = "auto") -> Result:
    """:func:`solve_tree` on a numeric :class:`~solver.core.tree.Tree`."""
    if nash not in ("auto", "all", "pure"):
        raise SolverError(f"unknown nash option {nash!r} (auto, all, pure)")
    recall, bad = tree.perfect_recall()
    try:
        nf: NormalForm | None = normal_form(tree)
    except ModelError:
        nf = None
    notes: list[str] = []
    if nash == "auto":
        nash = "pure" if tree.perfect_information else "all"
        size = 0 if nf is None else nf.payoffs[0].size
        if nash == "all" and size > (AUTO_ALL_TWO if len(tree.players) == 2 else AUTO_ALL_MANY):
            nash = "pure"
            notes.append(
                "reduced normal form too large for the general solver: mixed Nash "
                "equilibria not searched (solve_tree(..., nash='all') forces it)"
            )
    game = _game(tree, nf, title)
    eqs: list[Equilibrium] = []
    complete = True
    degenerate = False
    methods = []
    if tree.perfect_information:
        from solver.equilibria.trees.backward import all_spe

        spes, complete = all_spe(tree)
        methods.append("backward induction")
        degenerate = len(spes) > 1
        if not complete:
            notes.append("more subgame-perfect equilibria exist than were listed")
        for moves, vals in spes:
            beh: Behaviour = [{} for _ in tree.players]
            for h, a in moves.items():
                pl = tree.infosets[h].player
                beh[pl][h] = [Fraction(int(k == a)) for k in range(len(tree.infosets[h].actions))]
            eqs.append(_equilibrium(tree, nf, game, beh, True, vals))
    if nf is None:
        notes.append(
            "reduced normal form too large: "
            "Nash equilibria that are not subgame perfect not searched"
        )
        if not tree.perfect_information:
            raise SolverError(
                "reduced normal form too large for this tree without perfect information"
            )
    else:
        from solver.equilibria import solve

        if nash == "pure":
            core = _pure(game)
        else:
            try:
                core = solve(game)
            except (ImportError, SolverError) as exc:
                core = _pure(game)
                notes.append(f"general solver unavailable ({exc}); pure equilibria only")
        methods.append(f"reduced normal form ({core.method})")
        cache: dict[int, NormalForm | None] = {}
        complete = complete and core.complete
        degenerate = degenerate or core.degenerate
        notes.extend(core.notes)
        seen = {_key(f) for f in eqs}
        for e in core.equilibria:
            if _key(e) in seen:
                continue
            seen.add(_key(e))
            if not recall:
                eqs.append(
                    Equilibrium(
                        e.players,
                        e.strategies,
                        e.vectors,
                        e.values,
                        e.max_regret,
                        {"subgame_perfect": None, "behaviour": None},
                    )
                )
                continue
            beh = behaviour_from_mixed(tree, nf, e.vectors)
            full, spe = _complete(tree, beh, cache)
            eqs.append(_equilibrium(tree, nf, game, full, spe, e.values, partial=beh, verified=e))
    if not recall:
        notes.append(
            f"imperfect recall at information set {bad!r}: behaviour strategies not derived"
        )
    eqs.sort(key=lambda e: not e.extra.get("subgame_perfect"))
    method = " + ".join(methods)
    return Result(
        game, tuple(eqs), method, complete, degenerate, game.is_exact, tuple(dict.fromkeys(notes))
    )


def _game(tree: Tree, nf: NormalForm | None, title: str) -> Game:
    import numpy as np

    if nf is None:
        shape = (len(tree.players),) + (0,) * len(tree.players)
        return Game(
            tree.players,
            tuple(() for _ in tree.players),
            np.empty(shape, dtype=object),
            title,
            True,
        )
    exact = all(isinstance(v, Fraction) for v in nf.payoffs.flat)
    pay = nf.payoffs if exact else nf.payoffs.astype(float)
    return Game(tree.players, nf.strategies, pay, title or tree.title, exact)


def _key(e: Equilibrium) -> tuple[tuple[Any, ...], ...]:
    """Hashable identity of a profile (exact numbers compare equal across int/Fraction)."""
    return tuple(tuple(vec) for vec in e.vectors)


def _equilibrium(
    tree: Tree,
    nf: NormalForm | None,
    game: Game,
    beh: Behaviour,
    spe: bool | None,
    vals: Any,
    partial: Behaviour | None = None,
    verified: Equilibrium | None = None,
) -> Equilibrium:
    from solver.equilibria.trees.paths import behaviour_json, path_json

    extra: dict[str, Any] = {
        "behaviour": behaviour_json(tree, beh),
        "path": path_json(tree, beh),
        "subgame_perfect": spe,
    }
    if partial is not None and any(len(p) != len(b) for p, b in zip(partial, beh, strict=True)):
        extra["completed_off_own_path"] = True
    if not tree.perfect_information:
        from solver.equilibria.trees.bayesian import beliefs_extra

        extra.update(beliefs_extra(tree, beh))
    if nf is None:
        from solver.equilibria.trees.paths import short

        extra["description"] = "pure SPE " + short(tree, beh)
        return Equilibrium(
            tree.players, game.strategies, tuple(() for _ in tree.players), tuple(vals), 0.0, extra
        )
    if verified is not None:  # already checked by the solver that found it
        return Equilibrium(
            verified.players,
            verified.strategies,
            verified.vectors,
            verified.values,
            verified.max_regret,
            {**verified.extra, **extra},
        )
    vectors = mixed_from_behaviour(nf, beh)
    return make_equilibrium(game, vectors, **extra)


def _pure(game: Game) -> Result:
    """Pure equilibria, checked exactly by :func:`.pure.pure_equilibria` (no float regret pass)."""
    from solver.equilibria.pure import pure_equilibria

    eqs = []
    for idx in pure_equilibria(game):
        vecs = tuple(
            tuple(Fraction(int(k == idx[i])) for k in range(m)) for i, m in enumerate(game.shape)
        )
        eqs.append(Equilibrium(game.players, game.strategies, vecs, game.payoff(idx), 0.0, {}))
    return Result(
        game,
        tuple(eqs),
        "pure",
        False,
        False,
        game.is_exact,
        (
            "pure strategies only: mixed Nash equilibria of the reduced normal form "
            "were not searched",
        ),
    )


def _complete(
    tree: Tree, beh: Behaviour, cache: dict[int, NormalForm | None]
) -> tuple[Behaviour, bool | None]:
    """Fill unspecified infosets with pure actions; the first completion that is a Nash
    equilibrium in every subgame makes the equilibrium subgame perfect."""
    missing = [h for h, s in enumerate(tree.infosets) if s.player >= 0 and h not in beh[s.player]]
    roots = [r for r in tree.subgame_roots() if r != 0]
    choices = itertools.product(*(range(len(tree.infosets[h].actions)) for h in missing))
    first: Behaviour | None = None
    for k, pick in enumerate(choices):
        if k >= MAX_COMPLETIONS:
            return first or beh, None
        full = [dict(b) for b in beh]
        for h, a in zip(missing, pick, strict=True):
            full[tree.infosets[h].player][h] = [
                Fraction(int(j == a)) for j in range(len(tree.infosets[h].actions))
            ]
        first = first or full
        verdict = _nash_in_subgames(tree, full, roots, cache)
        if verdict is None:
            return full, None
        if verdict:
            return full, True
    return first or beh, False


def _nash_in_subgames(
    tree: Tree, beh: Behaviour, roots: list[int], cache: dict[int, NormalForm | None]
) -> bool | None:
    for r in roots:
        if r not in cache:
            try:
                cache[r] = normal_form(tree, r)
            except ModelError:
                cache[r] = None
        nf = cache[r]
        if nf is None:
            return None
        local = [{h: p for h, p in b.items() if h in _sets(nf, i)} for i, b in enumerate(beh)]
        vectors = mixed_from_behaviour(nf, local)
        exact = all(isinstance(v, Fraction) for v in nf.payoffs.flat)
        g = Game(
            tree.players,
            nf.strategies,
            nf.payoffs if exact else nf.payoffs.astype(float),
            "",
            exact,
        )
        regs, _ = regrets(g, vectors)
        if exact and max(regs) > 0:
            return False
        if not exact and max(float(x) for x in regs) > regret_tolerance(g):
            return False
    return True


def _sets(nf: NormalForm, i: int) -> set[int]:
    return {h for plan in nf.plans[i] for h in plan}
