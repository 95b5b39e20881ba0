"""The choice rule ``redline estimate`` fits (``--link``): the logit QRE (strategic-form games,
any tree: McKelvey & Palfrey 1995, 1998) or Signorino's strategic probit (perfect-information
trees; independent normal errors, the multinomial probit at nodes with more than two actions:
Signorino 1999, "Strategic interaction and the statistical
analysis of international conflict", APSR 93:279-297; 2003, "Structure and uncertainty in
discrete choice models", Political Analysis 11:316-344), found by backward induction
(:mod:`solver.equilibria.qre.probit_tree`).

>>> from solver.formats import load
>>> link_plan(load("entry_deterrence"), {}, "logit") is None
True
>>> try:
...     link_plan(load("syria_deconfliction"), {}, "probit")
... except ParameterError as exc:
...     print(str(exc)[:65])
--link probit: syria_deconfliction is a strategic-form model: the
"""

from __future__ import annotations

from collections.abc import Mapping

from solver.core.errors import ParameterError
from solver.core.symbolic import Model
from solver.equilibria.qre.probit_tree import LINKS, Plan, plan

LOGIT = "logit"


def link_plan(model: Model, fixed: Mapping[str, float], link: str) -> Plan | None:
    """None for the logit QRE (traced as it is); for the probit the backward-induction
    :class:`~solver.equilibria.qre.probit_tree.Plan` of ``model``'s tree at ``fixed`` (the
    chance probabilities; the payoffs come per observation).  One-line ``ParameterError`` for
    an unknown link, a strategic-form model or imperfect information."""
    if link not in LINKS:
        raise ParameterError(f"--link: unknown link {link!r} (expected {' or '.join(LINKS)})")
    if link == LOGIT:
        return None
    if model.tree is None:
        raise ParameterError(
            f"--link {link}: {model.name} is a strategic-form model: the strategic {link} is defined on game "
            "trees with perfect information (use --link logit)"
        )
    values = {**{k: float(v) for k, v in model.values({}).items()}, **fixed}
    try:
        return plan(model.tree.at(values, exact=False), link)
    except ValueError as exc:
        raise ParameterError(f"--link {link}: {model.name}: {exc}") from None


def method_text(is_tree: bool, link: str) -> str:
    """The choice rule as the result's method line names it."""
    if link == LOGIT:
        return f"{'agent ' if is_tree else ''}logit QRE (principal branch)"
    return (
        f"strategic {link} (Signorino 1999; agent QRE by backward induction, "
        "P(a) = Phi(lambda (U(a) - U(b)) / sqrt(2)))"
    )
