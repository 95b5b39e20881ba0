"""Signalling games inside :func:`~solver.equilibria.trees.sequential.solve_tree`: where a tree
has the structure :func:`~solver.core.signalling.from_tree` recognises, its credible equilibria
are every extreme perfect Bayesian equilibrium of :func:`.solve.solve_signalling` (mixed and
semi-separating ones included), each an :class:`~solver.core.result.Equilibrium` of the tree with
``extra``:

* ``perfect_bayesian``: True; ``beliefs``: player -> information set -> node -> probability
  (Bayes' rule on the path, the lowest point of the supporting range off it);
* ``belief_ranges``: per off-path set, ``{node, min, max}`` on the first type's node (two sender
  types) or ``{nodes, vertices}`` (the supporting polytope's vertices), with ``min_exact``,
  ``max_exact`` (``vertices_exact``) as fractions in an exact game;
* ``signalling``: ``{kind, intuitive_criterion, d1, type_payoffs, components}``: the kind and the
  refinements (:mod:`.refine`), each sender type's payoff, and the convex sets of PBE (numbered
  from 0 in the order found) whose extreme point it is.

The reduced-normal-form Nash equilibria found by the tree solver are kept where they are not
perfect Bayesian (marked so by the exact test of :mod:`.check`); those that are lie in the
components listed, and are dropped when the search was complete.

>>> from solver.formats import load
>>> from solver.equilibria.trees.sequential import solve_tree
>>> r = solve_tree(load("beer_quiche"))
>>> [(e.extra["signalling"]["kind"], e.extra["path"][0]["path"][1], e.extra["signalling"]["intuitive_criterion"])
...  for e in r.equilibria if e.extra["perfect_bayesian"]][::2]
[('pooling', 'Beer', True), ('pooling', 'Quiche', False)]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from solver.core import tolerances
from solver.core.budget import Budget
from solver.core.game import Game
from solver.core.result import Equilibrium
from solver.core.signalling import Signalling, from_tree
from solver.core.tree import Tree
from solver.core.treeform import Behaviour, NormalForm, behaviour_from_mixed
from solver.equilibria.signalling.check import is_pbe
from solver.equilibria.signalling.model import Exact, exact
from solver.equilibria.signalling.solve import PBE, SignallingResult, solve_signalling
from solver.equilibria.trees.paths import num
from solver.equilibria.trees.profiles import equilibrium

Search = tuple[Signalling, SignallingResult]


def signalling_search(tree: Tree, budget: Budget) -> Search | None:
    """The game and every PBE of a signalling tree, None for any other tree: run before the
    reduced normal form's solver, with half the time left (the credible equilibria first)."""
    sig = from_tree(tree)
    return None if sig is None else (sig, solve_signalling(sig, budget.share(0.5)))


def signalling_equilibria(
    tree: Tree, nf: NormalForm | None, game: Game, found: list[Equilibrium], search: Search
) -> tuple[list[Equilibrium], list[str], list[str]]:
    """(equilibria, notes, limits) of a signalling tree (see the module docstring): the PBE of
    ``search``, then the reduced normal form's equilibria ``found`` that are not PBE."""
    sig, res = search
    ex = exact(sig)
    proper = len(tree.subgame_roots()) > 1
    out: list[Equilibrium] = []
    notes = list(res.notes)
    for e in res.equilibria:
        beh = behaviour(tree, sig, e.sigma, e.rho)
        try:
            eq = equilibrium(tree, nf, game, beh, None if proper else True, _values(tree, sig, ex, e))
        except ValueError:  # the reduced normal form disagrees: never expected, never hidden
            notes.append("a perfect Bayesian equilibrium failed the normal-form regret check and was dropped")
            continue
        out.append(Equilibrium(eq.players, eq.strategies, eq.vectors, eq.values, eq.max_regret,
                               {**eq.extra, **pbe_extra(tree, sig, e)}))
    for f in found:
        profile = _profile(tree, sig, nf, f)
        if profile is None:
            continue
        tol = Fraction(0) if sig.exact else Fraction(tolerances.REGRET)
        if is_pbe(ex, profile[0], profile[1], tol):
            if res.complete:
                continue  # a point of a component listed: its extreme points are there
            out.append(Equilibrium(f.players, f.strategies, f.vectors, f.values, f.max_regret,
                                   {**f.extra, "perfect_bayesian": True}))
        else:
            out.append(Equilibrium(f.players, f.strategies, f.vectors, f.values, f.max_regret,
                                   {**f.extra, "perfect_bayesian": False}))
    found_words = "every perfect Bayesian equilibrium" if res.complete else "perfect Bayesian equilibria (NOT all)"
    notes.append(
        f"signalling game: {found_words} by support enumeration "
        f"({res.patterns:,} support patterns, {len(res.components)} component(s) of PBE)"
    )
    return out, notes, list(res.limits)


def _sets(tree: Tree, sig: Signalling) -> tuple[list[int], list[list[int]]]:
    """The sender's information set per type and the receiver's per (message, receiver type)."""
    sender = [tree.nodes[row[0]].infoset for row in sig.states]
    receiver = []
    for msg in sig.messages:
        row = []
        for s in sig.states[0]:
            kid = tree.nodes[s].children[tree.actions(s).index(msg)]
            row.append(tree.nodes[kid].infoset)
        receiver.append(row)
    return sender, receiver


