"""Aggregates, the risk formula and the data map export, checked against the inventory itself."""

import csv
import json
import math
import os

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from reports import risk
from reports.datamap import DatamapError, build_datamap, export_datamap
from reports.query import Inventory, system_of


def expected_summary(scan_dir):
    """The headline numbers recomputed with pyarrow, independently of reports.query."""
    items = pq.read_table(os.path.join(scan_dir, "items.parquet"))
    findings = pq.read_table(os.path.join(scan_dir, "findings.parquet"))
    status = items.column("status").to_pylist()
    top_scanned = pc.and_(pc.equal(items["status"], "scanned"), pc.equal(items["container"], ""))
    return {
        "items": items.num_rows,
        "scanned": status.count("scanned"),
        "skipped": status.count("skipped"),
        "errors": status.count("error"),
        "bytes_scanned": pc.sum(pc.filter(items["size"], top_scanned)).as_py() or 0,
        "records": pc.sum(findings["count"]).as_py(),
        "findings": findings.num_rows,
        "locations": len(set(findings.column("uri").to_pylist())),
    }


def test_summary_matches_inventory(estate):
    _, b, _ = estate
    got = Inventory(b).summary()
    want = expected_summary(b)
    assert {k: got[k] for k in want} == want
    assert got["pct_scanned"] == round(100 * want["scanned"] / want["items"], 1)


def test_risk_sql_equals_python(estate):
    a, _, _ = estate
    for loc in Inventory(a).locations():
        e = risk.exposure(loc["agent"], loc["mode"])
        assert loc["exposure"] == e
        assert loc["score"] == pytest.approx(risk.score(loc["sensitivity"], loc["records"], e))


def test_risk_formula_examples():
    assert risk.score(2, 1, 1.0) == 2
    assert risk.level(risk.score(10, 100, risk.exposure("smb", None))) == "high"   # 10 * 3 * 1.5 = 45
    assert risk.exposure("local", 0o644) == 1.5 and risk.exposure("local", 0o640) == 1.0
    assert risk.exposure("smb", 0o644) == 2.0
    assert risk.level(50) == "critical" and risk.level(9.99) == "low"


def test_locations_score_and_subjects(estate):
    a, _, _ = estate
    locs = {r["uri"]: r for r in Inventory(a).locations()}
    contacts = locs["file:///srv/data/hr/contacts.txt"]      # world-readable, 4 findings, identity worst
    assert (contacts["records"], contacts["sensitivity"], contacts["exposure"]) == (4, 5, 1.5)
    assert contacts["score"] == pytest.approx(5 * (1 + math.log10(4)) * 1.5)
    assert contacts["subjects"] == 2                          # two distinct e-mails
    table = locs["postgresql://db1/crm/public.customers"]
    assert (table["records"], table["subjects"]) == (5000, 5000)
    zip_ = locs["file:///srv/data/archive/2014.zip"]
    assert zip_["top_category"] == "credential" and zip_["subjects"] == 1   # the password counts no subject


def test_system_labels():
    assert system_of("smb", "filer", "smb://svc@filer/share/sub") == "smb://filer/share"
    assert system_of("sql", "db1", "postgresql://scanner@db1/crm") == "postgresql://db1/crm"
    assert system_of("local", "jump1", "file:///srv/data") == "jump1 (local files)"
    assert system_of("ssh", "web1", "ssh://root@web1/var") == "ssh://web1"


def test_datamap_rows(estate):
    a, _, _ = estate
    rows = build_datamap(a)
    by_loc = {r["location"]: r for r in rows}
    assert len(rows) == 5
    payroll = by_loc["smb://filer/share/finance/payroll.xlsx"]
    assert payroll["system"] == "smb://filer/share"
    assert payroll["categories"] == "contact, financial"
    assert payroll["exposure"] == "on a network share"
    assert payroll["data_subjects_estimate"] == 2
    assert by_loc["file:///srv/data/archive/2014.zip"]["last_modified"].startswith("2015-01-01")


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_datamap_export(estate, tmp_path, fmt):
    a, _, _ = estate
    out = str(tmp_path / f"map.{fmt}")
    assert export_datamap(a, fmt, out) == 5
    if fmt == "csv":
        with open(out, newline="") as fh:
            loaded = list(csv.DictReader(fh))
        locations = {r["location"] for r in loaded}
    elif fmt == "json":
        with open(out) as fh:
            locations = {r["location"] for r in json.load(fh)}
    else:
        sheet = load_workbook(out, read_only=True)["Data map"]
        header, *body = list(sheet.iter_rows(values_only=True))
        locations = {r[header.index("location")] for r in body}
    assert locations == {r["location"] for r in build_datamap(a)}


def test_datamap_unknown_format(estate, tmp_path):
    a, _, _ = estate
    with pytest.raises(DatamapError):
        export_datamap(a, "pdf", str(tmp_path / "x"))
