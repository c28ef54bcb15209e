"""Inline scans of small trees for the engine and inventory tests."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from scanner.engine import ScanOptions, ScanResult, run_scan
from contract.targets import parse_target
from tests.cli import Scan


def scan(roots, out, **options) -> tuple[ScanResult, Scan]:
    """Scan local ``roots`` in this process (no NER unless asked) and read the inventory back."""
    roots = roots if isinstance(roots, (list, tuple)) else [roots]
    options = {"workers": 0, "ner": False, **options}
    result = run_scan([parse_target(str(r)) for r in roots], ScanOptions(out=str(out), **options))
    return result, Scan(Path(result.scan_dir))


def zip_of(members: dict[str, str]) -> bytes:
    """A small zip archive of text members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def top_rows(items: list[dict]) -> dict[str, dict]:
    """Item rows of whole items (not archive members), by path; fails on a duplicate."""
    rows = [r for r in items if not r["container"]]
    by_path = {r["path"]: r for r in rows}
    assert len(by_path) == len(rows), "an item has more than one row"
    return by_path


def finding_keys(findings: list[dict], path: str) -> list[tuple]:
    """What identifies the findings of one item, independent of the scan they were written in."""
    return sorted((f["container"], f["entity_type"], f["value_hash"], f["count"], f["start"], f["end"], f["line"],
                   f["preview"], f["detector"]) for f in findings if f["path"] == path)


# Columns that differ between two scans of the same estate whatever happened: which scan wrote
# the row, and how long an item took.
_SCAN_SPECIFIC = {"scan_id", "seconds"}


def comparable(scan_dir) -> dict[str, Counter]:
    """Every row of each table of a closed scan folder, without its scan-specific columns, counted:
    two scans of one estate compare equal when they hold the same rows the same number of times."""
    tables = {}
    for name in ("items.parquet", "findings.parquet", "values.parquet"):
        rows = pq.read_table(Path(scan_dir) / name).to_pylist()
        tables[name] = Counter(tuple(sorted((k, repr(v)) for k, v in row.items() if k not in _SCAN_SPECIFIC))
                               for row in rows)
    return tables


def assert_same_inventory(resumed, reference) -> None:
    """The resumed scan holds exactly the reference scan's rows: none missing, none extra, none twice."""
    got, want = comparable(resumed), comparable(reference)
    for name in want:
        missing, extra = want[name] - got[name], got[name] - want[name]
        assert not missing and not extra, (name, f"{sum(missing.values())} rows missing",
                                           f"{sum(extra.values())} extra", list(missing)[:2], list(extra)[:2])
    assert sum(want["items.parquet"].values()) > 0
