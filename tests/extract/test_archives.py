"""ZIP, TAR, gzip/bz2/xz: recursion, containers, member events and limits."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import resource
import tarfile
import time

import pytest

from scanner.extract import ExtractError, ExtractLimits, extract
from contract.models import ERROR, SCANNED, SKIPPED, MemberEvent

from .builders import docx_bytes, item, png_bytes, set_encrypted_flag, write_zip_bomb, zip_bytes
from .helpers import columns, events, run, texts


def test_zip_members_and_events():
    data = zip_bytes({
        "docs/a.txt": b"Jane Doe, 12 High Street",
        "people.csv": b"name,email\nJane,jane@example.com\n",
        "photo.png": png_bytes(16, 16),
        "empty/": b"",
    })
    fmt, blocks = run(data, "bundle.zip")
    assert fmt == "zip"
    assert texts(blocks, "docs/a.txt") == "Jane Doe, 12 High Street"
    assert columns(blocks)[("people.csv", "email")].values == ["jane@example.com"]
    ev = events(blocks)
    assert set(ev) == {"docs/a.txt", "people.csv", "photo.png"}
    assert ev["docs/a.txt"].status == SCANNED and ev["docs/a.txt"].size == 24
    assert ev["photo.png"].status == SKIPPED and ev["photo.png"].reason.startswith("image too small")


def test_nested_zip_containers():
    inner = zip_bytes({"docs/a.docx": docx_bytes(["Jane Doe's contract."])})
    data = zip_bytes({"inner.zip": inner, "readme.txt": b"hello"})
    _, blocks = run(data, "outer.zip")
    assert texts(blocks, "inner.zip!docs/a.docx") == "Jane Doe's contract.\n"
    ev = events(blocks)
    assert {k: v.status for k, v in ev.items()} == {
        "inner.zip!docs/a.docx": SCANNED, "inner.zip": SCANNED, "readme.txt": SCANNED,
    }
    order = [b.container for b in blocks if isinstance(b, MemberEvent)]
    assert order.index("inner.zip!docs/a.docx") < order.index("inner.zip")  # a member's event follows its content


def test_encrypted_member_is_an_error_and_others_go_on():
    data = set_encrypted_flag(zip_bytes({"secret.txt": b"x" * 100, "open.txt": b"Jane Doe"}), "secret.txt")
    _, blocks = run(data, "mixed.zip")
    ev = events(blocks)
    assert ev["secret.txt"].status == ERROR and ev["secret.txt"].reason == "encrypted archive member"
    assert ev["open.txt"].status == SCANNED
    assert texts(blocks, "open.txt") == "Jane Doe"


def test_corrupt_member_does_not_stop_the_archive():
    data = zip_bytes({"bad.pdf": b"%PDF-1.4\n garbage", "good.txt": b"Jane Doe"})
    _, blocks = run(data, "x.zip")
    ev = events(blocks)
    assert ev["bad.pdf"].status == ERROR and ev["bad.pdf"].reason.startswith("corrupt PDF")
    assert texts(blocks, "good.txt") == "Jane Doe"


def test_zip_bomb_stops_early_with_bounded_memory(tmp_path):
    path = tmp_path / "bomb.zip"
    write_zip_bomb(path, expanded=1 << 30)
    assert path.stat().st_size < 2 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    with open(path, "rb") as fh:
        ex = extract(fh, item("bomb.zip"), str(path))
        consumed = 0
        for block in ex:
            if not isinstance(block, MemberEvent):
                consumed += len(block.text)
        last = block
    elapsed = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert isinstance(last, MemberEvent) and last.container == "bomb.txt"
    assert last.status == ERROR and "zip bomb" in last.reason
    assert consumed < 300 << 20  # stopped long before 1 GiB
    assert grown_mb < 200
    assert elapsed < 30


def test_total_expanded_bytes_limit_stops_the_item():
    members = {f"part{i}.txt": b"Jane Doe\n" * 20000 for i in range(5)}  # 180 kB each
    limits = ExtractLimits(max_expanded_bytes=400_000)
    ex = extract(io.BytesIO(zip_bytes(members)), item("many.zip"), None, limits)
    seen = []
    with pytest.raises(ExtractError, match="expands beyond"):
        for block in ex:
            seen.append(block)
    ev = events(seen)
    assert ev["part0.txt"].status == SCANNED and ev["part2.txt"].status == ERROR


def test_member_count_limit():
    data = zip_bytes({f"f{i}.txt": b"x" for i in range(30)})
    ex = extract(io.BytesIO(data), item("lots.zip"), None, ExtractLimits(max_members=10))
    seen = []
    with pytest.raises(ExtractError, match="more than 10 archive members"):
        for block in ex:
            seen.append(block)
    assert len(events(seen)) == 10


def test_depth_limit():
    data = b"deep Jane Doe"
    for level in range(4):
        data = zip_bytes({f"level{level}.zip" if level else "note.txt": data})
    _, blocks = run(data, "deep.zip", ExtractLimits(max_depth=2))
    ev = events(blocks)
    assert ev["level3.zip!level2.zip"].status == SCANNED
    assert ev["level3.zip!level2.zip!level1.zip"].status == SKIPPED
    assert "nested deeper than 2" in ev["level3.zip!level2.zip!level1.zip"].reason
    assert "Jane" not in texts(blocks)


def test_traversal_names_are_just_names(tmp_path):
    data = zip_bytes({"../../etc/evil.txt": b"Jane Doe", "/abs/path.txt": b"Bob"})
    _, blocks = run(data, "evil.zip")
    assert texts(blocks, "../../etc/evil.txt") == "Jane Doe"
    assert not (tmp_path.parent.parent / "etc" / "evil.txt").exists()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_tar_gz_members():
    data = _tar({"home/jane/notes.txt": b"Jane Doe 020 7946 0958", "inner.zip": zip_bytes({"a.txt": b"Bob"})}, "w:gz")
    fmt, blocks = run(data, "backup.tgz")
    assert fmt == "gzip"
    assert texts(blocks, "home/jane/notes.txt") == "Jane Doe 020 7946 0958"
    assert texts(blocks, "inner.zip!a.txt") == "Bob"
    assert set(events(blocks)) == {"home/jane/notes.txt", "inner.zip", "inner.zip!a.txt"}


def test_plain_tar_and_single_compressed_files():
    fmt, blocks = run(_tar({"a.csv": b"email\njane@example.com\n"}), "x.tar")
    assert fmt == "tar" and columns(blocks)[("a.csv", "email")].values == ["jane@example.com"]
    log = b"2024-01-01 login jane@example.com\n" * 100
    for compress, fmt_name in ((gzip.compress, "gzip"), (bz2.compress, "bz2"), (lzma.compress, "xz")):
        fmt, blocks = run(compress(log), "app.log.gz")
        assert fmt == fmt_name
        assert texts(blocks, "") == log.decode()
        assert not events(blocks)  # same item, no member of its own


def test_truncated_gzip_is_an_error():
    lines = "".join(f"{i:08x} user{i * 7919 % 100003}@example.com\n" for i in range(100_000))
    data = gzip.compress(lines.encode())  # cut far past the sniffed head: fails mid-stream
    with pytest.raises(ExtractError, match="^corrupt gzip stream"):
        run(data[: len(data) // 2], "cut.log.gz")


class _ForwardOnly(io.RawIOBase):
    """A stream that cannot seek, like a remote read."""

    def __init__(self, data: bytes):
        self._inner = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, buf):
        data = self._inner.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def test_zip_from_a_forward_only_stream():
    data = zip_bytes({"a.txt": b"Jane Doe", "b.docx": docx_bytes(["Bob Smith"])})
    ex = extract(io.BufferedReader(_ForwardOnly(data)), item("remote.zip"))
    blocks = list(ex)
    assert texts(blocks, "a.txt") == "Jane Doe" and texts(blocks, "b.docx") == "Bob Smith\n"
    with pytest.raises(ExtractError, match="too large to open in memory"):
        list(extract(io.BufferedReader(_ForwardOnly(data)), item("remote.zip"), None,
                     ExtractLimits(max_in_memory=1000)))
