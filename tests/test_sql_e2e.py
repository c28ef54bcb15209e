"""End to end: databases scanned through the CLI, columns classified by the shared classifier."""

from __future__ import annotations

import pytest

from tests.cli import only_scan, run_cli

PII_COLUMNS = {
    ("customers", "full_name"): "PERSON",
    ("customers", "email"): "EMAIL_ADDRESS",
    ("customers", "phone"): "PHONE_NUMBER",
    ("customers", "date_of_birth"): "DATE_OF_BIRTH",
    ("employees", "full_name"): "PERSON",
    ("employees", "iban"): "IBAN_CODE",
    ("audit_log", "ip_address"): "IP_ADDRESS",
    ("notes", "body"): "EMAIL_ADDRESS",
}
PII_FREE_TABLES = {"orders", "products"}


@pytest.mark.parametrize("fixture", ["pg_db", "maria_db"])
def test_database_columns_classified(request, fixture, tmp_path):
    db = request.getfixturevalue(fixture)
    proc = run_cli(["scan", db.target, "--out", str(tmp_path / "out"), "--workers", "1"], tmp_path)
    assert proc.returncode in (0, 3), proc.stderr
    scan = only_scan(tmp_path / "out")
    found = {(f["path"], f["entity_type"]) for f in scan.findings}
    for (table, column), entity in PII_COLUMNS.items():
        assert (f"{db.path(table)}.{column}", entity) in found, (table, column, entity)
    for path, entity in found:
        assert not any(path.startswith(db.path(t) + ".") for t in PII_FREE_TABLES), (path, entity)
    tables = [i for i in scan.items if i["kind"] == "table"]
    assert len({i["path"] for i in tables}) == len(tables)
    customers = next(i for i in tables if i["path"] == db.path("customers"))
    assert customers["status"] == "scanned" and customers["rows_sampled"] > 0
    assert scan.manifest["targets"][0]["warnings"], "the admin account can write: the preflight says so"
