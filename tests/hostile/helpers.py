"""Small estates and read-only places for the hostile-estate tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from tests.cli import run_cli


def quick_scan(root: Path, out: Path, *extra: str, **env) -> Path:
    """Scan ``root`` through the real CLI (inline, identifiers only); the scan folder."""
    done = run_cli(["scan", str(root), "--out", str(out), "--workers", "0", "--no-ner", "-q", *extra], out.parent,
                   **env)
    assert done.returncode in (0, 3), done.stderr
    (scan_dir,) = [p for p in out.iterdir() if p.is_dir()]
    return scan_dir


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    """A real tmpfs mounted at ``path`` (e.g. "ro" or "size=16k"); yields False where mounting is
    not permitted (the caller skips with that reason)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                             capture_output=True).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], check=True)


def fill(folder: Path) -> None:
    """Write to ``folder`` until its file system is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # no space left
        pass
    finally:
        os.close(fd)
