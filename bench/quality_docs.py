"""File writers for the quality corpus: one function per file format.

Generators in :mod:`bench.quality_corpus` produce content in two shapes —
paragraphs (prose and label lines) and tables (header + rows) — and these
writers render either shape in every format the scanner reads, so one letter
or one customer table can land as docx, pdf, odt, html, csv, xlsx, xls,
sqlite, json, xml, pptx or inside an archive.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import sqlite3
import tarfile
import zipfile
from xml.sax.saxutils import escape

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _ensure_dir(path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)


def write_text(path: str, paragraphs: list[str]) -> None:
    """Plain text (txt, log, config, md): paragraphs separated by blank lines."""
    _ensure_dir(path)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(paragraphs) + "\n")


def write_docx(path: str, paragraphs: list[str], title: str = "", table: tuple[list, list] | None = None) -> None:
    """A Word document with a heading, paragraphs and optionally one table."""
    import docx

    _ensure_dir(path)
    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    for para in paragraphs:
        document.add_paragraph(para)
    if table:
        header, rows = table
        grid = document.add_table(rows=1 + len(rows), cols=len(header))
        for r, row in enumerate([header] + rows):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = str(cell)
    document.save(path)


def write_pdf(path: str, paragraphs: list[str], title: str = "") -> None:
    """A PDF with a Unicode font (names with accents survive), one block per paragraph."""
    from fpdf import FPDF

    _ensure_dir(path)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", _FONT)
    if title:
        pdf.set_font("DejaVu", size=14)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    for para in paragraphs:
        for line in para.split("\n"):
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(path)


def write_odt(path: str, paragraphs: list[str], title: str = "") -> None:
    """A minimal OpenDocument text file (the zip layout LibreOffice writes)."""
    _ensure_dir(path)
    body = "".join(f"<text:p>{escape(p)}</text:p>" for p in ([title] if title else []) + paragraphs)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def write_html(path: str, paragraphs: list[str], title: str = "", table: tuple[list, list] | None = None) -> None:
    """An HTML page: heading, paragraphs and optionally a table."""
    _ensure_dir(path)
    parts = [f"<html><head><title>{html.escape(title)}</title></head><body>", f"<h1>{html.escape(title)}</h1>"]
    parts += [f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs]
    if table:
        header, rows = table
        parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(parts + ["</body></html>"]))


def write_pptx(path: str, slides: list[tuple[str, list[str]]]) -> None:
    """A PowerPoint deck of (title, bullet lines) slides."""
    from pptx import Presentation

    _ensure_dir(path)
    deck = Presentation()
    for title, lines in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        frame = slide.placeholders[1].text_frame
        frame.text = lines[0] if lines else ""
        for line in lines[1:]:
            frame.add_paragraph().text = line
    deck.save(path)


def table_csv(header: list[str], rows: list[list], delimiter: str = ",") -> str:
    """A table as delimited text."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_delimited(path: str, header: list[str], rows: list[list], delimiter: str = ",") -> None:
    """CSV or TSV."""
    _ensure_dir(path)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(table_csv(header, rows, delimiter))


def write_xlsx(path: str, sheets: dict[str, tuple[list, list]]) -> None:
    """An Excel workbook with one sheet per (header, rows) table."""
    import openpyxl

    _ensure_dir(path)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    book.save(path)


def write_xls(path: str, sheets: dict[str, tuple[list, list]]) -> None:
    """A legacy Excel 97 workbook."""
    import xlwt

    _ensure_dir(path)
    book = xlwt.Workbook()
    for name, (header, rows) in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate([header] + rows):
            for c, cell in enumerate(row):
                sheet.write(r, c, cell)
    book.save(path)


def write_sqlite(path: str, tables: dict[str, tuple[list, list]]) -> None:
    """A SQLite database with one text table per (header, rows)."""
    _ensure_dir(path)
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path)
    for name, (header, rows) in tables.items():
        con.execute(f'CREATE TABLE "{name}" ({", ".join(f"{h} TEXT" for h in header)})')
        con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in header)})',
                        [[str(c) for c in row] for row in rows])
    con.commit()
    con.close()


def write_json_records(path: str, header: list[str], rows: list[list]) -> None:
    """A JSON array of records (the scanner treats it as a table)."""
    _ensure_dir(path)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump([dict(zip(header, row)) for row in rows], fh, indent=2, ensure_ascii=False)


def write_json_doc(path: str, doc: dict) -> None:
    """Any JSON document (nested settings, one object)."""
    _ensure_dir(path)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)


def write_xml_records(path: str, root: str, record: str, header: list[str], rows: list[list]) -> None:
    """An XML export: one element per record, one child element per field."""
    _ensure_dir(path)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<{root}>"]
    for row in rows:
        lines.append(f"  <{record}>" + "".join(f"<{h}>{escape(str(v))}</{h}>" for h, v in zip(header, row))
                     + f"</{record}>")
    lines.append(f"</{root}>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def write_zip(path: str, members: dict[str, str]) -> None:
    """A zip archive of text members."""
    _ensure_dir(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)


def write_targz(path: str, members: dict[str, str]) -> None:
    """A gzip-compressed tar of text members."""
    _ensure_dir(path)
    with tarfile.open(path, "w:gz") as tf:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
