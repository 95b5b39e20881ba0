"""Every ``.nfg`` file in Gambit's collection: Redline against Gambit's own solver, in one run.

    .venv/bin/python bench/gambit_nfg.py [--root ../shared/games/gambit] [--timeout 120]

Per file it times a second call of ``solver.solve(game)`` (the first loads the route's modules;
every equilibrium, exact where the payoffs are) and
pygambit's complete-enumeration solver for that size: ``enumpoly_solve`` for three or more
players, ``enummixed_solve`` (rational) for two.  pygambit runs in a forked child with a timeout,
since some of its solvers hang in C++.  It prints each tool's time and equilibrium count, the ratio
(pygambit's time / Redline's: above 1, Redline is faster), whether Redline's answer is complete,
and Gambit's misses: equilibria Redline verified (regret ~0) that pygambit did not report.
Timings depend on the machine: compare within one run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from solve import forked  # bench/solve.py, beside this file

ROOT = Path(__file__).resolve().parents[2] / "shared" / "games" / "gambit"


def _gambit_child(path: str, queue: Any) -> None:
    import pygambit as gbt

    g = gbt.read_nfg(path)
    n = len(g.players)
    start = time.perf_counter()
    res = gbt.nash.enumpoly_solve(g) if n > 2 else gbt.nash.enummixed_solve(g, rational=True)
    took = time.perf_counter() - start
    v17 = hasattr(gbt, "StrategicGame")
    strategies = [g.get_strategies(p) if v17 else p.strategies for p in g.players]
    eqs = [[[float(e[p][s]) for s in ss] for p, ss in zip(g.players, strategies, strict=True)] for e in res.equilibria]
    queue.put((took, eqs))


def gambit(path: Path, timeout: float) -> tuple[float, list[list[list[float]]]] | None:
    return forked(_gambit_child, (str(path),), timeout)  # type: ignore[no-any-return]


def _close(a: list[list[float]], b: list[list[float]]) -> bool:
    return max(abs(x - y) for va, vb in zip(a, b, strict=True) for x, y in zip(va, vb, strict=True)) < 1e-6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per file and tool")
    args = ap.parse_args()
    from solver import solve
    from solver.formats.nfg import read_nfg

    files = sorted(args.root.rglob("*.nfg"))
    if not files:
        raise SystemExit(f"no .nfg files under {args.root}")
    solve(read_nfg(files[0]))  # warm-up: lazy imports
    head = f"{'file':58} {'shape':>10} {'ours s':>8} {'eqs':>4} {'compl':>5}"
    print(f"{head} {'gambit s':>9} {'eqs':>4} {'ratio':>7} missed")
    total_ours = total_theirs = 0.0
    for path in files:
        name = str(path.relative_to(args.root))
        game = read_nfg(path)
        shape = "x".join(map(str, game.shape))
        solve(game, timeout=args.timeout)  # untimed first call: lazy imports of this route
        start = time.perf_counter()
        res = solve(game, timeout=args.timeout)
        ours = time.perf_counter() - start
        mine = [[[float(v) for v in vec] for vec in e.vectors] for e in res.equilibria]
        theirs = gambit(path, args.timeout)
        if theirs is None:
            print(f"{name:58} {shape:>10} {ours:8.3f} {len(mine):4} {res.complete!s:>5} {'timeout':>9}")
            continue
        took, eqs = theirs
        missed = sum(1 for e in mine if not any(_close(e, t) for t in eqs))
        total_ours += ours
        total_theirs += took
        ratio = took / ours if ours > 0 else float("inf")
        print(
            f"{name:58} {shape:>10} {ours:8.3f} {len(mine):4} {res.complete!s:>5} {took:9.3f} {len(eqs):4} "
            f"{ratio:7.2f} {missed or ''}"
        )
    print(f"total: Redline {total_ours:.2f} s, pygambit {total_theirs:.2f} s (ratio {total_theirs / total_ours:.2f})")


if __name__ == "__main__":
    main()
