"""Grim trigger in the parameters: the critical discount factor as a sympy expression, by branch.

The formula of :mod:`solver.equilibria.repeated.grim`, ``delta_i = (d_i - u_i(a)) / (d_i -
u_i(e))``, depends on which deviation is best for ``i`` and on the signs of ``d_i - u_i(a)`` and
``u_i(a) - u_i(e)``.  Each case is a :class:`Branch`: the value (``None``: no delta < 1 works) and
the conditions, sympy relationals in the parameters, under which it holds.  Branches of different
players combine into the overall ``delta* = max_i delta_i``.  The reversion profile must be a pure
profile; that it is a stage equilibrium is itself a list of conditions (``equilibrium``).

Prisoner's dilemma (Axelrod 1984): with T > R > P, ``delta* = (T - R)/(T - P)``.

>>> from solver.formats import load
>>> g = symbolic_grim(load("prisoners_dilemma"), ("Cooperate", "Cooperate"), ("Defect", "Defect"))
>>> [b.value for b in g.overall]
[0, (R - T)/(P - T), None]
>>> g.overall[1].conditions
(T > R, R > P)
>>> g.at({"T": 5, "R": 3, "P": 1, "S": 0}).value
(R - T)/(P - T)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

import sympy as sp

from solver.core.errors import ModelError, SolverError, UsageError
from solver.core.expr import symbol, to_sympy
from solver.core.symbolic import Model, evaluate
from solver.equilibria.repeated.symbolic_nash import as_sympy, equilibrium_values


@dataclass(frozen=True)
class Branch:
    """One case: ``value`` (sympy; None: no delta < 1) when every condition holds."""

    value: Any
    conditions: tuple[Any, ...]
    #: per-player branches: the best deviation in this case (None: none pays)
    deviation: str | None = None

    def holds(self, values: Mapping[str, Any]) -> bool:
        subs = {symbol(k): to_sympy(Fraction(v)) for k, v in values.items()}
        return all(bool(c.subs(subs)) for c in self.conditions)


@dataclass(frozen=True)
class SymbolicGrim:
    """Per-player and overall branches of the grim-trigger critical delta."""

    target: tuple[str, ...]
    #: per player: the stage equilibrium a deviator is punished with
    reversion: tuple[str, ...]
    by_player: Mapping[str, tuple[Branch, ...]]
    overall: tuple[Branch, ...]
    #: conditions under which the reversions are stage equilibria (and each the worst for its
    #: player, when chosen at a parameter point)
    equilibrium: tuple[Any, ...]

    def at(self, values: Mapping[str, Any]) -> Branch | None:
        """The overall branch that holds at a parameter point (None: none does)."""
        for b in self.overall:
            if b.holds(values):
                return b
        return None


def _signed(c: Any) -> tuple[Any, bool]:
    """``(e, strict)`` with ``c`` meaning ``e > 0`` (strict) or ``e >= 0``."""
    if isinstance(c, sp.StrictGreaterThan | sp.GreaterThan):
        return sp.expand(c.lhs - c.rhs), isinstance(c, sp.StrictGreaterThan)
    return sp.expand(c.rhs - c.lhs), isinstance(c, sp.StrictLessThan)


def _tidy(c: Any) -> Any:
    """A relational rewritten readably: for a polynomial difference, positive terms on the left
    and negative ones on the right (``strike_cost < iran_cost*strike_eff``); otherwise one
    factored fraction compared with zero."""
    if c is sp.true or c is sp.false or not isinstance(c, sp.Rel):
        return c
    e, strict = _signed(c)
    num, den = sp.fraction(sp.cancel(sp.together(e)))
    rel = sp.StrictGreaterThan if strict else sp.GreaterThan
    if not den.is_number:
        return rel(sp.factor(num) / sp.factor(den), 0)
    num = sp.expand(num if den > 0 else -num)
    terms = sp.Add.make_args(num)
    pos = sp.Add(*[t for t in terms if t.as_coeff_Mul()[0] > 0])
    neg = -sp.Add(*[t for t in terms if t.as_coeff_Mul()[0] < 0])
    return rel(pos, neg)


def _keep(conditions: Sequence[Any]) -> tuple[Any, ...] | None:
    """Conditions without the trivially true ones and repeats; None when one is trivially false
    or two contradict each other (``e > 0`` with ``-e >= 0``)."""
    out: list[Any] = []
    seen: dict[Any, bool] = {}
    for raw in conditions:
        c = _tidy(raw)
        if c is sp.false or c is False:
            return None
        if c is sp.true or c is True:
            continue
        e, strict = _signed(c)
        if -e in seen and (strict or seen[-e]):
            return None
        if e in seen:
            if strict and not seen[e]:  # e > 0 replaces e >= 0
                out = [o for o in out if _signed(o)[0] != e]
            else:
                continue
        seen[e] = strict or seen.get(e, False)
        out.append(c)
    return tuple(out)


def _player_branches(u: Any, i: int, target: tuple[int, ...], ue: Any, labels: Sequence[str]) -> list[Branch]:
    """Player i's cases: no deviation pays; deviation k is best and pays (then delta_i, or None
    when the target is no better than the reversion payoff ``ue``)."""
    ua = u[(i, *target)]
    alts = []
    for k in range(len(labels)):
        if k != target[i]:
            idx = list(target)
            idx[i] = k
            alts.append((k, u[(i, *idx)]))
    out = []
    none_pays = _keep([sp.Ge(ua, v) for _, v in alts])
    if none_pays is not None:
        out.append(Branch(sp.Integer(0), none_pays, None))
    for k, dk in alts:
        best = [sp.Ge(dk, v) for k2, v in alts if k2 != k]
        works = _keep([sp.Gt(dk, ua), *best, sp.Gt(ua, ue)])
        if works is not None:
            out.append(Branch(sp.factor(sp.cancel((dk - ua) / (dk - ue))), works, labels[k]))
        fails = _keep([sp.Gt(dk, ua), *best, sp.Le(ua, ue)])
        if fails is not None:
            out.append(Branch(None, fails, labels[k]))
    return out


def grim_branches(
    payoffs: Any,
    players: Sequence[str],
    strategies: Sequence[Sequence[str]],
    target: tuple[int, ...],
    reversion: Sequence[Any],
    names: Sequence[str],
    equilibrium: Sequence[Any] = (),
) -> SymbolicGrim:
    """Branches of delta* for sympy ``payoffs`` (shape ``(n, s1, ..., sn)``), the target's
    indices and each player's reversion payoff ``reversion[i]`` (sympy; the equilibrium named
    ``names[i]``, valid under the conditions ``equilibrium``)."""
    by = {
        p: tuple(_player_branches(payoffs, i, target, reversion[i], strategies[i])) for i, p in enumerate(players)
    }
    combined = []
    for combo in product(*by.values()):
        conds = _keep([c for b in combo for c in b.conditions])
        if conds is None:
            continue
        values = [b.value for b in combo]
        nonzero = [v for v in values if v is not None and v != 0]  # every delta_i is >= 0
        value = None if any(v is None for v in values) else sp.Max(*nonzero) if nonzero else sp.Integer(0)
        combined.append(Branch(value, conds))
    conds = _keep(equilibrium)
    if conds is None:
        raise SolverError("the reversion profile is never a stage equilibrium, for any parameter values")
    label = tuple(s[k] for s, k in zip(strategies, target, strict=True))
    return SymbolicGrim(label, tuple(names), by, tuple(combined), conds)


def _index(model: Model, profile: Sequence[str], what: str) -> tuple[int, ...]:
    if len(profile) != len(model.players):
        raise UsageError(f"the {what} names {len(profile)} strategies; the game has {len(model.players)} players")
    out = []
    for player, labels, s in zip(model.players, model.strategies, profile, strict=True):
        if s not in labels:
            raise UsageError(f"{s!r} is not a strategy of {player} ({', '.join(labels)})")
        out.append(labels.index(s))
    return tuple(out)


def _worst_reversions(
    model: Model, payoffs: Any, values: Mapping[str, Any] | None
) -> tuple[list[Any], list[str], list[Any]]:
    """Per player: the symbolic payoff of the stage equilibrium worst for them at the model's
    values, its name, and the conditions that keep every equilibrium used an equilibrium and
    the worst one the worst (valid while the stage equilibria are those found there)."""
    from solver.equilibria.repeated.stage import stage_equilibria

    game = evaluate(model, values, exact=True)
    eqs = stage_equilibria(game).equilibria
    symbolic = []
    for e in eqs:
        try:
            symbolic.append((e, *equilibrium_values(payoffs, e.support())))
        except SolverError:
            continue  # degenerate: no closed form from its support
    if not symbolic:
        raise SolverError("no stage equilibrium with a closed form at these values: name a reversion profile")
    out, names, conds = [], [], []
    for i in range(len(model.players)):
        e, vals, eq_conds = min(symbolic, key=lambda t: t[0].values[i])
        out.append(vals[i])
        names.append(e.describe())
        conds += [*eq_conds, *(sp.Le(vals[i], other[i]) for _, other, _ in symbolic if other[i] is not vals[i])]
    return out, names, conds


def symbolic_grim(
    model: Model,
    target: Sequence[str],
    reversion: Sequence[str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> SymbolicGrim:
    """Grim trigger branches for a strategic-form model.  ``reversion`` names a pure profile to
    revert to; without it each deviator reverts to the stage equilibrium worst for them at the
    model's values (plus ``values``), pure or (two players) mixed, in closed form."""
    if model.tree is not None:
        raise ModelError("symbolic grim trigger needs a strategic-form model")
    t = _index(model, target, "target")
    payoffs = as_sympy(model.payoffs)
    if reversion is None:
        ue, names, conds = _worst_reversions(model, payoffs, values)
    else:
        rev = _index(model, reversion, "reversion profile")
        vals, eq_conds = equilibrium_values(payoffs, tuple((k,) for k in rev))
        ue, conds = list(vals), list(eq_conds)
        names = ["pure (" + ", ".join(s[k] for s, k in zip(model.strategies, rev, strict=True)) + ")"] * len(rev)
    return grim_branches(payoffs, model.players, model.strategies, t, ue, names, conds)
