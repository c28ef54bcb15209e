"""How many cells a workbook's sheets take once a reader lays them out, known before reading them.

calamine (like most readers) turns a sheet into a dense grid spanning its
first to its last cell: a 1.9 KB XLSX holding A1 and XFD4000 becomes 65
million cells, 2 GB in one worker, and XFD1048576 aborts it. Before calamine
sees a workbook, its sheets are measured from what they declare and from the
cells actually present, read sparsely and streamed:

- XLSX: each worksheet part's ``<dimension ref>`` and the references of its
  cells (``r="XFD4000"``), decompressed through the zip guard;
- ODS: content.xml's rows and cells with their repeat counts (empty trailing
  repeats, which every sheet LibreOffice writes has, take no room);
- XLS: the row and column of every cell record of each sheet's BIFF stream
  (the OLE2 container read with olefile).

:func:`largest_sheet` returns the largest grid in cells and bytes; the
extractor charges the bytes to the item's in-memory allowance whether the
workbook is then opened from memory or in place.
"""

from __future__ import annotations

import operator
import re
import struct
import zipfile
from typing import BinaryIO

from .base import CHUNK, Context, ExtractError
from .guard import guarded

# What one cell of calamine's dense grid costs, measured with python-calamine 0.9: an XLSX
# grid of 65.5M cells took 2.1 GB, an XLS one of 16.8M 1.04 GB, an ODS one of 20M repeated
# strings 2.46 GB (each repeat is a string of its own)
CELL_BYTES = {"xlsx": 32, "xls": 64, "ods": 128}

_DIMENSION = re.compile(
    rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?\"")
# a cell's reference as any XML writer may put it: after other attributes, spaces around "=",
# single quotes, lower-case letters (calamine reads them all)
_CELL_REF = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")
_CELL_NO_REF = re.compile(rb"<(?:[\w.-]+:)?c(?:\s(?![^>]*?\br\s*=)[^>]*)?/?>")
_ROW_REF = re.compile(rb"<(?:[\w.-]+:)?row\s[^>]*?\br\s*=\s*[\"']([0-9]{1,7})[\"']")


_first, _second = operator.itemgetter(0), operator.itemgetter(1)


