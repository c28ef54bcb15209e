"""Extraction: one opened item (a read-only byte stream) to blocks, by content sniffing.

The engine calls :func:`extract` and iterates the returned :class:`Extraction`;
bytes are read lazily during iteration (only a head is read up front, to
sniff the format) and memory stays bounded whatever the item's size.

Errors: iteration raises :class:`Unsupported` (the item is skipped: binary
image, executable...) or :class:`ExtractError` (the item is an error: corrupt,
encrypted, over a limit), with a reason that never contains scanned content.
An item-wide limit (expanded bytes, member count) can raise after blocks were
already yielded; those blocks are valid. Inside archives and e-mails a failing
member never raises: it yields a MemberEvent with status error/skipped.

Archive members, attachments and SQLite tables each yield exactly one
:class:`~contract.models.MemberEvent`, after their own blocks. Container names
join nesting levels with "!" (``inner.zip!docs/a.docx``, ``report.pdf!page 2``,
``attachment:files.zip!a.docx``); a member's own path keeps its "/".
"""

from __future__ import annotations

import posixpath
from typing import BinaryIO, Iterator

from contract.models import Block, Item

from . import dispatch
from .base import LEVEL_SEP, Context, ExtractError, ExtractLimits, Source, Unsupported, read_head
from .sniff import sniff

__all__ = ["ExtractLimits", "Unsupported", "ExtractError", "Extraction", "sniff", "extract", "LEVEL_SEP",
           "check_handlers"]


def check_handlers() -> None:
    """Check that the libraries of every format handler are installed (handlers themselves are
    imported on their format's first item): a missing one then stops a worker at start-up,
    named, instead of turning every item of its format into an error."""
    dispatch.check_libraries()


class Extraction:
    """The blocks of one item, produced lazily; ``format`` is the sniffed format name.

    Iterate once: the underlying stream is consumed.
    """

    def __init__(self, src: Source, ctx: Context, fmt: str):
        self.format = fmt
        self._src = src
        self._ctx = ctx

    def __iter__(self) -> Iterator[Block]:
        return dispatch.run(self._src, self._ctx, self.format)


def extract(stream: BinaryIO, item: Item, fd_path: str | None = None,
            limits: ExtractLimits = ExtractLimits()) -> Extraction:
    """Sniff ``stream`` (content first, the item's file name as tie-breaker) and prepare its blocks.

    ``fd_path`` names the opened file itself (``/proc/self/fd/N``), never the path
    it was listed under: it lets formats whose library only takes a path (PDF,
    SQLite, workbooks) open that file in place instead of reading it into memory.
    """
    head, stream = read_head(stream)
    name = posixpath.basename(item.path.replace("\\", "/"))
    src = Source(stream, name, "", head, item.size, fd_path)
    return Extraction(src, Context(limits), sniff(head, name))
