"""A perfect Bayesian equilibrium of a signalling game read for an analyst: its kind, what the
receiver believes, the receiver's answer to each message nobody sends (the off-path threat, and
the beliefs that support it), and why it survives or fails the intuitive criterion.

The equilibria are the solver's (:mod:`solver.equilibria.signalling`, through the tree solver);
this module re-reads one from its behaviour strategies with the solver's exact primitives:

* **Supporting beliefs** (Fudenberg & Tirole 1991, §8.2): after a message no type sends, Bayes'
  rule says nothing; the response played there must be optimal under *some* belief, and the set of
  such beliefs is :func:`~solver.equilibria.signalling.model.belief_region`.
* **Intuitive criterion** (Cho & Kreps 1987, QJE 102(2), §IV): ``J(m)``, the types for which the
  unsent ``m`` is equilibrium-dominated (``u*(t)`` above the best ``m`` can give them); the outcome
  fails if some type gains from ``m`` under every reply to a belief on the other types.  A threat
  is *killed* when no belief on the types outside ``J(m)`` supports it (Gibbons 1992, §4.4,
  Signaling Requirement 6: such beliefs put no weight on ``J(m)`` where possible).

>>> from solver.formats import load
>>> m = load("beer_quiche")
>>> g = signalling_game(m, m.values({}))
>>> from solver.equilibria.trees.sequential import credible_solve
>>> eqs = credible_solve(m, m.values({})).equilibria
>>> [(o.response, o.belief, o.killed) for e in eqs[::2] for o in read_pbe(g, e.extra["behaviour"]).off_path]
[('Duel', 'A is Weak with probability 1/2 or more', False), ('Duel', 'A is Weak with probability 1/2 or more', True)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from solver.core.signalling import Signalling, from_tree
from solver.core.symbolic import Model
from solver.core.tree import Tree
from solver.equilibria.signalling.model import Exact, belief_region, exact, posterior, responses_for
from solver.equilibria.signalling.refine import payoffs, unsent

#: behaviour probabilities are read back as the nearest fraction with at most this denominator
DENOMINATOR = 10**9


@dataclass(frozen=True)
class Game:
    """A signalling tree: the tree at the values, the game, its exact form, its sets' labels."""

    tree: Tree
    sig: Signalling
    ex: Exact
    sender_sets: tuple[str, ...]  # per type
    receiver_sets: tuple[tuple[str, ...], ...]  # per message, per receiver type
    where: tuple[tuple[str, ...], ...]  # per message, per receiver type: "A Quiche"


@dataclass(frozen=True)
class OffPath:
    """The receiver's answer after a message no type sends (one receiver type)."""

    message: str
    receiver_type: str  # "" where the receiver has one type
    infoset: str
    where: str
    response: str  # "Duel", or "Duel 1/2, Not duel 1/2"
    #: the beliefs under which that answer is optimal: ``{"type", "min", "max"}`` (two sender
    #: types; exact strings) or ``{"types", "vertices"}``
    supporting: dict[str, Any]
    belief: str  # the same in words
    #: the types for which the message is equilibrium-dominated (Cho & Kreps' J(m))
    dominated: tuple[str, ...]
    #: no belief on the other types supports the answer: the intuitive criterion rules it out
    killed: bool
    #: the types that would gain from the message under every reply to such beliefs
    breakers: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Reading:
    """One PBE in words: its kind, on-path beliefs, off-path threats, the criterion's verdict."""

    kind: str
    kind_words: str
    beliefs: tuple[str, ...]
    off_path: tuple[OffPath, ...]
    intuitive_criterion: bool


