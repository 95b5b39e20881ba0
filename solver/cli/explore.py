"""``redline explore``: the live red-line explorer, a local web app on 127.0.0.1
(:mod:`solver.web`).

MODEL and its ``--set`` values are checked first, then the port (bound before the server starts,
so a port in use is one line), then the URL goes to stderr, the browser opens (unless
``--no-browser``) and the server runs until Ctrl-C, which exits 0.
"""

from __future__ import annotations

from typing import Annotated

import typer

from solver.cli.common import ModelArg, SetOpt, guarded, load_with_sets, seconds

#: the port served unless --port says otherwise
PORT = 8765


@guarded
def explore(
    model: ModelArg = None,
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1 to serve on (0: any free port).")
    ] = PORT,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser; only print the URL.")
    ] = False,
    set_: SetOpt = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds any one computation of the page may take at most (a table 5, the thresholds "
            "20, a phase diagram 10 unless this is less); what it cut short is marked incomplete.",
        ),
    ] = 20.0,
) -> None:
    """Serve a live explorer of MODEL on 127.0.0.1: a slider per assumption, the equilibria and
    their outcome odds as a slider moves, the phase diagram of any two assumptions, the
    thresholds of the moved one as ticks on its slider, and for trees the subgame-perfect path.
    Ctrl-C stops it."""
    from solver.web.app import create_app
    from solver.web.serve import bind, serve, url_of

    limit = seconds(timeout, zero=False)
    m, overrides = load_with_sets(model, set_)
    m.values(overrides)  # a bad --set value fails here, before the port is taken
    app = create_app(m, overrides, limit)
    sock = bind(port)
    url = url_of(sock)
    try:
        app.state.explorer.warm()  # the first page load does not wait for module imports
    except BaseException:
        sock.close()
        raise

    def ready() -> None:
        typer.echo(f"redline: explorer of {m.name} at {url} (Ctrl-C stops it)", err=True)
        if not no_browser:
            import contextlib
            import webbrowser

            with contextlib.suppress(Exception):  # no browser to open: the URL above is enough
                webbrowser.open(url)

    serve(app, sock, ready)
