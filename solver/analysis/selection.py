"""Choosing among several equilibria: payoff dominance and risk dominance (Harsanyi & Selten,
*A General Theory of Equilibrium Selection in Games*, MIT Press 1988, ch. 3 and 5).

* **Payoff dominance.**  Equilibrium ``e`` payoff-dominates ``f`` when every player gets at
  least as much at ``e`` as at ``f`` and one player gets more.  The payoff-dominant equilibrium
  payoff-dominates every other one; there may be none (or two with the same payoffs).
* **Risk dominance** (2x2 games).  Of two strict pure equilibria ``(a, b)`` and ``(a', b')``,
  ``(a, b)`` risk-dominates when the product of the players' deviation losses there,
  ``(u1(a, b) - u1(a', b)) * (u2(a, b) - u2(a, b'))``, exceeds the same product at
  ``(a', b')``.  Harsanyi and Selten define it axiomatically for 2x2 games only; here it is
  likewise refused (``None``) for larger games.

When a rule picks nothing, :func:`select` keeps every equilibrium with equal weight and its
sentence says so: nobody reading the aggregate should have to guess how it was weighted.  (A
third rule, the logit-tracing limit of quantal response equilibria, needs a QRE solver first.)

>>> from solver.core.game import Game
>>> from solver.equilibria import solve
>>> stag = Game.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]],
...     players=("Hunter 1", "Hunter 2"), strategies=(("Stag", "Hare"), ("Stag", "Hare")))
>>> eqs = list(solve(stag).equilibria)
>>> len(eqs), payoff_dominant(eqs).describe(), risk_dominant(stag, eqs).describe()
(3, 'pure (Stag, Stag)', 'pure (Hare, Hare)')
>>> kept, how = select(stag, eqs, "risk-dominance")
>>> [e.describe() for e in kept], how
(['pure (Hare, Hare)'], 'risk dominance (Harsanyi & Selten 1988) selects pure (Hare, Hare) of 3 equilibria')
>>> select(stag, eqs, "all")[1]
'all 3 equilibria weighted equally (1/3 each)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from solver.core import tolerances
from solver.core.errors import ParameterError
from solver.core.game import Game, Number
from solver.core.result import Equilibrium

#: the rules ``--select`` accepts; ``all`` keeps every equilibrium with equal weight
RULES = ("all", "payoff-dominance", "risk-dominance")
CITE = "Harsanyi & Selten 1988"


def _slack(values: Sequence[Sequence[Number]]) -> float:
    """Zero for exact payoffs, else the tie tolerance scaled to the payoffs' magnitude."""
    flat = [v for vec in values for v in vec]
    if all(isinstance(v, Fraction | int) for v in flat):
        return 0.0
    return tolerances.scaled(tolerances.TIE, max((abs(float(v)) for v in flat), default=1.0))


def dominant_index(values: Sequence[Sequence[Number]]) -> int | None:
    """Index of the payoff vector that payoff-dominates every other one, or ``None``.

    >>> dominant_index([(4, 4), (3, 3), (3, 3)]), dominant_index([(2, 1), (1, 2)])
    (0, None)
    >>> dominant_index([(1, 1), (1, 1)]), dominant_index([(5,)])
    (None, 0)
    """
    tol = _slack(values)

    def dominates(a: Sequence[Number], b: Sequence[Number]) -> bool:
        at_least = all(x >= y - tol for x, y in zip(a, b, strict=True))
        return at_least and any(x > y + tol for x, y in zip(a, b, strict=True))

    winners = [
        i for i, a in enumerate(values)
        if all(dominates(a, b) for j, b in enumerate(values) if j != i)
    ]
    return winners[0] if len(winners) == 1 else None


def payoff_dominant(equilibria: Sequence[Equilibrium]) -> Equilibrium | None:
    """The equilibrium that payoff-dominates all others (Harsanyi & Selten 1988, def. 3.9.1),
    or ``None`` when there is none; a lone equilibrium is trivially dominant."""
    k = dominant_index([e.values for e in equilibria])
    return None if k is None else equilibria[k]


