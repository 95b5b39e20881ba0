"""Logit QRE: Redline against pygambit, in points per second, in one run.

    .venv/bin/python bench/qre.py [--games 20] [--batch 1000000] [--seed 0] [--quick]

On the same random games (normal payoffs, two decimals) it times, per shape (2x2, 5x5, 2x2x2):

* ``at-lambdas``: the QRE at 10 lambdas (1 to 30 over the payoff spread) on the principal
  branch: ``solver.equilibria.qre.branch.qre_at`` against ``pygambit.qre.logit_solve_lambda``
  (``use_strategic=True``); points per second, and the largest difference between the two;
* ``branch``: the whole principal branch: ``trace_branch`` to lambda = 1000 over the spread
  against ``logit_solve_branch`` (which runs until its regret is 1e-8 of the spread); points
  traced per second by each (their points are not the same, their densities differ), and
  branches per second;
* ``limit``: the logit tracing selection (``logit_limit``, verified by the regret check) against
  ``pygambit.nash.logit_solve``: games per second.

Then the batched fixed-lambda 2x2 kernel (``solver.equilibria.qre.batched2x2.qre_2x2``) on
``--batch`` games at lambda 0.5, 2 and 5 (payoffs N(0, 1): lambda times the spread of the
payoff gains is about 1.6, 6 and 16) against ``logit_solve_lambda`` game by game on a sample:
points per second and the largest difference on the sample; and games of one shape (2x2x2, 3x3,
5x5) traced together by ``solver.equilibria.qre.many.qre_many`` (20 times the sample) against
``logit_solve_lambda`` game by game.

Last the whole ``redline sweep syria_deconfliction --qre L`` on a ``--grid`` x ``--grid`` grid
(iran_cost 0..20 x deal_value 0..10; default 1000 x 1000) at lambda 0.5, 2 and 10: the library call
``solver.sweep.qre.sweep_qre`` (plan, payoffs, QRE, outcome probabilities, expected payoffs) and
the command run in this process (model loading and the JSON summary included), in points per
second, against ``logit_solve_lambda`` point by point on a sample of the grid's games (the anchor),
with the largest difference.  ``--sweep-only`` runs just that.  ``ratio`` is Redline's rate over
pygambit's (above 1: Redline is faster).  Timings depend on the machine: compare within one run.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

SHAPES = ((2, 2), (5, 5), (2, 2, 2))
RELATIVE = np.linspace(1.0, 30.0, 10)


def _games(shape: tuple[int, ...], count: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.round(rng.normal(size=(len(shape), *shape)), 2) for _ in range(count)]


def _gambit_game(pay: np.ndarray) -> Any:
    import pygambit as gbt

    return gbt.StrategicGame.from_arrays(*[pay[i] for i in range(pay.shape[0])])


def _flat(g: Any, prof: Any) -> list[float]:
    return [float(prof[p][s]) for p in g.players for s in g.get_strategies(p)]


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def strategic(shape: tuple[int, ...], count: int, seed: int) -> None:
    import pygambit as gbt

    from solver.core.game import Game
    from solver.equilibria.qre.branch import qre_at, trace_branch
    from solver.equilibria.qre.limit import logit_limit

    pays = _games(shape, count, seed)
    ours_t = theirs_t = 0.0
    worst = 0.0
    b_ours = b_theirs = 0.0
    n_ours = n_theirs = 0
    l_ours = l_theirs = 0.0
    for pay in pays:
        game, gg = Game.from_arrays(pay, exact=False), _gambit_game(pay)
        lams = (RELATIVE / float(pay.max() - pay.min())).tolist()
        t, mine = _timed(lambda: qre_at(game, lams))  # noqa: B023
        u, theirs = _timed(lambda: gbt.qre.logit_solve_lambda(gg, lam=lams, use_strategic=True))  # noqa: B023
        ours_t, theirs_t = ours_t + t, theirs_t + u
        for p, r in zip(mine.points, theirs, strict=True):
            worst = max(worst, float(np.abs(np.concatenate(p.vectors) - _flat(gg, r.profile)).max()))
        top = 1000.0 / float(pay.max() - pay.min())
        t, br = _timed(lambda: trace_branch(game, lambda_max=top))  # noqa: B023
        u, gb = _timed(lambda: gbt.qre.logit_solve_branch(gg, use_strategic=True))  # noqa: B023
        b_ours, b_theirs, n_ours, n_theirs = b_ours + t, b_theirs + u, n_ours + len(br.points), n_theirs + len(gb)
        t, _ = _timed(lambda: logit_limit(game))  # noqa: B023
        u, _ = _timed(lambda: gbt.nash.logit_solve(gg))  # noqa: B023
        l_ours, l_theirs = l_ours + t, l_theirs + u
    name = "x".join(map(str, shape))
    pts = count * len(RELATIVE)
    print(
        f"{name:6} at-lambdas  redline {pts / ours_t:9.0f} pts/s  gambit {pts / theirs_t:9.0f} pts/s  "
        f"ratio {theirs_t / ours_t:5.2f}  max diff {worst:.1e}"
    )
    print(
        f"{name:6} branch      redline {n_ours / b_ours:9.0f} pts/s  gambit {n_theirs / b_theirs:9.0f} pts/s  "
        f"({count / b_ours:.0f} vs {count / b_theirs:.0f} branches/s; ratio {b_theirs / b_ours:5.2f}; "
        f"{n_ours / count:.0f} vs {n_theirs / count:.0f} points per branch)"
    )
    print(
        f"{name:6} limit       redline {count / l_ours:9.1f} games/s gambit {count / l_theirs:9.1f} games/s "
        f"ratio {l_theirs / l_ours:5.2f}"
    )


def batched(size: int, sample: int, seed: int) -> None:
    import pygambit as gbt

    from solver.equilibria.qre.batched2x2 import qre_2x2

    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(size, 2, 2)), rng.normal(size=(size, 2, 2))
    qre_2x2(a[:1000], b[:1000], 1.0)  # warm-up
    for lam in (0.5, 2.0, 5.0):
        t, (p, q, marked) = _timed(lambda: qre_2x2(a, b, lam))  # noqa: B023
        worst = 0.0
        start = time.perf_counter()
        for k in range(sample):
            gg = _gambit_game(np.stack([a[k], b[k]]))
            (r,) = gbt.qre.logit_solve_lambda(gg, lam=[lam], use_strategic=True)
            flat = _flat(gg, r.profile)
            worst = max(worst, abs(flat[0] - p[k]), abs(flat[2] - q[k]))
        u = (time.perf_counter() - start) / sample
        print(
            f"2x2 batched lambda {lam:3g}: redline {size / t:11.0f} pts/s ({size} games, {int(marked.sum())} "
            f"to the single-game tracer)  gambit {1 / u:7.0f} pts/s  ratio {size / t * u:8.0f}  "
            f"max diff {worst:.1e} on {sample}"
        )


def many(count: int, sample: int, seed: int) -> None:
    """Games of one shape traced together (``qre_many``) against pygambit game by game."""
    import pygambit as gbt

    from solver.core.game import Game
    from solver.equilibria.qre.form import game_form
    from solver.equilibria.qre.many import qre_many

    for shape in ((2, 2, 2), (3, 3), (5, 5)):
        pays = np.stack(_games(shape, count, seed))
        form = game_form(Game.from_arrays(pays[0], exact=False))
        flat = pays.reshape(count, len(shape), -1).transpose(0, 2, 1)
        for lam in (1.0, 4.0):
            t, (probs, ok) = _timed(lambda: qre_many(form, flat, lam))  # noqa: B023
            worst = 0.0
            start = time.perf_counter()
            for k in range(sample):
                gg = _gambit_game(pays[k])
                (r,) = gbt.qre.logit_solve_lambda(gg, lam=[lam], use_strategic=True)
                worst = max(worst, float(np.abs(np.asarray(_flat(gg, r.profile)) - probs[k]).max()))
            u = (time.perf_counter() - start) / sample
            name = "x".join(map(str, shape))
            print(
                f"{name:6} many lambda {lam:g}: redline {count / t:8.0f} pts/s ({int((~ok).sum())} of {count} left "
                f"to the single-game tracer)  gambit {1 / u:6.0f} pts/s  ratio {count / t * u:6.2f}  "
                f"max diff {worst:.1e} on {sample}"
            )


def sweep(grid: int, sample: int) -> None:
    """The whole QRE sweep of a 2x2 model against pygambit point by point."""
    import pygambit as gbt
    from typer.testing import CliRunner

    from solver.cli import app
    from solver.core.symbolic import evaluate
    from solver.formats import load
    from solver.sweep.qre import sweep_qre

    m = load("syria_deconfliction")
    vary = {"iran_cost": np.linspace(0.0, 20.0, grid), "deal_value": np.linspace(0.0, 10.0, grid)}
    n = grid * grid
    sweep_qre(m, {k: v[:20] for k, v in vary.items()}, lam=1.0)  # warm-up (compiles the payoffs)
    rng = np.random.default_rng(0)
    picks = rng.integers(0, n, size=sample)
    from solver.core.symbolic import batch_evaluator
    from solver.equilibria.qre.batched2x2 import qre_2x2_grid

    vals = {p.name: float(p.value) for p in m.parameters}
    axes = np.meshgrid(vary["iran_cost"], vary["deal_value"], indexing="ij")
    pay = batch_evaluator(m)(*[axes[0] if p.name == "iran_cost" else axes[1] if p.name == "deal_value"
                               else vals[p.name] for p in m.parameters])
    for lam in (0.5, 2.0, 10.0):
        kern, _ = _timed(lambda: qre_2x2_grid(pay, lam))  # noqa: B023
        t, r = _timed(lambda: sweep_qre(m, vary, lam=lam))  # noqa: B023
        args = ["sweep", "syria_deconfliction", "--qre", str(lam), "--vary", f"iran_cost=0:20:{grid}",
                "--vary", f"deal_value=0:10:{grid}", "--format", "json", "-q", "--timeout", "0"]
        c, res = _timed(lambda: CliRunner().invoke(app, args))  # noqa: B023
        assert res.exit_code == 0, res.stderr
        worst = 0.0
        start = time.perf_counter()
        pts = r.points()
        for k in picks.tolist():
            game = evaluate(m, {name: str(float(pts[name][k])) for name in pts})
            gg = _gambit_game(game.float_payoffs())
            (q,) = gbt.qre.logit_solve_lambda(gg, lam=[lam], use_strategic=True)
            worst = max(worst, float(np.abs(np.asarray(_flat(gg, q.profile)) - r.probs[k]).max()))
        u = (time.perf_counter() - start) / sample
        print(
            f"sweep --qre {lam:g} syria_deconfliction {grid}x{grid}: library {n / t:9.0f} pts/s  command "
            f"{n / c:9.0f} pts/s  (kernel qre_2x2_grid alone {n / kern:9.0f} pts/s; {r.fallback_points} traced "
            f"one by one)  gambit {1 / u:5.0f} pts/s  "
            f"ratio {n / t * u:7.0f}  max diff {worst:.1e} on {sample}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=20, help="random games per shape")
    ap.add_argument("--batch", type=int, default=1_000_000, help="2x2 games for the batched kernel")
    ap.add_argument("--sample", type=int, default=300, help="games pygambit solves one by one")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="5 games per shape, 10^5 batched")
    ap.add_argument("--grid", type=int, default=1000, help="the QRE sweep's grid: GRID x GRID points")
    ap.add_argument("--sweep-only", action="store_true", help="only the whole `sweep --qre` timing")
    args = ap.parse_args()
    if args.quick:
        args.games, args.batch, args.sample = 5, 100_000, 100
    if args.sweep_only:
        sweep(args.grid, args.sample)
        return
    for shape in SHAPES:
        strategic(shape, args.games, args.seed)
    batched(args.batch, args.sample, args.seed)
    many(20 * args.sample, args.sample, args.seed)
    sweep(args.grid, args.sample)


if __name__ == "__main__":
    main()
