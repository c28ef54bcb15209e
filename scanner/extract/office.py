"""Documents that are zip packages of XML: DOCX, PPTX, ODT, ODP and EPUB.

The package is opened with zipfile (random access) and each text part is
parsed as a stream of XML events, so no document tree is built. Part reads go
through the decompression guard like any archive member, and a part that
declares XML entities is refused (markup.EntityGuard).
"""

from __future__ import annotations

import re
import zipfile
from typing import Iterator

from lxml import etree

from contract.models import PROSE, ColumnBlock, TextBlock

from .base import CHUNK, Context, ExtractError, Source, join, seekable_stream
from .blocks import TextSink
from .columns import TableQueue
from .encoding import iter_text
from .guard import guarded
from .markup import EntityGuard, html_text_blocks

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_DOCX_EXTRA = re.compile(r"^word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_NOTES = re.compile(r"^ppt/notesSlides/notesSlide(\d+)\.xml$")
_EPUB_TEXT = re.compile(r"\.(x?html?|xml)$", re.IGNORECASE)
_EPUB_SKIP = re.compile(r"^(META-INF/|mimetype$)|(^|/)(toc\.ncx|nav\.x?html?)$|\.opf$", re.IGNORECASE)
_EPUB_ENCRYPTED = re.compile(rb"URI=\"[^\"]*\.x?html?\"", re.IGNORECASE)


class _WordTarget:
    """Parser target for WordprocessingML: paragraphs as lines; tables as data or as text.

    A top-level table with a header row and three or more columns is a data
    table (an HR list, an asset register): it is kept aside in ``tables`` and
    becomes column samples, so its header is the context of every cell. Other
    tables (two-column key/value tables, layout tables) become tab-separated
    lines in the text, where a label stays next to its value.
    """

    def __init__(self):
        self.pieces: list[str] = []
        self.tables = TableQueue()
        self._in_text = 0
        self._cells = 0  # nesting of table cells: paragraphs inside a cell are joined by spaces
        self._depth = 0  # nesting of tables
        self._rows: list[list[str]] = []
        self._row: list[str] = []
        self._cell: list[str] = []

    @property
    def _out(self) -> list[str]:
        return self._cell if self._depth else self.pieces

    def start(self, tag, attrib):
        if tag in (_W + "t", _W + "delText"):
            self._in_text += 1
        elif tag == _W + "tab":
            self._out.append("\t" if not self._depth else " ")
        elif tag in (_W + "br", _W + "cr"):
            self._out.append(" " if self._cells else "\n")
        elif tag == _W + "tc":
            self._cells += 1
        elif tag == _W + "tbl":
            self._depth += 1
            if self._depth == 1:
                self._rows = []
        elif tag == _W + "tr" and self._depth == 1:
            self._row = []

    def end(self, tag):
        if tag in (_W + "t", _W + "delText"):
            self._in_text -= 1
        elif tag == _W + "p":
            self._out.append(" " if self._cells else "\n")
        elif tag == _W + "tc":
            self._cells -= 1
            if self._depth == 1:
                self._row.append(" ".join("".join(self._cell).split()))
                self._cell = []
            else:
                self._out.append(" ")
        elif tag == _W + "tr" and self._depth == 1:
            self._rows.append(self._row)
        elif tag == _W + "tbl":
            self._depth -= 1
            if self._depth == 0:
                self._table_done(self._rows)

    def _table_done(self, rows: list[list[str]]) -> None:
        if not self.tables.offer(rows):
            self.pieces.extend("\t".join(row) + "\n" for row in rows)

    def data(self, text):
        if self._in_text:
            self._out.append(text)

    def close(self):
        return None


class _ParagraphTarget:
    """Parser target for DrawingML (slides) and ODF: text elements, a line per paragraph."""

    def __init__(self, text_tags: set[str], para_tags: set[str], in_text_only: bool):
        self.pieces: list[str] = []
        self._text_tags, self._para_tags = text_tags, para_tags
        self._in_text_only = in_text_only
        self._in_text = 0

    def start(self, tag, attrib):
        if tag in self._text_tags:
            self._in_text += 1

    def end(self, tag):
        if tag in self._text_tags:
            self._in_text -= 1
        if tag in self._para_tags:
            self.pieces.append("\n")

    def data(self, text):
        if self._in_text or not self._in_text_only:
            self.pieces.append(text)

    def close(self):
        return None


def _tidy(text: str) -> str:
    """Trim cell separators at line ends and drop empty lines (empty paragraphs)."""
    lines = (line.rstrip("\t ") for line in text.split("\n"))
    return "".join(line + "\n" for line in lines if line.strip())


def _part_blocks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target, container: str, ctx: Context) -> Iterator[TextBlock]:
    """Stream one XML part through ``target`` and cut its text into PROSE blocks."""
    if info.flag_bits & 0x1:
        raise ExtractError("encrypted document part")
    parser = etree.XMLParser(target=target, recover=True, resolve_entities=False, no_network=True, load_dtd=False)
    entities = EntityGuard()
    sink = TextSink(container, ctx.limits.block_chars, PROSE)
    pending = ""  # the last unfinished line waits for the next chunk
    with guarded(zf.open(info), ctx, lambda: info.compress_size, "document part") as stream:
        while data := stream.read(CHUNK):
            entities.check(data)
            parser.feed(data)
            text = pending + "".join(target.pieces)
            target.pieces.clear()
            cut = text.rfind("\n") + 1
            pending = text[cut:]
            yield from sink.add(_tidy(text[:cut]))
            yield from _tables(target, container, ctx)
    try:
        parser.close()
    except etree.XMLSyntaxError:
        pass
    yield from sink.add(_tidy(pending + "".join(target.pieces)))
    yield from sink.flush()
    yield from _tables(target, container, ctx)


