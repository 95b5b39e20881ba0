"""The briefing page (``redline report``): one self-contained HTML file, readable offline.

:func:`report_html` (in :mod:`.page`) lays the page out; :mod:`.model` and :mod:`.findings` write
its sections, :mod:`.figures` its SVG figures, :mod:`.style` its CSS, :mod:`.tree_layout` the
layout :func:`solver.render.tree_svg.tree_svg` draws.  The package imports nothing at load time,
so :mod:`solver.render.tree_svg` can use :mod:`.tree_layout` without a cycle.
"""

from __future__ import annotations

from typing import Any


def report_html(rep: Any) -> str:
    """The whole page for ``rep`` (see :func:`solver.render.report.page.report_html`)."""
    from solver.render.report.page import report_html as page

    return page(rep)
