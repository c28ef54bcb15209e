"""The closing summary of a scan labels each number for what it counts."""

from __future__ import annotations

from rich.console import Console

from piisweep.progress import summary_table


def _rendered(manifest: dict) -> list[str]:
    console = Console(record=True, width=200)
    console.print(summary_table(manifest, "out/scan"))
    return console.export_text().splitlines()


def test_rows_and_records_are_told_apart():
    manifest = {"scan_id": "20261207T000000Z-acme", "duration_seconds": 1.0, "targets": [],
                "counts": {"items_by_status": {"scanned": 3}, "bytes_scanned": 10, "findings": 4,
                           "entities": {"EMAIL_ADDRESS": 7, "PERSON": 2}}}
    lines = _rendered(manifest)
    rows = next(line for line in lines if "finding rows" in line)
    records = next(line for line in lines if "records of personal data" in line)
    assert rows.strip("│ ").split()[-1] == "4"
    assert records.strip("│ ").split()[-1] == "9"  # 7 + 2: the per-type numbers add up to it
