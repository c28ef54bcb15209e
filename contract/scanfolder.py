"""A scan folder on disk: which files hold its rows, and whether the scan finished.

The scanner writes a folder in one of two states (docs/resume.md):

- *closed*: ``manifest.json`` exists, and ``findings.parquet``, ``items.parquet`` and
  ``values.parquet`` hold every row. The manifest's ``complete`` says whether every
  target was read to the end (false after an interruption or a failed target).
- *open*: the scan runs, or stopped without closing (killed, power lost, output disk
  full). Its rows are in the committed parts, ``parts/NNNNNN/`` folders that each hold
  the three tables of one checkpoint; a part is renamed into place only once its files
  are written and synced, so every part there is whole. A part named ``NNNNNN-base``
  holds everything an earlier session committed that a resumed scan keeps, and voids
  every part numbered below it.

In an open folder a finding or column value counts only when its item's row is
committed: a large item's findings may be committed in a part before its own row is.
``scan.json`` records what the scan was asked to do (targets with credentials by
reference, options, key id) and its sessions, so that it can be resumed.

Both the scanner (resume, ``--since``) and the readers (reports) use this module, so it
lives with the inventory's other definitions.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

FINDINGS, ITEMS, VALUES = "findings.parquet", "items.parquet", "values.parquet"
TABLES = (FINDINGS, ITEMS, VALUES)
MANIFEST = "manifest.json"
PLAN = "scan.json"
PARTS = "parts"
LOCK = "scan.lock"
BASE_SUFFIX = "-base"
_PART = re.compile(r"^(\d{6})(-base)?$")

# The reason of an item row whose item a stopped scan did not finish reading.
INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class ScanFolder:
    """What a reader needs to know about one scan folder.

    ``files`` maps each table (``findings.parquet``, ...) to the Parquet files holding its
    rows, in order; ``orphans_possible`` says that findings and values rows must be kept
    only where their item has a committed row (an open folder).
    """

    dir: str
    closed: bool
    files: dict[str, list[str]]
    manifest: dict | None = None
    plan: dict | None = None
    parts: list[str] = field(default_factory=list)

    @property
    def orphans_possible(self) -> bool:
        """Whether findings or values rows may belong to an item without a committed row."""
        return not self.closed

    @property
    def complete(self) -> bool:
        """Whether the scan finished and read every target to the end."""
        return self.closed and bool(self.manifest) and self.manifest.get("complete", True) is True

    @property
    def reason(self) -> str:
        """Why the scan is incomplete, in words for a report banner or a warning ("" when complete)."""
        if self.complete:
            return ""
        if not self.closed:
            if not self.parts:
                return "it has no manifest.json: it did not finish, so items and findings may be missing"
            return ("it did not finish (still running, or killed, crashed or out of disk space); only its "
                    f"{len(self.parts)} committed part(s) are read")
        if self.manifest.get("interrupted"):
            return str(self.manifest["interrupted"])
        failed = [f"{t.get('target')}: {t.get('status')}" + (f" ({t['error']})" if t.get("error") else "")
                  for t in self.manifest.get("targets", []) if t.get("status") != "complete"]
        return "; ".join(failed) or "the manifest marks the scan incomplete"


def _read_json(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def live_parts(scan_dir: str) -> list[str]:
    """The committed parts that hold the folder's rows, in order: the last base part and those after it."""
    root = os.path.join(scan_dir, PARTS)
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    numbered = sorted((int(m.group(1)), name) for name in names if (m := _PART.match(name)))
    start = 0
    for index, (_, name) in enumerate(numbered):
        if name.endswith(BASE_SUFFIX):
            start = index
    return [os.path.join(root, name) for _, name in numbered[start:]]


def next_part_number(scan_dir: str) -> int:
    """The number the next committed part takes (one above every part there, void or not)."""
    root = os.path.join(scan_dir, PARTS)
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return 1
    return max((int(m.group(1)) for name in names if (m := _PART.match(name))), default=0) + 1


def read_folder(scan_dir: str) -> ScanFolder | None:
    """The state and files of ``scan_dir``, or None when it is not a scan folder."""
    final = {name: os.path.join(scan_dir, name) for name in TABLES}
    has_final = os.path.isfile(final[FINDINGS]) and os.path.isfile(final[ITEMS])
    manifest = _read_json(os.path.join(scan_dir, MANIFEST))
    plan = _read_json(os.path.join(scan_dir, PLAN))
    if manifest is not None and has_final:
        files = {name: [path] for name, path in final.items() if os.path.isfile(path)}
        return ScanFolder(scan_dir, True, {name: files.get(name, []) for name in TABLES}, manifest, plan)
    parts = live_parts(scan_dir)
    if parts:
        files = {name: [os.path.join(part, name) for part in parts] for name in TABLES}
        return ScanFolder(scan_dir, False, files, None, plan, parts)
    if has_final:  # renamed whole, but the manifest was never written (or was lost): read what is there
        return ScanFolder(scan_dir, False, {name: [p] if os.path.isfile(p) else [] for name, p in final.items()},
                          None, plan)
    if plan is not None:  # started, nothing committed yet
        return ScanFolder(scan_dir, False, {name: [] for name in TABLES}, None, plan)
    return None
