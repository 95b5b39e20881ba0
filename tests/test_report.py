"""``redline report``: the self-contained briefing page on every shipped model, checked against
the CLI's own JSON (equilibria: ``solve``; thresholds: ``thresholds``), offline (no external
reference), as PDF through Chromium, in a real browser, and refusing bad input in one line."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from browser import screenshot_path
from clirun import cli_outcome, run, run_json
from hostile import assert_one_line_error, listing, run_cli
from library import GAME_MODELS

from solver.formats import models_dir

MODELS = GAME_MODELS
#: small grids and budgets keep the whole file fast; what a budget cut is stated in the page
FAST = ("--points", "7", "--timeout", "1")
#: where a test reads the thresholds or the README screenshot: a budget that completes
FULL = ("--points", "101", "--timeout", "60")


class Page(HTMLParser):
    """What a test reads back from a page: the data-* attributes, every src/href, the text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.attrs: list[dict[str, str]] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.attrs.append(a)
        self.links += [v for k, v in a.items() if k in ("src", "href", "xlink:href", "action", "data")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, key: str) -> list[dict[str, str]]:
        return [a for a in self.attrs if key in a]


_CACHE: dict[tuple[str, bool], tuple[str, str]] = {}


def report(model: str, folder: Path, *, full: bool = False) -> tuple[str, str]:
    """(the page, stderr) of ``redline report MODEL`` with the fast (or full) settings, made once."""
    if (model, full) not in _CACHE:
        out = folder / f"{model}{'-full' if full else ''}.html"
        r = run("report", model, "--out", str(out), *(FULL if full else FAST))
        assert r.exit_code == 0, r.stderr
        _CACHE[model, full] = (out.read_text(encoding="utf-8"), r.stderr)
    return _CACHE[model, full]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.mark.parametrize("model", [pytest.param(m, id=m) for m in MODELS])
def test_every_model_gets_a_self_contained_page(model: str, folder: Path) -> None:
    text, stderr = report(model, folder)
    page = Page(text)
    # in-page anchors and inline images (the phase diagram's raster) only: nothing to fetch
    external = [u for u in page.links if not u.startswith(("#", "data:image/png;base64,"))]
    assert not external, external
    assert "@import" not in text and "<script" not in text and "url(http" not in text
    body = page.having("data-complete")[0]
    # honesty: an incomplete page says so, in the page and in one stderr line
    if body["data-complete"] == "false":
        assert 'id="not-computed"' in text
        assert stderr.count("redline: incomplete:") == 1
    else:
        assert "incomplete" not in stderr
    # the equilibria shown are those `redline solve` shows, in its order, where the budget let the
    # page solve them (a cut solve is named on the page: tests/test_signalling_explain.py checks
    # the heavy trees' pages on equilibria solved in full)
    solved = run_json("solve", model)
    shown = [a["data-equilibrium"] for a in page.having("data-equilibrium") if a["data-credible"] == "true"]
    if "<li>equilibria: " in text:
        assert body["data-complete"] == "false"
    else:
        assert shown == [e["description"] for e in solved["equilibria"]]
    # the footer reproduces it: the model file's hash and every value used
    import hashlib

    digest = hashlib.sha256((models_dir() / f"{model}.toml").read_bytes()).hexdigest()
    assert f'id="model-sha256">{digest}<' in text
    values = "".join(page.text)
    for name in solved["parameters"]:
        assert f"{name} = " in values


@pytest.mark.parametrize(
    "model",
    [
        pytest.param("syria_deconfliction", id="strategic"),
        pytest.param("entry_deterrence", id="tree"),
        pytest.param("chicken", id="chicken"),
    ],
)
def test_thresholds_agree_with_the_cli(model: str, folder: Path) -> None:
    text, _ = report(model, folder, full=True)
    assert 'data-complete="true"' in text
    page = Page(text)
    shown: dict[str, list[str]] = {}
    for a in page.having("data-threshold"):
        shown.setdefault(a["data-threshold"], []).append(a["data-exact"])
    assert shown, "no thresholds on the page"
    for name, exacts in shown.items():
        doc = run_json("thresholds", model, "--vary", name)
        assert exacts == [t["exact"] for t in doc["thresholds"]], name
        # each threshold is marked on its strip, labelled by its exact value
        for e in exacts:
            assert f"{name} = {e}" in text


def test_iran_cost_red_lines_are_labelled_on_the_map(folder: Path) -> None:
    text, _ = report("syria_deconfliction", folder, full=True)
    strip = text[text.index('data-sweep="iran_cost"') :]
    strip = strip[: strip.index("</figure>")]
    assert "iran_cost = 2" in strip and "iran_cost = 14" in strip
    assert 'data-phase="' in text  # the phase diagram of the two most sensitive assumptions


def test_tree_page_draws_the_equilibrium_path(folder: Path) -> None:
    text, _ = report("entry_deterrence", folder, full=True)
    path = re.findall(r'data-action="([^"]+)" data-state="path"', text)
    assert path == ["In", "Accommodate"]
    assert "Credibility of threats" in text and "not credible" in text


