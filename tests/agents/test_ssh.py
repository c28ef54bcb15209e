"""The SSH agent against a real OpenSSH server on loopback: listing, reading, and faults."""

from __future__ import annotations

import os
import pickle
import subprocess
import threading
import time

import paramiko
import pyarrow.parquet as pq
import pytest

from agents.base import AgentError, AgentOptions, EnumerationProblem
from agents.ssh import SshAgent
from contract.models import Item
from contract.targets import CredentialRef, parse_target
from tests.servers import TEST_USER
from tests.servers.sshd import start_sshd
from tests.servers.tree import PRIVATE_DIR, SECRET_FILE, local_listing, make_fixture_tree, read_items


def _split(entries):
    items = [e for e in entries if isinstance(e, Item)]
    problems = {p.path: (p.status, p.reason) for p in entries if isinstance(p, EnumerationProblem)}
    return items, problems


def _new_log(server, offset: int, settle: float = 0.5) -> str:
    time.sleep(settle)  # sshd writes its log lines asynchronously
    return server.log()[offset:]


def _ssh_keygen_fingerprint(server) -> str:
    """The host key fingerprint as OpenSSH computes it (an independent oracle for ours)."""
    out = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", "-"], input=server.host_key_pub,
                         capture_output=True, text=True, check=True).stdout
    return out.split()[1]


def test_listing_and_reading_match_local_walk(sshd_server, remote_tree):
    with SshAgent(sshd_server.target(remote_tree)) as agent:
        items, problems = _split(list(agent.items()))
        readable = [i for i in items if i.path != SECRET_FILE]
        assert read_items(agent, readable) == local_listing(remote_tree)
        secret = next(i for i in items if i.path == SECRET_FILE)
        with pytest.raises(PermissionError):
            agent.open(secret)
    assert problems == {PRIVATE_DIR: ("error", "permission denied")}
    by_path = {i.path: i for i in items}
    local = os.stat(os.path.join(remote_tree, "contacts.txt"))
    contacts = by_path["contacts.txt"]
    assert (contacts.size, contacts.owner, contacts.mode) == (local.st_size, "root", 0o644)
    assert abs(contacts.mtime - local.st_mtime) < 1e-3
    assert contacts.uri == sshd_server.target(remote_tree).uri + "/contacts.txt"
    assert "café-résumé.txt" in by_path


def test_fifo_symlink_and_non_utf8_names(sshd_server, fixture_tree):
    root = fixture_tree()
    os.mkfifo(os.path.join(root, "pipe"))
    os.symlink("contacts.txt", os.path.join(root, "link"))
    with open(os.path.join(root.encode(), b"bad\xffname.txt"), "wb") as handle:
        handle.write(b"latin-1 named file")
    with SshAgent(sshd_server.target(root)) as agent:
        items, problems = _split(list(agent.items()))
        odd = next(i for i in items if i.path.startswith("bad"))
        assert odd.path.encode("utf-8", "surrogateescape") == b"bad\xffname.txt"
        assert read_items(agent, [odd]) == {odd.path: b"latin-1 named file"}
    assert problems["pipe"] == ("skipped", "FIFO")
    assert problems["link"][0] == "skipped"


def test_password_auth_facts_and_fresh_agent_per_worker(sshd_server, remote_tree):
    target = sshd_server.target(remote_tree, auth="password")
    with SshAgent(target) as agent:
        items, _ = _split(list(agent.items()))
        facts = agent.facts()
    assert facts["hostname"] == os.uname().nodename
    assert facts["os"].startswith("Linux ")
    assert facts["host_key"] == _ssh_keygen_fingerprint(sshd_server)
    # A worker process gets a pickled target and item and builds its own agent.
    target2, item = pickle.loads(pickle.dumps((target, next(i for i in items if i.path == "contacts.txt"))))
    with SshAgent(target2) as worker:
        assert read_items(worker, [item])["contacts.txt"] == b"Contact: jane.doe@example.com, phone 020 7946 0958\n"


def test_unknown_host_key_refused_before_authentication(sshd_server, remote_tree, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    offset = len(sshd_server.log())
    with pytest.raises(AgentError) as err:
        list(SshAgent(sshd_server.target(remote_tree, auth="password", known_hosts=str(empty))).items())
    assert "unknown host key" in str(err.value)
    assert _ssh_keygen_fingerprint(sshd_server) in str(err.value)
    assert not err.value.transient
    assert sshd_server.password not in str(err.value)
    log = _new_log(sshd_server, offset)
    assert "Connection from 127.0.0.1" in log
    for marker in ("password", "publickey", "Accepted", "Failed", "Postponed"):
        assert marker not in log
    assert empty.read_text() == ""


def test_accept_new_host_key_pins_it(sshd_server, remote_tree, tmp_path):
    known = tmp_path / "sub" / "known_hosts"
    with SshAgent(sshd_server.target(remote_tree, known_hosts=str(known), accept_new_host_key=True)) as agent:
        agent.facts()
    key_type, key_b64 = sshd_server.host_key_pub.split()[:2]
    assert known.read_text() == f"[127.0.0.1]:{sshd_server.port} {key_type} {key_b64}\n"
    with SshAgent(sshd_server.target(remote_tree, known_hosts=str(known))) as agent:
        assert agent.facts()["hostname"]
    assert known.read_text().count("\n") == 1


def test_changed_host_key_refused_even_when_accepting_new(sshd_server, remote_tree, tmp_path):
    other = paramiko.Ed25519Key.from_private_key_file(sshd_server.identity)  # some other ed25519 key
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sshd_server.port} ssh-ed25519 {other.get_base64()}\n")
    with pytest.raises(AgentError, match="HOST KEY MISMATCH"):
        SshAgent(sshd_server.target(remote_tree, known_hosts=str(known), accept_new_host_key=True)).facts()


