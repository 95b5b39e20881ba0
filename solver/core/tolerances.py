"""Named numerical tolerances: the only place float comparisons get their slack.

Every tolerance is *relative to the payoff scale* of the game where that matters:
``scaled(REGRET, scale)`` is the absolute tolerance for a game whose payoffs span ``scale``.
Exact (rational) games use no tolerance at all: their comparisons are exact.  No other module
writes a float tolerance literal; a test in ``tests/test_architecture.py`` keeps it that way.

>>> scaled(REGRET, 100.0) == REGRET * 100.0
True
"""

from __future__ import annotations

# --- equilibria: verification and reading ---------------------------------------------------
#: an equilibrium's max regret must be below this (times the payoff scale)
REGRET = 1e-9
#: a probability below this is treated as zero when reading supports
PROBABILITY = 1e-10
#: two payoffs closer than this (times the scale) are a tie: the game may be degenerate
TIE = 1e-9
#: slack for feasibility tests inside the polyhedral enumeration
FEASIBILITY = 1e-9
#: two floating equilibria closer than this (max-norm) are the same point
DUPLICATE = 1e-7
#: chance probabilities (trees, .efg files) must sum to one within this
PROBABILITY_SUM = 1e-9

# --- linear algebra ---------------------------------------------------------------------------
#: a (payoff-scaled) determinant below this makes a batched linear system singular
SINGULAR = 1e-12
#: residual (times the scale) under which a singular system still counts as consistent
RESIDUAL = 1e-9
#: pivot magnitude below which the polytope vertex enumeration treats an entry as zero
PIVOT = 1e-10
#: float vertices closer than this to a facet are re-checked exactly (possible degeneracy)
AMBIGUOUS = 1e-6

# --- polynomial systems (n players) -----------------------------------------------------------
#: normalised polynomial coefficients below this vanish (2x2x2 eliminant: a double or no root)
COEFFICIENT = 1e-12
#: a normalised discriminant below this is a double root: the point is suspect
DISCRIMINANT = 1e-10
#: a relative pivot below this makes the linear elimination of a player's mix singular
ELIMINATION_SINGULAR = 1e-7
#: slack (relative) on the probability box when eliminated mixes are checked
ELIMINATION_SLACK = 1e-6
#: a real root may lie this far (relative) outside [lo, hi] and still count as inside
ROOT_BOX = 1e-9
#: a root whose imaginary part is below this (relative) is real
ROOT_IMAGINARY = 1e-6
#: Newton polishing stops when a step is below this (relative to the point)
NEWTON_STEP = 1e-15
#: smallest positive scale used to normalise coefficients (avoids dividing by zero)
FLOOR = 1e-300

# --- analysis and sweeps ----------------------------------------------------------------------
#: boundaries of sweeps are refined to this absolute width in the parameter
BOUNDARY = 1e-9
#: during boundary bisection, payoffs this close (relative) send a midpoint to the exact solver:
#: far below :data:`BOUNDARY`, so a bracket narrows to its width before its midpoints come this
#: close to the red line (float payoffs are good to ~1e-15 relative)
BISECTION_TIE = 1e-13
#: a threshold without a closed form is bisected (exactly) to this width: it is printed to ten
#: significant digits, so it is refined further than a sweep's boundaries
THRESHOLD = 1e-12
#: two bisected crossings closer than this share of the parameter's range bound one tie band,
#: i.e. one red line: the tree solver's :data:`TIE` turns the point where two choices tie into a
#: band about 1e-12 wide, with a regime of its own (both choices' equilibria)
TIE_BAND = 1e-9
#: a numeric root whose imaginary part is below this (30-digit evaluation) is real
SYMBOLIC_IMAGINARY = 1e-30
#: two symbolic values whose 30-digit difference is below this are equal
SYMBOLIC_EQUAL = 1e-20
#: parameter ranges narrower than this are shown as one value
DISPLAY_EQUAL = 1e-9


def scaled(tol: float, scale: float) -> float:
    """Absolute tolerance for payoffs of magnitude ``scale`` (never smaller than ``tol``)."""
    return tol * max(1.0, abs(scale))


def verification() -> dict[str, float]:
    """The tolerances every float solve is verified with (relative to the payoff scale), by name;
    recorded on each :class:`solver.core.result.Result`.  Exact solves compare exactly."""
    return {"regret": REGRET, "tie": TIE, "probability": PROBABILITY, "duplicate": DUPLICATE}

