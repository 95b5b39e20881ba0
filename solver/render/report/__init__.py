"""The briefing page (``redline report``): one self-contained HTML file."""
