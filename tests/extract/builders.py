"""Fixture builders for the extractor tests: every file is generated, nothing is stored in git."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from email.message import EmailMessage

from bench.fakedocs import docx_bytes  # noqa: F401  (re-exported for the extract tests)
from contract.models import Item


def item(name: str, size: int | None = None) -> Item:
    """An Item for a file called ``name``."""
    return Item(uri=f"file:///data/{name}", path=name, size=size)


def pdf_bytes(pages: list[str]) -> bytes:
    """A PDF with one page per string (fpdf2, core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf_bytes(text: str) -> bytes:
    """A PDF that needs a user password to open."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-pw", user_password="user-pw")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 8, text)
    return bytes(pdf.output())



def png_bytes(width: int, height: int) -> bytes:
    """A blank white PNG of the given size (Pillow)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (width, height), 255).save(buf, "PNG")
    return buf.getvalue()


def pptx_bytes(slides: list[str]) -> bytes:
    """A PPTX with one text box per slide."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    for text in slides:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(2))
        box.text_frame.text = text
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX with the given sheets (openpyxl)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_bytes(rows: list[list], sheet: str = "Sheet1") -> bytes:
    """A legacy XLS workbook (xlwt)."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` (name -> content)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def set_encrypted_flag(data: bytes, member: str) -> bytes:
    """Mark ``member`` as encrypted (general purpose flag bit 0) in its local and central headers.

    zipfile cannot write encrypted members; the flag is what readers go by.
    """
    out = bytearray(data)
    name = member.encode()
    for signature, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        pos = out.find(signature)
        while pos != -1:
            length = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + name_at:pos + name_at + length]) == name:
                flags = struct.unpack_from("<H", out, pos + flag_at)[0]
                struct.pack_into("<H", out, pos + flag_at, flags | 0x1)
            pos = out.find(signature, pos + 4)
    return bytes(out)


def write_zip_bomb(path, expanded: int = 1 << 30, name: str = "bomb.txt") -> None:
    """Write a ~1 MB zip whose one member inflates to ``expanded`` bytes of the letter "a".

    The deflate stream is assembled from one sync-flushed block repeated (it is
    identical once the compressor reaches a steady state), so building it costs
    nothing like inflating it would. The CRC is not computed: a reader that
    honours its limits stops long before it could check it.
    """
    chunk = b"a" * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(chunk) + comp.flush(zlib.Z_SYNC_FLUSH)
    steady = comp.compress(chunk) + comp.flush(zlib.Z_SYNC_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    count = expanded // len(chunk)
    compressed = len(first) + len(steady) * (count - 1) + len(end)
    raw_name = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, compressed, expanded, len(raw_name), 0)
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, compressed, expanded,
                          len(raw_name), 0, 0, 0, 0, 0, 0)
    with open(path, "wb") as fh:
        fh.write(local + raw_name)
        fh.write(first)
        for _ in range(count - 1):
            fh.write(steady)
        fh.write(end)
        cd_offset = fh.tell()
        fh.write(central + raw_name)
        cd_size = fh.tell() - cd_offset
        fh.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, cd_size, cd_offset, 0))


def eml_bytes(attachments: dict[str, tuple[bytes, str]] | None = None, html: str | None = None) -> bytes:
    """An e-mail with fixed headers, a text body, an optional HTML body and attachments."""
    msg = EmailMessage()
    msg["From"] = "Jane Doe <jane.doe@example.com>"
    msg["To"] = "Bob Smith <bob@example.org>"
    msg["Cc"] = "carol@example.net"
    msg["Subject"] = "Quarterly report for Müller"
    msg["Date"] = "Tue, 05 Mar 2024 10:00:00 +0000"
    msg.set_content("Hello Bob,\n\nPlease call me on 020 7946 0958 about the report.\n\nJane\n")
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, (data, mime) in (attachments or {}).items():
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def rar_bytes(members: dict[str, bytes]) -> bytes:
    """A RAR 4 archive of stored (uncompressed) members, written to the format's specification.

    No free tool writes RAR; stored members are enough to carry other files (and bombs) in a
    RAR, and rarfile reads them without unar. Compressed RAR is tested on a public sample.
    """
    def block(head_type: int, flags: int, body: bytes) -> bytes:
        header = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header

    out = [b"Rar!\x1a\x07\x00", block(0x73, 0, bytes(6))]
    for name, data in members.items():
        raw_name = name.encode()
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 3, zlib.crc32(data), 0x5A000000, 20, 0x30,
                           len(raw_name), 0o100644 << 16) + raw_name
        out.append(block(0x74, 0x8000, body) + data)
    out.append(block(0x7B, 0x4000, b""))
    return b"".join(out)


def sevenzip_bytes(members: dict[str, bytes], password: str | None = None) -> bytes:
    """A 7z archive (py7zr, LZMA2; solid) of ``members``."""
    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password=password) as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return buf.getvalue()