def behaviour(tree: Tree, sig: Signalling, sigma: Any, rho: Any) -> Behaviour:
    """The tree's behaviour profile of ``(sigma, rho)`` (floats where the game is not exact)."""
    conv = (lambda x: x) if sig.exact else float
    sender, receiver = _sets(tree, sig)
    s = tree.players.index(sig.sender)
    beh: Behaviour = [{} for _ in tree.players]
    for t, h in enumerate(sender):
        beh[s][h] = [conv(sigma[t][sig.messages.index(a)]) for a in tree.infosets[h].actions]
    for m, row in enumerate(receiver):
        for r, h in enumerate(row):
            acts = sig.responses[m]
            beh[1 - s][h] = [conv(rho[m][r][acts.index(a)]) for a in tree.infosets[h].actions]
    return beh


def _values(tree: Tree, sig: Signalling, ex: Exact, e: PBE) -> list[Any]:
    sender = sum((sum(ex.prior[t], Fraction(0)) * u for t, u in enumerate(e.sender_payoffs)), Fraction(0))
    vals: list[Any] = [Fraction(0)] * 2
    s = tree.players.index(sig.sender)
    vals[s], vals[1 - s] = sender, e.receiver_payoff
    return vals if sig.exact else [float(v) for v in vals]


def pbe_extra(tree: Tree, sig: Signalling, e: PBE) -> dict[str, Any]:
    """``perfect_bayesian``, ``beliefs``, ``belief_ranges`` and ``signalling`` of one PBE."""
    sender, receiver = _sets(tree, sig)
    ranges = dict(e.off_path)
    beliefs: dict[str, dict[str, dict[str, Any]]] = {}
    spans: dict[str, Any] = {}
    for t, h in enumerate(sender):  # the sender's belief over the receiver's types
        info = tree.infosets[h]
        if len(info.members) > 1:
            total = sum(sig.prior[t])
            even = Fraction(1, len(info.members))
            beliefs.setdefault(sig.sender, {})[info.label] = {
                tree.describe(sig.states[t][r]): num(sig.prior[t][r] / total if total else even)
                for r in range(len(sig.receiver_types))
            }
    for m, row in enumerate(receiver):
        for r, h in enumerate(row):
            info = tree.infosets[h]
            nodes = [tree.nodes[sig.states[t][r]].children[tree.actions(sig.states[t][r]).index(sig.messages[m])]
                     for t in range(len(sig.types))]
            names = [tree.describe(n) for n in nodes]
            mu = e.beliefs[m][r]
            if mu is None:
                pts = ranges[m, r]
                mu = min(pts)
                if len(sig.types) == 2:
                    lo, hi = min(p[0] for p in pts), max(p[0] for p in pts)
                    spans[info.label] = {"node": names[0], "min": num(lo), "max": num(hi)}
                    if sig.exact:
                        spans[info.label] |= {"min_exact": str(lo), "max_exact": str(hi)}
                else:
                    spans[info.label] = {"nodes": names, "vertices": [[num(x) for x in p] for p in pts]}
                    if sig.exact:
                        spans[info.label]["vertices_exact"] = [[str(x) for x in p] for p in pts]
            beliefs.setdefault(sig.receiver, {})[info.label] = {n: num(x) for n, x in zip(names, mu, strict=True)}
    out: dict[str, Any] = {
        "perfect_bayesian": True,
        "beliefs": beliefs,
        "signalling": {
            "kind": e.kind,
            "intuitive_criterion": e.intuitive_criterion,
            "d1": e.d1,
            "type_payoffs": {label: num(u) for label, u in zip(sig.types, e.sender_payoffs, strict=True)},
            "components": list(e.components),
        },
    }
    out["belief_ranges"] = {sig.receiver: spans} if spans else {}
    return out


def _profile(tree: Tree, sig: Signalling, nf: NormalForm | None, f: Equilibrium) -> tuple[Any, Any] | None:
    """(sigma, rho) of a reduced-normal-form equilibrium, from its plans (exact) or its behaviour."""
    sender, receiver = _sets(tree, sig)
    if nf is not None and f.vectors and all(len(v) for v in f.vectors):
        beh = behaviour_from_mixed(tree, nf, f.vectors)
        rows = {h: list(p) for b in beh for h, p in b.items()}
    else:
        raw = f.extra.get("behaviour")
        if not raw:
            return None
        rows = {}
        for h, info in enumerate(tree.infosets):
            if info.player >= 0 and info.label in raw.get(tree.players[info.player], {}):
                row = raw[tree.players[info.player]][info.label]
                rows[h] = [row.get(a, 0) for a in info.actions]
    if any(h not in rows for h in [*sender, *(h for row in receiver for h in row)]):
        return None

    def q(x: Any) -> Fraction:
        return x if isinstance(x, Fraction) else Fraction(x)

    sigma = [[q(rows[h][tree.infosets[h].actions.index(m)]) for m in sig.messages] for h in sender]
    rho = [[[q(rows[h][tree.infosets[h].actions.index(a)]) for a in sig.responses[m]] for h in row]
           for m, row in enumerate(receiver)]
    return sigma, rho
