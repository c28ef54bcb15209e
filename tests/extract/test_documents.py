"""DOCX, PPTX, PDF and workbooks (XLSX, XLS)."""

from __future__ import annotations

import io
import zipfile

import pytest

from scanner.extract import ExtractError
from contract.models import PROSE, ColumnBlock, TextBlock

from .builders import docx_bytes, encrypted_pdf_bytes, pdf_bytes, pptx_bytes, xls_bytes, xlsx_bytes
from .helpers import columns, run, texts


def test_docx_paragraphs_table_and_header():
    data = docx_bytes(
        ["Employee record for Jane Doe.", "Her manager is Bob Smith."],
        table=[["Name", "Email"], ["Jane Doe", "jane@example.com"]],
        header="Confidential - HR",
    )
    fmt, blocks = run(data, "record.docx")
    assert fmt == "docx"
    assert texts(blocks, "") == (
        "Employee record for Jane Doe.\nHer manager is Bob Smith.\nName\tEmail\nJane Doe\tjane@example.com\n"
    )
    assert texts(blocks, "header1") == "Confidential - HR\n"
    assert {b.hint for b in blocks} == {PROSE}


def test_docx_named_zip_is_sniffed_by_content():
    fmt, blocks = run(docx_bytes(["Jane Doe lives in Leeds."]), "backup.zip")
    assert fmt == "docx"
    assert texts(blocks, "") == "Jane Doe lives in Leeds.\n"


def test_pptx_slides_are_containers():
    fmt, blocks = run(pptx_bytes(["Welcome Jane Doe", "Call 020 7946 0958"]), "deck.pptx")
    assert fmt == "pptx"
    assert texts(blocks, "slide 1") == "Welcome Jane Doe\n"
    assert texts(blocks, "slide 2") == "Call 020 7946 0958\n"


def test_pdf_pages(tmp_path):
    data = pdf_bytes(["Patient: Jane Doe, NHS number 943 476 5919.", "Second page mentions Bob Smith."])
    for fd_path in (None, tmp_path / "scan.pdf"):
        if fd_path:
            fd_path.write_bytes(data)
        fmt, blocks = run(data, "scan.pdf", fd_path=str(fd_path) if fd_path else None)
        assert fmt == "pdf"
        assert [b.container for b in blocks] == ["page 1", "page 2"]
        assert "Jane Doe, NHS number 943 476 5919." in texts(blocks, "page 1")
        assert "Bob Smith" in texts(blocks, "page 2")
        assert all(isinstance(b, TextBlock) and b.hint == PROSE and b.offset == 0 for b in blocks)


def test_pdf_named_txt_is_sniffed_by_content():
    fmt, blocks = run(pdf_bytes(["Jane Doe"]), "notes.txt")
    assert fmt == "pdf"
    assert "Jane Doe" in texts(blocks)


def test_truncated_pdf_is_an_error():
    data = pdf_bytes(["Jane Doe " * 50, "more"])
    with pytest.raises(ExtractError, match="^corrupt PDF"):
        run(data[: len(data) * 2 // 3], "cut.pdf")


def test_encrypted_pdf_is_an_error():
    with pytest.raises(ExtractError, match="^encrypted PDF$"):
        run(encrypted_pdf_bytes("secret Jane"), "locked.pdf")


LONG_NOTE = "Customer Jane Doe phoned to say she moved to 12 High Street, Leeds, and wants paper statements."


def test_xlsx_sheets_headers_and_long_text():
    data = xlsx_bytes({
        "People": [["Name", "Email", "Age", "Notes"], ["Jane Doe", "jane@example.com", 41, LONG_NOTE],
                   ["Bob Smith", "bob@example.org", 37.0, None]],
        "Raw": [["x1", 3], ["x2", 4]],
    })
    fmt, blocks = run(data, "crm.xlsx")
    assert fmt == "xlsx"
    cols = columns(blocks)
    assert cols[("People", "Email")].values == ["jane@example.com", "bob@example.org"]
    assert cols[("People", "Age")].values == ["41", "37"]
    assert cols[("People", "Name")].total_rows == 2
    raw = sorted((b for b in blocks if isinstance(b, ColumnBlock) and b.container == "Raw"), key=lambda b: b.column_index)
    assert [(c.header, c.values) for c in raw] == [("", ["x1", "x2"]), ("", ["3", "4"])]
    assert texts(blocks, "People") == f"D2: {LONG_NOTE}\n"


def test_xls_workbook():
    data = xls_bytes([["Name", "Phone"], ["Jane Doe", "020 7946 0958"]], sheet="Contacts")
    for name in ("old.xls", "old.bin"):
        fmt, blocks = run(data, name)
        assert columns(blocks)[("Contacts", "Phone")].values == ["020 7946 0958"]


def test_corrupt_xlsx_is_an_error():
    data = xlsx_bytes({"S": [["a", "b"], [1, 2]]})
    with pytest.raises(ExtractError, match="corrupt"):
        run(data[: len(data) // 2], "broken.xlsx")


def test_odt_paragraphs():
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:h>Minutes</text:h><text:p>Jane Doe <text:span>joined</text:span> late.</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    fmt, blocks = run(buf.getvalue(), "minutes.bin")
    assert fmt == "odt"
    assert texts(blocks, "") == "Minutes\nJane Doe joined late.\n"


def test_docx_data_table_becomes_columns_and_key_value_table_stays_text():
    import io

    from bench.fakedocs import docx_bytes
    from scanner.extract import extract
    from contract.models import ColumnBlock, Item, TextBlock

    data = docx_bytes(["Staff list"], [["Name", "BSN", "Device"], ["Jan Jansen", "264357000", "356938035643809"],
                                       ["Piet Bakker", "608361173", "490154203237518"]])
    blocks = list(extract(io.BytesIO(data), Item(uri="x", path="staff.docx")))
    columns = {b.header: b for b in blocks if isinstance(b, ColumnBlock)}
    assert set(columns) == {"Name", "BSN", "Device"}
    assert columns["BSN"].values == ["264357000", "608361173"] and columns["BSN"].total_rows == 2
    assert columns["BSN"].container == "table 1"
    assert "264357000" not in "".join(b.text for b in blocks if isinstance(b, TextBlock))

    pairs = docx_bytes(["x"], [["Field", "Value"], ["IBAN", "GB82 WEST 1234 5698 7654 32"]])
    blocks = list(extract(io.BytesIO(pairs), Item(uri="x", path="pairs.docx")))
    assert not any(isinstance(b, ColumnBlock) for b in blocks)
    assert "IBAN\tGB82 WEST 1234 5698 7654 32" in "".join(b.text for b in blocks if isinstance(b, TextBlock))
