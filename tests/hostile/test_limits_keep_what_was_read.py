"""Item 5: the text read before an item-wide limit trips is still detected, NER on or off."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from scanner.limits import ExtractLimits
from tests.scanner.helpers import scan, top_rows

FIRST = "Write to first.member@example.com please."


def many_members(tmp_path, count: int = 10_000):
    """A zip of ``count`` members: the first two hold an address, the rest are empty."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("000000.txt", FIRST + "\n")
        zf.writestr("000001.txt", "And second.member@example.com too.\n")
        for i in range(2, count):
            zf.writestr(f"{i:06d}.txt", "")
    path = tmp_path / "share" / "many.zip"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(buf.getvalue())


def gzip_bomb(tmp_path):
    path = tmp_path / "share" / "app.log.gz"
    path.parent.mkdir(exist_ok=True)
    with gzip.open(path, "wb") as fh:
        fh.write(b"first line: bomb.victim@example.com\n")
        fh.write(b"filler line without anything personal in it\n" * (1 << 18))  # 12 MB at a ratio over 1000


@pytest.mark.parametrize("ner", [True, False])
def test_first_members_of_a_huge_zip_and_first_line_of_a_bomb_are_detected(tmp_path, estate_key, ner):
    many_members(tmp_path)
    gzip_bomb(tmp_path)
    # the member limit lowered from 20,000 so that the test reads 2,000 members, not 20,000: the
    # limit trips the same way
    _, result = scan(tmp_path / "share", tmp_path / "out", ner=ner, limits=ExtractLimits(max_members=2000))
    rows = top_rows(result.items)
    assert (rows["many.zip"]["status"], rows["many.zip"]["reason"]) == (
        "error", "more than 2000 archive members (limit reached)")
    assert rows["app.log.gz"]["status"] == "error" and "possible zip bomb" in rows["app.log.gz"]["reason"]
    found = {(f["path"], f["preview"]) for f in result.findings if f["entity_type"] == "EMAIL_ADDRESS"}
    assert {("many.zip", "f***@e***.com"), ("many.zip", "s***@e***.com"), ("app.log.gz", "b***@e***.com")} <= found
