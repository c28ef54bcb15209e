"""``piisweep audit``: every client of an estate audited in one unattended run.

Per client: scan its targets into ``AUDIT_DIR/<client>/<scan_id>/`` against its last
complete audit (scanner.client_scans) → check its policy (reports.policy) → write
``report.html`` (with the Policy section and the changes since that audit),
``datamap.csv`` and ``datamap.xlsx`` → append the audit to its history and delete
inventories beyond ``keep``. Then ``AUDIT_DIR/summary.json`` (this run, for
monitoring) and ``AUDIT_DIR/index.html`` (every client of the estate). A client
that fails is recorded as failed; the others go on.

A client whose last audit was stopped before its scan ended (killed, or stopped by a
signal) has that scan resumed rather than started over. SIGINT or SIGTERM stops the
audit as it stops a scan: the client being scanned is drained and written as
incomplete, clients not started yet are recorded as not audited, summary.json and the
overview are still written, and the next audit resumes.

Exit codes: 0 no violation; 5 violations found; 4 a client's target failed or stopped
part-way, or its audit failed (4 wins over 5: that client's violations may be
incomplete; summary.json has them either way); 130 / 143 stopped by SIGINT / SIGTERM;
2 usage error (the command line).
"""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Callable

from contract.policy import Policy
from piisweep import audit_history
from reports.datamap import DatamapError, export_datamap
from reports.html import render_report
from reports.overview import render_overview
from reports.policy import evaluate, mark_new
from scanner.client_scans import last_complete, prune, scan_client
from scanner.config import ClientEntry
from scanner.engine import ScanOptions
from scanner.stopping import StopRequest

EXIT_OK = 0
EXIT_INCOMPLETE = 4
EXIT_VIOLATIONS = 5


def iso_utc(moment: datetime) -> str:
    """``2026-12-07T02:00:00Z``: ISO 8601 that jq's ``fromdateiso8601`` reads too."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def client_folder(name: str) -> str:
    """The folder of a client under AUDIT_DIR: its name with anything but letters, digits,
    ``.``, ``_`` and ``-`` replaced, never hidden and never ``..``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "client"


def _status(manifest: dict) -> tuple[str, str | None]:
    """complete | incomplete | failed, and what went wrong, from a scan's manifest."""
    if manifest.get("complete"):
        return "complete", None
    bad = [t for t in manifest.get("targets", []) if t.get("status") != "complete"]
    error = "; ".join(f"{t.get('target')}: {t.get('error') or t.get('status')}" for t in bad) or "scan incomplete"
    if bad and all(t.get("status") == "failed" for t in manifest.get("targets", [])):
        return "failed", error
    return "incomplete", error


def _write_datamaps(scan_dir: str, client_dir: str) -> str | None:
    """datamap.csv and datamap.xlsx beside the report; what could not be written, if anything."""
    for fmt in ("csv", "xlsx"):
        path = os.path.join(client_dir, f"datamap.{fmt}")
        try:
            export_datamap(scan_dir, fmt, path + ".partial")
        except DatamapError as exc:  # xlsx without openpyxl: the csv is still there
            return f"datamap.{fmt} not written: {exc}"
        os.replace(path + ".partial", path)
    return None


def failed_record(entry: ClientEntry, audit_started: datetime, error: str | None) -> dict:
    """A client's audit record before anything of it succeeded (or when it never started):
    every field of an audit record, failed, with nothing measured."""
    return {"client": entry.name, "scan_dir": None, "status": "failed", "error": error, "risk": None,
            "coverage": None, "violations": [], "audit_started": iso_utc(audit_started),
            "records": None, "high_risk_locations": None}


