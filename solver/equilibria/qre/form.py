"""The logit equations in one array form, for strategic games and for game trees (agent form).

Both are written over *outcomes* (pure profiles of a strategic game, leaves of a tree) and
*actions* (every player's strategies, or every information set's actions), grouped into
*choices* (a player, or an information set) each owned by a player.  ``incidence[z, a]`` is 1
when outcome ``z`` lies below action ``a``, so an outcome's probability under behaviour
log-probabilities ``y`` is ``exp(log_chance[z] + incidence[z] @ y)``.  The value of action
``a`` to its owner is the average of the owner's payoff over the outcomes below ``a``, weighted
by their probabilities: conditional on reaching the choice, as McKelvey & Palfrey (1998,
"Quantal response equilibria for extensive form games", Experimental Economics 1:9-41) define
the agent QRE's action values; in a strategic game it is the payoff of the pure strategy
against the others' mixtures.  The weights are shifted per action by their largest logarithm, so
nothing underflows at large lambda.

The logit QRE equations on the log-probabilities (Turocy 2010, "Computing sequential
equilibria using agent quantal response equilibria", Economic Theory 42:255-269, for the
log parametrisation) are, per choice ``h`` with actions ``h0, h1, ...``::

    sum_a exp(y_ha) - 1 = 0,     y_ha - y_h0 - lam * (v_ha - v_h0) = 0  (a >= 1)

:func:`residual` evaluates them and :func:`jacobian` their analytic Jacobian in ``(y, lam)``:
``d v_a / d y_b = sum_z w_za (u_z - v_a) incidence[z, b]`` with the normalised weights ``w``.

>>> from solver.core.game import Game
>>> f = game_form(Game.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
>>> f.owner.tolist(), f.choice.tolist(), f.first.tolist()
([0, 0, 1, 1], [0, 0, 1, 1], [0, 2])
>>> y0 = start(f)
>>> float(abs(residual(f, np.append(y0, 3.0))).max())  # uniform play is the QRE of pennies
0.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from solver.core.errors import ModelError
from solver.core.game import Game
from solver.core.tree_value import Tree

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: the dense outcome x action arrays may have at most this many cells (about 160 MB of floats
#: each); larger games are refused rather than run out of memory
MAX_CELLS = 20_000_000


def _check_size(outcomes: int, actions: int) -> None:
    if outcomes * actions > MAX_CELLS:
        raise ValueError(
            f"too large for the logit QRE's dense arrays: {outcomes} outcomes x {actions} actions "
            f"(at most {MAX_CELLS} cells)"
        )


@dataclass(frozen=True)
class Form:
    """The arrays of the logit equations (see the module docstring)."""

    #: outcome x action 0/1 (float, for the products)
    incidence: Floats
    #: log of each outcome's chance probability (0 in a strategic game)
    log_chance: Floats
    #: outcome x player payoffs
    payoffs: Floats
    #: per action: its owner (player index) and its choice (group index)
    owner: Ints
    choice: Ints
    #: per choice: the index of its first action, and its number of actions
    first: Ints
    size: Ints
    #: derived once: 0 where an outcome lies below an action, -inf elsewhere (added to logs)
    off: Floats = field(init=False, repr=False)
    #: outcome x action: the action owner's payoff
    own: Floats = field(init=False, repr=False)
    #: non-first action x action: +1 at the action, -1 at its choice's first action
    diff: Floats = field(init=False, repr=False)
    #: (action + 1) x (action + 1) zeros: the augmented Jacobian's template
    blank: Floats = field(init=False, repr=False)
    #: choice x action 0/1: the actions of each choice (the probability sums)
    onehot: Floats = field(init=False, repr=False)
    #: every action has an outcome below it (always in a strategic game), and some chance
    #: probability is not 1: the fast paths of :func:`augmented`
    covered: bool = field(init=False, repr=False)
    chance: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        keep = np.ones(self.owner.size, dtype=bool)
        keep[self.first] = False
        rest = np.flatnonzero(keep)  # the non-first actions, in order
        diff = np.zeros((rest.size, self.owner.size))
        diff[np.arange(rest.size), rest] = 1.0
        diff[np.arange(rest.size), self.first[self.choice[rest]]] -= 1.0
        object.__setattr__(self, "off", np.where(self.incidence > 0, 0.0, -np.inf))
        object.__setattr__(self, "own", self.payoffs[:, self.owner])
        object.__setattr__(self, "diff", diff)
        object.__setattr__(self, "blank", np.zeros((self.owner.size + 1, self.owner.size + 1)))
        object.__setattr__(self, "onehot", (self.choice[None, :] == np.arange(self.first.size)[:, None]) * 1.0)
        object.__setattr__(self, "covered", bool((self.incidence.sum(axis=0) > 0).all()))
        object.__setattr__(self, "chance", bool((self.log_chance != 0).any()))

    @property
    def n_actions(self) -> int:
        return int(self.owner.size)

    @property
    def n_choices(self) -> int:
        return int(self.first.size)


def game_form(game: Game) -> Form:
    """The :class:`Form` of a strategic game: outcomes are pure profiles (C order), actions the
    players' strategies one player after another; player ``i`` is choice ``i``."""
    shape = game.shape
    n = len(shape)
    offsets = np.concatenate([[0], np.cumsum(shape)[:-1]]).astype(np.int64)
    _check_size(int(np.prod(shape)), int(sum(shape)))
    grid = np.indices(shape).reshape(n, -1)  # player x profile: each profile's strategy indices
    inc = np.zeros((grid.shape[1], int(sum(shape))))
    rows = np.arange(grid.shape[1])
    for i in range(n):  # one column block per player (n is small; no loop over profiles)
        inc[rows, offsets[i] + grid[i]] = 1.0
    pay = game.float_payoffs().reshape(n, -1).T.copy()
    owner = np.repeat(np.arange(n), shape).astype(np.int64)
    return Form(inc, np.zeros(grid.shape[1]), pay, owner, owner.copy(), offsets, np.asarray(shape, np.int64))


