"""Sweep benchmark: the batched engine against per-point loops over nashpy, pygambit, QuantEcon.

Run: ``.venv/bin/python bench/sweep.py [--quick] [--no-big]``.  Anchor loops are timed on a
random subsample of the same grid and reported as points/s; ratios = ours / anchor.
Nothing here is asserted: it prints numbers.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from solver.core.symbolic import evaluate
from solver.equilibria.verify import max_regret
from solver.formats import load
from solver.sweep import solve_batch, sweep


def grid(model, names, n):
    side = round(n ** (1 / len(names)))
    return {
        nm: np.linspace(float(model.parameter(nm).low), float(model.parameter(nm).high), side)
        for nm in names
    }


def subsample_games(model, vary, k, seed=0):
    rng = np.random.default_rng(seed)
    games = []
    for _ in range(k):
        point = {n: float(rng.choice(v)) for n, v in vary.items()}
        games.append(evaluate(model, point, exact=False).float_payoffs())
    return games


def time_loop(fn, games):
    t = time.perf_counter()
    for g in games:
        fn(g)
    return len(games) / (time.perf_counter() - t)


def ours(model, vary, workers=1):
    sweep(model, {k: v[:3] for k, v in vary.items()})  # warm the lambdify cache
    t = time.perf_counter()
    r = sweep(model, vary, workers=workers, refine=False)
    dt = time.perf_counter() - t
    return r.n_points / dt, r


def _game(gbt):
    """pygambit's strategic-game class: ``StrategicGame`` in 17.x, ``Game`` in 16.x."""
    return getattr(gbt, "StrategicGame", gbt.Game)


def anchors_two_player(games):
    import nashpy
    import pygambit as gbt
    import quantecon.game_theory as qe

    out = {}
    out["nashpy support_enumeration"] = time_loop(
        lambda u: list(nashpy.Game(u[0], u[1]).support_enumeration()), games
    )
    out["pygambit enummixed (float)"] = time_loop(
        lambda u: gbt.nash.enummixed_solve(_game(gbt).from_arrays(u[0], u[1]), rational=False), games
    )
    qe.support_enumeration(
        qe.NormalFormGame(np.stack([games[0][0], games[0][1].T], -1).transpose(0, 1, 2))
    )

    def q(u):
        g = qe.NormalFormGame((qe.Player(u[0]), qe.Player(u[1].T)))
        return qe.support_enumeration(g)

    q(games[0])
    out["QuantEcon support_enumeration"] = time_loop(q, games)
    return out


def anchors_three_player(games):
    import pygambit as gbt

    return {
        "pygambit enumpoly": time_loop(
            lambda u: gbt.nash.enumpoly_solve(_game(gbt).from_arrays(*u)), games
        ),
        "pygambit gnm": time_loop(lambda u: gbt.nash.gnm_solve(_game(gbt).from_arrays(*u)), games),
    }


def check_regret(model, vary, k=300, seed=1):
    """Every equilibrium the engine reports at sampled points has regret ~0 (worst regret)."""
    rng = np.random.default_rng(seed)
    cols = {p.name: np.full(k, float(p.value)) for p in model.parameters}
    for n, v in vary.items():
        cols[n] = rng.choice(v, k)
    batch = solve_batch(model, cols)
    worst = 0.0
    for i in range(k):
        g = evaluate(
            model, {n: float(c[i]) for n, c in cols.items()}, exact=False, check_range=False
        )
        for _, probs, _ in batch.equilibria_at(i):
            worst = max(worst, float(max_regret(g, [list(p) for p in probs])))
    return worst


def report(title, ours_rate, anchors):
    print(f"\n{title}")
    print(f"  redline (batched)                 {ours_rate:14,.0f} points/s")
    for name, rate in anchors.items():
        print(f"  {name:33s} {rate:14,.0f} points/s   ratio {ours_rate / rate:9,.0f}x")


