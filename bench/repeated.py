"""Benchmark: repeated games. A delta* sweep of a 2x2 model over 10^6 points, and Abreu-Sannikov
payoff sets against QuantEcon.

Not a test.  Run from the checkout (see bench/README.md)::

    .venv/bin/python bench/repeated.py            # full run
    .venv/bin/python bench/repeated.py --quick    # fewer repeats, a smaller exact subsample
    .venv/bin/python bench/repeated.py --sets     # only (b), the payoff sets

(a) ``sweep_repeated`` of syria_deal_repeated (else syria_deconfliction) over a 1000 x 1000 grid of
iran_cost x strike_eff, target (Tolerate, Acquiesce), per punishment: the whole sweep (payoffs
compiled and evaluated chunk by chunk, closed forms, exact re-solves of the tie points), its
points/s and the issue's 2 s target; the closed form alone on the precomputed payoff arrays; and a
loop of exact ``analyse_repeated`` calls on a random subsample (ms/point, the time it would take
for all 10^6 points, the ratio loop/sweep, and whether the sweep agrees with it there).

(b) ``abreu_sannikov`` (floats) and ``exact_payoff_set`` (rationals, where the iteration stops
exactly) against QuantEcon's ``RepeatedGame(NormalFormGame, delta).equilibrium_payoffs()`` (warmed
up: numba compiled before timing) on prisoner's dilemmas, the Abreu-Sannikov example and random
2x2 and 3x3 games: ms per call (median of repeats), ratio = QuantEcon ms / ours (> 1: Redline is
faster), the Hausdorff distance between the two sets, their vertex counts, and our rounds (operator
applications) with the Anderson acceleration / without it (``accelerate=False``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from solver.core.errors import SolverError  # noqa: E402
from solver.core.symbolic import batch_evaluator, evaluate  # noqa: E402
from solver.equilibria.repeated import abreu_sannikov, analyse_repeated, exact_payoff_set  # noqa: E402
from solver.equilibria.repeated.polygon import hausdorff  # noqa: E402
from solver.formats import load  # noqa: E402
from solver.sweep.grid import CHUNK  # noqa: E402
from solver.sweep.repeated import KIND, sweep_repeated  # noqa: E402
from solver.sweep.repeated_forms import critical_deltas  # noqa: E402

TARGET = "Tolerate, Acquiesce"
#: the issue's target: a delta* sweep of a 2x2 model over 10^6 points in under this many seconds
SWEEP_TARGET_S = 2.0
#: the Abreu-Sannikov example (Abreu & Sannikov 2014; QuantEcon's test suite), rows x cols x 2
AS_EXAMPLE = [[(16, 9), (3, 13), (0, 3)], [(21, 1), (10, 4), (-1, 0)], [(9, 0), (5, -4), (-5, -15)]]
AXELROD_PD = [[(3, 3), (0, 5)], [(5, 0), (1, 1)]]
QE_PD = [[(9, 9), (1, 10)], [(10, 1), (3, 3)]]


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """(median seconds over ``repeats`` calls, the last result)."""
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def ratio(theirs: float, ours: float) -> str:
    return f"ratio {theirs / ours:8.2f}x" if ours > 0 else "ratio      n/a"


# --- (a) the delta* sweep ------------------------------------------------------------------------


def closed_form(pay: Any, punishment: str) -> list[Any]:
    """The closed form alone on given payoff arrays, chunk by chunk as the sweep runs it."""
    n = pay.shape[-1]
    return [critical_deltas(pay[0][..., k : k + CHUNK], pay[1][..., k : k + CHUNK], (0, 0), punishment)
            for k in range(0, n, CHUNK)]


def bench_sweep(side: int, sample: int, repeats: int, seed: int) -> None:
    name = "syria_deal_repeated" if (ROOT / "models" / "syria_deal_repeated.toml").exists() else "syria_deconfliction"
    model = load(name)
    grid = {"iran_cost": np.linspace(0, 20, side), "strike_eff": np.linspace(0, 1, side)}
    n = side * side
    print(f"(a) delta* of ({TARGET}) in {name} over {side} x {side} = {n:,} points (iran_cost x strike_eff)")
    cold = time.perf_counter()
    sweep_repeated(model, TARGET, grid, punishment="nash")
    print(f"  first sweep (compiles the payoffs): {time.perf_counter() - cold:.3f} s")
    cols = np.meshgrid(grid["iran_cost"], grid["strike_eff"], indexing="ij")
    values = model.values({})
    args = [cols[0].ravel() if p.name == "iran_cost" else cols[1].ravel() if p.name == "strike_eff"
            else np.full(n, float(values[p.name])) for p in model.parameters]
    pay = batch_evaluator(model)(*args)
    rng = np.random.default_rng(seed)
    picks = rng.choice(n, size=min(sample, n), replace=False)
    exact: dict[int, Any] = {}
    failed: list[str] = []
    start = time.perf_counter()
    for k in picks.tolist():
        point = {"iran_cost": float(cols[0].ravel()[k]), "strike_eff": float(cols[1].ravel()[k])}
        try:
            exact[k] = analyse_repeated(evaluate(model, point, check_range=False), TARGET)
        except SolverError as exc:  # reported below; the sweep leaves such points unsolved too
            failed.append(f"{point}: {exc}")
    per = (time.perf_counter() - start) / len(picks)
    for punishment in ("nash", "minmax", "best"):
        s, res = timed(lambda p=punishment: sweep_repeated(model, TARGET, grid, punishment=p), repeats)
        c, _ = timed(lambda p=punishment: closed_form(pay, p), repeats)
        worst, mismatch = 0.0, 0
        for k, found in exact.items():
            d = found.punishment(KIND[punishment]).critical_delta
            want, got = (np.nan if d is None else float(d)), float(res.delta_star[k])
            if np.isnan(want) != np.isnan(got):
                mismatch += 1
            elif not np.isnan(want):
                worst = max(worst, abs(want - got))
        goal = "target met" if s < SWEEP_TARGET_S else f"BELOW target ({SWEEP_TARGET_S:g} s)"
        print(f"  {punishment:<7} sweep        {s:8.3f} s  {n / s:12,.0f} points/s  ({goal}; "
              f"{int(res.exact.sum())} tie points solved exactly)")
        print(f"  {punishment:<7} closed form  {c:8.3f} s  {n / c:12,.0f} points/s  (payoff arrays given, "
              f"chunks of {CHUNK})")
        print(f"  {punishment:<7} exact loop   {1000 * per:8.3f} ms/point over {len(picks)} points: "
              f"~{per * n:,.0f} s for all; {ratio(per * n, s)} against the sweep; "
              f"max |diff| {worst:.1e}, {mismatch} none/number mismatches")
    for line in failed:
        print(f"  exact analysis failed at {line}")


# --- (b) Abreu-Sannikov against QuantEcon --------------------------------------------------------


def random_game(rng: np.random.Generator, m: int) -> list[Any]:
    return np.round(rng.normal(scale=5.0, size=(m, m, 2)), 3).tolist()


def quantecon_set(bimatrix: Any, delta: float) -> Any:
    from quantecon.game_theory import NormalFormGame, RepeatedGame
    from scipy.spatial import QhullError

    try:
        hull = RepeatedGame(NormalFormGame(np.asarray(bimatrix, dtype=float)), delta).equilibrium_payoffs()
    except (ValueError, QhullError):  # empty, or a point/segment Qhull cannot hull
        return None
    return hull.points[hull.vertices]


def _drawn(rng: np.random.Generator, m: int, count: int, delta: float) -> tuple[list[Any], int]:
    """``count`` random m x m games whose set at ``delta`` QuantEcon can hull (full-dimensional),
    and how many draws were skipped (empty, a point or a segment: QuantEcon raises there)."""
    games, skipped = [], 0
    while len(games) < count and skipped < 50 * count:
        game = random_game(rng, m)
        if quantecon_set(game, delta) is None:
            skipped += 1
        else:
            games.append(game)
    return games, skipped


def bench_payoff_sets(repeats: int, seed: int, randoms: int) -> None:
    rng = np.random.default_rng(seed)
    cases: list[tuple[str, Any, float]] = [
        ("pd-axelrod d=0.5", AXELROD_PD, 0.5),
        ("pd-axelrod d=0.4", AXELROD_PD, 0.4),
        ("pd-quantecon d=0.9", QE_PD, 0.9),
        ("as-example d=0.3", AS_EXAMPLE, 0.3),
        ("as-example d=0.6", AS_EXAMPLE, 0.6),
    ]
    quantecon_set(AS_EXAMPLE, 0.3)  # numba compiles here, not in the timings
    quantecon_set(AXELROD_PD, 0.5)
    skipped = {}
    for m, delta in ((2, 0.7), (3, 0.5)):
        games, skipped[m] = _drawn(rng, m, randoms, delta)
        cases += [(f"random {m}x{m} #{k} d={delta:g}", g, delta) for k, g in enumerate(games)]
    print(f"\n(b) Abreu-Sannikov payoff sets: ms per call (median of {repeats}); ratio = QuantEcon / ours")
    print(f"  {'game':<22} {'quantecon':>10} {'ours':>9} {'':>15} {'exact':>9} {'':>15}  hausdorff  vertices  rounds")
    for name, bimatrix, delta in cases:
        arr = np.asarray(bimatrix, dtype=float)
        q, theirs = timed(lambda b=bimatrix, d=delta: quantecon_set(b, d), repeats)
        o, ours = timed(lambda a=arr, d=delta: abreu_sannikov(a[:, :, 0], a[:, :, 1], d), repeats)
        frac = [[[Fraction(str(x)) for x in cell] for cell in row] for row in bimatrix]
        u0 = [[c[0] for c in row] for row in frac]
        u1 = [[c[1] for c in row] for row in frac]
        e, exact = timed(lambda a=u0, b=u1, d=delta: exact_payoff_set(a, b, Fraction(str(d))), repeats)
        stopped = exact is not None and exact.vertices
        exact_ms = f"{1000 * e:9.3f} {ratio(q, e)}" if stopped else f"{'-':>9} {'(floats)':>15}"
        plain = abreu_sannikov(arr[:, :, 0], arr[:, :, 1], delta, accelerate=False)
        rounds = "-" if ours is None or plain is None else f"{ours.iterations}/{plain.iterations}"
        if theirs is None or ours is None:
            dist, count = "n/a (empty or degenerate)", "-"
        else:
            dist = f"{hausdorff(np.asarray(ours.vertices), theirs):.1e}"
            count = f"{len(ours.vertices)}/{len(theirs)}"
        print(f"  {name:<22} {1000 * q:10.3f} {1000 * o:9.3f} {ratio(q, o)} {exact_ms}  {dist:>9}  {count:>8}  "
              f"{rounds}")
    for m, k in skipped.items():
        print(f"  ({k} random {m}x{m} draws skipped: a set QuantEcon cannot hull -- empty, a point or a segment)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and a smaller exact subsample")
    ap.add_argument("--side", type=int, default=1000, help="grid side: side^2 points (default 1000)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--sets", action="store_true", help="only (b): the Abreu-Sannikov payoff sets")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    repeats = 3 if args.quick else 7
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, seed {args.seed}")
    print("ratio = other ms / redline ms (> 1: redline faster)\n")
    if not args.sets:
        bench_sweep(args.side, 50 if args.quick else 300, repeats, args.seed)
    bench_payoff_sets(repeats if args.quick else 21, args.seed, 2 if args.quick else 4)


if __name__ == "__main__":
    main()
