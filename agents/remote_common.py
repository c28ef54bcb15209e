"""Helpers shared by the remote file agents (SSH, SMB).

Both build item URIs the same way, both decode remote names without losing
bytes, and both hand the engine a buffered read-only stream over a raw reader
whose transport failures must surface as :class:`~agents.base.AgentError`
instead of hanging or leaking protocol exceptions.
"""

from __future__ import annotations

import io
from typing import Callable

from agents.base import EnumerationProblem
from contract.models import ERROR, SKIPPED
from contract.targets import Target

# Read size of the buffered streams handed to extractors: large enough to keep
# a high-latency link busy, small enough to stay streaming.
STREAM_BUFFER = 1 << 20


def item_uri(target: Target, relpath: str) -> str:
    """The absolute URI of an item: the target URI plus the path below its root."""
    return target.uri.rstrip("/") + "/" + relpath if relpath else target.uri


def decode_name(raw: bytes) -> str:
    """Decode a POSIX file name, keeping undecodable bytes (round-trips to the same bytes)."""
    return raw.decode("utf-8", "surrogateescape")


def encode_name(name: str) -> bytes:
    """The exact bytes of a name decoded by :func:`decode_name`."""
    return name.encode("utf-8", "surrogateescape")


def problem(target: Target, relpath: str, status: str, reason: str) -> EnumerationProblem:
    """An enumeration problem row for an entry below the target root."""
    return EnumerationProblem(item_uri(target, relpath), relpath, status, reason)


def denied(target: Target, relpath: str) -> EnumerationProblem:
    """The row for a folder the scanning account may not list."""
    return problem(target, relpath, ERROR, "permission denied")


def skipped(target: Target, relpath: str, reason: str) -> EnumerationProblem:
    """The row for an entry that is not a regular file (FIFO, device, socket, link)."""
    return problem(target, relpath, SKIPPED, reason)


class RawReader(io.RawIOBase):
    """A read-only raw stream over a ``read_at(offset, n)`` callable.

    Keeps the position itself so that a remote handle is only ever asked for
    explicit ranges, and closes the remote handle exactly once.
    """

    def __init__(self, read_at: Callable[[int, int], bytes], close: Callable[[], None], size: int | None):
        super().__init__()
        self._read_at, self._close, self._size, self._pos = read_at, close, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            self._pos = offset
        elif whence == io.SEEK_CUR:
            self._pos += offset
        elif whence == io.SEEK_END:
            if self._size is None:
                raise io.UnsupportedOperation("size unknown")
            self._pos = self._size + offset
        else:
            raise ValueError(f"bad whence {whence}")
        return self._pos

    def readinto(self, buffer) -> int:
        data = self._read_at(self._pos, len(buffer))
        n = len(data)
        buffer[:n] = data
        self._pos += n
        return n

    def close(self) -> None:
        if not self.closed:
            try:
                self._close()
            finally:
                super().close()


def buffered(raw: RawReader) -> io.BufferedReader:
    """Wrap a raw remote reader so that small reads do not each cost a round trip."""
    return io.BufferedReader(raw, buffer_size=STREAM_BUFFER)
