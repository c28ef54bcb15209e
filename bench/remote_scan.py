"""End-to-end scan throughput of one tree: local path vs ssh:// vs smb:// over loopback.

Run as root from the repository root: ``python bench/remote_scan.py [--copies N] [--no-ner]``.
It builds a tree of mixed documents with planted personal data (the e2e
fixture estate, copied N times, plus log files), starts its own sshd and smbd
(tests/servers), runs the real CLI on the three targets and prints seconds,
MB/s, the ratio to local, and whether the three inventories found the same
(path, entity, value hash) set.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import pyarrow.parquet as pq  # noqa: E402

from tests.estate_builder import build_estate  # noqa: E402
from tests.servers import make_served_dir  # noqa: E402
from tests.servers.smbd import start_smbd  # noqa: E402
from tests.servers.sshd import start_sshd  # noqa: E402


def build_tree(root: str, copies: int) -> int:
    """The fixture estate ``copies`` times plus a log per copy; returns bytes on disk."""
    rng = random.Random(3)
    for i in range(copies):
        base = os.path.join(root, f"site-{i:02d}")
        build_estate(base)
        with open(os.path.join(base, "access.log"), "w") as fh:
            for n in range(20000):
                fh.write(f"2026-11-01T10:{n % 60:02d}:00Z GET /page/{rng.randint(1, 999)} 200 "
                         f"10.1.{rng.randint(0, 20)}.{rng.randint(1, 254)} user=u{rng.randint(1, 300)}@corp.example\n")
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs)


def scan(label: str, args: list[str], env: dict, out: str) -> tuple[float, set]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "piisweep.cli", "scan", *args, "--out", out, "--quiet"],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        print(f"{label}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    scan_dir = os.path.join(out, sorted(os.listdir(out))[0])
    rows = pq.read_table(os.path.join(scan_dir, "findings.parquet"),
                         columns=["path", "container", "entity_type", "value_hash"]).to_pylist()
    for item in pq.read_table(os.path.join(scan_dir, "items.parquet")).to_pylist():
        if item["status"] == "error":
            print(f"{label}: {item['path']} {item['container']}: {item['reason']} ({item['seconds']:.1f} s)")
    return seconds, {tuple(r.values()) for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--workers", default="2")
    opts = parser.parse_args()
    parent = make_served_dir("piisweep-rscan-")
    work = tempfile.mkdtemp(prefix="piisweep-rscan-out-")
    sshd = smbd = None
    try:
        root = os.path.join(parent, "tree")
        size = build_tree(root, opts.copies)
        sshd, smbd = start_sshd(), start_smbd(parent)
        env = dict(os.environ, PIISWEEP_KEY="bench-key-0123456789", BENCH_SMB_PW=smbd.password)
        common = ["--workers", opts.workers] + (["--no-ner"] if opts.no_ner else [])
        runs = {
            "local": [root],
            "ssh": [f"ssh://{sshd.user}@{sshd.host}:{sshd.port}{root}", "--identity", sshd.identity,
                    "--known-hosts", sshd.known_hosts],
            "smb": [f"smb://{smbd.user}@{smbd.host}:{smbd.port}/{smbd.share}/tree", "--password-env", "BENCH_SMB_PW"],
        }
        results = {name: scan(name, args + common, env, os.path.join(work, name)) for name, args in runs.items()}
        local_s = results["local"][0]
        print(f"tree: {size / 1e6:.1f} MB, {opts.copies} copies, workers={opts.workers}, "
              f"ner={'off' if opts.no_ner else 'on'}")
        print(f"{'target':8} {'seconds':>8} {'MB/s':>7} {'x local':>8}  same findings as local")
        for name, (seconds, found) in results.items():
            same = found == results["local"][1]
            print(f"{name:8} {seconds:8.2f} {size / 1e6 / seconds:7.2f} {seconds / local_s:8.2f}  {same}")
    finally:
        for server in (sshd, smbd):
            if server is not None:
                server.stop()
        shutil.rmtree(parent, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
