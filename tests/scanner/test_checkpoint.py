"""Checkpoints, stops and resumes, driven through the engine's API in this process.

A scan commits parts as it goes; stopped part-way (on request, or at once as a kill
would) its folder is readable from what it committed and ``resume_scan`` finishes it
with exactly the rows an uninterrupted scan writes. The command-line behaviour (signals,
exit codes, real kills, full disks, remote targets) is tested in tests/test_resume_e2e.py.
"""

from __future__ import annotations

import json
import os

import pyarrow.parquet as pq
import pytest

from contract.scanfolder import read_folder
from contract.models import Finding, ItemRecord
from contract.targets import CredentialRef, parse_target
from reports.completeness import incomplete_reasons
from reports.query import Inventory
from scanner import inventory
from scanner.engine import ScanOptions, run_scan
from scanner.inventory import InventoryWriter
from scanner.lock import FolderLock
from scanner.resume import ResumeError, pending_scans, resume_scan
from scanner.stopping import ScanAborted, StopRequest
from tests.scanner.conftest import write_tree
from tests.scanner.helpers import assert_same_inventory, comparable, zip_of

FILES = {f"notes/n{i:02d}.txt": f"Note {i}: write to person{i}@example.org or call 07700 900{i:03d}.\n"
         for i in range(12)}
FILES.update({
    "bundle.zip": zip_of({"a.txt": "NI number JZ 48 21 93 B\n", "b.txt": "nothing here\n"}),
    "people.csv": "name,email\n" + "".join(f"P{i},p{i}@example.net\n" for i in range(30)),
    "broken.pdf": "%PDF-1.4 truncated",
})


class StopAfter:
    """A progress display that asks the scan to stop after ``items`` items, or stops it at once."""

    def __init__(self, stop: StopRequest, items: int, at_once: bool = False):
        self.stop, self.items, self.at_once, self.seen = stop, items, at_once, 0

    def discovered(self, item): pass
    def message(self, text): pass

    def finished(self, records, findings, text_bytes):
        self.seen += 1
        if self.seen == self.items:
            if self.at_once:
                self.stop.abort("stopped at once by the test", 130)
            self.stop.request("interrupted by the test", 130)


@pytest.fixture
def tree(tmp_path, estate_key):
    write_tree(tmp_path / "tree", FILES)
    return tmp_path / "tree"


@pytest.fixture
def reference(tree, tmp_path):
    return run_scan([parse_target(str(tree))], ScanOptions(out=str(tmp_path / "ref"), workers=0, ner=False)).scan_dir


def options(tmp_path, **kw) -> ScanOptions:
    return ScanOptions(out=str(tmp_path / "out"), workers=0, ner=False, **kw)


