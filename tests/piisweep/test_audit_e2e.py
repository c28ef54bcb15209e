"""``piisweep audit`` end to end: real estates on disk, a client over the SSH fixture, one whose
host is down; new and carried violations across audits; exit codes; the lock; keep; an
interrupted audit run again; the overview in headless Chromium against summary.json."""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from dateutil.relativedelta import relativedelta

from bench.fakedata import card
from contract.scanfolder import read_folder
from tests.cli import NETGUARD, ROOT, TEST_KEY, run_cli
from tests.reports.browser import ConnectionCounter, dump_dom
from tests.servers import free_port

CARD = card(random.Random(2727)).replace(" ", "")
EMAIL = "wilhelmina.auditperson@fixture-mail.example"
LOCAL_FILES = {
    "Finance/cards.txt": f"Card on file: {CARD}\n",
    "HR/sick-note.txt": "Sick note: she was diagnosed with diabetes and is on sick leave.\n",
    "Support/old-chat.txt": f"Visitor {EMAIL} asked for a refund.\n",
    "Support/new-chat.txt": f"Visitor {EMAIL} asked about opening hours.\n",
    "IT/access.log": "10.20.0.11 login ok\n10.20.0.12 login ok\n",
}
SSH_FILES = {"shared/payments.txt": f"Paid with {CARD}, receipt to {EMAIL}\n", "shared/readme.txt": "nothing\n"}
GOOD = "no personal data in here\n"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def readable(root: Path) -> None:
    """World-readable, so that the test user sshd logs in as can read it."""
    for dirpath, _, names in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in names:
            os.chmod(os.path.join(dirpath, name), 0o644)


