"""Hostile input and faults for ``redline sweep`` (issue 10): refusals before any work, resume
that never mixes two sweeps, damaged or locked parts, a full disk, kill -9 and Ctrl-C.

Every refusal is one ``redline:`` line on stderr with the documented exit code, no traceback and
nothing left on disk; the "huge" cases are refused before anything is allocated, so they are fast
under the harness's memory limit.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hostile import assert_one_line_error, listing, run_cli
from typer.testing import CliRunner

from solver.cli import app
from solver.core.errors import RedlineError
from solver.formats import load
from solver.formats.sweep_store import PartStore
from solver.sweep import sweep
from solver.sweep.engine import UNDEFINED

POLE = """
[model]
name = "pole"
title = "A payoff with a pole at T = 5"
kind = "normal"
source = "test"
description = "1/(T-5) is not defined at T = 5."

[parameters]
T = { value = 1, range = [0, 10], doc = "the parameter" }

[players]
Row = ["A", "B"]
Column = ["A", "B"]

[payoffs]
"A, A" = ["1/(T-5)", "1"]
"A, B" = ["0", "0"]
"B, A" = ["0", "0"]
"B, B" = ["1", "1/(T-5)"]
"""

#: a grid of a few hundred small chunks: long enough to interrupt, quick to finish
GRID = ("--vary", "T=-10:10:60", "--vary", "R=-10:10:25", "--chunk", "10", "-q")


def _grid_arrays() -> dict[str, np.ndarray]:
    return {"T": np.linspace(-10, 10, 60), "R": np.linspace(-10, 10, 25)}


def _nothing(tmp: Path) -> None:
    return None


def _folder_named_out(tmp: Path) -> None:
    (tmp / "out.csv").mkdir()


def _folder_named_plot(tmp: Path) -> None:
    (tmp / "p.png").mkdir()


def _read_only_folder(tmp: Path) -> None:
    (tmp / "ro").mkdir()
    (tmp / "ro").chmod(0o555)


REFUSALS = [
    pytest.param(
        ["--samples", "10", "--vary", "T=0:1:3"],
        _nothing,
        2,
        ["--samples", "--vary"],
        id="samples-with-vary",
    ),
    pytest.param(["--samples", "10", "--seed", "-1"], _nothing, 2, ["--seed"], id="negative-seed"),
    pytest.param(["--vary", "T=0:10:1e10"], _nothing, 1, ["T", "limit"], id="huge-axis-float-num"),
    pytest.param(["--vary", "T=0:10:10000000000"], _nothing, 1, ["T", "limit"], id="huge-axis-int-num"),
    pytest.param(
        ["--vary", "T=-10:10:100000", "--vary", "R=-10:10:100000", "--vary", "S=-10:10:100000"],
        _nothing,
        1,
        ["limit"],
        id="huge-product-of-axes",
    ),
    pytest.param(
        ["--vary", "T=-10:10:10000", "--vary", "R=-10:10:10000", "--out", "big.npz"],
        _nothing,
        1,
        ["big.npz", ".npz", "limit"],
        id="npz-too-large-refused-up-front",
    ),
    pytest.param(
        ["--vary", "T=-10:10:10000", "--vary", "R=-10:10:10000", "-f", "csv"],
        _nothing,
        1,
        ["limit", "--out"],
        id="csv-stdout-too-large",
    ),
    pytest.param(
        ["--vary", "T=-10:10:10000", "--vary", "R=-10:10:10000", "--plot", "p.png"],
        _nothing,
        1,
        ["limit"],
        id="plot-too-large",
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--out", "out.csv"],
        _folder_named_out,
        1,
        ["out.csv", "folder"],
        id="out-is-a-folder",
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--plot", "p.png"],
        _folder_named_plot,
        1,
        ["p.png", "folder"],
        id="plot-is-a-folder",
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--chunk", "100000000000"],
        _nothing,
        2,
        ["--chunk", "limit"],
        id="chunk-too-large",
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--out", "nowhere/x.csv"],
        _nothing,
        1,
        ["does not exist"],
        id="out-folder-missing",
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--out", "ro/x.csv"],
        _read_only_folder,
        1,
        ["ro/x.csv", "writable"],
        id="read-only-folder",
        marks=pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere"),
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--scheduler", "foo://bar"],
        _nothing,
        2,
        ["--scheduler", "foo://bar"],
        id="scheduler-malformed",
    ),
    pytest.param(
        ["--vary", "T=0:10:3", "--scheduler", "tcp://127.0.0.1:1"],
        _nothing,
        1,
        ["tcp://127.0.0.1:1", "cannot reach"],
        id="scheduler-unreachable",
    ),
]


@pytest.mark.parametrize(("args", "prepare", "code", "needles"), REFUSALS)
def test_refused_before_any_work(
    tmp_path: Path, args: list[str], prepare: Callable[[Path], None], code: int, needles: list[str]
) -> None:
    if "--scheduler" in args and "tcp://127.0.0.1:1" in args:
        pytest.importorskip("distributed")
    prepare(tmp_path)
    before = listing(tmp_path)
    o = run_cli("sweep", "chicken", *args, cwd=tmp_path, timeout=30)
    assert_one_line_error(o, *needles, code=code)
    assert listing(tmp_path) == before


def test_workers_capped_at_the_cpus_with_one_warning(tmp_path: Path) -> None:
    o = run_cli("sweep", "chicken", "--vary", "T=0:10:11", "--workers", "1000", "-q", cwd=tmp_path)
    assert o.code == 0, o.stderr
    assert len(o.lines) == 1 and "capped" in o.lines[0] and "Traceback" not in o.stderr


def test_pole_gives_undefined_signature_and_no_numpy_warning(tmp_path: Path) -> None:
    (tmp_path / "pole.toml").write_text(POLE)
    o = run_cli("sweep", "pole.toml", "--vary", "T=0:10:11", "-f", "json", cwd=tmp_path)
    assert o.code == 0, o.stderr
    assert "Warning" not in o.stderr and "Traceback" not in o.stderr
    assert len(o.lines) == 1 and "not finite" in o.lines[0]
    doc = json.loads(o.stdout)
    undefined = [g for g in doc["regimes"] if g["signature"] == UNDEFINED]
    assert [g["points"] for g in undefined] == [1] and undefined[0]["ranges"]["T"] == [5.0, 5.0]
    assert sum(g["points"] for g in doc["regimes"]) == 11


def test_npz_output_keeps_every_point(tmp_path: Path) -> None:
    out = tmp_path / "s.npz"
    sweep(load("chicken"), {"T": np.linspace(-10, 10, 30), "R": np.linspace(-10, 10, 7)}, chunk=50, out=out)
    with np.load(out) as z:
        assert z["signature_code"].shape == (210,) and z["T"].shape == (210,)
        assert set(np.unique(z["equilibrium_point"]).tolist()) == set(range(210))


# --- resume -------------------------------------------------------------------------------


class Stop(Exception):
    pass


def _interrupted(out: Path, after: int = 2, **kwargs: object) -> Path:
    """Start the GRID sweep into ``out`` through the library and stop it after ``after`` chunks."""

    def stop(done: int, total: int) -> None:
        if done == after:
            raise Stop

    with pytest.raises(Stop):
        sweep(load("chicken"), _grid_arrays(), chunk=10, out=out, progress=stop, **kwargs)  # type: ignore[arg-type]
    parts = out.with_name(out.name + ".parts")
    assert len(list(parts.glob("chunk-*.npz"))) == after and not out.exists()
    return parts


@pytest.fixture(scope="module")
def fresh_csv(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("fresh") / "fresh.csv"
    sweep(load("chicken"), _grid_arrays(), chunk=10, out=out)
    return out.read_text()


def _changed_axis() -> dict[str, np.ndarray]:
    g = _grid_arrays()
    g["R"] = np.linspace(-10, 9, 25)
    return g


CHANGED = [
    pytest.param({"vary": _changed_axis()}, id="axis-end"),
    pytest.param({"vary": {**_grid_arrays(), "R": np.linspace(-10, 10, 26)}}, id="axis-size"),
    pytest.param({"chunk": 12}, id="chunk"),
    pytest.param({"fixed": {"S": 2}}, id="fixed-value"),
    pytest.param({"force": True}, id="force"),
]


@pytest.mark.parametrize("changes", CHANGED)
def test_resume_with_different_inputs_is_refused(tmp_path: Path, changes: dict[str, object]) -> None:
    out = tmp_path / "x.csv"
    parts = _interrupted(out)
    before = listing(tmp_path)
    kwargs: dict[str, object] = {"vary": _grid_arrays(), "chunk": 10, **changes}
    with pytest.raises(RedlineError, match="different sweep"):
        sweep(load("chicken"), out=out, resume=True, **kwargs)  # type: ignore[arg-type]
    assert listing(tmp_path) == before and parts.is_dir()


def test_resume_refuses_a_changed_middle_axis_value(tmp_path: Path) -> None:
    """Same size, same ends (the old fingerprint's summary of large axes): still refused."""
    m, out = load("chicken"), tmp_path / "x.csv"
    big = {"T": np.linspace(-10, 10, 1000), "R": np.linspace(-10, 10, 1000)}

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        sweep(m, big, chunk=100, out=out, progress=stop)
    changed = dict(big)
    changed["T"] = big["T"].copy()
    changed["T"][500] += 1e-9
    with pytest.raises(RedlineError, match="different sweep"):
        sweep(m, changed, chunk=100, out=out, resume=True)


MODEL_V1 = POLE.replace("1/(T-5)", "T")
SAMPLED = [
    pytest.param(MODEL_V1.replace("range = [0, 10]", "range = [0, 9]"), 0, id="model-range"),
    pytest.param(MODEL_V1.replace('"1", "T"', '"2", "T"'), 0, id="model-payoff"),
    pytest.param(MODEL_V1, 1, id="seed"),
]


@pytest.mark.parametrize(("edited", "seed"), SAMPLED)
def test_resume_of_samples_refuses_edited_model_or_seed(tmp_path: Path, edited: str, seed: int) -> None:
    model_file, out = tmp_path / "m.toml", tmp_path / "s.csv"
    model_file.write_text(MODEL_V1)

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        sweep(load(str(model_file)), samples=400, chunk=100, out=out, progress=stop)
    model_file.write_text(edited)
    before = listing(tmp_path)
    with pytest.raises(RedlineError, match="different sweep"):
        sweep(load(str(model_file)), samples=400, chunk=100, seed=seed, out=out, resume=True)
    assert listing(tmp_path) == before


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[:40])


