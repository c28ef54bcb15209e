"""Images (PNG, JPEG, TIFF with its pages, GIF, BMP, WebP) read by OCR.

With ``--ocr auto`` (the default) only images that look like documents are
read: big enough to hold text, with a uniform background and dark marks on it
(scans, faxes, screenshots). Photos fail that test on a thumbnail decoded at
a fraction of the cost of OCR, and are skipped with a reason. ``--ocr all``
reads every image; ``--ocr off`` none. An image's size is checked from its
header before it is decoded, so a decompression bomb is never expanded.

A multi-page TIFF (a fax) gives one container per page, "page N"; a page over
the OCR time limit becomes an error event for that page while the others are
read. Other images are read as the item itself.
"""

from __future__ import annotations

from typing import Iterator

from PIL import Image, ImageSequence, UnidentifiedImageError

from contract.models import ERROR, Block, MemberEvent

from . import ocr
from .base import Context, ExtractError, Source, Unsupported, join, seekable_stream
from .blocks import text_blocks

MIN_SIDE = 200  # pixels: smaller images (icons, logos, avatars) hold no readable page of text
MIN_PIXELS = 150_000
_THUMBNAIL = 400  # pixels: the longest side of the image the document test looks at
_BACKGROUND_SHARE = 0.45  # a page is mostly its background (paper or screen)
_INK_SHARE = (0.002, 0.5)  # and has some marks far from it, but not everywhere
_INK_DISTANCE = 80  # grey levels between the background and a mark


def extract_image(src: Source, ctx: Context) -> Iterator[Block]:
    """The OCR text of the image (each page of a TIFF), or a skip that says why it was not read."""
    limits = ctx.limits
    if limits.ocr == "off":
        raise Unsupported("image not read: OCR is off (--ocr off)")
    stream, held = seekable_stream(src, ctx, "image")
    with ctx.holding(held, "image"):
        image = _open(stream, limits.max_image_pixels)
        if limits.ocr == "auto":
            reason = not_a_document(image)
            if reason:
                raise Unsupported(f"{reason} (--ocr all reads every image)")
            stream.seek(0)
            image = _open(stream, limits.max_image_pixels)  # the test decoded a reduced draft
        ocr.engine(limits.ocr_languages)  # skip, named, before decoding anything when OCR is missing
        pages = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
        for number, page in enumerate(ImageSequence.Iterator(image), 1):
            if number > pages:
                break
            container = join(src.container, f"page {number}") if pages > 1 else src.container
            try:
                text = ocr.recognise(_decoded(page), limits.ocr_languages, limits.ocr_page_seconds)
            except ocr.OcrTimeout as exc:
                if pages == 1:
                    raise
                yield MemberEvent(container, ERROR, str(exc))
                continue
            yield from text_blocks([text], container, limits.block_chars, None)


def _open(stream, max_pixels: int) -> Image.Image:
    """The image with its header read and its size checked; pixels are decoded later."""
    try:
        image = Image.open(stream)
    except Image.DecompressionBombError:  # Pillow's own bound, above twice its default pixel limit
        image = None
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ExtractError(f"corrupt image ({type(exc).__name__})") from exc
    width, height = image.size if image is not None else (max_pixels, max_pixels)
    if width * height > max_pixels:
        raise Unsupported(f"image larger than {max_pixels // 1_000_000} megapixels not read")
    return image


def _decoded(page: Image.Image) -> Image.Image:
    try:
        page.load()
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's errors on truncated or bad data
        raise ExtractError(f"corrupt image ({type(exc).__name__})") from exc
    return page


def not_a_document(image: Image.Image) -> str | None:
    """Why ``image`` does not look like a page of text, or None when it does.

    Decodes a reduced draft (JPEG decodes at 1/8 scale) into a grey thumbnail;
    ``image`` must not be used for OCR afterwards.
    """
    width, height = image.size
    if min(width, height) < MIN_SIDE or width * height < MIN_PIXELS:
        return f"image too small to hold a page of text ({width}x{height})"
    image.draft("L", (_THUMBNAIL, _THUMBNAIL))
    try:
        grey = image.convert("L")
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractError(f"corrupt image ({type(exc).__name__})") from exc
    grey.thumbnail((_THUMBNAIL, _THUMBNAIL))
    histogram = grey.histogram()
    total = sum(histogram)
    bins = [sum(histogram[i:i + 32]) for i in range(0, 256, 32)]
    top = max(range(8), key=bins.__getitem__)
    if bins[top] < _BACKGROUND_SHARE * total:
        return "image looks like a photo, not a document"
    centre = top * 32 + 16
    ink = sum(n for level, n in enumerate(histogram) if abs(level - centre) > _INK_DISTANCE) / total
    if not _INK_SHARE[0] <= ink <= _INK_SHARE[1]:
        return "image looks like a photo, not a document" if ink > _INK_SHARE[1] else "image holds no marks to read"
    return None
