"""End to end: the CLI scans a fixture estate into an inventory and a report.

Runs the real `piisweep scan` in a subprocess (with worker processes), under a
network guard that logs any non-loopback connection attempt.
"""

from __future__ import annotations

import json
import os

import pyarrow.parquet as pq
import pytest

from tests.cli import TEST_KEY, run_cli
from tests.estate_builder import build_bad_inputs, build_estate

@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    estate = tmp / "estate"
    values = build_estate(str(estate))
    expected_bad = build_bad_inputs(str(estate))
    out = tmp / "out"
    proc = run_cli(["scan", str(estate), "--out", str(out), "--client", "fixture", "--workers", "2",
                    "--report", str(tmp / "report.html")], tmp)
    scans = list(out.iterdir())
    assert len(scans) == 1, proc.stderr
    scan_dir = scans[0]
    findings = pq.read_table(scan_dir / "findings.parquet").to_pylist()
    items = pq.read_table(scan_dir / "items.parquet").to_pylist()
    manifest = json.loads((scan_dir / "manifest.json").read_text())
    return dict(tmp=tmp, estate=estate, values=values, bad=expected_bad, proc=proc, dir=scan_dir,
                findings=findings, items=items, manifest=manifest)


def where(findings, entity):
    return {(f["path"], f["container"]) for f in findings if f["entity_type"] == entity}


def test_exit_code_reports_item_errors(scanned):
    assert scanned["proc"].returncode == 3, scanned["proc"].stderr


def test_planted_entities_found_in_their_places(scanned):
    f = scanned["findings"]
    assert ("notes/contact.txt", "") in where(f, "EMAIL_ADDRESS")
    assert ("notes/contact.txt", "") in where(f, "UK_NINO")
    assert ("notes/contact.txt", "") in where(f, "PHONE_NUMBER")
    assert any(p == "archive/bundle.zip" and c.endswith("member.txt") for p, c in where(f, "EMAIL_ADDRESS"))
    assert any(p == "archive/bundle.zip" and "inner.zip" in c and c.endswith("record.txt")
               for p, c in where(f, "UK_NINO"))
    assert any(p == "hr/contract.docx" for p, _ in where(f, "IBAN_CODE"))
    assert any(p == "hr/staff.xlsx" and "Staff" in c and c.endswith("#Email") for p, c in where(f, "EMAIL_ADDRESS"))
    assert any(p == "finance/refund.pdf" for p, _ in where(f, "CREDIT_CARD"))
    assert any(p == "mail/evidence.eml" and "evidence.txt" in c for p, c in where(f, "UK_NINO"))
    assert any(p == "config/app.env" for p, _ in where(f, "PASSWORD"))
    assert any(p == "crm/crm.sqlite" and "customers" in c for p, c in where(f, "EMAIL_ADDRESS"))


def test_hashes_match_planted_values(scanned):
    from detectors.normalise import normalise
    from contract.keys import value_hash

    key = TEST_KEY.encode()
    hashes = {(f["entity_type"], f["value_hash"]) for f in scanned["findings"]}
    assert ("UK_NINO", value_hash(key, normalise("UK_NINO", scanned["values"]["nino"]))) in hashes
    assert ("EMAIL_ADDRESS", value_hash(key, normalise("EMAIL_ADDRESS", scanned["values"]["email"]))) in hashes
    # sampled column values are findable through values.parquet
    values = pq.read_table(scanned["dir"] / "values.parquet").to_pylist()
    planted = value_hash(key, normalise("EMAIL_ADDRESS", scanned["values"]["email2"]))
    assert any(v["path"] == "crm/crm.sqlite" and v["value_hash"] == planted for v in values)


def test_no_findings_in_hard_negatives(scanned):
    negatives = [f for f in scanned["findings"] if f["path"].startswith("negatives/")]
    assert negatives == []


def test_one_item_row_per_file(scanned):
    top = [i["path"] for i in scanned["items"] if not i["container"]]
    assert len(top) == len(set(top))
    on_disk = set()
    for dirpath, dirnames, filenames in os.walk(scanned["estate"]):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            on_disk.add(os.path.relpath(os.path.join(dirpath, name), scanned["estate"]))
    assert set(top) == on_disk


def test_bad_inputs_get_status_and_reason(scanned):
    rows = {i["path"]: i for i in scanned["items"] if not i["container"]}
    for path, status in scanned["bad"].items():
        assert rows[path]["status"] == status, (path, rows[path])
        if status != "scanned":
            assert rows[path]["reason"], path
    members = [i for i in scanned["items"] if i["container"]]
    encrypted = [m for m in members if m["path"] == "bad/encrypted.zip"]
    assert encrypted and all(m["status"] == "error" and "encrypt" in m["reason"] for m in encrypted)
    bomb = [m for m in members if m["path"] == "bad/bomb.zip"]
    assert bomb and all(m["status"] == "error" and m["reason"] for m in bomb)


def test_manifest_counts_agree_with_items(scanned):
    counts = scanned["manifest"]["counts"]
    assert counts["items"] == len(scanned["items"])
    assert counts["findings"] == len(scanned["findings"])
    assert scanned["manifest"]["complete"] is True


def test_no_raw_value_in_any_output(scanned):
    blobs = [scanned["proc"].stdout, scanned["proc"].stderr]
    for path in scanned["dir"].rglob("*"):
        if path.suffix == ".parquet":
            blobs.append(str(pq.read_table(path).to_pylist()))
        elif path.is_file():
            blobs.append(path.read_text("utf-8", "replace"))
    blobs.append((scanned["tmp"] / "report.html").read_text())
    text = "\n".join(blobs)
    for name, value in scanned["values"].items():
        assert value not in text, name
        assert value.replace(" ", "") not in text, name


def test_no_outbound_connection_attempted(scanned):
    log = scanned["tmp"] / "netguard.log"
    assert not log.exists() or log.read_text() == ""


def test_report_written(scanned):
    html = (scanned["tmp"] / "report.html").read_text()
    assert "<html" in html.lower() and "http://" not in html and "https://" not in html


def test_quiet_scan_prints_nothing_but_a_fatal_error(tmp_path):
    (tmp_path / "notes.txt").write_text("Call 020 7946 0958 about the order.\n")
    done = run_cli(["scan", str(tmp_path / "notes.txt"), "--out", str(tmp_path / "out"), "--workers", "0", "-q"],
                   tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    # the inventory folder cannot be made under a file: a usage error before any work, said even with -q
    failed = run_cli(["scan", str(tmp_path / "notes.txt"), "--out", str(tmp_path / "notes.txt" / "out"),
                      "--workers", "0", "-q"], tmp_path)
    assert failed.returncode == 2
    assert "Error: cannot write" in failed.stderr and "Not a directory" in failed.stderr
    assert "Traceback" not in failed.stderr
