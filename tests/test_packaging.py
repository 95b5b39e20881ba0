"""The wheel ships the models as package data: `redline solve chicken` works outside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_models_and_solves_by_name(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("redline_solver-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {p.name for p in (ROOT / "models").glob("*.toml")}
    assert {Path(n).name for n in names if n.startswith("solver/models/")} == shipped
    assert not any(n.startswith(("models/", "seeds/", "tests/")) for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    run = subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); sys.argv = ['redline', 'solve', "
         "'chicken', '--format', 'json']; import solver; assert solver.__file__.startswith(sys.path[0]); "
         "from solver.cli import main; main()", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)["equilibria"]) == 3
