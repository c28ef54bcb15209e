"""PDF text layer through pypdfium2: one container per page ("page N")."""

from __future__ import annotations

from typing import Iterator

import pypdfium2

from contract.models import PROSE, TextBlock

from .base import Context, ExtractError, Source, join, read_all
from .blocks import text_blocks

_FPDF_ERR_PASSWORD = 4


def _open(src: Source, ctx: Context) -> tuple[pypdfium2.PdfDocument, int]:
    if src.fd_path:
        target, held = src.fd_path, 0
    else:
        target = read_all(src, ctx, "PDF")
        held = len(target)
    tail = target[-2048:] if isinstance(target, bytes) else _tail(src.fd_path)
    try:
        doc = pypdfium2.PdfDocument(target)
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _FPDF_ERR_PASSWORD:
            raise ExtractError("encrypted PDF") from exc
        raise ExtractError(f"corrupt PDF: {exc}") from exc
    if b"%%EOF" not in tail:
        doc.close()  # pdfium repairs cut files silently; a missing trailer means pages are lost
        raise ExtractError("corrupt PDF: truncated (no end-of-file marker)")
    return doc, held


def _tail(path: str) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - 2048))
        return fh.read()


def extract_pdf(src: Source, ctx: Context) -> Iterator[TextBlock]:
    """One or more PROSE blocks per page, container "page N" (1-based)."""
    doc, held = _open(src, ctx)
    with ctx.holding(held, "PDF"):
        try:
            for index in range(len(doc)):
                page = doc[index]
                textpage = page.get_textpage()
                text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
                textpage.close()
                page.close()
                if text.strip():
                    yield from text_blocks([text], join(src.container, f"page {index + 1}"), ctx.limits.block_chars, PROSE)
        except pypdfium2.PdfiumError as exc:
            raise ExtractError(f"corrupt PDF: {exc}") from exc
        finally:
            doc.close()
