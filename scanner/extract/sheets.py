"""Workbooks (XLSX, XLS, ODS) through python-calamine: columns per sheet.

Each sheet becomes ColumnBlocks (container = sheet name), with the first row
as header when it looks like one. calamine lays a sheet out as a dense grid, so
the grid of the largest sheet is measured first (sheet_bounds: declared
dimension and cells present, read sparsely) and charged to the item's
in-memory allowance: a sheet whose grid would not fit is an error, before
calamine allocates it. Cells holding long free text are also
emitted as TextBlocks ("C12: text" lines, container = sheet name) so that
names and addresses in comments fields reach the prose detectors.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Iterator

import python_calamine

from contract.models import PROSE, Block

from .base import Context, ExtractError, Source, join, read_all
from .blocks import TextSink
from .columns import RowReservoir, looks_like_header, positional_blocks
from .sheet_bounds import largest_sheet

_LONG_TEXT = 80  # characters: a cell this long with spaces is free text worth NER
_PROBE_ROWS = 50


def _cell_text(value) -> str:
    """A cell as the text a person would see (no "3.0" for 3, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _open(src: Source, stream):
    try:
        if src.fd_path:
            return python_calamine.CalamineWorkbook.from_path(src.fd_path)
        return python_calamine.CalamineWorkbook.from_filelike(stream)
    except python_calamine.PasswordError as exc:
        raise ExtractError("encrypted workbook") from exc
    except python_calamine.CalamineError as exc:
        raise ExtractError(f"corrupt workbook ({type(exc).__name__})") from exc


def extract_workbook(src: Source, ctx: Context) -> Iterator[Block]:
    """ColumnBlocks per sheet, plus TextBlocks for long free-text cells."""
    if src.fd_path:  # the opened file itself, read in place
        stream, held = src.stream, 0
    else:
        data = read_all(src, ctx, "workbook")
        stream, held = io.BytesIO(data), len(data)
    with ctx.holding(held, "workbook"):
        cells, grid_bytes = largest_sheet(stream, src.head, ctx)
        stream.seek(0)
        with ctx.holding(grid_bytes, f"a sheet of {cells:,} cells"):
            book = _open(src, stream)
            for sheet_name in book.sheet_names:
                try:
                    rows = book.get_sheet_by_name(sheet_name).iter_rows()
                except python_calamine.CalamineError as exc:
                    raise ExtractError(f"corrupt workbook: a sheet cannot be read ({type(exc).__name__})") from exc
                yield from _sheet(rows, join(src.container, sheet_name), ctx)


def _blank(row) -> bool:
    """No cell a person would see as filled; stops at the first filled cell, usually the first."""
    for cell in row:
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return False
        elif cell is not None:
            return False
    return True


def _sheet(rows, container: str, ctx: Context) -> Iterator[Block]:
    # the probe rows are converted for header detection; later rows stay raw (calamine's values)
    # and only the sampled ones become text
    probe = [list(map(_cell_text, r)) for r in itertools.islice(rows, _PROBE_ROWS)]
    if not any(any(c.strip() for c in r) for r in probe):
        return
    start = next(i for i, r in enumerate(probe) if any(c.strip() for c in r))
    probe = probe[start:]
    first = probe[0]
    width = max(i + 1 for i, c in enumerate(first) if c.strip()) if any(c.strip() for c in first) else 0
    has_header = looks_like_header(first[:width], [r[:width] for r in probe[1:]])
    headers = [h.strip() for h in first[:width]] if has_header else []
    reservoir = RowReservoir(ctx.limits.sample_rows)
    sink = TextSink(container, ctx.limits.block_chars, PROSE)
    first_row = start + (2 if has_header else 1)  # 1-based sheet row of the first data row
    for number, row in enumerate(itertools.chain(probe[1:] if has_header else probe, rows), first_row):
        if _blank(row):
            continue
        reservoir.offer(row)
        for i, cell in enumerate(row):
            # only strings can be free text; type and length tests are cheap enough for every cell
            if cell.__class__ is str and len(cell) >= _LONG_TEXT and " " in cell:
                yield from sink.add(f"{_column_letter(i)}{number}: {' '.join(cell.split())}\n")
    sampled = [list(map(_cell_text, row)) for row in reservoir.rows()]
    yield from positional_blocks(headers, sampled, reservoir.seen, reservoir.sampled, container)
    yield from sink.flush()
