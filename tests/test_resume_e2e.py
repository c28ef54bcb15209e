"""Crash-safe, resumable scans, tried as they fail in use: real processes, real faults.

A multi-format estate (archives, Office, PDF, e-mail, SQLite, a large log, broken files)
plus a PostgreSQL database is scanned through the command line and then: killed with
SIGKILL at seeded random moments, stopped with SIGTERM and SIGINT (a second Ctrl-C too),
starved of disk space on a small tmpfs, refused by a read-only one and by a folder
lock; an SSH server dies mid-scan; an estate of a local and an SMB client is stopped in
its first client. Every time ``piisweep scan --resume`` must end with the inventory an
uninterrupted scan writes: the same item rows, findings with their counts and column
values, none missing and none twice.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from contract.scanfolder import read_folder
from scanner.lock import FolderLock
from tests.cli import only_scan, run_cli, start_cli
from tests.estate_builder import build_estate
from tests.extract.builders import encrypted_pdf_bytes, zip_bytes
from tests.scanner.helpers import assert_same_inventory
from tests.servers import make_served_dir
from tests.servers.sshd import start_sshd

FAST = ["--no-ner", "--workers", "2", "-q", "--checkpoint-seconds", "0.2"]


def _write(root: Path, rel: str, data: bytes | str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def build_resume_estate(root: Path) -> None:
    """The e2e estate, plus enough items for a scan to be stopped part-way, a log large enough to be
    read while the scan is stopped (its 24,000 findings streamed to the scan in two batches), and
    broken files."""
    build_estate(str(root))
    rng = random.Random(26)
    for i in range(150):
        _write(root, f"home/user{i % 10}/note{i:03d}.txt",
               f"Call {rng.choice(['Ann', 'Bob', 'Cy'])} on 07700 900{i:03d} or write to user{i}@example.org.\n" * 3)
    _write(root, "logs/access.log", "".join(f"2026-01-01 login user{i}@corp.example from 10.{i // 65536 % 256}."
                                            f"{i // 256 % 256}.{i % 256}\n" for i in range(12_000)))
    _write(root, "bad/truncated.pdf", b"%PDF-1.4\n1 0 obj\n<<")
    _write(root, "bad/locked.pdf", encrypted_pdf_bytes("secret text"))
    _write(root, "bad/corrupt.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8)
    _write(root, "bad/members.zip", zip_bytes({"ok.txt": b"mail ok@example.com\n", "bin.dat": bytes(range(256))}))
    os.mkfifo(root / "bad" / "pipe")


@pytest.fixture(scope="module")
def estate(tmp_path_factory, pg_db):
    """The estate's targets and its uninterrupted scan (the reference every resume must equal)."""
    tmp = tmp_path_factory.mktemp("resume-e2e")
    build_resume_estate(tmp / "estate")
    targets = [str(tmp / "estate"), pg_db.target]
    started = time.monotonic()
    proc = run_cli(["scan", *targets, "--out", str(tmp / "ref"), *FAST], tmp)
    seconds = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr  # the broken files are errors
    reference = only_scan(tmp / "ref")
    assert reference.manifest["complete"] and len({r["uri"] for r in reference.items}) == len(reference.items)
    formats = {r["format"] for r in reference.items}
    assert {"zip", "docx", "xlsx", "pdf", "eml", "sqlite", "table"} <= formats, formats
    return {"tmp": tmp, "targets": targets, "reference": reference.dir, "seconds": seconds,
            "exit_code": proc.returncode}


def _wait_for(predicate, timeout: float = 60, what: str = "the scan") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _scan_dir(out: Path) -> Path | None:
    found = [p for p in out.iterdir() if p.is_dir()] if out.is_dir() else []
    return found[0] if len(found) == 1 else None


def _committed(out: Path) -> bool:
    folder = _scan_dir(out)
    state = read_folder(str(folder)) if folder is not None else None
    return state is not None and bool(state.parts)


def _resume(scan_dir: Path, tmp: Path, **env) -> subprocess.CompletedProcess:
    return run_cli(["scan", "--resume", str(scan_dir)], tmp, **env)


@pytest.mark.parametrize("seed", range(10))
def test_killed_at_a_random_moment_then_resumed_equals_an_uninterrupted_scan(estate, seed, tmp_path):
    out = tmp_path / "out"
    proc = start_cli(["scan", *estate["targets"], "--out", str(out), *FAST], tmp_path)
    _wait_for(lambda: _scan_dir(out) is not None)
    time.sleep(random.Random(seed).uniform(0, 0.9 * estate["seconds"]))
    os.killpg(proc.pid, signal.SIGKILL)  # the scan, its fork server and its workers: a power cut
    proc.wait(timeout=10)
    scan_dir = _scan_dir(out)
    folder = read_folder(str(scan_dir))
    if not folder.closed:  # killed before it closed: it held the lock, now a dead process's
        assert json.loads((scan_dir / "scan.lock").read_text())["pid"] == proc.pid
    resumed = _resume(scan_dir, tmp_path)
    assert resumed.returncode in (0, estate["exit_code"]), resumed.stderr
    if resumed.returncode == 0:  # it had closed before the kill: nothing to do
        assert folder.closed and "is complete" in resumed.stdout
    assert_same_inventory(scan_dir, estate["reference"])
    assert not (scan_dir / "parts").exists() and (scan_dir / "scan.lock").read_text() == ""


