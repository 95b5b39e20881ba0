"""``redline solve``, ``show`` and ``models``: one game, its equilibria and the shipped library."""

from __future__ import annotations

from typing import Annotated

import typer

from solver.cli.common import (
    Format,
    FormatOpt,
    ModelArg,
    SetOpt,
    emit_json,
    emit_text,
    guarded,
    load_with_sets,
    seconds,
)
from solver.cli.progress import TimeoutOpt, bounded, finish


@guarded
def solve(
    model: ModelArg = None,
    set_: SetOpt = None,
    exact: Annotated[
        bool, typer.Option("--exact", help="Exact rational arithmetic; probabilities as fractions.")
    ] = False,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="auto, pure, vertex, support, polynomial, nashpy-vertex, nashpy-support, nashpy-lh",
        ),
    ] = "auto",
    format: FormatOpt = Format.table,
    timeout: TimeoutOpt = 60.0,
    force: Annotated[
        bool, typer.Option("--force", help="Allow --set values outside the declared ranges (with a warning).")
    ] = False,
    nash: Annotated[
        str,
        typer.Option(
            "--nash",
            help="Game trees: 'credible' lists the subgame-perfect / perfect Bayesian equilibria "
            "with the count of all (default); 'all' lists every Nash equilibrium found.",
        ),
    ] = "credible",
) -> None:
    """Every Nash equilibrium of MODEL, each verified by its regret (a game tree: its credible
    ones, by information set, with beliefs and outcome odds; --nash all for every one)."""
    from solver.core.errors import RangeError, UsageError
    from solver.equilibria import METHODS
    from solver.equilibria import solve as solve_game
    from solver.render import text as render
    from solver.render.tree_solve import NASH_SHOWN

    if method not in METHODS:
        raise UsageError(f"unknown --method {method!r} (expected one of {', '.join(METHODS)})")
    if nash not in NASH_SHOWN:
        raise UsageError(f"unknown --nash {nash!r} (expected one of {', '.join(NASH_SHOWN)})")
    m, overrides = load_with_sets(model, set_, bargaining=True)
    if m.kind == "bargaining":  # a continuous offer, solved in closed form
        from solver.cli.solve_bargaining import solve_bargaining_command

        solve_bargaining_command(m, overrides, exact=exact, method=method, format=format, force=force, timeout=timeout)
        return
    try:
        values = m.values(overrides)
    except RangeError as exc:
        if not force:
            raise RangeError(f"{exc.message} (use --force to solve there anyway)", source=exc.source) from None
        typer.echo(f"redline: warning: {exc.message}", err=True)
        values = m.values(overrides, check_range=False)
    if m.tree is not None and method != "auto":
        raise UsageError(
            f"--method {method} applies to strategic-form games; {m.name} is a game tree, solved by "
            "backward induction and on its reduced normal form (leave --method out)"
        )
    with bounded(seconds(timeout)) as budget:
        if m.tree is not None:  # solved on the tree: no payoff table to evaluate
            from solver.equilibria.trees.sequential import solve_tree

            result = solve_tree(m, values, exact=exact or None, budget=budget, check_range=not force)
        else:
            from solver.core.symbolic import evaluate

            game = evaluate(m, overrides, check_range=not force)
            result = solve_game(game, method=method, exact=True if exact else None, budget=budget)
    if m.tree is not None:  # by information set, the credible equilibria unless --nash all
        from solver.render.tree_solve import tree_result_dict, tree_result_text

        if format is Format.json:
            emit_json(tree_result_dict(result, m, values, nash=nash))
        else:
            emit_text(tree_result_text(result, m, values, fractions=exact, nash=nash))
    elif format is Format.json:
        emit_json(render.result_dict(result, m, values))
    else:
        emit_text(render.result_text(result, m, values, fractions=exact))
    finish(budget)


@guarded
def show(
    model: ModelArg = None,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    normal_form: Annotated[
        bool,
        typer.Option("--normal-form", help="Game trees: the reduced normal form's payoff table, not the tree outline."),
    ] = False,
) -> None:
    """Players, strategies, parameters and the payoff table (formulas and numbers); a game tree
    as an indented outline with the payoffs at its leaves."""
    from solver.core.symbolic import evaluate
    from solver.render import text as render

    m, overrides = load_with_sets(model, set_)
    values = m.values(overrides)
    outline = m.tree is not None and not normal_form
    if outline and format is not Format.json:
        from solver.render.tree_outline import tree_model_text

        emit_text(tree_model_text(m, values))
        return
    doc = render.model_dict(m, values, evaluate(m, overrides).payoffs)
    if outline:
        from solver.render.tree_outline import tree_nodes_json

        doc["tree_nodes"] = tree_nodes_json(m, values)
    if format is Format.json:
        emit_json(doc)
    else:
        emit_text(render.model_text(doc))


@guarded
def models(format: FormatOpt = Format.table) -> None:
    """List the models shipped with Redline."""
    from solver.formats import shipped_models
    from solver.formats.toml_model import read_toml
    from solver.render import text as render

    rows = []
    for name, path in shipped_models().items():
        head = read_toml(path).get("model", {})
        rows.append(
            {
                "name": name,
                "title": head.get("title", ""),
                "kind": head.get("kind", "normal"),
                "source": head.get("source", ""),
            }
        )
    if format is Format.json:
        emit_json({"models": rows})
    else:
        emit_text(
            render.table(
                [[r["name"], r["kind"], r["title"], r["source"]] for r in rows], ["model", "kind", "title", "source"]
            )
        )
