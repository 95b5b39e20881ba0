"""``redline explore``: the live explorer agrees with the command line, refuses bad values with
HTTP 400 and one line, and in a real browser its table changes exactly at the red lines.

* The API in-process (Starlette's test client): the table at given values is ``redline solve
  --set ... --format json``'s (equilibria, outcome odds), the thresholds are ``redline thresholds
  --format json``'s, each phase-diagram cell is the regime of the point at its centre, and every
  shipped model's page and table answer.
* The command line in a child process: a port in use, a port out of range, an unknown model and
  a bad ``--set`` are one line and exit 1; a running explorer stops on Ctrl-C with exit 0.
* Headless Chromium: the ``iran_cost`` slider of ``syria_deconfliction`` moved across 2 and 14.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from browser import screenshot_path
from clirun import run_json
from hostile import assert_one_line_error, run_cli
from library import GAME_MODELS

from solver.formats import load
from solver.web.app import create_app
from solver.web.serve import bind, serve_in_thread, url_of

with warnings.catch_warnings():  # starlette's note that its TestClient will move off httpx
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
MODELS = GAME_MODELS


@cache
def client(name: str) -> TestClient:
    return TestClient(create_app(load(name)))


def sets(values: dict[str, str]) -> list[str]:
    return [a for k, v in values.items() for a in ("--set", f"{k}={v}")]


# -- (a) the API against the command line ---------------------------------------------------

@pytest.mark.parametrize(
    "name, values",
    [
        pytest.param("syria_deconfliction", {"iran_cost": "6.5"}, id="2x2-mixed"),
        pytest.param("syria_deconfliction", {"iran_cost": "2"}, id="2x2-at-red-line"),
        pytest.param("chicken", {"T": "5", "P": "-2"}, id="chicken"),
        pytest.param("syria_triad", {"iran_cost": "12"}, id="2x2x2"),
        pytest.param("entry_deterrence", {}, id="tree"),
        pytest.param("syria_sequential", {"iran_cost": "15"}, id="tree-3-players"),
    ],
)
def test_table_is_the_solve_json(name: str, values: dict[str, str]) -> None:
    cli = run_json("solve", name, *sets(values))
    r = client(name).post("/api/state", json={"values": values})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["solve"]["equilibria"] == cli["equilibria"]  # profiles, payoffs, outcome odds
    assert doc["solve"]["signature"] == cli["signature"]
    assert doc["solve"]["complete"] == cli["complete"]
    assert all(e["outcomes"] for e in doc["solve"]["equilibria"])


@pytest.mark.parametrize(
    "name, parameter, values",
    [
        pytest.param("syria_deconfliction", "iran_cost", {}, id="iran_cost"),
        pytest.param("syria_deconfliction", "iran_cost", {"strike_eff": "0.25"}, id="iran_cost-elsewhere"),
        pytest.param("chicken", "T", {"R": "2"}, id="chicken-T"),
        pytest.param("syria_triad", "iran_cost", {}, id="triad"),
    ],
)
def test_thresholds_are_the_thresholds_json(name: str, parameter: str, values: dict[str, str]) -> None:
    cli = run_json("thresholds", name, "--vary", parameter, *sets(values))
    r = client(name).post("/api/thresholds", json={"values": values, "parameter": parameter})
    assert r.status_code == 200, r.text
    assert r.json()["thresholds"] == cli["thresholds"]
    assert cli["thresholds"]  # each case has red lines to compare


def test_the_red_lines_of_iran_cost_are_2_and_14() -> None:
    doc = client("syria_deconfliction").post("/api/thresholds", json={"parameter": "iran_cost"}).json()
    assert [(t["exact"], t["before"], t["after"]) for t in doc["thresholds"]] == [
        ("2", "pure (Tolerate, Acquiesce)", "mixed (full support)"),
        ("14", "mixed (full support)", "pure (Strike, Confront)"),
    ]


def test_phase_cells_are_the_regimes_at_their_centres() -> None:
    c = client("syria_deconfliction")
    doc = c.post("/api/phase", json={"x": "iran_cost", "y": "strike_eff", "values": {"strike_cost": "2"}}).json()
    assert doc["grid"] == 60 and len(doc["cells"]) == 3600 and doc["complete"]
    assert doc["current"] == {"x": 6.0, "y": 0.5}
    assert set(doc["regimes"]) == {"pure (Tolerate, Acquiesce)", "mixed (full support)", "pure (Strike, Confront)"}
    for cell in doc["cells"][::397]:
        centre = {"iran_cost": repr((cell["x"] + cell["x2"]) / 2), "strike_eff": repr((cell["y"] + cell["y2"]) / 2)}
        state = c.post("/api/state", json={"values": {**centre, "strike_cost": "2"}}).json()
        assert doc["regimes"][cell["regime"]] == state["regime"], centre


def test_tree_is_drawn_with_its_path() -> None:
    r = client("entry_deterrence").post("/api/tree", json={"values": {}})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert 'data-state="path"' in r.text
    doc = client("entry_deterrence").post("/api/state", json={}).json()
    assert doc["paths"][0][-1] == "outcome: In, Accommodate (certain)"


@pytest.mark.parametrize("name", MODELS)
def test_every_shipped_model_answers(name: str) -> None:
    c = client(name)
    assert c.get("/").status_code == 200
    info = c.get("/api/model").json()
    assert [p["name"] for p in info["parameters"]] == [p.name for p in load(name).parameters]
    r = c.post("/api/state", json={"values": {}})
    assert r.status_code == 200, r.text
    assert r.json()["regime"] and r.json()["solve"]["equilibria"]


BAD = [
    pytest.param(b'{"values": {"nope": 1}}', "unknown parameter 'nope'", id="unknown-name"),
    pytest.param(b'{"values": {"iran_cost": "abc"}}', "not a number", id="string"),
    pytest.param(b'{"values": {"iran_cost": true}}', "not a number", id="boolean"),
    pytest.param(b'{"values": {"iran_cost": null}}', "not a number", id="null"),
    pytest.param(b'{"values": {"iran_cost": [1]}}', "not a number", id="list"),
    pytest.param(b'{"values": {"iran_cost": NaN}}', "NaN is not a number", id="NaN"),
    pytest.param(b'{"values": {"iran_cost": -Infinity}}', "Infinity is not a number", id="infinity"),
    pytest.param(b'{"values": {"iran_cost": 1e999}}', "not a finite number", id="overflow"),
    pytest.param(b'{"values": {"iran_cost": "inf"}}', "not a finite number", id="inf-string"),
    pytest.param(b'{"values": {"iran_cost": 21}}', "outside its declared range [0, 20]", id="out-of-range"),
    pytest.param(b'{"values": {"iran_cost": -0.5}}', "outside its declared range", id="below-range"),
    pytest.param(b'{"values": {"iran_cost": 6', "malformed JSON", id="malformed"),
    pytest.param(b"\xff\xfe", "malformed JSON", id="not-utf8"),
    pytest.param(b"[1, 2]", "expected a JSON object", id="not-an-object"),
    pytest.param(b'{"values": [6]}', "'values' must be an object", id="values-not-an-object"),
]


@pytest.mark.parametrize("path", ["/api/state", "/api/thresholds", "/api/phase"])
@pytest.mark.parametrize("body, message", BAD)
def test_bad_values_are_refused_with_400(path: str, body: bytes, message: str) -> None:
    c = client("syria_deconfliction")
    r = c.post(path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert message in error and "\n" not in error and "Traceback" not in error
    assert c.post("/api/state", json={}).status_code == 200  # still serving


@pytest.mark.parametrize(
    "path, body, message",
    [
        pytest.param("/api/thresholds", {"parameter": "nope"}, "'parameter' must name a parameter", id="thr-name"),
        pytest.param("/api/thresholds", {}, "'parameter' must name a parameter", id="thr-missing"),
        pytest.param("/api/phase", {"x": "iran_cost", "y": "iran_cost"}, "two different", id="phase-same"),
        pytest.param("/api/phase", {"x": "iran_cost", "y": 3}, "'y' must name a parameter", id="phase-y"),
        pytest.param("/api/tree", {}, "has no tree drawing", id="tree-of-a-table"),
    ],
)
def test_bad_requests_are_refused_with_400(path: str, body: dict[str, Any], message: str) -> None:
    r = client("syria_deconfliction").post(path, json=body)
    assert r.status_code == 400 and message in r.json()["error"], r.text


def test_set_values_are_where_the_sliders_start() -> None:
    c = TestClient(create_app(load("syria_deconfliction"), {"iran_cost": "15"}))
    sliders = {p["name"]: p for p in c.get("/api/model").json()["parameters"]}
    assert (sliders["iran_cost"]["value"], sliders["iran_cost"]["step"]) == (15.0, 0.1)
    assert c.post("/api/state", json={}).json()["regime"] == "pure (Strike, Confront)"


def test_served_on_loopback_names_only() -> None:
    c = client("chicken")
    assert c.get("/api/model", headers={"host": "evil.example"}).status_code == 400
    assert c.get("/api/model", headers={"host": "127.0.0.1:8765"}).status_code == 200


# -- (b) the command line ------------------------------------------------------------------

@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield s.getsockname()[1]


def test_a_port_in_use_is_one_line(busy_port: int, tmp_path: Path) -> None:
    o = run_cli("explore", "chicken", "--no-browser", "--port", str(busy_port), cwd=tmp_path)
    assert_one_line_error(o, f"port {busy_port} is in use")


@pytest.mark.parametrize(
    "args, needles",
    [
        pytest.param(["nope"], ["nope", "no shipped model"], id="unknown-model"),
        pytest.param(["chicken", "--set", "T=abc"], ["T", "not a number"], id="bad-set"),
        pytest.param(["chicken", "--set", "T=99"], ["outside its declared range"], id="set-out-of-range"),
        pytest.param(["chicken", "--port", "70000"], ["port 70000 is out of range"], id="port-out-of-range"),
    ],
)
def test_bad_input_is_one_line(args: list[str], needles: list[str], tmp_path: Path) -> None:
    assert_one_line_error(run_cli("explore", *args, "--no-browser", cwd=tmp_path), *needles)


def test_the_explorer_serves_then_stops_on_ctrl_c(tmp_path: Path) -> None:
    import httpx

    cmd = [sys.executable, "-m", "solver.cli", "explore", "syria_deconfliction", "--no-browser", "--port", "0"]
    p = subprocess.Popen(cmd, cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert p.stderr is not None
        line = p.stderr.readline()
        url = line.split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url + "api/model", timeout=10).json()["model"] == "syria_deconfliction"
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 0, err
    assert out == "" and "Traceback" not in err


# -- (c) in a real browser -------------------------------------------------------------------

MOVE = """([name, value]) => {
  const s = document.getElementById('slider-' + name);
  s.value = String(value);
  s.dispatchEvent(new Event('input', {bubbles: true}));
  s.dispatchEvent(new Event('change', {bubbles: true}));
}"""
SHOWN = "([name, text]) => JSON.parse(document.getElementById('equilibria').dataset.values || '{}')[name] === text"


def _table_at(page: Any, value: float) -> tuple[str, list[str]]:
    """The regime and the equilibrium column the page shows once iran_cost = ``value``."""
    page.evaluate(MOVE, ["iran_cost", value])
    page.wait_for_function(SHOWN, arg=["iran_cost", f"{value:g}"], timeout=10_000)
    regime = page.get_attribute("#equilibria", "data-regime")
    return regime, page.locator("#equilibria td.description").all_inner_texts()


def test_slider_across_red_lines_screenshot(page: Any, tmp_path: Path) -> None:
    cli = run_json("thresholds", "syria_deconfliction", "--vary", "iran_cost")["thresholds"]
    sock = bind(0)
    stop = serve_in_thread(create_app(load("syria_deconfliction")), sock)
    try:
        p = page.page
        url = url_of(sock)
        # nothing may come from the network: any other address fails, and assert_clean says so
        p.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())
        p.goto(url)
        p.wait_for_selector("#equilibria td.description")
        seen = {v: _table_at(p, v) for v in (1.8, 1.9, 2, 2.1, 2.2, 13.8, 13.9, 14, 14.1, 14.2)}
        below, between, above = seen[1.9][0], seen[2.1][0], seen[14.1][0]
        assert seen[1.8] == seen[1.9] and seen[2.1] == seen[2.2]  # the same table within a region
        assert seen[13.8] == seen[13.9] and seen[14.1] == seen[14.2]
        assert between == seen[13.9][0]
        assert [below, between, above] == [cli[0]["before"], cli[0]["after"], cli[1]["after"]]
        assert len({below, between, above}) == 3  # it changes across 2 and across 14
        assert seen[2][0] not in (below, between) and seen[14][0] not in (between, above)
        # the thresholds of the moved slider, as ticks with their exact values
        p.wait_for_selector("#ticks-iran_cost .tick")
        ticks = p.locator("#ticks-iran_cost .tick").all_inner_texts()
        assert ticks == [t["exact"] for t in cli] == ["2", "14"]
        _table_at(p, 6)
        p.wait_for_selector("#phase svg")
        p.wait_for_function("() => !document.getElementById('phase-status').textContent.includes('computing')")
        page.assert_clean()
        p.screenshot(path=str(screenshot_path(tmp_path, "explore.png")), full_page=True)
    finally:
        stop()


@pytest.mark.parametrize("name", ["syria_triad", "syria_sequential", "syria_deal_repeated"])
def test_page_of_other_shapes_is_clean(page: Any, name: str) -> None:
    """A 2x2x2 game, a game tree (drawn, its path highlighted) and the repeated-game model."""
    model = load(name)
    sock = bind(0)
    stop = serve_in_thread(create_app(model), sock)
    try:
        p = page.page
        p.goto(url_of(sock))
        p.wait_for_selector("#equilibria td.description")
        p.wait_for_selector("#phase svg")
        p.wait_for_selector("#ticks-iran_cost .tick")
        regime = client(name).post("/api/state", json={}).json()["regime"]
        assert p.get_attribute("#equilibria", "data-regime") == regime
        if model.tree is not None:
            p.wait_for_selector('#tree svg [data-state="path"]')
        page.assert_clean()
    finally:
        stop()
