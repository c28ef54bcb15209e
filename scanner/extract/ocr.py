"""Optical character recognition of page images through Tesseract, in process (tesserocr).

tesserocr drives Tesseract's C++ API: the language model is loaded once per
worker process and pixels are handed over in memory. pytesseract, the other
binding, runs the ``tesseract`` program per image and passes the image and the
text through temporary files, which would put scanned personal data on disk;
it also cost 1.4-2.2 times the CPU per page here (bench/ocr.py --compare).

Tesseract itself uses one thread (OMP_THREAD_LIMIT=1): a scan already runs
one worker per core. The language data is Debian's (tesseract-ocr-eng and
friends), found in TESSDATA_PREFIX when it is set, else in the usual folders.
Without tesserocr or without the data, images are skipped with the reason
"OCR engine not installed", never an error.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .base import ExtractError, Unsupported

if TYPE_CHECKING:  # Pillow is imported by the handlers that decode images
    from PIL.Image import Image

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

NOT_INSTALLED = "OCR engine not installed"
_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                  "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")
_ENGINES: dict[str, object] = {}  # per language string, for the life of the worker process


class OcrTimeout(ExtractError):
    """Recognising one page took longer than its time limit."""


def tessdata_dir() -> str | None:
    """The folder holding Tesseract's language data (*.traineddata), or None."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = (prefix, os.path.join(prefix, "tessdata")) if prefix else _TESSDATA_DIRS
    for folder in candidates:
        if os.path.isdir(folder) and any(n.endswith(".traineddata") for n in os.listdir(folder)):
            return folder
    return None


def engine(languages: str):
    """The Tesseract engine of this process for ``languages`` ("eng+fra"), made on first use.

    Raises Unsupported ("OCR engine not installed ...") when tesserocr or the
    language data is missing, so that images are skipped with that reason.
    """
    found = _ENGINES.get(languages)
    if found is not None:
        return found
    try:
        import tesserocr
    except ImportError:
        raise Unsupported(f"{NOT_INSTALLED} (pip install 'piisweep[ocr]')") from None
    folder = tessdata_dir()
    if folder is None:
        raise Unsupported(f"{NOT_INSTALLED} (no Tesseract language data: apt install tesseract-ocr)")
    missing = [lang for lang in languages.split("+") if not os.path.exists(os.path.join(folder, f"{lang}.traineddata"))]
    if missing:
        raise Unsupported(f"{NOT_INSTALLED} for language {'+'.join(missing)} "
                          f"(apt install tesseract-ocr-{missing[0]})")
    # page segmentation "auto" (3), without orientation detection (which needs osd data)
    found = _ENGINES[languages] = tesserocr.PyTessBaseAPI(path=folder, lang=languages, psm=tesserocr.PSM.AUTO)
    return found


def recognise(image: "Image", languages: str, seconds: float) -> str:
    """The text Tesseract reads on one page image, within ``seconds`` (else OcrTimeout)."""
    api = engine(languages)
    # always a new image: tesserocr re-encodes an image that still has its file format (GIF,
    # TIFF) for Leptonica, which lacks some of them
    image = image.convert("RGB" if image.mode == "RGB" else "L")
    try:
        api.SetImage(image)
        if not api.Recognize(timeout=max(int(seconds * 1000), 1)):
            raise OcrTimeout(f"OCR time limit reached ({seconds:g} s per page)")
        return api.GetUTF8Text()
    finally:
        api.Clear()
