"""A client's audit scans: which are complete, the baseline of the next one, and keep."""

from __future__ import annotations

import json
import os

import pytest

from scanner.client_scans import is_complete, last_complete, prune, scan_client, scan_folders
from scanner.engine import ScanOptions
from contract.targets import parse_target
from tests.scanner.conftest import write_tree


def folder(client_dir, name: str, manifest: dict | str | None) -> str:
    path = os.path.join(client_dir, name)
    os.makedirs(path)
    if manifest is not None:  # a closed scan: its manifest beside its tables
        with open(os.path.join(path, "manifest.json"), "w") as fh:
            fh.write(manifest if isinstance(manifest, str) else json.dumps(manifest))
        for table in ("findings.parquet", "items.parquet"):
            open(os.path.join(path, table), "wb").close()
    return path


def test_complete_means_a_manifest_that_says_so(tmp_path):
    assert is_complete(folder(tmp_path, "20260101T000000Z-a", {"complete": True}))
    assert not is_complete(folder(tmp_path, "20260102T000000Z-a", {"complete": False}))  # a target failed
    assert not is_complete(folder(tmp_path, "20260103T000000Z-a", None))  # stopped before the manifest
    assert not is_complete(folder(tmp_path, "20260104T000000Z-a", "{not json"))
    assert not is_complete(folder(tmp_path, "20260105T000000Z-a", "[true]"))
    assert last_complete(str(tmp_path)) == str(tmp_path / "20260101T000000Z-a")
    assert last_complete(str(tmp_path / "no-such-client")) is None


def test_keep_deletes_scans_older_than_the_last_n_complete_ones(tmp_path):
    names = {"20260101T000000Z-a": True, "20260201T000000Z-a": None, "20260301T000000Z-a": True,
             "20260401T000000Z-a": False, "20260501T000000Z-a": True, "20260601T000000Z-a": None}
    for name, complete in names.items():
        folder(tmp_path, name, None if complete is None else {"complete": complete})
    (tmp_path / "report.html").write_text("kept")
    os.symlink(tmp_path / "20260101T000000Z-a", tmp_path / "20260102T000000Z-a")  # never followed or deleted
    removed = prune(str(tmp_path), 2)
    assert [os.path.basename(p) for p in removed] == ["20260101T000000Z-a", "20260201T000000Z-a"]
    assert [os.path.basename(p) for p in scan_folders(str(tmp_path))] == [
        "20260301T000000Z-a", "20260401T000000Z-a", "20260501T000000Z-a", "20260601T000000Z-a"]
    assert (tmp_path / "report.html").exists() and os.path.islink(tmp_path / "20260102T000000Z-a")
    assert prune(str(tmp_path), 2) == [] and prune(str(tmp_path), 12) == []
    with pytest.raises(ValueError):
        prune(str(tmp_path), 0)


def test_the_next_scan_is_incremental_against_the_last_complete_one(tmp_path, estate_key):
    tree = tmp_path / "tree"
    write_tree(tree, {"a.txt": "mail olaf.fixture@estate-test.example\n", "b.txt": "nothing here\n"})
    client_dir = str(tmp_path / "audits" / "acme")
    options = ScanOptions(out="ignored", client="acme", workers=0, ner=False)
    first = scan_client([parse_target(str(tree))], options, client_dir)
    assert first.manifest["previous_scan"] is None and first.scan_dir.startswith(client_dir)
    # an interrupted scan (no manifest) after it is not a baseline
    stopped = folder(client_dir, os.path.basename(first.scan_dir) + "-9", None)
    assert scan_folders(client_dir) == [first.scan_dir, stopped]
    second = scan_client([parse_target(str(tree))], options, client_dir)
    assert second.manifest["previous_scan"] == first.scan_dir
    assert second.manifest["carried_over_items"] == 2
    assert second.manifest["counts"]["entities"] == first.manifest["counts"]["entities"] == {"EMAIL_ADDRESS": 1}
