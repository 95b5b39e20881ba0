"""Benchmark: closed-form regions and thresholds per shipped model (targets: < 0.5 s per 2x2,
< 2 s per 2x2x2).  Run: ``.venv/bin/python bench/symbolic.py``."""

from __future__ import annotations

import time

from solver.analysis.regions import regions
from solver.analysis.thresholds import thresholds
from solver.formats import load

CASES = [
    ("syria_deconfliction", ["iran_cost"]),
    ("syria_deconfliction", None),
    ("syria_triad", ["entrench_cost"]),
    ("syria_triad", None),
    ("chicken", None),
    ("stag_hunt", None),
    ("prisoners_dilemma", None),
    ("battle_of_the_sexes", None),
    ("matching_pennies", None),
]


def main() -> None:
    regions(load("chicken"), ["T"])  # warm the imports
    print(f"{'model':22} {'shape':9} {'free':34} {'regions s':>9} {'thresholds s':>12}")
    for name, free in CASES:
        m = load(name)
        t0 = time.perf_counter()
        r = regions(m, free)
        t1 = time.perf_counter()
        thresholds(m, r.free[0])
        t2 = time.perf_counter()
        shape = "x".join(map(str, m.shape))
        print(f"{name:22} {shape:9} {','.join(r.free)[:34]:34} {t1 - t0:9.3f} {t2 - t1:12.3f}")


if __name__ == "__main__":
    main()
