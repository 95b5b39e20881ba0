"""``redline regions|thresholds|sensitivity|uncertainty``: the symbolic red-line analysis commands.

Registered on :data:`solver.cli.solve.app` when :mod:`solver.cli.solve` imports this module.  Each command
is parse -> call :mod:`solver.analysis` -> render; sympy loads only when a command runs.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from solver.cli.common import Format, FormatOpt, ModelArg, SetOpt, emit_json, guarded, load_with_sets
from solver.core.errors import UsageError


class RegionsFormat(str, Enum):
    table = "table"
    json = "json"
    latex = "latex"


def json_number(x: Any) -> float | None:
    if x is None:
        return None
    import sympy as sp

    v = complex(sp.N(x, 20))
    return float(v.real)


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise UsageError("--free expects parameter names separated by commas")
    return names


def regions_doc(r: Any) -> dict[str, Any]:
    m = r.model
    eqs = []
    for e in r.equilibria:
        eqs.append(
            {
                "description": e.describe(m),
                "support": {
                    p: [m.strategies[i][k] for k in s]
                    for i, (p, s) in enumerate(zip(m.players, e.support, strict=True))
                },
                "profile": {
                    p: {
                        lab: str(v) for lab, v in zip(m.strategies[i], e.strategies[i], strict=True)
                    }
                    for i, p in enumerate(m.players)
                },
                "payoffs": {p: str(v) for p, v in zip(m.players, e.payoffs, strict=True)},
                "conditions": [str(c) for c in e.conditions],
                "region": str(e.region) if e.region is not None else None,
                "degenerate": e.degenerate,
            }
        )
    return {
        "model": m.name,
        "free": list(r.free),
        "fixed": {k: float(v) for k, v in r.fixed.items()},
        "closed_form": r.closed_form,
        "complete": r.complete,
        "notes": list(r.notes),
        "equilibria": eqs,
        "numeric": [{"signature": s, "share": f, "example": ex} for s, f, ex in r.numeric],
    }


def _regions_text(r: Any, latex: bool) -> str:
    import sympy as sp

    m = r.model
    from solver.core.expr import symbol

    names = {symbol(k): r"\mathit{" + k.replace("_", r"\_") + "}" for k in m.parameter_names}

    def tex(x: Any) -> str:
        return str(sp.latex(x, symbol_names=names)) if latex else str(x)

    lines = [
        f"{m.title}",
        "free: "
        + (", ".join(r.free) or "none")
        + "; others fixed at "
        + ", ".join(f"{k} = {sp.nsimplify(v)}" for k, v in r.fixed.items()),
    ]
    for k, e in enumerate(r.equilibria, 1):
        lines.append("")
        lines.append(f"{k}. {e.describe(m)}")
        for i, p in enumerate(m.players):
            probs = [
                f"Pr({lab}) = {tex(v)}"
                for lab, v in zip(m.strategies[i], e.strategies[i], strict=True)
                if v != 0
            ]
            lines.append(f"   {p}: " + ", ".join(probs) + f"; payoff {tex(e.payoffs[i])}")
        conds = [tex(c) for c in e.conditions]
        lines.append(
            "   exists when: "
            + (" and ".join(conds) if conds else "always (on the declared ranges)")
        )
    for s, f, _ in r.numeric:
        lines.append(f"numeric: {s}: {100 * f:.1f}% of sampled points")
    lines += [f"note: {n}" for n in r.notes]
    return "\n".join(lines)


@guarded
def regions(
    model: ModelArg = None,
    free: Annotated[
        str | None,
        typer.Option(
            "--free",
            help="Parameters to keep symbolic, e.g. v,c (default: those in the payoffs, capped).",
        ),
    ] = None,
    set_: SetOpt = None,
    format: Annotated[
        RegionsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RegionsFormat.table,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds allowed per support for sympy.")
    ] = 2.0,
    fallback: Annotated[
        bool,
        typer.Option(
            "--fallback", help="Without a closed form, print numeric regions instead of failing."
        ),
    ] = False,
) -> None:
    """Every equilibrium in closed form over the free parameters, with the exact conditions where it exists."""
    from solver.analysis.regions import regions as compute

    m, overrides = load_with_sets(model, set_)
    r = compute(m, _names(free), overrides, timeout, strict=not fallback)
    if format is RegionsFormat.json:
        emit_json(regions_doc(r))
    else:
        typer.echo(_regions_text(r, format is RegionsFormat.latex))


def thresholds_doc(m: Any, parameter: str, values: Any, ts: list[Any]) -> dict[str, Any]:
    p = m.parameter(parameter)
    return {
        "model": m.name,
        "parameter": parameter,
        "value": float(values[parameter]),
        "range": [float(p.low), float(p.high)],
        "thresholds": [
            {
                "value": t.decimal,
                "exact": t.exact_string,
                "before": t.before,
                "after": t.after,
                "at": t.at,
                "degenerate": t.degenerate,
                "note": t.note,
            }
            for t in ts
        ],
    }


@guarded
def thresholds(
    model: ModelArg = None,
    vary: Annotated[
        str, typer.Option("--vary", help="The parameter whose critical values to find.")
    ] = "",
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """The exact critical values of one parameter (the red lines) and what changes at each."""
    from solver.analysis.thresholds import thresholds as compute
    from solver.render import text as render

    if not vary:
        raise UsageError("--vary PARAMETER is required")
    m, overrides = load_with_sets(model, set_)
    ts = compute(m, vary, overrides)
    values = m.values(overrides)
    if format is Format.json:
        emit_json(thresholds_doc(m, vary, values, ts))
        return
    rows = [[t.exact_string, f"{t.decimal:.10g}", t.before, t.after] for t in ts]
    text = f"{m.title}\nthresholds of {vary} (now {render.fmt(values[vary])}, others fixed)\n\n"
    text += (
        render.table(rows, ["exact", "decimal", "below", "above"])
        if rows
        else "none: the equilibrium set does not change on the range"
    )
    typer.echo(text)
