"""The pieces of a tree solve's answer: the normal-form game it reports (empty where the
reduced normal form is refused), pure behaviour from moves, matching pure equilibria with the
listed SPE, and one :class:`~solver.core.result.Equilibrium` from a behaviour profile (with its
path, the probability of each terminal history (``outcomes``), subgame perfection, beliefs where
information is imperfect)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, NormalForm, mixed_from_behaviour
from solver.equilibria.pure import pure_equilibria, pure_profiles
from solver.equilibria.trees.subgames import normal_form_game
from solver.equilibria.verify import make_equilibrium

#: the note of a search of the reduced normal form for pure equilibria only
PURE_NOTE = "pure strategies only: mixed Nash equilibria of the reduced normal form were not searched"


def game_of(tree: Tree, nf: NormalForm | None, title: str) -> Game:
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


def pure_moves(beh: Behaviour) -> dict[int, int] | None:
    """The actions of a pure behaviour profile by information set (None if any is mixed)."""
    out = {}
    for b in beh:
        for h, probs in b.items():
            if sorted(probs) != [0] * (len(probs) - 1) + [1]:
                return None
            out[h] = list(probs).index(1)
    return out


def match(
    tree: Tree, beh: Behaviour, known: list[dict[int, int]], pure_suffices: bool
) -> tuple[Behaviour, bool] | None:
    """With every pure SPE of a perfect-information tree listed, a pure Nash equilibrium that
    one of them agrees with wherever it moves is subgame perfect (completed by that one); one
    that none agrees with is not when pure completions are all there is to try or nothing is
    left to complete (else None: the subgame checks decide).  Linear in the tree per SPE."""
    moves = pure_moves(beh)
    if moves is None:
        return None
    for spe in (s for s in known if all(s[h] == a for h, a in moves.items())):
        return pure_behaviour(tree, spe), True
    if pure_suffices or len(moves) == len(known[0]):
        return pure_behaviour(tree, {h: moves.get(h, 0) for h in known[0]}), False
    return None


def pure_behaviour(tree: Tree, moves: dict[int, int]) -> Behaviour:
    full: Behaviour = [{} for _ in tree.players]
    for h, a in moves.items():
        full[tree.infosets[h].player][h] = [Fraction(int(k == a)) for k in range(len(tree.infosets[h].actions))]
    return full


def pure_index(vectors: Any) -> tuple[int, ...] | None:
    """The strategy each player plays with probability 1 (None if some player mixes): one pass of
    ``index`` per vector (probabilities: a 1 leaves only zeros)."""
    out = []
    for vec in vectors:
        try:
            out.append((vec if isinstance(vec, (list, tuple)) else list(vec)).index(1))
        except ValueError:
            return None
    return tuple(out)


def key(e: Equilibrium) -> tuple[Any, ...]:
    """Hashable identity of a profile (exact numbers compare equal across int/Fraction): the pure
    profile's indices, else each vector's nonzero entries (no hashing of thousands of zeros)."""
    pure = pure_index(e.vectors)
    if pure is not None:
        return pure
    return tuple(tuple((k, v) for k, v in enumerate(vec) if v) for vec in e.vectors)


def equilibrium(
    tree: Tree,
    nf: NormalForm | None,
    game: Game,
    beh: Behaviour,
    spe: bool | None,
    vals: Any,
    partial: Behaviour | None = None,
    verified: Equilibrium | None = None,
) -> Equilibrium:
    from solver.core.treeform import outcome_distribution
    from solver.equilibria.trees.paths import behaviour_json, outcomes_json, path_json

    dist = outcome_distribution(tree, beh)
    extra: dict[str, Any] = {
        "behaviour": behaviour_json(tree, beh),
        "path": path_json(tree, beh, dist),
        "outcomes": outcomes_json(tree, dist),
        "subgame_perfect": spe,
    }
    if partial is not None and any(len(p) != len(b) for p, b in zip(partial, beh, strict=True)):
        extra["completed_off_own_path"] = True
    if not tree.perfect_information:
        from solver.equilibria.trees.bayesian import beliefs_extra

        extra.update(beliefs_extra(tree, beh))
    if nf is None:
        from solver.equilibria.trees.paths import short

        lists = {id(p): p for b in beh for p in b.values()}  # shared probability lists: judged once
        pure = all(max(p) == 1 for p in lists.values())
        extra["description"] = ("pure SPE " if pure and spe else "equilibrium ") + short(tree, beh)
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


#: outcomes from mixed plans (no behaviour strategies: imperfect recall) are summed over at most
#: this many pure profiles of the equilibrium's support
MAX_SUPPORT_PROFILES = 10_000


def plan_outcomes(tree: Tree, nf: NormalForm, vectors: Any) -> list[dict[str, Any]] | None:
    """The probability of each terminal history under mixed reduced plans: over the pure
    profiles of the support, the profile's probability times chance's along the path its plans
    follow (Kuhn 1953: no behaviour strategy is needed).  None past :data:`MAX_SUPPORT_PROFILES`."""
    from itertools import product

    from solver.equilibria.trees.paths import outcomes_json

    supports = [
        [(plan, w) for plan, w in zip(plans, vec, strict=True) if w != 0]
        for plans, vec in zip(nf.plans, vectors, strict=True)
    ]
    count = 1
    for sup in supports:
        count *= len(sup)
    if count > MAX_SUPPORT_PROFILES:
        return None
    dist: dict[int, Any] = {}
    for combo in product(*supports):
        weight: Any = Fraction(1)
        for _, w in combo:
            weight = weight * w
        stack = [(0, weight)]
        while stack:
            n, p = stack.pop()
            node = tree.nodes[n]
            if node.is_terminal:
                dist[n] = dist.get(n, 0) + p
            elif node.is_chance:
                stack.extend((c, p * q) for c, q in zip(node.children, node.probs, strict=True) if q != 0)
            else:
                a = combo[node.player][0].get(node.infoset)
                if a is None:  # a set the reduced plan leaves out: nothing to say
                    return None
                stack.append((node.children[a], p))
    return outcomes_json(tree, sorted(dist.items()))


#: at most this many pure equilibria of a reduced normal form are listed (each holds a vector per
#: player as long as its plan count; a tied chain of 1,500 moves has hundreds of thousands)
MAX_PURE_LISTED = 2_000
#: and at most this many strategy entries in all (equilibria listed times plans)
MAX_PURE_ENTRIES = 500_000


def pure_only(game: Game, accept: Callable[[tuple[int, ...]], bool] | None = None) -> Result:
    """The reduced normal form's pure equilibria only (:func:`.pure.pure_profiles` unverified:
    the best-response masks checked them); with ``accept``, only the profiles it accepts (by
    their strategy indices), the others never built."""
    found = pure_equilibria(game)
    notes: tuple[str, ...] = (PURE_NOTE,)
    cap = max(1, min(MAX_PURE_LISTED, MAX_PURE_ENTRIES // max(1, sum(game.shape))))
    if len(found) > cap:  # ties in a tree make many: list a bounded number
        notes += (f"{len(found):,} pure equilibria of the reduced normal form; the first {cap:,} "
                  f"are listed (at most {MAX_PURE_ENTRIES:,} strategy entries in all)",)
        found = found[:cap]
    if accept is None and len(notes) == 1:
        eqs = tuple(pure_profiles(game, verify=False))
    else:
        zero, one = Fraction(0), Fraction(1)
        units: dict[tuple[int, int], tuple[Fraction, ...]] = {}  # only the unit vectors used

        def unit(i: int, k: int) -> tuple[Fraction, ...]:
            if (i, k) not in units:
                units[i, k] = tuple(one if j == k else zero for j in range(game.shape[i]))
            return units[i, k]

        eqs = tuple(
            Equilibrium(
                game.players, game.strategies, tuple(unit(i, k) for i, k in enumerate(idx)), game.payoff(idx), 0.0, {}
            )
            for idx in found
            if accept is None or accept(idx)
        )
    return Result(game, eqs, "pure", False, False, game.is_exact, notes)
