"""The logit tracing selection: the Nash equilibrium at the end of the principal branch.

As lambda grows the principal branch of a generic game converges to one Nash equilibrium
(McKelvey & Palfrey 1995, GEB 10:6-38; Turocy 2005, GEB 51:243-263), the equilibrium
Gambit's ``gambit-logit`` reports.  The branch's points themselves are never equilibria (every
strategy keeps positive probability), so the limit is *purified*: at a large lambda the
strategies played with probability at least :data:`~solver.core.tolerances.QRE_SUPPORT` are read
as the support, the support's indifference equations are solved by Newton's method from the QRE
point, and the profile must pass the regret check of :mod:`solver.equilibria.verify`.  It is
accepted once two lambdas tenfold apart purify to the same equilibrium; until then lambda grows
tenfold and the trace goes on from where it stopped.  An exact game gets exact probabilities where
the float ones round to small rationals that pass the exact check.

>>> from solver.core.game import Game
>>> r = logit_limit(Game.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]]))
>>> [[str(v) for v in vec] for vec in r.equilibria[0].vectors], r.method, r.exact
([['1/2', '1/2'], ['1/10', '9/10']], 'logit tracing', True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core import tolerances
from solver.core.budget import UNBOUNDED, Budget
from solver.core.game import Game
from solver.core.result import Equilibrium, Result
from solver.equilibria.qre.branch import point
from solver.equilibria.qre.form import Floats, game_form
from solver.equilibria.qre.trace import Trace, trace
from solver.equilibria.qre.types import qre_tolerances
from solver.equilibria.verify import make_equilibrium, max_regret, same_profile

#: the first lambda (times the payoff spread) the branch is traced to, the factor it grows by,
#: the last one tried
START = 100.0
GROWTH = 10.0
LAST = 1e9
#: the largest denominator tried when an exact game's limit is read as rationals
DENOMINATOR = 10**6
NEWTON_STEPS = 50


def pair_payoffs(pay: Floats, vecs: list[Floats], i: int, k: int) -> Floats:
    """Player ``i``'s payoff at each (own strategy, ``k``'s strategy) pair, the others mixed
    (``k == i``: the payoff of each own strategy, as a column)."""
    t = pay[i]
    for j in range(len(vecs) - 1, -1, -1):
        if j not in (i, k):
            t = np.tensordot(t, vecs[j], axes=([j], [0]))
    t = np.asarray(t)
    if k == i:
        return t.reshape(-1, 1)
    return t if i < k else t.T


def support_nash(game: Game, vecs: list[Floats], supports: list[npt.NDArray[np.intp]]) -> list[Floats] | None:
    """Newton's method on the indifference equations of ``supports`` (index arrays), from the
    profile ``vecs`` (zero off the supports); the solution, or None if it does not converge."""
    sizes = [s.size for s in supports]
    if all(k == 1 for k in sizes):  # a pure profile: nothing to solve
        out = [np.zeros(v.size) for v in vecs]
        for v, s in zip(out, supports, strict=True):
            v[s] = 1.0
        return out
    pay = game.float_payoffs()
    n = len(vecs)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    x = np.concatenate([v[s] for v, s in zip(vecs, supports, strict=True)])
    for _ in range(NEWTON_STEPS):
        full = [np.zeros(v.size) for v in vecs]
        for i in range(n):
            full[i][supports[i]] = x[starts[i] : starts[i] + sizes[i]]
        res, jac = [], np.zeros((x.size, x.size))
        row = 0
        for i in range(n):
            s = supports[i]
            u = pair_payoffs(pay, full, i, i)[:, 0]
            res.extend((u[s[1:]] - u[s[0]]).tolist())
            for k in range(n):
                if k != i and s.size > 1:
                    pk = pair_payoffs(pay, full, i, k)[:, supports[k]]
                    jac[row : row + s.size - 1, starts[k] : starts[k] + sizes[k]] = pk[s[1:]] - pk[s[0]]
            row += s.size - 1
            res.append(float(full[i].sum()) - 1.0)
            jac[row, starts[i] : starts[i] + sizes[i]] = 1.0
            row += 1
        try:
            dx = np.linalg.lstsq(jac, -np.asarray(res), rcond=None)[0]
        except np.linalg.LinAlgError:
            return None
        x = x + dx
        if float(np.abs(dx).max()) <= tolerances.NEWTON_STEP * 10 or float(np.abs(res).max()) == 0:
            break
    out = [np.zeros(v.size) for v in vecs]
    for i in range(n):
        out[i][supports[i]] = x[starts[i] : starts[i] + sizes[i]]
    return out if all((v >= -tolerances.PROBABILITY).all() for v in out) else None


def _exact(game: Game, vecs: list[Floats]) -> Equilibrium | None:
    """The equilibrium with small-denominator rationals, if they pass the exact check."""
    fracs = []
    for v in vecs:
        q = [Fraction(float(p)).limit_denominator(DENOMINATOR) for p in v]
        if sum(q) != 1:
            return None
        fracs.append(q)
    if max_regret(game, fracs) != 0:
        return None
    return make_equilibrium(game, fracs, method="logit tracing")


def _purified(game: Game, fgame: Game, vecs: list[Floats]) -> Equilibrium | None:
    """The verified equilibrium on the support that ``vecs`` (a QRE) plays, or None."""
    supports = [np.flatnonzero(v >= tolerances.QRE_SUPPORT) for v in vecs]
    nash = support_nash(game, [np.where(v >= tolerances.QRE_SUPPORT, v, 0.0) for v in vecs], supports)
    if nash is None:
        return None
    found = _exact(game, nash) if game.is_exact else None
    if found is not None:
        return found
    try:
        return make_equilibrium(fgame, [v.tolist() for v in nash], method="logit tracing")
    except ValueError:
        return None


def logit_limit(game: Game, *, budget: Budget = UNBOUNDED) -> Result:
    """The logit tracing selection of ``game`` as a verified :class:`Result` (one equilibrium,
    ``complete=False``: other equilibria are not looked for), or no equilibrium and a limit saying
    why (the budget ran out, or the branch did not settle by lambda ``LAST`` times the spread).
    The equilibrium is accepted when two lambdas a factor ``GROWTH`` apart purify to it; where the
    branch never settles (a continuum approached slowly) the last purified one comes back, with
    the limit line and a note."""
    form = game_form(game)
    fgame = game.as_float()
    scale = max(game.scale(), tolerances.FLOOR)
    lam = START / scale
    limits: list[str] = []
    notes: list[str] = []
    found: Equilibrium | None = None
    before: Equilibrium | None = None
    before_lam = 0.0
    tr: Trace | None = None
    turning: list[float] = []
    forks: list[tuple[float, float]] = []
    while lam <= LAST / scale:
        tr = trace(form, lam, budget=budget, resume=tr)
        turning += tr.turning
        forks += tr.bifurcations
        if 0 not in tr.hits:
            reached = float(tr.state[0][-1]) if tr.state is not None else 0.0
            if tr.status == "budget":
                limits.append(budget.limit("tracing the logit branch", f"lambda beyond {reached:g}"))
            else:  # the tracer stopped by itself: a singular point, or its step limit
                why = "its step shrank to nothing (a singular point)" if tr.status == "stalled" else "its step limit"
                limits.append(f"the logit branch stopped at lambda = {reached:g}: {why}")
            break
        vecs = [np.asarray(v) for v in point(form, tr.hits[0]).vectors]
        found = _purified(game, fgame, vecs)
        if found is not None and before is not None and same_profile(found, before):
            pairs = zip(found.vectors, vecs, strict=True)
            dist = max(float(np.abs(np.asarray(a, dtype=float) - b).max()) for a, b in pairs)
            notes.append(
                f"limit checked by tracing the branch on to lambda = {lam:g}: purified there and at lambda = "
                f"{lam / GROWTH:g} to the same equilibrium; the QRE at lambda = {lam:g} is {dist:.3g} from it"
            )
            notes.extend(f"the branch turns back in lambda at {v:.6g}" for v in turning)
            notes.extend(
                f"the branch passes a bifurcation between lambda = {a:.6g} and {b:.6g} (the trace keeps "
                "straight on; Gambit 17 perturbs the game there and may select another equilibrium)"
                for a, b in forks
            )
            break
        before, found, before_lam = found, None, lam
        lam *= GROWTH
    else:
        limits.append(f"the branch did not settle on a verified equilibrium by lambda = {LAST / scale:g}")
    if found is None and before is not None and not budget.expired():
        # e.g. a continuum of equilibria the branch approaches slowly: each lambda purified to another
        # point of it; the last verified one is the best estimate of the limit, and says so
        found = before
        notes.append(
            f"the branch had not settled: the equilibrium its QRE at lambda = {before_lam:g} purifies to is "
            "reported (verified by regret), the limit itself may be another point of a continuum of equilibria"
        )
    return _result(game, fgame, found, notes, limits, budget)


def _result(
    game: Game, fgame: Game, found: Equilibrium | None, notes: list[str], limits: list[str], budget: Budget
) -> Result:
    tols: dict[str, Any] = {**tolerances.verification(), **qre_tolerances(), "support": tolerances.QRE_SUPPORT}
    exact = found is not None and game.is_exact and isinstance(found.vectors[0][0], Fraction)
    return Result(
        game if exact else fgame,
        (found,) if found is not None else (),
        "logit tracing",
        complete=False,
        degenerate=False,
        exact=exact,
        notes=tuple(notes),
        tolerances=tols,
        limits=tuple(limits),
        time_budget=budget.seconds,
    )