def _garbage(p: Path) -> None:
    p.write_bytes(b"not a zip file at all")


def _wrong_size(p: Path) -> None:
    with np.load(p) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["codes"], arrays["degenerate"] = arrays["codes"][:3], arrays["degenerate"][:3]
    np.savez(p, **arrays)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_truncate, id="truncated"),
        pytest.param(_garbage, id="garbage"),
        pytest.param(_wrong_size, id="wrong-size"),
    ],
)
def test_damaged_chunk_is_recomputed_on_resume(tmp_path: Path, fresh_csv: str, damage: Callable[[Path], None]) -> None:
    out = tmp_path / "x.csv"
    parts = _interrupted(out, after=3)
    damage(sorted(parts.glob("chunk-*.npz"))[1])
    r = sweep(load("chicken"), _grid_arrays(), chunk=10, out=out, resume=True)
    assert any("damaged" in w and "chunk 1" in w for w in r.warnings), r.warnings
    assert out.read_text() == fresh_csv and not parts.exists()


def test_second_sweep_on_the_same_out_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    holder = PartStore(out, "someone-else", resume=False)
    try:
        before = listing(tmp_path)
        o = run_cli("sweep", "chicken", "--vary", "T=0:10:11", "--out", "x.csv", cwd=tmp_path)
        assert_one_line_error(o, "another sweep is writing", "x.csv")
        assert listing(tmp_path) == before
    finally:
        holder.cleanup()


