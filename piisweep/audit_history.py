"""A client's audit log, ``AUDIT_DIR/<client>/history.json``: one record per audit.

A record holds what summary.json says of the client for that audit (status, error,
risk, coverage, violations) plus the numbers the overview's trend draws (records of
personal data, high-risk locations) and when the audit started. It is what marks a
violation new (against the previous audit's) and what the overview reads. Records
go when their audit's inventory is deleted (``keep``): they name paths, and the
scanner's records stay as small as its inventories.
"""

from __future__ import annotations

import json
import os

HISTORY = "history.json"
# The fields of a record that summary.json shows, in its order.
SUMMARY_FIELDS = ("client", "scan_dir", "status", "error", "risk", "coverage", "violations")


def load(client_dir: str) -> list[dict]:
    """The client's audit records, oldest first ([] when there are none or the file is unreadable)."""
    try:
        with open(os.path.join(client_dir, HISTORY), encoding="utf-8") as fh:
            records = json.load(fh)
    except (OSError, ValueError):
        return []
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def save(client_dir: str, records: list[dict]) -> None:
    """Write the records (whole, then renamed: a reader never sees half a file)."""
    path = os.path.join(client_dir, HISTORY)
    with open(path + ".partial", "w", encoding="utf-8") as fh:
        json.dump(records, fh, indent=1)
    os.replace(path + ".partial", path)


def previous_violations(records: list[dict]) -> list[dict] | None:
    """The violations of the client's latest audit that got as far as checking its policy
    (None when no audit did): what a new violation is new against."""
    for record in reversed(records):
        if record.get("status") in ("complete", "incomplete"):
            return record.get("violations") or []
    return None


def trim(records: list[dict], audit_dir: str, keep: int) -> list[dict]:
    """The records still backed by an inventory: from the oldest whose scan folder exists on
    (so failed audits between kept ones stay); when none exists, the last ``keep``."""
    for index, record in enumerate(records):
        if record.get("scan_dir") and os.path.isdir(os.path.join(audit_dir, record["scan_dir"])):
            return records[index:]
    return records[-keep:]


def summary_entry(record: dict) -> dict:
    """A record as summary.json shows it."""
    return {field: record.get(field) for field in SUMMARY_FIELDS}
