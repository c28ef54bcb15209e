"""One process at a time per folder: a lock file held with ``flock`` and naming its owner.

Two processes writing one scan folder (two resumes, or a resume while the scan still
runs) would commit the same items twice. The kernel releases an ``flock`` when its
process dies however it dies, so a lock left by a killed process is free again; the
pid written inside only tells the user who holds it, or whose stale lock was taken over.
"""

from __future__ import annotations

import fcntl
import os


class FolderBusy(Exception):
    """Another running process holds the folder's lock."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


class FolderLock:
    """An exclusive lock on ``folder`` (a file ``name`` inside it); use as a context manager.

    :meth:`acquire` raises :class:`FolderBusy` at once when another process holds it.
    ``stale_pid`` is the pid of a dead process whose lock was taken over, if any.
    """

    def __init__(self, folder: str, name: str):
        self.path = os.path.join(folder, name)
        self.fd: int | None = None
        self.stale_pid: int | None = None

    def acquire(self) -> "FolderLock":
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = _read_pid(fd)
                os.close(fd)
                who = f"process {owner}" if owner else "another process"
                raise FolderBusy(f"{os.path.dirname(self.path)} is in use by {who} (lock file {self.path})") from None
            # the holder before us may have removed the file after we opened it: lock the file the path names now
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        previous = _read_pid(fd)
        if previous and previous != os.getpid() and not _pid_alive(previous):
            self.stale_pid = previous
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        """Remove the lock file and let go of the lock (removing first: no one locks a file about to vanish)."""
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> "FolderLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
