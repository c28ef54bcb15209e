"""Chunking with overlap: an entity split across two text blocks is found exactly once.

Consecutive TextBlocks of one container with contiguous offsets are one
stream. Each block becomes a window ``tail(prev) + block + head(next)``; a
detection is kept only if it starts inside the block proper (the window's
core), so a match that straddles a boundary is seen whole in one window and
owned by exactly one. Only one block is held back, so memory stays bounded by
the block size whatever the item size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from contract.models import TextBlock

OVERLAP = 256  # longer than any identifier, address or context reach


@dataclass
class Window:
    """Text to analyse; detections starting in [core_start, core_end) belong to it."""

    text: str
    core_start: int
    core_end: int
    offset: int  # offset of text[0] in the container's extracted text
    line: int  # line of text[0]
    container: str
    hint: str
    _cursor: tuple[int, int] = field(default=(0, 0), repr=False)  # a position, and newlines before it

    def line_of(self, position: int) -> int:
        """1-based line of a position in this window. Positions are asked in order (spans come
        sorted), so each lookup counts, in C, only the newlines since the one before."""
        at, newlines = self._cursor
        if position < at:
            at, newlines = 0, 0
        newlines += self.text.count("\n", at, position)
        self._cursor = (position, newlines)
        return self.line + newlines


def _contiguous(a: TextBlock, b: TextBlock) -> bool:
    return a.container == b.container and b.offset == a.offset + len(a.text)


def windows(blocks: Iterable[TextBlock], overlap: int = OVERLAP) -> Iterator[Window]:
    """Windows over a sequence of text blocks (see module docstring)."""
    prev: TextBlock | None = None
    pending: TextBlock | None = None
    for block in blocks:
        if pending is not None:
            nxt = block if _contiguous(pending, block) else None
            yield _window(prev, pending, nxt, overlap)
            prev = pending if nxt is not None else None
        pending = block
    if pending is not None:
        yield _window(prev, pending, None, overlap)


def _window(prev: TextBlock | None, cur: TextBlock, nxt: TextBlock | None, overlap: int) -> Window:
    tail = prev.text[-overlap:] if prev is not None and _contiguous(prev, cur) else ""
    head = nxt.text[:overlap] if nxt is not None else ""
    line = cur.line - tail.count("\n")
    return Window(tail + cur.text + head, len(tail), len(tail) + len(cur.text), cur.offset - len(tail),
                  line, cur.container, cur.hint)
