"""Content sniffing, and what is skipped on purpose."""

from __future__ import annotations

import gzip
import io
import sqlite3
import tarfile

import pytest

from scanner.extract import Unsupported, sniff

from .builders import docx_bytes, eml_bytes, pdf_bytes, pptx_bytes, xls_bytes, xlsx_bytes, zip_bytes
from .helpers import run


def _tar() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("a.txt")
        info.size = 1
        tf.addfile(info, io.BytesIO(b"x"))
    return buf.getvalue()


def _sqlite(tmp_path) -> bytes:
    path = tmp_path / "s.db"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.commit()
    return path.read_bytes()


def test_content_wins_over_extension(tmp_path):
    cases = {
        "pdf": pdf_bytes(["x"]),
        "docx": docx_bytes(["x"]),
        "pptx": pptx_bytes(["x"]),
        "xlsx": xlsx_bytes({"S": [["a"]]}),
        "zip": zip_bytes({"a.txt": b"x"}),
        "tar": _tar(),
        "gzip": gzip.compress(b"x"),
        "sqlite": _sqlite(tmp_path),
        "eml": eml_bytes(),
        "json": b'[{"a": 1}]',
        "xml": b'<?xml version="1.0"?><a>x</a>',
        "html": b"<!doctype html><html><body>x</body></html>",
        "csv": b"a,b,c\n1,2,3\n4,5,6\n",
        "text": b"Just a note to Jane.\n",
    }
    for expected, head in cases.items():
        assert sniff(head, "misleading.txt") == expected, expected
        assert sniff(head, "misleading.bin") == expected, expected


def test_extension_breaks_ties():
    assert sniff(xls_bytes([["a"]]), "book.xls") == "xls"
    assert sniff(xls_bytes([["a"]]), "book.doc") == "ole2"
    assert sniff(b"name\nJane\n", "people.csv") == "csv"
    assert sniff(b"name\nJane\n", "people.txt") == "text"
    assert sniff(b"MZ is how my notes start\n", "n.txt") == "text"  # printable magic in a text file


@pytest.mark.parametrize("head,fmt", [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "png"),
    (b"\xff\xd8\xff\xe0" + bytes(64), "jpeg"),
    (b"7z\xbc\xaf\x27\x1c" + bytes(64), "7z"),
    (b"Rar!\x1a\x07\x00" + bytes(64), "rar"),
    (b"!BDN" + bytes(64), "pst"),
    (b"{\\rtf1\\ansi Hello}", "rtf"),
    (b"BM" + bytes(64), "bmp"),
])
def test_formats_read_since_they_hold_text(head, fmt):
    assert sniff(head, "file.bin") == fmt


@pytest.mark.parametrize("head,fmt", [
    (b"MZ\x90\x00" + bytes(64), "exe"),
    (b"\x7fELF\x02\x01" + bytes(64), "elf"),
    (b"ID3\x04\x00" + bytes(64), "mp3"),
    (bytes(range(256)) * 4, "binary"),
])
def test_binary_formats_are_unsupported(head, fmt):
    assert sniff(head, "file.txt") == fmt
    with pytest.raises(Unsupported, match=f"^binary format not scanned: {fmt}$"):
        run(head, "file.txt")
