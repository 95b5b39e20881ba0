"""Atomic file writes: a temporary file in the target's folder, then ``os.replace``.

An interrupted or failed write never leaves a half-written file behind, and the finished file
gets the usual permissions (``0666`` less the umask), not the temporary file's private ``0600``.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); write_text(d / "x.txt", "hi"); (d / "x.txt").read_text()
'hi'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from solver.core.errors import RedlineError


def os_error(exc: OSError, path: str | Path, doing: str = "cannot write") -> RedlineError:
    """One line for a failed file operation: what failed, why, and the path (as the source)."""
    why = exc.strerror or str(exc) or type(exc).__name__
    return RedlineError(f"{doing}: {why}", source=str(path))


@contextmanager
def open_atomic(path: str | Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """A file to write ``path`` through: it appears, complete, only when the block ends.

    Any :class:`OSError` (a full disk, a read-only folder, ...) becomes a one-line
    :class:`~solver.core.errors.RedlineError` naming ``path``, and the temporary file is removed.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise os_error(exc, target) from None
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise os_error(exc, target) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with open_atomic(path, "wb") as fh:
        fh.write(data)


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def check_writable(path: str | Path) -> Path:
    """``path`` as a :class:`Path` if a file can be written there (not a folder; its folder exists
    and is writable; an existing file is not read-only), else a one-line :class:`RedlineError`,
    checked before any work."""
    p = Path(path)
    if p.is_dir():
        raise RedlineError("the output is a folder, not a file", source=str(p))
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise RedlineError("the output folder does not exist", source=str(p))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise RedlineError("the output folder is not writable", source=str(p))
    if p.exists() and not os.access(p, os.W_OK):
        raise RedlineError("the output file is read-only", source=str(p))
    return p
