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
* Small exact trees with imperfect information (not signalling games, which :mod:`..signalling`
  solves): every PBE by support patterns of behaviour (:mod:`.assessments`), those inside
  continua of Nash equilibria included (:mod:`.inner_pbe` adds them).

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
from solver.core.result import Equilibrium, Result
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, NormalForm, behaviour_from_mixed, normal_form
from solver.equilibria.trees.backward import MAX_SPE
from solver.equilibria.trees.profiles import PURE_NOTE as PURE_NOTE  # re-exported
from solver.equilibria.trees.profiles import (
    equilibrium,
    game_of,
    key,
    match,
    plan_outcomes,
    pure_index,
    pure_only,
)
from solver.equilibria.trees.routes import SEQUENCE_FROM, credible_filter, plan_moves, sequence_equilibria
from solver.equilibria.trees.subgames import complete_behaviour

#: ``nash="auto"`` runs the general solver up to this many profiles (two players / more)
AUTO_ALL_TWO = 10_000
AUTO_ALL_MANY = 64
#: list at most this many SPE-moves in all (SPE times decision nodes): memory and output stay
#: proportional to the tree however many ties it has
MAX_SPE_ENTRIES = 500_000
#: a perfect-information tree with more proper subgames than this judges subgame perfection by
#: the listed SPE (linear) instead of one reduced normal form per subgame (quadratic or worse)
SUBGAME_CHECKS = 32


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
    credible_only: bool = False,
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
        bud = Budget.of(budget, timeout, progress)
        return solve_numeric_tree(tree, title=model.title, nash=nash, budget=bud, credible_only=credible_only)
    except (ModelError, SolverError) as exc:  # name the file in the one line
        if exc.source:
            raise
        raise type(exc)(exc.message, source=model.path or model.name, key=exc.key) from None


def credible_solve(model: Model, values: Mapping[str, Any], budget: Budget = UNBOUNDED) -> Result:
    """:func:`solve_tree` for callers that read only the credible (subgame-perfect or perfect
    Bayesian) equilibria, as :func:`~solver.equilibria.trees.paths.tree_signature` does:
    ``credible_only``, so the pure equilibria that cannot be credible are not checked; where
    none is credible the signature reads every equilibrium, so the tree is solved in full."""
    res = solve_tree(model, values, budget=budget, credible_only=True)
    if any(e.extra.get("subgame_perfect") or e.extra.get("perfect_bayesian") for e in res.equilibria):
        return res
    return solve_tree(model, values, budget=budget)


