"""JSON and JSON Lines, streamed value by value.

An array of records (or JSON Lines of objects) is a table: ColumnBlocks keyed
by dotted field names. Any other JSON becomes ``key.path: value`` lines, so the
key stays beside its value as context (``password: ...``). Values are decoded
one at a time with ``raw_decode`` from a sliding buffer, so memory is bounded by
the largest single value, not by the file. A value nested deeper than the
decoder's recursion allows is not parsed: the text from that value on is
scanned as plain text (its strings are still seen) and the item is an error
that says so.
"""

from __future__ import annotations

import json
from typing import Iterator

from contract.models import Block

from .base import Context, ExtractError, Source, join
from .blocks import text_blocks
from .columns import RowReservoir, keyed_blocks
from .encoding import detect_encoding, iter_text

_WS = " \t\r\n\ufeff"
_DECODER = json.JSONDecoder()


class _TooDeep(Exception):
    """A value nests deeper than the decoder can follow."""


class _Values:
    """Yields successive JSON values from decoded text chunks, inside an array or top-level."""

    def __init__(self, chunks: Iterator[str], max_chars: int):
        self._chunks = chunks
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._max = max_chars
        self.consumed = 0  # characters handed out, for error positions
        self.in_array = False

    def _more(self) -> bool:
        if self._eof:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self._eof = True
            return False
        self.consumed += self._pos
        self._buf = self._buf[self._pos:] + chunk
        self._pos = 0
        if len(self._buf) > self._max:
            raise ExtractError("JSON value too large to parse in memory")
        return True

    def _skip(self, chars: str) -> str:
        """Skip characters in ``chars``; return the next character ("" at end)."""
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in chars:
                self._pos += 1
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def start(self) -> str:
        """Position on the first value; enter a top-level array. Returns its first char."""
        first = self._skip(_WS)
        if first == "[":
            self._pos += 1
            self.in_array = True
        return first

    def __iter__(self):
        first = True
        while True:
            nxt = self._skip(_WS)
            if self.in_array:
                if nxt == "]":
                    return
                if not first:
                    if nxt != ",":
                        raise ExtractError(f"malformed JSON near character {self.consumed + self._pos}")
                    self._pos += 1
                    self._skip(_WS)
            elif nxt == "":
                return
            first = False
            yield self._decode()

    def rest(self) -> Iterator[str]:
        """The text not decoded yet: from the value being decoded to the end."""
        yield self._buf[self._pos:]
        if not self._eof:
            yield from self._chunks

    def _decode(self):
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except RecursionError:
                raise _TooDeep() from None
            except json.JSONDecodeError as exc:
                # only input cut at the buffer's end is worth reading more for
                cut = exc.pos >= len(self._buf) - 8 or exc.msg.startswith("Unterminated string")
                if cut and self._more():
                    continue
                raise ExtractError(f"malformed JSON near character {self.consumed + exc.pos}") from None
            if end == len(self._buf) and not self._eof and isinstance(value, (int, float)):
                if self._more():  # a number may continue in the next chunk
                    continue
            self._pos = end
            return value


def _flatten(value, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(dotted.key, scalar text) pairs in document order; list items share their parent's key.

    Walks with its own stack: a value may nest as deep as the decoder allowed, deeper than
    Python's recursion limit leaves room for here."""
    stack = [(prefix, value)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(reversed([(f"{key}.{k}" if key else str(k), sub) for k, sub in value.items()]))
        elif isinstance(value, list):
            stack.extend((key, sub) for sub in reversed(value))
        elif value is not None:
            yield key, value if isinstance(value, str) else json.dumps(value)


class _Keeping:
    """Text chunks passed on, and kept until the document's shape is known (to fall back to text)."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self.kept: list[str] | None = []

    def __iter__(self):
        for chunk in self._chunks:
            if self.kept is not None:
                self.kept.append(chunk)
            yield chunk

    def stop(self) -> None:
        """Keep nothing more."""
        self.kept = None


def extract_json(src: Source, ctx: Context) -> Iterator[Block]:
    """Records as ColumnBlocks, anything else as key: value lines; not JSON after all -> text.

    A value too deeply nested to decode ends the parse: the rest is scanned as plain text
    (container "plain text"), then the item is an error naming the reason."""
    encoding = detect_encoding(src.head) or "utf-8"
    chunks = iter_text(src.stream, encoding, 64 * 1024)
    keeping = _Keeping(chunks)
    values = _Values(iter(keeping), ctx.limits.max_in_memory // 2)
    try:
        yield from _json_blocks(values, keeping, chunks, src.container, ctx)
    except _TooDeep:
        keeping.stop()
        yield from text_blocks(values.rest(), join(src.container, "plain text"), ctx.limits.block_chars)
        raise ExtractError("JSON nested too deeply to parse (its text was scanned as plain text)") from None


def _json_blocks(values: _Values, keeping: _Keeping, chunks: Iterator[str], container: str,
                 ctx: Context) -> Iterator[Block]:
    try:
        values.start()
        it = iter(values)
        first = next(it, None)
        second = next(it, None) if (first is not None and not values.in_array) else None
    except ExtractError:
        # not JSON after all (a log whose lines start with "{", say): scan it as text
        pieces = _chain("".join(keeping.kept), None, chunks)
        yield from text_blocks(pieces, container, ctx.limits.block_chars)
        return
    keeping.stop()
    if first is None:
        return
    if isinstance(first, dict) and (values.in_array or second is not None):
        reservoir = RowReservoir(ctx.limits.sample_rows)
        for record in _chain(first, second, it):
            reservoir.offer(record)
        # only the sampled records are flattened into (dotted.key, value) pairs
        fields = [list(_flatten(r if isinstance(r, dict) else {"value": r})) for r in reservoir.rows()]
        yield from keyed_blocks(fields, reservoir.seen, reservoir.sampled, container)
    else:
        lines = _lines(first, second, it, values.in_array)
        yield from text_blocks(lines, container, ctx.limits.block_chars)


def _chain(first, second, rest):
    yield first
    if second is not None:
        yield second
    yield from rest


def _lines(first, second, rest, in_array: bool) -> Iterator[str]:
    for index, value in enumerate(_chain(first, second, rest)):
        prefix = f"[{index}]" if in_array else ""
        for key, text in _flatten(value, prefix):
            yield f"{key}: {text}\n" if key else f"{text}\n"