@pytest.mark.parametrize("sig, grace, quiet", [(signal.SIGTERM, "0", True), (signal.SIGINT, "10", False)])
def test_a_signal_stops_the_scan_cleanly_and_it_resumes(estate, sig, grace, quiet, tmp_path):
    out = tmp_path / "out"
    proc = start_cli(["scan", *estate["targets"], "--out", str(out), "--no-ner", "--workers", "2",
                      "--checkpoint-seconds", "0.2", "--grace", grace, *(["-q"] if quiet else [])], tmp_path)
    _wait_for(lambda: _committed(out), what="a first committed part")
    os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C or a service manager reaches every process of the scan
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr + stdout and "Aborted" not in stderr
    scan_dir = _scan_dir(out)
    assert f"interrupted by {signal.Signals(sig).name}" in stderr
    assert f"resume with: piisweep scan --resume {scan_dir}" in stderr
    manifest = json.loads((scan_dir / "manifest.json").read_text())
    assert manifest["complete"] is False and manifest["interrupted"] == f"interrupted by {signal.Signals(sig).name}"
    assert manifest["exit_code"] == 128 + sig
    items = pq.read_table(scan_dir / "items.parquet").to_pylist()  # a readable, partial inventory
    reference_items = pq.read_table(Path(estate["reference"]) / "items.parquet").num_rows
    assert 0 < len(items) < reference_items and manifest["counts"]["items"] == len(items)
    # items still being read when a grace of 0 ran out are marked "interrupted" (whether any
    # was depends on the moment: tests/scanner/test_checkpoint.py makes sure of one); the
    # resume reads them again and must end with the reference's rows
    resumed = _resume(scan_dir, tmp_path)
    assert resumed.returncode == estate["exit_code"], resumed.stderr
    assert_same_inventory(scan_dir, estate["reference"])
    assert [s["outcome"] for s in json.loads((scan_dir / "manifest.json").read_text())["sessions"]] == [
        f"interrupted by {signal.Signals(sig).name}", "complete"]


