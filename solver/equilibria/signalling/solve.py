"""Every perfect Bayesian equilibrium of a signalling game, each with its beliefs, the off-path
beliefs that support it, its kind and the Cho-Kreps refinements.

:func:`solve_signalling` runs the support-pattern search of :mod:`.supports`, then for each
extreme PBE ``(sigma, rho)``: Bayes' beliefs on the path; at each off-path set the polytope of
beliefs under which the responses played there are optimal (its vertices; with two sender types
the interval of the belief on the first, :meth:`PBE.interval`); the kind (*pooling*: every type
of positive prior sends one and the same message; *separating*: each sends one message, all
different; otherwise *semi-separating*); the intuitive criterion and D1 (:mod:`.refine`).  Each
is verified (:func:`.check.is_pbe`, exact) before it is reported.  Numbers are Fractions, the
game's floats converted exactly.

>>> from solver.core.signalling import Signalling
>>> F = Fraction
>>> us = ((((0, 2), (1, 3)),), (((1, 3), (0, 2)),)); ur = ((((1, 0), (1, 0)),), (((0, 1), (0, 1)),))
>>> g = Signalling("S", "R", ("Weak", "Strong"), ("",), ((F(1, 10),), (F(9, 10),)),
...     ("Beer", "Quiche"), (("Duel", "Not"),) * 2, us, ur)
>>> res = solve_signalling(g)
>>> for e in res.equilibria:
...     m = e.sigma[0].index(1)  # the pooled message; the other one is off the path
...     print(g.messages[m], e.kind, e.rho[1 - m][0][0], e.interval(1 - m, 0), e.intuitive_criterion, e.d1)
Beer pooling 1 (Fraction(1, 2), Fraction(1, 1)) True True
Beer pooling 1/2 (Fraction(1, 2), Fraction(1, 2)) True True
Quiche pooling 1 (Fraction(1, 2), Fraction(1, 1)) False False
Quiche pooling 1/2 (Fraction(1, 2), Fraction(1, 2)) False False
>>> res.components, res.complete
(((0, 1), (2, 3)), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from solver.core.budget import UNBOUNDED, Budget
from solver.core.signalling import Signalling
from solver.equilibria.signalling.check import is_pbe
from solver.equilibria.signalling.model import Exact, belief_region, exact, posterior, sender_value
from solver.equilibria.signalling.polytope import Point
from solver.equilibria.signalling.refine import d1, intuitive_criterion
from solver.equilibria.signalling.supports import MAX_PATTERNS, Key, RhoKey, enumerate_patterns, maximal, pairs

#: report at most this many extreme PBE
MAX_EXTREME = 5_000


@dataclass(frozen=True)
class PBE:
    """One extreme perfect Bayesian equilibrium (indices inside: see :class:`Signalling`)."""

    sigma: Key  # [t][m]
    rho: RhoKey  # [m][r][a]
    #: Bayes' belief over sender types at each on-path set (m, r); None off the path
    beliefs: tuple[tuple[tuple[Fraction, ...] | None, ...], ...]
    #: ((m, r), vertices of the beliefs that make the responses played there optimal), off the path
    off_path: tuple[tuple[tuple[int, int], tuple[Point, ...]], ...]
    sender_payoffs: tuple[Fraction, ...]  # u*(t)
    receiver_payoff: Fraction  # ex ante
    kind: str
    intuitive_criterion: bool
    d1: bool | None
    #: the components (indices into :attr:`SignallingResult.components`) that contain it
    components: tuple[int, ...] = ()

    def interval(self, m: int, r: int) -> tuple[Fraction, Fraction] | None:
        """Off the path at (m, r) with two sender types: the range of the belief on the first."""
        for cell, pts in self.off_path:
            if cell == (m, r) and len(pts[0]) == 2:
                firsts = [p[0] for p in pts]
                return min(firsts), max(firsts)
        return None


@dataclass(frozen=True)
class SignallingResult:
    game: Signalling
    equilibria: tuple[PBE, ...]
    #: groups of indices into ``equilibria``: each the vertex pairs of one convex set of PBE
    components: tuple[tuple[int, ...], ...]
    complete: bool
    #: support patterns examined
    patterns: int
    limits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def solve_signalling(
    game: Signalling, budget: Budget = UNBOUNDED, max_patterns: int = MAX_PATTERNS
) -> SignallingResult:
    """Every extreme PBE of ``game`` (see the module docstring); ``complete`` False where the
    budget, ``max_patterns`` or :data:`MAX_EXTREME` stopped the search (``limits`` says which)."""
    ex = exact(game)
    search = enumerate_patterns(ex, budget, max_patterns)
    limits = [search.limit] if search.limit else []
    notes: list[str] = []
    comps = maximal(search.pieces)
    index: dict[tuple[Key, RhoKey], int] = {}
    eqs: list[PBE] = []
    for pair in pairs(comps):
        if len(index) >= MAX_EXTREME:
            limits.append(f"more than {MAX_EXTREME:,} extreme PBE: the first are listed")
            break
        sigma, rho = [list(r) for r in pair[0]], [[list(p) for p in by_r] for by_r in pair[1]]
        if not is_pbe(ex, sigma, rho):  # cannot happen (the polytopes are exact): never reported
            notes.append("an equilibrium failed its exact verification and was dropped")
            continue
        index[pair] = len(eqs)
        eqs.append(describe(ex, pair[0], pair[1]))
    groups = []
    for sig, rh in comps:
        members = tuple(index[p] for p in pairs([(sig, rh)]) if p in index)
        if members:
            groups.append(members)
    owner: dict[int, list[int]] = {}
    for c, members in enumerate(groups):
        for k in members:
            owner.setdefault(k, []).append(c)
    eqs = [PBE(**{**e.__dict__, "components": tuple(owner.get(k, ()))}) for k, e in enumerate(eqs)]
    return SignallingResult(
        game, tuple(eqs), tuple(groups), search.complete and not limits, search.patterns,
        tuple(dict.fromkeys(limits)), tuple(dict.fromkeys(notes)),
    )


def describe(ex: Exact, sig: Key, rh: RhoKey) -> PBE:
    """The :class:`PBE` of a verified profile: beliefs, off-path ranges, kind, refinements."""
    sigma = [list(r) for r in sig]
    rho = [[list(p) for p in by_r] for by_r in rh]
    beliefs = []
    off: list[tuple[tuple[int, int], tuple[Point, ...]]] = []
    for m in range(ex.nm):
        row: list[tuple[Fraction, ...] | None] = []
        for r in range(ex.nr):
            mu = posterior(ex, sigma, m, r)
            row.append(None if mu is None else tuple(mu))
            if mu is None:
                played = tuple(a for a, p in enumerate(rho[m][r]) if p > 0)
                off.append(((m, r), tuple(belief_region(ex, m, r, played))))
        beliefs.append(tuple(row))
    ustar = tuple(max(sender_value(ex, rho, t, m) for m in range(ex.nm)) for t in range(ex.nt))
    receiver = sum(
        (ex.prior[t][r] * sigma[t][m] * sum((p * ex.ur[t][r][m][a] for a, p in enumerate(rho[m][r])), Fraction(0))
         for t in range(ex.nt) for r in range(ex.nr) for m in range(ex.nm) if sigma[t][m]),
        Fraction(0),
    )
    return PBE(
        sig, rh, tuple(beliefs), tuple(off), ustar, receiver, kind(ex, sigma),
        intuitive_criterion(ex, sigma, rho), d1(ex, sigma, rho),
    )


def kind(ex: Exact, sigma: list[list[Fraction]]) -> str:
    """``pooling``, ``separating`` or ``semi-separating`` (see the module docstring)."""
    return signal_kind(ex.prior, sigma)


def signal_kind(prior: Sequence[Sequence[Fraction | float | int]], sigma: Sequence[Sequence[Fraction]]) -> str:
    """The kind of a sender strategy ``sigma`` (type -> message -> probability) given each type's
    prior weights: ``pooling`` when every type with positive prior sends one message, the same;
    ``separating`` when each sends one, all different; else ``semi-separating``."""
    live = [t for t in range(len(prior)) if sum(prior[t], Fraction(0)) > 0] or list(range(len(prior)))
    sent = [[m for m, p in enumerate(sigma[t]) if p > 0] for t in live]
    if all(len(s) == 1 for s in sent):
        distinct = len({s[0] for s in sent})
        if distinct == 1:
            return "pooling"
        if distinct == len(live):
            return "separating"
    return "semi-separating"