def solve_numeric_tree(
    tree: Tree, *, title: str = "", nash: str = "auto", budget: Budget = UNBOUNDED, credible_only: bool = False
) -> Result:
    """:func:`solve_tree` on a numeric :class:`~solver.core.tree.Tree` (routes: :mod:`.routes`).

    ``credible_only``: pure equilibria of the reduced normal form that :func:`.routes.credible_filter`
    rejects (neither subgame perfect nor perfect Bayesian) are left out, unchecked: for callers
    that only track the credible ones (:func:`solver.analysis.thresholds.numeric_signature`)."""
    if nash not in ("auto", "all", "pure"):
        raise SolverError(f"unknown nash option {nash!r} (auto, all, pure)")
    pi = tree.perfect_information  # a pass over the information sets: asked once
    recall, bad = (True, "") if pi else tree.perfect_recall()
    known: list[dict[int, int]] | None = None  # every pure SPE, where backward induction listed all
    too_large = ""
    try:
        nf: NormalForm | None = normal_form(tree)
    except ModelError as exc:
        nf, too_large = None, exc.message
    notes: list[str] = []
    two = len(tree.players) == 2 and recall and not pi
    sequence = two and (nf is None or (nash == "auto" and nf.payoffs[0].size > SEQUENCE_FROM))
    if nash == "auto":
        nash = "pure" if pi else "all"
        size = 0 if nf is None else nf.payoffs[0].size
        if nash == "all" and size > (AUTO_ALL_TWO if len(tree.players) == 2 else AUTO_ALL_MANY):
            nash = "pure"
            notes.append(
                "reduced normal form too large for the general solver: mixed Nash "
                "equilibria not searched (solve_tree(..., nash='all') forces it)"
            )
    from solver.equilibria.signalling.tree import signalling_search

    signalling = None if pi or not recall else signalling_search(tree, budget)  # every PBE, first
    if signalling is not None and signalling[1].complete and credible_only:
        nash = "pure"  # the credible equilibria are all listed: the normal form adds none
    game = game_of(tree, nf, title)
    eqs: list[Equilibrium] = []
    limits: list[str] = []
    complete = True
    degenerate = False
    methods = []
    pure_suffices = False
    extremes: list[Any] | None = None  # the reduced normal form's extreme equilibria, where all known
    if pi:
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
        units: dict[tuple[int, int], list[Fraction]] = {}  # one list per (arity, action): shared
        for moves, vals in spes:
            beh: Behaviour = [{} for _ in tree.players]
            for h, a in moves.items():
                info = tree.infosets[h]
                k = len(info.actions)
                if (k, a) not in units:
                    units[k, a] = [Fraction(int(j == a)) for j in range(k)]
                beh[info.player][h] = units[k, a]
            eqs.append(equilibrium(tree, nf, game, beh, True, vals))
    if sequence:
        budget.report("sequence form", 0.0)
        try:
            found = sequence_equilibria(tree, budget)
        except SolverError as exc:  # over the sequence form's own limits
            if nf is None:
                raise SolverError(f"{too_large}; {exc.message}") from None
            sequence = False
            notes.append(exc.message)
    if sequence:
        methods.append(found.method)
        notes.extend(found.notes)
        complete = found.complete
        degenerate = degenerate or found.degenerate
        subgames = len(tree.subgame_roots()) - 1
        for beh, vals in found.equilibria:
            eqs.append(equilibrium(tree, nf, game, beh, None if subgames > 0 else True, vals))
        # every extreme equilibrium listed, or zero-sum (the LP's optimal strategies): the
        # reduced normal form adds nothing
        if found.complete or found.method.endswith("LP"):
            nf = None
            too_large = ""
    if nf is None and not sequence:
        complete = False
        notes.append(f"{too_large}: Nash equilibria that are not subgame perfect not searched")
        if not pi:
            raise SolverError(f"{too_large}, and without perfect information backward induction does not apply")
    elif nf is not None:
        from solver.equilibria import solve

        if nash == "pure":
            credible = credible_filter(tree) if credible_only else None
            plans = nf.plans
            core = pure_only(game, None if credible is None else lambda idx: credible(plan_moves(plans, idx) or {}))
        else:
            try:
                core = solve(game, budget=budget)
            except (ImportError, SolverError) as exc:
                core = pure_only(game)
                notes.append(f"general solver unavailable ({exc}); pure equilibria only")
        methods.append(f"reduced normal form ({core.method})")
        if core.complete and len(tree.players) == 2:  # every extreme equilibrium: bounds the PBE
            extremes = [e.vectors for e in core.equilibria]
        cache: dict[int, NormalForm | None] = {}
        complete = complete and core.complete
        degenerate = degenerate or core.degenerate
        notes.extend(core.notes)
        limits.extend(core.limits)
        seen = {key(f) for f in eqs}
        keep = credible_filter(tree) if credible_only else None
        unchecked = 0
        subgames = len(tree.subgame_roots()) - 1  # the root starts one when it is a decision
        proper = subgames > 0  # without, subgame perfect = Nash
        known = known if subgames > SUBGAME_CHECKS else None
        for k, e in enumerate(core.equilibria):
            index = pure_index(e.vectors)
            ident = index if index is not None else key(e)
            if ident in seen:
                continue
            seen.add(ident)
            pm = plan_moves(nf.plans, index) if keep is not None else None
            if keep is not None and pm and not keep(pm):
                continue
            budget.report("subgame perfection", k / len(core.equilibria))
            if not recall or budget.expired():
                unchecked += recall and proper
                # without proper subgames every Nash equilibrium is subgame perfect
                spe_mark = None if proper or not recall else True
                extra: dict[str, Any] = {"subgame_perfect": spe_mark, "behaviour": None}
                outcomes = plan_outcomes(tree, nf, e.vectors)
                if outcomes is not None:  # each terminal history's probability, from the plans
                    extra["outcomes"] = outcomes
                eqs.append(Equilibrium(e.players, e.strategies, e.vectors, e.values, e.max_regret, extra))
                continue
            beh = behaviour_from_mixed(tree, nf, e.vectors)
            hit = match(tree, beh, known, pure_suffices) if known else None
            full, spe = hit or complete_behaviour(tree, beh, cache, pure_suffices=pure_suffices)
            eqs.append(equilibrium(tree, nf, game, full, spe, e.values, partial=beh, verified=e))
        if unchecked:
            limits.append(budget.limit("the subgame-perfection checks", f"{unchecked} equilibria"))
    if signalling is None and recall:  # PBE inside continua of Nash equilibria (small trees)
        from solver.equilibria.trees.inner_pbe import add_inner_pbe

        eqs, more, cut = add_inner_pbe(tree, nf, game, eqs, budget, extremes)
        notes, limits = notes + more, limits + cut
    if signalling is not None:  # a signalling game: every PBE, exactly (mixed ones too)
        from solver.equilibria.signalling.tree import signalling_equilibria

        eqs, more, cut = signalling_equilibria(tree, nf, game, eqs, signalling)
        notes += more
        limits += cut
        methods.append("signalling support enumeration")
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
