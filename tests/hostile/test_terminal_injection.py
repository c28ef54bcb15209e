"""Item 4: names with escape sequences and rich markup, printed by dsar, diff and scan."""

from __future__ import annotations

import os

from tests.cli import run_cli
from tests.hostile.helpers import quick_scan

EMAIL = "jane.doe@example.com"
TITLE = "title\x1b]0;PWNED\x07clear\x1b[2J.txt"  # sets the window title, clears the screen
TERMINAL = {"TTY_COMPATIBLE": "1", "COLUMNS": "400"}  # rich draws as on a terminal


def _estate(tmp_path):
    root = tmp_path / "share"
    (root / "[bold red]eaten[").mkdir(parents=True)
    (root / "close[").mkdir()
    for rel in (TITLE, "[bold red]eaten[/bold red].txt", "close[/bold].txt"):
        (root / rel).write_text(f"mail {EMAIL}\n")
    return root


def _no_injected_sequences(text: str) -> None:
    assert "\x1b]0;" not in text and "\x1b[2J" not in text and "\x07" not in text
    assert "\\x1b]0;PWNED\\x07clear\\x1b[2J.txt" in text  # shown, as visible escapes


def test_dsar_prints_names_as_plain_text_on_a_terminal_and_through_a_pipe(tmp_path):
    scan_dir = quick_scan(_estate(tmp_path), tmp_path / "out")
    on_terminal = run_cli(["dsar", str(scan_dir), "--email", EMAIL], tmp_path, **TERMINAL)
    assert on_terminal.returncode == 0, on_terminal.stderr
    _no_injected_sequences(on_terminal.stdout)
    assert "[bold red]eaten[/bold red].txt" in on_terminal.stdout and "close[/bold].txt" in on_terminal.stdout
    piped = run_cli(["dsar", str(scan_dir), "--email", EMAIL], tmp_path)
    assert piped.returncode == 0, piped.stderr
    _no_injected_sequences(piped.stdout)
    lines = piped.stdout.splitlines()
    assert lines[0].split("\t")[:2] == ["scan", "location"] and len(lines) == 4
    share = f"file://{tmp_path}/share/"
    assert {line.split("\t")[1].removeprefix(share) for line in lines[1:]} == {
        "title\\x1b]0;PWNED\\x07clear\\x1b[2J.txt", "[bold red]eaten[/bold red].txt", "close[/bold].txt"}


def test_dsar_off_a_terminal_keeps_each_long_location_on_one_line(tmp_path):
    root = tmp_path / "share"
    deep = root / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    (deep / "file.txt").write_text(f"mail {EMAIL}\n")
    scan_dir = quick_scan(root, tmp_path / "out")
    piped = run_cli(["dsar", str(scan_dir), "--email", EMAIL], tmp_path, COLUMNS="80")
    lines = piped.stdout.splitlines()
    assert len(lines) == 2 and lines[1].split("\t")[1] == f"file://{deep}/file.txt"


def test_diff_prints_names_as_plain_text(tmp_path):
    root = _estate(tmp_path)
    before = quick_scan(root, tmp_path / "a")
    (root / "new[" / "bold]x").mkdir(parents=True)
    (root / "new[" / "bold]x" / "n.txt").write_text(f"mail {EMAIL}\n")
    after = quick_scan(root, tmp_path / "b")
    for env in (TERMINAL, {}):
        done = run_cli(["diff", str(before), str(after)], tmp_path, **env)
        assert done.returncode == 0, done.stderr
        assert "new[/bold]x/n.txt" in done.stdout
    piped = run_cli(["diff", str(before), str(after)], tmp_path)
    added = [line.split("\t") for line in piped.stdout.splitlines() if line.startswith("added\t")]
    assert [row[1] for row in added] == [f"file://{root}/new[/bold]x/n.txt"]


def test_scan_summary_and_errors_show_control_characters_as_escapes(tmp_path):
    root = tmp_path / "share\x1b]0;PWNED\x07"
    root.mkdir()
    (root / "a.txt").write_text(f"mail {EMAIL}\n")
    done = run_cli(["scan", str(root), "--out", str(tmp_path / "out"), "--workers", "0", "--no-ner"], tmp_path,
                   **TERMINAL)
    assert done.returncode == 0, done.stderr
    assert "\x1b]0;" not in done.stderr + done.stdout
    assert "share\\x1b]0;PWNED\\x07" in done.stderr + done.stdout
    missing = run_cli(["report", str(root), "-o", str(tmp_path / "x\x1b[2J" / "r.html")], tmp_path)
    assert missing.returncode != 0 and "\x1b[2J" not in missing.stderr and "Traceback" not in missing.stderr
    assert os.path.isdir(root)
