"""A client's audit inventories in ``AUDIT_DIR/<client>/``: which are complete, the next
scan, and how many are kept.

Every scan of an audit goes to ``AUDIT_DIR/<client>/<scan_id>/``. A scan is complete
when its manifest says so: a folder without a readable manifest.json (the process was
stopped) or with ``"complete": false`` (a target failed or stopped part-way) is not,
and is never the baseline a later scan compares against.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace

from contract.targets import Target
from scanner.engine import Progress, ScanOptions, ScanResult, run_scan

# A scan folder's name: its scan id (scanner.inventory.make_scan_id), sortable by time.
_SCAN_ID = re.compile(r"^\d{8}T\d{6}Z-")


def is_complete(scan_dir: str) -> bool:
    """Whether ``scan_dir`` holds a finished scan of every target of its client."""
    try:
        with open(os.path.join(scan_dir, "manifest.json"), encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("complete") is True


def scan_folders(client_dir: str) -> list[str]:
    """The scan folders of a client, oldest first (folders only, never links)."""
    try:
        entries = list(os.scandir(client_dir))
    except FileNotFoundError:
        return []
    return sorted(e.path for e in entries if _SCAN_ID.match(e.name) and e.is_dir(follow_symlinks=False))


def last_complete(client_dir: str) -> str | None:
    """The newest complete scan of a client, or None."""
    return next((d for d in reversed(scan_folders(client_dir)) if is_complete(d)), None)


def scan_client(targets: list[Target], options: ScanOptions, client_dir: str,
                progress: Progress | None = None) -> ScanResult:
    """Scan a client's targets into ``client_dir``, carrying over what is unchanged since its
    last complete scan (as ``scan --since`` does)."""
    return run_scan(targets, replace(options, out=client_dir, since=last_complete(client_dir)), progress)


def prune(client_dir: str, keep: int) -> list[str]:
    """Delete the scan folders older than the client's ``keep`` newest complete scans; return
    them. Incomplete scans newer than those are kept (the next audit may need them)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    folders = scan_folders(client_dir)
    complete = [d for d in folders if is_complete(d)]
    if len(complete) <= keep:
        return []
    oldest_kept = folders.index(complete[-keep])
    removed = folders[:oldest_kept]
    for folder in removed:
        shutil.rmtree(folder)
    return removed
