"""Column sampling shared by CSV, JSON records and sheets: row reservoirs, column blocks, header detection."""

from __future__ import annotations

import math
import random
import re
from typing import Iterable, Iterator, Sequence

from contract.models import ColumnBlock

from .base import join

_SEED = 20240101  # fixed: the same file always yields the same sample
_NUMERIC = re.compile(r"^[\s\d.,:/+\-()%$€£]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w .\-/#()]*$")


class RowReservoir:
    """A uniform sample of at most ``size`` rows of a table of unknown length, and its row count.

    Algorithm L (Li, 1994): once the reservoir is full, the index of the next
    row to keep is drawn directly, so random numbers are drawn O(k log(n/k))
    times rather than once per row, and a row that is not kept costs only a
    counter increment. Rows are kept as offered (raw cells): callers convert
    only the rows that were kept. The seed is fixed, so the same file always
    yields the same sample.
    """

    def __init__(self, size: int):
        self.size = size
        self.seen = 0  # rows offered: the table's exact row count
        self._kept: list[tuple[int, object]] = []  # (row number, row)
        self._rng = random.Random(_SEED)
        self._next = size - 1  # number of the next row to keep (drawn once the reservoir is full)
        self._w = 1.0

    def offer(self, row: object) -> None:
        """Count one row; keep it if it is drawn."""
        number = self.seen
        self.seen += 1
        if number < self.size:
            self._kept.append((number, row))
            if number + 1 == self.size:
                self._skip()
        elif number == self._next:
            self._kept[self._rng.randrange(self.size)] = (number, row)
            self._skip()

    def _skip(self) -> None:
        # as if every row drew a uniform key and the k smallest were kept: W is the largest kept
        # key, and the number of rows until a key falls below it is geometric in W, drawn once
        rng = self._rng
        self._w *= math.exp(math.log(1.0 - rng.random()) / self.size)
        gap = math.log(1.0 - rng.random()) / math.log1p(-self._w) if self._w < 1.0 else 0.0
        self._next += int(gap) + 1

    @property
    def sampled(self) -> bool:
        """Whether rows were left out of the sample."""
        return self.seen > len(self._kept)

    def rows(self) -> list:
        """The kept rows in file order (so small tables keep their values' order)."""
        return [row for _, row in sorted(self._kept, key=lambda kept: kept[0])]


def positional_blocks(headers: Sequence[str], rows: Sequence[Sequence[str]], total_rows: int, sampled: bool,
                      container: str) -> Iterator[ColumnBlock]:
    """One ColumnBlock per column position of sampled text rows, except nameless empty ones.

    A column's values are its non-empty cells in the sampled rows; columns
    beyond the widest sampled row hold nothing to classify.
    """
    width = max((len(row) for row in rows), default=0)
    for i in range(width):
        header = headers[i] if i < len(headers) else ""
        values = [row[i] for row in rows if i < len(row) and row[i] and not row[i].isspace()]
        if values or header:
            yield ColumnBlock(header=header, values=values, total_rows=total_rows, container=container,
                              column_index=i, sampled=sampled, sample_rows=len(rows))


def keyed_blocks(records: Sequence[Iterable[tuple[str, str]]], total_rows: int, sampled: bool,
                 container: str) -> Iterator[ColumnBlock]:
    """One ColumnBlock per field name of sampled records ((key, value) pairs), first-seen order.

    A key may give several values in one record (list items share their parent's key).
    """
    columns: dict[str, list[str]] = {}
    for record in records:
        for key, value in record:
            values = columns.setdefault(key, [])
            if value and not value.isspace():
                values.append(value)
    for index, (key, values) in enumerate(columns.items()):
        if values or key:
            yield ColumnBlock(header=key, values=values, total_rows=total_rows, container=container,
                              column_index=index, sampled=sampled, sample_rows=len(records))


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
    reservoir = RowReservoir(size)
    header = rows[0]
    for row in rows[1:]:
        reservoir.offer(row[:len(header)])  # cells beyond the header row have no column here
    yield from positional_blocks(header, reservoir.rows(), reservoir.seen, reservoir.sampled, container)


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
