"""OCR throughput: pages per second per core through piisweep's extractor (Tesseract via tesserocr).

``python bench/ocr.py [--pages 6] [--languages eng] [--compare]`` renders A4 pages at 300 dpi
(a letter of 30 lines: names, addresses, numbers, prose) with Pillow, then extracts them the
way a scan does, in this one process (one core; Tesseract uses one thread):

1. a multi-page fax TIFF (1-bit, Group 4) of ``--pages`` pages;
2. an image-only PDF of the same pages (each page rendered back at 300 dpi, then OCR);
3. a phone photo (3000 x 2000 JPEG) that ``--ocr auto`` skips: the cost of saying no.

Reported per page: CPU seconds (user + system of this process, what a core spends) and
pages per CPU second, i.e. pages per second per core. ``--compare`` also times the same
page through pytesseract (the ``tesseract`` program per image, children's CPU counted), the
binding piisweep does not use (pip install pytesseract to run it).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from contract.models import Item, TextBlock  # noqa: E402
from scanner.extract import ExtractLimits, Unsupported, extract  # noqa: E402

LINES = [
    "Dear Mr Robert Smith,", "Flat 4, 27 Westbourne Grove, London W2 4UA",
    "Re: your claim of 14 March 2024, policy number PX-2291-4410",
    "Thank you for your letter. We have reviewed the documents you sent and",
    "can confirm that the payment will be made to the account ending 4410.",
    "Email: robert.smith@example.co.uk   Telephone: 020 7946 0958",
    "Date of birth: 02/11/1967   NI number: AB 12 34 56 C",
]


def a4_page(number: int) -> Image.Image:
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=42)
    for i in range(30):
        draw.text((180, 220 + 100 * i), f"{LINES[(i + number) % len(LINES)]}", font=font, fill=0)
    return image


def cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed_extract(data: bytes, name: str, limits: ExtractLimits) -> tuple[float, int, str]:
    """CPU seconds, characters of text, and a skip reason (or "") for one file."""
    start = cpu()
    chars, reason = 0, ""
    try:
        for block in extract(io.BytesIO(data), Item(uri=f"file:///{name}", path=name, size=len(data)), None, limits):
            if isinstance(block, TextBlock):
                chars += len(block.text)
    except Unsupported as exc:
        reason = str(exc)
    return cpu() - start, chars, reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--languages", default="eng")
    parser.add_argument("--compare", action="store_true", help="also time pytesseract on one page")
    args = parser.parse_args()
    limits = ExtractLimits(ocr_languages=args.languages)
    pages = [a4_page(n) for n in range(args.pages)]
    warm = io.BytesIO()
    pages[0].convert("1").save(warm, "TIFF", compression="group4")
    timed_extract(warm.getvalue(), "warm.tif", limits)  # loads the language model once, as a worker does

    fax = io.BytesIO()
    pages[0].convert("1").save(fax, "TIFF", save_all=True, append_images=[p.convert("1") for p in pages[1:]],
                               compression="group4")
    pdf = io.BytesIO()
    pages[0].save(pdf, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    photo = io.BytesIO()
    noise = Image.effect_noise((3000, 2000), 60).filter(ImageFilter.GaussianBlur(3))
    Image.merge("RGB", (noise, Image.radial_gradient("L").resize((3000, 2000)), noise)).save(photo, "JPEG")

    print(f"OCR throughput, {args.pages} A4 pages at 300 dpi, languages {args.languages}, one core")
    print(f"{'input':<28}{'CPU s/page':>12}{'pages/s/core':>14}{'chars/page':>12}")
    for label, data, name, count in (("fax TIFF (G4)", fax.getvalue(), "fax.tif", args.pages),
                                     ("image-only PDF", pdf.getvalue(), "scan.pdf", args.pages),
                                     ("photo, skipped by auto", photo.getvalue(), "photo.jpg", 1)):
        seconds, chars, reason = timed_extract(data, name, limits)
        per_page = seconds / count
        print(f"{label:<28}{per_page:>12.3f}{1 / per_page if per_page else float('inf'):>14.2f}"
              f"{chars // count:>12}" + (f"  ({reason})" if reason else ""))
    if args.compare:
        import pytesseract
        import tesserocr

        from scanner.extract import ocr

        api = ocr.engine(args.languages)
        for label, image in (("A4 page", pages[0]), ("ID-card crop 1000x640", pages[0].crop((0, 0, 1000, 640)))):
            start = cpu()
            for _ in range(3):
                api.SetImage(image)
                api.GetUTF8Text()
            ours = (cpu() - start) / 3
            start = cpu()
            for _ in range(3):
                pytesseract.image_to_string(image, lang=args.languages)
            theirs = (cpu() - start) / 3
            print(f"{label}: tesserocr {ours:.3f} s CPU, pytesseract {theirs:.3f} s CPU "
                  f"({theirs / ours:.1f}x; tesserocr {tesserocr.tesseract_version().split()[1]})")


if __name__ == "__main__":
    main()
