"""The local agent against a real folder: odd names, symlinks, loops, FIFOs, metadata."""

from __future__ import annotations

import os
import pwd
import threading

import pytest

from agents.base import AgentError, AgentOptions, EnumerationProblem
from agents.local import LocalAgent, owner_name
from contract.models import ERROR, SKIPPED, Item
from contract.targets import parse_target


def listing(root, **options) -> dict[str, Item | EnumerationProblem]:
    """Everything the agent yields, by path."""
    with LocalAgent(parse_target(str(root)), AgentOptions(**options)) as agent:
        entries = list(agent.items())
    by_path = {e.path: e for e in entries}
    assert len(by_path) == len(entries), "a path was listed twice"
    return by_path


def within(seconds: float, fn, *args):
    """Run ``fn`` in a thread and fail (instead of hanging the suite) if it does not return in time."""
    result: dict = {}

    def run():
        try:
            result["value"] = fn(*args)
        except BaseException as exc:  # handed back to the test
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{fn.__name__} did not return within {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_files_in_nested_folders_with_relative_paths_and_uris(tmp_path):
    (tmp_path / "hr" / "2024").mkdir(parents=True)
    (tmp_path / "hr" / "2024" / "staff.csv").write_text("name,email\n")
    (tmp_path / "readme.txt").write_text("hello")
    entries = listing(tmp_path)
    assert set(entries) == {"hr/2024/staff.csv", "readme.txt"}
    item = entries["hr/2024/staff.csv"]
    assert isinstance(item, Item)
    assert item.uri == f"file://{tmp_path}/hr/2024/staff.csv"
    assert (item.ref.base, item.ref.rel) == (os.fsencode(tmp_path), b"hr/2024/staff.csv")


def test_non_utf8_names_are_kept_and_opened_by_raw_bytes(tmp_path):
    folder = os.fsencode(tmp_path) + b"/d\xe9partement"
    os.mkdir(folder)
    raw = folder + b"/caf\xe9 \xff.txt"
    with open(raw, "wb") as fh:
        fh.write(b"contents of a latin-1 named file")
    entries = listing(tmp_path)
    path = "d\\xe9partement/caf\\xe9 \\xff.txt"
    assert set(entries) == {path}
    item = entries[path]
    assert item.ref.base + b"/" + item.ref.rel == raw
    assert item.uri.endswith("/" + path)
    with LocalAgent(parse_target(str(tmp_path))) as agent:
        with agent.open(item) as stream:
            assert stream.read() == b"contents of a latin-1 named file"
            assert os.path.samefile(agent.fd_path(stream), raw)


def test_symlinks_not_followed_by_default(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("a")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    (tmp_path / "linkdir").symlink_to(tmp_path / "real")
    (tmp_path / "outside").symlink_to("/etc")
    entries = listing(tmp_path)
    assert isinstance(entries["real/a.txt"], Item)
    for name in ("link.txt", "linkdir", "outside"):
        problem = entries[name]
        assert isinstance(problem, EnumerationProblem)
        assert (problem.status, problem.reason) == (SKIPPED, "symbolic link not followed")
    assert not any(p.startswith(("linkdir/", "outside/")) for p in entries)


def test_symlinks_followed_with_loop_detection(tmp_path):
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "a.txt").write_text("a")
    (tmp_path / "real" / "sub" / "b.txt").write_text("b")
    (tmp_path / "real" / "sub" / "up").symlink_to(tmp_path / "real")  # a loop back to an ancestor
    (tmp_path / "self").symlink_to("self")  # a link to itself: the OS reports ELOOP
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    (tmp_path / "linkdir").symlink_to(tmp_path / "real" / "sub")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    entries = within(10, lambda: listing(tmp_path, follow_symlinks=True))
    items = {p for p, e in entries.items() if isinstance(e, Item)}
    # like find -L: a file reached through several links is listed under each path
    assert items == {"real/a.txt", "real/sub/b.txt", "link.txt", "linkdir/b.txt", "linkdir/up/a.txt"}
    assert entries["link.txt"].ref.rel == b"real/a.txt"  # resolved once, at listing
    loop = entries["real/sub/up"]
    assert (loop.status, loop.reason) == (SKIPPED, "symbolic link loop")
    assert (entries["self"].status, entries["self"].reason) == (ERROR, "symbolic link loop")
    assert (entries["dangling"].status, entries["dangling"].reason) == (ERROR, "broken symbolic link")
    # through linkdir, "up" leads to real/, not an ancestor on that path: followed, then sub/ closes the loop
    assert (entries["linkdir/up/sub"].status, entries["linkdir/up/sub"].reason) == (SKIPPED, "symbolic link loop")


def test_fifo_skipped_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "after.txt").write_text("x")
    entries = within(10, listing, tmp_path)
    assert (entries["pipe"].status, entries["pipe"].reason) == (SKIPPED, "not a regular file (FIFO)")
    assert isinstance(entries["after.txt"], Item)


def test_file_replaced_by_fifo_after_listing_does_not_hang(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")
    with LocalAgent(parse_target(str(tmp_path))) as agent:
        (item,) = list(agent.items())
        path.unlink()
        os.mkfifo(path)
        with pytest.raises(OSError):
            within(10, agent.open, item)


def test_single_file_as_target(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,email\n")
    entries = listing(path)
    assert list(entries) == ["export.csv"]
    item = entries["export.csv"]
    assert item.uri == f"file://{path}"
    assert item.ref.base + b"/" + item.ref.rel == os.fsencode(path)
    with LocalAgent(parse_target(str(path))) as agent, agent.open(item) as stream:
        assert stream.read() == b"id,email\n"


def test_size_mtime_owner_mode_recorded(tmp_path):
    path = tmp_path / "payroll.csv"
    path.write_bytes(b"x" * 1234)
    os.chmod(path, 0o640)
    os.utime(path, (1_600_000_000, 1_700_000_000.5))
    item = listing(tmp_path)["payroll.csv"]
    assert item.size == 1234
    assert item.mtime == pytest.approx(1_700_000_000.5)
    assert item.mode == 0o640
    assert item.owner == pwd.getpwuid(os.getuid()).pw_name
    assert item.kind == "file"


def test_unknown_uid_owner_is_the_number():
    uid = 4_000_123
    with pytest.raises(KeyError):
        pwd.getpwuid(uid)
    assert owner_name(uid) == str(uid)
    assert owner_name(os.getuid()) == pwd.getpwuid(os.getuid()).pw_name


def test_opening_does_not_change_access_time(tmp_path):
    path = tmp_path / "old.txt"
    path.write_text("old contents")
    os.utime(path, (1_500_000_000, 1_500_000_000))
    with LocalAgent(parse_target(str(tmp_path))) as agent:
        (item,) = list(agent.items())
        with agent.open(item) as stream:
            stream.read()
    assert os.stat(path).st_atime == 1_500_000_000


def test_missing_target_is_an_agent_error(tmp_path):
    with pytest.raises(AgentError, match="cannot read"):
        listing(tmp_path / "absent")


def test_host_and_facts():
    agent = LocalAgent(parse_target("/"))
    assert agent.host == os.uname().nodename
    assert agent.facts()["hostname"] == os.uname().nodename
