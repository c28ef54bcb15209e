"""Measure read throughput of one ~50 MB tree: local open vs the SSH agent vs the SMB agent (loopback).

Run as root from the repository root: ``python bench/remote_read.py``. It starts
its own sshd and smbd (tests/servers), reads every file through each path in
1 MiB reads, checks the bytes are identical, and prints MB/s.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from agents.smb import SmbAgent  # noqa: E402
from agents.ssh import SshAgent  # noqa: E402
from contract.models import Item  # noqa: E402
from tests.servers import make_served_dir  # noqa: E402
from tests.servers.smbd import start_smbd  # noqa: E402
from tests.servers.sshd import start_sshd  # noqa: E402

TOTAL_MB = 50


def build_tree(parent: str) -> str:
    """A tree of mixed file sizes totalling ~50 MB (a few large, many small)."""
    root = os.path.join(parent, "bench")
    sizes = [8 << 20] * 4 + [1 << 20] * 12 + [64 << 10] * 96
    for n, size in enumerate(sizes):
        folder = os.path.join(root, f"d{n % 8}")
        os.makedirs(folder, mode=0o755, exist_ok=True)
        with open(os.path.join(folder, f"f{n:03d}.bin"), "wb") as handle:
            handle.write(os.urandom(size))
    for dirpath, _, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    return root


def drain(stream) -> tuple[int, str]:
    digest, total = hashlib.sha256(), 0
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        total += len(chunk)
    return total, digest.hexdigest()


def measure(name: str, items, opener) -> dict[str, str]:
    start, total, digests = time.perf_counter(), 0, {}
    for item in items:
        with opener(item) as stream:
            size, digests[item.path] = drain(stream)
            total += size
    seconds = time.perf_counter() - start
    print(f"{name:6s} {total / 1e6:7.1f} MB in {seconds:6.2f} s = {total / 1e6 / seconds:8.1f} MB/s")
    return digests


def main() -> None:
    parent = make_served_dir("piisweep-bench-")
    sshd = smbd = None
    try:
        root = build_tree(parent)
        sshd, smbd = start_sshd(), start_smbd(parent)
        local_items = [Item(uri="", path=os.path.relpath(os.path.join(d, f), root), ref=os.path.join(d, f))
                       for d, _, files in os.walk(root) for f in files]
        local = measure("local", local_items, lambda i: open(i.ref, "rb"))
        with SshAgent(sshd.target(root)) as ssh:
            ssh_items = [i for i in ssh.items() if isinstance(i, Item)]
            assert measure("ssh", ssh_items, ssh.open) == local
        with SmbAgent(smbd.target("bench")) as smb:
            smb_items = [i for i in smb.items() if isinstance(i, Item)]
            assert measure("smb", smb_items, smb.open) == local
    finally:
        for server in (sshd, smbd):
            if server is not None:
                server.stop()
        shutil.rmtree(parent, ignore_errors=True)


if __name__ == "__main__":
    main()
