"""Serving the explorer: a socket bound on 127.0.0.1 only (never every interface), checked before
the server starts, so that a port in use is one clear line, then uvicorn until Ctrl-C.

>>> sock = bind(0)  # port 0: a free one
>>> host, port = sock.getsockname()
>>> host, 0 < port < 65536
('127.0.0.1', True)
>>> try:
...     bind(port)
... except RedlineError as exc:
...     print(str(exc) == f"port {port} is in use")
True
>>> sock.close()
"""

from __future__ import annotations

import errno
import signal
import socket
import threading
from collections.abc import Callable
from typing import Any

from solver.core.errors import RedlineError

#: the only interface served: the explorer is a local app
HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening TCP socket on ``HOST:port`` (0: a free port the system picks); a port out of
    range, in use or not ours to bind is a :class:`RedlineError` in one line."""
    if not 0 <= port <= 65535:
        raise RedlineError(f"port {port} is out of range (0 to 65535; 0 picks a free one)")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # SO_REUSEADDR: a port left in TIME_WAIT by the last run can be served again; a port that
    # another server listens on still refuses
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # TCP_NODELAY (inherited by the accepted connections): uvicorn writes a response's headers
    # and body separately, and Nagle's algorithm would hold the body back until the client's
    # delayed ACK, 40 ms later, on every request of a kept-alive connection after the first
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise RedlineError(f"port {port} is in use") from None
        if exc.errno == errno.EACCES:
            raise RedlineError(f"port {port} needs privileges to bind (use a port above 1023)") from None
        raise RedlineError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}/"


def serve(app: Any, sock: socket.socket, on_ready: Callable[[], None] | None = None) -> None:
    """Serve ``app`` on the bound ``sock`` with uvicorn (no access log) until Ctrl-C or SIGTERM,
    then return normally.  ``on_ready`` runs once the server is about to accept requests."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready()
    if threading.current_thread() is threading.main_thread():
        # uvicorn shuts down on SIGTERM, then raises it again with the handler found here:
        # this one makes that a normal return (exit 0), as Ctrl-C is
        signal.signal(signal.SIGTERM, _stopped)
    try:
        server.run(sockets=[sock])
    except (KeyboardInterrupt, _Stop):  # uvicorn re-raises the signal it handled: the shutdown was clean
        pass
    finally:
        sock.close()


class _Stop(Exception):
    """SIGTERM after the server has shut down."""


def _stopped(signum: int, frame: Any) -> None:
    raise _Stop


def serve_in_thread(app: Any, sock: socket.socket, wait: float = 10.0) -> Callable[[], None]:
    """Serve ``app`` on ``sock`` from a daemon thread (tests, benchmarks); returns ``stop()``,
    which shuts the server down and closes the socket.  Raises ``RuntimeError`` when the server
    has not started within ``wait`` seconds."""
    import time

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    end = time.monotonic() + wait
    while not server.started and thread.is_alive() and time.monotonic() < end:
        time.sleep(0.01)
    if not server.started:
        raise RuntimeError("the explorer's server did not start")

    def stop() -> None:
        server.should_exit = True
        thread.join(wait)
        sock.close()

    return stop
