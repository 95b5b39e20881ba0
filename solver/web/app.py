"""The explorer's web app (Starlette): the page, its static files, and four JSON endpoints.

``GET /`` the page; ``GET /api/model`` the model and its sliders; ``POST /api/state`` the
equilibria at the values in the body; ``POST /api/thresholds`` the red lines of one parameter;
``POST /api/phase`` the phase diagram of two; ``POST /api/tree`` the tree drawn with its
subgame-perfect path (SVG, when :mod:`solver.render.tree_svg` is installed).  Bodies are JSON
(``{"values": {"iran_cost": 6.5}, "parameter": "iran_cost"}``), parsed as data; a bad one gets
HTTP 400 and ``{"error": "<one line>"}``, and nothing a request sends can stop the server.

>>> from starlette.testclient import TestClient
>>> from solver.formats import load
>>> client = TestClient(create_app(load("chicken")))
>>> client.post("/api/state", json={"values": {"T": 99}}).json()["error"]
'T = 99 is outside its declared range [-10, 10]'
"""

from __future__ import annotations

import importlib.util
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from solver.core.errors import RedlineError
from solver.core.symbolic import Model
from solver.web.compute import Explorer
from solver.web.params import BadRequest, one_line, overrides_of, parameter_of, parse_body, slider

STATIC = Path(__file__).resolve().parent / "static"
#: the Host headers served (the loopback names; ``testserver`` is Starlette's test client):
#: a page on another site cannot reach the explorer through DNS rebinding
HOSTS = ["127.0.0.1", "localhost", "testserver"]


def _has_tree_svg() -> bool:
    return importlib.util.find_spec("solver.render.tree_svg") is not None


def model_doc(ex: Explorer) -> dict[str, Any]:
    """The model as the page needs it: labels, sliders (at the explorer's starting values)."""
    m = ex.model
    names = [p.name for p in m.parameters]
    return {
        "model": m.name,
        "title": m.title,
        "kind": m.kind,
        "tree": m.tree is not None,
        "tree_svg": m.tree is not None and _has_tree_svg(),
        "players": list(m.players),
        "strategies": {p: list(s) for p, s in zip(m.players, m.strategies, strict=True)},
        "parameters": [slider(p, ex.base[p.name]) for p in m.parameters],
        "phase": {"x": names[0], "y": names[1]} if len(names) >= 2 else None,
    }


Handler = Callable[[Explorer, dict[str, Any]], Any]


def _endpoint(ex: Explorer, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A POST endpoint: the JSON body parsed and checked, ``handler`` run in a worker thread,
    every refusal one line with HTTP 400 (500 for our own bugs, never a dead server)."""

    async def run(request: Request) -> Response:
        try:
            doc = parse_body(await request.body())
            out = await run_in_threadpool(handler, ex, doc)
            return out if isinstance(out, Response) else JSONResponse(out)
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except RedlineError as exc:
            return JSONResponse({"error": one_line(exc.message)}, status_code=400)
        except Exception as exc:  # a bug of ours: said, and the server keeps serving
            return JSONResponse({"error": one_line(f"internal error: {type(exc).__name__}: {exc}")}, status_code=500)

    return run


def _state(ex: Explorer, doc: dict[str, Any]) -> Any:
    return ex.state(overrides_of(ex.model, doc))


def _thresholds(ex: Explorer, doc: dict[str, Any]) -> Any:
    overrides = overrides_of(ex.model, doc)
    return ex.thresholds(overrides, parameter_of(ex.model, doc, "parameter"))


def _phase(ex: Explorer, doc: dict[str, Any]) -> Any:
    overrides = overrides_of(ex.model, doc)
    return ex.phase(overrides, parameter_of(ex.model, doc, "x"), parameter_of(ex.model, doc, "y"))


def _tree(ex: Explorer, doc: dict[str, Any]) -> Any:
    overrides = overrides_of(ex.model, doc)
    if ex.model.tree is None or not _has_tree_svg():
        raise BadRequest(f"{ex.model.name} has no tree drawing")
    k = doc.get("equilibrium", 0)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < 1000:
        raise BadRequest(f"'equilibrium' must be an index into the table, got {k!r:.40}")
    from solver.web.tree import tree_drawing

    return Response(tree_drawing(ex, overrides, k), media_type="image/svg+xml")


def create_app(model: Model, overrides: dict[str, Any] | None = None, timeout: float | None = None) -> Starlette:
    """The explorer of ``model``, its sliders starting at the model's values with ``overrides``;
    ``timeout`` caps the seconds of any one computation (each kind has its own default)."""
    ex = Explorer(model, overrides, timeout)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def info(request: Request) -> Response:
        return JSONResponse(model_doc(ex))

    routes = [
        Route("/", index),
        Route("/api/model", info),
        Route("/api/state", _endpoint(ex, _state), methods=["POST"]),
        Route("/api/thresholds", _endpoint(ex, _thresholds), methods=["POST"]),
        Route("/api/phase", _endpoint(ex, _phase), methods=["POST"]),
        Route("/api/tree", _endpoint(ex, _tree), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=HOSTS)])
    app.state.explorer = ex
    return app
