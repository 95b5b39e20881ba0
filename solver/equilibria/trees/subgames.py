"""Subgame perfection of a tree equilibrium found on the reduced normal form (Selten 1965).

A Nash equilibrium of the reduced normal form leaves unspecified the behaviour at information
sets its own moves make unreachable.  It is subgame perfect if some completion there makes it a
Nash equilibrium of every proper subgame, each checked by the regret test
(:func:`solver.equilibria.verify.is_equilibrium`) on the subgame's reduced normal form.  Pure
completions are tried.  When none works, the answer is "no" only if no completion can help: a
subgame whose behaviour is fully specified already fails, or pure completions are all there is
to try (a perfect-information tree without ties, whose unique subgame-perfect play is pure).
Otherwise a mixed completion might work, and the answer is ``None``: unknown.

With imperfect information the completion matters beyond subgames: an unreached information set
filled with its first action can fail the perfect Bayesian test although another action passes
it, so completions are tried until one is also sequentially rational given admissible beliefs.
Completions that must be mixed are found, for small trees, by the support-pattern search of
:mod:`.assessments`, which lists every such PBE as an equilibrium of its own.

>>> from fractions import Fraction as F
>>> from solver.core.tree import from_named, decision, leaf
>>> t = from_named(("E", "I"), "e", {"e": decision("E", {"Out": "o", "In": "i"}),
...     "i": decision("I", {"Fight": "f", "Accommodate": "a"}), "o": leaf((1, 5)),
...     "f": leaf((0, 0)), "a": leaf((2, 2))})
>>> threat = [{0: [F(1), F(0)]}, {1: [F(1), F(0)]}]  # Out, and Fight if In (Selten's chain store)
>>> complete_behaviour(t, threat, {})[1], complete_behaviour(t, [{0: [F(0), F(1)]}, {}], {})
(False, ([{0: [Fraction(0, 1), Fraction(1, 1)]}, {1: [Fraction(0, 1), Fraction(1, 1)]}], True))
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from solver.core.errors import ModelError
from solver.core.game import Game
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, NormalForm, mixed_from_behaviour, normal_form
from solver.equilibria.verify import is_equilibrium

#: at most this many pure completions of unspecified behaviour are tried per equilibrium
MAX_COMPLETIONS = 256


def normal_form_game(tree: Tree, nf: NormalForm, title: str = "") -> Game:
    """The reduced normal form ``nf`` of ``tree`` as a :class:`Game` (exact if all payoffs are
    fractions, float otherwise)."""
    exact = all(isinstance(v, Fraction) for v in nf.payoffs.flat)
    pay = nf.payoffs if exact else nf.payoffs.astype(float)
    return Game(tree.players, nf.strategies, pay, title, exact)


def complete_behaviour(
    tree: Tree, beh: Behaviour, cache: dict[int, NormalForm | None], *, pure_suffices: bool = False
) -> tuple[Behaviour, bool | None]:
    """Fill unspecified infosets with pure actions; the first completion that is a Nash
    equilibrium in every subgame and, with imperfect information, sequentially rational given
    some admissible beliefs (:func:`.bayesian.beliefs_extra`) is returned; failing the second,
    the first that is a Nash equilibrium in every subgame: either makes the equilibrium subgame
    perfect (``True``).  ``False`` only when no completion, mixed included, can work (see the
    module docstring; ``pure_suffices``: the caller knows that pure completions are all there is
    to try).
    ``None``: undecided (a mixed completion might work, a subgame's normal form is too large,
    or there are too many completions).  ``cache`` keeps the subgames' reduced normal forms."""
    missing = [h for h, s in enumerate(tree.infosets) if s.player >= 0 and h not in beh[s.player]]
    roots = [r for r in tree.subgame_roots() if r != 0]
    if missing and not pure_suffices:
        # subgames with every move specified are judged as they are: one failure decides
        fixed = [r for r in roots if not any(_inside(tree, r, h) for h in missing)]
        if _nash_in_subgames(tree, beh, fixed, cache) is False:
            return _completed(tree, beh, missing, (0,) * len(missing)), False
    choices = itertools.product(*(range(len(tree.infosets[h].actions)) for h in missing))
    first: Behaviour | None = None
    perfect: Behaviour | None = None  # the first completion that is subgame perfect
    for k, pick in enumerate(choices):
        if k >= MAX_COMPLETIONS:
            return (perfect, True) if perfect is not None else (first or beh, None)
        full = _completed(tree, beh, missing, pick)
        first = first or full
        verdict = _nash_in_subgames(tree, full, roots, cache)
        if verdict is None:
            return (perfect, True) if perfect is not None else (full, None)
        if verdict and (not missing or _sequentially_rational(tree, full)):
            return full, True
        if verdict and perfect is None:
            perfect = full
    if perfect is not None:
        return perfect, True
    return first or beh, False if pure_suffices or not missing else None


def _sequentially_rational(tree: Tree, beh: Behaviour) -> bool:
    """Whether a completion also passes the weak perfect Bayesian test (always, with perfect
    information: there it is subgame perfection)."""
    if tree.perfect_information:
        return True
    from solver.equilibria.trees.bayesian import beliefs_extra

    return bool(beliefs_extra(tree, beh)["perfect_bayesian"])


def _completed(tree: Tree, beh: Behaviour, missing: list[int], pick: tuple[int, ...]) -> Behaviour:
    """``beh`` with the pure action ``pick[k]`` at each unspecified information set ``missing[k]``."""
    full = [dict(b) for b in beh]
    for h, a in zip(missing, pick, strict=True):
        full[tree.infosets[h].player][h] = [Fraction(int(j == a)) for j in range(len(tree.infosets[h].actions))]
    return full


def _inside(tree: Tree, root: int, h: int) -> bool:
    """Whether information set ``h`` has a node in the subtree at ``root``."""
    end = tree.end(root)
    return any(root <= m < end for m in tree.infosets[h].members)


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
        sets = [{h for plan in nf.plans[i] for h in plan} for i in range(len(beh))]
        local = [{h: p for h, p in b.items() if h in sets[i]} for i, b in enumerate(beh)]
        if not is_equilibrium(normal_form_game(tree, nf), mixed_from_behaviour(nf, local)):
            return False
    return True
