"""Item 1: a scanned folder's writer swaps files for links between listing and reading.

A scan runs as root over folders its users can write to. Whatever they swap in,
at whatever moment, nothing outside the target may be read: the item is an
error "changed during scan", or still the file that was listed.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from tests.extract.builders import pdf_bytes, xlsx_bytes
from tests.scanner.helpers import scan, top_rows

OUTSIDE_EMAIL = "outside.victim@example.org"
INSIDE_EMAIL = "listed.file@example.com"


@pytest.fixture
def estate(tmp_path):
    """A share (the target) and, beside it, a folder its users must never get read."""
    share, outside = tmp_path / "share", tmp_path / "outside"
    share.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(f"HR only: {OUTSIDE_EMAIL}\n")
    return share, outside


def previews(result) -> set[str]:
    return {f["preview"] for f in result.findings}


def _swap_for_link(path, target):
    def action(item):
        os.unlink(path)
        os.symlink(target, path)
    return action


def test_file_swapped_for_a_link_after_listing_is_not_followed(estate, race, estate_key, tmp_path):
    share, outside = estate
    (share / "notes.txt").write_text("nothing personal in here at all\n")
    swapped = race("listed", _swap_for_link(share / "notes.txt", outside / "secret.txt"))
    _, result = scan(share, tmp_path / "out")
    assert swapped == ["notes.txt"]
    row = top_rows(result.items)["notes.txt"]
    assert row["status"] == "error" and row["reason"].startswith("changed during scan")
    assert result.findings == []


def test_folder_swapped_for_a_link_after_listing_is_not_followed(estate, race, estate_key, tmp_path):
    share, outside = estate
    (share / "hr").mkdir()
    (share / "hr" / "secret.txt").write_text("a harmless placeholder line\n")

    def swap_folder(item):
        os.rename(share / "hr", share / "hr-old")
        os.symlink(outside, share / "hr")

    race("listed", swap_folder)
    _, result = scan(share, tmp_path / "out")
    row = top_rows(result.items)["hr/secret.txt"]
    assert row["status"] == "error" and row["reason"].startswith("changed during scan")
    assert OUTSIDE_EMAIL not in str(result.findings) and result.findings == []


def test_file_replaced_by_another_file_after_listing_is_an_error(estate, race, estate_key, tmp_path):
    share, outside = estate
    (share / "notes.txt").write_text("nothing personal in here at all\n")

    def replace(item):  # a hard link of the outside file, as a user who may link it would make
        os.unlink(share / "notes.txt")
        os.link(outside / "secret.txt", share / "notes.txt")

    race("listed", replace)
    _, result = scan(share, tmp_path / "out")
    row = top_rows(result.items)["notes.txt"]
    assert row["status"] == "error" and "changed during scan" in row["reason"]
    assert result.findings == []


def _sqlite_bytes(tmp_path, email: str) -> bytes:
    path = tmp_path / f"build-{email}.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE staff (name TEXT, email TEXT)")
    con.executemany("INSERT INTO staff VALUES (?, ?)", [("Row", email)] * 5)
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("name, build", [
    ("report.pdf", lambda tmp, email: pdf_bytes([f"Contact {email} for details."])),
    ("staff.xlsx", lambda tmp, email: xlsx_bytes({"Staff": [["name", "email"], ["Row", email], ["Row", email]]})),
    ("app.db", _sqlite_bytes),
])
def test_formats_opened_by_libraries_read_the_opened_file_not_the_path(estate, race, estate_key, tmp_path, name,
                                                                       build):
    """PDFium, calamine and SQLite take a path: they get /proc/self/fd/N of the file the agent
    opened, so a link put at the listed path once the file is open changes nothing."""
    share, outside = estate
    (share / name).write_bytes(build(tmp_path, INSIDE_EMAIL))
    (outside / name).write_bytes(build(tmp_path, OUTSIDE_EMAIL))

    def swap_after_open(item):
        os.rename(share / name, share / f"{name}.old")
        os.symlink(outside / name, share / name)

    swapped = race("opened", swap_after_open)
    _, result = scan(share, tmp_path / "out")
    assert swapped == [name]
    row = top_rows(result.items)[name]
    assert row["status"] == "scanned", row["reason"]
    shown = previews(result)
    assert "l***@e***.com" in shown  # the listed file's value, masked
    assert not any(p.startswith("o***") for p in shown)


def test_follow_symlinks_stays_beneath_the_target(estate, estate_key, tmp_path):
    share, outside = estate
    (share / "real").mkdir()
    (share / "real" / "a.txt").write_text(f"Write to {INSIDE_EMAIL}\n")
    (share / "inside-link.txt").symlink_to(share / "real" / "a.txt")
    (share / "inside-dir").symlink_to("real")
    (share / "outside-link.txt").symlink_to(outside / "secret.txt")
    (share / "outside-dir").symlink_to(outside)
    (share / "root-link").symlink_to(share)
    _, result = scan(share, tmp_path / "out", agent=_follow())
    rows = top_rows(result.items)
    for name in ("outside-link.txt", "outside-dir"):
        assert (rows[name]["status"], rows[name]["reason"]) == ("skipped", "symbolic link leads outside the target")
    assert (rows["root-link"]["status"], rows["root-link"]["reason"]) == ("skipped", "symbolic link loop")
    for path in ("real/a.txt", "inside-link.txt", "inside-dir/a.txt"):
        assert rows[path]["status"] == "scanned"
    assert not any(f["preview"].startswith("o***") for f in result.findings)
    # naming the outside folder as a target of its own is how it gets scanned
    _, both = scan([share, outside], tmp_path / "out2", agent=_follow())
    assert {f["path"] for f in both.findings if f["preview"].startswith("o***")} == {"secret.txt"}


def test_followed_link_is_resolved_once_at_listing(estate, race, estate_key, tmp_path):
    """The link is resolved when listed; repointing it afterwards changes nothing read."""
    share, outside = estate
    (share / "real").mkdir()
    (share / "real" / "a.txt").write_text(f"Write to {INSIDE_EMAIL}\n")
    (share / "link.txt").symlink_to(share / "real" / "a.txt")

    def repoint(item):
        os.unlink(share / "link.txt")
        os.symlink(outside / "secret.txt", share / "link.txt")

    race("listed", repoint, path="link.txt")
    _, result = scan(share, tmp_path / "out", agent=_follow())
    rows = top_rows(result.items)
    assert rows["link.txt"]["status"] == "scanned"
    assert {f["path"] for f in result.findings} == {"real/a.txt", "link.txt"}
    assert not any(f["preview"].startswith("o***") for f in result.findings)


def _follow():
    from agents.base import AgentOptions

    return AgentOptions(follow_symlinks=True)
