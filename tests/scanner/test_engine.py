"""The scan engine end to end in this process (and with a real worker for time limits)."""

from __future__ import annotations

import os
import sqlite3
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from detectors.normalise import normalise
from scanner.engine import EXIT_ITEM_ERRORS, EXIT_OK, EXIT_TARGET_FAILED, selected
from scanner.inventory import FINDINGS_SCHEMA, VALUES_SCHEMA
from contract.keys import value_hash
from contract.models import ERROR, SCANNED, SKIPPED
from tests.scanner.conftest import write_tree
from tests.scanner.helpers import finding_keys, scan, top_rows, zip_of

EMAIL_A = "wilhelmina.testperson@fixture-mail.example"
EMAIL_B = "olaf.fixture@estate-test.example"
EMAIL_C = "ingrid.newcomer@estate-test.example"
NINO = "JZ 48 21 93 B"


def hashed(key: bytes, entity: str, value: str) -> str:
    return value_hash(key, normalise(entity, value))


@pytest.mark.parametrize("path, include, exclude, expected", [
    ("docs/letter.txt", (), (), True),
    ("docs/letter.txt", ("*.txt",), (), True),
    ("docs/letter.txt", ("*.md",), (), False),
    ("docs/letter.txt", ("docs",), (), True),                        # a folder part selects what is under it
    ("docs/letter.txt", ("docs/*",), (), True),                      # a glob on the whole path
    ("web/node_modules/pkg/readme.txt", (), ("node_modules",), False),
    ("web/node_modules/pkg/readme.txt", ("*.txt",), ("node_modules",), False),  # exclude wins
    ("web/src/app.py", (), ("node_modules",), True),
    ("images/disk.iso", ("*.txt", "*.iso"), ("*.iso",), False),
    ("a/b/c.txt", (), ("a/b/*",), False),
    ("a/bb/c.txt", (), ("a/b/*",), True),
])
def test_selected(path, include, exclude, expected):
    assert selected(path, include, exclude) is expected


def test_include_exclude_globs_decide_what_gets_rows(tmp_path, estate_key):
    write_tree(tmp_path / "tree", {
        "docs/letter.txt": f"write to {EMAIL_A}\n",
        "docs/notes.md": "meeting notes\n",
        "docs/disk.iso": "not really a disk image\n",
        "web/node_modules/pkg/readme.txt": f"maintainer {EMAIL_B}\n",
        "web/src/app.py": "print('hello')\n",
    })
    os.symlink("letter.txt", tmp_path / "tree" / "web" / "node_modules" / "link.txt")
    _, inv = scan(tmp_path / "tree", tmp_path / "out", include=("*.txt", "*.md", "*.iso", "link*"),
                  exclude=("node_modules", "*.iso"))
    assert set(top_rows(inv.items)) == {"docs/letter.txt", "docs/notes.md"}
    assert {f["path"] for f in inv.findings} == {"docs/letter.txt"}
    assert inv.manifest["options"]["include"] == ["*.txt", "*.md", "*.iso", "link*"]


def test_max_file_size_gives_a_skipped_row_with_reason(tmp_path, estate_key):
    write_tree(tmp_path / "tree", {"big.txt": f"{EMAIL_A} " + "x" * 5000, "small.txt": f"{EMAIL_B}\n"})
    result, inv = scan(tmp_path / "tree", tmp_path / "out", max_file_size=1000)
    rows = top_rows(inv.items)
    big = rows["big.txt"]
    assert (big["status"], big["reason"]) == (SKIPPED, "larger than --max-file-size (1000 bytes)")
    assert big["size"] == 5000 + len(EMAIL_A) + 1 and big["findings"] == 0
    assert rows["small.txt"]["status"] == SCANNED
    assert {f["path"] for f in inv.findings} == {"small.txt"}
    assert result.exit_code == EXIT_OK


