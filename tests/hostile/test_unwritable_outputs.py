"""Item 11: outputs that cannot be written stop the command before any work, in one line."""

from __future__ import annotations

import pytest

from tests.cli import run_cli
from tests.hostile.helpers import quick_scan, tmpfs


@pytest.fixture
def share(tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    (root / "a.txt").write_text("mail jane.doe@example.com\n")
    return root


def _one_line_usage_error(done, path) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert f"cannot write {path}" in done.stderr and "Traceback" not in done.stderr


def _unwritable_places(tmp_path):
    """(read-only mount or None, a path under a regular file)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return blocker / "sub"


def test_every_output_option_is_checked_before_work(tmp_path, share):
    scan_dir = quick_scan(share, tmp_path / "out")
    under_file = _unwritable_places(tmp_path)
    with tmpfs(tmp_path / "ro", "ro") as mounted:
        places = [under_file] + ([tmp_path / "ro"] if mounted else [])
        for place in places:
            report = place / "r.html"
            done = run_cli(["scan", str(share), "--out", str(tmp_path / "fresh"), "--workers", "0", "--no-ner", "-q",
                            "--report", str(report)], tmp_path)
            _one_line_usage_error(done, report)
            assert not (tmp_path / "fresh").exists() or not any((tmp_path / "fresh").iterdir())  # no work done
            done = run_cli(["scan", str(share), "--out", str(place / "inv"), "--workers", "0", "--no-ner", "-q"],
                           tmp_path)
            _one_line_usage_error(done, place / "inv")
            _one_line_usage_error(run_cli(["report", str(scan_dir), "-o", str(report)], tmp_path), report)
            _one_line_usage_error(run_cli(["datamap", str(scan_dir), "-o", str(place / "m.csv")], tmp_path),
                                  place / "m.csv")
    if not mounted:
        pytest.skip("checked under a regular file only: mounting a read-only tmpfs is not permitted here")


def test_a_report_that_fails_late_is_one_line_and_keeps_the_scan_exit_code(tmp_path, share):
    """A tmpfs with room for the check's empty probe file but not for the report itself."""
    with tmpfs(tmp_path / "tiny", "size=4k") as mounted:
        if not mounted:
            pytest.skip("mounting a tmpfs is not permitted here")
        report = tmp_path / "tiny" / "r.html"
        done = run_cli(["scan", str(share), "--out", str(tmp_path / "out"), "--workers", "0", "--no-ner", "-q",
                        "--report", str(report)], tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr.count("\n") == 1 and f"cannot write {report}" in done.stderr
        assert "No space left on device" in done.stderr and "the inventory is complete" in done.stderr
        assert not report.exists()
        scan_dir = next((tmp_path / "out").iterdir())
        late = run_cli(["report", str(scan_dir), "-o", str(report)], tmp_path)
        assert late.returncode == 1 and "No space left on device" in late.stderr
        assert "Traceback" not in late.stderr and late.stderr.count("\n") == 1
