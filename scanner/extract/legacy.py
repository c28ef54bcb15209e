"""Legacy Office files in OLE2 compound files: Word 97-2003 (.doc) and PowerPoint 97-2003 (.ppt).

An OLE2 file is a small file system; its streams say what it is: a workbook
("Workbook"/"Book", to python-calamine), a Word document ("WordDocument"), a
presentation ("PowerPoint Document") or an Outlook message ("__substg1.0_*",
to outlook.py). olefile reads the container; the text is read here, in Python:

- Word: the piece table ([MS-DOC] 2.8.35, the Clx in the table stream) maps
  character positions to runs of 8-bit or UTF-16 text in the WordDocument
  stream. It covers the body, footnotes, headers and comments. Word 6/95
  files without a piece table keep their text in one run (fcMin..fcMac).
- PowerPoint: the text atoms ([MS-PPT] TextCharsAtom, TextBytesAtom,
  CString) found by walking the record tree of the "PowerPoint Document" stream.

Reading the text here, rather than through Debian's antiword or catdoc, keeps
members and attachments in memory (both programs need a file on disk) and
hostile input away from C parsers that are no longer maintained; the
measurements behind the choice are in bench/doc_readers.py.
"""

from __future__ import annotations

import re
import struct
from typing import Iterator

import olefile

from contract.models import PROSE, Block

from . import dispatch
from .base import Context, ExtractError, Source, Unsupported, seekable_stream
from .blocks import text_blocks

_WORD97_NFIB = 0xC1  # nFib of Word 97 and later; Word 6 and 95 files have 101-105
_F_COMPLEX, _F_ENCRYPTED, _F_WHICH_TABLE = 0x0004, 0x0100, 0x0200
_FC_CLX = 33  # index of fcClx/lcbClx in FibRgFcLcb97
# field codes (between 0x13 and 0x14, or 0x15 when there is no result) are instructions, not text
_FIELD_CODE = re.compile(r"\x13[^\x13\x14\x15]*(?:\x14|(?=\x15))")
_WORD_CHARS = {0x0D: "\n", 0x0B: "\n", 0x0C: "\n", 0x0E: "\n", 0x07: "\t", 0x1E: "-", 0x1F: None, 0xA0: " "}
_WORD_CHARS.update({c: None for c in (0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x13, 0x14, 0x15)})

_PPT_CONTAINER = 0xF  # recVer of a container record: its body is more records
_PPT_TEXT = {0x0FA0: "utf-16-le", 0x0FBA: "utf-16-le", 0x0FA8: "latin-1"}  # TextChars, CString, TextBytes
_PPT_NOISE = re.compile(r"^___PPT\d+$")  # the names of PowerPoint's own extension tags


def _open(src: Source, ctx: Context) -> tuple[olefile.OleFileIO, int]:
    stream, held = seekable_stream(src, ctx, "OLE2 file")
    try:
        return olefile.OleFileIO(stream), held
    except (OSError, ValueError, struct.error) as exc:  # olefile raises OSError for a bad header
        raise ExtractError("corrupt OLE2 file") from exc


def extract_ole2(src: Source, ctx: Context) -> Iterator[Block]:
    """Hand the file to the reader of what its streams say it is."""
    stream, held = seekable_stream(src, ctx, "OLE2 file")
    with ctx.holding(held, "OLE2 file"):
        try:
            with olefile.OleFileIO(stream) as ole:
                kind = _kind(ole)
        except (OSError, ValueError, struct.error) as exc:
            raise ExtractError("corrupt OLE2 file") from exc
        stream.seek(0)
        yield from dispatch.run(Source(stream, src.name, src.container, src.head, src.size, src.fd_path), ctx, kind)


def _kind(ole: olefile.OleFileIO) -> str:
    if ole.exists("EncryptedPackage"):
        raise ExtractError("encrypted Office document")
    if ole.exists("WordDocument"):
        return "doc"
    if ole.exists("PowerPoint Document"):
        return "ppt"
    if ole.exists("Workbook") or ole.exists("Book"):
        return "xls"
    if ole.exists("__properties_version1.0") or any(e[0].startswith("__substg1.0_") for e in ole.listdir()):
        return "msg"
    raise Unsupported("binary format not scanned: ole2 (not a document, workbook, presentation or message)")


def extract_doc(src: Source, ctx: Context) -> Iterator[Block]:
    """The text of a Word 97-2003 document (or a simple Word 6/95 one) as PROSE."""
    ole, held = _open(src, ctx)
    with ctx.holding(held, "Word document"), ole:
        if not ole.exists("WordDocument"):
            raise ExtractError("corrupt Word document: no WordDocument stream")
        text = word_text(ole)
    yield from text_blocks([text], src.container, ctx.limits.block_chars, PROSE)


