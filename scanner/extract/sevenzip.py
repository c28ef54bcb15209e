"""7z archives through py7zr, members through the dispatcher under the same limits as zip.

py7zr decompresses a whole archive in one pass (members of a solid block can
only be reached by decompressing the ones before them) and pushes each
member's bytes to a writer. It runs in a helper thread whose writers collect
one member at a time and hand it over through a queue of one, so this
generator extracts member N while member N+1 decompresses: memory holds at
most two members (each within max_in_memory), never the archive's content.

The writers enforce the limits as bytes arrive: the item's expanded-bytes
budget, the in-memory bound, and the expansion ratio of the whole archive
(a solid block has no per-member compressed size). Crossing one stops the
decompression; the members extracted before it keep their results.
"""

from __future__ import annotations

import io
import queue
import threading
from typing import Iterator

import py7zr
from py7zr.exceptions import Bad7zFile, PasswordRequired, UnsupportedCompressionMethodError
from py7zr.io import Py7zIO, WriterFactory

from contract.models import Block

from . import dispatch
from .base import RATIO_FLOOR, Context, ExtractError, LimitExceeded, RatioExceeded, Source, join, seekable_stream

_DONE = object()  # end of the archive, from the helper thread
_HANDOVER_WAIT = 0.1  # seconds between checks of the stop flag while the queue is full


class _Stop(Exception):
    """Raised in a writer to end py7zr's extraction (a limit, or the reader went away)."""


class _Pump:
    """State shared by the helper thread (writers) and the generator (reader)."""

    def __init__(self, ctx: Context, archive_size: int):
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.stopped = threading.Event()
        self.budget = ctx.limits.max_expanded_bytes - ctx.budget.expanded
        self.member_limit = ctx.limits.max_in_memory - ctx.budget.in_memory
        self.ratio_limit = max(ctx.limits.max_ratio * max(archive_size, 1), RATIO_FLOOR)
        self.max_ratio = ctx.limits.max_ratio
        self.written = 0

    def charge(self, n: int, member: "_Member") -> None:
        if self.stopped.is_set():
            raise _Stop()
        self.written += n
        if self.written > self.budget:
            self.fail(LimitExceeded("archive expands beyond the item's limit (possible zip bomb)"))
        if self.written > self.ratio_limit:
            self.fail(RatioExceeded(f"compression ratio above {self.max_ratio:g} (possible zip bomb)"))
        if len(member.data) + n > self.member_limit:
            self.fail(ExtractError("7z member too large to open in memory"))

    def fail(self, error: ExtractError) -> None:
        self.put(error)
        raise _Stop()

    def put(self, thing) -> None:
        while not self.stopped.is_set():
            try:
                self.queue.put(thing, timeout=_HANDOVER_WAIT)
                return
            except queue.Full:
                continue
        raise _Stop()


class _Member(Py7zIO):
    """Collects one member's bytes; hands them over when py7zr closes it."""

    def __init__(self, name: str, pump: _Pump):
        self.name, self.pump, self.data = name, pump, bytearray()

    def write(self, s: bytes | bytearray) -> int:
        self.pump.charge(len(s), self)
        self.data += s
        return len(s)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return len(self.data)

    def close(self) -> None:
        self.pump.put((self.name, bytes(self.data)))
        self.data = bytearray()


class _Writers(WriterFactory):
    def __init__(self, pump: _Pump):
        self.pump = pump

    def create(self, filename: str) -> Py7zIO:
        return _Member(filename, self.pump)


def extract_7z(src: Source, ctx: Context) -> Iterator[Block]:
    """Each file member, in archive order, through the dispatcher."""
    stream, held = seekable_stream(src, ctx, "7z archive")
    with ctx.holding(held, "7z archive"):
        try:
            archive = py7zr.SevenZipFile(stream)
        except PasswordRequired as exc:
            raise ExtractError("encrypted 7z archive (file names too)") from exc
        except (Bad7zFile, EOFError, OSError, ValueError) as exc:
            raise ExtractError(f"corrupt 7z archive ({type(exc).__name__})") from exc
        with archive:
            if archive.needs_password():
                raise ExtractError("encrypted 7z archive")
            stream.seek(0, io.SEEK_END)
            pump = _Pump(ctx, stream.tell())
            worker = threading.Thread(target=_decompress, args=(archive, pump), daemon=True, name="py7zr")
            worker.start()
            try:
                yield from _handed_over(pump, src.container, ctx)
            finally:
                pump.stopped.set()
                worker.join()


def _decompress(archive: py7zr.SevenZipFile, pump: _Pump) -> None:
    """The helper thread: run py7zr's extraction, then say how it ended."""
    try:
        archive.extract(factory=_Writers(pump))
    except _Stop:
        return
    except UnsupportedCompressionMethodError as exc:
        outcome = ExtractError(f"unsupported 7z compression method ({type(exc).__name__})")
    except Exception as exc:  # py7zr's errors on damaged data: report the kind
        outcome = ExtractError(f"corrupt 7z archive ({type(exc).__name__})")
    else:
        outcome = _DONE
    try:
        pump.put(outcome)
    except _Stop:
        pass


def _handed_over(pump: _Pump, container: str, ctx: Context) -> Iterator[Block]:
    while True:
        thing = pump.queue.get()
        if thing is _DONE:
            return
        if isinstance(thing, ExtractError):
            raise thing
        name, data = thing
        ctx.count_expanded(len(data))
        yield from dispatch.member(io.BytesIO(data), name, join(container, name), ctx, len(data))
