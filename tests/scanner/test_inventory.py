"""The inventory: documented schemas, atomic files, manifest counts that match the rows."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner import inventory
from scanner.inventory import (FINDINGS_SCHEMA, FORMAT_VERSION, ITEMS_SCHEMA, VALUES_SCHEMA, InventoryWriter,
                               make_scan_id)
from contract.models import Finding, ItemRecord
from tests.scanner.conftest import write_tree
from tests.scanner.helpers import scan, zip_of

FILES = {"findings.parquet": FINDINGS_SCHEMA, "items.parquet": ITEMS_SCHEMA, "values.parquet": VALUES_SCHEMA}

DOCUMENTED_FINDINGS = ["scan_id", "client", "target", "agent", "host", "uri", "path", "container", "entity_type",
                       "category", "start", "end", "line", "score", "detector", "value_hash", "preview", "count"]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inventory")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIISWEEP_KEY", "inventory-tests-key-0123456789")
        write_tree(tmp / "tree", {
            "letters/a.txt": "Dear Olaf, write to olaf.fixture@estate-test.example or call 07700 900123.\n",
            "letters/b.txt": "NI JZ 48 21 93 B\nolaf.fixture@estate-test.example\n",
            "people.csv": "name,email\nOlaf,olaf.fixture@estate-test.example\nIngrid,ingrid@estate-test.example\n",
            "bundle.zip": zip_of({"m.txt": "card 4242 4242 4242 4242\n"}),
            "big.bin": b"\0" * 4000,
        })
        result, inv = scan(tmp / "tree", tmp / "out", client="Acme Ltd/UK", max_file_size=2000)
    return result, inv


def test_outputs_have_the_documented_schemas(scanned):
    _, inv = scanned
    assert FINDINGS_SCHEMA.names == DOCUMENTED_FINDINGS
    for name, schema in FILES.items():
        written = pq.read_schema(inv.dir / name)
        assert written.names == schema.names, name
        for field in schema:
            got = written.field(field.name).type
            if pa.types.is_timestamp(field.type):  # Parquet has no second unit: stored as ms, same instant
                assert pa.types.is_timestamp(got) and got.tz == field.type.tz, field.name
            else:
                assert got == field.type, (name, field.name, got)


def test_partial_files_renamed(scanned):
    _, inv = scanned
    assert sorted(os.listdir(inv.dir)) == ["findings.parquet", "items.parquet", "manifest.json", "scan.json",
                                           "scan.lock", "values.parquet"]


def test_manifest_counts_equal_the_rows(scanned):
    result, inv = scanned
    counts = inv.manifest["counts"]
    assert json.loads(json.dumps(result.manifest, default=str)) == inv.manifest
    assert counts["items"] == len(inv.items) and counts["findings"] == len(inv.findings)
    by_status: dict[str, int] = {}
    for row in inv.items:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    assert counts["items_by_status"] == by_status
    entities: dict[str, int] = {}
    for f in inv.findings:
        entities[f["entity_type"]] = entities.get(f["entity_type"], 0) + f["count"]
    assert counts["entities"] == entities
    assert counts["bytes_scanned"] == sum(r["size"] for r in inv.items
                                          if r["status"] == "scanned" and not r["container"])
    assert by_status["skipped"] >= 1 and len(inv.values) >= 2  # the size limit and the csv column were exercised


def test_manifest_fields(scanned):
    _, inv = scanned
    m = inv.manifest
    assert m["format_version"] == FORMAT_VERSION
    assert m["client"] == "Acme Ltd/UK"
    assert re.fullmatch(r"\d{8}T\d{6}Z-Acme-Ltd-UK", m["scan_id"]) and inv.dir.name == m["scan_id"]
    assert datetime.fromisoformat(m["started"]) <= datetime.fromisoformat(m["ended"])
    assert m["options"]["max_file_size"] == 2000 and m["options"]["workers"] == 0
    assert len(m["key_id"]) == 12 and m["complete"] is True
    assert [t["status"] for t in m["targets"]] == ["complete"]


def test_rows_carry_provenance(scanned):
    _, inv = scanned
    m = inv.manifest
    target = m["targets"][0]["target"]
    for table in (inv.findings, inv.items, inv.values):
        for row in table:
            assert (row["scan_id"], row["client"], row["target"], row["agent"]) == (m["scan_id"], m["client"],
                                                                                  target, "local")
            assert row["uri"].startswith(target + "/")
    for f in inv.findings:
        assert f["category"] and f["preview"] and f["detector"] and 0 < f["score"] <= 1 and f["count"] >= 1
        text_finding = f["start"] is not None
        assert text_finding == (f["line"] is not None) == (f["value_hash"] is not None)
    item_mtimes = [r["mtime"] for r in inv.items if not r["container"]]
    assert all(t.tzinfo is not None for t in item_mtimes)


def test_make_scan_id():
    when = datetime(2026, 11, 22, 14, 32, 10, tzinfo=timezone.utc)
    assert make_scan_id("acme", when) == "20261122T143210Z-acme"
    assert make_scan_id("Globex Corp. (EU)", when) == "20261122T143210Z-Globex-Corp.-EU"
    assert make_scan_id("../../etc", when) == "20261122T143210Z-..-..-etc"
    assert "/" not in make_scan_id("../../etc", when)
    assert make_scan_id("///", when) == "20261122T143210Z-scan"
    assert make_scan_id("b", when) > make_scan_id("a", datetime(2026, 11, 22, 14, 32, 9, tzinfo=timezone.utc))


def test_writer_shows_only_partial_files_and_parts_until_closed(tmp_path, monkeypatch):
    monkeypatch.setattr(inventory, "BATCH_ROWS", 3)  # several row groups from a few rows
    writer = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")
    records = [ItemRecord(uri=f"file:///r/{i}.txt", path=f"{i}.txt", size=10, mtime=1_700_000_000.7)
               for i in range(7)]
    for chunk in (records[:3], records[3:5], records[5:]):
        writer.add_items("file:///r", "local", "host1", chunk)
        writer.commit()
    finding = Finding("EMAIL_ADDRESS", "contact", 0, 5, 1, 0.9, "email", "h" * 64, "j***@e***.com", count=4)
    writer.add_findings("file:///r", "local", "host1", [("file:///r/0.txt", "0.txt", finding)] * 5)
    writer.wait()
    names = sorted(os.listdir(writer.dir))
    assert names == ["findings.parquet.partial", "items.parquet.partial", "parts", "values.parquet.partial"]
    parts = sorted(os.listdir(os.path.join(writer.dir, "parts")))
    assert parts == ["000001", "000002", "000003"]  # committed, each whole and readable
    assert [pq.read_table(os.path.join(writer.dir, "parts", part, "items.parquet")).num_rows for part in parts] \
        == [3, 2, 2]
    manifest = writer.close({"extra": "kept"})
    assert sorted(os.listdir(writer.dir)) == ["findings.parquet", "items.parquet", "manifest.json",
                                              "values.parquet"]
    assert pq.ParquetFile(os.path.join(writer.dir, "items.parquet")).metadata.num_row_groups >= 2
    items = pq.read_table(os.path.join(writer.dir, "items.parquet")).to_pylist()
    assert [r["path"] for r in items] == [f"{i}.txt" for i in range(7)]
    assert items[0]["mtime"] == datetime.fromtimestamp(1_700_000_000, timezone.utc)
    assert manifest["counts"]["entities"] == {"EMAIL_ADDRESS": 20}
    assert manifest["counts"]["bytes_scanned"] == 70 and manifest["extra"] == "kept"
    assert json.loads(open(os.path.join(writer.dir, "manifest.json")).read()) == json.loads(
        json.dumps(manifest, default=str))


def test_row_groups_written_in_the_background_keep_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(inventory, "BATCH_ROWS", 3)  # a row group every few findings, each written by the thread
    writer = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")
    for batch in range(6):
        findings = [(f"file:///r/{batch}.txt", f"{batch}.txt",
                     Finding("EMAIL_ADDRESS", "contact", 10 * batch + i, 10 * batch + i + 5, 1, 0.9, "email",
                             f"{batch}-{i}", "j***@e***.com")) for i in range(batch)]
        writer.add_findings("file:///r", "local", "host1", findings)
        writer.commit()
    manifest = writer.close({})
    path = os.path.join(writer.dir, "findings.parquet")
    assert pq.ParquetFile(path).metadata.num_row_groups >= 4
    rows = pq.read_table(path).to_pylist()
    expected = [f"{batch}-{i}" for batch in range(6) for i in range(batch)]
    assert [r["value_hash"] for r in rows] == expected
    assert [r["start"] for r in rows] == [10 * batch + i for batch in range(6) for i in range(batch)]
    assert manifest["counts"]["findings"] == len(expected)


def test_rows_of_several_targets_in_one_part_keep_their_own_provenance(tmp_path):
    writer = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")
    finding = Finding("EMAIL_ADDRESS", "contact", 0, 5, 1, 0.9, "email", "h" * 64, "j***@e***.com")
    calls = [("file:///a", "local", "host-a", 2), ("file:///a", "local", "host-a", 1),
             ("sftp://b/", "ssh", "b", 3), ("file:///a", "local", None, 2), ("sqlite:///c", "sql", "", 1)]
    for target, agent, host, rows in calls:
        writer.add_findings(target, agent, host, [(f"{target}x", "x", finding)] * rows)
        writer.add_values(target, agent, host, [(f"{target}x", "x", "", "EMAIL_ADDRESS", "v")] * rows)
    writer.commit()
    writer.wait()
    (part,) = os.listdir(os.path.join(writer.dir, "parts"))
    names = ("findings.parquet", "values.parquet")
    tables = [pq.read_table(os.path.join(writer.dir, "parts", part, name)) for name in names]
    writer.close({})
    tables += [pq.read_table(os.path.join(writer.dir, name)) for name in names]
    expected = [(target, agent, host) for target, agent, host, rows in calls for _ in range(rows)]
    for table in tables:
        rows = table.to_pylist()
        assert [(r["target"], r["agent"], r["host"]) for r in rows] == expected
        assert [r["uri"] for r in rows] == [f"{target}x" for target, *_ in expected]
        assert {(r["scan_id"], r["client"]) for r in rows} == {("20260101T000000Z-t", "t")}


def test_a_failed_background_write_is_raised_and_nothing_looks_complete(tmp_path, monkeypatch):
    writer = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")

    def disk_full(table):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.contract["findings.parquet"].writer, "write_table", disk_full)
    finding = Finding("EMAIL_ADDRESS", "contact", 0, 5, 1, 0.9, "email", "h" * 64, "j***@e***.com")
    writer.add_findings("file:///r", "local", "host1", [("file:///r/0.txt", "0.txt", finding)] * 3)
    with pytest.raises(inventory.OutputError, match="No space left") as raised:
        writer.close({})
    assert raised.value.disk_full and raised.value.scan_dir == writer.dir
    assert "findings.parquet" not in os.listdir(writer.dir) and "manifest.json" not in os.listdir(writer.dir)


def test_writer_never_overwrites_a_scan(tmp_path):
    first = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")
    first.close({"which": "first"})
    try:
        second = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")
    except FileExistsError:
        second = None
    if second is not None:  # writing elsewhere is fine too; overwriting is not
        assert second.dir != first.dir
        second.close({"which": "second"})
    assert json.loads(open(os.path.join(first.dir, "manifest.json")).read())["which"] == "first"


def test_scan_when_its_folder_name_is_taken(tmp_path, monkeypatch):
    """A re-run within the same second (a retry, a script) must neither crash nor overwrite the earlier scan."""
    monkeypatch.setenv("PIISWEEP_KEY", "inventory-tests-key-0123456789")
    write_tree(tmp_path / "tree", {"a.txt": "nothing personal\n"})
    now = datetime.now(timezone.utc).timestamp()
    taken = {make_scan_id("acme", datetime.fromtimestamp(now + s, timezone.utc)) for s in range(-1, 6)}
    for name in taken:
        (tmp_path / "out" / name).mkdir(parents=True)
        (tmp_path / "out" / name / "manifest.json").write_text('{"earlier": true}')
    result, inv = scan(tmp_path / "tree", tmp_path / "out", client="acme")
    assert inv.manifest["client"] == "acme" and [r["path"] for r in inv.items] == ["a.txt"]
    assert len(os.listdir(tmp_path / "out")) == len(taken) + 1
    for name in taken:
        assert (tmp_path / "out" / name / "manifest.json").read_text() == '{"earlier": true}'
