"""Column sampling shared by CSV, JSON records and sheets: reservoirs and header detection."""

from __future__ import annotations

import random
import re
from typing import Iterator, Sequence

from scanner.models import ColumnBlock

from .base import join

_SEED = 20240101  # fixed: the same file always yields the same sample
_NUMERIC = re.compile(r"^[\s\d.,:/+\-()%$€£]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w .\-/#()]*$")


class Reservoir:
    """A uniform sample of at most ``size`` non-empty values of one column (algorithm R)."""

    def __init__(self, size: int, salt: int):
        self.size = size
        self.values: list[str] = []
        self.seen = 0
        self._rng = random.Random(_SEED + salt)

    def add(self, value: str) -> None:
        """Offer one value; empty values are not sampled."""
        if not value or not value.strip():
            return
        self.seen += 1
        if len(self.values) < self.size:
            self.values.append(value)
            return
        j = self._rng.randrange(self.seen)
        if j < self.size:
            self.values[j] = value


class ColumnSampler:
    """Reservoirs for a growing set of columns, keyed by position or by name."""

    def __init__(self, size: int):
        self.size = size
        self.rows = 0
        self._columns: dict[object, Reservoir] = {}
        self._headers: dict[object, str] = {}

    def add(self, key: object, header: str, value: str) -> None:
        """Offer ``value`` to the column ``key`` (created with ``header`` on first sight)."""
        res = self._columns.get(key)
        if res is None:
            res = self._columns[key] = Reservoir(self.size, len(self._columns))
            self._headers[key] = header
        res.add(value)

    def blocks(self, container: str) -> Iterator[ColumnBlock]:
        """One ColumnBlock per column (first-seen order), except nameless empty ones."""
        for index, (key, res) in enumerate(self._columns.items()):
            if not res.values and not self._headers[key]:
                continue
            yield ColumnBlock(
                header=self._headers[key], values=res.values, total_rows=self.rows, container=container,
                column_index=key if isinstance(key, int) else index, sampled=res.seen > len(res.values),
            )


def looks_like_header(first: Sequence[str], rest: Sequence[Sequence[str]]) -> bool:
    """Whether the first row names columns rather than holding data.

    A header's cells are all present, distinct, short and not numbers or
    addresses; and either they look like identifiers or the rows below are
    shaped differently (digits where the header has none).
    """
    cells = [c.strip() for c in first]
    if not cells or any(not c or len(c) > 64 or "@" in c or _NUMERIC.match(c) for c in cells):
        return False
    if len(set(cells)) != len(cells) or not all(any(ch.isalpha() for ch in c) for c in cells):
        return False
    if all(_IDENTIFIER.match(c) and len(c.split()) <= 4 for c in cells):
        digits_below = any(
            any(ch.isdigit() for ch in row[i]) for row in rest for i in range(min(len(row), len(cells)))
        )
        if digits_below or not rest:
            return True
        # all-text table: a header does not repeat as a value below it
        below = {str(v).strip() for row in rest for v in row}
        return not (set(cells) & below)
    return False


def is_data_table(rows: Sequence[Sequence[str]]) -> bool:
    """A table of records (DOCX, HTML): a header row, data below it, three or more columns.

    Two-column tables are usually label/value pairs, better read as text where
    each label stays next to its value.
    """
    width = max((len(r) for r in rows), default=0)
    return len(rows) >= 2 and width >= 3 and looks_like_header(rows[0], rows[1:])


def table_blocks(rows: Sequence[Sequence[str]], container: str, size: int) -> Iterator[ColumnBlock]:
    """Column samples of a data table whose first row holds the headers."""
    sampler = ColumnSampler(size)
    header = rows[0]
    for row in rows[1:]:
        sampler.rows += 1
        for i, name in enumerate(header):
            sampler.add(i, name, row[i] if i < len(row) else "")
    yield from sampler.blocks(container)


class TableQueue:
    """Data tables a streaming document parser has finished, numbered in document order.

    Parsers (DOCX, HTML) offer every finished table; data tables wait here to
    become column blocks, other tables are returned to the parser as text.
    """

    def __init__(self):
        self._waiting: list[Sequence[Sequence[str]]] = []
        self._numbered = 0

    def offer(self, rows: Sequence[Sequence[str]]) -> bool:
        """Keep ``rows`` if they form a data table; False means: render them as text."""
        if not is_data_table(rows):
            return False
        self._waiting.append(rows)
        return True

    def drain(self, container: str, size: int) -> Iterator[ColumnBlock]:
        """Column blocks of the waiting tables, in containers "table N"."""
        for rows in self._waiting:
            self._numbered += 1
            yield from table_blocks(rows, join(container, f"table {self._numbered}"), size)
        self._waiting.clear()
