"""Observed choices for ``redline estimate``: a CSV file of counts per profile, or of one row per
observation, optionally with covariate columns.

The header names one column per player (exactly as the model spells the player), and optionally
``count`` (how many times the row's choices were observed; 1 per row without it), a column
``chance`` (for trees: chance's moves, when they were observed) and numeric covariate columns.
Each cell of a player's column holds the label of the strategy the player chose (strategic
games) or, for a tree, the action it took along the observed play; a player who moves several
times on one play lists its actions in order separated by ``>`` (``Tolerate > Strike``), and a
player who did not move on the play leaves its cell empty.  Other columns are read only when
they are named as covariates, and otherwise reported as unused.

Counts per profile::

    Israel,Russia,count
    Tolerate,Acquiesce,120
    Strike,Confront,31

Every problem is one :class:`ChoicesError` naming the file, the row (the file's line number) or
the column, and what is wrong; nothing is read half-way.

>>> rows = parse_choices("Israel,Russia,count\\nStrike,Confront,3\\n", "c.csv",
...                      {"Israel": ["Tolerate", "Strike"], "Russia": ["Acquiesce", "Confront"]})
>>> rows.rows[0].labels, rows.n
((('Strike',), ('Confront',)), 3)
>>> parse_choices("Israel,Russia,count\\nStrik,Confront,3\\n", "c.csv", {"Israel": ["Strike"], "Russia": ["Confront"]})
Traceback (most recent call last):
solver.formats.choices.ChoicesError: c.csv: row 2: unknown label 'Strik' for Israel (Israel's labels: Strike)
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from solver.core.errors import RedlineError
from solver.formats.atomic import write_text
from solver.formats.limits import read_bytes

#: the column holding how many times a row's choices were observed
COUNT = "count"
#: the separator of a player's successive actions along one play of a tree
THEN = ">"
#: the largest count one row may hold (counts are summed in floats)
MAX_COUNT = 10**12


class ChoicesError(RedlineError):
    """A choices file is malformed or does not fit the model (one line: file, row/column, what)."""


@dataclass(frozen=True)
class ChoiceRow:
    """One row: its line in the file, per choice column the labels chosen (in order; empty when
    the column's player did not move), its count and its covariates' values."""

    line: int
    labels: tuple[tuple[str, ...], ...]
    count: int
    covariates: tuple[float, ...] = ()


@dataclass(frozen=True)
class Choices:
    """A parsed choices file: its choice columns (players first, then ``chance`` when present),
    covariate columns, rows, and the columns it did not use."""

    source: str
    columns: tuple[str, ...]
    covariates: tuple[str, ...]
    rows: tuple[ChoiceRow, ...]
    counted: bool
    unused: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """The number of observations (the sum of the counts)."""
        return sum(r.count for r in self.rows)


def _fail(source: str, line: int | None, message: str) -> ChoicesError:
    return ChoicesError(message, source=source, key=None if line is None else f"row {line}")


def _clip(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _count(raw: str, source: str, line: int) -> int:
    text = raw.strip()
    if not text.isdecimal() or len(text) > 13:
        what = "negative" if text.startswith("-") and text[1:].strip().isdecimal() else "not a whole number"
        raise _fail(source, line, f"count {_clip(text)} is {what}: counts are whole numbers >= 0")
    value = int(text)
    if value > MAX_COUNT:
        raise _fail(source, line, f"count {value} is larger than the limit of {MAX_COUNT}")
    return value


def _number(raw: str, column: str, source: str, line: int) -> float:
    text = raw.strip()
    try:
        value = float(text) if len(text) <= 64 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise _fail(source, line, f"covariate {column}: {_clip(text)} is not a finite number")
    return value


def parse_choices(
    text: str,
    source: str,
    players: Mapping[str, Sequence[str]],
    *,
    chance: Sequence[str] = (),
    covariates: Sequence[str] = (),
    sequences: bool = False,
) -> Choices:
    """The choices in CSV ``text`` for ``players`` (player -> its labels, in the model's order).

    ``chance``: chance's labels (a tree with chance moves; the ``chance`` column is optional);
    ``covariates``: the covariate columns needed (each must be there and numeric);
    ``sequences``: cells may list several actions (``a > b``) or be empty (a tree's plays)."""
    reader = csv.reader(io.StringIO(text))
    try:
        table = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise _fail(source, reader.line_num, f"not valid CSV: {exc}") from None
    if not table:
        raise _fail(source, None, "empty file: expected a header naming one column per player")
    header = [cell.strip() for cell in table[0][1]]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ChoicesError(f"column {_clip(name)} appears twice in the header", source=source, key="row 1")
        seen.add(name)
    for name in [*players, *covariates]:
        if name not in seen:
            what = "player" if name in players else "covariate"
            raise ChoicesError(
                f"missing column {_clip(name)} (the {what}'s column; header: {', '.join(header)})", source=source
            )
    labels = dict(players)
    if chance and "chance" in seen:
        labels["chance"] = chance
    columns = tuple(labels)
    where = {name: header.index(name) for name in [*columns, *covariates, *([COUNT] if COUNT in seen else [])]}
    unused = tuple(name for name in header if name not in where)
    rows = []
    for line, raw in table[1:]:
        if len(raw) != len(header):
            raise _fail(source, line, f"{len(raw)} fields where the header has {len(header)}")
        chosen = []
        for name in columns:
            cell = raw[where[name]].strip()
            parts = tuple(p.strip() for p in cell.split(THEN)) if sequences and cell else (cell,)
            if not sequences and not cell:
                raise _fail(source, line, f"no strategy given for {name}")
            for part in parts if cell else ():
                if part not in labels[name]:
                    owner = "chance" if name == "chance" else name
                    known = ", ".join(labels[name])
                    raise _fail(source, line, f"unknown label {_clip(part)} for {owner} ({owner}'s labels: {known})")
            chosen.append(parts if cell else ())
        count = _count(raw[where[COUNT]], source, line) if COUNT in where else 1
        values = tuple(_number(raw[where[c]], c, source, line) for c in covariates)
        rows.append(ChoiceRow(line, tuple(chosen), count, values))
    if not rows:
        raise _fail(source, None, "no observations: the file has a header and no rows")
    return Choices(source, columns, tuple(covariates), tuple(rows), COUNT in where, unused)


def read_choices(
    path: str | Path,
    players: Mapping[str, Sequence[str]],
    *,
    chance: Sequence[str] = (),
    covariates: Sequence[str] = (),
    sequences: bool = False,
) -> Choices:
    """The choices file at ``path`` (UTF-8, a BOM allowed), parsed by :func:`parse_choices`."""
    source = str(path)
    try:
        text = read_bytes(path, what="a data file").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChoicesError(f"not UTF-8 text (byte {exc.start})", source=source) from None
    except RedlineError as exc:  # no such file, not a regular file, too large
        raise ChoicesError(exc.message, source=source) from None
    return parse_choices(text, source, players, chance=chance, covariates=covariates, sequences=sequences)


def choices_csv(columns: Sequence[str], rows: Iterable[tuple[Sequence[str], int]]) -> str:
    """CSV text of counts: ``columns`` (players) then ``count``; each row its labels per column
    (a sequence of a tree player's actions joined by `` > ``) and its count.

    >>> print(choices_csv(["A", "B"], [(["x", "y"], 2)]), end="")
    A,B,count
    x,y,2
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*columns, COUNT])
    for labels, count in rows:
        writer.writerow([*labels, count])
    return out.getvalue()


def write_choices(path: str | Path, columns: Sequence[str], rows: Iterable[tuple[Sequence[str], int]]) -> None:
    """Write :func:`choices_csv` to ``path`` atomically."""
    write_text(path, choices_csv(columns, rows))