def big(n):
    code = (
        "import time,resource,sys; sys.path.insert(0,'.');"
        "from solver.formats import load; from solver.sweep import sweep; import numpy as np;"
        f"m=load('syria_deconfliction'); side=int(round({n}**0.5));"
        "v={'iran_cost':np.linspace(0,20,side),'conflict_cost_israel':np.linspace(0,20,side)};"
        "t=time.perf_counter(); r=sweep(m,v,workers=2,refine=False); dt=time.perf_counter()-t;"
        "hwm=[int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]/1024;"
        "print(r.n_points, dt, hwm,"
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    if out.returncode:
        print(out.stderr)
        return
    pts, dt, rss, child = out.stdout.split()
    print(
        f"\n{int(pts):,}-point sweep (syria_deconfliction, 2 workers): {float(dt):.1f} s, "
        f"{int(pts) / float(dt):,.0f} points/s, peak RSS {float(rss):.0f} MiB (parent, VmHWM), "
        f"{float(child):.0f} MiB (largest worker)"
    )


def refined(n, anchors):
    """The issue-11 target: ``redline sweep`` of ``n`` points on a 2-D grid of
    syria_deconfliction, boundaries refined, one process, in-process and through the CLI."""
    m = load("syria_deconfliction")
    side = round(n**0.5)
    vary = {"iran_cost": np.linspace(0, 20, side), "strike_eff": np.linspace(0, 1, side)}
    sweep(m, {k: v[:3] for k, v in vary.items()})
    t = time.perf_counter()
    r = sweep(m, vary)
    dt = time.perf_counter() - t
    cmd = [
        str(Path(sys.executable).with_name("redline")), "sweep", "syria_deconfliction", "-q",
        "--vary", f"iran_cost=0:20:{side}", "--vary", f"strike_eff=0:1:{side}",
    ]
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    cli = time.perf_counter() - t
    rate = r.n_points / dt
    print(
        f"\n{r.n_points:,}-point 2-D sweep of syria_deconfliction, {len(r.boundaries):,} boundaries "
        f"refined, one process: {dt:.2f} s ({rate:,.0f} points/s; target 5,000,000); "
        f"`redline sweep` end to end {cli:.2f} s ({r.n_points / cli:,.0f} points/s)"
    )
    for name, anchor in anchors.items():
        print(f"  vs {name:30s} {rate / anchor:9,.0f}x (target 2,000x for nashpy)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-big", action="store_true")
    args = ap.parse_args()
    n = 10**5 if args.quick else 10**6
    k = 200 if args.quick else 1000

    m2 = load("syria_deconfliction")
    vary = grid(m2, ["iran_cost", "conflict_cost_israel"], n)
    rate, r = ours(m2, vary)
    rate2, _ = ours(m2, vary, workers=2)
    a2 = anchors_two_player(subsample_games(m2, vary, k))
    report(
        f"syria_deconfliction (2x2), 2-D grid of {r.n_points:,} points "
        f"(2 workers: {rate2:,.0f} points/s; {r.fallback_points} tie points solved exactly)",
        rate,
        a2,
    )
    print(
        f"  worst regret of reported equilibria (300 sampled points): {check_regret(m2, vary):.2e}"
    )

    m3 = load("syria_triad")
    for names in (["entrench_cost"], ["entrench_cost", "base_value"]):
        vary = grid(m3, names, n)
        rate, r = ours(m3, vary)
        report(
            f"syria_triad (2x2x2), {len(names)}-D grid of {r.n_points:,} points "
            f"({r.fallback_points} tie points solved exactly)",
            rate,
            anchors_three_player(subsample_games(m3, vary, k // 2)),
        )
        print(
            f"  worst regret of reported equilibria (300 sampled points): {check_regret(m3, vary):.2e}"
        )
    refined(10**6 if args.quick else 10**7, a2)
    if not args.no_big and not args.quick:
        big(10**8)
    print(
        f"\npeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