def test_exactly_one_item_row_per_file(tmp_path, estate_key):
    root = tmp_path / "tree"
    write_tree(root, {
        "a.txt": f"{EMAIL_A}\n",
        "deep/er/b.csv": f"name,email\nOlaf,{EMAIL_B}\n",
        "empty.txt": "",
        "bundle.zip": zip_of({"one.txt": f"{EMAIL_A}\n", "two/three.txt": f"NI {NINO}\n"}),
        "broken.zip": b"PK\x03\x04 this is not a real archive",
        "binary.bin": bytes(range(256)) * 8,
    })
    os.mkfifo(root / "pipe")
    os.symlink("a.txt", root / "link.txt")
    _, inv = scan(root, tmp_path / "out")
    rows = top_rows(inv.items)
    assert set(rows) == {"a.txt", "deep/er/b.csv", "empty.txt", "bundle.zip", "broken.zip", "binary.bin",
                         "pipe", "link.txt"}
    assert len({r["uri"] for r in inv.items}) == len(inv.items)  # members have their own URIs
    assert (rows["pipe"]["status"], rows["link.txt"]["status"]) == (SKIPPED, SKIPPED)
    members = {r["container"]: r for r in inv.items if r["container"]}
    assert set(members) >= {"one.txt", "two/three.txt"}
    assert all(m["path"] == "bundle.zip" and m["kind"] == "member" for m in members.values())
    assert rows["a.txt"]["findings"] == 1 and rows["a.txt"]["status"] == SCANNED


def test_equal_values_in_one_item_make_one_row_with_a_count(tmp_path, estate_key):
    write_tree(tmp_path / "tree", {"contacts.txt": "Jane@Example.COM\nnothing here\njane@example.com\n"
                                                  "call 07700 900123 or +44 7700 900123\n"})
    _, inv = scan(tmp_path / "tree", tmp_path / "out")
    by_type = {f["entity_type"]: f for f in inv.findings}
    assert sorted(f["entity_type"] for f in inv.findings) == ["EMAIL_ADDRESS", "PHONE_NUMBER"]
    email = by_type["EMAIL_ADDRESS"]
    assert (email["count"], email["start"], email["end"], email["line"]) == (2, 0, 16, 1)
    assert email["value_hash"] == hashed(estate_key, "EMAIL_ADDRESS", "jane@example.com")
    assert by_type["PHONE_NUMBER"]["count"] == 2
    assert by_type["PHONE_NUMBER"]["value_hash"] == hashed(estate_key, "PHONE_NUMBER", "+447700900123")


def test_no_raw_value_in_any_output(tmp_path, estate_key):
    write_tree(tmp_path / "tree", {
        "a.txt": f"{EMAIL_A} NI {NINO}\npassword=Fixture-Secret-4417\n",
        "people.csv": f"name,email\nOlaf,{EMAIL_B}\nIngrid,{EMAIL_C}\n",
    })
    result, inv = scan(tmp_path / "tree", tmp_path / "out")
    assert {f["entity_type"] for f in inv.findings} >= {"EMAIL_ADDRESS", "UK_NINO", "PASSWORD"}
    cells = [str(v) for table in (inv.findings, inv.items, inv.values) for row in table for v in row.values()]
    cells.append((inv.dir / "manifest.json").read_text())
    for raw in (EMAIL_A, EMAIL_B, EMAIL_C, NINO, NINO.replace(" ", ""), "Fixture-Secret-4417"):
        assert not any(raw in cell for cell in cells), raw


def test_failed_target_marked_and_the_others_scanned(tmp_path, estate_key):
    write_tree(tmp_path / "tree", {"a.txt": f"{EMAIL_A}\n"})
    result, inv = scan([tmp_path / "missing", tmp_path / "tree"], tmp_path / "out")
    assert result.exit_code == EXIT_TARGET_FAILED
    missing, tree = inv.manifest["targets"]
    assert missing["status"] == "failed" and "cannot read" in missing["error"]
    assert tree["status"] == "complete"
    assert inv.manifest["complete"] is False
    assert set(top_rows(inv.items)) == {"a.txt"}


