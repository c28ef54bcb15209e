"""The same tree scanned locally, over SSH and over SMB gives the same findings.

Remote files flow through the same extractors and detectors as local ones:
the (path, entity type, value hash) sets must be equal. The test user cannot
read secret.txt or private/, so those are excluded on every side. The estate
tree has the formats that need random access (zip, docx, xlsx, sqlite).
"""

from __future__ import annotations

import os

import pytest

from tests.cli import only_scan, run_cli
from tests.estate_builder import build_estate

EXCLUDE = ["--exclude", "secret.txt", "--exclude", "private"]


def finding_keys(scan) -> set[tuple]:
    return {(f["path"], f["container"], f["entity_type"], f["value_hash"]) for f in scan.findings}


@pytest.fixture(scope="module")
def trees(remote_tree, served_parent):
    """The agents' fixture tree, and the e2e estate (zip, docx, xlsx, pdf, eml, sqlite) beside it."""
    estate = os.path.join(served_parent, "estate")
    build_estate(estate)
    for dirpath, _, filenames in os.walk(estate):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    return {"tree": remote_tree, "estate": estate}


@pytest.fixture(scope="module")
def local_scans(trees, tmp_path_factory):
    scans = {}
    for name, root in trees.items():
        tmp = tmp_path_factory.mktemp(f"local-{name}")
        proc = run_cli(["scan", root, "--out", str(tmp / "out"), "--workers", "1", "--no-ner", *EXCLUDE], tmp)
        assert proc.returncode == 0, proc.stderr
        scans[name] = only_scan(tmp / "out")
    return scans


@pytest.mark.parametrize("tree", ["tree", "estate"])
def test_ssh_scan_equals_local(local_scans, trees, sshd_server, tree, tmp_path):
    url = f"ssh://{sshd_server.user}@{sshd_server.host}:{sshd_server.port}{trees[tree]}"
    proc = run_cli(["scan", url, "--identity", sshd_server.identity, "--known-hosts", sshd_server.known_hosts,
                    "--out", str(tmp_path / "out"), "--workers", "1", "--no-ner", *EXCLUDE], tmp_path)
    assert proc.returncode == 0, proc.stderr
    scan = only_scan(tmp_path / "out")
    assert finding_keys(scan) == finding_keys(local_scans[tree])
    assert finding_keys(scan), "the fixture tree holds personal data"
    assert scan.manifest["targets"][0]["facts"].get("hostname")


@pytest.mark.parametrize("tree", ["tree", "estate"])
def test_smb_scan_equals_local(local_scans, smbd_server, tree, tmp_path):
    url = f"smb://{smbd_server.user}@{smbd_server.host}:{smbd_server.port}/{smbd_server.share}/{tree}"
    proc = run_cli(["scan", url, "--password-env", "SMB_PW", "--out", str(tmp_path / "out"), "--workers", "1",
                    "--no-ner", *EXCLUDE], tmp_path, SMB_PW=smbd_server.password)
    assert proc.returncode == 0, proc.stderr
    assert finding_keys(only_scan(tmp_path / "out")) == finding_keys(local_scans[tree])


def test_wrong_password_fails_that_target_and_the_others_go_on(smbd_server, remote_tree, tmp_path):
    url = f"smb://{smbd_server.user}@{smbd_server.host}:{smbd_server.port}/{smbd_server.share}/tree"
    proc = run_cli(["scan", url, remote_tree, "--password-env", "SMB_PW", "--out", str(tmp_path / "out"),
                    "--workers", "1", "--no-ner", *EXCLUDE], tmp_path, SMB_PW="not-the-password")
    assert proc.returncode == 4, proc.stderr
    scan = only_scan(tmp_path / "out")
    statuses = {t["target"].split("://")[0]: t["status"] for t in scan.manifest["targets"]}
    assert statuses == {"smb": "failed", "file": "complete"}
    assert "not-the-password" not in proc.stderr + proc.stdout + str(scan.manifest)
    assert any(f["entity_type"] == "EMAIL_ADDRESS" for f in scan.findings)


def test_estate_file_scans_each_client_and_refuses_passwords(sshd_server, remote_tree, tmp_path):
    estate = tmp_path / "estate.toml"
    estate.write_text(f"""
[[client]]
name = "acme"
exclude = ["secret.txt", "private"]

  [[client.target]]
  url = "ssh://{sshd_server.user}@{sshd_server.host}:{sshd_server.port}{remote_tree}"
  identity = "{sshd_server.identity}"
  known_hosts = "{sshd_server.known_hosts}"

[[client]]
name = "globex"
exclude = ["secret.txt", "private"]

  [[client.target]]
  url = "{remote_tree}"
""")
    proc = run_cli(["scan", "--estate", str(estate), "--out", str(tmp_path / "out"), "--workers", "1", "--no-ner"],
                   tmp_path)
    assert proc.returncode == 0, proc.stderr
    scans = sorted((tmp_path / "out").iterdir())
    assert sorted(s.name.split("-", 1)[1] for s in scans) == ["acme", "globex"]

    bad = tmp_path / "bad.toml"
    bad.write_text('[[client]]\nname = "acme"\n\n  [[client.target]]\n  url = "smb://u@127.0.0.1/share"\n'
                   '  password = "hunter2-secret"\n\n[[client]]\nname = "acme"\n')
    proc = run_cli(["scan", "--estate", str(bad), "--out", str(tmp_path / "bad-out")], tmp_path)
    assert proc.returncode == 2
    assert "line 6" in proc.stderr and "password" in proc.stderr
    assert "appears twice" in proc.stderr and "no [[client.target]]" in proc.stderr
    assert "hunter2-secret" not in proc.stderr
