"""Files of a sweep: resumable chunk parts and the final tidy output, written atomically.

A running sweep with ``--out FILE`` keeps finished chunks in ``FILE.parts/`` (one ``.npz`` per
chunk, plus its tidy rows); ``--resume`` reuses the parts of the *same* sweep (checked by a
fingerprint).  The final file is assembled in a temporary file and renamed into place, so an
interrupted or failed sweep never leaves a half-written output.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import json
import os
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from solver.core.errors import RedlineError
from solver.formats import atomic
from solver.formats.atomic import os_error

SUFFIXES = (".csv", ".npz", ".json")
#: what reading a damaged chunk file can raise (truncated zip, garbage, missing arrays)
DAMAGED = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, TypeError)


def check_target(path: str | Path) -> Path:
    """``path`` if a sweep can write it (format, folder, permissions), checked before the work."""
    p = Path(path)
    if p.is_dir():
        raise RedlineError("the output is a folder, not a file", source=str(p))
    if p.suffix.lower() not in SUFFIXES:
        raise RedlineError(
            f"unsupported output format {p.suffix or '(none)'} (use {', '.join(SUFFIXES)})",
            source=str(p),
        )
    return atomic.check_writable(p)


atomic_write_bytes = atomic.write_bytes
atomic_write_text = atomic.write_text


class PartStore:
    """Finished chunks of one sweep on disk (for ``--resume``), locked against a second sweep.

    The parts folder is locked (``flock``, released by the kernel even on ``kill -9``) for as
    long as the store lives, so two sweeps writing the same ``--out`` cannot mix their chunks:
    the second is refused.  A store that saved nothing is removed again by :meth:`discard`.
    """

    def __init__(self, out: Path, fingerprint: str, resume: bool):
        self.dir = out.with_name(out.name + ".parts")
        self.fresh = not self.dir.exists()
        self.lock_fd = -1
        try:
            if self.dir.exists() and not self.dir.is_dir():
                raise RedlineError("is in the way of the sweep's parts folder", source=str(self.dir))
            self.dir.mkdir(exist_ok=True)
            self._lock(out)
            meta = self.dir / "meta.json"
            if not self.fresh and resume:
                try:
                    same = json.loads(meta.read_text())["fingerprint"] == fingerprint
                except (OSError, ValueError, KeyError, TypeError):
                    same = False
                if not same:
                    raise RedlineError(
                        "--resume: the saved parts belong to a different sweep (other model, "
                        "values, sampling or options; delete them or drop --resume)",
                        source=str(self.dir),
                    )
            elif not self.fresh:
                self._clear()
            atomic_write_text(meta, json.dumps({"fingerprint": fingerprint}))
        except OSError as exc:
            self.discard()
            raise os_error(exc, self.dir) from None
        except BaseException:
            self.discard()
            raise

    def _lock(self, out: Path) -> None:
        self.lock_fd = os.open(self.dir, os.O_RDONLY)
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            os.close(self.lock_fd)
            self.lock_fd = -1
            raise RedlineError(f"another sweep is writing {out}", source=str(out)) from None

    def _clear(self) -> None:
        for p in self.dir.iterdir():
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()

    def close(self) -> None:
        """Release the lock (the parts stay for ``--resume``)."""
        if self.lock_fd >= 0:
            os.close(self.lock_fd)
            self.lock_fd = -1

    def discard(self) -> None:
        """After a failure: remove the parts folder if this run created it and saved nothing."""
        if self.fresh and not self.done():
            shutil.rmtree(self.dir, ignore_errors=True)
        self.close()

    def _path(self, k: int) -> Path:
        return self.dir / f"chunk-{k:07d}.npz"

    def done(self) -> set[int]:
        out = set()
        for p in self.dir.glob("chunk-*.npz"):
            try:
                out.add(int(p.stem.split("-")[1]))
            except ValueError:
                continue
        return out

    def drop(self, k: int) -> None:
        """Remove chunk ``k`` (found damaged: it is computed again)."""
        self._path(k).unlink(missing_ok=True)

    def save(
        self,
        k: int,
        codes: np.ndarray[Any, Any],
        labels: Sequence[str],
        fallback: int,
        degenerate: np.ndarray[Any, Any],
        rows: list[list[Any]] | None,
    ) -> None:
        buf = io.BytesIO()
        np.savez(
            buf,
            codes=codes,
            labels=_utf8(json.dumps(list(labels))),
            fallback=fallback,
            degenerate=degenerate,
            rows=_utf8(json.dumps(rows)),
        )
        atomic_write_bytes(self._path(k), buf.getvalue())

    def load(
        self, k: int
    ) -> tuple[np.ndarray[Any, Any], list[str], int, np.ndarray[Any, Any], list[list[Any]] | None]:
        """Chunk ``k`` as saved; a damaged file raises one of :data:`DAMAGED`."""
        with np.load(self._path(k), allow_pickle=False) as z:
            labels = json.loads(_text(z["labels"]))
            rows = json.loads(_text(z["rows"]))
            codes = np.asarray(z["codes"])
            degenerate = z["degenerate"].astype(bool)
            if not isinstance(labels, list) or codes.shape != degenerate.shape or codes.ndim != 1:
                raise ValueError("inconsistent chunk")
            if codes.size and (codes.min() < 0 or codes.max() >= len(labels)):
                raise ValueError("codes out of range")
            return codes, labels, int(z["fallback"]), degenerate, rows

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self.close()


def _utf8(text: str) -> np.ndarray[Any, Any]:
    """Text as UTF-8 bytes (a numpy string array would take four bytes a character)."""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(a: np.ndarray[Any, Any]) -> str:
    return a.tobytes().decode("utf-8") if a.dtype == np.uint8 else str(a)


def write_rows_csv(path: Path, header: Sequence[str], chunks: Iterable[list[list[Any]]]) -> None:
    """Stream tidy rows into ``path`` atomically (an OSError becomes one RedlineError line)."""
    with atomic.open_atomic(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for rows in chunks:
            w.writerows([[f"{v:.12g}" if isinstance(v, float) else v for v in r] for r in rows])


def write_npz(path: Path, arrays: dict[str, Any]) -> None:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())
