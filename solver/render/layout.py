"""Text that fits the reader's terminal: tables that stack when too wide, prose that wraps.

The width is the terminal's (``COLUMNS`` where set) and 100 columns when there is no terminal
(a pipe, a file, a test).  A table wider than that is printed as one record per row: the first
column as a heading, then ``header: value`` lines, so no cell is cut.  :func:`fit` wraps any
other line that is too long at a word boundary, indented under its first word.

>>> print(table([["1", "pure", "Tolerate"]], ["#", "type", "Israel"], width=80))
#  type  Israel
-  ----  --------
1  pure  Tolerate
>>> row = ["1", "mixed", "Tolerate 2/5, Strike 3/5", "Acquiesce 2/3, Confront 1/3"]
>>> print(table([row], ["#", "type", "Israel", "Russia"], width=50))
# 1
  type: mixed
  Israel: Tolerate 2/5, Strike 3/5
  Russia: Acquiesce 2/3, Confront 1/3
>>> print(fit("at a = 1, b = 2, c = 3, d = 4", width=16))
at a = 1, b = 2,
    c = 3, d = 4
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

#: columns when there is no terminal to ask
DEFAULT_WIDTH = 100
#: never narrower than this, whatever the terminal says
MIN_WIDTH = 40


def given(x: object) -> str:
    """A parameter value as a person would have typed it: integers plainly, terminating
    fractions as exact decimals, others as ``p/q`` (1/3, not 0.333333).

    >>> from fractions import Fraction as F
    >>> given(F(1, 3)), given(F(1, 2)), given(F(6)), given(F(-7, 40)), given(0.25)
    ('1/3', '0.5', '6', '-0.175', '0.25')
    """
    if not isinstance(x, Fraction):
        return f"{x:g}" if isinstance(x, float) else str(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d != 1 or len(str(x.denominator)) > 12:
        return f"{x.numerator}/{x.denominator}"
    with localcontext() as ctx:
        ctx.prec = 80  # exact: a denominator of 2^a 5^b below 10^12 has fewer digits than this
        return format(Decimal(x.numerator) / Decimal(x.denominator), "f")


def output_width() -> int:
    """The terminal's width (``COLUMNS`` where set), :data:`DEFAULT_WIDTH` without a terminal."""
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def table(rows: Sequence[Sequence[str]], header: Sequence[str], width: int | None = None) -> str:
    """Aligned columns, or one record per row where they would not fit in ``width``."""
    width = output_width() if width is None else width
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    if sum(widths) + 2 * (len(widths) - 1) > width and len(header) > 1:
        return _records(rows, header, width)
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _records(rows: Sequence[Sequence[str]], header: Sequence[str], width: int) -> str:
    out: list[str] = []
    for r in rows:
        if out:
            out.append("")
        out.append(f"{header[0]} {r[0]}".strip())
        for h, c in zip(header[1:], r[1:], strict=True):
            if str(c).strip():
                out.extend(_wrap(f"  {h}: {c}", width))
    return "\n".join(out)


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    return textwrap.wrap(
        line,
        width,
        subsequent_indent=" " * (lead + 4),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


#: a column whose cells run longer than this names its values R1, R2, ... with a legend
REGIME_CELL = 24


def regimes(rows: Sequence[Sequence[str]], columns: Sequence[int]) -> tuple[list[list[str]], list[str]]:
    """Rows with the long equilibrium descriptions in ``columns`` replaced by regime names (R1,
    R2, ... in order of first appearance) and the legend lines; unchanged where every cell is
    short.

    >>> rows, legend = regimes([["2", "pure (Tolerate, Acquiesce, Entrench)", "mixed (Israel: T/S)"]], [1, 2])
    >>> rows, legend
    ([['2', 'R1', 'R2']], ['R1 = pure (Tolerate, Acquiesce, Entrench)', 'R2 = mixed (Israel: T/S)'])
    """
    out = [list(map(str, r)) for r in rows]
    if not any(len(r[c]) > REGIME_CELL for r in out for c in columns):
        return out, []
    names: dict[str, str] = {}
    for r in out:
        for c in columns:
            r[c] = names.setdefault(r[c], f"R{len(names) + 1}")
    return out, [f"{n} = {label}" for label, n in names.items()]


def fit(text: str, width: int | None = None) -> str:
    """Every line of ``text`` at most ``width`` columns (wrapped at spaces, indented)."""
    width = output_width() if width is None else width
    return "\n".join(part for line in text.split("\n") for part in _wrap(line, width))