def test_parts_are_committed_as_the_scan_goes_and_removed_when_it_closes(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(inventory, "COMMIT_ITEMS", 4)
    seen_parts = []

    class Watch(StopAfter):
        def finished(self, records, findings, text_bytes):
            self.writer.wait()  # parts are written in the background: look once the last one is in
            parts = os.path.join(self.folder, "parts")
            seen_parts.append(sorted(os.listdir(parts)) if os.path.isdir(parts) else [])

    watch = Watch(StopRequest(), 0)
    original = InventoryWriter.reopen

    def reopen(scan_dir, *args, **kwargs):
        watch.folder = scan_dir
        watch.writer = original(scan_dir, *args, **kwargs)
        return watch.writer

    monkeypatch.setattr(InventoryWriter, "reopen", reopen)
    result = run_scan([parse_target(str(tree))], options(tmp_path), watch)
    assert max(len(parts) for parts in seen_parts) >= 3  # 15 items, a part every 4
    assert sorted(os.listdir(result.scan_dir)) == ["findings.parquet", "items.parquet", "manifest.json", "scan.json",
                                                   "scan.lock", "values.parquet"]
    assert os.path.getsize(os.path.join(result.scan_dir, "scan.lock")) == 0  # released
    assert result.manifest["complete"] is True and len(result.manifest["sessions"]) == 1


def test_a_stopped_scan_is_closed_incomplete_and_resumes_to_the_same_inventory(tree, tmp_path, reference):
    stop = StopRequest()
    result = run_scan([parse_target(str(tree))], options(tmp_path), StopAfter(stop, 5), stop)
    assert result.interrupted == "interrupted by the test" and result.exit_code == 130
    manifest = result.manifest
    assert manifest["complete"] is False and manifest["interrupted"] == "interrupted by the test"
    assert manifest["targets"][0]["status"] == "incomplete"
    assert 5 <= len([r for r in pq.read_table(os.path.join(result.scan_dir, "items.parquet")).to_pylist()
                     if not r["container"]]) < len(FILES)
    state = read_folder(result.scan_dir)
    assert state.closed and not state.complete and state.reason == "interrupted by the test"
    assert incomplete_reasons(result.scan_dir) == ["the scan was interrupted by the test before it read everything "
                                                   "(piisweep scan --resume finishes it)"]

    resumed = resume_scan(result.scan_dir)
    assert resumed.scan_dir == result.scan_dir and resumed.exit_code == 3  # broken.pdf, as in the reference
    assert resumed.manifest["complete"] is True and resumed.manifest["interrupted"] is None
    assert [s["outcome"] for s in resumed.manifest["sessions"]] == ["interrupted by the test", "complete"]
    assert_same_inventory(result.scan_dir, reference)
    assert resumed.manifest["counts"] == json.loads(open(os.path.join(reference, "manifest.json")).read())["counts"]
    assert resume_scan(result.scan_dir) is None  # complete: nothing changes


def test_a_scan_stopped_at_once_is_read_from_its_parts_and_resumed(tree, tmp_path, reference, monkeypatch):
    monkeypatch.setattr(inventory, "COMMIT_ITEMS", 3)
    stop = StopRequest()
    with pytest.raises(ScanAborted) as aborted:
        run_scan([parse_target(str(tree))], options(tmp_path), StopAfter(stop, 8, at_once=True), stop)
    scan_dir = aborted.value.scan_dir
    folder = read_folder(scan_dir)
    assert not folder.closed and folder.parts and "manifest.json" not in os.listdir(scan_dir)
    assert not any(name.endswith(".partial") for name in os.listdir(scan_dir))  # given up, space freed
    inv = Inventory(scan_dir)
    committed = inv.summary()["items"]
    assert 0 < committed < len(FILES) + 2  # (the zip's two members are rows too)
    assert inv.manifest["scan_id"] == os.path.basename(scan_dir)  # from the plan: there is no manifest yet
    [reason] = incomplete_reasons(scan_dir)
    assert f"only its {len(folder.parts)} committed part(s) are read" in reason

    # A large item's findings may be committed before its row: such rows belong to no committed
    # item, and neither the readers nor a resume may count them.
    writer = InventoryWriter.reopen(scan_dir, _plan(scan_dir))
    orphan = Finding("EMAIL_ADDRESS", "contact", 0, 5, 1, 0.9, "email", "f" * 64, "o***@e***.org")
    writer.add_findings(f"file://{tree}", "local", "localhost", [(f"file://{tree}/notes/n11.txt", "notes/n11.txt",
                                                                  orphan)] * 3)
    writer.commit()
    writer.abandon()
    assert Inventory(scan_dir).summary()["records"] == inv.summary()["records"]

    assert resume_scan(scan_dir).manifest["complete"] is True
    assert_same_inventory(scan_dir, reference)


def test_a_resume_stopped_at_once_keeps_what_the_closed_session_had(tree, tmp_path, reference, monkeypatch):
    monkeypatch.setattr(inventory, "COMMIT_ITEMS", 2)
    stop = StopRequest()
    first = run_scan([parse_target(str(tree))], options(tmp_path), StopAfter(stop, 4), stop)
    kept = "SELECT count(*) FROM items WHERE container = '' AND status <> 'error'"
    had = Inventory(first.scan_dir).con.execute(kept).fetchone()[0]
    stop = StopRequest()
    with pytest.raises(ScanAborted):
        resume_scan(first.scan_dir, StopAfter(stop, 3, at_once=True), stop)
    folder = read_folder(first.scan_dir)
    assert not folder.closed and not os.path.exists(os.path.join(first.scan_dir, "manifest.json"))
    assert folder.parts[0].endswith("-base") and len(folder.parts) >= 2
    top = "SELECT count(*) FROM items WHERE container = ''"
    assert Inventory(first.scan_dir).con.execute(top).fetchone()[0] >= had + 2  # the base, and a part after it
    assert resume_scan(first.scan_dir).manifest["complete"] is True
    assert_same_inventory(first.scan_dir, reference)


def _plan(scan_dir):
    from scanner.resume import read_plan

    return read_plan(scan_dir)


def test_a_rescan_since_an_unfinished_scan_reads_again_what_it_did_not_commit(tree, tmp_path, reference):
    stop = StopRequest()
    with pytest.raises(ScanAborted) as aborted:
        run_scan([parse_target(str(tree))], options(tmp_path, checkpoint_seconds=0), StopAfter(stop, 6, at_once=True),
                 stop)
    partial = aborted.value.scan_dir
    rescan = run_scan([parse_target(str(tree))], options(tmp_path, since=partial))
    assert 0 < rescan.manifest["carried_over_items"] < len(FILES)
    got, want = comparable(rescan.scan_dir), comparable(reference)
    assert got["findings.parquet"] == want["findings.parquet"] and got["values.parquet"] == want["values.parquet"]

    def items(scan_dir):
        return sorted((r["uri"], r["status"], r["findings"]) for r in pq.read_table(
            os.path.join(scan_dir, "items.parquet")).to_pylist())

    assert items(rescan.scan_dir) == items(reference)


def test_resume_refuses_what_it_cannot_resume(tree, tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ResumeError, match="not a scan folder"):
        resume_scan(str(tmp_path / "empty"))
    stop = StopRequest()
    result = run_scan([parse_target(str(tree))], options(tmp_path), StopAfter(stop, 2), stop)
    monkeypatch.setenv("PIISWEEP_KEY", "another-estate-key-0123456789")
    with pytest.raises(ResumeError, match="another estate key"):
        resume_scan(result.scan_dir)


def test_a_folder_held_by_another_process_is_refused(tree, tmp_path):
    stop = StopRequest()
    result = run_scan([parse_target(str(tree))], options(tmp_path), StopAfter(stop, 2), stop)
    with FolderLock(os.path.join(result.scan_dir, "scan.lock"), "piisweep scan"):
        with pytest.raises(ResumeError, match=f"already running: pid {os.getpid()}"):
            resume_scan(result.scan_dir)


def test_the_plan_names_credentials_and_never_holds_them(tmp_path, estate_key, monkeypatch):
    monkeypatch.setenv("SMB_SECRET_FOR_TEST", "Sup3r-Secret-Passw0rd")
    write_tree(tmp_path / "tree", {"a.txt": "hello\n"})
    smb = parse_target("smb://scanner@127.0.0.1:1/share", CredentialRef(password_env="SMB_SECRET_FOR_TEST"))
    result = run_scan([parse_target(str(tmp_path / "tree")), smb], options(tmp_path))
    assert result.exit_code == 4  # nothing listens on port 1: that target failed, the scan is incomplete
    plan = open(os.path.join(result.scan_dir, "scan.json")).read()
    assert "SMB_SECRET_FOR_TEST" in plan and "Sup3r-Secret-Passw0rd" not in plan
    [pending] = pending_scans(result.scan_dir)  # a failed target makes the scan resumable
    assert pending.scan_dir == result.scan_dir
    assert resume_scan(result.scan_dir).manifest["targets"][1]["status"] == "failed"  # still down


def test_resuming_one_client_of_an_estate_run_does_every_client_left(tmp_path, estate_key):
    from scanner.plan import Job, absolute_job, to_data

    write_tree(tmp_path / "a", dict(list(FILES.items())[:6]))
    write_tree(tmp_path / "b", {"x.txt": "mail me at b@example.com\n"})
    jobs = [absolute_job(Job(name, [parse_target(str(tmp_path / name))], options(tmp_path, client=name)))
            for name in ("a", "b")]
    run = {"id": "run-1", "jobs": [to_data(job) for job in jobs]}
    stop = StopRequest()
    first = run_scan(jobs[0].targets, jobs[0].options, StopAfter(stop, 2), stop, estate_run=run)
    assert first.interrupted
    pending = pending_scans(first.scan_dir)
    assert [(p.job.client, p.scan_dir) for p in pending] == [("a", first.scan_dir), ("b", None)]
    results = [p.run() for p in pending]
    assert all(r.manifest["complete"] for r in results)
    assert pending_scans(first.scan_dir) == []
    assert json.loads(open(os.path.join(results[1].scan_dir, "scan.json")).read())["estate_run"]["id"] == "run-1"


def test_items_of_a_committed_part_are_whole_parquet_files(tmp_path):
    writer = InventoryWriter(str(tmp_path), "20260101T000000Z-t", "t")
    writer.add_items("file:///r", "local", "h", [ItemRecord(uri="file:///r/a", path="a")])
    writer.commit()
    writer.wait()
    part = os.path.join(writer.dir, "parts", "000001")
    assert sorted(os.listdir(part)) == ["findings.parquet", "items.parquet", "values.parquet"]
    assert [r["uri"] for r in pq.read_table(os.path.join(part, "items.parquet")).to_pylist()] == ["file:///r/a"]
    assert not [n for n in os.listdir(os.path.join(writer.dir, "parts")) if n.startswith(".tmp")]
    writer.abandon()


def test_an_item_still_read_when_the_grace_ends_gets_an_interrupted_row(tmp_path, estate_key):
    # the long item is sent first (largest first) and reads for seconds; the notes finish on the
    # other worker and ask for the stop: with no grace, the long one is stopped and marked
    from tests.scanner.test_engine import _prose

    files = {f"notes/n{i:02d}.txt": f"write to person{i}@example.org\n" for i in range(40)}
    files["long.txt"] = _prose(2_000_000)
    write_tree(tmp_path / "tree", files)
    stop = StopRequest(grace=0)
    result = run_scan([parse_target(str(tmp_path / "tree"))],
                      ScanOptions(out=str(tmp_path / "out"), workers=2, ner=True), StopAfter(stop, 5), stop)
    assert result.exit_code == 130 and result.manifest["interrupted"] == "interrupted by the test"
    rows = {row["path"]: row for row in pq.read_table(os.path.join(result.scan_dir, "items.parquet")).to_pylist()}
    assert (rows["long.txt"]["status"], rows["long.txt"]["reason"]) == ("error", "interrupted")
    assert 5 <= len(rows) - 1 < 40 and all(row["status"] == "scanned" for path, row in rows.items()
                                            if path != "long.txt")