# --- faults -------------------------------------------------------------------------------


def _no_space(*args: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize(
    ("target", "left"),
    [
        # the first chunk cannot be saved: the fresh parts folder goes too
        pytest.param("fsync", set(), id="disk-full-on-a-part"),
        # the final file cannot be written: the finished parts stay for --resume
        pytest.param("replace-final", {"x.csv.parts"}, id="disk-full-on-the-output"),
    ],
)
def test_disk_full_is_one_line_and_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, left: set[str]
) -> None:
    import solver.formats.atomic as atomic

    if target == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", _no_space)
    else:
        real = os.replace

        def replace(src: str, dst: str | Path) -> None:
            if Path(dst).name == "x.csv":
                _no_space()
            real(src, dst)

        monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["sweep", "chicken", "--vary", "T=0:10:11", "--out", "x.csv"])
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "x.csv" in lines[0] and "No space left" in lines[0], lines
    assert {p for p in listing(tmp_path) if "/" not in p} == left
    assert not any(p.endswith(".tmp") for p in listing(tmp_path))


def _start(tmp: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "solver.cli", "sweep", "chicken", *GRID, "--out", "x.csv", *args],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for_parts(tmp: Path, proc: subprocess.Popen[str], n: int) -> None:
    parts = tmp / "x.csv.parts"
    deadline = time.monotonic() + 60
    while len(list(parts.glob("chunk-*.npz"))) < n:
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline, "no parts appeared"
        time.sleep(0.02)


