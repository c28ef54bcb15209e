"""The ``piisweep`` command ends without the interpreter's teardown, but loses nothing on the way:
exit handlers run, output is flushed, exit codes are click's."""

from __future__ import annotations

import subprocess
import sys

from tests.cli import ROOT

PROGRAM = """
import atexit, sys, tempfile, os
from scanner import cli
kept = tempfile.mkdtemp(prefix="piisweep-exit-test-")
atexit.register(lambda: print("exit handler ran", kept, flush=True))
atexit.register(os.rmdir, kept)
sys.argv = ["piisweep", *sys.argv[1:]]
print("buffered, not flushed yet", end="")
cli.run()
print("never printed")
"""


def _piisweep(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_a_usage_error_exits_2_after_the_exit_handlers_ran():
    proc = _piisweep("scan")
    assert proc.returncode == 2, proc.stderr
    assert "give at least one TARGET" in proc.stderr
    assert proc.stdout.startswith("buffered, not flushed yet") and "exit handler ran" in proc.stdout
    assert "never printed" not in proc.stdout
    kept = proc.stdout.split("exit handler ran ")[1].strip()
    assert not (ROOT / kept).exists(), "the exit handler removing the temporary folder did not run"


def test_a_successful_command_exits_0_with_its_output_flushed():
    proc = _piisweep("--version")
    assert proc.returncode == 0, proc.stderr
    assert "version" in proc.stdout and "exit handler ran" in proc.stdout


def test_a_scan_through_run_exits_with_its_code(tmp_path):
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    proc = _piisweep("scan", str(tmp_path / "tree"), "--out", str(tmp_path / "out"), "--workers", "0", "-q",
                     "--no-ner", "--key-file", str(tmp_path / "key"))
    assert proc.returncode == 3, proc.stderr  # an item could not be read
    assert list((tmp_path / "out").iterdir())
