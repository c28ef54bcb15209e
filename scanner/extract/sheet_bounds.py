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
_CELL_REF = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_CELL_NO_REF = re.compile(rb"<(?:[\w.-]+:)?c(?:\s(?![^>]*?\br=)[^>]*)?/?>")
_ROW_REF = re.compile(rb"<(?:[\w.-]+:)?row\s[^>]*?\br=\"([0-9]{1,7})\"")


_first, _second = operator.itemgetter(0), operator.itemgetter(1)


def column_number(letters: bytes) -> int:
    """1-based column of ``A``, ``Z``, ``AA``... ``XFD``."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


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


def _span(values) -> tuple[int, int]:
    return min(values), max(values)


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


_CELL_REF_FIRST = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')


def _plain(buf: bytes) -> bool:
    """Whether every cell and row of ``buf`` starts with its reference (``<c r="...``, no
    namespace prefix), as writers put it: counted in C, no object per cell."""
    if b":c " in buf or b":c>" in buf or b":c/" in buf or b":row" in buf:
        return False
    return (buf.count(b"<c ") + buf.count(b"<c>") + buf.count(b"<c/>") == buf.count(b'<c r="')
            and buf.count(b"<row ") + buf.count(b"<row>") + buf.count(b"<row/>") == buf.count(b'<row r="'))


def _xlsx_sheet(stream: BinaryIO) -> int:
    """Cells of one worksheet part's grid: its declared dimension or its cells' span, the larger.

    Writers put each cell's reference first and most declare the dimension truthfully. A
    chunk laid out that way is vouched for by one search for a cell past the declared
    dimension, without an object per cell; without a dimension its references are read with
    one anchored pattern; anything else (prefixed elements, cells without a reference) is
    measured with the general patterns."""
    box, declared, unreferenced, tail = _Box(), 0, 0, b""
    beyond: re.Pattern | None = None  # a cell reference past the declared dimension
    last_row, first = 0, True  # the largest <row r=...> measured
    while True:
        data = stream.read(CHUNK)
        buf = tail + data
        if data:  # a tag cut at the chunk's end waits for the next chunk
            cut = buf.rfind(b"<")
            cut = cut if cut != -1 and buf.find(b">", cut) == -1 else len(buf)
            buf, tail = buf[:cut], buf[cut:]
        if first and (dim := _DIMENSION.search(buf)):
            first_col, first_row, end_col, end_row = dim.groups()
            end_col, end_row = end_col or first_col, end_row or first_row
            declared = max(int(end_row) - int(first_row) + 1, 1) * max(
                column_number(end_col) - column_number(first_col) + 1, 1)
            box.add((1, int(end_row)), (1, column_number(end_col)))  # from A1: a bound, not the span
            beyond = re.compile(b'<c r="(?:' + _greater(end_col, "AZ", "3").encode() + b"[0-9]|[A-Z]{1,3}"
                                + _greater(end_row, "09", "").encode() + b'")')
        first = False
        plain = _plain(buf)
        if not (plain and beyond is not None and beyond.search(buf) is None):
            refs = (_CELL_REF_FIRST if plain else _CELL_REF).findall(buf)
            if refs:  # distinct letters and row numbers first: a row's cells share its number
                box.add(_span(list(map(int, set(map(_second, refs))))),
                        _span([column_number(letters) for letters in set(map(_first, refs))]))
            if not plain:
                unreferenced += len(_CELL_NO_REF.findall(buf))
                last_row = max([last_row, *map(int, _ROW_REF.findall(buf))])
        if not data:
            break
    if unreferenced:  # each cell without a reference follows the one before it in its row
        box.add((1, max(last_row, 1)), (1, (box.cols[1] if box.cols else 0) + unreferenced))
    return max(declared, box.cells)


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
