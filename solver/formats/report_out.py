"""Writing the briefing page (``redline report``): the HTML atomically, the PDF printed from the
same HTML by headless Chromium (Debian's ``chromium`` package), and the model file's SHA-256.

Chromium prints what a reader's browser shows (the same CSS, the same inline SVG), so the PDF
needs no second renderer; it runs as a child process with ``--headless --print-to-pdf`` and a
time limit.  ``REDLINE_CHROMIUM`` names another browser binary (tests point it at a missing one).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> check_out(d / "brief.html"), check_out(d / "brief.PDF")
('html', 'pdf')
>>> write_report(d / "brief.html", "<p>hi</p>"); (d / "brief.html").read_text()
'<p>hi</p>'
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from solver.core.errors import RedlineError
from solver.formats.atomic import check_writable, os_error, write_bytes, write_text

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}
#: seconds Chromium may take to print a page
PRINT_TIMEOUT = 60.0
PACKAGE = "chromium"


def check_out(path: str | Path) -> str:
    """``"html"`` or ``"pdf"`` for an output path that can be written; a one-line error otherwise
    (checked before any work)."""
    p = Path(path)
    kind = SUFFIXES.get(p.suffix.lower())
    if kind is None:
        raise RedlineError(f"unsupported output format {p.suffix or '(none)'} (use .html or .pdf)", source=str(p))
    check_writable(p)
    return kind


def chromium() -> str | None:
    """The headless browser to print with: ``$REDLINE_CHROMIUM``, else ``chromium`` on the PATH
    or at ``/usr/bin/chromium``; None when there is none."""
    named = os.environ.get("REDLINE_CHROMIUM")
    if named:
        return named if Path(named).is_file() and os.access(named, os.X_OK) else None
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).is_file() and os.access(found, os.X_OK) else None


def check_printer(path: str | Path) -> str:
    """The browser binary, or the one-line error naming the Debian package to install."""
    exe = chromium()
    if exe is None:
        raise RedlineError(
            f"printing a PDF needs headless Chromium: install the Debian package '{PACKAGE}' "
            f"(apt-get install {PACKAGE}), or write .html",
            source=str(path),
        )
    return exe


def write_report(path: str | Path, html: str) -> None:
    """The HTML page at ``path``, whole or not at all."""
    write_text(path, html)


def print_pdf(path: str | Path, html: str, timeout: float = PRINT_TIMEOUT) -> None:
    """``html`` printed to the PDF ``path`` by headless Chromium (a temporary folder holds the
    page and the browser's profile; the PDF appears at ``path`` only when complete)."""
    exe = check_printer(path)
    with tempfile.TemporaryDirectory(prefix="redline-report-") as tmp:
        page = Path(tmp) / "brief.html"
        pdf = Path(tmp) / "brief.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise RedlineError(f"Chromium did not print the page within {timeout:g} s", source=str(path)) from None
        except OSError as exc:
            raise os_error(exc, exe, "cannot run the browser") from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            why = done.stderr.decode(errors="replace").strip().splitlines()
            raise RedlineError(
                f"Chromium did not print the page (exit {done.returncode}{': ' + why[-1] if why else ''})",
                source=str(path),
            )
        write_bytes(path, pdf.read_bytes())


def sha256_of(path: str | Path) -> str:
    """The SHA-256 of a file's bytes (hex), ``""`` where it cannot be read (a shipped model
    always can)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 16), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()
