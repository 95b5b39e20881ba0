"""Equilibria of game trees: subgame-perfect (backward induction) and Nash via the reduced
normal form, each marked subgame perfect or not, with behaviour strategies and paths.

* Perfect information: every pure SPE by backward induction, ties branching (:mod:`.backward`).
* Any tree: the Nash equilibria of the reduced normal form (:func:`solver.equilibria.solve`),
  turned into behaviour strategies by Kuhn's theorem (1953).  An equilibrium is subgame perfect
  (Selten 1965) if, completing its behaviour where its own moves make it unspecified, it is a
  Nash equilibrium of every subgame; checked on each subgame's reduced normal form
  (:mod:`.subgames`).
* Incomplete information enters as a chance move over types (Harsanyi 1967-68); where a player
  has information sets with several nodes, :mod:`.bayesian` adds beliefs and the weak perfect
  Bayesian test (sequential rationality given Bayes-consistent beliefs).

>>> from solver.formats import load
>>> r = solve_tree(load("entry_deterrence"))
>>> [(e.describe(), e.extra["subgame_perfect"]) for e in r.equilibria]
[('pure (In, Accommodate)', True), ('pure (Out, Fight)', False)]
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from solver.core.budget import UNBOUNDED, Budget, Progress
from solver.core.errors import ModelError, SolverError
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, NormalForm, behaviour_from_mixed, mixed_from_behaviour, normal_form
from solver.equilibria.pure import pure_profiles
from solver.equilibria.trees.backward import MAX_SPE
from solver.equilibria.trees.subgames import complete_behaviour, normal_form_game
from solver.equilibria.verify import make_equilibrium

#: ``nash="auto"`` runs the general solver up to this many profiles (two players / more)
AUTO_ALL_TWO = 10_000
AUTO_ALL_MANY = 64
#: list at most this many SPE-moves in all (SPE times decision nodes): memory and output stay
#: proportional to the tree however many ties it has
MAX_SPE_ENTRIES = 500_000
#: a perfect-information tree with more proper subgames than this judges subgame perfection by
#: the listed SPE (linear) instead of one reduced normal form per subgame (quadratic or worse)
SUBGAME_CHECKS = 32
#: the note of a search of the reduced normal form for pure equilibria only
PURE_NOTE = "pure strategies only: mixed Nash equilibria of the reduced normal form were not searched"


def solve_tree(
    model: Model,
    values: Mapping[str, Any] | None = None,
    *,
    exact: bool | None = None,
    nash: str = "auto",
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
    check_range: bool = True,
) -> Result:
    """Every equilibrium found for the tree of ``model`` at ``values`` (see module docstring).

    ``check_range=False`` (``--force``) solves outside the declared ranges; probabilities that
    go negative there are still a :class:`ModelError` naming the node.

    ``nash``: which Nash equilibria of the reduced normal form to add to the SPE: ``"all"``
    (the core solver: every extreme equilibrium), ``"pure"``, or ``"auto"`` (pure for
    perfect-information trees, whose reduced forms are degenerate; all otherwise).
    ``timeout``, ``progress`` and ``budget`` bound the computation as in
    :func:`solver.equilibria.solve`.
    """
    if model.tree is None:
        raise SolverError("not an extensive-form model")
    try:
        point = model.values(values, check_range=check_range) if model.tree.symbolic else None
        tree = model.tree.at(point, exact=exact is not False)
    except ModelError as exc:  # name the file: the values make a payoff or probability invalid
        raise ModelError(exc.message, source=exc.source or model.path or model.name, key=exc.key) from None
    try:
        return solve_numeric_tree(tree, title=model.title, nash=nash, budget=Budget.of(budget, timeout, progress))
    except (ModelError, SolverError) as exc:  # name the file in the one line
        if exc.source:
            raise
        raise type(exc)(exc.message, source=model.path or model.name, key=exc.key) from None


def solve_numeric_tree(tree: Tree, *, title: str = "", nash: str = "auto", budget: Budget = UNBOUNDED) -> Result:
    """:func:`solve_tree` on a numeric :class:`~solver.core.tree.Tree`."""
    if nash not in ("auto", "all", "pure"):
        raise SolverError(f"unknown nash option {nash!r} (auto, all, pure)")
    recall, bad = tree.perfect_recall()
    known: list[dict[int, int]] | None = None  # every pure SPE, where backward induction listed all
    too_large = ""
    try:
        nf: NormalForm | None = normal_form(tree)
    except ModelError as exc:
        nf, too_large = None, exc.message
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
    limits: list[str] = []
    complete = True
    degenerate = False
    methods = []
    pure_suffices = False
    if tree.perfect_information:
        from solver.equilibria.trees.backward import all_spe

        budget.report("backward induction", 0.0)
        cap = max(1, min(MAX_SPE, MAX_SPE_ENTRIES // max(1, len(tree.infosets))))
        spes, complete = all_spe(tree, cap)
        pure_suffices = complete and len(spes) == 1  # no ties: the unique SPE play is pure
        methods.append("backward induction")
        degenerate = len(spes) > 1
        if not complete:
            notes.append(
                f"more subgame-perfect equilibria exist than the {len(spes)} listed (the limit: "
                f"{MAX_SPE} and {MAX_SPE_ENTRIES:,} moves in all)"
            )
        known = [moves for moves, _ in spes] if complete else None
        for moves, vals in spes:
            beh: Behaviour = [{} for _ in tree.players]
            for h, a in moves.items():
                pl = tree.infosets[h].player
                beh[pl][h] = [Fraction(int(k == a)) for k in range(len(tree.infosets[h].actions))]
            eqs.append(_equilibrium(tree, nf, game, beh, True, vals))
    if nf is None:
        complete = False
        notes.append(f"{too_large}: Nash equilibria that are not subgame perfect not searched")
        if not tree.perfect_information:
            raise SolverError(f"{too_large}, and without perfect information backward induction does not apply")
    else:
        from solver.equilibria import solve

        if nash == "pure":
            core = _pure(game)
        else:
            try:
                core = solve(game, budget=budget)
            except (ImportError, SolverError) as exc:
                core = _pure(game)
                notes.append(f"general solver unavailable ({exc}); pure equilibria only")
        methods.append(f"reduced normal form ({core.method})")
        cache: dict[int, NormalForm | None] = {}
        complete = complete and core.complete
        degenerate = degenerate or core.degenerate
        notes.extend(core.notes)
        limits.extend(core.limits)
        seen = {_key(f) for f in eqs}
        unchecked = 0
        subgames = len(tree.subgame_roots()) - 1  # the root starts one when it is a decision
        proper = subgames > 0  # without, subgame perfect = Nash
        known = known if subgames > SUBGAME_CHECKS else None
        for k, e in enumerate(core.equilibria):
            if _key(e) in seen:
                continue
            seen.add(_key(e))
            budget.report("subgame perfection", k / len(core.equilibria))
            if not recall or budget.expired():
                unchecked += recall and proper
                # without proper subgames every Nash equilibrium is subgame perfect
                spe_mark = None if proper or not recall else True
                extra = {"subgame_perfect": spe_mark, "behaviour": None}
                eqs.append(Equilibrium(e.players, e.strategies, e.vectors, e.values, e.max_regret, extra))
                continue
            beh = behaviour_from_mixed(tree, nf, e.vectors)
            hit = _match(tree, beh, known, pure_suffices) if known else None
            full, spe = hit or complete_behaviour(tree, beh, cache, pure_suffices=pure_suffices)
            eqs.append(_equilibrium(tree, nf, game, full, spe, e.values, partial=beh, verified=e))
        if unchecked:
            limits.append(budget.limit("the subgame-perfection checks", f"{unchecked} equilibria"))
    if not recall:
        notes.append(
            f"imperfect recall at information set {bad!r}: behaviour strategies not derived"
        )
    eqs.sort(key=lambda e: not e.extra.get("subgame_perfect"))
    method = " + ".join(methods)
    notes += limits
    if not eqs:  # every finite tree has an equilibrium (Kuhn 1953): none found is never complete
        complete, notes = False, [*notes, "no equilibrium was found: the list is not complete"]
    return Result(
        game, tuple(eqs), method, complete and not limits, degenerate, game.is_exact, tuple(dict.fromkeys(notes)),
        limits=tuple(dict.fromkeys(limits)), time_budget=budget.seconds,
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
    return normal_form_game(tree, nf, title or tree.title)


def _pure_moves(beh: Behaviour) -> dict[int, int] | None:
    """The actions of a pure behaviour profile by information set (None if any is mixed)."""
    out = {}
    for b in beh:
        for h, probs in b.items():
            if sorted(probs) != [0] * (len(probs) - 1) + [1]:
                return None
            out[h] = list(probs).index(1)
    return out


def _match(
    tree: Tree, beh: Behaviour, known: list[dict[int, int]], pure_suffices: bool
) -> tuple[Behaviour, bool] | None:
    """With every pure SPE of a perfect-information tree listed, a pure Nash equilibrium that
    one of them agrees with wherever it moves is subgame perfect (completed by that one); one
    that none agrees with is not when pure completions are all there is to try or nothing is
    left to complete (else None: the subgame checks decide).  Linear in the tree per SPE."""
    moves = _pure_moves(beh)
    if moves is None:
        return None
    for spe in (s for s in known if all(s[h] == a for h, a in moves.items())):
        return _behaviour(tree, spe), True
    if pure_suffices or len(moves) == len(known[0]):
        return _behaviour(tree, {h: moves.get(h, 0) for h in known[0]}), False
    return None


def _behaviour(tree: Tree, moves: dict[int, int]) -> Behaviour:
    full: Behaviour = [{} for _ in tree.players]
    for h, a in moves.items():
        full[tree.infosets[h].player][h] = [Fraction(int(k == a)) for k in range(len(tree.infosets[h].actions))]
    return full


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
    """The reduced normal form's pure equilibria only (:func:`.pure.pure_profiles`, unverified:
    the best-response masks checked them)."""
    eqs = tuple(pure_profiles(game, verify=False))
    return Result(game, eqs, "pure", False, False, game.is_exact, (PURE_NOTE,))
