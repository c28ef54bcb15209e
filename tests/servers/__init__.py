"""Real servers for tests (sshd, smbd), on loopback and free ports only.

Shared plumbing lives here: picking a free port, waiting for a listener, and the
dedicated unprivileged test account the servers authenticate. Scanning as a
non-root user matters: root reads chmod 000 files, so permission faults could
not be tested as root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

TEST_USER = "piisweep-test"
# A fixed password so that concurrent test sessions do not fight over it; the
# account only ever logs in through servers bound to 127.0.0.1 during tests.
TEST_PASSWORD = "piisweep-Test-pw-1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Block until the server accepts TCP connections; fail fast if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on port {port} within {timeout}s")


def ensure_test_user() -> pwd.struct_passwd:
    """Create the unprivileged test account if absent and (re)set its password."""
    try:
        entry = pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", TEST_USER], check=True)
        entry = pwd.getpwnam(TEST_USER)
    subprocess.run(["chpasswd"], input=f"{TEST_USER}:{TEST_PASSWORD}\n", text=True, check=True)
    return entry


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a server we started, killing it if it does not exit promptly."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def kill_tree(pid: int) -> None:
    """SIGKILL a server and every descendant (sshd session children call setsid, so killpg misses them)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    todo, victims = [pid], []
    while todo:
        current = todo.pop()
        victims.append(current)
        todo += children.get(current, [])
    for victim in victims:
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass


def make_served_dir(prefix: str) -> str:
    """A fresh directory under /tmp that the test user can traverse.

    pytest's own tmp dirs sit below a 0700 root folder the test user cannot
    enter, so served trees live in their own world-traversable folder.
    """
    path = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
    os.chmod(path, 0o755)
    return path


class ServerProcess:
    """log / kill / stop for a test server dataclass with ``proc``, ``log_path`` and ``workdir``."""

    def log(self) -> str:
        """The server's log so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def kill(self) -> None:
        """Kill the server and every per-connection child abruptly (fault tests)."""
        if self.proc.poll() is None:
            kill_tree(self.proc.pid)
            self.proc.wait(timeout=5)

    def stop(self) -> None:
        """Stop the server and remove its state folder (never the served folder)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
        stop_process(self.proc)
        if self.proc.stdin:
            self.proc.stdin.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