def nash_products(a: Sequence[Sequence[Number]], b: Sequence[Sequence[Number]]) -> dict[tuple[int, int], Number]:
    """Each strict pure equilibrium of a 2x2 bimatrix game with its product of deviation losses.

    >>> nash_products([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    {(0, 0): 1, (1, 1): 9}
    """
    out: dict[tuple[int, int], Number] = {}
    for r in (0, 1):
        for c in (0, 1):
            loss_row = a[r][c] - a[1 - r][c]
            loss_col = b[r][c] - b[r][1 - c]
            if loss_row > 0 and loss_col > 0:
                out[(r, c)] = loss_row * loss_col
    return out


def risk_dominant(game: Game, equilibria: Sequence[Equilibrium]) -> Equilibrium | None:
    """The risk-dominant one of the two strict pure equilibria of a 2x2 game (Harsanyi & Selten
    1988, sec. 3.9), or ``None``: not a 2x2 game, not two strict pure equilibria among
    ``equilibria``, or equal Nash products.  A lone equilibrium is returned as it is."""
    if len(equilibria) == 1:
        return equilibria[0]
    if game.shape != (2, 2):
        return None
    a = [[game.payoffs[0, r, c] for c in (0, 1)] for r in (0, 1)]
    b = [[game.payoffs[1, r, c] for c in (0, 1)] for r in (0, 1)]
    products = nash_products(a, b)
    strict = [
        (e, products[cell]) for e in equilibria if e.is_pure
        for cell in [tuple(s[0] for s in e.support())] if cell in products
    ]
    if len(strict) != 2 or len(products) != 2:
        return None
    (e1, p1), (e2, p2) = strict
    tol = _slack([[p1, p2]])
    if p1 > p2 + tol:
        return e1
    if p2 > p1 + tol:
        return e2
    return None


@dataclass(frozen=True)
class Selection:
    """What a rule kept and the sentence saying how; ``fell_back`` when it kept all equally,
    with ``reason`` saying why (empty otherwise)."""

    kept: list[Equilibrium]
    sentence: str
    fell_back: bool
    reason: str = ""


def choose(game: Game, equilibria: Sequence[Equilibrium], rule: str) -> Selection:
    """Apply ``rule`` (one of :data:`RULES`) to the equilibria of one game."""
    if rule not in RULES:
        raise ParameterError(f"unknown selection rule {rule!r}: choose one of {', '.join(RULES)}")
    eqs = list(equilibria)
    n = len(eqs)
    if n <= 1:
        return Selection(eqs, "one equilibrium: nothing to weigh" if n else "no equilibrium", False)
    equal = f"all {n} equilibria weighted equally (1/{n} each)"
    if rule == "all":
        return Selection(eqs, equal, False)
    pick = payoff_dominant(eqs) if rule == "payoff-dominance" else risk_dominant(game, eqs)
    name = rule.replace("-", " ")
    if pick is None:
        why = fallback_reason(rule, game.shape)
        return Selection(eqs, f"{why}: {equal}", True, why)
    return Selection([pick], f"{name} ({CITE}) selects {pick.describe()} of {n} equilibria", False)


def fallback_reason(rule: str, shape: tuple[int, ...]) -> str:
    """Why ``rule`` picked no equilibrium among several, in words."""
    if rule == "payoff-dominance":
        return "no equilibrium payoff-dominates all the others"
    if shape != (2, 2):
        return "risk dominance is defined here only for 2x2 games"
    return "no unique risk-dominant equilibrium (it needs two strict pure ones with unequal Nash products)"


def select(game: Game, equilibria: Sequence[Equilibrium], rule: str) -> tuple[list[Equilibrium], str]:
    """The equilibria ``rule`` keeps (each to be weighted equally) and a sentence saying how."""
    s = choose(game, equilibria, rule)
    return s.kept, s.sentence