def _prose(chars: int) -> str:
    """Plain English sentences with names in them: NER reads every one of them (slowly)."""
    words = ("the committee reviewed the annual budget after Margaret Thompson and David Okafor met "
             "residents of Bristol to discuss plans for a new library near the river").split()
    out, n, i = [], 0, 0
    while n < chars:
        sentence = " ".join(words[(i + j * 7) % len(words)] for j in range(14)).capitalize() + ". "
        out.append(sentence)
        n += len(sentence)
        i += 1
    return "".join(out)


def test_item_timeout_kills_the_slow_item_and_the_scan_goes_on(tmp_path, estate_key):
    # prose with names goes at ~150 KB/s: 2 MB needs well over 2 s (400 KB, once, no longer did);
    # the worker is killed at 2 s and replaced
    write_tree(tmp_path / "tree", {
        "a_slow.txt": _prose(2_000_000),
        "b_after.txt": f"contact {EMAIL_A}\n",
        "c_after.txt": f"NI number {NINO}\n",
    })
    started = time.monotonic()
    result, inv = scan(tmp_path / "tree", tmp_path / "out", workers=1, item_timeout=2, ner=True)
    elapsed = time.monotonic() - started
    rows = top_rows(inv.items)
    assert (rows["a_slow.txt"]["status"], rows["a_slow.txt"]["reason"]) == (ERROR, "timeout after 2 s")
    assert rows["a_slow.txt"]["size"] == os.path.getsize(tmp_path / "tree" / "a_slow.txt")
    assert rows["b_after.txt"]["status"] == rows["c_after.txt"]["status"] == SCANNED
    assert {(f["path"], f["entity_type"]) for f in inv.findings} == {("b_after.txt", "EMAIL_ADDRESS"),
                                                                     ("c_after.txt", "UK_NINO")}
    assert result.exit_code == EXIT_ITEM_ERRORS
    assert inv.manifest["complete"] is True
    assert inv.manifest["counts"]["items_by_status"] == {"error": 1, "scanned": 2}
    assert elapsed < 60


