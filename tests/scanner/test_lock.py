"""The folder lock: a second process is refused with the holder named; a dead holder's lock is taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest

from scanner.lock import FolderLock, LockHeld, pid_alive
from tests.detectors.conftest import REPO_ROOT


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock until its stdin closes."""
    path = str(tmp_path / "audit.lock")
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from scanner.lock import FolderLock
        with FolderLock({path!r}, "piisweep audit"):
            print("locked", flush=True)
            sys.stdin.read()
    """)], cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield path, proc
    proc.stdin.close()
    proc.wait(10)


def test_a_second_process_is_refused_and_told_who_holds_the_lock(holder):
    path, proc = holder
    with pytest.raises(LockHeld) as err:
        FolderLock(path, "piisweep audit").acquire()
    assert err.value.holder["pid"] == proc.pid
    assert f"pid {proc.pid} on {socket.gethostname()}" in str(err.value)
    assert "piisweep audit is already running" in str(err.value) and path in str(err.value)


def test_the_lock_is_free_again_when_its_holder_ends(holder):
    path, proc = holder
    proc.stdin.close()
    proc.wait(10)
    with FolderLock(path) as lock:
        assert lock.took_over is None  # released properly: nothing to take over
        assert json.loads(open(path).read())["pid"] == os.getpid()
    assert open(path).read() == ""  # released: the record is emptied, the file stays


def test_a_killed_holders_lock_is_taken_over(tmp_path):
    path = str(tmp_path / "audit.lock")
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from scanner.lock import FolderLock
        FolderLock({path!r}, "piisweep audit").acquire()
        print("locked", flush=True)
        time.sleep(60)
    """)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    with pytest.raises(LockHeld):
        FolderLock(path).acquire()
    proc.kill()
    proc.wait(10)
    assert not pid_alive(proc.pid)
    with FolderLock(path) as lock:
        assert lock.took_over["pid"] == proc.pid and lock.took_over["alive"] is False


def test_a_stale_record_naming_a_live_process_does_not_hold_the_lock(tmp_path):
    """The kernel's lock decides, not the PID in the file (PIDs are reused)."""
    path = tmp_path / "audit.lock"
    path.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "started": "2026-01-01"}))
    with FolderLock(str(path)) as lock:
        assert lock.took_over["pid"] == os.getppid() and lock.took_over["alive"] is True
