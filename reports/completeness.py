"""Whether a scan folder holds a finished scan, and how a report says it does not.

A scan writes manifest.json last, after its Parquet files: a folder whose
manifest is missing or unreadable (the disk filled, the process was killed)
holds whatever was written before (its committed parts, docs/resume.md), and
must not be read as a whole estate. A manifest that says ``"complete": false``
records a scan stopped before it read everything, or a target that failed or
stopped part-way. Reports and lookups show these reasons instead of quietly
presenting part of an estate as all of it.
"""

from __future__ import annotations

import json
import os
from html import escape

from contract.scanfolder import read_folder


def incomplete_reasons(scan_dir: str) -> list[str]:
    """Why ``scan_dir`` may not hold everything its scan was meant to find; empty when complete.

    A scan that runs, or stopped without closing (killed, out of disk space), is read from its
    committed parts (contract.scanfolder); a stopped one says why it stopped."""
    folder = read_folder(scan_dir)
    if folder is not None and not folder.closed and folder.parts:
        return [f"{folder.reason} (piisweep scan --resume finishes it)"]
    path = os.path.join(scan_dir, "manifest.json")
    try:
        with open(path, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except FileNotFoundError:
        return ["manifest.json is missing: the scan did not finish, so items and findings may be missing"]
    except (OSError, ValueError) as exc:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not valid JSON"
        return [f"manifest.json cannot be read ({what}): the scan may not have finished"]
    if not isinstance(manifest, dict):
        return ["manifest.json cannot be read (not a JSON object): the scan may not have finished"]
    reasons = []
    if manifest.get("interrupted"):
        reasons.append(f"the scan was {manifest['interrupted']} before it read everything "
                       "(piisweep scan --resume finishes it)")
    elif manifest.get("complete") is False:
        failed = [t for t in manifest.get("targets") or [] if isinstance(t, dict) and t.get("status") != "complete"]
        names = ", ".join(str(t.get("target")) for t in failed) or "a target"
        reasons.append(f"not every target was scanned to the end ({names})")
    return reasons


def incomplete_banner(scan_dir: str) -> str:
    """An HTML warning at the top of a report of an incomplete scan; empty when it is complete."""
    reasons = incomplete_reasons(scan_dir)
    if not reasons:
        return ""
    items = "".join(f"<li>{escape(r)}</li>" for r in reasons)
    return (f'<section id="incomplete" class="alert" role="alert" data-incomplete="true">'
            f"<h2>Incomplete scan</h2><p>This report may not show all personal data of the estate:</p>"
            f"<ul>{items}</ul></section>")
