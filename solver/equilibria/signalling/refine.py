"""Equilibrium refinements of signalling games: the intuitive criterion and D1 (Cho & Kreps 1987,
QJE 102(2):179-221, §§IV-V; Banks & Sobel 1987, Econometrica 55(3):647-661), exact.

Both judge an equilibrium *outcome*: the types' equilibrium payoffs ``u*(t)`` and which messages
no type sends.

* **Intuitive criterion.**  For an unsent message ``m``, ``J(m)`` holds the types for whom ``m``
  is equilibrium-dominated: ``u*(t) > max over BR(T, m)`` of their payoff.  The outcome fails if
  some type ``t`` gets more than ``u*(t)`` from ``m`` under *every* response in
  ``BR(T \\ J(m), m)`` (the responses optimal under some belief on the other types; where
  ``J(m) = T`` the test imposes nothing).  With receiver types, each receiver type responds to
  some such belief, and a type's payoff sums over them.
* **D1.**  For an unsent ``m``, ``D_t`` (``D0_t``) are the receiver's mixed best responses (to
  any belief) that give type ``t`` more than (exactly) ``u*(t)``.  Type ``t`` is deleted when
  ``D_t`` together with ``D0_t`` lies inside ``D_t'`` for one other type ``t'``.  The outcome
  survives if at every unsent message some response keeping every type at or below ``u*`` is a
  best response to a belief on the types not deleted (all types, if all are).  Computed where the
  receiver has one type and at most two responses at ``m`` (the mixed responses are then an
  interval); elsewhere ``None`` (not applied), unless another message already fails it.

>>> from solver.core.signalling import Signalling
>>> from solver.equilibria.signalling.model import exact
>>> F = Fraction  # beer-quiche, prior weak 1/10: u_S = 1 for the preferred breakfast + 2 unless dueled
>>> us = ((((0, 2), (1, 3)),), (((1, 3), (0, 2)),))  # [t][r][m][a]: Weak, Strong; Beer, Quiche
>>> ur = ((((1, 0), (1, 0)),), (((0, 1), (0, 1)),))  # Duel, Not
>>> g = Signalling("S", "R", ("Weak", "Strong"), ("",), ((F(1, 10),), (F(9, 10),)),
...     ("Beer", "Quiche"), (("Duel", "Not"),) * 2, us, ur)
>>> beer = [[F(1), F(0)], [F(1), F(0)]]; quiche = [[F(0), F(1)], [F(0), F(1)]]
>>> duel_q = [[[F(0), F(1)]], [[F(1), F(0)]]]; duel_b = [[[F(1), F(0)]], [[F(0), F(1)]]]
>>> ex = exact(g)
>>> intuitive_criterion(ex, beer, duel_q), intuitive_criterion(ex, quiche, duel_b), d1(ex, quiche, duel_b)
(True, False, False)
"""

from __future__ import annotations

from fractions import Fraction

from solver.equilibria.signalling.model import Exact, Rho, Sigma, belief_region, responses_for, sender_value


def payoffs(ex: Exact, rho: Rho) -> list[Fraction]:
    """``u*(t)``: each type's best payoff against ``rho`` (its equilibrium payoff)."""
    return [max(sender_value(ex, rho, t, m) for m in range(ex.nm)) for t in range(ex.nt)]


def unsent(ex: Exact, sigma: Sigma) -> list[int]:
    """The messages no type of positive prior sends."""
    live = [t for t in range(ex.nt) if sum(ex.prior[t], Fraction(0)) > 0]
    return [m for m in range(ex.nm) if all(sigma[t][m] == 0 for t in live)]


def _extreme(ex: Exact, t: int, m: int, types: tuple[int, ...], best: bool) -> Fraction:
    """Type ``t``'s highest (lowest) payoff from ``m`` over each receiver type's ``BR(types, m)``."""
    pick = max if best else min
    return sum(
        (ex.weight[t][r] * pick(ex.us[t][r][m][a] for a in responses_for(ex, m, r, types)) for r in range(ex.nr)),
        Fraction(0),
    )


def intuitive_criterion(ex: Exact, sigma: Sigma, rho: Rho) -> bool:
    """Whether the outcome of ``(sigma, rho)`` survives Cho & Kreps' intuitive criterion."""
    ustar = payoffs(ex, rho)
    every = tuple(range(ex.nt))
    for m in unsent(ex, sigma):
        dominated = {t for t in every if ustar[t] > _extreme(ex, t, m, every, True)}
        rest = tuple(t for t in every if t not in dominated) or every
        if any(_extreme(ex, t, m, rest, False) > ustar[t] for t in every):
            return False
    return True


def d1(ex: Exact, sigma: Sigma, rho: Rho) -> bool | None:
    """Whether the outcome survives D1; ``None`` where D1 is not computed (see the module)."""
    ustar = payoffs(ex, rho)
    unknown = False
    for m in unsent(ex, sigma):
        if ex.nr != 1 or ex.na[m] > 2:
            unknown = True
        elif ex.na[m] == 2 and not _d1_message(ex, m, ustar):
            return False
    return None if unknown else True


Interval = tuple[Fraction, Fraction] | None


def _where(c: Fraction, d: Fraction, lo: Fraction, hi: Fraction, sign: int) -> Interval:
    """``{x in [lo, hi] : sign * (c x + d) >= 0}``, a closed interval or None."""
    c, d = sign * c, sign * d
    if c == 0:
        return (lo, hi) if d >= 0 else None
    cut = -d / c
    a, b = (max(lo, cut), hi) if c > 0 else (lo, min(hi, cut))
    return (a, b) if a <= b else None


def _d1_message(ex: Exact, m: int, ustar: list[Fraction]) -> bool:
    """D1 at an unsent message with two responses; ``x`` the probability of the first."""
    zero, one = Fraction(0), Fraction(1)
    slope = [ex.us[t][0][m][0] - ex.us[t][0][m][1] for t in range(ex.nt)]
    level = [ex.us[t][0][m][1] - ustar[t] for t in range(ex.nt)]  # f_t(x) = slope x + level

    def f(t: int, x: Fraction) -> Fraction:
        return slope[t] * x + level[t]

    first, second = bool(belief_region(ex, m, 0, (0,))), bool(belief_region(ex, m, 0, (1,)))
    lo, hi = (zero if second else one), (one if first else zero)  # the mixed best responses
    gains = [_where(slope[t], level[t], lo, hi, 1) for t in range(ex.nt)]
    deleted = set()
    for t, g in enumerate(gains):
        others = [u for u in range(ex.nt) if u != t]
        if g is None or any(f(u, g[0]) > 0 and f(u, g[1]) > 0 for u in others):
            deleted.add(t)
    keep = tuple(t for t in range(ex.nt) if t not in deleted) or tuple(range(ex.nt))
    hold: Interval = (zero, one)  # responses that keep every type at or below u*
    for t in range(ex.nt):
        if hold is not None:
            hold = _where(slope[t], level[t], hold[0], hold[1], -1)
    if hold is None:
        return False
    if belief_region(ex, m, 0, (0, 1), keep):
        return True
    return bool(
        (hold[1] == one and belief_region(ex, m, 0, (0,), keep))
        or (hold[0] == zero and belief_region(ex, m, 0, (1,), keep))
    )
