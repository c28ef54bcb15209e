"""A client's audit inventories in ``AUDIT_DIR/<client>/``: which are complete, the next
scan, and how many are kept.

Every scan of an audit goes to ``AUDIT_DIR/<client>/<scan_id>/``. A scan is complete
when it finished and read every target to the end (contract.scanfolder); any other is
never the baseline a later scan compares against. The newest scan, when it was stopped
before its end (killed, or stopped by a signal), is resumed by the next audit rather
than started over; one that ended with a target failed (a host down) is not: the next
audit scans afresh against the last complete one.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace

from contract.scanfolder import read_folder
from contract.targets import Target
from scanner.engine import Progress, ScanOptions, ScanResult, run_scan
from scanner.resume import resume_scan
from scanner.stopping import StopRequest

# A scan folder's name: its scan id (scanner.inventory.make_scan_id), sortable by time.
_SCAN_ID = re.compile(r"^\d{8}T\d{6}Z-")


def is_complete(scan_dir: str) -> bool:
    """Whether ``scan_dir`` holds a finished scan of every target of its client."""
    folder = read_folder(scan_dir)
    return folder is not None and folder.complete


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


def stopped_scan(client_dir: str) -> str | None:
    """The client's newest scan folder if it was stopped before its end and can be resumed."""
    folders = scan_folders(client_dir)
    folder = read_folder(folders[-1]) if folders else None
    if folder is None or folder.complete or folder.plan is None:
        return None
    if folder.closed and not folder.manifest.get("interrupted"):
        return None  # it ended, with a target failed or stopped part-way: not a scan to finish
    return folder.dir


def scan_client(targets: list[Target], options: ScanOptions, client_dir: str,
                progress: Progress | None = None, stop: StopRequest | None = None) -> ScanResult:
    """Finish the client's stopped scan if there is one; else scan its targets into
    ``client_dir``, carrying over what is unchanged since its last complete scan (as
    ``scan --since`` does)."""
    stopped = stopped_scan(client_dir)
    if stopped is not None:
        result = resume_scan(stopped, progress, stop)
        if result is not None:
            return result
    return run_scan(targets, replace(options, out=client_dir, since=last_complete(client_dir)), progress, stop)


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
