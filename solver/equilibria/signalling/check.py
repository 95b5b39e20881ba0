"""Whether a profile of a signalling game is a (weak) perfect Bayesian equilibrium, exactly.

Fudenberg & Tirole (1991), §8.2: every sender type's messages are optimal against the
receiver's strategy; at every receiver set reached with positive probability the responses played
are optimal under Bayes' belief; at every other set some belief makes them optimal.  Floats (the
reduced-normal-form solver's, in a float game) are compared within ``tol``.

>>> from solver.core.signalling import Signalling
>>> from solver.equilibria.signalling.model import exact
>>> F = Fraction
>>> us = ((((0, 2), (1, 3)),), (((1, 3), (0, 2)),)); ur = ((((1, 0), (1, 0)),), (((0, 1), (0, 1)),))
>>> ex = exact(Signalling("S", "R", ("Weak", "Strong"), ("",), ((F(1, 10),), (F(9, 10),)),
...     ("Beer", "Quiche"), (("Duel", "Not"),) * 2, us, ur))
>>> beer = [[F(1), F(0)], [F(1), F(0)]]
>>> is_pbe(ex, beer, [[[F(0), F(1)]], [[F(1), F(0)]]]), is_pbe(ex, beer, [[[F(0), F(1)]], [[F(0), F(1)]]])
(True, False)
"""

from __future__ import annotations

from fractions import Fraction

from solver.equilibria.signalling.model import Exact, Rho, Sigma, belief_region, posterior, sender_value


def _simplex(p: list[Fraction], tol: Fraction) -> bool:
    return all(x >= -tol for x in p) and abs(sum(p, Fraction(0)) - 1) <= tol


def is_pbe(ex: Exact, sigma: Sigma, rho: Rho, tol: Fraction = Fraction(0)) -> bool:
    """The test of the module docstring (``tol`` 0: exact)."""
    if not all(_simplex(row, tol) for row in sigma):
        return False
    if not all(_simplex(p, tol) for by_r in rho for p in by_r):
        return False
    for t in range(ex.nt):
        vals = [sender_value(ex, rho, t, m) for m in range(ex.nm)]
        best = max(vals)
        if any(sigma[t][m] > tol and vals[m] < best - tol for m in range(ex.nm)):
            return False
    for m in range(ex.nm):
        for r in range(ex.nr):
            played = tuple(a for a, p in enumerate(rho[m][r]) if p > tol)
            mu = posterior(ex, sigma, m, r) if tol == 0 else _float_posterior(ex, sigma, m, r, tol)
            if mu is None:
                if not belief_region(ex, m, r, played):
                    return False
                continue
            vals = [sum((w * ex.ur[t][r][m][a] for t, w in enumerate(mu)), Fraction(0)) for a in range(ex.na[m])]
            best = max(vals)
            if any(vals[a] < best - tol for a in played):
                return False
    return True


def _float_posterior(ex: Exact, sigma: Sigma, m: int, r: int, tol: Fraction) -> list[Fraction] | None:
    w = [ex.prior[t][r] * sigma[t][m] for t in range(ex.nt)]
    total = sum(w, Fraction(0))
    return None if total <= tol else [x / total for x in w]
