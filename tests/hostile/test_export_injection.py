"""Item 2: file names that spreadsheets read as formulas, in the data map exports."""

from __future__ import annotations

import csv

import openpyxl

from tests.cli import run_cli
from tests.hostile.helpers import quick_scan

NAMES = ['=HYPERLINK("http:__x","open").txt', "+1+cmd.txt", "@SUM(1+1).txt", "-2+3.txt", "\tTAB.txt"]


def _estate(tmp_path, names):
    root = tmp_path / "share"
    root.mkdir()
    for name in names:
        (root / name).write_text("Please write to jane.doe@example.com about it.\n")
    return root


def test_csv_cells_that_start_a_formula_get_a_leading_quote(tmp_path):
    scan_dir = quick_scan(_estate(tmp_path, NAMES), tmp_path / "out")
    out = tmp_path / "map.csv"
    done = run_cli(["datamap", str(scan_dir), "--format", "csv", "-o", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(newline="")))
    assert sorted(r["path"] for r in rows) == sorted("'" + n for n in NAMES)
    for row in rows:  # no cell a spreadsheet would evaluate
        assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_xlsx_cells_are_strings_never_formulas_and_control_characters_are_escaped(tmp_path):
    scan_dir = quick_scan(_estate(tmp_path, NAMES + ["bell\x07name.txt"]), tmp_path / "out")
    out = tmp_path / "map.xlsx"
    done = run_cli(["datamap", str(scan_dir), "--format", "xlsx", "-o", str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    paths = {}
    for row in sheet.iter_rows(min_row=2):
        cell = row[header.index("path")]
        assert cell.data_type == "s", (cell.value, cell.data_type)
        paths[cell.value] = cell
    assert set(paths) == set(NAMES) | {"bell\\x07name.txt"}
    records = sheet.cell(row=2, column=header.index("records") + 1)
    assert records.data_type == "n"  # numbers stay numbers
