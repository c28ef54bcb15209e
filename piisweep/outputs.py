"""Output paths checked before any work starts, and write failures told in one line.

A report or export that cannot be written (a read-only mount, a missing folder)
must stop the command at once as a usage error, not with a traceback after the
scan it was meant to follow. The check creates and removes a probe file where
the output will go: permission bits, read-only mounts, ACLs and full inode
tables all answer it the way the real write will.
"""

from __future__ import annotations

import os
import tempfile


class OutputError(Exception):
    """An output path that cannot be written; the message names it and says why."""


def cannot_write(path: str, exc: OSError) -> str:
    """The one-line reason a write to ``path`` failed."""
    return f"cannot write {path}: {exc.strerror or type(exc).__name__}"


def _probe(folder: str, path: str) -> None:
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".piisweep-write-check-")
    except OSError as exc:
        raise OutputError(cannot_write(path, exc)) from None
    os.close(fd)
    os.unlink(probe)


def check_output_file(path: str) -> None:
    """Raise OutputError unless a file can be written at ``path`` (its folder must exist)."""
    if os.path.isdir(path):
        raise OutputError(f"cannot write {path}: it is a folder")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {path}: permission denied")
    _probe(folder, path)


def check_output_folder(path: str) -> None:
    """Raise OutputError unless ``path`` is (or can be made) a folder that files can be created in."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise OutputError(cannot_write(path, exc)) from None
    _probe(path, path)
