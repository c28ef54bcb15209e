"""One process at a time in a folder: an exclusive lock that a dead process cannot keep.

The lock is the kernel's (``flock`` on a lock file), so it goes away with the process
that held it, however that process ended: there is no stale lock to guess about, no
race between two processes taking over the same stale lock, and no confusion when a
dead holder's PID has been reused. The file's content says who holds it (PID, host,
start time, command), for the message that refuses a second process; content left by
a holder that did not release the lock (it was killed) is reported when the lock is
taken over, with whether that PID still runs here.

Usage::

    with FolderLock(os.path.join(folder, "audit.lock"), "piisweep audit") as lock:
        if lock.took_over: ...   # the holder's record a killed process left behind
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from datetime import datetime, timezone


class LockHeld(Exception):
    """Another live process holds the lock; ``holder`` is what it wrote (pid, host, started, command)."""

    def __init__(self, path: str, holder: dict):
        self.path, self.holder = path, holder
        who = f"pid {holder.get('pid', '?')}"
        if holder.get("host"):
            who += f" on {holder['host']}"
        if holder.get("started"):
            who += f", started {holder['started']}"
        command = f" ({holder['command']})" if holder.get("command") else ""
        super().__init__(f"{holder.get('purpose') or 'another process'} is already running: {who}{command}; "
                         f"it holds {path}")


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID runs on this machine (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError):
        return False
    return True


class FolderLock:
    """An exclusive, non-blocking lock on the file ``path`` (created 0600 if absent)."""

    def __init__(self, path: str, purpose: str = ""):
        self.path, self.purpose = path, purpose
        self.fd: int | None = None
        self.took_over: dict | None = None  # the record left by a holder that died holding the lock

    def acquire(self) -> "FolderLock":
        """Take the lock or raise LockHeld naming the process that has it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise LockHeld(self.path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        left = _read(fd)
        if left.get("pid"):
            pid = left["pid"]
            here = left.get("host") == socket.gethostname()
            self.took_over = {**left, "alive": pid_alive(pid) if here and isinstance(pid, int) else None}
        record = {"pid": os.getpid(), "host": socket.gethostname(), "purpose": self.purpose,
                  "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode("utf-8") + b"\n", 0)
        os.fsync(fd)
        self.fd = fd
        return self

    def release(self) -> None:
        """Empty the record and let go; the file stays (removing it would let two processes
        lock two different files of the same name)."""
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        finally:
            os.close(self.fd)  # closing the last descriptor releases the flock
            self.fd = None

    def __enter__(self) -> "FolderLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read(fd: int) -> dict:
    """The holder's record in the lock file ({} when empty or unreadable)."""
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