def test_wrong_password_is_tried_exactly_once(sshd_server, remote_tree, monkeypatch):
    monkeypatch.setenv("WRONG_SSH_PW", "not-the-password")
    target = parse_target(f"ssh://{TEST_USER}@127.0.0.1:{sshd_server.port}{remote_tree}",
                          CredentialRef(password_env="WRONG_SSH_PW", known_hosts=sshd_server.known_hosts))
    offset = len(sshd_server.log())
    with pytest.raises(AgentError) as err:
        list(SshAgent(target).items())
    assert "refused" in str(err.value) and "not-the-password" not in str(err.value)
    assert not err.value.transient
    log = _new_log(sshd_server, offset)
    assert log.count(f"Failed password for {TEST_USER}") == 1
    assert "Accepted" not in log


def test_silent_listener_times_out_within_connect_timeout(silent_listener, tmp_path):
    target = parse_target(f"ssh://{TEST_USER}@127.0.0.1:{silent_listener}/tmp",
                          CredentialRef(password_env="UNUSED", known_hosts=str(tmp_path / "kh")))
    start = time.monotonic()
    with pytest.raises(AgentError) as err:
        list(SshAgent(target, AgentOptions(connect_timeout=1.5)).items())
    assert time.monotonic() - start < 1.5 + 1.5
    assert err.value.transient


def test_sftp_walk_when_commands_are_refused(remote_tree):
    server = start_sshd(extra_config="ForceCommand internal-sftp\n")
    try:
        with SshAgent(server.target(remote_tree)) as agent:
            items, problems = _split(list(agent.items()))
            readable = [i for i in items if i.path != SECRET_FILE]
            assert read_items(agent, readable) == local_listing(remote_tree)
            with pytest.raises(PermissionError):
                agent.open(next(i for i in items if i.path == SECRET_FILE))
        assert problems == {PRIVATE_DIR: ("error", "permission denied")}
        contacts = next(i for i in items if i.path == "contacts.txt")
        assert (contacts.owner, contacts.mode) == ("root", 0o644)
    finally:
        server.stop()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_server_killed_mid_enumeration_raises(private_parent):
    # Names long enough that the listing (~4 MB) cannot all be in flight when the server dies.
    deep = os.path.join(private_parent, *(["d" * 200] * 15))
    os.makedirs(deep)
    for n in range(1200):
        open(os.path.join(deep, f"{n:05d}-" + "f" * 200), "wb").close()
    server = start_sshd()
    try:
        entries = SshAgent(server.target(private_parent), AgentOptions(op_timeout=5)).items()
        next(entries)
        server.kill()
        start = time.monotonic()
        with pytest.raises(AgentError) as err:
            for _ in entries:
                pass
        assert err.value.transient and time.monotonic() - start < 10
    finally:
        server.stop()


def test_server_killed_mid_read_raises(private_parent, monkeypatch):
    # paramiko's readv sends its requests from a thread of its own; when the server dies that
    # thread must not die with a traceback on stderr: the reader reports the failure
    thread_errors = []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)
    root = make_fixture_tree(private_parent)
    with open(os.path.join(root, "large.bin"), "wb") as handle:
        handle.write(os.urandom(16 << 20))
    server = start_sshd()
    try:
        agent = SshAgent(server.target(root), AgentOptions(op_timeout=5))
        item = next(i for i in agent.items() if isinstance(i, Item) and i.path == "large.bin")
        stream = agent.open(item)
        assert len(stream.read(1 << 20)) == 1 << 20
        server.kill()
        start = time.monotonic()
        with pytest.raises(AgentError):
            while stream.read(1 << 20):
                pass
        assert time.monotonic() - start < 10
        agent.close()
        for thread in threading.enumerate():
            if thread is not threading.current_thread() and "prefetch" in thread.name:
                thread.join(10)
        assert [type(e.exc_value).__name__ for e in thread_errors] == []
    finally:
        server.stop()


def test_scan_workers_read_a_password_set_after_their_fork_server_started(sshd_server, remote_tree, monkeypatch,
                                                                         tmp_path):
    # Workers are forked from a long-lived fork server whose own environment is fixed when it
    # starts; a password variable set later (a second scan in one process) must still reach them.
    from scanner.engine import ScanOptions, run_scan
    from scanner.fork import start_server

    start_server(ner=True)
    monkeypatch.setenv("PIISWEEP_LATE_SSH_PW", sshd_server.password)
    target = parse_target(f"ssh://{TEST_USER}@127.0.0.1:{sshd_server.port}{remote_tree}",
                          CredentialRef(password_env="PIISWEEP_LATE_SSH_PW", known_hosts=sshd_server.known_hosts))
    result = run_scan([target], ScanOptions(out=str(tmp_path / "out"), workers=1, ner=False))
    statuses = result.manifest["targets"][0]
    assert statuses["status"] == "complete", statuses
    items = pq.read_table(os.path.join(result.scan_dir, "items.parquet")).to_pylist()
    read = [i for i in items if i["status"] == "scanned"]
    assert read and not [i for i in items if i["status"] == "error" and "auth" in (i["reason"] or "")]
