"""``redline sweep`` through typer's CliRunner: contracts, files, and every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run


def test_json_contract_and_boundary():
    r = run("sweep", "chicken", "--vary", "T=0:10:11", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["points"] == 11
    assert abs(sum(g["share"] for g in doc["regimes"]) - 1) < 1e-12
    for g in doc["regimes"]:
        assert set(g) >= {"signature", "share", "ranges"}
    (b,) = doc["boundaries"]
    assert (
        b["parameter"] == "T" and abs(b["value"] - 3) <= 1e-9
    )  # R = 3: (Swerve, Swerve) stops at T = R
    assert {"before", "after", "at"} <= set(b)


def test_no_refine_keeps_the_regimes_and_drops_the_bisection():
    r = run("sweep", "chicken", "--vary", "T=0:10:11", "--format", "json", "--no-refine")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["boundaries"] == [] and doc["points"] == 11 and len(doc["regimes"]) == 3


def test_two_parameters_with_fixed_and_list_values():
    r = run(
        "sweep",
        "syria_deconfliction",
        "--vary",
        "iran_cost=1,5,9,13",
        "--vary",
        "conflict_cost_israel=0:20:5",
        "--set",
        "assad_stake=8",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["points"] == 20 and doc["fixed"]["assad_stake"] == 8


def test_table_and_csv_outputs(tmp_path: Path):
    r = run("sweep", "stag_hunt", "--vary", "R=-10:10:21")
    assert r.exit_code == 0 and "equilibrium set" in r.stdout
    r = run("sweep", "stag_hunt", "--vary", "R=-10:10:21", "--format", "csv")
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "point,R,signature" and len(lines) == 22


def test_out_and_plot_files(tmp_path: Path):
    out, png = tmp_path / "s.csv", tmp_path / "phase.png"
    r = run(
        "sweep",
        "syria_triad",
        "--vary",
        "entrench_cost=0:10:11",
        "--vary",
        "base_value=0:10:6",
        "--out",
        str(out),
        "--plot",
        str(png),
        "-q",
    )
    assert r.exit_code == 0, r.stderr
    assert out.read_text().startswith("point,entrench_cost,base_value,signature")
    assert png.read_bytes()[:4] == b"\x89PNG"
    one = tmp_path / "one.svg"
    r = run("sweep", "chicken", "--vary", "T=0:10:21", "--plot", str(one))
    assert r.exit_code == 0 and one.read_text().lstrip().startswith("<?xml")


def test_samples_json():
    r = run("sweep", "syria_triad", "--samples", "300", "--seed", "2", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["points"] == 300 and doc["samples"] == 300


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--vary", "nope=0:1:3"], 1, "unknown parameter 'nope'"),
        (["--vary", "T=5:1:3"], 1, "reversed"),
        (["--vary", "T=5:5:3"], 1, "empty"),
        (["--vary", "T=0:50:3"], 1, "declared range"),
        (["--vary", "T"], 2, "--vary expects"),
        (["--vary", "T=a:b:c"], 2, "--vary expects"),
        (["--vary", "T=0:1:3", "--set", "T=2"], 1, "both varied and fixed"),
        (["--vary", "T=0:1:3", "--plot", "x.gif"], 1, ".png"),
        (["--vary", "T=0:1:3", "--out", "x.xlsx"], 1, "unsupported output format"),
        (["--vary", "T=0:1:3", "--resume"], 2, "--resume needs --out"),
        ([], 1, "nothing to sweep"),
    ],
    ids=[
        "unknown",
        "reversed",
        "empty",
        "outside-range",
        "malformed",
        "not-numbers",
        "varied-and-fixed",
        "plot-format",
        "out-format",
        "resume-without-out",
        "nothing",
    ],
)
def test_bad_input(
    args: list[str], code: int, needle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    r = run("sweep", "chicken", *args)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], lines
    assert list(tmp_path.iterdir()) == []  # no partial output file


def test_force_allows_outside_range_with_warning():
    r = run("sweep", "chicken", "--vary", "T=0:50:6", "--force", "--format", "json")
    assert r.exit_code == 0
    assert "warning" in r.stderr and json.loads(r.stdout)["warnings"]


def test_workers_equal_single_process():
    a = run(
        "sweep",
        "syria_deconfliction",
        "--vary",
        "iran_cost=0:20:30",
        "--vary",
        "assad_stake=0:20:30",
        "--format",
        "json",
        "--chunk",
        "100",
    )
    b = run(
        "sweep",
        "syria_deconfliction",
        "--vary",
        "iran_cost=0:20:30",
        "--vary",
        "assad_stake=0:20:30",
        "--format",
        "json",
        "--chunk",
        "100",
        "--workers",
        "2",
    )
    assert json.loads(a.stdout)["regimes"] == json.loads(b.stdout)["regimes"]


@pytest.mark.parametrize("suffix", [".csv", ".npz", ".json"])
def test_out_files_get_the_usual_permissions(tmp_path, suffix):
    import os

    out = tmp_path / f"s{suffix}"
    r = run("sweep", "chicken", "--vary", "T=0:10:3", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_npz_carries_probabilities_and_payoffs(tmp_path):
    """Chicken (R=3, S=1, P=0) at T=5: two pure equilibria and the mixed one where each swerves
    with probability (S - P) / (S - P + T - R) = 1/3 (hand derivation), so each gets 5/3."""
    import numpy as np

    out = tmp_path / "s.npz"
    r = run("sweep", "chicken", "--vary", "T=5,5", "--set", "R=3", "--set", "S=1", "--set", "P=0", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    z = np.load(out)
    columns = ["P(Row=Swerve)", "P(Row=Straight)", "P(Column=Swerve)", "P(Column=Straight)"]
    assert list(z["probability_columns"]) == columns
    at0 = z["equilibrium_point"] == 0
    mixed = at0 & (z["equilibrium_description"] == "mixed (full support)")
    assert mixed.sum() == 1 and at0.sum() == 3
    np.testing.assert_allclose(z["equilibrium_probabilities"][mixed][0], [1 / 3, 2 / 3, 1 / 3, 2 / 3])
    np.testing.assert_allclose(z["equilibrium_payoffs"][mixed][0], [5 / 3, 5 / 3])
