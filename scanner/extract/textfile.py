"""Plain text in any common encoding, streamed in bounded memory."""

from __future__ import annotations

from typing import Iterator

from contract.models import TextBlock

from .base import Context, Source
from .blocks import text_blocks
from .encoding import detect_encoding, iter_text


def extract_text(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """Decode incrementally (encoding guessed from the head) into blocks, prose or lines as
    their text tells when NER asks."""
    encoding = detect_encoding(src.head) or "cp1252"
    yield from text_blocks(iter_text(src.stream, encoding), src.container, ctx.limits.block_chars)
