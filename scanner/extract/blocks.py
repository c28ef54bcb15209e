"""Cutting a stream of extracted text into TextBlocks with exact offsets and lines.

Every text-producing extractor feeds its text here, so the contract of
TextBlock (contiguous offsets within a container, 1-based line of the first
character, at most ``block_chars`` per block) is implemented once.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from contract.models import LINES, PROSE, TextBlock

_SENTENCE_END = re.compile(r"[a-z\)\]\"'][.!?](?:\s|$)")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_WORD = re.compile(r"[^\W\d_]{2,}")


def looks_like_prose(text: str) -> bool:
    """True for sentences written by people, false for logs, config and code.

    Prose has mostly letters, several words per line and sentence endings; a
    sample of the text is enough to tell.
    """
    sample = text[:8000]
    visible = len("".join(sample.split()))
    if visible < 40:
        return False
    if len(_NON_LETTERS.sub("", sample)) < 0.7 * visible:
        return False
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    words = len(_WORD.findall(sample))
    if not lines or words / len(lines) < 5:
        return False
    return len(_SENTENCE_END.findall(sample)) * 250 >= len(sample)


def block_hint(hint: str | None, text: str) -> str:
    """A block's hint, PROSE or LINES: as its extractor said, else by what its text looks like."""
    return hint or (PROSE if looks_like_prose(text) else LINES)


class TextSink:
    """Accumulates text of one container and hands out blocks of bounded size.

    ``hint`` is fixed (PROSE for documents) or None: the text tells, when it matters
    (:func:`block_hint`).
    """

    def __init__(self, container: str, block_chars: int, hint: str | None = None):
        self.container = container
        self.block_chars = max(block_chars, 1)
        self.hint = hint
        self._parts: list[str] = []
        self._pending = 0
        self._offset = 0
        self._line = 1

    def add(self, text: str) -> Iterator[TextBlock]:
        """Add text; yield the blocks that became full."""
        if not text:
            return
        self._parts.append(text)
        self._pending += len(text)
        if self._pending >= self.block_chars:
            buf = "".join(self._parts)
            while len(buf) >= self.block_chars:
                cut = buf.rfind("\n", self.block_chars // 2, self.block_chars) + 1 or self.block_chars
                yield self._block(buf[:cut])
                buf = buf[cut:]
            self._parts, self._pending = ([buf] if buf else []), len(buf)

    def flush(self) -> Iterator[TextBlock]:
        """Yield what is left as a last block."""
        buf = "".join(self._parts)
        self._parts, self._pending = [], 0
        while buf:
            cut = min(len(buf), self.block_chars)
            yield self._block(buf[:cut])
            buf = buf[cut:]

    def _block(self, text: str) -> TextBlock:
        block = TextBlock(text=text, offset=self._offset, line=self._line, container=self.container,
                          hint=self.hint)
        self._offset += len(text)
        self._line += text.count("\n")
        return block


def text_blocks(pieces: Iterable[str], container: str, block_chars: int, hint: str | None = None) -> Iterator[TextBlock]:
    """Blocks of one container from a stream of text pieces."""
    sink = TextSink(container, block_chars, hint)
    for piece in pieces:
        yield from sink.add(piece)
    yield from sink.flush()
