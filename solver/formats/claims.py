"""The claims a model's parameters cite (``cites = ["C1", ...]``): ids, titles and text.

``seeds/claims.md`` holds one ``## C<n> <title>`` section per claim of the seed article, each
paraphrasing it and naming the parameter that encodes it.  :func:`read_claims` parses those
headings (a Markdown file read line by line, nothing more); an absent file gives no claims (an
installed wheel ships no seeds).

>>> c = parse_claims("## C1 israel-red-line\\n\\nIsrael's red line is ...\\n## Not encoded\\n")
>>> c["C1"].title, c["C1"].red_line
('israel-red-line', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: a claim heading: ``## C12 some-title``
_HEADING = re.compile(r"^##\s+(C\d+)\s+(\S.*?)\s*$")


@dataclass(frozen=True)
class Claim:
    """One claim of the seed article: its id (``C1``), title and paraphrase."""

    id: str
    title: str
    text: str

    @property
    def red_line(self) -> bool:
        """Does the claim speak of a state's declared red line (the analysts' sense)?"""
        words = (self.title + " " + self.text).lower().replace("-", " ")
        return "red line" in words


def claims_file() -> Path:
    """``seeds/claims.md`` beside the shipped models (a checkout's top level)."""
    from solver.formats import models_dir

    return models_dir().parent / "seeds" / "claims.md"


def parse_claims(text: str) -> dict[str, Claim]:
    """Claims by id from the Markdown text of a claims file."""
    out: dict[str, Claim] = {}
    current: tuple[str, str] | None = None
    body: list[str] = []
    for line in [*text.splitlines(), "## end"]:
        if line.startswith("## "):
            if current is not None:
                out[current[0]] = Claim(current[0], current[1], "\n".join(body).strip())
            m = _HEADING.match(line)
            current, body = ((m.group(1), m.group(2)) if m else None), []
        elif current is not None:
            body.append(line)
    return out


def read_claims(path: Path | None = None) -> dict[str, Claim]:
    """The claims of ``path`` (default :func:`claims_file`); none when the file is absent."""
    path = path or claims_file()
    try:
        return parse_claims(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
