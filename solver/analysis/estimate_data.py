"""What :func:`solver.analysis.estimate.estimate` fits: the free coefficients (``--free``), the
game's outcomes and their payoffs as functions of the parameters, and the observed choices
matched to outcomes.

The *outcomes* are the pure profiles of a strategic game (C order) or the leaves of a tree that
chance reaches (prefix order), as :mod:`solver.equilibria.qre.form` lists them.  An observation
is a set of outcomes: one profile; or, in a tree, the leaves whose play shows the row's actions
(every chance move, when the row does not give chance's).  A free parameter is either one
coefficient or, with covariates (``iran_cost~1+x``), a linear function of them: Signorino's
(1999, "Strategic interaction and the statistical analysis of international conflict", APSR
93:279-297) strategic logit, where each observation's game has its own payoffs.

>>> spec = parse_free("lambda, iran_cost~1+x", ("iran_cost", "strike_cost"))
>>> spec.names, spec.covariates
(('lambda', 'iran_cost:(Intercept)', 'iran_cost:x'), ('x',))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from solver.core.errors import ParameterError
from solver.core.symbolic import Model, batch_evaluator
from solver.core.tree_value import Tree
from solver.equilibria.qre.form import Floats, Form, game_form, tree_form
from solver.formats.choices import Choices, ChoicesError

LAMBDA = "lambda"
INTERCEPT = "(Intercept)"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class FreeSpec:
    """The coefficients to fit: ``names`` in the order of the coefficient vector (``lambda``
    first when free), and per free parameter its covariates (``""`` = intercept)."""

    names: tuple[str, ...]
    lam_free: bool
    terms: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def covariates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for _, cs in self.terms for c in cs if c))


def parse_free(free: str | Sequence[str], parameters: Sequence[str]) -> FreeSpec:
    """``lambda,param,param~1+x,...`` (or a list of items) as a :class:`FreeSpec`; a parameter
    with ``~`` is a linear function of the covariates named (``1`` the intercept, implied unless
    ``0`` is among the terms).  Unknown parameters and malformed items are refused."""
    items = [s.strip() for s in (free.split(",") if isinstance(free, str) else free)]
    lam_free, seen = False, set()
    terms: list[tuple[str, tuple[str, ...]]] = []
    for item in items:
        name, tilde, rhs = (s.strip() for s in item.partition("~"))
        if not name:
            raise ParameterError(f"--free: empty item in {','.join(items)!r}")
        if name in seen:
            raise ParameterError(f"--free: {name} given twice")
        seen.add(name)
        if name == LAMBDA:
            if tilde:
                raise ParameterError("--free: lambda cannot depend on covariates (only model parameters can)")
            lam_free = True
            continue
        if name not in parameters:
            raise ParameterError(f"--free: unknown parameter {name!r} (parameters: {', '.join(parameters) or 'none'})")
        if not tilde:
            terms.append((name, ("",)))
            continue
        parts = [p.strip() for p in rhs.split("+")]
        covs = [p for p in parts if p not in ("0", "1")]
        for c in covs:
            if not _NAME.match(c):
                raise ParameterError(f"--free: {item!r}: {c!r} is not a covariate column name")
        if len(set(covs)) < len(covs) or not parts or "" in parts:
            raise ParameterError(f"--free: {item!r}: expected name~1+x+z (covariates once each)")
        cols = tuple(([] if "0" in parts else [""]) + covs)
        if not cols:
            raise ParameterError(f"--free: {item!r}: no terms left (~0 drops the intercept; name a covariate)")
        terms.append((name, cols))
    if not terms and not lam_free:
        raise ParameterError("--free: nothing to estimate")
    names = ([LAMBDA] if lam_free else []) + [
        p if cs == ("",) else f"{p}:{c or INTERCEPT}" for p, cs in terms for c in cs
    ]
    return FreeSpec(tuple(names), lam_free, tuple(terms))


@dataclass(frozen=True)
class Structure:
    """A model's logit-equation template (:class:`Form` at the fixed values), its outcomes'
    labels per choice column, and ``payoffs(points)``: ``(G, P)`` parameter values (model order)
    to ``(G, outcomes, players)`` payoffs."""

    form: Form
    columns: tuple[str, ...]
    labels: Mapping[str, tuple[str, ...]]
    outcomes: tuple[tuple[tuple[str, ...], ...], ...]
    payoffs: Callable[[Floats], Floats]
    is_tree: bool

    def at(self, pay: Floats) -> Form:
        """The template with these payoffs ``(outcomes, players)``."""
        return replace(self.form, payoffs=np.ascontiguousarray(pay))


def _symbols(expr: Any) -> set[str]:
    return {str(s) for s in getattr(expr, "free_symbols", ())}


def structure(model: Model, fixed: Mapping[str, float]) -> Structure:
    """The :class:`Structure` of a strategic or tree model at parameter values ``fixed``."""
    names = model.parameter_names
    base = np.asarray([[fixed[p] for p in names]], dtype=float)
    if model.tree is None:
        evaluator = batch_evaluator(model)
        n = len(model.players)

        def strategic(points: Floats) -> Floats:
            t = evaluator(*points.T).reshape(n, -1, points.shape[0])
            return np.ascontiguousarray(np.transpose(t, (2, 1, 0)))

        from solver.core.game import Game

        shape = model.shape
        game = Game(model.players, model.strategies, strategic(base)[0].T.reshape(n, *shape).copy())
        outcomes = tuple(tuple((model.strategies[i][k],) for i, k in enumerate(idx)) for idx in np.ndindex(*shape))
        labels = dict(zip(model.players, model.strategies, strict=True))
        return Structure(game_form(game), model.players, labels, outcomes, strategic, False)
    return _tree_structure(model, model.tree, fixed, base)


def _tree_structure(model: Model, tree: Tree, fixed: Mapping[str, float], base: Floats) -> Structure:
    import sympy

    from solver.core.expr import symbol, to_sympy

    numeric = tree.at(dict(fixed), exact=False)
    leaves = [
        k
        for k, node in enumerate(numeric.nodes)
        if node.is_terminal
        and all(float(numeric.nodes[p].probs[a]) > 0 for p, a in numeric.history(k) if numeric.nodes[p].is_chance)
    ]
    chance = tuple(dict.fromkeys(a for h in tree.infosets if h.player < 0 for a in h.actions))
    columns = tree.players + (("chance",) if chance else ())
    labels = {
        p: tuple(dict.fromkeys(a for h in tree.infosets if h.player == i for a in h.actions))
        for i, p in enumerate(tree.players)
    }
    if chance:
        labels["chance"] = chance
    outcomes = []
    for k in leaves:
        seqs: dict[int, list[str]] = {i: [] for i in range(len(columns))}
        for p, a in tree.history(k):
            who = tree.nodes[p].player
            seqs[who if who >= 0 else len(tree.players)].append(tree.actions(p)[a])
        outcomes.append(tuple(tuple(seqs[i]) for i in range(len(columns))))
    syms = [symbol(p) for p in model.parameter_names]
    flat = [to_sympy(v) for k in leaves for v in tree.nodes[k].payoffs]
    funcs = [sympy.lambdify(syms, e, modules="numpy") for e in flat]
    n = len(tree.players)

    def payoffs(points: Floats) -> Floats:
        cols = [np.broadcast_to(np.asarray(f(*points.T), dtype=float), (points.shape[0],)) for f in funcs]
        return np.stack(cols, axis=1).reshape(points.shape[0], len(leaves), n)

    return Structure(tree_form(numeric), columns, labels, tuple(outcomes), payoffs, True)


def check_identified(model: Model, spec: FreeSpec) -> None:
    """Refuse a free parameter that no payoff depends on (or, in a tree, that moves chance)."""
    if model.tree is None:
        used = set().union(*(_symbols(e) for e in model.payoffs.flat))
    else:
        nodes = model.tree.nodes
        used = set().union(*(_symbols(v) for n in nodes for v in n.payoffs))
        moved = set().union(*(_symbols(v) for n in nodes for v in n.probs))
        for p, _ in spec.terms:
            if p in moved:
                raise ParameterError(f"--free: {p} moves chance probabilities; estimating it is not supported")
    for p, _ in spec.terms:
        if p not in used:
            raise ParameterError(f"--free: no payoff depends on {p}: it cannot be estimated")


@dataclass(frozen=True)
class Cells:
    """The observations aggregated: per cell its group (covariate vector), its outcomes (a 0/-inf
    mask over outcomes, to add to log-probabilities), its count and the labels of its first row;
    per group its covariates' values."""

    group: npt.NDArray[np.int64]
    mask: Floats
    count: Floats
    covariates: Floats
    n: int
    labels: tuple[tuple[tuple[str, ...], ...], ...]


