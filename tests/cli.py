"""Running the real CLI in a subprocess, under the network guard, and reading what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).parent.parent
NETGUARD = str(Path(__file__).parent / "netguard")
TEST_KEY = "test-estate-key-0123456789"


def _environment(tmp: Path, env: dict) -> dict:
    return dict(os.environ, **{"PIISWEEP_KEY": TEST_KEY,
                               "PYTHONPATH": NETGUARD + os.pathsep + os.environ.get("PYTHONPATH", ""),
                               "PIISWEEP_NETGUARD_LOG": str(tmp / "netguard.log"), **env})


def run_cli(args: list[str], tmp: Path, timeout: float = 600, **env) -> subprocess.CompletedProcess:
    """``python -m piisweep ARGS`` with a fixed estate key (unless ``env`` names another); connections
    off loopback are logged."""
    return subprocess.run([sys.executable, "-m", "piisweep", *args], capture_output=True, text=True,
                          env=_environment(tmp, env), timeout=timeout, cwd=ROOT)


def start_cli(args: list[str], tmp: Path, **env) -> subprocess.Popen:
    """``python -m piisweep ARGS`` started as :func:`run_cli` runs it, in a process group of its own
    (the group a terminal's Ctrl-C or a service manager's stop reaches: the scan and its workers)."""
    return subprocess.Popen([sys.executable, "-m", "piisweep", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_environment(tmp, env), cwd=ROOT,
                            start_new_session=True)


class Scan:
    """One scan folder read back."""

    def __init__(self, scan_dir: Path):
        self.dir = scan_dir
        self.findings = pq.read_table(scan_dir / "findings.parquet").to_pylist()
        self.items = pq.read_table(scan_dir / "items.parquet").to_pylist()
        self.values = pq.read_table(scan_dir / "values.parquet").to_pylist()
        self.manifest = json.loads((scan_dir / "manifest.json").read_text())


def only_scan(out: Path) -> Scan:
    """The single scan folder under ``out``."""
    scans = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(scans) == 1, scans
    return Scan(scans[0])
