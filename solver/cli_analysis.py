"""``redline regions|thresholds|sensitivity|uncertainty``: the symbolic red-line analysis commands.

Registered on :data:`solver.cli.app` when :mod:`solver.cli` imports this module.  Each command
is parse -> call :mod:`solver.analysis` -> render; sympy loads only when a command runs.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from .cli import Format, FormatOpt, ModelArg, SetOpt, app, emit_json, guarded, parse_sets
from .errors import UsageError


class RegionsFormat(str, Enum):
    table = "table"
    json = "json"
    latex = "latex"


def _num(x: Any) -> float | None:
    if x is None:
        return None
    import sympy as sp

    v = complex(sp.N(x, 20))
    return float(v.real)


def _load(model: str | None, sets: list[str] | None) -> tuple[Any, dict[str, str]]:
    from .formats import load

    m = load(model)
    overrides = parse_sets(sets)
    for name in overrides:
        m.parameter(name)
    return m, overrides


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
    from .expr import symbol

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


@app.command()
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
    from .analysis.regions import regions as compute

    m, overrides = _load(model, set_)
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


@app.command()
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
    from . import render
    from .analysis.thresholds import thresholds as compute

    if not vary:
        raise UsageError("--vary PARAMETER is required")
    m, overrides = _load(model, set_)
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


def sensitivity_doc(s: Any) -> dict[str, Any]:
    m = s.model

    def by_label(d: Any) -> dict[str, Any]:
        return {
            "probabilities": {
                p: {
                    lab: _num(v)
                    for lab, v in zip(m.strategies[i], d["probabilities"][i], strict=True)
                }
                for i, p in enumerate(m.players)
            },
            "payoffs": {p: _num(v) for p, v in zip(m.players, d["payoffs"], strict=True)},
        }

    margins = {
        k: {
            "value": float(g.value),
            "down": _num(g.down),
            "up": _num(g.up),
            "lower": _num(g.lower),
            "upper": _num(g.upper),
            "lower_is_threshold": g.lower_is_threshold,
            "upper_is_threshold": g.upper_is_threshold,
            "relative": g.relative,
        }
        for k, g in s.margins.items()
    }
    eqs = [
        {
            "description": e.description,
            "method": e.method,
            "profile": {
                p: {lab: _num(v) for lab, v in zip(m.strategies[i], e.strategies[i], strict=True)}
                for i, p in enumerate(m.players)
            },
            "payoffs": {p: _num(v) for p, v in zip(m.players, e.payoffs, strict=True)},
            "derivatives": {k: by_label(d) for k, d in e.derivatives.items()},
            "elasticities": {k: by_label(d) for k, d in e.elasticities.items()},
            "margins": margins,
        }
        for e in s.equilibria
    ]
    return {
        "model": m.name,
        "values": {k: float(v) for k, v in s.values.items()},
        "signature": s.signature,
        "equilibria": eqs,
        "margins": margins,
    }


@app.command()
@guarded
def sensitivity(
    model: ModelArg = None,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
    plot: Annotated[
        str | None,
        typer.Option(
            "--plot", help="Write a tornado chart of the margins to FILE (png, pdf, svg)."
        ),
    ] = None,
) -> None:
    """Derivatives and elasticities of every equilibrium, and each parameter's margin to a red line."""
    from . import render
    from .analysis.sensitivity import sensitivity as compute

    m, overrides = _load(model, set_)
    s = compute(m, overrides)
    if plot:
        from .analysis.plots import plot_tornado

        plot_tornado(s, plot)
    if format is Format.json:
        emit_json(sensitivity_doc(s))
        return
    lines = [f"{m.title}", f"equilibria: {s.signature}"]
    for e in s.equilibria:
        lines += ["", f"{e.description} ({e.method})"]
        rows = []
        for k, d in e.derivatives.items():
            cells = [
                f"{_num(v):.4g}"
                for i in range(len(m.players))
                for lab, v in zip(m.strategies[i], d["probabilities"][i], strict=True)
                if len(e.support[i]) > 1 and lab == m.strategies[i][e.support[i][-1]]
            ]
            rows.append([k, *cells, *[f"{_num(v):.4g}" for v in d["payoffs"]]])
        head = [
            "d/d param",
            *[
                f"Pr({m.players[i]}: {m.strategies[i][e.support[i][-1]]})"
                for i in range(len(m.players))
                if len(e.support[i]) > 1
            ],
            *[f"u({p})" for p in m.players],
        ]
        lines.append(render.table(rows, head))
    lines += ["", "robustness margins (others fixed):"]
    rows = [
        [
            g.parameter,
            render.fmt(g.value),
            f"{_num(g.down):.6g}" + ("" if g.lower_is_threshold else " (range)"),
            f"{_num(g.up):.6g}" + ("" if g.upper_is_threshold else " (range)"),
        ]
        for g in sorted(s.margins.values(), key=lambda g: g.relative)
    ]
    lines.append(render.table(rows, ["parameter", "value", "down", "up"]))
    typer.echo("\n".join(lines))


@app.command()
@guarded
def uncertainty(
    model: ModelArg = None,
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Number of Monte Carlo draws.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    set_: SetOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Monte Carlo over the parameters: probability of each equilibrium set and each outcome."""
    from . import render
    from .analysis.uncertainty import Estimate
    from .analysis.uncertainty import uncertainty as compute

    m, overrides = _load(model, set_)
    u = compute(m, samples, seed, overrides)

    def est(e: Estimate) -> dict[str, Any]:
        return {"label": e.label, "count": e.count, "p": e.p, "low": e.low, "high": e.high}

    if format is Format.json:
        emit_json(
            {
                "model": m.name,
                "samples": u.samples,
                "seed": u.seed,
                "engine": u.engine,
                "distributions": dict(u.distributions),
                "signatures": [est(e) for e in u.signatures],
                "outcomes": [est(e) for e in u.outcomes],
            }
        )
        return

    def ci(e: Estimate) -> str:
        return f"[{e.low:.4f}, {e.high:.4f}]"

    lines = [
        f"{m.title}",
        f"{u.samples} samples (seed {u.seed}, {u.engine} engine); 95% intervals",
        "",
    ]
    lines.append(
        render.table(
            [[f"{e.p:.4f}", ci(e), e.label] for e in u.signatures], ["P", "95% CI", "equilibria"]
        )
    )
    lines.append("")
    lines.append(
        render.table(
            [[f"{e.p:.4f}", ci(e), e.label] for e in u.outcomes], ["P(played)", "95% CI", "outcome"]
        )
    )
    typer.echo("\n".join(lines))
