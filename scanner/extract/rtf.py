"""Rich Text Format (.rtf, and the RTF bodies of Outlook messages) through striprtf.

RTF is 7-bit text with escapes; striprtf drops control words and the
destinations that hold no text a reader sees (pictures, font tables, styles)
and decodes \\'hh and \\uN escapes with the document's code page.
"""

from __future__ import annotations

import re
from typing import Iterator

from striprtf.striprtf import rtf_to_text

from contract.models import PROSE, TextBlock

from .base import Context, Source, read_all
from .blocks import text_blocks

_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


def rtf_plain_text(data: bytes) -> str:
    """The text of an RTF document; an unknown code page falls back to Windows-1252."""
    found = _CODE_PAGE.search(data[:4096])
    encoding = f"cp{int(found.group(1))}" if found else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    return rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")


def extract_rtf(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """The document's text as PROSE blocks."""
    data = read_all(src, ctx, "RTF document")
    with ctx.holding(len(data), "RTF document"):
        text = rtf_plain_text(data)
    yield from text_blocks([text], src.container, ctx.limits.block_chars, PROSE)
