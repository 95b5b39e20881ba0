"""Benchmark: how fast ``redline explore`` answers a slider move (the issue's target: under 100 ms
per update for 2x2 and 2x2x2 models).

Not a test.  Run from the checkout::

    .venv/bin/python bench/explore.py                 # syria_deconfliction, chicken, syria_triad
    .venv/bin/python bench/explore.py --moves 500 entry_deterrence syria_sequential

One "update" is what the page sends when a slider moves: ``POST /api/state`` with every
parameter's value, one of them moved to a new slider position (a random walk of one slider at a
time, seeded; each point is new, so nothing is answered from the cache).  Each model is timed

* in-process, through Starlette's ``TestClient`` (routing, JSON parsing and checks, the solve,
  the JSON document; no sockets), and
* over real HTTP: the app served by uvicorn on 127.0.0.1 in a thread (the socket of
  :func:`solver.web.serve.bind`, with ``TCP_NODELAY``: without it every request after the first
  on a kept-alive connection waited 40 ms for a delayed ACK), one keep-alive ``httpx`` client,
  as the browser sends them;

after one untimed warm-up request (lazy imports, the payoff formulas compiled).  It prints the
median, the 95th percentile and the maximum in milliseconds, and how many updates took 100 ms or
more.  The slower endpoints (thresholds of the first parameter, the phase diagram of the first
two), which the page asks for separately, are timed once each, uncached.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from solver.formats import load  # noqa: E402
from solver.web.app import create_app  # noqa: E402
from solver.web.params import nice_step  # noqa: E402
from solver.web.serve import bind, serve_in_thread, url_of  # noqa: E402

#: the models the issue's target names: 2x2 (syria_deconfliction, chicken) and 2x2x2 (syria_triad)
DEFAULT_MODELS = ["syria_deconfliction", "chicken", "syria_triad"]
TARGET_MS = 100.0


def moves(model: Any, n: int, seed: int) -> list[dict[str, float]]:
    """``n`` slider states, each one slider moved from the last to a new position on its steps."""
    rng = random.Random(seed)
    values = {p.name: float(p.value) for p in model.parameters}
    seen = set()
    out = []
    while len(out) < n:
        p = rng.choice(model.parameters)
        step = nice_step(p.high - p.low)
        positions = int((p.high - p.low) / step)
        values[p.name] = float(p.low + step * rng.randint(0, positions))
        key = tuple(sorted(values.items()))
        if key not in seen:  # a new point: nothing answered from the cache
            seen.add(key)
            out.append(dict(values))
    return out


def timed(post: Callable[..., Any], path: str, bodies: list[dict[str, Any]]) -> list[float]:
    out = []
    for body in bodies:
        start = time.perf_counter()
        r = post(path, json=body)
        out.append((time.perf_counter() - start) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{path}: HTTP {r.status_code}: {r.text[:200]}")
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    slow = sum(1 for m in ms if m >= TARGET_MS)
    return f"median {statistics.median(ms):7.2f}  p95 {p95:7.2f}  max {ms[-1]:7.2f}  >=100ms {slow}/{len(ms)}"


def bench(name: str, n: int, seed: int) -> None:
    import httpx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note on httpx in its TestClient
        from starlette.testclient import TestClient

    model = load(name)
    states = [{"values": v} for v in moves(model, 2 * n + 2, seed)]
    # in-process: one app, the first half of the walk (the warm-up point is not timed)
    client = TestClient(create_app(model))
    timed(client.post, "/api/state", states[:1])
    local = timed(client.post, "/api/state", states[1 : n + 1])
    # over HTTP: a fresh app (an empty cache) on a real socket, the other half of the walk
    sock = bind(0)
    stop = serve_in_thread(create_app(load(name)), sock)
    try:
        with httpx.Client(base_url=url_of(sock), timeout=30) as http:
            timed(http.post, "/api/state", states[n + 1 : n + 2])
            remote = timed(http.post, "/api/state", states[n + 2 :])
            names = [p.name for p in model.parameters]
            thr = timed(http.post, "/api/thresholds", [{"parameter": names[0]}])[0]
            phase = timed(http.post, "/api/phase", [{"x": names[0], "y": names[1]}])[0] if len(names) > 1 else 0.0
    finally:
        stop()
    shape = "x".join(str(len(s)) for s in model.strategies)
    print(f"{name} ({shape}{', tree' if model.tree is not None else ''}), {n} slider moves each, ms per update:")
    print(f"  in-process (TestClient)  {summary(local)}")
    print(f"  HTTP (uvicorn, httpx)    {summary(remote)}")
    print(f"  once: thresholds of {names[0]} {thr:.0f} ms; phase diagram {names[0]} x {names[1]} {phase:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", default=DEFAULT_MODELS)
    ap.add_argument("--moves", type=int, default=300, help="slider moves timed per model and transport")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    for name in args.models:
        bench(name, args.moves, args.seed)


if __name__ == "__main__":
    main()