# --- linear programs (HiGHS) --------------------------------------------------------------------
#: an LP variable above this is in the support, a slack below it is tight (HiGHS's primal
#: feasibility tolerance is 1e-7; the exact recomputation then decides)
LP_SUPPORT = 1e-7

#: subdivision (:mod:`solver.equilibria.nplayer.subdivision`): a box is ruled out only when an
#: equation's exact range over it (its corner values) clears zero by this much times the sum of the
#: equation's absolute coefficients (float rounding of the corner values stays far below it)
SUBDIVISION_ROUNDING = 1e-11
#: subdivision: boxes narrower than this that are neither ruled out nor certified hand the support
#: to exact algebra (a singular root or a continuum of solutions)
SUBDIVISION_WIDTH = 1e-7

# --- repeated games (solver.equilibria.repeated) ---------------------------------------------------
#: the Abreu-Sannikov iteration stops when the payoff set moves (Hausdorff distance) and the
#: threat point moves less than this, times the payoff scale
REPEATED_CONVERGENCE = 1e-12
#: slack (times the payoff scale) for a float point on an edge, an incentive line or in a polygon
REPEATED_GEOMETRY = 1e-10
#: the accelerated Abreu-Sannikov iteration ends at an extrapolated fixed point of the operator
#: (one that a step moves less than REPEATED_CONVERGENCE) once an iterate, a superset of the
#: payoff set, lies within this, times the payoff scale, of it: a fixed point is self-generating,
#: inside the set, so this bounds its distance to the set
REPEATED_CERTIFIED = 1e-6

# --- quantal response (solver.equilibria.qre) ---------------------------------------------------
#: the homotopy's Newton corrector has converged when its step (max-norm, in log-probabilities
#: and lambda) is below this
QRE_NEWTON = 1e-11
#: a QRE point's residual (max-norm of the logit equations) must be below this to be reported
QRE_RESIDUAL = 1e-9
#: at the large-lambda end, a strategy whose probability is below this is read as unused when
#: the Nash limit is purified (its support's indifference equations solved by Newton's method)
QRE_SUPPORT = 1e-4
#: two QRE at one lambda closer than this (max-norm in probabilities) are the same point
QRE_DUPLICATE = 1e-7
#: the batched 2x2 kernel: a game whose fixed-point slope F_x falls below this at a lockstep
#: sample (a fold of its branch, or near one) goes to the arclength tracer.  Generous: a fold pair
#: can hide between two samples, and the slope dips on the way to it (with 0.2 no game of 1.2
#: million checked against the arclength tracer was answered wrong; with 1e-3, one in 400 000)
QRE_FOLD = 0.25
#: the batched 2x2 kernel: a game with several QRE and a best-reply payoff gain at a pure profile
#: below this times its payoff gains' spread (a near tie) goes to the arclength tracer: its branch
#: can fold back and forth within one lockstep step
QRE_NEAR_TIE = 1e-3
#: the homotopy's Newton corrector (and Newton at a fixed lambda): a step it would refuse (one that
#: stops contracting, or a first one too long) is not taken, and the point is accepted as it is,
#: when the equations' residual there is already below this times their terms' size (max(1, |y|,
#: lambda times the largest payoff)): rounding level.  Near a bifurcation the Jacobian is nearly
#: singular, and the Newton step (rounding amplified by it) never falls below QRE_NEWTON
QRE_ROUNDING = 1e-13

# --- estimation (solver.analysis.estimate) -----------------------------------------------------
#: the log-likelihood's gradient by central differences: step = this times max(1, |coefficient|)
ESTIMATE_GRADIENT_STEP = 1e-6
#: the observed information (numerical Hessian of the log-likelihood, central differences):
#: step = this times max(1, |coefficient|); a lambda within two steps of 0 is on the boundary
ESTIMATE_HESSIAN_STEP = 1e-4
#: L-BFGS-B stops when the mean log-likelihood improves relatively by less than ESTIMATE_FTOL or
#: its projected gradient falls below ESTIMATE_GTOL
ESTIMATE_FTOL = 1e-13
ESTIMATE_GTOL = 1e-8
#: two searches from different starts that end this close in log-likelihood (relatively) found
#: the same maximum: the remaining starts are not searched
ESTIMATE_AGREE = 1e-7
