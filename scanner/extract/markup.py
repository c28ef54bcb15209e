"""XML and HTML: the text between tags, streamed through lxml's event parser.

No tree is built (a parser target receives events), so memory stays bounded
on large files. Script and style content is dropped. XML attribute values are
kept as ``name: value`` lines because data files often hold values there
(``<user email="...">``), and element text as ``element: text`` lines because
the element name is context for the value (``<password>``), as keys are for
JSON. External entities and DTDs are never loaded, and a document that
declares entities is refused (:class:`EntityGuard`): libxml2 stops expanding a
billion-laughs bomb at its limit without a word, which would leave the text
after the bomb unread while the item looked scanned.
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from contract.models import TextBlock

from .base import CHUNK, Context, ExtractError, Source
from .blocks import TextSink
from .columns import TableQueue
from .encoding import detect_encoding, iter_text

_SKIP = {"script", "style", "noscript", "template"}
_BLOCK = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title", "table",
    "ul", "ol", "dt", "dd", "section", "article", "header", "footer", "blockquote", "pre", "hr", "option",
}


# "<!ENTITY" in the encodings an XML document may be fed in
_ENTITY_DECLARATIONS = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(map(len, _ENTITY_DECLARATIONS))


class EntityGuard:
    """Refuses XML that declares entities, checked on the bytes before the parser sees them.

    Entity declarations are what entity-expansion bombs are made of, and data files
    have no use for them; predefined and character references (``&amp;``, ``&#233;``)
    are not declarations and pass.
    """

    def __init__(self):
        self._tail = b""

    def check(self, data: bytes) -> None:
        """Raise ExtractError if ``data`` (or a declaration split across the previous feed) declares one."""
        boundary = self._tail + data[:_OVERLAP]
        if any(d in data or d in boundary for d in _ENTITY_DECLARATIONS):
            raise ExtractError("XML entity expansion refused (the document declares entities)")
        self._tail = data[-_OVERLAP:]


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


class _Collector:
    """lxml parser target: collects text pieces in document order."""

    def __init__(self, html: bool):
        self.html = html
        self.pieces: list[str] = []
        self.tables = TableQueue()  # HTML data tables, handed out as columns
        self._depth = 0  # HTML table nesting
        self._rows: list[list[str]] = []
        self._row: list[str] = []
        self._cell: list[str] | None = None
        self._skipping = 0
        self._stack: list[str] = []
        self._need_key = False  # XML: the next text of this element starts a "name: " line

    def start(self, tag, attrib):
        name = _local(tag)
        if self.html:
            if name in _SKIP:
                self._skipping += 1
            elif name == "table":
                self._depth += 1
                if self._depth == 1:
                    self._rows = []
            elif name == "tr" and self._depth == 1:
                self._row = []
            elif name in ("td", "th") and self._depth == 1:
                self._cell = []
            elif name in _BLOCK:
                self._out.append("\n" if self._cell is None else " ")
            return
        self._stack.append(name)
        self._need_key = True
        self.pieces.append("\n")
        for key, value in attrib.items():
            key = _local(key)
            if value.strip() and not key.startswith("xmlns"):
                self.pieces.append(f"{key}: {value}\n")

    def end(self, tag):
        name = _local(tag)
        if self.html:
            if name in _SKIP:
                self._skipping = max(0, self._skipping - 1)
            elif name in ("td", "th") and self._depth == 1 and self._cell is not None:
                self._row.append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif name == "tr" and self._depth == 1:
                self._rows.append(self._row)
            elif name == "table" and self._depth:
                self._depth -= 1
                if self._depth == 0:
                    self._table_done(self._rows)
            elif name in _BLOCK:
                self._out.append("\n" if self._cell is None else " ")
        else:
            if self._stack:
                self._stack.pop()
            self._need_key = True
            self.pieces.append("\n")

    def data(self, text):
        if self._skipping:
            return
        if not self.html and self._need_key:
            if not text.strip():
                return
            self.pieces.append(f"\n{self._stack[-1]}: " if self._stack else "\n")
            self._need_key = False
        self._out.append(text)

    @property
    def _out(self) -> list[str]:
        return self._cell if self._cell is not None else self.pieces

    def _table_done(self, rows: list[list[str]]) -> None:
        """A data table waits to become columns; any other table becomes tab-separated lines."""
        if not self.tables.offer(rows):
            self.pieces.extend("\n" + "\t".join(row) + "\n" for row in rows)

    def comment(self, text):
        pass

    def close(self):
        return None


def _squeeze(text: str) -> str:
    """Strip lines and drop the blank lines left by markup-only elements."""
    out = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        line = line.strip()
        if line or index == len(lines) - 1:
            out.append(line)
    return "\n".join(out)


def _parse(feeds: Iterator, parser, collector: _Collector, sink: TextSink, sample_rows: int,
           guard: EntityGuard | None = None) -> Iterator[TextBlock]:
    pending = ""  # an unfinished last line waits for the next feed
    started = False
    for data in feeds:
        if guard is not None:
            guard.check(data)
        parser.feed(data)
        text = pending + "".join(collector.pieces)
        collector.pieces.clear()
        cut = text.rfind("\n") + 1
        pending = text[cut:]
        piece = _squeeze(text[:cut])
        if not started:  # no blank lines before the first text
            piece = piece.lstrip("\n")
            started = bool(piece)
        yield from sink.add(piece)
        yield from collector.tables.drain(sink.container, sample_rows)
    try:
        parser.close()
    except etree.XMLSyntaxError:
        pass  # recover mode: a truncated document still gives its text so far
    last = _squeeze(pending + "".join(collector.pieces)).strip("\n")
    yield from sink.add(last + "\n" if last else "")
    yield from sink.flush()
    yield from collector.tables.drain(sink.container, sample_rows)



def extract_xml(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """Element text and attribute values of an XML document, one per line."""
    collector = _Collector(html=False)
    parser = etree.XMLParser(target=collector, recover=True, resolve_entities=False, no_network=True, load_dtd=False)

    def feeds():
        while data := src.stream.read(CHUNK):
            yield data

    sink = TextSink(src.container, ctx.limits.block_chars)
    yield from _parse(feeds(), parser, collector, sink, ctx.limits.sample_rows, EntityGuard())


def extract_html(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """Visible text of an HTML page, one block-level element per line."""
    yield from html_text_blocks(iter_text(src.stream, detect_encoding(src.head) or "cp1252"), src.container, ctx)


def html_text_blocks(chunks: Iterator[str], container: str, ctx: Context) -> Iterator[TextBlock]:
    """Blocks of the visible text of HTML given as decoded chunks (also used for e-mail bodies)."""
    collector = _Collector(html=True)
    parser = etree.HTMLParser(target=collector, recover=True, no_network=True)
    yield from _parse(chunks, parser, collector, TextSink(container, ctx.limits.block_chars), ctx.limits.sample_rows)
