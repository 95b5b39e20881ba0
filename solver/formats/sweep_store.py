"""Files of a sweep: resumable chunk parts and the final tidy output, written atomically.

A running sweep with ``--out FILE`` keeps finished chunks in ``FILE.parts/`` (one ``.npz`` per
chunk, plus its tidy rows); ``--resume`` reuses the parts of the *same* sweep (checked by a
fingerprint).  The final file is assembled in a temporary file and renamed into place, so an
interrupted or failed sweep never leaves a half-written output.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from solver.core.errors import RedlineError
from solver.formats import atomic

SUFFIXES = (".csv", ".npz", ".json")


def check_target(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in SUFFIXES:
        raise RedlineError(
            f"unsupported output format {p.suffix or '(none)'} (use {', '.join(SUFFIXES)})",
            source=str(p),
        )
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise RedlineError("the output folder does not exist", source=str(p))
    return p


atomic_write_bytes = atomic.write_bytes
atomic_write_text = atomic.write_text


class PartStore:
    """Finished chunks of one sweep on disk (for ``--resume``)."""

    def __init__(self, out: Path, fingerprint: str, resume: bool):
        self.dir = out.with_name(out.name + ".parts")
        meta = self.dir / "meta.json"
        if self.dir.exists() and not resume:
            shutil.rmtree(self.dir)
        if self.dir.exists() and resume:
            try:
                same = json.loads(meta.read_text())["fingerprint"] == fingerprint
            except (OSError, ValueError, KeyError):
                same = False
            if not same:
                raise RedlineError(
                    "--resume: the saved parts belong to a different sweep (delete them or drop --resume)",
                    source=str(self.dir),
                )
        self.dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(meta, json.dumps({"fingerprint": fingerprint}))

    def _path(self, k: int) -> Path:
        return self.dir / f"chunk-{k:07d}.npz"

    def done(self) -> set[int]:
        return {int(p.stem.split("-")[1]) for p in self.dir.glob("chunk-*.npz")}

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
            labels=np.array(json.dumps(list(labels))),
            fallback=fallback,
            degenerate=degenerate,
            rows=np.array(json.dumps(rows)),
        )
        atomic_write_bytes(self._path(k), buf.getvalue())

    def load(
        self, k: int
    ) -> tuple[np.ndarray[Any, Any], list[str], int, np.ndarray[Any, Any], list[list[Any]] | None]:
        with np.load(self._path(k)) as z:
            return (
                z["codes"],
                json.loads(str(z["labels"])),
                int(z["fallback"]),
                z["degenerate"].astype(bool),
                json.loads(str(z["rows"])),
            )

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def write_rows_csv(path: Path, header: Sequence[str], chunks: Iterable[list[list[Any]]]) -> None:
    """Stream tidy rows into ``path`` atomically."""
    with atomic.open_atomic(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for rows in chunks:
            w.writerows([[f"{v:.12g}" if isinstance(v, float) else v for v in r] for r in rows])


def write_npz(path: Path, arrays: dict[str, Any]) -> None:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())
