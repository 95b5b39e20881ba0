"""The agent quantal response equilibrium of a perfect-information tree by backward induction,
with logit or probit errors: Signorino's (1999) strategic probit.

On a tree where every information set is a single node, the value of an action to the player
who takes it is the expected payoff of the play below it, and that play does not depend on
anything above it.  So the agent QRE (McKelvey & Palfrey 1998, "Quantal response equilibria for
extensive form games", Experimental Economics 1:9-41) is found from the leaves up, without a
fixed point: at each node the mover's choice probabilities given the continuation values of its
actions, then the node's value (per player) as the expectation of its children's, chance's
moves averaged with their probabilities.  This is how Signorino (1999, "Strategic interaction
and the statistical analysis of international conflict", APSR 93:279-297; 2003, "Structure and
uncertainty in discrete choice models", Political Analysis 11:316-344) writes the strategic
logit and probit likelihoods ("agent error": each mover errs at its own node).

Links, for continuation values ``U_a`` of the actions at a node and precision ``lam``:

* ``logit``: ``P(a) = exp(lam U_a) / sum_b exp(lam U_b)`` (errors i.i.d. extreme value); on
  perfect-information trees this equals the principal-branch agent QRE the tracer gives.
* ``probit``: each action's utility carries an independent normal error of variance
  ``1 / lam**2``; with two actions the difference of the errors has variance ``2 / lam**2``, so
  ``P(a) = Phi(lam (U_a - U_b) / sqrt(2))``.  (Signorino fixes the error variance at 1 and
  scales the utilities instead: his coefficients are ``lam`` times ours.)  With more actions
  the independent multinomial probit: ``P(a) = int phi(t) prod_{b != a} Phi(t + lam (U_a -
  U_b)) dt`` (conditioning on ``a``'s own error), a one-dimensional integral taken by
  :data:`HERMITE`-point Gauss-Hermite quadrature in log space (exact to rounding while
  ``lam |U_a - U_b| <= 20``; beyond, the tiny probabilities are underestimated), then
  renormalised per node.

Indices inside: the actions come back in :func:`~solver.equilibria.qre.form.tree_form`'s order
(every player information set's actions, set by set), the outcomes are its leaves (those chance
reaches, prefix order).

>>> from solver.core.tree_value import Infoset, Node, Tree
>>> t = Tree(("Entrant", "Incumbent"), (
...     Node("e", 0, 0, (1, 2)), Node("out", -2, payoffs=(1.0, 5.0)), Node("i", 1, 1, (3, 4)),
...     Node("fight", -2, payoffs=(0.0, 0.0)), Node("acc", -2, payoffs=(2.0, 2.0))),
...     (Infoset(0, "e", ("Out", "In"), (0,)), Infoset(1, "i", ("Fight", "Accommodate"), (2,))))
>>> p = plan(t, "probit")
>>> [round(float(v), 4) for v in np.exp(log_behaviour(p, leaf_payoffs(t), 1.0))]
[0.2756, 0.7244, 0.0786, 0.9214]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import log_ndtr, logsumexp

from solver.core.tree_value import Tree

from .form import Floats

#: the choice rules :func:`log_behaviour` knows
LINKS = ("logit", "probit")
#: Gauss-Hermite points for the multinomial probit's integral (nodes with three or more actions)
HERMITE = 64


@dataclass(frozen=True)
class Plan:
    """A perfect-information tree's backward-induction schedule: per reachable node in reverse
    prefix order ``(kind, children, data)``: a leaf (``"leaf"``, (), outcome index), a chance
    node (``"chance"``, children, their probabilities) or a move (``"move"``, children, (owner,
    first action column))."""

    link: str
    players: int
    actions: int
    outcomes: int
    steps: tuple[tuple[int, str, tuple[int, ...], tuple[float, ...]], ...]


def plan(tree: Tree, link: str = "logit") -> Plan:
    """The :class:`Plan` of a numeric tree for ``link``.  ``ValueError`` (one line, naming the
    information set) for symbolic trees, imperfect information and an unknown link."""
    if link not in LINKS:
        raise ValueError(f"unknown link {link!r} (expected {' or '.join(LINKS)})")
    if tree.symbolic:
        raise ValueError("the tree is symbolic: evaluate it at parameter values first (tree.at(values))")
    if not tree.perfect_information:
        h = next(h for h in tree.infosets if len(h.members) > 1)
        raise ValueError(
            f"information set {h.label!r} holds {len(h.members)} nodes: backward induction (and the "
            f"{link} by it) needs perfect information"
        )
    sets = [k for k, h in enumerate(tree.infosets) if h.player >= 0]
    sizes = [len(tree.infosets[k].actions) for k in sets]
    first = dict(zip(sets, np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int).tolist(), strict=True))
    reached, leaves = {0}, 0
    steps: list[tuple[int, str, tuple[int, ...], tuple[float, ...]]] = []
    for k, node in enumerate(tree.nodes):
        if k not in reached:
            continue  # below a chance move of probability zero
        if node.is_terminal:
            steps.append((k, "leaf", (), (float(leaves),)))
            leaves += 1
        elif node.is_chance:
            kids = [(c, float(p)) for c, p in zip(node.children, node.probs, strict=True) if float(p) > 0]
            steps.append((k, "chance", tuple(c for c, _ in kids), tuple(p for _, p in kids)))
        else:
            steps.append((k, "move", node.children, (float(node.player), float(first[node.infoset]))))
        reached.update(steps[-1][2])
    return Plan(link, len(tree.players), int(sum(sizes)), leaves, tuple(reversed(steps)))


def leaf_payoffs(tree: Tree) -> Floats:
    """The payoffs ``(outcomes, players)`` of a numeric tree's leaves that chance reaches, in
    :class:`Plan` (and ``tree_form``) order."""
    order = sorted((int(d[0]), k) for k, kind, _, d in plan(tree).steps if kind == "leaf")
    return np.asarray([[float(v) for v in tree.nodes[k].payoffs] for _, k in order], dtype=float)


def _choose(link: str, u: Floats, lam: float) -> Floats:
    """Log-probabilities ``(G, k)`` of the actions with values ``u`` ``(G, k)``."""
    if link == "logit" or u.shape[1] == 1:
        z = lam * u
        return np.asarray(z - logsumexp(z, axis=1, keepdims=True), dtype=float)
    if u.shape[1] == 2:
        d = lam * (u[:, 0] - u[:, 1]) / math.sqrt(2.0)
        return np.stack([log_ndtr(d), log_ndtr(-d)], axis=1)
    t, w = hermegauss(HERMITE)
    log_w = np.log(w / math.sqrt(2 * math.pi))
    gaps = lam * (u[:, :, None] - u[:, None, :])  # (G, a, b): lam (U_a - U_b)
    terms = log_ndtr(t[:, None, None, None] + gaps[None])  # (T, G, a, b)
    k = u.shape[1]
    terms[:, :, np.arange(k), np.arange(k)] = 0.0  # b = a left out of the product
    y = logsumexp(log_w[:, None, None] + terms.sum(axis=3), axis=0)
    return np.asarray(y - logsumexp(y, axis=1, keepdims=True), dtype=float)


def log_behaviour(p: Plan, payoffs: Floats, lam: float) -> Floats:
    """The log-probabilities of every action at the agent QRE with ``p.link`` errors at
    precision ``lam`` (>= 0): ``payoffs`` ``(outcomes, players)`` gives ``(actions,)``, a batch
    ``(G, outcomes, players)`` gives ``(G, actions)``; one backward pass, vectorised over the
    batch."""
    if not lam >= 0:
        raise ValueError(f"lambda = {lam!r} must be >= 0")
    pay = np.asarray(payoffs, dtype=float)
    single = pay.ndim == 2
    pay = pay[None] if single else pay
    if pay.shape[1:] != (p.outcomes, p.players):
        raise ValueError(f"payoffs of shape {pay.shape[1:]}, expected {(p.outcomes, p.players)}")
    out = np.zeros((pay.shape[0], p.actions))
    value: dict[int, Floats] = {}
    for k, kind, children, data in p.steps:
        if kind == "leaf":
            value[k] = pay[:, int(data[0]), :]
        elif kind == "chance":
            value[k] = sum((w * value[c] for c, w in zip(children, data, strict=True)), np.zeros_like(pay[:, 0]))
        else:
            below = np.stack([value[c] for c in children], axis=1)  # (G, k, players)
            y = _choose(p.link, below[:, :, int(data[0])], lam)
            col = int(data[1])
            out[:, col : col + len(children)] = y
            value[k] = np.einsum("gk,gkp->gp", np.exp(y), below)
        for c in children:
            del value[c]
    return out[0] if single else out
