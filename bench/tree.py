"""Benchmark: game trees.  Not a test.

    .venv/bin/python bench/tree.py            # full run (10^6-node synthetic tree)
    .venv/bin/python bench/tree.py --quick    # 10^5 nodes
    .venv/bin/python bench/tree.py --cli-only --json   # part 4 alone, table and JSON output

1. Parse every Gambit ``.efg`` of ../shared/games/gambit with Redline and with pygambit
   (``pygambit.read_efg``); total seconds and the ratio pygambit/ours (> 1: Redline faster).
2. Backward induction on the corpus's perfect-information trees (Redline's exact ``all_spe``,
   every SPE with ties) against pygambit's pure agent-form equilibria
   (``enumpure_agent_solve``) on the same trees, run in a child process with a
   timeout; pygambit has had no subgame-perfect solver since 16.5, so this is the nearest anchor.
3. A synthetic perfect-information tree (complete binary, two players alternating, random float
   payoffs): the same backward-induction kernel as ``all_spe`` (``backward_induction``, here
   through ``spe_arrays``: one SPE per node, float arrays) on ~10^6 nodes; target < 2 s.
4. ``redline solve`` end to end (``--cli-only`` for this part alone) on generated random
   perfect-information .efg files of 10^4, 10^5 and 10^6 nodes (``--quick``: up to 10^5), and
   on Kuhn poker (sequence-form LP); target: 10^6 nodes under 10 s.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from solver.equilibria.trees.backward import all_spe, spe_arrays  # noqa: E402
from solver.formats.efg import read_efg  # noqa: E402

CORPUS = ROOT.parent / "shared" / "games" / "gambit"

_CHILD = r"""
import json, sys, time
import pygambit as gbt
out = {}
for path in sys.argv[1:]:
    try:
        g = gbt.read_efg(path)
    except ValueError:
        continue
    t = time.perf_counter()
    try:
        res = gbt.nash.enumpure_agent_solve(g)
    except Exception:
        continue
    out[path] = [time.perf_counter() - t, len(res.equilibria)]
