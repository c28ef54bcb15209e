"""PDF through pypdfium2: the text layer of each page, OCR for pages that have none.

One container per page ("page N"). A page without a text layer that shows an
image (a scan, a fax) is rendered and read by OCR unless ``--ocr off``. No page
is passed over in silence: when OCR is off or not installed, such pages are
skipped events with the reason, and a PDF in which no page could be read is
skipped as a whole (never "scanned" with nothing read).
"""

from __future__ import annotations

from typing import Iterator

import pypdfium2
import pypdfium2.raw as pdfium_c

from contract.models import ERROR, PROSE, SKIPPED, Block, MemberEvent

from . import ocr
from .base import Context, ExtractError, Source, Unsupported, join, read_all
from .blocks import text_blocks

_FPDF_ERR_PASSWORD = 4
_OCR_DPI = 300


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


def extract_pdf(src: Source, ctx: Context) -> Iterator[Block]:
    """One or more PROSE blocks per page, container "page N" (1-based); OCR for scanned pages."""
    doc, held = _open(src, ctx)
    read, unread = 0, []  # pages read (text layer or OCR); (container, status, reason) of the others
    with ctx.holding(held, "PDF"):
        try:
            for index in range(len(doc)):
                container = join(src.container, f"page {index + 1}")
                page = doc[index]
                try:
                    textpage = page.get_textpage()
                    text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
                    textpage.close()
                    if text.strip():
                        read += 1
                        yield from text_blocks([text], container, ctx.limits.block_chars, PROSE)
                    elif _shows_image(page):
                        try:
                            text = _ocr_page(page, ctx)
                        except Unsupported as exc:
                            unread.append((container, SKIPPED, str(exc)))
                            continue
                        except ExtractError as exc:  # the page's OCR time limit
                            unread.append((container, ERROR, str(exc)))
                            continue
                        read += 1
                        yield from text_blocks([text], container, ctx.limits.block_chars, None)
                finally:
                    page.close()
        except pypdfium2.PdfiumError as exc:
            raise ExtractError(f"corrupt PDF: {exc}") from exc
        finally:
            doc.close()
    if unread and not read:
        statuses = {status for _, status, _ in unread}
        reason = f"no page has a text layer and none could be read by OCR: {unread[0][2]}"
        raise (ExtractError if statuses == {ERROR} else Unsupported)(reason)
    for container, status, reason in unread:
        yield MemberEvent(container, status, f"scanned page not read: {reason}")


def _shows_image(page: pypdfium2.PdfPage) -> bool:
    """A page without text that shows an image is a scan; one without either is blank."""
    return next(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)), None) is not None


def _ocr_page(page: pypdfium2.PdfPage, ctx: Context) -> str:
    """The page rendered at 300 dpi (less for huge pages, within max_image_pixels) and read by OCR."""
    if ctx.limits.ocr == "off":
        raise Unsupported("OCR is off (--ocr off)")
    ocr.engine(ctx.limits.ocr_languages)
    width, height = page.get_size()  # points
    scale = _OCR_DPI / 72
    pixels = width * height * scale * scale
    if pixels > ctx.limits.max_image_pixels:
        scale *= (ctx.limits.max_image_pixels / pixels) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_pil()
        return ocr.recognise(image, ctx.limits.ocr_languages, ctx.limits.ocr_page_seconds)
    finally:
        bitmap.close()