def audit(estate: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli(["audit", "--estate", str(estate), "--out", str(out), "--workers", "1", "--no-ner", *extra],
                   out.parent)


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def by_client(out: Path) -> dict[str, dict]:
    return {c["client"]: c for c in summary(out)["clients"]}


def violations(entry: dict) -> set[tuple]:
    return {(v["rule"], v["path"], v["entity_type"], v["new"]) for v in entry["violations"]}


@pytest.fixture(scope="module")
def estate(served_parent, sshd_server, tmp_path_factory):
    """A three-client estate: local files, the SSH fixture, and a host that is down."""
    base = tmp_path_factory.mktemp("estate")
    local = base / "local"
    write(local, LOCAL_FILES)
    old = (datetime_now() - relativedelta(months=13, days=1)).timestamp()
    os.utime(local / "Support/old-chat.txt", (old, old))
    remote = Path(served_parent) / "audit-ssh"
    shutil.rmtree(remote, ignore_errors=True)
    write(remote, SSH_FILES)
    readable(remote)
    ssh = sshd_server
    text = f"""
keep = 12

[[client]]
name = "local"
  [[client.target]]
  url = "{local}"
  [client.policy]
  declared_categories = ["identity", "contact", "financial", "special category"]
  never_stored = ["CREDIT_CARD"]
  [[client.policy.retention]]
  paths = ["Support/**"]
  max_age = "13 months"
  [[client.policy.placement]]
  categories = ["special category"]
  paths = ["HR/**"]

[[client]]
name = "over ssh"
  [[client.target]]
  url = "ssh://{ssh.user}@{ssh.host}:{ssh.port}{remote}"
  identity = "{ssh.identity}"
  known_hosts = "{ssh.known_hosts}"
  [client.policy]
  never_stored = ["CREDIT_CARD"]

[[client]]
name = "down"
  [[client.target]]
  url = "ssh://{ssh.user}@127.0.0.1:{free_port()}/srv"
  identity = "{ssh.identity}"
  known_hosts = "{ssh.known_hosts}"
"""
    path = base / "estate.toml"
    path.write_text(text)
    return {"file": path, "local": local, "remote": remote}


def datetime_now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


@pytest.fixture(scope="module")
def audits(estate, tmp_path_factory):
    """Three audits of the estate into one AUDIT_DIR: first, unchanged, then after changes."""
    out = tmp_path_factory.mktemp("audits") / "audits"
    runs = {"first": audit(estate["file"], out)}
    runs["first_summary"] = summary(out)
    counter = ConnectionCounter()
    try:
        runs["dom"] = dump_dom(str(out / "index.html"), counter.port)
    finally:
        counter.close()
    runs["page_requests"] = counter.page_requests()
    runs["unchanged"] = audit(estate["file"], out)
    runs["unchanged_summary"] = summary(out)
    (estate["local"] / "Finance/cards.txt").write_text(GOOD)  # a violation resolved
    write(estate["local"], {"Finance/refunds/card-2.txt": f"Refund to card {CARD}\n"})  # and a new one
    runs["changed"] = audit(estate["file"], out)
    runs["changed_summary"] = summary(out)
    runs["out"] = out
    return runs


def test_first_audit_scans_reports_and_checks_every_client(audits):
    proc, out = audits["first"], audits["out"]
    assert proc.returncode == 4, proc.stderr  # the down client: its target failed
    clients = {c["client"]: c for c in audits["first_summary"]["clients"]}
    assert list(clients) == ["local", "over ssh", "down"]
    local, ssh, down = clients["local"], clients["over ssh"], clients["down"]
    assert (local["status"], ssh["status"], down["status"]) == ("complete", "complete", "failed")
    assert violations(local) == {("never_stored", "Finance/cards.txt", "CREDIT_CARD", True),
                                 ("retention", "Support/old-chat.txt", "EMAIL_ADDRESS", True),
                                 ("undeclared_category", "IT/access.log", "IP_ADDRESS", True)}
    assert violations(ssh) == {("never_stored", "shared/payments.txt", "CREDIT_CARD", True)}
    assert down["violations"] == [] and down["risk"] is None and down["coverage"] is None
    assert "cannot connect" in down["error"] and down["error"].startswith("ssh://")
    assert local["error"] is None and local["coverage"]["pct_scanned"] == 100.0
    assert local["risk"]["level"] in ("low", "medium", "high", "critical")
    assert set(local) == {"client", "scan_dir", "status", "error", "risk", "coverage", "violations"}
    assert set(local["violations"][0]) == {"rule", "path", "container", "category", "entity_type", "records",
                                           "detail", "new"}
    for name in ("local", "over-ssh"):
        folder = out / name
        assert (folder / "datamap.csv").stat().st_size and (folder / "datamap.xlsx").stat().st_size
        report = (folder / "report.html").read_text()
        assert '<section id="policy">' in report and "the notice says card details are never stored" in report
    assert (out / local["scan_dir"] / "manifest.json").exists()
    assert not (out / "down" / "report.html").exists()
    assert "local: complete, 3 violation(s), 3 new" in proc.stdout


def test_the_overview_shows_what_summary_json_says_and_loads_nothing(audits):
    dom = audits["dom"]
    assert audits["page_requests"] == []
    check = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', re.search(r'<div id="selfcheck"[^>]*>', dom).group(0)))
    assert check["done"] == "1" and check["resources"] == "0"
    assert json.loads(html.unescape(check["problems"])) == []  # nothing blocked by the page's own policy
    rows = dict(re.findall(r'<tr data-client="([^"]+)"[^>]*>(.*?)</tr>', dom, re.S))
    clients = audits["first_summary"]["clients"]
    assert set(rows) == {c["client"] for c in clients}
    for entry in clients:
        shown = {k: html.unescape(v) for k, v in re.findall(r'data-metric="([^"]+)" data-value="([^"]*)"',
                                                            rows[entry["client"]])}
        assert shown["status"] == entry["status"]
        assert int(shown["violations"]) == len(entry["violations"])
        assert int(shown["new"]) == sum(v["new"] for v in entry["violations"])
        assert shown["coverage"] == ("" if entry["coverage"] is None else str(entry["coverage"]["pct_scanned"]))
        assert shown["risk"] == ("" if entry["risk"] is None else entry["risk"]["level"])
        linked = 'href="' in rows[entry["client"]]
        assert linked == (entry["status"] != "failed")
    cards = dict(re.findall(r'data-metric="(clients|open_violations|new_violations|attention)" data-value="(\d+)"',
                            dom))
    assert int(cards["open_violations"]) == sum(len(c["violations"]) for c in clients) == 4
    assert int(cards["attention"]) == 1 and int(cards["clients"]) == 3
    page = (audits["out"] / "index.html").read_text()
    assert "style=" not in page and not re.search(r"https?:", page.replace("http://www.w3.org/2000/svg", ""))


def test_unchanged_audit_carries_every_violation_and_changes_mark_only_the_new(audits):
    assert audits["unchanged"].returncode == 4
    first, again = (({c["client"]: c for c in audits[k]["clients"]}) for k in ("first_summary", "unchanged_summary"))
    for name in ("local", "over ssh"):
        assert {v[:3] for v in violations(again[name])} == {v[:3] for v in violations(first[name])}
        assert not any(v["new"] for v in again[name]["violations"])
    manifest = json.loads((audits["out"] / again["local"]["scan_dir"] / "manifest.json").read_text())
    assert manifest["previous_scan"].endswith(first["local"]["scan_dir"])  # incremental against the last audit
    assert manifest["carried_over_items"] == len(LOCAL_FILES)
    changed = {c["client"]: c for c in audits["changed_summary"]["clients"]}
    assert violations(changed["local"]) == {
        ("never_stored", "Finance/refunds/card-2.txt", "CREDIT_CARD", True),
        ("retention", "Support/old-chat.txt", "EMAIL_ADDRESS", False),
        ("undeclared_category", "IT/access.log", "IP_ADDRESS", False)}
    history = json.loads((audits["out"] / "local" / "history.json").read_text())
    assert [len(r["violations"]) for r in history] == [3, 3, 3]
    report = (audits["out"] / "local" / "report.html").read_text()
    assert 'data-metric="policy_new" data-value="1"' in report and "Finance/refunds/card-2.txt" in report


def test_no_raw_value_in_what_the_audit_writes(audits):
    for path in audits["out"].rglob("*"):
        if path.is_file() and path.suffix in (".json", ".html", ".csv"):
            text = path.read_text(errors="replace")
            assert CARD not in text and EMAIL not in text, path


@pytest.fixture
def small_estate(tmp_path):
    """One local client whose policy can be made to hold or not."""
    tree = tmp_path / "tree"
    write(tree, {"notes.txt": f"Write to {EMAIL}\n"})

    def make(policy: str, keep: int = 12) -> Path:
        path = tmp_path / "estate.toml"
        path.write_text(f'keep = {keep}\n[[client]]\nname = "acme"\n  [[client.target]]\n  url = "{tree}"\n'
                        f"  [client.policy]\n{policy}\n")
        return path

    return make, tmp_path


def test_exit_codes_zero_and_five(small_estate):
    make, tmp = small_estate
    holds = audit(make('  declared_categories = ["contact"]'), tmp / "a")
    assert holds.returncode == 0, holds.stderr
    broken = audit(make('  declared_categories = ["identity"]'), tmp / "b")
    assert broken.returncode == 5, broken.stderr
    assert by_client(tmp / "b")["acme"]["violations"][0]["rule"] == "undeclared_category"


def test_estate_mistakes_are_a_usage_error_with_their_lines(small_estate):
    make, tmp = small_estate
    proc = audit(make('  declared_categories = ["contacts"]\n  never_stored = ["CARD"]'), tmp / "out")
    assert proc.returncode == 2
    assert "line 7: unknown category 'contacts'" in proc.stderr and "line 8: unknown entity type 'CARD'" in proc.stderr
    assert not (tmp / "out").exists()
    proc = audit(make(""), tmp / "out", "--client", "nobody")
    assert proc.returncode == 2 and "no client named 'nobody'" in proc.stderr
    clash = tmp / "clash.toml"
    clash.write_text('[[client]]\nname = "summary.json"\n  [[client.target]]\n  url = "/srv"\n'
                     '[[client]]\nname = "a b"\n  [[client.target]]\n  url = "/srv"\n'
                     '[[client]]\nname = "a/b"\n  [[client.target]]\n  url = "/srv"\n')
    proc = audit(clash, tmp / "out")
    assert proc.returncode == 2 and "'summary.json' would use the folder 'summary.json' of the audit itself" in proc.stderr
    clash.write_text(clash.read_text().replace('"summary.json"', '"acme"'))
    proc = audit(clash, tmp / "out")
    assert proc.returncode == 2 and "client 'a/b' would use the folder 'a-b' of 'a b'" in proc.stderr


def test_keep_deletes_older_inventories_and_their_history(small_estate):
    make, tmp = small_estate
    estate, out = make('  declared_categories = ["contact"]', keep=2), tmp / "out"
    scans = []
    for _ in range(3):
        assert audit(estate, out).returncode == 0
        scans.append(by_client(out)["acme"]["scan_dir"])
    left = sorted(p.name for p in (out / "acme").iterdir() if p.is_dir())
    assert left == [os.path.basename(s) for s in scans[1:]]
    assert [r["scan_dir"] for r in json.loads((out / "acme" / "history.json").read_text())] == scans[1:]


def test_a_second_audit_is_refused_while_one_runs_and_a_dead_ones_lock_is_taken_over(small_estate):
    make, tmp = small_estate
    estate, out = make('  declared_categories = ["contact"]'), tmp / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from scanner.lock import FolderLock\n"
        f"with FolderLock({str(out / 'audit.lock')!r}, 'piisweep audit'):\n"
        "    print('locked', flush=True); sys.stdin.read()")],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = audit(estate, out)
        assert proc.returncode == 2
        assert f"piisweep audit is already running: pid {holder.pid}" in proc.stderr
        assert not (out / "acme").exists()
    finally:
        holder.kill()
        holder.wait(10)
    proc = audit(estate, out)
    assert proc.returncode == 0, proc.stderr
    assert f"took over the lock of an audit that ended without releasing it (pid {holder.pid}" in proc.stderr


