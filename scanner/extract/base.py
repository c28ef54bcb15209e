"""Shared pieces of every extractor: limits, errors, the per-item budget, sources.

An item is extracted through a tree of :class:`Source` objects (the item, then
archive members and attachments inside it). They share one :class:`Context`
whose :class:`Budget` enforces the item-wide limits while bytes stream, so a
zip bomb or a million-member archive stops early with memory bounded.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from scanner.limits import ExtractLimits  # noqa: F401  (the extractors' limits, re-exported)

#: separator between nesting levels in container names: "inner.zip!docs/a.docx!page 2".
#: Archive member names keep their own "/" so that a level boundary stays unambiguous.
LEVEL_SEP = "!"

HEAD_BYTES = 64 * 1024  # enough for magic numbers, tar headers and the first zip entry names
CHUNK = 1 << 20  # read size for streaming; bounds what a reader holds at once
RATIO_FLOOR = 1 << 20  # the ratio check starts once a member expanded past 1 MiB


class Unsupported(Exception):
    """The item is skipped on purpose; the message says why (binary image, executable...)."""


class ExtractError(Exception):
    """The item could not be read; the message describes the problem, never the content."""


class LimitExceeded(ExtractError):
    """An item-wide limit was crossed: the whole item stops, not just one member."""


class RatioExceeded(ExtractError):
    """One member expands too much for its compressed size (a probable zip bomb)."""


@dataclass
class Budget:
    """Counters shared by every level of one item, checked while bytes stream."""

    expanded: int = 0
    members: int = 0
    in_memory: int = 0


@dataclass
class Context:
    """What every handler of one item shares: limits, budget, and how deep we are."""

    limits: ExtractLimits
    budget: Budget = field(default_factory=Budget)
    depth: int = 0

    def deeper(self) -> "Context":
        """The context for a member one nesting level down (same budget)."""
        return Context(self.limits, self.budget, self.depth + 1)

    def count_expanded(self, n: int) -> None:
        """Account for decompressed bytes; stop the item past max_expanded_bytes."""
        self.budget.expanded += n
        if self.budget.expanded > self.limits.max_expanded_bytes:
            raise LimitExceeded(
                f"archive expands beyond {self.limits.max_expanded_bytes >> 20} MiB (limit reached, possible zip bomb)"
            )

    def count_member(self) -> None:
        """Account for one more archive member or attachment; stop the item past max_members."""
        self.budget.members += 1
        if self.budget.members > self.limits.max_members:
            raise LimitExceeded(f"more than {self.limits.max_members} archive members (limit reached)")

    @contextmanager
    def holding(self, n: int, what: str) -> Iterator[None]:
        """Reserve ``n`` bytes of the in-memory allowance (all levels together) while a body runs."""
        if self.budget.in_memory + n > self.limits.max_in_memory:
            raise ExtractError(f"{what} too large to open in memory (limit {self.limits.max_in_memory >> 20} MiB)")
        self.budget.in_memory += n
        try:
            yield
        finally:
            self.budget.in_memory -= n


@dataclass
class Source:
    """One thing to extract: the item itself, an archive member or an attachment.

    ``stream`` is positioned at its first byte (the sniffed head is replayed);
    ``name`` is its file name (extension tie-breaks sniffing); ``container`` is
    the container of its blocks ("" for the item itself). ``fd_path`` names the
    opened file itself (``/proc/self/fd/N``) for libraries that only take a path;
    extractors never open an item by the path it was listed under.
    """

    stream: BinaryIO
    name: str
    container: str
    head: bytes
    size: int | None = None
    fd_path: str | None = None


def join(container: str, child: str) -> str:
    """Container name of ``child`` inside ``container`` (one nesting level down)."""
    return f"{container}{LEVEL_SEP}{child}" if container else child


class _Replay(io.RawIOBase):
    """A non-seekable stream with its already-read head put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def read_head(stream: BinaryIO, n: int = HEAD_BYTES) -> tuple[bytes, BinaryIO]:
    """Read the first ``n`` bytes for sniffing and return a stream that starts again at byte 0."""
    seekable = False
    try:
        seekable = stream.seekable()
        start = stream.tell() if seekable else 0
    except (OSError, AttributeError, ValueError):
        seekable = False
    parts, got = [], 0
    while got < n:
        data = stream.read(n - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    head = b"".join(parts)
    if seekable:
        stream.seek(start)
        return head, stream
    return head, io.BufferedReader(_Replay(head, stream), CHUNK)


def forward_only(stream: BinaryIO) -> BinaryIO:
    """A view of ``stream`` that reports itself not seekable (so nobody tries to seek back)."""
    return io.BufferedReader(_Replay(b"", stream), CHUNK)


def read_all(src: Source, ctx: Context, what: str) -> bytes:
    """The whole source as bytes, for formats that need random access; bounded by max_in_memory.

    Call inside ``ctx.holding`` when the bytes stay alive while deeper levels run.
    """
    limit = ctx.limits.max_in_memory - ctx.budget.in_memory  # outer levels may hold bytes already
    if src.size is not None and src.size > limit:
        raise ExtractError(f"{what} too large to open in memory (limit {ctx.limits.max_in_memory >> 20} MiB)")
    buf = bytearray()
    while True:
        data = src.stream.read(CHUNK)
        if not data:
            return bytes(buf)
        buf += data
        if len(buf) > limit:
            raise ExtractError(f"{what} too large to open in memory (limit {ctx.limits.max_in_memory >> 20} MiB)")


def seekable_stream(src: Source, ctx: Context, what: str) -> tuple[BinaryIO, int]:
    """A random-access view of the source: the stream itself when seekable, else its bytes.

    Returns the stream and how many bytes it holds in memory (to pass to ``ctx.holding``).
    """
    try:
        if src.stream.seekable():
            return src.stream, 0
    except (OSError, ValueError):
        pass
    data = read_all(src, ctx, what)
    return io.BytesIO(data), len(data)
