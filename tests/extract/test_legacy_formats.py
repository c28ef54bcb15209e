"""Word and PowerPoint 97-2003 (public samples), OLE2 routing, RTF and EPUB (generated)."""

from __future__ import annotations

import os
import zipfile

import pytest

from contract.models import PROSE
from scanner.extract import ExtractError

from .builders import xls_bytes, zip_bytes
from .helpers import columns, events, run, texts

PUBLIC = os.path.join(os.path.dirname(__file__), "..", "data", "public")


def public(name: str) -> bytes:
    with open(os.path.join(PUBLIC, name), "rb") as fh:
        return fh.read()


def test_word_97_body_table_and_headings():
    fmt, blocks = run(public("testWORD.doc"), "report.doc")
    assert fmt == "ole2"
    text = texts(blocks)
    assert "This is a sample Microsoft Word Document." in text
    assert "Sample Word Document Title" in text
    assert {b.hint for b in blocks} == {PROSE}


def test_word_footnotes_comments_and_unicode():
    text = texts(run(public("testWORD_various.doc"), "various.doc")[1])
    assert "Footnote appears here" in text and "Row 2 Col 3" in text
    assert "ゾルゲと尾崎" in text  # UTF-16 pieces
    assert "HYPERLINK" not in text  # field codes are instructions, not text
    assert "Here is a comment" in texts(run(public("testComment.doc"), "c.doc")[1])


def test_word_6_document():
    assert texts(run(public("testWORD6.doc"), "old.doc")[1]) == "The quick brown fox jumps over the lazy dog\n"


def test_encrypted_word_and_powerpoint_are_errors():
    with pytest.raises(ExtractError, match="^encrypted Word document$"):
        run(public("testWORD_protected_passtika.doc"), "secret.doc")
    with pytest.raises(ExtractError, match="^encrypted PowerPoint presentation$"):
        run(public("testPPT_protected_passtika.ppt"), "secret.ppt")


def test_powerpoint_97_slides():
    fmt, blocks = run(public("testPPT.ppt"), "deck.ppt")
    assert fmt == "ole2"
    assert "Sample Powerpoint Slide" in texts(blocks)


def test_an_ole2_workbook_is_a_workbook_whatever_its_name():
    blocks = run(xls_bytes([["name", "email"], ["Jane", "jane@example.com"]]), "book.doc")[1]
    assert columns(blocks)[("Sheet1", "email")].values == ["jane@example.com"]


def test_a_doc_inside_a_zip_is_read_in_memory():
    blocks = run(zip_bytes({"old/report.doc": public("testWORD.doc")}), "old.zip")[1]
    assert "sample Microsoft Word Document" in texts(blocks, "old/report.doc")
    assert events(blocks)["old/report.doc"].status == "scanned"


def test_corrupt_ole2_is_an_error():
    data = public("testWORD.doc")[:3000]
    with pytest.raises(ExtractError, match="corrupt"):
        run(data, "cut.doc")


RTF = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}{\*\generator Writer;}"
       rb"\pard Patient: Ren\'e9e M\'fcller\par Email: renee.muller@example.com\par"
       rb"{\pict\pngblip 89504e470d0a1a0a}Phone \u8364? 020 7946 0958\par}")


def test_rtf_text_with_code_page_and_unicode_escapes():
    fmt, blocks = run(RTF, "letter.rtf")
    assert fmt == "rtf"
    text = texts(blocks)
    assert "Patient: Renée Müller" in text and "renee.muller@example.com" in text
    assert "Phone € 020 7946 0958" in text
    assert "89504e47" not in text and "Times" not in text  # pictures and font tables are not text


def epub_bytes(chapters: dict[str, str], encrypted: bool = False) -> bytes:
    """An EPUB: mimetype first (stored), container, package document, XHTML chapters."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", '<container><rootfiles><rootfile full-path="OEBPS/book.opf"/>'
                                              '</rootfiles></container>')
        if encrypted:
            zf.writestr("META-INF/encryption.xml", '<encryption><EncryptedData><CipherData>'
                                                   '<CipherReference URI="OEBPS/ch1.xhtml"/></CipherData>'
                                                   '</EncryptedData></encryption>')
        zf.writestr("OEBPS/book.opf", "<package><metadata><title>Records</title></metadata></package>")
        for name, body in chapters.items():
            zf.writestr(f"OEBPS/{name}", f'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
                                         f"<body><p>{body}</p></body></html>")
    return buf.getvalue()


def test_epub_chapters_are_containers():
    fmt, blocks = run(epub_bytes({"ch1.xhtml": "Jane Doe was born in Leeds.", "ch2.xhtml": "Call 020 7946 0958."}),
                      "memoir.epub")
    assert fmt == "epub"
    assert texts(blocks, "OEBPS/ch1.xhtml") == "Jane Doe was born in Leeds.\n"
    assert texts(blocks, "OEBPS/ch2.xhtml") == "Call 020 7946 0958.\n"
    assert "Records" not in texts(blocks)  # the package document is metadata


def test_drm_epub_is_an_error():
    with pytest.raises(ExtractError, match="encrypted"):
        run(epub_bytes({"ch1.xhtml": "x"}, encrypted=True), "locked.epub")
