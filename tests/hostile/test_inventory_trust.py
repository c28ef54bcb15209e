"""Items 8-10: inventories that are incomplete or hashed with another key, and keys too short."""

from __future__ import annotations

import json

import pytest

from contract.keys import key_id
from tests.cli import TEST_KEY, run_cli
from tests.hostile.helpers import fill, quick_scan, tmpfs

EMAIL = "jane.doe@example.com"


@pytest.fixture
def scanned(tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_text(f"mail {EMAIL}\n")
    return quick_scan(root, tmp_path / "out")


@pytest.mark.parametrize("damage, said", [
    (lambda d: (d / "manifest.json").unlink(), "manifest.json is missing"),
    (lambda d: (d / "manifest.json").write_text('{"scan_id": "x", "cou'), "manifest.json cannot be read"),
])
def test_report_and_dsar_say_a_scan_without_a_readable_manifest_is_incomplete(scanned, tmp_path, damage, said):
    damage(scanned)
    page = tmp_path / "r.html"
    report = run_cli(["report", str(scanned), "-o", str(page)], tmp_path)
    assert report.returncode == 0, report.stderr
    html = page.read_text()
    assert 'data-incomplete="true"' in html and said in html
    assert "incomplete scan" in report.stderr and said in report.stderr
    dsar = run_cli(["dsar", str(scanned), "--email", EMAIL, "--json"], tmp_path)
    assert dsar.returncode == 0, dsar.stderr
    assert len(json.loads(dsar.stdout)) == 1  # what is there is still found
    assert f"incomplete scan {scanned}" in dsar.stderr and said in dsar.stderr


def test_a_complete_scan_has_no_banner(scanned, tmp_path):
    page = tmp_path / "r.html"
    assert run_cli(["report", str(scanned), "-o", str(page)], tmp_path).returncode == 0
    assert "data-incomplete" not in page.read_text()


def test_a_scan_whose_disk_filled_before_its_manifest_reads_as_incomplete(tmp_path):
    """A real, small tmpfs filled up: writing manifest.json fails, and the folder says so."""
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_text(f"mail {EMAIL}\n")
    scanned = quick_scan(root, tmp_path / "out")
    with tmpfs(tmp_path / "small", "size=256k") as mounted:
        if not mounted:
            pytest.skip("mounting a tmpfs is not permitted here")
        disk = tmp_path / "small" / scanned.name
        disk.mkdir()
        for name in ("findings.parquet", "items.parquet", "values.parquet"):
            (disk / name).write_bytes((scanned / name).read_bytes())
        fill(tmp_path / "small")
        with pytest.raises(OSError):  # what the writer meets: no room for the manifest
            (disk / "manifest.json.partial").write_text((scanned / "manifest.json").read_text())
        dsar = run_cli(["dsar", str(disk), "--email", EMAIL, "--json"], tmp_path)
        assert dsar.returncode == 0 and "manifest.json is missing" in dsar.stderr


def test_dsar_refuses_inventories_hashed_with_another_key(scanned, tmp_path):
    other = run_cli(["dsar", str(scanned), "--email", EMAIL], tmp_path, PIISWEEP_KEY="another-estate-key-0123456789")
    assert other.returncode == 2
    assert "hashed with another estate key" in other.stderr and "Traceback" not in other.stderr


def test_dsar_key_file_and_a_warning_per_scan_of_another_key(scanned, tmp_path):
    root = scanned.parent.parent / "share"
    second = quick_scan(root, tmp_path / "out2", PIISWEEP_KEY="another-estate-key-0123456789")
    both = tmp_path / "both"
    both.mkdir()
    for n, folder in enumerate((scanned, second)):
        (both / f"scan{n}").symlink_to(folder)
    done = run_cli(["dsar", str(both), "--email", EMAIL, "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert [r["scan_dir"].rsplit("/", 1)[-1] for r in json.loads(done.stdout)] == ["scan0"]
    assert "scan1 was hashed with another estate key" in done.stderr
    key_file = tmp_path / "estate.key"
    key_file.write_text("another-estate-key-0123456789\n")
    with_file = run_cli(["dsar", str(both), "--email", EMAIL, "--json", "--key-file", str(key_file)], tmp_path)
    assert [r["scan_dir"].rsplit("/", 1)[-1] for r in json.loads(with_file.stdout)] == ["scan1"]
    assert json.loads((second / "manifest.json").read_text())["key_id"] == key_id(b"another-estate-key-0123456789")
    assert json.loads((scanned / "manifest.json").read_text())["key_id"] == key_id(TEST_KEY.encode())


@pytest.mark.parametrize("key", ["a", "x" * 15])
def test_short_keys_are_refused_before_any_work(tmp_path, key):
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_text(f"mail {EMAIL}\n")
    scan = run_cli(["scan", str(root), "--out", str(tmp_path / "out"), "--workers", "0", "--no-ner", "-q"], tmp_path,
                   PIISWEEP_KEY=key)
    assert scan.returncode == 2 and "at least 16 bytes" in scan.stderr and "32 recommended" in scan.stderr
    assert not any((tmp_path / "out").glob("*/manifest.json"))
    dsar = run_cli(["dsar", str(tmp_path), "--email", EMAIL], tmp_path, PIISWEEP_KEY=key)
    assert dsar.returncode == 2 and "at least 16 bytes" in dsar.stderr
    assert run_cli(["scan", str(root), "--out", str(tmp_path / "out"), "--workers", "0", "--no-ner", "-q"], tmp_path,
                   PIISWEEP_KEY="x" * 16).returncode == 0
