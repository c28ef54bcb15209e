"""The SMB agent against a real Samba server on loopback: listing, reading, and faults."""

from __future__ import annotations

import os
import pickle
import time

import pytest

from agents.base import AgentError, AgentOptions, EnumerationProblem
from agents.smb import SmbAgent
from contract.models import Item
from contract.targets import CredentialRef, parse_target
from tests.servers import TEST_USER
from tests.servers.smbd import start_smbd
from tests.servers.tree import PRIVATE_DIR, SECRET_FILE, local_listing, make_fixture_tree, read_items


def _split(entries):
    items = [e for e in entries if isinstance(e, Item)]
    problems = {p.path: (p.status, p.reason) for p in entries if isinstance(p, EnumerationProblem)}
    return items, problems


def _children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.add(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


def test_listing_and_reading_match_local_walk(smbd_server, remote_tree):
    target = smbd_server.target(os.path.basename(remote_tree))
    with SmbAgent(target) as agent:
        items, problems = _split(list(agent.items()))
        readable = [i for i in items if i.path != SECRET_FILE]
        assert read_items(agent, readable) == local_listing(remote_tree)
        with pytest.raises(PermissionError):
            agent.open(next(i for i in items if i.path == SECRET_FILE))
        facts = agent.facts()
    assert problems == {PRIVATE_DIR: ("error", "permission denied")}
    contacts = next(i for i in items if i.path == "contacts.txt")
    local = os.stat(os.path.join(remote_tree, "contacts.txt"))
    assert contacts.size == local.st_size and abs(contacts.mtime - local.st_mtime) < 1e-3
    assert contacts.uri == target.uri + "/contacts.txt"
    assert any(i.path == "café-résumé.txt" for i in items)
    assert facts["dialect"] == "3.1.1" and facts["encryption"] is True


def test_fresh_agent_per_worker_reads_items(smbd_server, remote_tree):
    target = smbd_server.target(os.path.basename(remote_tree))
    with SmbAgent(target) as agent:
        item = next(i for i in agent.items() if isinstance(i, Item) and i.path == "notes/meeting.md")
    target2, item2 = pickle.loads(pickle.dumps((target, item)))
    with SmbAgent(target2) as worker:
        assert read_items(worker, [item2])[item2.path].startswith(b"# Meeting")


def test_wrong_password_is_tried_exactly_once(smbd_server, remote_tree, monkeypatch):
    monkeypatch.setenv("WRONG_SMB_PW", "not-the-password")
    target = smbd_server.target("tree", password_env="WRONG_SMB_PW")
    offset = len(smbd_server.log())
    with pytest.raises(AgentError) as err:
        list(SmbAgent(target).items())
    assert "refused" in str(err.value) and "not-the-password" not in str(err.value)
    assert not err.value.transient
    time.sleep(0.3)
    log = smbd_server.log()[offset:]
    assert log.count("status [NT_STATUS_WRONG_PASSWORD]") == 1
    assert "NT_STATUS_OK" not in log


def test_silent_listener_times_out_within_connect_timeout(silent_listener, monkeypatch):
    monkeypatch.setenv("SMB_PW", "unused")
    target = parse_target(f"smb://{TEST_USER}@127.0.0.1:{silent_listener}/data", CredentialRef(password_env="SMB_PW"))
    start = time.monotonic()
    with pytest.raises(AgentError) as err:
        list(SmbAgent(target, AgentOptions(connect_timeout=1.5)).items())
    assert time.monotonic() - start < 1.5 + 1.5
    assert err.value.transient


def test_reconnects_once_after_dropped_session(private_parent):
    root = make_fixture_tree(private_parent)
    server = start_smbd(private_parent)
    try:
        before = _children(server.proc.pid)
        agent = SmbAgent(server.target(os.path.basename(root)))
        items = [i for i in agent.items() if isinstance(i, Item)]
        time.sleep(0.2)
        # smbd forks one child per client: killing ours drops the session but not the server.
        ours = _children(server.proc.pid) - before
        assert ours
        for pid in ours:
            os.kill(pid, 9)
        time.sleep(0.2)
        contacts = next(i for i in items if i.path == "contacts.txt")
        assert read_items(agent, [contacts])["contacts.txt"].startswith(b"Contact:")
        agent.close()
    finally:
        server.stop()


def test_server_killed_mid_enumeration_raises(private_parent):
    for n in range(30):
        os.makedirs(os.path.join(private_parent, f"dir{n:02d}"))
        with open(os.path.join(private_parent, f"dir{n:02d}", "f.txt"), "w", encoding="ascii") as handle:
            handle.write("x")
    server = start_smbd(private_parent)
    try:
        entries = SmbAgent(server.target(), AgentOptions(op_timeout=5, connect_timeout=3)).items()
        next(entries)
        server.kill()
        start = time.monotonic()
        with pytest.raises(AgentError) as err:
            for _ in entries:
                pass
        assert err.value.transient and time.monotonic() - start < 10
    finally:
        server.stop()


def test_server_killed_mid_read_raises(private_parent):
    with open(os.path.join(private_parent, "large.bin"), "wb") as handle:
        handle.write(os.urandom(32 << 20))
    server = start_smbd(private_parent)
    try:
        agent = SmbAgent(server.target(), AgentOptions(op_timeout=5, connect_timeout=3))
        item = next(i for i in agent.items() if isinstance(i, Item) and i.path == "large.bin")
        stream = agent.open(item)
        assert len(stream.read(1 << 20)) == 1 << 20
        server.kill()
        start = time.monotonic()
        with pytest.raises(AgentError):
            while stream.read(1 << 20):
                pass
        assert time.monotonic() - start < 12
        agent.close()
    finally:
        server.stop()