print(json.dumps(out))
"""


def parse_corpus(files: list[Path], repeat: int = 3) -> None:
    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
    ok = []
    for f in files:
        try:
            if gbt is not None:
                gbt.read_efg(str(f))
            ok.append(f)
        except ValueError:
            pass
    print(
        f"pygambit parses {len(ok)} of {len(files)} .efg files (Redline: all {len(files)}); "
        "timing those "
        f"{len(ok)}, best of {repeat}"
    )
    ours = theirs = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for f in ok:
            read_efg(f)
        ours = min(ours, time.perf_counter() - t)
        if gbt is not None:
            t = time.perf_counter()
            for f in ok:
                gbt.read_efg(str(f))
            theirs = min(theirs, time.perf_counter() - t)
    print(
        f"parse: redline {ours * 1e3:.1f} ms, pygambit {theirs * 1e3:.1f} ms, "
        f"ratio pygambit/redline {theirs / ours:.2f}"
    )


def backward_corpus(files: list[Path]) -> None:
    trees = {str(f): read_efg(f) for f in files}
    perfect = {k: t for k, t in trees.items() if t.perfect_information and len(t.nodes) <= 2000}
    ours = {}
    for k, t in perfect.items():
        start = time.perf_counter()
        found, _ = all_spe(t)
        ours[k] = (time.perf_counter() - start, len(found))
    theirs: dict[str, list[float]] = {}
    for k in perfect:  # one child per game: some agent-form enumerations run for minutes
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, k], capture_output=True, text=True, timeout=10
            )
            if proc.returncode == 0:
                theirs.update(json.loads(proc.stdout))
        except subprocess.TimeoutExpired:
            pass
    print(
        f"\nbackward induction on {len(perfect)} perfect-information corpus trees "
        "(redline all SPE vs pygambit enumpure agent form)"
    )
    print(
        f"{'game':28} {'nodes':>6} {'ours ms':>9} {'#SPE':>5} "
        f"{'gambit ms':>10} {'#pure':>6} {'ratio':>7}"
    )
    tot_o = tot_t = 0.0
    for k, (sec, n) in ours.items():
        g = theirs.get(k)
        tot_o += sec
        if g:
            tot_t += g[0]
        ratio = f"{g[0] / sec:7.1f}" if g else "    n/a"
        gms = f"{g[0] * 1e3:10.2f}" if g else "       n/a"
        gn = f"{g[1]:6d}" if g else "   n/a"
        print(
            f"{Path(k).name:28} {len(perfect[k].nodes):6d} {sec * 1e3:9.2f} {n:5d} "
            f"{gms} {gn} {ratio}"
        )
    if tot_t:
        print(
            f"total: redline {tot_o * 1e3:.1f} ms, pygambit {tot_t * 1e3:.1f} ms, "
            f"ratio {tot_t / tot_o:.1f}"
        )


def synthetic(depth: int, seed: int = 0) -> None:
    """Complete binary tree with 2^(depth+1) - 1 nodes, in prefix order."""
    n = 2 ** (depth + 1) - 1
    size = [2 ** (depth - d + 1) - 1 for d in range(depth + 1)]
    # prefix-order arrays built level by level: node ids of depth d in left-to-right order
    ids = np.array([0])
    ptr_counts = np.zeros(n, dtype=np.int64)
    first_child = np.zeros(n, dtype=np.int64)
    player = np.full(n, -2, dtype=np.int64)
    for d in range(depth):
        left = ids + 1
        right = ids + 1 + size[d + 1]
        ptr_counts[ids] = 2
        player[ids] = d % 2
        first_child[ids] = 0
        ids = np.stack([left, right], axis=1).ravel()
    ptr = np.zeros(n + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(ptr_counts)
    children = np.full(int(ptr[-1]), -1, dtype=np.int64)
    inner = np.flatnonzero(ptr_counts)
    children[ptr[inner]] = inner + 1
    sub = np.zeros(n, dtype=np.int64)
    # subtree size of the left child, from the depth of each inner node
    depth_of = np.zeros(n, dtype=np.int64)
    ids = np.array([0])
    for d in range(depth + 1):
        depth_of[ids] = d
        if d < depth:
            ids = np.stack([ids + 1, ids + 1 + size[d + 1]], axis=1).ravel()
    sub[inner] = np.array(size)[depth_of[inner] + 1]
    children[ptr[inner] + 1] = inner + 1 + sub[inner]
    rng = np.random.default_rng(seed)
    payoffs = np.zeros((n, 2))
    leaves = player == -2
    payoffs[leaves] = rng.random((int(leaves.sum()), 2))
    probs = np.zeros(int(ptr[-1]))
    start = time.perf_counter()
    values, _choice, tie = spe_arrays(ptr, children, player, probs, payoffs)
    sec = time.perf_counter() - start
    print(
        f"\nsynthetic perfect-information tree: {n:,} nodes, depth {depth}: SPE by vectorised "
        f"backward induction in {sec:.3f} s (target < 2 s; ties: {tie}); "
        f"root value {values[0].round(4).tolist()}"
    )


def random_pi_efg(leaves: int, seed: int = 0) -> str:
    """A random binary perfect-information .efg: ``leaves`` leaves (``2 * leaves - 1`` nodes),
    two players alternating by depth, distinct payoffs (one SPE); iterative, prefix order."""
    import random

    rng = random.Random(seed)
    pool = list(range(1, 2 * leaves + 1))
    rng.shuffle(pool)
    out = ['EFG 2 R "random" { "A" "B" }', '""', ""]
    stack = [(leaves, 0)]
    sets = outs = 0
    while stack:
        n, depth = stack.pop()
        if n == 1:
            outs += 1
            out.append(f't "" {outs} "" {{ {pool[2 * outs - 2]}, {pool[2 * outs - 1]} }}')
            continue
        sets += 1
        k = rng.randint(1, n - 1)
        out.append(f'p "" {depth % 2 + 1} {sets} "" {{ "L" "R" }} 0')
        stack.extend([(n - k, depth + 1), (k, depth + 1)])
    return "\n".join(out) + "\n"


def cli_solve(sizes: list[int], *, kuhn: bool = True, formats: tuple[str, ...] = ("table",)) -> None:
    """``redline solve`` end to end (a child process: start-up, parsing, solving, printing) on
    generated perfect-information trees of about ``sizes`` nodes, and on Kuhn poker (the
    sequence-form LP), in each output format of ``formats``; target: 10^6 nodes under 10 s."""
    import tempfile

    print("\n`redline solve` end to end (seconds, one run each)")
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for size in sizes:
            made = Path(tmp) / f"pi_{size}.efg"
            made.write_text(random_pi_efg((size + 1) // 2))
            jobs.append((f"perfect information, {size:,} nodes", str(made)))
        if kuhn:
            jobs.append(("Kuhn poker (sequence-form LP)", str(ROOT / "tests" / "data" / "efg" / "kuhn_poker.efg")))
        for (label, path), fmt in itertools.product(jobs, formats):
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "solver.cli", "solve", path, "--format", fmt],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            sec = time.perf_counter() - start
            if proc.returncode:
                head = proc.stderr.strip()[:100]
            elif fmt == "json":
                doc = json.loads(proc.stdout)
                head = f"{len(doc['equilibria'])} equilibrium (JSON, {len(proc.stdout) / 1e6:.1f} MB)"
            else:
                head = proc.stdout.splitlines()[1] if proc.stdout else ""
            shown = label if len(formats) == 1 else f"{label} [{fmt}]"
            print(f"{shown:48} {sec:7.2f} s   {head}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cli-only", action="store_true", help="only time `redline solve` on generated trees")
    ap.add_argument("--json", action="store_true", help="time `redline solve --format json` as well")
    args = ap.parse_args()
    sizes = [10_001, 100_001] if args.quick else [10_001, 100_001, 1_000_001]
    formats = ("table", "json") if args.json else ("table",)
    if args.cli_only:
        cli_solve(sizes, formats=formats)
        return
    files = sorted(CORPUS.rglob("*.efg"))
    if files:
        parse_corpus(files)
        backward_corpus(files)
    else:
        print(f"no corpus at {CORPUS}")
    synthetic(16 if args.quick else 19)
    cli_solve(sizes, formats=formats)


if __name__ == "__main__":
    main()