def start(form: Form) -> Floats:
    """The log-probabilities of uniform play (lambda = 0)."""
    return np.asarray(-np.log(form.size[form.choice]), dtype=float)


def weights(form: Form, y: Floats) -> tuple[Floats, Floats]:
    """Per outcome its log-probability, and per (outcome, action) the normalised weight of the
    outcome among those below the action (zero off the action)."""
    log_r = form.log_chance + form.incidence @ y
    masked = log_r[:, None] + form.off
    top = masked.max(axis=0)
    w = np.exp(masked - np.where(np.isfinite(top), top, 0.0))
    total = w.sum(axis=0)
    return log_r, w / np.where(total > 0, total, 1.0)


def values(form: Form, y: Floats) -> tuple[Floats, Floats]:
    """``(v, dv/dy)``: each action's value to its owner and its Jacobian in ``y``."""
    _, w = weights(form, y)
    v = (w * form.own).sum(axis=0)
    return v, (w * (form.own - v)).T @ form.incidence


def expected(form: Form, y: Floats) -> Floats:
    """The players' expected payoffs."""
    log_r = form.log_chance + form.incidence @ y
    return np.asarray(np.exp(log_r) @ form.payoffs, dtype=float)


def residual(form: Form, x: Floats) -> Floats:
    """The logit equations at ``x = (y, lam)``: one sum per choice, then one log-odds equation
    per non-first action."""
    return augmented(form, x)[0][:-1]


def jacobian(form: Form, x: Floats) -> tuple[Floats, Floats]:
    """``(residual, Jacobian)`` at ``x = (y, lam)``; the Jacobian has one column per unknown,
    lambda last."""
    res, aug = augmented(form, x)
    return res[:-1], aug[:-1]


def augmented(form: Form, x: Floats, t: Floats | None = None) -> tuple[Floats, Floats]:
    """The residual and the Jacobian of :func:`jacobian` with one more row: ``(res, 0)`` and the
    square ``[J; t]`` (``t``, or zeros), the system the tracer solves.  Written for few numpy
    calls on small arrays: the step of the tracer is dominated by their fixed cost."""
    y, lam = x[:-1], float(x[-1])
    m, h = form.n_actions, form.n_choices
    log_r = form.incidence @ y
    if form.chance:
        log_r = log_r + form.log_chance
    masked = log_r[:, None] + form.off
    top = masked.max(axis=0)
    if form.covered:  # every column has a finite entry: no guards needed
        w = np.exp(masked - top)
        w /= w.sum(axis=0)
    else:
        w = np.exp(masked - np.where(np.isfinite(top), top, 0.0))
        total = w.sum(axis=0)
        w /= np.where(total > 0, total, 1.0)
    v = (w * form.own).sum(axis=0)
    dv = (w * (form.own - v)).T @ form.incidence
    p = np.exp(y)
    dif_v = form.diff @ v
    aug = form.blank.copy()
    aug[:h, :m] = form.onehot * p
    aug[h:m, :m] = form.diff - lam * (form.diff @ dv)
    aug[h:m, m] = -dif_v
    if t is not None:
        aug[m] = t
    res = np.empty(m + 1)
    res[:h] = np.bincount(form.choice, weights=p, minlength=h) - 1.0
    res[h:m] = form.diff @ y - lam * dif_v
    res[m] = 0.0
    return res, aug


def tree_form(tree: Tree) -> Form:
    """The :class:`Form` of a numeric game tree (agent form): outcomes are the leaves that chance
    reaches with positive probability, actions every information set's actions in set order;
    the players' information sets (chance's left out, in order) are the choices.  One pass over
    the nodes in prefix order."""
    sets = [h for h in tree.infosets if h.player >= 0]
    if not sets:
        raise ModelError("nothing to choose", key="no player moves")
    compact = {k: j for j, k in enumerate(k for k, h in enumerate(tree.infosets) if h.player >= 0)}
    sizes = np.asarray([len(h.actions) for h in sets], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    paths: dict[int, tuple[float, tuple[int, ...]]] = {0: (0.0, ())}
    leaves: list[tuple[float, tuple[int, ...], tuple[float, ...]]] = []
    for k, node in enumerate(tree.nodes):
        if k not in paths:
            continue  # below a chance move of probability zero
        log_c, cols = paths.pop(k)
        if node.is_terminal:
            leaves.append((log_c, cols, tuple(float(v) for v in node.payoffs)))
        elif node.is_chance:
            for c, p in zip(node.children, node.probs, strict=True):
                if float(p) > 0:
                    paths[c] = (log_c + float(np.log(float(p))), cols)
        else:
            for a, c in enumerate(node.children):
                paths[c] = (log_c, (*cols, int(first[compact[node.infoset]]) + a))
    _check_size(len(leaves), int(sizes.sum()))
    inc = np.zeros((len(leaves), int(sizes.sum())))
    for z, (_, cols, _) in enumerate(leaves):
        inc[z, list(cols)] = 1.0
    owner = np.repeat(np.asarray([h.player for h in sets], dtype=np.int64), sizes)
    choice = np.repeat(np.arange(len(sets), dtype=np.int64), sizes)
    logs = np.asarray([lc for lc, _, _ in leaves], dtype=float)
    pay = np.asarray([p for _, _, p in leaves], dtype=float).reshape(len(leaves), len(tree.players))
    return Form(inc, logs, pay, owner, choice, first, sizes)
