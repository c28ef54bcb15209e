"""A record-of-processing style data map for the client's DPO.

One row per location holding personal data: client, system, location,
categories and entity types of data, an estimate of the number of data
subjects, records, last modification, exposure and risk. The subject estimate
is, per location, the largest number of distinct values of one entity type
(or, for a classified column, its estimated rows), credentials excluded: each
person usually has one e-mail address, one NINO, so the most numerous type
bounds the number of people from below.

Locations are file names chosen by whoever can write to a scanned folder, and the
exports are opened in spreadsheet programs: a name such as ``=HYPERLINK(...)``
must stay text. CSV cells that a spreadsheet would read as a formula get a
leading quote (OWASP's CSV-injection advice), XLSX cells are written as strings
explicitly, and characters XLSX cannot hold are shown as escapes.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timezone

from reports import risk

FORMATS = ("csv", "xlsx", "json")

COLUMNS = ("client", "system", "location", "path", "categories", "entity_types", "data_subjects_estimate",
           "records", "last_modified", "exposure", "risk_score", "risk_level")


# What a spreadsheet reads as the start of a formula (OWASP: = + - @, tab, carriage return)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX (XML 1.0) cell cannot hold
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class DatamapError(Exception):
    """An export that cannot be produced as asked."""


def build_datamap(scan_dir: str) -> list[dict]:
    """The data map rows of one scan, highest risk first."""
    from reports.query import Inventory  # here: duckdb loads only when a map is made

    inv = Inventory(scan_dir)
    out = []
    for loc in inv.locations(order="system, score DESC, uri"):
        out.append({
            "client": loc["client"],
            "system": loc["system"],
            "location": loc["uri"],
            "path": loc["path"],
            "categories": loc["categories"],
            "entity_types": loc["entity_types"],
            "data_subjects_estimate": int(loc["subjects"]),
            "records": int(loc["records"]),
            "last_modified": (datetime.fromtimestamp(loc["mtime"], timezone.utc).isoformat()
                              if loc["mtime"] is not None else None),
            "exposure": ", ".join(risk.exposure_reasons(loc["agent"], loc["mode"])) or "restricted",
            "risk_score": round(loc["score"], 1),
            "risk_level": risk.level(loc["score"]),
        })
    return out


def csv_cell(value):
    """A CSV cell a spreadsheet shows as the text it is: formula starts get a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: XML-illegal control characters become ``\\xNN`` escapes."""
    return _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def export_datamap(scan_dir: str, fmt: str, out_path: str) -> int:
    """Write the data map as csv, xlsx or json to ``out_path``; return the number of rows."""
    if fmt not in FORMATS:
        raise DatamapError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    data = build_datamap(scan_dir)
    if fmt == "json":
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
    elif fmt == "csv":
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in data)
    else:
        _write_xlsx(data, out_path)
    return len(data)


def _write_xlsx(data: list[dict], out_path: str) -> None:
    try:
        from openpyxl import Workbook  # optional extra: only this export needs it
    except ImportError as exc:
        raise DatamapError("xlsx export needs: pip install 'piisweep[xlsx]'") from exc
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data map")
    ws.append(list(COLUMNS))
    for row in data:
        ws.append([_xlsx_cell(ws, row[c]) for c in COLUMNS])
    wb.save(out_path)


def _xlsx_cell(ws, value):
    """Numbers stay numbers; text is a string cell, never a formula, whatever it starts with."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=xlsx_text(value))
    cell.data_type = "s"  # openpyxl makes a formula of any text starting with "="
    return cell
