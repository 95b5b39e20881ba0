"""Credibility of threats: off-path actions an equilibrium asks a player to carry out.

A threat is credible when carrying it out would be a best response at that node, given credible
(subgame-perfect) play afterwards (Selten 1965; Schelling 1960 on commitment).  For every pure Nash equilibrium of a
tree, each decision node its path never reaches carries a prescribed action: the threat (or
promise) that sustains it.  It is credible at the current values iff its continuation payoff to
the mover is at least that of every alternative; on the symbolic tree the same differences are
formulas of the parameters, so the credible region is the exact inequality ``difference >= 0``
(solved for the parameter when only one appears).

>>> from solver.formats import load
>>> [(t.player, t.action, t.credible, t.condition) for t in threats(load("entry_deterrence"))]
[('Incumbent', 'Fight', False, '-incumbent_duopoly + incumbent_war >= 0')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from solver.core.budget import Budget, Progress
from solver.core.symbolic import Model


@dataclass(frozen=True)
class Threat:
    """``player`` would play ``action`` at the node reached by ``where`` (off the path)."""

    player: str
    where: str
    node: str
    action: str
    credible: bool
    #: conditions ``difference >= 0`` (one per alternative action), as sympy text
    condition: str
    #: the credible region over the parameter ranges, in words (one parameter: an interval)
    region: str
    sustains: tuple[str, ...] = field(default_factory=tuple)
    #: an off-path threat of a subgame-perfect equilibrium (sustains it)
    in_spe: bool = False
    #: a subgame-perfect equilibrium prescribes this action at this node (on its path or off)
    spe_prescribes: bool = False
    #: a subgame-perfect equilibrium plays this action on its path of play
    on_spe_path: bool = False
    #: a signalling game's off-path answer: the message, the ``supporting`` beliefs, whether the
    #: intuitive criterion ``killed`` it and ``why`` (:class:`~.explain_signalling.OffPath`)
    signalling: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        extra = {} if self.signalling is None else {"signalling": self.signalling}
        return extra | {
            "player": self.player,
            "where": self.where,
            "node": self.node,
            "action": self.action,
            "credible": self.credible,
            "condition": self.condition,
            "region": self.region,
            "in_spe": self.in_spe,
            "spe_prescribes": self.spe_prescribes,
            "on_spe_path": self.on_spe_path,
            "sustains": list(self.sustains),
        }


class Threats(list[Threat]):
    """The threats found (a list), whether every equilibrium was examined (``complete``), what
    the time budget left undone (``limits``) and the ``time_budget`` itself."""

    complete: bool = True
    limits: tuple[str, ...] = ()
    time_budget: float | None = None


def threats(
    model: Model,
    values: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    budget: Budget | None = None,
) -> Threats:
    """Every off-path prescribed action of every pure Nash equilibrium, with its credibility.

    ``timeout`` (seconds) bounds the work: when it runs out, the threats of the equilibria
    examined so far come back, ``complete = False``, and ``limits`` says how many were not."""
    import sympy

    from solver.equilibria.trees.sequential import solve_tree

    if model.tree is None:
        raise ValueError("credibility needs a game tree (kind = sequential or a .efg file)")
    bud = Budget.of(budget, timeout, progress)
    vals = model.values(values)
    result = solve_tree(model, vals, nash="pure", budget=bud)
    limits = list(result.limits)
    sym = model.tree
    num = sym.at(vals) if sym.symbolic else sym
    # what follows a threat is judged under credible play: the behaviour of a subgame-perfect
    # equilibrium below the node (not the possibly non-credible continuation of the same NE)
    spe = next((e for e in result.equilibria if e.extra.get("subgame_perfect") and e.extra.get("behaviour")), None)
    spe_beh = _behaviour_indices(num, spe.extra["behaviour"]) if spe is not None else None
    spes = [
        _behaviour_indices(num, e.extra["behaviour"])
        for e in result.equilibria
        if e.extra.get("subgame_perfect") and e.extra.get("behaviour")
    ]
    spe_reach = [_reach(num, b) for b in spes]
    out: dict[tuple[int, int], Threat] = {}
    for k, eq in enumerate(result.equilibria):
        bud.report("threats per equilibrium", k / len(result.equilibria))
        if bud.expired():
            left = len(result.equilibria) - k
            limits.append(bud.limit("the threats", f"{left} of {len(result.equilibria)} equilibria"))
            break
        if not eq.is_pure or eq.extra.get("behaviour") is None:
            continue
        beh = _behaviour_indices(num, eq.extra["behaviour"])
        reach = _reach(num, beh)
        shown = eq.describe()  # once per equilibrium, not once per threat it sustains
        for n, node in enumerate(num.nodes):
            if node.is_terminal or node.is_chance or reach[n] != 0:
                continue
            if len(num.infosets[node.infoset].members) != 1 or node.infoset not in beh[node.player]:
                continue
            probs = beh[node.player][node.infoset]
            a = max(range(len(probs)), key=lambda k: probs[k])
            key = (n, a)
            if key in out:
                prev = out[key]
                out[key] = replace(
                    prev,
                    sustains=(*prev.sustains, shown),
                    in_spe=prev.in_spe or bool(eq.extra.get("subgame_perfect")),
                )
                continue
            i = node.player
            cont = spe_beh if spe_beh is not None else beh
            v_num = [_value(num, cont, c)[i] for c in node.children]
            credible = all(v_num[a] >= v_num[b] for b in range(len(v_num)))
            diffs = []
            for b in range(len(node.children)):
                if b == a:
                    continue
                d = _value(sym, cont, node.children[a])[i] - _value(sym, cont, node.children[b])[i]
                diffs.append(sympy.simplify(d) if sym.symbolic else sympy.nsimplify(d))
            cond = " and ".join(f"{d} >= 0" for d in diffs) or "always (no alternative)"
            out[key] = Threat(
                num.players[i],
                num.describe(n),
                node.name,
                num.actions(n)[a],
                credible,
                cond,
                _region(model, diffs),
                (shown,),
                bool(eq.extra.get("subgame_perfect")),
                spe_prescribes=any(_plays(b, node, a) for b in spes),
                on_spe_path=any(_plays(b, node, a) and r[n] != 0 for b, r in zip(spes, spe_reach, strict=True)),
            )
    if not bud.expired():
        out.update(_signalling(model, vals, result.equilibria))
    found = Threats(sorted(out.values(), key=lambda t: (not t.in_spe, not t.credible)))
    found.complete, found.limits, found.time_budget = not limits, tuple(dict.fromkeys(limits)), bud.seconds
    return found


def _signalling(model: Model, vals: Mapping[str, Any], eqs: Any) -> dict[tuple[Any, ...], Threat]:
    """The off-path answers of a signalling game's perfect Bayesian equilibria (Fudenberg &
    Tirole 1991, §8.2): the receiver's response to a message nobody sends, optimal under the
    beliefs that support it; ``signalling.killed`` where the intuitive criterion rules those
    beliefs out (Cho & Kreps 1987; Gibbons 1992, §4.4)."""
    from solver.analysis.explain_signalling import read_pbe, signalling_game

    g = signalling_game(model, vals)
    out: dict[tuple[Any, ...], Threat] = {}
    if g is None:
        return out
    for e in eqs:
        if not e.extra.get("signalling") or not e.extra.get("behaviour"):
            continue
        shown, survives = e.extra.get("description") or e.describe(), e.extra["signalling"]["intuitive_criterion"]
        for o in read_pbe(g, e.extra["behaviour"]).off_path:
            key = ("signalling", o.infoset, o.response)
            if key in out:
                prev = out[key]
                out[key] = replace(prev, sustains=(*prev.sustains, shown))
                continue
            b = o.supporting
            cond = f"P({b['type']} | {o.message}) in [{b['min']}, {b['max']}]" if "type" in b else o.belief
            doc = {k: v for k, v in o.__dict__.items() if k not in ("infoset", "where", "response")}
            out[key] = Threat(
                g.sig.receiver, o.where, o.infoset, o.response, True, cond, o.belief, (shown,), True, True, False,
                doc | {"equilibrium_survives": bool(survives)},
            )
    return out


def _behaviour_indices(
    tree: Any, beh_json: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> list[dict[int, list[Any]]]:
    label = {(h.player, h.label): k for k, h in enumerate(tree.infosets)}
    out: list[dict[int, list[Any]]] = [{} for _ in tree.players]
    for i, player in enumerate(tree.players):
        for lab, acts in beh_json.get(player, {}).items():
            h = label[(i, lab)]
            out[i][h] = [
                Fraction(acts[a]).limit_denominator(10**9) for a in tree.infosets[h].actions
            ]
    return out


def _plays(beh: list[dict[int, list[Any]]], node: Any, a: int) -> bool:
    probs = beh[node.player].get(node.infoset)
    return probs is not None and probs[a] != 0


def _reach(tree: Any, beh: list[dict[int, list[Any]]]) -> list[Any]:
    reach: list[Any] = [Fraction(0)] * len(tree.nodes)
    reach[0] = Fraction(1)
    for k, node in enumerate(tree.nodes):
        if not node.children:
            continue
        probs = (
            node.probs
            if node.is_chance
            else beh[node.player].get(node.infoset, [0] * len(node.children))
        )
        for c, p in zip(node.children, probs, strict=True):
            reach[c] = reach[k] * p
    return reach


def _value(tree: Any, beh: list[dict[int, list[Any]]], n: int) -> list[Any]:
    """Expected payoffs from node ``n`` under ``beh``; an explicit stack (deep trees)."""
    vals: dict[int, list[Any]] = {}
    stack = [(n, False)]
    while stack:
        k, done = stack.pop()
        node = tree.nodes[k]
        if node.is_terminal:
            vals[k] = list(node.payoffs)
            continue
        probs = node.probs if node.is_chance else beh[node.player][node.infoset]
        kids = [(c, p) for c, p in zip(node.children, probs, strict=True) if p != 0]
        if not done:
            stack.append((k, True))
            stack.extend((c, False) for c, _ in kids)
            continue
        total: list[Any] = [0] * len(tree.players)
        for c, p in kids:
            total = [t + p * v for t, v in zip(total, vals.pop(c), strict=True)]
        vals[k] = total
    return vals[n]


def _region(model: Model, diffs: list[Any]) -> str:
    """The credible region in words: an interval when one parameter appears, else the inequality."""
    import sympy

    from solver.core.expr import symbol

    if not diffs:
        return "everywhere"
    free = set().union(*(d.free_symbols for d in diffs))
    if not free:
        return "everywhere" if all(d >= 0 for d in diffs) else "nowhere on the parameter ranges"
    if len(free) == 1:
        (s,) = free
        p = next(p for p in model.parameters if symbol(p.name) == s)
        dom = sympy.Interval(sympy.Rational(p.low), sympy.Rational(p.high))
        sol = dom
        for d in diffs:
            sol = sol.intersect(sympy.solveset(d >= 0, s, domain=dom))
        if sol == sympy.EmptySet:
            return "nowhere on the parameter range"
        if isinstance(sol, sympy.Interval):
            lo, hi = ("(" if sol.left_open else "["), (")" if sol.right_open else "]")
            return f"{p.name} in {lo}{sol.start}, {sol.end}{hi}"
        return f"{p.name} in {sol}"
    return " and ".join(f"{d} >= 0" for d in diffs)
