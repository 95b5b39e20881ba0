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


@contextmanager
def open_atomic(path: str | Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """A file to write ``path`` through: it appears, complete, only when the block ends."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with open_atomic(path, "wb") as fh:
        fh.write(data)


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
