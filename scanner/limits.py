"""What one item may cost to extract: the user-facing bounds against hostile files.

Apart from :mod:`scanner.extract`, which re-exports it, so that the scan's own process
can hold the options it sends to workers without importing every format handler and
encoding detector (tens of milliseconds of a rescan that extracts nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

#: --ocr modes: images that look like documents and PDF pages without text | never | every image too
OCR_MODES = ("auto", "off", "all")


@dataclass(frozen=True)
class ExtractLimits:
    """Bounds on what one item may cost, so that hostile files cannot exhaust a worker."""

    max_depth: int = 4  # nested archives/attachments
    max_expanded_bytes: int = 1 << 30  # total decompressed bytes per item
    max_members: int = 20_000  # per item, all levels
    max_ratio: float = 200.0  # decompressed/compressed per member (zip bomb)
    max_in_memory: int = 256 << 20  # formats that need the whole file in memory
    block_chars: int = 256 * 1024  # max chars per TextBlock
    sample_rows: int = 1000  # values sampled per column
    ocr: str = "auto"  # one of OCR_MODES
    ocr_languages: str = "eng"  # Tesseract language codes joined by "+" (eng+fra)
    ocr_page_seconds: float = 60.0  # OCR time limit per image or PDF page
    max_image_pixels: int = 80_000_000  # larger images are not decoded (decompression bombs)
