"""Smaller CLI fixes: ``credibility`` flags and SPE columns, ``regions`` header and empty regions."""

from __future__ import annotations

import json
from pathlib import Path

import sympy as sp
from typer.testing import CliRunner

from solver.analysis.region_empty import never_holds
from solver.cli import app


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_credibility_fight_is_off_the_spe_path() -> None:
    code, out, _ = _run("credibility", "entry_deterrence", "--format", "json")
    assert code == 0
    (fight,) = [t for t in json.loads(out)["threats"] if t["action"] == "Fight"]
    # the SPE (In, Accommodate) neither prescribes Fight nor reaches it as a threat
    assert fight["credible"] is False
    assert fight["in_spe"] is False and fight["spe_prescribes"] is False
    assert fight["on_spe_path"] is False


def test_credibility_separates_spe_path_from_prescription() -> None:
    code, out, _ = _run("credibility", "syria_sequential", "--format", "json")
    assert code == 0
    threats = json.loads(out)["threats"]
    # Russia's acquiescence after Entrench, Tolerate: a threat of some non-SPE equilibrium, but
    # the unique SPE (Entrench, Tolerate, Acquiesce) plays it on its path
    (acq,) = [t for t in threats if t["where"] == "Iran Entrench, Israel Tolerate" and t["action"] == "Acquiesce"]
    assert acq["spe_prescribes"] and acq["on_spe_path"]
    # Russia's red line after a strike on an entrenching Iran: prescribed by the SPE, off its path
    (conf,) = [t for t in threats if t["where"] == "Iran Entrench, Israel Strike" and t["action"] == "Confront"]
    assert conf["spe_prescribes"] and not conf["on_spe_path"] and conf["in_spe"]
    code, text, _ = _run("credibility", "syria_sequential")
    assert "on path" in text and "off path" in text


def test_credibility_no_all_keeps_only_spe_threats() -> None:
    _, every, _ = _run("credibility", "syria_sequential", "--all", "--format", "json")
    _, spe, _ = _run("credibility", "syria_sequential", "--no-all", "--format", "json")
    all_threats, spe_threats = json.loads(every)["threats"], json.loads(spe)["threats"]
    assert spe_threats and all(t["in_spe"] for t in spe_threats)
    assert len(spe_threats) < len(all_threats)
    _, default, _ = _run("credibility", "syria_sequential", "--format", "json")
    assert json.loads(default)["threats"] == all_threats


def test_credibility_on_strategic_form_says_what_it_applies_to() -> None:
    code, out, err = _run("credibility", "chicken")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        'redline: credibility applies to game trees (kind = "sequential" models or .efg files); '
        "chicken is a strategic-form game"
    ]


def test_regions_header_without_fixed_parameters(tmp_path: Path) -> None:
    code, out, _ = _run("regions", "chicken")
    assert code == 0
    header = out.splitlines()[1]
    assert header == "free: T, R, S, P; no other parameters"
    code, out, _ = _run("regions", "chicken", "--free", "T")
    assert "others fixed at R = 3, S = 1, P = 0" in out.splitlines()[1]


def test_empty_regions_are_detected() -> None:
    v, d = sp.symbols("v d")
    box = {v: (0, 10), d: (0, 10)}
    assert never_holds(((v - 2 * d, True), (2 * d - v, True)), box)  # v > 2d and v < 2d
    assert not never_holds(((v - 2 * d, False), (2 * d - v, False)), box)  # the line v = 2d
    assert not never_holds(((v - 2 * d, True),), box)
    assert never_holds(((v - 2 * d - 30, False),), box)  # outside the ranges
    assert not never_holds(((v * d - 1, True), (1 - v * d, True)), box)  # nonlinear: undecided, kept
    assert never_holds((), box, sp.S.EmptySet)


def test_regions_lists_only_regions_that_can_hold() -> None:
    from solver.analysis.regions import regions
    from solver.core.expr import symbol
    from solver.formats import load

    r = regions(load("chicken"))
    box = {symbol(k): b for k, b in r.bounds.items()}
    assert r.equilibria
    assert not any(never_holds(e.raw, box, e.region) for e in r.equilibria)
