"""Where the detectors keep what they compile once per machine: the Hyperscan databases
(:mod:`detectors.prefilter`).

They hold our patterns only, never scanned or looked-up values. A read-only or missing
home costs compile time, nothing else.
"""

from __future__ import annotations

import os


def cache_path(name: str) -> str:
    """The path of cache file ``name``: under $XDG_CACHE_HOME, else ~/.cache, in piisweep/."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "piisweep", name)


def store(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: scans starting together read either the
    old file or the new one, never half of one."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