def test_model_strings_are_escaped(tmp_path: Path) -> None:
    src = (models_dir() / "chicken.toml").read_text()
    hostile = src.replace('title = "', 'title = "<script>alert(1)</script> ', 1).replace("Swerve", "Sw$er_ve<i>")
    assert hostile != src
    model = tmp_path / "hostile.toml"
    model.write_text(hostile)
    out = tmp_path / "b.html"
    r = run("report", str(model), "--out", str(out), *FAST)
    assert r.exit_code == 0, r.stderr
    text = out.read_text()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    # a label is text everywhere, in the tables and in the figures (never markup, never TeX)
    assert "Sw$er_ve<i>" not in text and text.count("Sw$er_ve&lt;i&gt;") >= 3


@pytest.mark.parametrize(
    ("args", "needle", "code"),
    [
        pytest.param(("no_such_model", "--out", "b.html"), "no_such_model", 1, id="unknown-model"),
        pytest.param(("chicken", "--set", "nope=1", "--out", "b.html"), "nope", 1, id="unknown-parameter"),
        pytest.param(("chicken", "--set", "T=abc", "--out", "b.html"), "T", 1, id="bad-value"),
        pytest.param(("chicken", "--set", "T", "--out", "b.html"), "name=value", 2, id="bad-set"),
        pytest.param(("chicken", "--out", "b.docx"), "unsupported output format", 1, id="bad-suffix"),
        pytest.param(("chicken", "--out", "missing/b.html"), "folder does not exist", 1, id="no-folder"),
        pytest.param(("chicken", "--out", "ro/b.html"), "not writable", 1, id="read-only-folder"),
        pytest.param(("chicken",), "--out", 2, id="no-out"),
    ],
)
def test_bad_input_gets_one_line(tmp_path: Path, args: tuple[str, ...], needle: str, code: int) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if shutil.os.access(ro, shutil.os.W_OK) and needle == "not writable":  # type: ignore[attr-defined]
            pytest.skip("running as a user that can write a read-only folder")
        before = listing(tmp_path)
        o = cli_outcome(tmp_path, "report", *args)
        assert_one_line_error(o, needle, code=code)
        assert listing(tmp_path) == before  # nothing half-written
    finally:
        ro.chmod(0o755)


def test_pdf_without_chromium_names_the_package(tmp_path: Path) -> None:
    """The real console script (a child process), as a user without the browser runs it."""
    o = run_cli("report", "chicken", "--out", "b.pdf", cwd=tmp_path, env={"REDLINE_CHROMIUM": str(tmp_path / "none")})
    assert_one_line_error(o, "chromium", "apt-get install chromium")
    assert listing(tmp_path) == set()


def test_pdf_is_printed_by_chromium(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    r = run("report", "entry_deterrence", "--out", str(out), *FAST)
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_report_in_browser_screenshot(page: Any, folder: Path, tmp_path: Path) -> None:
    """The page as a reader's browser shows it: no failed request, no console error, the
    thresholds and equilibria the CLI gives; the screenshot is the README's."""
    text, _ = report("syria_deconfliction", folder, full=True)
    path = tmp_path / "brief.html"
    path.write_text(text, encoding="utf-8")
    p = page.page
    p.goto(path.as_uri())
    p.wait_for_load_state("load")
    exacts = p.eval_on_selector_all("tr[data-threshold='iran_cost']", "rows => rows.map(r => r.dataset.exact)")
    doc = run_json("thresholds", "syria_deconfliction", "--vary", "iran_cost")
    assert exacts == [t["exact"] for t in doc["thresholds"]] == ["2", "14"]
    shown = p.eval_on_selector_all("[data-credible='true']", "cards => cards.map(c => c.dataset.equilibrium)")
    assert shown == [e["description"] for e in run_json("solve", "syria_deconfliction")["equilibria"]]
    assert p.is_visible("text=iran_cost = 14")
    page.assert_clean()
    p.screenshot(path=str(screenshot_path(tmp_path, "report.png")))
    p.locator("#red-line-map figure.strip").first.screenshot(path=str(screenshot_path(tmp_path, "report_strip.png")))
    p.locator("#red-line-map figure.phase").screenshot(path=str(screenshot_path(tmp_path, "report_phase.png")))


@pytest.mark.parametrize(
    "path",
    [pytest.param("bos_outcomes.nfg", id="nfg"), pytest.param("efg/kuhn_poker.efg", id="efg")],
)
def test_gambit_files_without_parameters(path: str, tmp_path: Path) -> None:
    model = str(Path(__file__).parent / "data" / path)
    out = tmp_path / "b.html"
    # a budget that completes even on a loaded machine: Kuhn poker's tree takes ~1 s to solve
    r = run("report", model, "--out", str(out), "--points", "7", "--timeout", "30")
    assert r.exit_code == 0, r.stderr
    page = Page(out.read_text(encoding="utf-8"))
    shown = sorted(a["data-equilibrium"] for a in page.having("data-equilibrium") if a["data-credible"] == "true")
    assert shown == sorted(e["description"] for e in run_json("solve", model)["equilibria"])
