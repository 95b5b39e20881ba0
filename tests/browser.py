"""Headless Chromium for the browser tests: Debian's ``chromium`` package, driven through
playwright's driver with ``executable_path`` (playwright's own browser downloads are not used).

``make test`` installs the apt package when it is missing and the machine allows it
(``make browser``).  Where it cannot, the browser tests skip, naming the missing package; an
import error in our own code is never a skip.  Screenshots go to ``$REDLINE_SCREENSHOTS`` when it
is set (``make screenshots`` sets it to ``docs/img`` for the README), else to the test's tmp dir.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

#: Debian's chromium, as `apt-get install chromium` puts it
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def launch_args() -> list[str]:
    # --no-sandbox: CI and this machine run as root, where chromium refuses its sandbox
    return ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian chromium (session-wide); skips naming the package when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip("browser tests need Debian's 'chromium' package (apt-get install chromium; `make browser`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the Python package 'playwright' (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=launch_args(), headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    """A page with every console error, page error and failed request it saw."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    """A fresh page (1280×900) that records console errors, uncaught exceptions and failed or
    4xx/5xx requests; ``page.assert_clean()`` checks there were none."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    w = Watched(p)
    p.on("console", lambda m: w.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    p.on("pageerror", lambda e: w.errors.append(f"page error: {e}"))
    p.on("requestfailed", lambda r: w.errors.append(f"request failed: {r.url} {r.failure}"))
    p.on("response", lambda r: w.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        yield w
    finally:
        ctx.close()


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """Where a test's screenshot goes: ``$REDLINE_SCREENSHOTS/name`` or ``tmp_path/name``."""
    folder = Path(os.environ.get("REDLINE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
