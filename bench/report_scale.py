"""Report scale benchmark: a synthetic inventory of 1 million findings, rendered to HTML.

Run as ``python bench/report_scale.py [--findings N] [--out DIR] [--previous]``. It
writes the inventory with the real InventoryWriter (generation is not timed),
then times ``render_report`` and prints its seconds and file size against the
goal (< 10 s, < 20 MB), with the CPU seconds of this process (DuckDB's threads
included), which vary less than wall time on a shared machine. With
``--previous`` it also writes a second scan (about 5 % of the values changed)
and times the report with changes.
Not a unit test: it takes a minute or more and measures this machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time

from contract.categories import category_of
from detectors.masking import mask
from detectors.normalise import normalise
from reports.html import render_report
from scanner.inventory import InventoryWriter
from contract.keys import value_hash
from contract.models import Finding, ItemRecord

KEY = b"bench-estate-key-0123456789abcdef"
TYPES = [("EMAIL_ADDRESS", 40), ("PHONE_NUMBER", 20), ("PERSON", 20), ("IBAN_CODE", 5), ("UK_NINO", 5),
         ("CREDIT_CARD", 3), ("IP_ADDRESS", 4), ("PASSWORD", 1), ("SPECIAL_CATEGORY_HEALTH", 1),
         ("CRIMINAL_OFFENCE", 1)]
SYSTEMS = [("file:///srv/data", "local", "files1"), ("smb://svc@filer/share", "smb", "filer"),
           ("ssh://root@web1/var", "ssh", "web1"), ("postgresql://scanner@db1/crm", "sql", "db1")]


def _value(entity_type: str, i: int) -> str:
    if entity_type == "EMAIL_ADDRESS":
        return f"person{i}@example{i % 97}.com"
    if entity_type == "PHONE_NUMBER":
        return f"+44 7700 {i % 1000000:06d}"
    if entity_type == "IBAN_CODE":
        return f"GB{i % 97:02d} WEST {i % 10000:04d} {i % 100000000:08d}"
    if entity_type == "UK_NINO":
        return f"QQ {i % 100:02d} {i % 10000:04d} C"
    if entity_type == "CREDIT_CARD":
        return f"4111 {i % 10000:04d} {i % 10000:04d} 1111"
    if entity_type == "IP_ADDRESS":
        return f"10.{i % 256}.{(i // 256) % 256}.{i % 250}"
    return f"word{i} other{i % 50}"


def _pool(size: int) -> dict[str, list[tuple[str, str]]]:
    """Precomputed (hash, preview) per entity type: a scan's values repeat across files too."""
    return {et: [(value_hash(KEY, normalise(et, _value(et, i))), mask(et, _value(et, i))) for i in range(size)]
            for et, _ in TYPES}


def write_inventory(out: str, scan_id: str, n_findings: int, seed: int, pool) -> str:
    """A scan of ``n_findings`` findings spread over n/20 items on four systems."""
    rng = random.Random(seed)
    n_items = max(n_findings // 20, 1)
    types = [et for et, w in TYPES for _ in range(w)]
    w = InventoryWriter(out, scan_id, "bigcorp")
    now = time.time()
    per_item = n_findings // n_items
    for s, (target, agent, host) in enumerate(SYSTEMS):
        items, findings = [], []
        for i in range(s, n_items, len(SYSTEMS)):
            uri = f"{target.split('@')[0].replace('svc', '').rstrip(':/')}/dir{i % 500}/file{i}.txt"
            path = f"dir{i % 500}/file{i}.txt"
            items.append(ItemRecord(uri=uri, path=path, size=rng.randint(1_000, 5_000_000),
                                    mtime=now - rng.randint(0, 10 * 365) * 86400,
                                    mode=rng.choice([0o600, 0o640, 0o644]), findings=per_item))
            for j in range(per_item):
                et = rng.choice(types)
                h, preview = rng.choice(pool[et])
                findings.append((uri, path, Finding(et, category_of(et), j * 40, j * 40 + 20, j + 1, 0.9, "bench",
                                                    h, preview)))
            if i % 97 == 0:
                items.append(ItemRecord(uri=uri + ".zip", path=path + ".zip", status="error",
                                        reason="encrypted zip member", container="inner.docx"))
            if len(findings) > 200_000:
                w.add_items(target, agent, host, items)
                w.add_findings(target, agent, host, findings)
                items, findings = [], []
        w.add_items(target, agent, host, items)
        w.add_findings(target, agent, host, findings)
    w.close({"options": {"bench": True}})
    return w.dir


def main() -> None:
    """Generate, render, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--out", default=None, help="keep the inventory here (default: a temp folder, removed)")
    ap.add_argument("--previous", action="store_true", help="also time a report with changes since a 2nd scan")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="piisweep-bench-")
    try:
        t0 = time.perf_counter()
        pool = _pool(50_000)
        cur = write_inventory(out, "20260601T000000Z-bigcorp", args.findings, 1, pool)
        prev = write_inventory(out, "20260101T000000Z-bigcorp", args.findings, 2, pool) if args.previous else None
        print(f"generated {args.findings:,} findings per scan in {time.perf_counter() - t0:.1f} s")
        runs = [("report", None)] + ([("report --previous", prev)] if prev else [])
        for label, previous in runs:
            html_path = os.path.join(out, label.replace(" --", "_") + ".html")
            t, cpu = time.perf_counter(), time.process_time()
            summary = render_report(cur, html_path, previous_dir=previous)
            seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
            size = os.path.getsize(html_path)
            ok = seconds < 10 and size < 20 * 1024 * 1024
            print(f"{label}: {summary['findings']:,} findings, {summary['locations']:,} locations -> "
                  f"{seconds:.2f} s ({cpu:.2f} s CPU), {size / 1024 / 1024:.2f} MB  [{'OK' if ok else 'OVER GOAL'}: < 10 s, < 20 MB]")
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