def column_number(letters: bytes) -> int:
    """1-based column of ``A``, ``Z``, ``AA``... ``XFD``."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> bytes:
    """``A`` for 1 ... ``XFD`` for 16384; empty for 0."""
    letters = b""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


class _Box:
    """The smallest rectangle holding every cell seen (rows and columns 1-based or 0-based, alike)."""

    def __init__(self):
        self.rows: tuple[int, int] | None = None  # first, last
        self.cols: tuple[int, int] | None = None

    def add(self, rows: tuple[int, int], cols: tuple[int, int]) -> None:
        self.rows = rows if self.rows is None else (min(self.rows[0], rows[0]), max(self.rows[1], rows[1]))
        self.cols = cols if self.cols is None else (min(self.cols[0], cols[0]), max(self.cols[1], cols[1]))

    @property
    def cells(self) -> int:
        if self.rows is None or self.cols is None:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.cols[1] - self.cols[0] + 1)


def _greater(text: bytes, alphabet: str, longest: str) -> bytes:
    """A regex matching, among strings of ``alphabet`` ordered by length then by character,
    those greater than ``text`` (column letters, or row digits with any leading zeros)."""
    top = alphabet[-1]
    options = [] if longest and len(text) >= int(longest) else [f"[{alphabet[0]}-{top}]{{{len(text) + 1},{longest}}}"]
    for i, char in enumerate(text.decode()):
        if char != top:
            rest = len(text) - i - 1
            tail = f"[{alphabet[0]}-{top}]{{{rest}}}" if rest else ""
            options.append(f"{text[:i].decode()}[{chr(ord(char) + 1)}-{top}]{tail}")
    return "(?:" + ("|".join(options) or "(?!)") + ")"


# Writers put each cell's reference first, in capitals and double quotes: ``<c r="B12"``. A chunk
# whose cell elements all start so is "plain". An odd cell (of any other form) is what
# ``<c`` + _ODD finds; a cell with a namespace prefix, _PREFIXED_CELL.
_CELL_REF_FIRST = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_ODD = rb'(?=[\s>/])(?! r="[A-Z]{1,3}[0-9]{1,7}")'
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_GROWTHS = 16  # times a plain chunk may grow the grid before its references are read one by one


class _Grid:
    """The grid from A1 to the furthest row and column seen: a bound of calamine's grid,
    which spans the first to the last cell."""

    def __init__(self):
        self.rows = self.cols = 0
        self._search: re.Pattern | None = None

    def add(self, rows: int, cols: int) -> None:
        """Extend the grid to ``rows`` and ``cols``."""
        if rows > self.rows or cols > self.cols:
            self.rows, self.cols, self._search = max(self.rows, rows), max(self.cols, cols), None

    def odd_or_beyond(self) -> re.Pattern:
        """One search for an odd cell or a plain cell reference past the grid's last column or
        row: both start with ``<c``, which the regex engine finds at C speed."""
        if self._search is None:
            self._search = re.compile(b'<c(?:' + _ODD + b'| r="(?:' + _greater(column_letters(self.cols), "AZ", "3")
                                      .encode() + b"[0-9]|[A-Z]{1,3}"
                                      + _greater(str(self.rows).encode(), "09", "").encode() + b'"))')
        return self._search

    @property
    def cells(self) -> int:
        return self.rows * self.cols


def _plain_chunk(buf: bytes, grid: _Grid) -> bool:
    """Extend ``grid`` to the cells of a chunk if it is plain; whether it was. Cells come in
    order, so a chunk's last cell is (nearly) its furthest: from there, a search for a cell
    beyond the grid finds none, or the few that stick out (a longer row), without an object
    per cell."""
    if _PREFIXED_CELL.search(buf) is not None:
        return False
    last = _CELL_REF_FIRST.match(buf, max(buf.rfind(b'<c r="'), 0))
    if last is not None:
        grid.add(int(last.group(2)), column_number(last.group(1)))
    pos = 0
    for _ in range(_GROWTHS):
        found = grid.odd_or_beyond().search(buf, pos)
        if found is None:
            return True
        ref = _CELL_REF_FIRST.match(buf, found.start())
        if found.end() - found.start() == 2 or ref is None:  # an odd cell
            return False
        grid.add(int(ref.group(2)), column_number(ref.group(1)))
        pos = found.start() + 1
    return False  # out of order: read every reference


def _xlsx_sheet(stream: BinaryIO) -> int:
    """Cells of one worksheet part's grid, from A1: its declared dimension or its cells' extent,
    the larger. Plain chunks (see :func:`_plain_chunk`) are measured with a few searches;
    anything else (prefixed elements, references after other attributes or in another form,
    cells without a reference) is read with the general patterns."""
    grid, unreferenced, last_row, tail, first = _Grid(), 0, 0, b"", True
    while True:
        data = stream.read(CHUNK)
        buf = tail + data
        if data:  # a tag cut at the chunk's end waits for the next chunk
            cut = buf.rfind(b"<")
            cut = cut if cut != -1 and buf.find(b">", cut) == -1 else len(buf)
            buf, tail = buf[:cut], buf[cut:]
        if first and (dim := _DIMENSION.search(buf)):
            _, _, end_col, end_row = dim.groups()
            grid.add(int(end_row or dim.group(2)), column_number(end_col or dim.group(1)))
        first = False
        if not _plain_chunk(buf, grid):
            refs = _CELL_REF.findall(buf)
            if refs:  # distinct letters and row numbers first: a row's cells share its number
                grid.add(max(map(int, set(map(_second, refs)))), max(map(column_number, set(map(_first, refs)))))
            unreferenced += len(_CELL_NO_REF.findall(buf))
            last_row = max([last_row, *map(int, _ROW_REF.findall(buf))])
        if not data:
            break
    if unreferenced:  # each cell without a reference follows the one before it in its row
        grid.add(max(last_row, 1), grid.cols + unreferenced)
    return grid.cells


def _xlsx(stream: BinaryIO, ctx: Context) -> int:
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError("corrupt workbook (not a readable zip package)") from exc
    largest = 0
    with zf:
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with guarded(zf.open(info), ctx, lambda: info.compress_size, "worksheet") as part:
                    largest = max(largest, _xlsx_sheet(part))
    return largest


_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"table:number-rows-repeated=\"([0-9]+)\"")
_COLUMNS_REPEATED = re.compile(rb"table:number-columns-repeated=\"([0-9]+)\"")
_HAS_VALUE = re.compile(rb"office:value-type=")


def _ods(stream: BinaryIO, ctx: Context) -> int:
    """Cells of the largest table of content.xml, repeats counted up to the last filled cell."""
    try:
        zf = zipfile.ZipFile(stream)
        info = zf.getinfo("content.xml")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise ExtractError("corrupt workbook (no readable content.xml)") from exc
    largest = rows = width = 0  # of the current table: rows up to the last filled one, widest filled row
    row_at = row_repeat = col = row_width = 0
    tail = b""
    with zf, guarded(zf.open(info), ctx, lambda: info.compress_size, "content.xml") as part:
        while True:
            data = part.read(CHUNK)
            buf = tail + data
            if data:
                cut = buf.rfind(b"<")
                cut = cut if cut != -1 and buf.find(b">", cut) == -1 else len(buf)
                buf, tail = buf[:cut], buf[cut:]
            for closing, tag, attrs, empty in _ODS_TAG.findall(buf):
                if tag == b"table":
                    if not closing:
                        rows = width = row_at = 0
                    largest = max(largest, rows * width)
                elif tag == b"table-row":
                    if not closing:
                        found = _ROWS_REPEATED.search(attrs)
                        row_repeat, col, row_width = (int(found.group(1)) if found else 1), 0, 0
                        if empty:
                            row_at += row_repeat
                    else:
                        row_at += row_repeat
                        if row_width:
                            rows, width = row_at, max(width, row_width)
                elif not closing:  # a cell, or its repeats: filled when it has content or a value
                    found = _COLUMNS_REPEATED.search(attrs)
                    col += int(found.group(1)) if found else 1
                    if not empty or _HAS_VALUE.search(attrs):
                        row_width = col
            if not data:
                break
    return max(largest, rows * width)


# BIFF records of one cell: NUMBER, LABELSST, LABEL, RK, BOOLERR, FORMULA, RSTRING, BLANK
_BIFF_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x0201}
_BIFF_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: one row, a run of columns
_BIFF_BOF = 0x0809  # a sheet (or the workbook globals) begins


def _xls(stream: BinaryIO, ctx: Context) -> int:
    """Cells of the largest sheet's grid, from the row and column of every cell record."""
    import olefile

    try:
        ole = olefile.OleFileIO(stream)
    except (OSError, ValueError) as exc:
        raise ExtractError("corrupt workbook (not a readable OLE2 file)") from exc
    with ole:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            raise ExtractError("corrupt workbook (no workbook stream)")
        size = ole.get_size(name)
        if size > ctx.limits.max_in_memory:
            raise ExtractError(f"workbook too large to open in memory (limit {ctx.limits.max_in_memory >> 20} MiB)")
        data = ole.openstream(name).read()
    largest, box, pos = 0, _Box(), 0
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4:pos + 4 + length]
        pos += 4 + length
        if kind == _BIFF_BOF:
            largest, box = max(largest, box.cells), _Box()
        elif kind in _BIFF_CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", body)
            box.add((row, row), (col, col))
        elif kind in _BIFF_MULTI and length >= 6:
            row, first = struct.unpack_from("<HH", body)
            (last,) = struct.unpack_from("<H", body, length - 2)
            box.add((row, row), (first, max(first, last)))
    return max(largest, box.cells)


def largest_sheet(stream: BinaryIO, head: bytes, ctx: Context) -> tuple[int, int]:
    """The cells of the largest sheet's grid in a workbook (a seekable stream at its start), and
    the bytes calamine needs for it."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        kind, cells = "xls", _xls(stream, ctx)
    elif b"application/vnd.oasis.opendocument" in head[:4096]:
        kind, cells = "ods", _ods(stream, ctx)
    else:
        kind, cells = "xlsx", _xlsx(stream, ctx)
    return cells, cells * CELL_BYTES[kind]