def word_text(ole: olefile.OleFileIO) -> str:
    """All the text of a Word document: body, footnotes, headers, comments, in stream order."""
    wd = ole.openstream("WordDocument").read()
    if len(wd) < 0x20 or struct.unpack_from("<H", wd, 0)[0] not in (0xA5EC, 0xA5DC):
        raise ExtractError("corrupt Word document: no file information block")
    nfib, flags = struct.unpack_from("<H", wd, 2)[0], struct.unpack_from("<H", wd, 0x0A)[0]
    if flags & _F_ENCRYPTED:
        raise ExtractError("encrypted Word document")
    if nfib < _WORD97_NFIB:
        if flags & _F_COMPLEX:
            raise ExtractError("unsupported Word 6/95 document (fast-saved)")
        fc_min, fc_mac = struct.unpack_from("<II", wd, 0x18)
        return _tidy_word(wd[fc_min:fc_mac].decode("cp1252", "replace"))
    table = "1Table" if flags & _F_WHICH_TABLE else "0Table"
    if not ole.exists(table):
        raise ExtractError("corrupt Word document: no table stream")
    pieces = []
    for fc, count in _pieces(wd, ole.openstream(table).read()):
        if fc & 0x40000000:  # "compressed": 8-bit text at half the offset
            start = (fc & ~0x40000000) // 2
            pieces.append(wd[start:start + count].decode("cp1252", "replace"))
        else:
            pieces.append(wd[fc:fc + 2 * count].decode("utf-16-le", "replace"))
    return _tidy_word("".join(pieces))


def _pieces(wd: bytes, table: bytes) -> Iterator[tuple[int, int]]:
    """(file offset, character count) of each piece of the piece table ([MS-DOC] 2.9.177 PlcPcd)."""
    try:
        pos = 32  # after FibBase: FibRgW, FibRgLw, then FibRgFcLcb, each preceded by its count
        pos += 2 + 2 * struct.unpack_from("<H", wd, pos)[0]
        pos += 2 + 4 * struct.unpack_from("<H", wd, pos)[0]
        fc_clx, lcb_clx = struct.unpack_from("<II", wd, pos + 2 + 8 * _FC_CLX)
        clx = table[fc_clx:fc_clx + lcb_clx]
        i = 0
        while i < len(clx) and clx[i] == 1:  # Prc: formatting, skipped
            i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
        if i >= len(clx) or clx[i] != 2:
            raise ExtractError("corrupt Word document: no piece table")
        size = struct.unpack_from("<I", clx, i + 1)[0]
        plc = clx[i + 5:i + 5 + size]
        n = (len(plc) - 4) // 12
        cps = struct.unpack_from(f"<{n + 1}I", plc)
        for k in range(n):
            fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
            yield fc, max(cps[k + 1] - cps[k], 0)
    except struct.error as exc:
        raise ExtractError("corrupt Word document: piece table out of bounds") from exc


def _tidy_word(text: str) -> str:
    """Word's control characters as the text a reader sees (paragraphs, cells, no field codes)."""
    return _FIELD_CODE.sub("", text).translate(_WORD_CHARS)


def extract_ppt(src: Source, ctx: Context) -> Iterator[Block]:
    """The text of a PowerPoint 97-2003 presentation as PROSE, one line per text atom."""
    ole, held = _open(src, ctx)
    with ctx.holding(held, "PowerPoint presentation"), ole:
        if ole.exists("EncryptedSummary"):
            raise ExtractError("encrypted PowerPoint presentation")
        if not ole.exists("PowerPoint Document"):
            raise ExtractError("corrupt PowerPoint presentation: no PowerPoint Document stream")
        data = ole.openstream("PowerPoint Document").read()
    yield from text_blocks(_ppt_lines(data), src.container, ctx.limits.block_chars, PROSE)


def _ppt_lines(data: bytes) -> Iterator[str]:
    """Each text atom of the record tree as a line; containers are walked, not recursed into."""
    pos, end = 0, len(data)
    while pos + 8 <= end:
        ver_instance, rec_type, length = struct.unpack_from("<HHI", data, pos)
        pos += 8
        if ver_instance & 0xF == _PPT_CONTAINER:
            continue  # the container's children follow at once
        body = data[pos:pos + length]
        pos += length
        encoding = _PPT_TEXT.get(rec_type)
        if encoding:
            text = body.decode(encoding, "replace").replace("\r", "\n").replace("\x0b", "\n")
            if text.strip() and not _PPT_NOISE.match(text):
                yield text + "\n"