def _tables(target, container: str, ctx: Context) -> Iterator[ColumnBlock]:
    """Column blocks of the data tables a Word part finished so far."""
    if isinstance(target, _WordTarget):
        yield from target.tables.drain(container, ctx.limits.sample_rows)


def _open_package(src: Source, ctx: Context, what: str):
    stream, held = seekable_stream(src, ctx, what)
    try:
        return zipfile.ZipFile(stream), held
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError(f"corrupt {what}: not a readable zip package") from exc


def extract_docx(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """Body text (container of the document), then headers, footers, notes and comments."""
    zf, held = _open_package(src, ctx, "DOCX document")
    with ctx.holding(held, "DOCX document"), zf:
        names = {i.filename: i for i in zf.infolist()}
        if "word/document.xml" not in names:
            raise ExtractError("corrupt DOCX document: no word/document.xml")
        yield from _part_blocks(zf, names["word/document.xml"], _WordTarget(), src.container, ctx)
        for name in sorted(n for n in names if _DOCX_EXTRA.match(n)):
            part = _DOCX_EXTRA.match(name).group(1)
            yield from _part_blocks(zf, names[name], _WordTarget(), join(src.container, part), ctx)


def extract_pptx(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """Each slide's text in container "slide N", speaker notes in "notes N"."""
    zf, held = _open_package(src, ctx, "PPTX presentation")
    with ctx.holding(held, "PPTX presentation"), zf:
        infos = zf.infolist()
        for pattern, label in ((_SLIDE, "slide"), (_NOTES, "notes")):
            parts = sorted((int(m.group(1)), i) for i in infos if (m := pattern.match(i.filename)))
            for number, info in parts:
                target = _ParagraphTarget({_A + "t"}, {_A + "p"}, in_text_only=True)
                yield from _part_blocks(zf, info, target, join(src.container, f"{label} {number}"), ctx)


def extract_odf(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """OpenDocument text or presentation: paragraphs and headings of content.xml."""
    zf, held = _open_package(src, ctx, "OpenDocument file")
    with ctx.holding(held, "OpenDocument file"), zf:
        try:
            info = zf.getinfo("content.xml")
        except KeyError as exc:
            raise ExtractError("corrupt OpenDocument file: no content.xml") from exc
        paras = {f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"}
        yield from _part_blocks(zf, info, _ParagraphTarget(set(), paras, in_text_only=False), src.container, ctx)


def extract_epub(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """Each XHTML content document in package order, container = its path in the package."""
    zf, held = _open_package(src, ctx, "EPUB book")
    with ctx.holding(held, "EPUB book"), zf:
        names = {i.filename: i for i in zf.infolist()}
        encryption = names.get("META-INF/encryption.xml")
        if encryption is not None and encryption.file_size < (1 << 20) and \
                _EPUB_ENCRYPTED.search(zf.read(encryption)):
            raise ExtractError("encrypted (DRM-protected) EPUB book")
        for info in zf.infolist():
            if info.is_dir() or not _EPUB_TEXT.search(info.filename) or _EPUB_SKIP.search(info.filename):
                continue
            if info.flag_bits & 0x1:
                raise ExtractError("encrypted document part")
            with guarded(zf.open(info), ctx, lambda: info.compress_size, "document part") as stream:
                yield from html_text_blocks(iter_text(stream, "utf-8"), join(src.container, info.filename), ctx)