def test_the_largest_waiting_item_is_scanned_first(tmp_path, estate_key):
    # a big file enumerated last would leave the other workers idle at the end of the scan
    sizes = {"a_small.log": 2_000, "b_large.log": 400_000, "c_medium.log": 60_000}
    write_tree(tmp_path / "tree", {name: "host 10.1.2.3\n" * (size // 14) for name, size in sizes.items()})
    _, inv = scan(tmp_path / "tree", tmp_path / "out", workers=1, ner=False)
    finished = [r["path"] for r in inv.items if not r["container"]]  # rows are written as items finish
    assert finished == ["b_large.log", "c_medium.log", "a_small.log"]


def test_a_table_of_unknown_size_is_scanned_before_the_files(tmp_path, estate_key):
    # a table's sampling may be slow: it must not be the last item while other workers idle
    write_tree(tmp_path / "tree", {"big.log": "host 10.1.2.3\n" * 20_000})
    db = tmp_path / "crm.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (email TEXT)")
        conn.executemany("INSERT INTO customers VALUES (?)", [(EMAIL_A,)] * 20)
    _, inv = scan([tmp_path / "tree", f"sqlite:///{db}"], tmp_path / "out", workers=1, ner=False)
    finished = [(r["kind"], r["status"]) for r in inv.items if not r["container"]]
    assert finished == [("table", SCANNED), ("file", SCANNED)]


def test_last_items_go_to_an_idle_worker_not_behind_a_long_one(tmp_path, estate_key):
    # two items for two workers: the quick one must not wait in the pipe of the worker
    # reading the slow one (NER over 60 KB of prose: seconds) while the other worker idles
    write_tree(tmp_path / "tree", {"a_slow.txt": _prose(60_000), "b_quick.txt": f"contact {EMAIL_A}\n"})
    _, inv = scan(tmp_path / "tree", tmp_path / "out", workers=2, ner=True)
    finished = [r["path"] for r in inv.items if not r["container"]]  # rows are written as items finish
    assert finished == ["b_quick.txt", "a_slow.txt"]
    assert all(r["status"] == SCANNED for r in inv.items)


def test_incremental_rescan_carries_unchanged_items(tmp_path, estate_key):
    root = tmp_path / "tree"
    write_tree(root, {
        "a.txt": f"{EMAIL_A}\nagain {EMAIL_A}\ncall 07700 900123\n",
        "b.txt": f"{EMAIL_B}\n",
        "c.txt": f"NI {NINO}\n",
        "d.zip": zip_of({"inner/m.txt": f"{EMAIL_B} and {NINO}\n"}),
        "people.csv": f"name,email\nOlaf,{EMAIL_B}\nWil,{EMAIL_A}\nIngrid,{EMAIL_C}\n",
    })
    _, first = scan(root, tmp_path / "out1", client="acme")
    with open(root / "b.txt", "a") as fh:
        fh.write(f"new contact {EMAIL_C}\n")
    os.remove(root / "c.txt")
    write_tree(root, {"e.txt": f"{EMAIL_C}\n"})

    result, second = scan(root, tmp_path / "out2", client="acme", since=str(first.dir))
    rows = top_rows(second.items)
    assert set(rows) == {"a.txt", "b.txt", "d.zip", "people.csv", "e.txt"}  # c.txt deleted: no row
    carried = {p for p, r in rows.items() if r["carried_over"]}
    assert carried == {"a.txt", "d.zip", "people.csv"}
    assert all(r["carried_over"] for r in second.items if r["container"])  # d.zip's member rows too
    assert [r["container"] for r in second.items if r["container"]] == \
        [r["container"] for r in first.items if r["container"]]
    for path in ("a.txt", "d.zip", "people.csv"):
        assert finding_keys(second.findings, path) == finding_keys(first.findings, path), path
        assert rows[path]["findings"] == top_rows(first.items)[path]["findings"]
    assert sorted((v["path"], v["value_hash"]) for v in second.values) == \
        sorted((v["path"], v["value_hash"]) for v in first.values)
    assert {f["scan_id"] for f in second.findings} == {second.manifest["scan_id"]}

    b_hashes = {f["value_hash"] for f in second.findings if f["path"] == "b.txt"}
    assert b_hashes == {hashed(estate_key, "EMAIL_ADDRESS", EMAIL_B), hashed(estate_key, "EMAIL_ADDRESS", EMAIL_C)}
    assert rows["b.txt"]["size"] == os.path.getsize(root / "b.txt")
    assert not any(f["path"] == "c.txt" for f in second.findings)
    assert {f["path"] for f in second.findings if f["path"] == "e.txt"} == {"e.txt"}

    manifest = second.manifest
    assert manifest["carried_over_items"] == 3
    assert manifest["previous_scan"] == str(first.dir)
    assert manifest["counts"]["findings"] == len(second.findings)
    assert manifest["counts"]["items"] == len(second.items)
    assert manifest["counts"]["entities"]["EMAIL_ADDRESS"] == sum(
        f["count"] for f in second.findings if f["entity_type"] == "EMAIL_ADDRESS")
    assert result.exit_code == EXIT_OK

    # carrying over is transitive: a third scan of an unchanged tree carries everything from the second
    _, third = scan(root, tmp_path / "out3", client="acme", since=str(second.dir))
    assert all(r["carried_over"] for r in third.items)
    assert third.manifest["carried_over_items"] == 5
    for path in rows:
        assert finding_keys(third.findings, path) == finding_keys(second.findings, path), path
    # every row carried: the counts per entity come from the second manifest, and must still be the rows'
    entities: dict[str, int] = {}
    for f in third.findings:
        entities[f["entity_type"]] = entities.get(f["entity_type"], 0) + f["count"]
    assert third.manifest["counts"]["entities"] == entities == second.manifest["counts"]["entities"]
    assert {f["scan_id"] for f in third.findings} | {v["scan_id"] for v in third.values} == \
        {third.manifest["scan_id"]}


def test_rescan_carries_from_an_inventory_of_plain_string_columns(tmp_path, estate_key):
    # inventories written before the writer held repeated strings dictionary-encoded (and with
    # Arrow's schema stored) carry over all the same
    root = tmp_path / "tree"
    write_tree(root, {"a.txt": f"{EMAIL_A}\nNI {NINO}\n",
                      "people.csv": f"name,email\nOlaf,{EMAIL_B}\nWil,{EMAIL_A}\n"})
    _, first = scan(root, tmp_path / "out1", client="acme")
    for name, schema in (("findings.parquet", FINDINGS_SCHEMA), ("values.parquet", VALUES_SCHEMA)):
        table = pq.read_table(first.dir / name)
        assert table.num_rows
        pq.write_table(table.cast(schema), first.dir / name, compression="zstd", use_dictionary=False)
    _, second = scan(root, tmp_path / "out2", client="acme", since=str(first.dir))
    assert second.manifest["carried_over_items"] == 2
    for path in ("a.txt", "people.csv"):
        assert finding_keys(second.findings, path) == finding_keys(first.findings, path), path
    assert sorted((v["path"], v["value_hash"]) for v in second.values) == \
        sorted((v["path"], v["value_hash"]) for v in first.values)
    assert pq.read_schema(second.dir / "findings.parquet").field("uri").type == pa.string()


def test_failed_item_is_read_again_on_rescan(tmp_path, estate_key):
    root = tmp_path / "tree"
    write_tree(root, {"big.txt": f"{EMAIL_A} " + "x" * 3000})
    _, first = scan(root, tmp_path / "out1", max_file_size=100)
    assert top_rows(first.items)["big.txt"]["status"] == SKIPPED
    _, second = scan(root, tmp_path / "out2", since=str(first.dir))
    row = top_rows(second.items)["big.txt"]
    assert (row["status"], row["carried_over"]) == (SCANNED, False)
    assert second.manifest["carried_over_items"] == 0
    assert [f["path"] for f in second.findings] == ["big.txt"]


def test_sparse_column_count_is_scaled_per_sampled_row(tmp_path, estate_key):
    # 6,000 rows, one in ten with an e-mail: more rows than the 1,000-row sample, so the count is
    # an estimate; it must be about 600, not 6,000 (the sample's ~100 e-mails scaled as if every
    # sampled row held one)
    rows = ["id,email,amount"] + [f"{i},{f'user{i}@example.com' if i % 10 == 0 else ''},{i * 3}"
                                  for i in range(6000)]
    write_tree(tmp_path / "tree", {"export.csv": "\n".join(rows) + "\n"})
    _, inv = scan(tmp_path / "tree", tmp_path / "out")
    email = [f for f in inv.findings if f["entity_type"] == "EMAIL_ADDRESS"]
    assert len(email) == 1 and email[0]["container"] == "#email"
    assert 450 <= email[0]["count"] <= 750


def test_a_batch_that_outlasts_the_limit_is_run_again_item_by_item(tmp_path, estate_key):
    # small files travel in one batch; the slow one makes the batch outlast the limit, and only
    # it may end as an error: the others, run again one by one, are scanned
    files = {f"note-{i}.txt": f"contact {EMAIL_A}\n" for i in range(5)}
    files["a_slow.txt"] = _prose(250_000)  # ~1 s of NER, small enough to share a batch
    write_tree(tmp_path / "tree", files)
    result, inv = scan(tmp_path / "tree", tmp_path / "out", workers=1, item_timeout=0.4, ner=True)
    rows = top_rows(inv.items)
    assert (rows["a_slow.txt"]["status"], rows["a_slow.txt"]["reason"]) == (ERROR, "timeout after 0.4 s")
    assert {path: row["status"] for path, row in rows.items() if path != "a_slow.txt"} == {
        f"note-{i}.txt": SCANNED for i in range(5)}
    assert sorted(f["path"] for f in inv.findings) == [f"note-{i}.txt" for i in range(5)]
    assert result.exit_code == EXIT_ITEM_ERRORS