@pytest.mark.parametrize(
    "after", [pytest.param(2, id="kill-9-after-2-chunks"), pytest.param(25, id="kill-9-after-25-chunks")]
)
def test_kill_9_then_resume(tmp_path: Path, fresh_csv: str, after: int) -> None:
    """Killed at a chunk count: a resume with other inputs is refused (one line), one with equal
    inputs reuses the parts and writes exactly what a clean run writes."""
    proc = _start(tmp_path)
    _wait_for_parts(tmp_path, proc, after)
    proc.kill()
    proc.communicate(timeout=30)
    assert not (tmp_path / "x.csv").exists()
    changed = ["--vary", "T=-10:10:60", "--vary", "R=-10:10:25", "--chunk", "10", "--set", "P=1"]
    o = run_cli("sweep", "chicken", *changed, "--out", "x.csv", "--resume", "-q", cwd=tmp_path)
    assert_one_line_error(o, "different sweep")
    o = run_cli("sweep", "chicken", *GRID, "--out", "x.csv", "--resume", cwd=tmp_path)
    assert o.code == 0 and o.lines == [], o.stderr
    assert (tmp_path / "x.csv").read_text() == fresh_csv
    assert listing(tmp_path) == {"x.csv"}


def test_ctrl_c_with_two_workers(tmp_path: Path) -> None:
    proc = _start(tmp_path, "--workers", "2")
    _wait_for_parts(tmp_path, proc, 4)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and [x for x in err.splitlines() if x.strip()] == ["redline: interrupted"]
    with pytest.raises(ProcessLookupError):  # no worker outlived the command
        os.killpg(proc.pid, 0)
    assert not (tmp_path / "x.csv").exists()
    assert list((tmp_path / "x.csv.parts").glob("chunk-*.npz"))  # kept for --resume


@pytest.mark.parametrize(
    "denied",
    [
        pytest.param(lambda p: True, id="read-only-folder"),
        pytest.param(lambda p: p.endswith("x.csv"), id="read-only-file"),
    ],
)
def test_read_only_output_refused_before_work_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, denied: Callable[[str], bool]
) -> None:
    """What root cannot see with chmod: the permission check itself says no (os.access)."""
    (tmp_path / "x.csv").write_text("old")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if denied(str(p)) else real(p, mode))
    with pytest.raises(RedlineError, match=r"not writable|read-only"):
        sweep(load("chicken"), {"T": [0.0, 1.0]}, {"R": 3, "S": 1, "P": 0}, out=tmp_path / "x.csv")
    assert (tmp_path / "x.csv").read_text() == "old"
    assert listing(tmp_path) == {"x.csv"}
