"""Item 3: tiny workbooks whose sheets span millions of cells.

calamine lays a sheet out as a dense grid from its first to its last cell: a
1.9 KB XLSX holding A1 and XFD4000 took 2.1 GB in one worker. Each workbook is
built here, extracted in a child process, and must end as an error naming the
sheet's size, with the child's peak memory bounded.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from tests.cli import ROOT
from tests.extract.builders import xlsx_bytes
from scanner.extract.base import ExtractError
from tests.extract.helpers import run

PEAK_MB = 400  # the worker's own imports included; the bombs below took 1-2.5 GB

_CT = ('<?xml version="1.0" encoding="UTF-8"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
         'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
         'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                  'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  'Target="worksheets/sheet1.xml"/></Relationships>')


def sparse_xlsx(sheet_data: str, dimension: str = "") -> bytes:
    """A minimal XLSX whose one sheet holds ``sheet_data`` (the <sheetData> content)."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'{dimension}<sheetData>{sheet_data}</sheetData></worksheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/worksheets/sheet1.xml", sheet)):
            zf.writestr(name, text)
    return buf.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def a1_and(far: str, row: int) -> bytes:
    return sparse_xlsx(f'<row r="1">{_cell("A1", "x")}</row><row r="{row}">{_cell(far, "y")}</row>')


_ODS_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                 '<manifest:file-entry manifest:full-path="/" '
                 'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                 '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                 '</manifest:manifest>')


def ods_bytes(table: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="S">{table}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _ods_cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p></table:table-cell>'


def xls_far_cell() -> bytes:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("S")
    ws.write(0, 0, "x")
    ws.write(65535, 255, "y")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CHILD = """
import sys
from scanner.extract import extract
from contract.models import Item
path, name = sys.argv[1], sys.argv[2]
with open(path, "rb") as fh:
    try:
        blocks = list(extract(fh, Item(uri="file://x", path=name, size=None), f"/proc/self/fd/{fh.fileno()}"))
        print("scanned")
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}")
# VmHWM: this process's own peak (ru_maxrss starts at the parent's peak when forked)
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) // 1024)
"""


def extract_in_child(tmp_path, data: bytes, name: str) -> tuple[str, int]:
    """(outcome, peak RSS in MB) of extracting ``data`` in place in a fresh process."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), name], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome, peak = done.stdout.strip().splitlines()
    return outcome, int(peak)


@pytest.mark.parametrize("name, build, cells", [
    ("a1-xfd4000.xlsx", lambda: a1_and("XFD4000", 4000), 16384 * 4000),
    ("a1-xfd1048576.xlsx", lambda: a1_and("XFD1048576", 1048576), 16384 * 1048576),
    ("declared.xlsx", lambda: sparse_xlsx(_cell("A1", "x"), '<dimension ref="A1:XFD1048576"/>'), 16384 * 1048576),
    ("no-refs.xlsx", lambda: sparse_xlsx('<row r="1048576">' + "<c t=\"inlineStr\"><is><t>x</t></is></c>" * 20
                                         + "</row>"), 1048576 * 20),
    ("repeats.ods", lambda: ods_bytes('<table:table-row table:number-rows-repeated="20000">'
                                      + _ods_cell("x", 1000) + "</table:table-row>"), 20000 * 1000),
    ("far.xls", xls_far_cell, 65536 * 256),
])
def test_sparse_sheet_bomb_is_an_error_with_memory_bounded(tmp_path, name, build, cells):
    data = build()
    assert len(data) < 8000
    outcome, peak = extract_in_child(tmp_path, data, name)
    assert outcome == (f"ExtractError: a sheet of {cells:,} cells too large to open in memory (limit 256 MiB)")
    assert peak < PEAK_MB, f"peak RSS {peak} MB"


@pytest.mark.parametrize("far_cell", [
    '<c\nr="XFD4000" t="inlineStr"><is><t>y</t></is></c>',  # a line break, not a blank, after the name
    "<c r='XFD4000' t=\"inlineStr\"><is><t>y</t></is></c>",  # single quotes
    '<c r="xfd4000" t="inlineStr"><is><t>y</t></is></c>',  # lower-case letters
    '<c t="inlineStr" r="XFD4000"><is><t>y</t></is></c>',  # the reference after another attribute
    '<c r = "XFD4000" t="inlineStr"><is><t>y</t></is></c>',  # blanks around "="
    '<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="XFD4000" t="inlineStr">'
    '<x:is><x:t>y</x:t></x:is></x:c>',  # a namespace prefix
])
def test_a_far_cell_written_in_any_form_calamine_reads_is_measured(far_cell):
    # each form places the cell at XFD4000 for calamine; measured as if plain, it was missed
    data = sparse_xlsx(f'<row r="1">{_cell("A1", "x")}</row><row r="4000">{far_cell}</row>')
    with pytest.raises(ExtractError, match="a sheet of 65,536,000 cells too large"):
        run(data, "odd.xlsx")


def test_cells_out_of_order_are_all_measured():
    # each cell lies beyond the one before, and the part's last cell is A1: every reference
    # must be read, however many there are before the far one
    from scanner.extract.sheet_bounds import column_letters

    diagonal = "".join(_cell(f"{column_letters(i).decode()}{i}", "x") for i in range(1, 41))
    data = sparse_xlsx(f'<row r="1">{diagonal}{_cell("XFD4000", "y")}{_cell("A1", "z")}</row>')
    with pytest.raises(ExtractError, match="a sheet of 65,536,000 cells too large"):
        run(data, "diagonal.xlsx")


def test_the_1_9_kb_workbook_from_the_issue(tmp_path):
    data = a1_and("XFD4000", 4000)
    assert 1400 < len(data) < 2000
    outcome, peak = extract_in_child(tmp_path, data, "bomb.xlsx")
    assert outcome.startswith("ExtractError: a sheet of 65,536,000 cells") and peak < PEAK_MB


def test_ordinary_workbooks_are_still_read(tmp_path):
    book = xlsx_bytes({"Staff": [["name", "email"]] + [[f"Person {i}", f"p{i}@example.com"] for i in range(50)]})
    outcome, _ = extract_in_child(tmp_path, book, "staff.xlsx")
    assert outcome == "scanned"
    # LibreOffice ends every table with empty rows repeated to the sheet's last row: no room taken
    ods = ods_bytes("<table:table-row>" + _ods_cell("email") + "</table:table-row><table:table-row>"
                    + _ods_cell("a@example.com") + '<table:table-cell table:number-columns-repeated="1023"/>'
                    + '</table:table-row><table:table-row table:number-rows-repeated="1048574">'
                    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    fmt, blocks = run(ods, "list.ods")
    assert fmt == "ods" and any(getattr(b, "values", None) == ["a@example.com"] for b in blocks)
