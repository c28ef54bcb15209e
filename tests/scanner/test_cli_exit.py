"""``python -m piisweep`` is the command line: usage errors exit 2, a scan exits with its code."""

from __future__ import annotations

from tests.cli import run_cli


def test_help_lists_every_command(tmp_path):
    proc = run_cli(["--help"], tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for command in ("scan", "report", "datamap", "dsar", "diff"):
        assert command in proc.stdout


def test_a_usage_error_exits_2(tmp_path):
    proc = run_cli(["scan"], tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "give at least one TARGET" in proc.stderr


def test_a_scan_exits_with_its_code(tmp_path):
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    proc = run_cli(["scan", str(tmp_path / "tree"), "--out", str(tmp_path / "out"), "--workers", "0", "-q",
                    "--no-ner"], tmp_path, timeout=120)
    assert proc.returncode == 3, proc.stderr  # an item could not be read
    assert list((tmp_path / "out").iterdir())