def audit_client(entry: ClientEntry, audit_dir: str, options: ScanOptions, audit_started: datetime,
                 stop: StopRequest | None = None) -> dict:
    """Audit one client; return its audit record (audit_history), whatever happened."""
    folder = client_folder(entry.name)
    client_dir = os.path.join(audit_dir, folder)
    os.makedirs(client_dir, exist_ok=True)
    history = audit_history.load(client_dir)
    record = failed_record(entry, audit_started, None)
    stage = "scan"
    try:
        baseline = last_complete(client_dir)
        result = scan_client(entry.targets, options, client_dir, stop=stop)
        record["scan_dir"] = os.path.join(folder, os.path.basename(result.scan_dir))
        record["status"], record["error"] = _status(result.manifest)
        if record["status"] != "failed":
            stage = "policy check"
            violations = mark_new(evaluate(result.scan_dir, entry.policy or Policy(), audit_started),
                                  audit_history.previous_violations(history))
            record["violations"] = violations
            stage = "report"
            shown = render_report(result.scan_dir, os.path.join(client_dir, "report.html"), previous_dir=baseline,
                                  violations=violations if entry.policy else None)
            record["risk"] = {"level": shown["risk_level"], "score": shown["risk_score"]}
            record["coverage"] = {k: shown[k] for k in ("pct_scanned", "items", "scanned", "skipped", "errors")}
            record["records"] = shown["records"]
            record["high_risk_locations"] = shown["locations_by_level"]["high"] + shown["locations_by_level"]["critical"]
            stage = "data map"
            problem = _write_datamaps(result.scan_dir, client_dir)
            if problem:
                record["error"] = "; ".join(filter(None, (record["error"], problem)))
    except Exception as exc:  # noqa: BLE001 - one client's failure is recorded; the others go on
        record["status"] = "failed"
        record["error"] = "; ".join(filter(None, (record["error"], f"{stage}: {type(exc).__name__}: {exc}")))
    try:
        prune(client_dir, entry.keep)
    except OSError as exc:  # the audit stands; the old inventory stays until the next one
        record["error"] = "; ".join(filter(None, (record["error"], f"keep: {exc.strerror}: {exc.filename}")))
    audit_history.save(client_dir, audit_history.trim(history + [record], audit_dir, entry.keep))
    return record


def run_audit(entries: list[ClientEntry], everyone: list[ClientEntry], audit_dir: str,
              options_for: Callable[[ClientEntry], ScanOptions], parallel: int, audit_started: datetime,
              done: Callable[[dict], None] = lambda record: None, stop: StopRequest | None = None) -> int:
    """Audit ``entries`` (``parallel`` at a time), write summary.json and the overview of
    ``everyone``; return the exit code. ``done`` hears of each client as it finishes;
    ``stop``, once requested, lets no further client start."""
    stop = stop or StopRequest()

    def one(entry: ClientEntry) -> dict:
        if stop.requested:
            record = failed_record(entry, audit_started, f"not audited: the audit was {stop.reason}")
        else:
            record = audit_client(entry, audit_dir, options_for(entry), audit_started, stop)
        done(record)
        return record

    if parallel > 1:
        with ThreadPoolExecutor(parallel, thread_name_prefix="client") as pool:
            records = list(pool.map(one, entries))
    else:
        records = [one(entry) for entry in entries]
    summary = {"audit_started": iso_utc(audit_started),
               "clients": [audit_history.summary_entry(r) for r in records]}
    path = os.path.join(audit_dir, "summary.json")
    with open(path + ".partial", "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2)
    os.replace(path + ".partial", path)
    clients = []
    for entry in everyone:
        folder = client_folder(entry.name)
        clients.append({"client": entry.name, "folder": folder,
                        "report": os.path.isfile(os.path.join(audit_dir, folder, "report.html")),
                        "history": audit_history.load(os.path.join(audit_dir, folder))})
    render_overview(os.path.join(audit_dir, "index.html"), clients, summary["audit_started"])
    if stop.requested:
        return stop.exit_code
    if any(r["status"] != "complete" for r in records):
        return EXIT_INCOMPLETE
    return EXIT_VIOLATIONS if any(r["violations"] for r in records) else EXIT_OK