def signalling_game(model: Model, values: Mapping[str, Any]) -> Game | None:
    """The signalling game of ``model``'s tree at ``values`` (exact), or None for any other tree."""
    if model.tree is None:
        return None
    tree = model.tree.at(values) if model.tree.symbolic else model.tree
    sig = from_tree(tree)
    if sig is None:
        return None
    sender = tuple(tree.infosets[tree.nodes[row[0]].infoset].label for row in sig.states)
    sets, where = [], []
    for msg in sig.messages:
        kids = [[tree.nodes[s].children[tree.actions(s).index(msg)] for s in row] for row in sig.states]
        sets.append(tuple(tree.infosets[tree.nodes[k].infoset].label for k in kids[0]))
        where.append(tuple(_common(tree, [kids[t][r] for t in range(len(kids))]) for r in range(len(kids[0]))))
    return Game(tree, sig, exact(sig), sender, tuple(sets), tuple(where))


def _common(tree: Tree, nodes: Sequence[int]) -> str:
    """The moves every node's history shares, in words (``A Quiche``)."""
    paths = [tree.describe(n).split(", ") for n in nodes]
    return ", ".join(s for s in paths[0] if all(s in p for p in paths[1:]))


def _q(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x).limit_denominator(DENOMINATOR)


def profile(g: Game, behaviour: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> tuple[Any, Any]:
    """``(sigma[t][m], rho[m][r][a])`` in Fractions from a behaviour profile (the JSON's)."""
    sig = g.sig
    sender, receiver = behaviour[sig.sender], behaviour[sig.receiver]
    sigma = [[_q(sender[h][m]) for m in sig.messages] for h in g.sender_sets]
    rho = [[[_q(receiver[h][a]) for a in sig.responses[m]] for h in row] for m, row in enumerate(g.receiver_sets)]
    return sigma, rho


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(x)


def _mix(labels: Sequence[str], probs: Sequence[Fraction]) -> str:
    played = [(a, p) for a, p in zip(labels, probs, strict=True) if p]
    return played[0][0] if len(played) == 1 else ", ".join(f"{a} {_num(p)}" for a, p in played)


def _range_words(sender: str, kind: str, lo: Fraction, hi: Fraction) -> str:
    if lo == hi:
        return f"{sender} is {kind} with probability exactly {_num(lo)}"
    if lo == 0 and hi == 1:
        return "any belief"
    if hi == 1:
        return f"{sender} is {kind} with probability {_num(lo)} or more"
    if lo == 0:
        return f"{sender} is {kind} with probability {_num(hi)} or less"
    return f"{sender} is {kind} with probability from {_num(lo)} to {_num(hi)}"


def _supporting(g: Game, m: int, r: int, played: tuple[int, ...]) -> tuple[dict[str, Any], str]:
    pts = belief_region(g.ex, m, r, played)
    types = g.sig.types
    if len(types) == 2:
        lo, hi = min(p[0] for p in pts), max(p[0] for p in pts)
        return {"type": types[0], "min": _num(lo), "max": _num(hi)}, _range_words(g.sig.sender, types[0], lo, hi)
    corners = "; ".join("(" + ", ".join(f"{t} {_num(x)}" for t, x in zip(types, p, strict=True)) + ")" for p in pts)
    return {"types": list(types), "vertices": [[_num(x) for x in p] for p in pts]}, f"any mix of the beliefs {corners}"


def _value(ex: Exact, t: int, m: int, types: tuple[int, ...], pick: Any) -> Fraction:
    """Type ``t``'s best (``max``) or worst (``min``) payoff from ``m`` over the replies to beliefs on ``types``."""
    return sum(
        (ex.weight[t][r] * pick(ex.us[t][r][m][a] for a in responses_for(ex, m, r, types)) for r in range(ex.nr)),
        Fraction(0),
    )


def _why(g: Game, m: int, ustar: list[Fraction], dominated: tuple[int, ...], breakers: tuple[int, ...]) -> str:
    """The intuitive criterion at the unsent message ``m``, in words."""
    sig, ex = g.sig, g.ex
    every = tuple(range(ex.nt))
    msg, types = sig.messages[m], sig.types
    if not dominated:
        return f"every type of {sig.sender} could gain from {msg} under some reply: the criterion restricts no belief"
    if len(dominated) == ex.nt:
        return f"{msg} cannot pay for any type of {sig.sender}: the criterion restricts no belief"
    rest = tuple(t for t in every if t not in dominated)
    cannot = "; ".join(
        f"{types[t]} gets {_num(ustar[t])} here, at most {_num(_value(ex, t, m, every, max))} from {msg}"
        for t in dominated
    )
    names = " or ".join(types[t] for t in rest)
    answers = (sig.responses[m][a] for r in range(ex.nr) for a in responses_for(ex, m, r, rest))
    replies = " or ".join(dict.fromkeys(answers))
    head = (
        f"{msg} cannot pay for {' or '.join(types[t] for t in dominated)} ({cannot}), so {sig.receiver} "
        f"should read {msg} as coming from {names}"
    )
    if breakers:
        gains = "; ".join(
            f"{types[t]} gets {_num(_value(ex, t, m, rest, min))} instead of {_num(ustar[t])}" for t in breakers
        )
        return f"{head}; it then answers {replies}, and sending {msg} pays ({gains})"
    return f"{head}; it may then answer {replies}, which leaves no type better off than here"


def read_pbe(g: Game, behaviour: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Reading:
    """The :class:`Reading` of the PBE with ``behaviour`` (a solver's ``extra["behaviour"]``)."""
    sig, ex = g.sig, g.ex
    sigma, rho = profile(g, behaviour)
    ustar = payoffs(ex, rho)
    every = tuple(range(ex.nt))
    off: list[OffPath] = []
    failed = False
    for m in unsent(ex, sigma):
        dominated = tuple(t for t in every if ustar[t] > _value(ex, t, m, every, max))
        rest = tuple(t for t in every if t not in dominated) or every
        breakers = tuple(t for t in every if _value(ex, t, m, rest, min) > ustar[t])
        failed = failed or bool(breakers)
        why = _why(g, m, ustar, dominated, breakers)
        for r in range(ex.nr):
            played = tuple(a for a, p in enumerate(rho[m][r]) if p)
            supporting, words = _supporting(g, m, r, played)
            killed = rest != every and not belief_region(ex, m, r, played, rest)
            off.append(OffPath(
                sig.messages[m], sig.receiver_types[r], g.receiver_sets[m][r], g.where[m][r],
                _mix(sig.responses[m], rho[m][r]), supporting, words,
                tuple(sig.types[t] for t in dominated), killed, tuple(sig.types[t] for t in breakers), why,
            ))
    kind = _kind(sig, sigma)
    return Reading(kind, _kind_words(sig, sigma, kind), tuple(_beliefs(g, sigma)), tuple(off), not failed)


def _kind(sig: Signalling, sigma: list[list[Fraction]]) -> str:
    from solver.equilibria.signalling.solve import signal_kind

    return signal_kind(sig.prior, sigma)


def _kind_words(sig: Signalling, sigma: list[list[Fraction]], kind: str) -> str:
    s, r = sig.sender, sig.receiver
    plays = "; ".join(f"{t} {_mix(sig.messages, sigma[k])}" for k, t in enumerate(sig.types))
    if kind == "pooling":
        m = sig.messages[max(range(len(sig.messages)), key=lambda j: sigma[0][j])]
        return f"Pooling: every type of {s} sends {m}, so {m} tells {r} nothing about {s}'s type."
    if kind == "separating":
        return f"Separating: each type of {s} sends its own message ({plays}), so {r} learns {s}'s type from it."
    return f"Semi-separating: {plays}; {r} learns something about {s}'s type from the message, not everything."


def _beliefs(g: Game, sigma: list[list[Fraction]]) -> list[str]:
    sig = g.sig
    out = []
    for m, msg in enumerate(sig.messages):
        for r, who in enumerate(sig.receiver_types):
            mu = posterior(g.ex, sigma, m, r)
            if mu is not None:
                mine = f" ({sig.receiver} {who})" if who else ""
                cells = ", ".join(f"{t} {_num(x)}" for t, x in zip(sig.types, mu, strict=True))
                out.append(f"after {msg}{mine}: {cells}")
    return out