def test_a_second_ctrl_c_stops_at_once_and_the_folder_resumes(estate, tmp_path):
    out = tmp_path / "out"
    proc = start_cli(["scan", *estate["targets"], "--out", str(out), *FAST, "--grace", "60"], tmp_path)
    _wait_for(lambda: _committed(out), what="a first committed part")
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.02)  # (far less than draining the items being read and closing the inventory takes)
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "stopped at once by a second SIGINT" in stderr, stderr
    assert "Traceback" not in stderr + stdout
    scan_dir = _scan_dir(out)
    folder = read_folder(str(scan_dir))
    assert not folder.closed and folder.parts  # like a killed scan: its committed parts
    assert _resume(scan_dir, tmp_path).returncode == estate["exit_code"]
    assert_same_inventory(scan_dir, estate["reference"])


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs for the test (skipped where this machine does not allow mounting)."""
    mounted = []

    def mount(size: str, options: str = "") -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}{options}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_output_disk_full_stops_cleanly_and_resumes_once_space_is_freed(estate, tmp_path, tmpfs):
    disk = tmpfs("1200k")
    out = disk / "out"
    proc = run_cli(["scan", *estate["targets"], "--out", str(out), *FAST], tmp_path)
    assert proc.returncode == 1, proc.stderr
    scan_dir = _scan_dir(out)
    assert "No space left on device" in proc.stderr and f"piisweep scan --resume {scan_dir}" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    folder = read_folder(str(scan_dir))
    assert not folder.closed and folder.parts
    assert not [name for name in os.listdir(scan_dir) if name.endswith(".partial")]  # their space is given back
    for part in folder.parts:  # every committed part is whole
        for name in ("items.parquet", "findings.parquet", "values.parquet"):
            pq.read_table(os.path.join(part, name))
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
    resumed = _resume(scan_dir, tmp_path)
    assert resumed.returncode == estate["exit_code"], resumed.stderr
    assert_same_inventory(scan_dir, estate["reference"])


def test_an_output_folder_that_cannot_be_written_is_a_usage_error(estate, tmp_path, tmpfs):
    read_only = tmpfs("1m", ",ro")
    proc = run_cli(["scan", *estate["targets"], "--out", str(read_only / "out"), *FAST], tmp_path)
    assert proc.returncode == 2 and "cannot write" in proc.stderr and "Read-only file system" in proc.stderr


def test_a_second_process_on_a_scan_folder_is_refused(estate, tmp_path):
    out = tmp_path / "out"
    proc = start_cli(["scan", *estate["targets"], "--out", str(out), *FAST], tmp_path)
    _wait_for(lambda: _committed(out), what="a first committed part")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    scan_dir = _scan_dir(out)
    with FolderLock(str(scan_dir / "scan.lock"), "piisweep scan"):  # as a scan or resume still running holds it
        refused = _resume(scan_dir, tmp_path)
        assert refused.returncode == 2 and f"already running: pid {os.getpid()}" in refused.stderr, refused.stderr
    assert _resume(scan_dir, tmp_path).returncode == estate["exit_code"]  # once it is free
    assert_same_inventory(scan_dir, estate["reference"])


def test_resuming_a_complete_scan_changes_nothing_and_other_folders_are_refused(estate, tmp_path):
    reference = Path(estate["reference"])
    before = {p.name: p.stat().st_mtime_ns for p in reference.iterdir()}
    done = _resume(reference, tmp_path)
    assert done.returncode == 0 and "is complete: nothing to resume" in done.stdout
    assert {p.name: p.stat().st_mtime_ns for p in reference.iterdir()} == before
    (tmp_path / "not-a-scan").mkdir()
    refused = _resume(tmp_path / "not-a-scan", tmp_path)
    assert refused.returncode == 2 and "not a scan folder" in refused.stderr
    out = tmp_path / "out"
    proc = start_cli(["scan", *estate["targets"], "--out", str(out), *FAST], tmp_path)
    _wait_for(lambda: _scan_dir(out) is not None and (_scan_dir(out) / "scan.json").exists())
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    other_key = _resume(_scan_dir(out), tmp_path, PIISWEEP_KEY="another-estate-key-0123456789")
    assert other_key.returncode == 2 and "another estate key" in other_key.stderr
    given = run_cli(["scan", "--resume", str(_scan_dir(out)), "--workers", "1"], tmp_path)
    assert given.returncode == 2 and "--resume takes its targets and options" in given.stderr


def test_an_ssh_host_lost_mid_scan_then_back_resumes_to_the_same_inventory(tmp_path):
    served = make_served_dir("piisweep-resume-ssh-")
    tree = Path(served) / "tree"
    for i in range(400):
        _write(tree, f"d{i % 8}/f{i:03d}.txt", f"Customer {i}: c{i}@example.org, 07700 900{i:03d}\n" * 5)
    for path in [tree, *tree.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    server = start_sshd()
    try:
        url = f"ssh://{server.user}@{server.host}:{server.port}{tree}"
        args = ["scan", url, "--identity", server.identity, "--known-hosts", server.known_hosts, *FAST]
        out = tmp_path / "out"
        proc = start_cli([*args, "--out", str(out)], tmp_path)
        _wait_for(lambda: _committed(out), what="a first committed part")
        server.kill()
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 4, stderr  # a target stopped part-way
        scan_dir = _scan_dir(out)
        manifest = json.loads((scan_dir / "manifest.json").read_text())
        assert manifest["complete"] is False and manifest["targets"][0]["status"] == "incomplete", manifest
        server.restart()
        resumed = _resume(scan_dir, tmp_path)
        assert resumed.returncode == 0, resumed.stderr
        reference = run_cli([*args, "--out", str(tmp_path / "ref")], tmp_path)
        assert reference.returncode == 0, reference.stderr
        assert_same_inventory(scan_dir, only_scan(tmp_path / "ref").dir)
    finally:
        server.stop()
        shutil.rmtree(served, ignore_errors=True)


def test_an_estate_scan_stopped_in_its_first_client_resumes_every_client(estate, smbd_server, remote_tree, tmp_path):
    estate_file = tmp_path / "estate.toml"
    estate_file.write_text(f"""
[[client]]
name = "files"
  [[client.target]]
  url = "{estate['targets'][0]}"

[[client]]
name = "share"
exclude = ["secret.txt", "private"]
  [[client.target]]
  url = "smb://{smbd_server.user}@{smbd_server.host}:{smbd_server.port}/{smbd_server.share}/tree"
  password_env = "SMB_PW"
""")
    args = ["scan", "--estate", str(estate_file), *FAST]
    reference = run_cli([*args, "--out", str(tmp_path / "ref")], tmp_path, SMB_PW=smbd_server.password)
    assert reference.returncode == 3, reference.stderr
    out = tmp_path / "out"
    proc = start_cli([*args, "--out", str(out)], tmp_path, SMB_PW=smbd_server.password)
    _wait_for(lambda: _committed(out), what="a first committed part")
    os.killpg(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "Traceback" not in stderr, stderr
    [first] = list(out.iterdir())  # the second client was not started
    assert first.name.endswith("-files")
    plan = (first / "scan.json").read_text()
    assert "SMB_PW" in plan and smbd_server.password not in plan  # credentials by reference only
    resumed = _resume(first, tmp_path, SMB_PW=smbd_server.password)
    assert resumed.returncode == 3, resumed.stderr
    scans = {p.name.rsplit("-", 1)[1]: p for p in out.iterdir()}
    refs = {p.name.rsplit("-", 1)[1]: p for p in (tmp_path / "ref").iterdir()}
    assert sorted(scans) == sorted(refs) == ["files", "share"]
    for client in scans:
        assert_same_inventory(scans[client], refs[client])
