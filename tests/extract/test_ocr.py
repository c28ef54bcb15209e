"""OCR (Tesseract through tesserocr): text rendered by Pillow into images and an image-only PDF
must be read back; photos, tiny and huge images are skipped with a reason; a scanned page that
cannot be read is never passed over in silence."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from contract.models import ERROR, SKIPPED
from scanner.extract import ExtractError, ExtractLimits, Unsupported
from scanner.extract.ocr import tessdata_dir

from .helpers import events, run, texts

REPO = __file__.rsplit("/tests/", 1)[0]
LINES = ["Patient: Jane Doe", "Email: jane.doe@example.com", "Phone: 020 7946 0958"]


def page(lines: list[str] = LINES, size: tuple[int, int] = (1400, 500)) -> Image.Image:
    """Black text on white, as a scanner or fax delivers a page."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    for i, line in enumerate(lines):
        draw.text((60, 60 + 80 * i), line, font=font, fill=0)
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def photo() -> Image.Image:
    """A smooth, colourful picture without text: what a phone camera mostly holds."""
    noise = Image.effect_noise((1600, 1200), 60).filter(ImageFilter.GaussianBlur(3))
    gradient = Image.radial_gradient("L").resize((1600, 1200))
    return Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))


@pytest.mark.parametrize("fmt,name,options", [
    ("PNG", "scan.png", {}), ("JPEG", "scan.jpg", {"quality": 85}), ("TIFF", "scan.tif", {}),
    ("GIF", "scan.gif", {}), ("BMP", "scan.bmp", {}), ("WEBP", "scan.webp", {"quality": 90}),
])
def test_planted_values_are_read_from_each_image_format(fmt, name, options):
    sniffed, blocks = run(encoded(page(), fmt, **options), name)
    assert sniffed == fmt.lower().replace("webp", "webp")
    text = texts(blocks, "")
    assert "jane.doe@example.com" in text and "020 7946 0958" in text and "Jane Doe" in text


def test_multipage_fax_tiff_has_a_container_per_page():
    first, second = page().convert("1"), page(["Fax for Bob Smith", "NI number: AB 12 34 56 C"]).convert("1")
    data = encoded(first, "TIFF", save_all=True, append_images=[second], compression="group4")
    fmt, blocks = run(data, "fax.tif")
    assert fmt == "tiff"
    assert "jane.doe@example.com" in texts(blocks, "page 1")
    assert "AB 12 34 56" in texts(blocks, "page 2")


def image_pdf(*images: Image.Image) -> bytes:
    """A PDF whose pages are only images (no text layer), as scanners write them."""
    return encoded(images[0], "PDF", resolution=150, save_all=True, append_images=list(images[1:]))


def test_image_only_pdf_pages_are_read_by_ocr():
    fmt, blocks = run(image_pdf(page(), page(["Contract of Bob Smith", "Phone: 020 7946 0123"])), "scan.pdf")
    assert fmt == "pdf"
    assert "jane.doe@example.com" in texts(blocks, "page 1")
    assert "Bob Smith" in texts(blocks, "page 2")


def test_image_only_pdf_with_ocr_off_is_skipped_not_scanned():
    with pytest.raises(Unsupported, match="no page has a text layer.*OCR is off"):
        run(image_pdf(page()), "scan.pdf", ExtractLimits(ocr="off"))


def test_unread_scanned_page_of_a_pdf_with_text_is_an_event():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Typed page: Jane Doe")
    pdf.add_page()
    pdf.image(page(), x=10, y=10, w=180)  # a scanned page pasted in
    pdf.add_page()  # a blank page: nothing to read, nothing to report
    blocks = run(bytes(pdf.output()), "mixed.pdf", ExtractLimits(ocr="off"))[1]
    assert texts(blocks, "page 1") == "Typed page: Jane Doe"
    ev = events(blocks)
    assert list(ev) == ["page 2"]
    assert ev["page 2"].status == SKIPPED and ev["page 2"].reason == "scanned page not read: OCR is off (--ocr off)"


def test_photos_tiny_and_huge_images_are_skipped_with_a_reason():
    with pytest.raises(Unsupported, match="looks like a photo"):
        run(encoded(photo(), "JPEG"), "holiday.jpg")
    with pytest.raises(Unsupported, match="too small"):
        run(encoded(page(size=(120, 80)), "PNG"), "icon.png")
    with pytest.raises(Unsupported, match="OCR is off"):
        run(encoded(page(), "PNG"), "scan.png", ExtractLimits(ocr="off"))
    # a PNG whose header claims 100,000 x 100,000 pixels is refused before any pixel is decoded
    data = bytearray(encoded(page(size=(300, 300)), "PNG"))
    struct.pack_into(">II", data, 16, 100_000, 100_000)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    with pytest.raises(Unsupported, match="larger than 80 megapixels"):
        run(bytes(data), "bomb.png")


def test_ocr_all_reads_a_photo_too():
    sniffed, blocks = run(encoded(photo(), "JPEG"), "holiday.jpg", ExtractLimits(ocr="all"))
    assert sniffed == "jpeg"  # read (whatever Tesseract makes of it), not skipped


def test_ocr_time_limit_per_page():
    big = page(LINES * 12, size=(2480, 3508))
    with pytest.raises(ExtractError, match=r"OCR time limit reached \(0.01 s per page\)"):
        run(encoded(big, "PNG"), "long.png", ExtractLimits(ocr_page_seconds=0.01))
    data = encoded(big.convert("1"), "TIFF", save_all=True, append_images=[big.convert("1")], compression="group4")
    ev = events(run(data, "fax.tif", ExtractLimits(ocr_page_seconds=0.01))[1])
    assert {k: v.status for k, v in ev.items()} == {"page 1": ERROR, "page 2": ERROR}


def test_corrupt_image_is_an_error():
    with pytest.raises(ExtractError, match="corrupt image"):
        run(encoded(page(), "PNG")[:3000], "cut.png")


MISSING_ENGINE_SCRIPT = """
import io, sys
from scanner.extract import extract, Unsupported
from contract.models import Item
data = open(sys.argv[1], "rb").read()
try:
    list(extract(io.BytesIO(data), Item(uri="file:///x", path=sys.argv[1])))
except Unsupported as exc:
    print(exc)
"""


def test_missing_ocr_engine_skips_with_a_reason(tmp_path):
    """A process that finds no Tesseract language data (TESSDATA_PREFIX names an empty folder)."""
    assert tessdata_dir() is not None, "this test needs Debian's tesseract-ocr-eng"
    empty = tmp_path / "no-tessdata"
    empty.mkdir()
    png, pdf = tmp_path / "scan.png", tmp_path / "scan.pdf"
    png.write_bytes(encoded(page(), "PNG"))
    pdf.write_bytes(image_pdf(page()))
    env = {**os.environ, "TESSDATA_PREFIX": str(empty)}
    for path in (png, pdf):
        done = subprocess.run([sys.executable, "-c", MISSING_ENGINE_SCRIPT, str(path)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        assert "OCR engine not installed" in done.stdout