def committed_parts(client_dir) -> list[str]:
    """The parts a client's scan has committed so far (none while it has not started)."""
    folders = [p for p in client_dir.iterdir() if p.is_dir()] if client_dir.is_dir() else []
    folder = read_folder(str(folders[0])) if folders else None
    return folder.parts if folder is not None else []


def test_an_interrupted_audit_is_finished_by_the_next_one(tmp_path):
    """Killed mid-scan, the client's scan is resumed by the next audit: the same folder ends
    complete, with every finding once, and what it had committed is not read again."""
    tree = tmp_path / "tree"
    write(tree, {f"folder-{i % 7}/note-{i}.txt": f"Note {i}: write to person{i}@fixture-mail.example\n"
                 for i in range(3000)})
    estate = tmp_path / "estate.toml"
    estate.write_text(f'[[client]]\nname = "acme"\n  [[client.target]]\n  url = "{tree}"\n')
    out = tmp_path / "out"
    env = dict(os.environ, PIISWEEP_KEY=TEST_KEY, PYTHONPATH=NETGUARD + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "piisweep", "audit", "--estate", str(estate), "--out", str(out),
                             "--workers", "1", "--no-ner", "-q"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not committed_parts(out / "acme") and time.monotonic() < deadline:  # a part every 1,000 items
        assert proc.poll() is None, "the audit ended before it could be interrupted"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    [stopped] = [p for p in (out / "acme").iterdir() if p.is_dir()]
    assert not (stopped / "manifest.json").exists()
    committed = read_folder(str(stopped))
    assert committed is not None and committed.parts, "a part was committed before the kill"

    again = audit(estate, out)
    assert again.returncode == 0, again.stderr
    entry = by_client(out)["acme"]
    assert entry["scan_dir"] == f"acme/{stopped.name}"  # resumed, not started over
    assert entry["status"] == "complete" and entry["coverage"]["scanned"] == 3000
    manifest = json.loads((stopped / "manifest.json").read_text())
    assert manifest["previous_scan"] is None  # the stopped scan is never a baseline
    assert manifest["counts"]["entities"] == {"EMAIL_ADDRESS": 3000}
    assert len(manifest["sessions"]) == 2
    items = pq.read_table(stopped / "items.parquet").to_pylist()
    assert len(items) == len({row["uri"] for row in items}) == 3000


def test_a_stopped_audit_drains_its_client_and_the_next_one_resumes(tmp_path):
    tree = tmp_path / "tree"
    write(tree, {f"folder-{i % 5}/note-{i}.txt": f"Note {i}: mail person{i}@fixture-mail.example\n"
                 for i in range(3000)})
    estate = tmp_path / "estate.toml"
    estate.write_text(f'[[client]]\nname = "acme"\n  [[client.target]]\n  url = "{tree}"\n'
                      f'[[client]]\nname = "later"\n  [[client.target]]\n  url = "{tree}"\n')
    out = tmp_path / "out"
    env = dict(os.environ, PIISWEEP_KEY=TEST_KEY, PYTHONPATH=NETGUARD + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "piisweep", "audit", "--estate", str(estate), "--out", str(out),
                             "--workers", "1", "--no-ner"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((out / "acme").glob("*/parts/*")) and time.monotonic() < deadline:
        assert proc.poll() is None, "the audit ended before it could be stopped"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 143, stderr
    assert "Traceback" not in stderr and "resumes it" in stderr
    clients = by_client(out)
    assert clients["acme"]["status"] == "incomplete"
    assert clients["later"]["status"] == "failed" and "not audited" in clients["later"]["error"]

    again = audit(estate, out)
    assert again.returncode == 0, again.stderr
    clients = by_client(out)
    assert clients["acme"]["status"] == clients["later"]["status"] == "complete"
    resumed = json.loads((out / clients["acme"]["scan_dir"] / "manifest.json").read_text())
    assert len(resumed["sessions"]) == 2 and resumed["counts"]["entities"] == {"EMAIL_ADDRESS": 3000}


def test_the_example_estate_breaks_each_clients_policy_in_one_place(tmp_path):
    examples = tmp_path / "examples"
    # copied afresh: the files' ages are the copy's, as after a clone
    shutil.copytree(ROOT / "examples", examples, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    proc = audit(examples / "estate.toml", tmp_path / "audits", "--parallel-clients", "3")
    assert proc.returncode == 5, proc.stderr
    found = {name: [(v["rule"], v["path"]) for v in entry["violations"]]
             for name, entry in by_client(tmp_path / "audits").items()}
    assert found == {"acme-widgets": [("never_stored", "finance/refund-0042.pdf")],
                     "harbour-dental": [("placement", "reception/callback-notes.txt")],
                     "northwind-travel": [("undeclared_category", "web/logs/access.log")]}
