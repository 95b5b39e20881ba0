"""The model library's index: every shipped model names its source (with a year) in its file and
in `redline models`, is in the README's library table, and has tests that load it by name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clirun import run

from solver.formats import models_dir

ROOT = Path(__file__).resolve().parents[1]
NAMES = sorted(p.stem for p in models_dir().glob("*.toml"))
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def test_the_library_has_at_least_25_models() -> None:
    assert len(NAMES) >= 25


def test_redline_models_lists_each_source() -> None:
    doc = json.loads(run("models", "--format", "json").stdout)
    sources = {m["name"]: m["source"] for m in doc["models"]}
    assert sorted(sources) == NAMES
    # a publication names its year; the Syria models cite the (undated) seed article and its claims
    cited = {n: bool(YEAR.search(s)) or s.startswith("Seed article") for n, s in sources.items()}
    assert all(cited.values()), [n for n, ok in cited.items() if not ok]


@pytest.mark.parametrize("name", NAMES)
def test_every_model_is_in_the_readme_table_and_tested(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Model library") :]
    assert f"`{name}`" in table.split("\n\n**Published results")[0]
    tests = [p for p in (ROOT / "tests").glob("test_*.py") if p.name != Path(__file__).name]
    assert any(f'"{name}"' in p.read_text(encoding="utf-8") for p in tests), name
