"""Decompression guards: count what expands while it streams, and stop bombs early.

Every byte that comes out of a decompressor (zip member, gzip, bz2, xz) passes
through :class:`GuardedReader`, which charges the item's expanded-bytes budget
and checks the member's expansion ratio, so a bomb is stopped after a bounded
amount of work and memory instead of after it has expanded.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from typing import BinaryIO, Callable

from .base import CHUNK, RATIO_FLOOR, Context, ExtractError, RatioExceeded


class CountingReader(io.RawIOBase):
    """Counts the compressed bytes a decompressor pulls from its input."""

    def __init__(self, inner: BinaryIO):
        self._inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        data = self._inner.read(len(buf))
        buf[: len(data)] = data
        self.count += len(data)
        return len(data)


class GuardedReader(io.RawIOBase):
    """Wraps a decompressing reader; raises once the budget or the ratio is exceeded.

    ``compressed`` returns the compressed size to compare against (known up
    front for zip members, counted as it is consumed for gzip/bz2/xz). Errors of
    the decompressor become ExtractError naming this layer (``label``).
    """

    def __init__(self, inner: BinaryIO, ctx: Context, compressed: Callable[[], int], label: str):
        self._inner = inner
        self._label = label
        self._ctx = ctx
        self._compressed = compressed
        self.expanded = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        try:
            data = self._inner.read(min(len(buf), CHUNK))
        except (EOFError, OSError, zlib.error, lzma.LZMAError, zipfile.BadZipFile) as exc:
            # name the damaged layer, not the format of what it carried
            raise ExtractError(f"corrupt {self._label} ({type(exc).__name__})") from exc
        n = len(data)
        buf[:n] = data
        self.expanded += n
        self._ctx.count_expanded(n)
        limit = self._ctx.limits.max_ratio * max(self._compressed(), 1)
        if self.expanded > RATIO_FLOOR and self.expanded > limit:
            raise RatioExceeded(
                f"compression ratio above {self._ctx.limits.max_ratio:g} (possible zip bomb)"
            )
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


def guarded(inner: BinaryIO, ctx: Context, compressed: Callable[[], int], label: str) -> BinaryIO:
    """A buffered, guarded view of a decompressing reader; ``label`` names it in errors."""
    return io.BufferedReader(GuardedReader(inner, ctx, compressed, label), CHUNK)
