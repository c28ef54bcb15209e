"""Plain text: encodings, block cutting, offsets, lines, hints, bounded memory."""

from __future__ import annotations

import io
import resource

from scanner.extract import ExtractLimits, extract
from scanner.extract.blocks import block_hint
from contract.models import LINES, PROSE, TextBlock

from .builders import item
from .helpers import run, texts

PROSE_TEXT = (
    "Dear Ms Müller, thank you for your letter of last week. We have updated your address in our records. "
    "Your new account manager will contact you shortly. Please let us know if anything is still wrong. "
)


def check_contiguous(blocks, full: str, block_chars: int) -> None:
    """Offsets are contiguous, lines are right, no block is over the limit."""
    expected_offset = 0
    for b in blocks:
        assert len(b.text) <= block_chars
        assert b.offset == expected_offset
        assert full[b.offset:b.offset + len(b.text)] == b.text
        assert b.line == full.count("\n", 0, b.offset) + 1
        expected_offset += len(b.text)
    assert expected_offset == len(full)


def test_utf8_blocks_offsets_and_lines():
    lines = [f"line {i}: user{i}@example.com visited page {i * 7}" for i in range(2000)]
    full = "\n".join(lines) + "\n"
    fmt, blocks = run(full.encode(), "access.log", ExtractLimits(block_chars=1000))
    assert fmt == "text"
    assert len(blocks) > 50
    check_contiguous(blocks, full, 1000)
    assert all(block_hint(b.hint, b.text) == LINES and b.container == "" for b in blocks)


def test_block_cut_without_newlines_is_exact():
    full = "é" * 2500
    _, blocks = run(full.encode(), "one-line.txt", ExtractLimits(block_chars=1000))
    assert [len(b.text) for b in blocks] == [1000, 1000, 500]
    check_contiguous(blocks, full, 1000)


def test_cp1252_is_decoded():
    full = "Café résumé naïve – “quoted” €100, Müller straße.\nDear customer, your account is below.\n" * 3
    fmt, blocks = run(full.encode("cp1252"), "legacy.txt")
    assert fmt == "text"
    assert texts(blocks) == full


def test_utf16_with_and_without_bom():
    full = "Jane Doe\nPhone: +44 20 7946 0958\nEmail: jane@example.com\n" * 20
    for data in (full.encode("utf-16"), full.encode("utf-16-le"), full.encode("utf-16-be")):
        fmt, blocks = run(data, "notes.txt")
        assert fmt == "text"
        assert texts(blocks) == full


def test_utf8_bom_is_dropped():
    fmt, blocks = run("\ufeffhello Jane".encode("utf-8"), "bom.txt")
    assert texts(blocks) == "hello Jane"


def test_prose_and_lines_hints():
    _, prose = run((PROSE_TEXT * 10).encode(), "letter.txt")
    assert {b.hint for b in prose} == {None}  # the text tells, when NER asks
    assert {block_hint(b.hint, b.text) for b in prose} == {PROSE}
    log = "".join(f"2024-03-0{i % 9 + 1} 10:00:0{i % 10} INFO id={i} ip=10.0.0.{i % 250}\n" for i in range(200))
    _, lines = run(log.encode(), "app.log")
    assert {block_hint(b.hint, b.text) for b in lines} == {LINES}


class _Endless(io.RawIOBase):
    """A non-seekable stream of ``total`` bytes of log lines, generated on the fly."""

    LINE = b"2024-01-01 12:00:00 INFO user jane@example.com logged in from 10.0.0.1\n"

    def __init__(self, total: int):
        self.left = total

    def readable(self):
        return True

    def readinto(self, buf):
        n = min(len(buf), self.left)
        pattern = (self.LINE * (n // len(self.LINE) + 1))[:n]
        buf[:n] = pattern
        self.left -= n
        return n


def test_large_stream_uses_bounded_memory():
    total = 150 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ex = extract(io.BufferedReader(_Endless(total)), item("huge.log"))
    chars = 0
    for block in ex:
        assert isinstance(block, TextBlock)
        assert block.offset == chars
        chars += len(block.text)
    assert chars == total
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100