def cells(structure: Structure, data: Choices, covariates: Sequence[str]) -> Cells:
    """Match every row of ``data`` to its outcomes and aggregate equal (group, outcomes) rows."""
    players = len(structure.columns) - (1 if structure.columns[-1:] == ("chance",) and structure.is_tree else 0)
    if data.columns[:players] != structure.columns[:players]:
        raise ChoicesError(
            f"columns {', '.join(data.columns)} do not fit the model's {', '.join(structure.columns)}",
            source=data.source,
        )
    where = [data.covariates.index(c) for c in covariates]
    index: dict[tuple[tuple[str, ...], ...], list[tuple[int, tuple[str, ...]]]] = {}
    for z, out in enumerate(structure.outcomes):
        index.setdefault(out[:players], []).append((z, out[players] if len(out) > players else ()))
    groups: dict[tuple[float, ...], int] = {}
    agg: dict[tuple[int, tuple[int, ...]], float] = {}
    first: dict[tuple[int, tuple[int, ...]], tuple[tuple[str, ...], ...]] = {}
    for row in data.rows:
        seen = row.labels[players] if len(row.labels) > players else ()
        found = tuple(z for z, ch in index.get(row.labels[:players], []) if not seen or ch == seen)
        if not found:
            play = "; ".join(
                f"{c} {' > '.join(s) or '(no move)'}" for c, s in zip(data.columns, row.labels, strict=True)
            )
            raise ChoicesError(
                f"no play of the game shows these choices ({play})", source=data.source, key=f"row {row.line}"
            )
        g = groups.setdefault(tuple(row.covariates[i] for i in where), len(groups))
        agg[(g, found)] = agg.get((g, found), 0.0) + row.count
        first.setdefault((g, found), row.labels)
    mask = np.full((len(agg), len(structure.outcomes)), -np.inf)
    for c, (_, found) in enumerate(agg):
        mask[c, list(found)] = 0.0
    group = np.asarray([g for g, _ in agg], dtype=np.int64)
    cov = np.asarray(list(groups), dtype=float).reshape(len(groups), len(where))
    return Cells(group, mask, np.asarray(list(agg.values())), cov, data.n, tuple(first.values()))
