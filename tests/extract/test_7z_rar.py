"""7z (py7zr) and RAR (rarfile + unar) archives: members, nesting, encryption, and bombs inside them
stopped by the same limits as zip."""

from __future__ import annotations

import io
import os
import resource
import threading

import pytest

from contract.models import ERROR, SCANNED, MemberEvent
from scanner.extract import ExtractError, ExtractLimits, extract

from .builders import docx_bytes, item, rar_bytes, sevenzip_bytes, write_zip_bomb, zip_bytes
from .helpers import columns, events, run, texts
from .test_legacy_formats import PUBLIC, public


def _bomb(tmp_path, expanded: int = 1 << 30) -> bytes:
    path = tmp_path / "bomb.zip"
    write_zip_bomb(path, expanded=expanded)
    return path.read_bytes()


def test_7z_members_through_the_dispatcher():
    data = sevenzip_bytes({"docs/a.txt": b"Jane Doe, 12 High Street", "people.csv": b"name,email\nJane,j@x.org\n",
                           "inner.zip": zip_bytes({"c.docx": docx_bytes(["Contract of Bob Smith."])})})
    fmt, blocks = run(data, "bundle.7z")
    assert fmt == "7z"
    assert texts(blocks, "docs/a.txt") == "Jane Doe, 12 High Street"
    assert columns(blocks)[("people.csv", "email")].values == ["j@x.org"]
    assert texts(blocks, "inner.zip!c.docx") == "Contract of Bob Smith.\n"
    assert {k: v.status for k, v in events(blocks).items()} == {
        "docs/a.txt": SCANNED, "people.csv": SCANNED, "inner.zip!c.docx": SCANNED, "inner.zip": SCANNED}


def test_7z_encrypted_is_an_error():
    with pytest.raises(ExtractError, match="^encrypted 7z archive"):
        run(sevenzip_bytes({"a.txt": b"Jane Doe"}, password="secret"), "locked.7z")
    with pytest.raises(ExtractError, match="^encrypted 7z archive"):
        run(public("full_encrypted.7z"), "names.7z")


def test_zip_bomb_inside_rar_is_stopped_and_the_next_member_read(tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    blocks = run(rar_bytes({"bomb.zip": _bomb(tmp_path), "note.txt": b"Jane Doe"}), "x.rar")[1]
    ev = events(blocks)
    assert ev["bomb.zip!bomb.txt"].status == ERROR and "zip bomb" in ev["bomb.zip!bomb.txt"].reason
    assert texts(blocks, "note.txt") == "Jane Doe"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 300 << 10  # KiB


def test_zip_bomb_inside_7z_is_stopped(tmp_path):
    """LZMA squeezes the bomb's repeated deflate blocks too: the 7z's own ratio check stops it
    (a solid archive cannot skip one member), after the members before it were read."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seen = []
    with pytest.raises(ExtractError, match="possible zip bomb"):
        for block in extract(io.BytesIO(sevenzip_bytes({"note.txt": b"Jane Doe", "bomb.zip": _bomb(tmp_path)})),
                             item("x.7z"), None, ExtractLimits()):
            seen.append(block)
    assert texts(seen, "note.txt") == "Jane Doe"
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 300 << 10  # KiB


def test_7z_bomb_stops_decompression_early():
    """A 7z member of 400 MiB of zeros compresses to a few KB: the ratio check ends the archive
    long before it expands, and the decompressing thread ends with it."""
    data = sevenzip_bytes({"a.txt": b"Jane Doe", "zeros.log": bytes(400 << 20)})
    assert len(data) < 200_000
    threads = threading.active_count()
    seen = []
    with pytest.raises(ExtractError, match="compression ratio above 200"):
        for block in extract(io.BytesIO(data), item("bomb.7z"), None, ExtractLimits()):
            seen.append(block)
    assert texts(seen, "a.txt") == "Jane Doe"
    assert threading.active_count() == threads


def test_7z_expanded_bytes_and_member_limits():
    members = {f"part{i}.txt": b"Jane Doe\n" * 20000 for i in range(5)}
    with pytest.raises(ExtractError, match="expands beyond"):
        run(sevenzip_bytes(members), "many.7z", ExtractLimits(max_expanded_bytes=400_000, max_ratio=1e9))
    with pytest.raises(ExtractError, match="more than 3 archive members"):
        run(sevenzip_bytes({f"f{i}.txt": b"x" for i in range(6)}), "lots.7z", ExtractLimits(max_members=3))


def test_rar_compressed_members_through_unar(tmp_path):
    """The public sample is compressed (method 51): unar unpacks it, from a local path and from memory."""
    data = public("test-documents.rar")
    path = os.path.join(PUBLIC, "test-documents.rar")
    for local in (path, None):
        fmt, blocks = run(data, "docs.rar", fd_path=local)
        assert fmt == "rar"
        assert "Test d'indexation de Txt" in texts(blocks, "test-documents/testTXT.txt")
        assert "sample Microsoft Word Document" in texts(blocks, "test-documents/testWORD.doc")
        ev = events(blocks)
        assert len(ev) == 9 and all(e.status == SCANNED for e in ev.values())


def test_rar_inside_a_zip_and_stored_members():
    inner = rar_bytes({"hr/staff.csv": b"name,email\nJane,jane@example.com\n", "readme.txt": b"Bob Smith"})
    blocks = run(zip_bytes({"backup.rar": inner}), "outer.zip")[1]
    assert columns(blocks)[("backup.rar!hr/staff.csv", "email")].values == ["jane@example.com"]
    assert texts(blocks, "backup.rar!readme.txt") == "Bob Smith"
    assert events(blocks)["backup.rar"].status == SCANNED


def test_rar_encrypted_and_corrupt_are_errors():
    with pytest.raises(ExtractError, match="^encrypted RAR archive"):
        run(public("test-documents-enc.rar"), "locked.rar")
    blocks = run(public("test-documents.rar")[:30000], "cut.rar")[1]  # members up to the cut are read
    ev = events(blocks)
    assert ev["test-documents/testHTML.html"].status == SCANNED
    assert ev["test-documents/testPDF.pdf"].status == ERROR and "corrupt archive member" in ev[
        "test-documents/testPDF.pdf"].reason


def test_rar_member_count_limit():
    data = rar_bytes({f"f{i}.txt": b"x" for i in range(30)})
    seen = []
    with pytest.raises(ExtractError, match="more than 10 archive members"):
        for block in extract(io.BytesIO(data), item("lots.rar"), None, ExtractLimits(max_members=10)):
            seen.append(block)
    assert sum(isinstance(b, MemberEvent) for b in seen) == 10
