"""Which text encoding a byte head is in, or that it is not text at all.

BOMs and strict UTF-8 decide first (cheap and certain); charset_normalizer
guesses legacy code pages, with a preference for cp1252 when it reads the
sample the same way, because the Western European code page is by far the
most common legacy one in the estates we scan and the guesser often picks a
sibling (cp1250) that garbles accented letters.
"""

from __future__ import annotations

import codecs
import functools
import io
from typing import BinaryIO, Iterator

from .base import CHUNK, _Replay

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_ALLOWED_CONTROLS = set(b"\t\n\r\f\b\x1b\x0b")
_SAMPLE = 16 * 1024  # charset guessing is slow; a head sample is enough


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for ASCII-range text."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


# every byte but the control bytes that mark binary data: deleting these leaves only those
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x20 and b not in _ALLOWED_CONTROLS))


@functools.lru_cache(maxsize=8)  # sniffing and then the handler ask about the same head
def detect_encoding(head: bytes) -> str | None:
    """The encoding of ``head``, or None when it looks binary (NULs, control bytes)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head:
        return _utf16_without_bom(head)
    sample = head[:_SAMPLE]
    controls = len(sample.translate(None, _NOT_CONTROL))  # in C: the head may be 64 KB
    if sample and controls > 0.05 * len(sample):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy_code_page(sample)


def _legacy_code_page(sample: bytes) -> str:
    # imported on a worker's first legacy-encoded text, not by every scan's fork server: 25 ms
    # that an estate of UTF-8 text never needs
    from charset_normalizer import from_bytes

    results = list(from_bytes(sample))
    best = results[0] if results else None
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if best is None:
        return "cp1252" if western is not None else "latin-1"
    if western is not None:
        if str(best) == western:
            return "cp1252"
        for r in results:
            if r.encoding == "cp1252" and r.chaos <= best.chaos and r.coherence >= best.coherence:
                return "cp1252"
    return best.encoding


def decode_head(head: bytes, encoding: str) -> str:
    """The head as text, ignoring a character cut at its end."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def iter_text(stream: BinaryIO, encoding: str, chunk: int = CHUNK) -> Iterator[str]:
    """Decode a byte stream incrementally: bounded memory, characters never split."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    while True:
        data = stream.read(chunk)
        if not data:
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail
            return
        text = decoder.decode(data)
        if text:
            yield text


def text_stream(stream: BinaryIO, encoding: str) -> io.TextIOWrapper:
    """A text view of a byte stream for line-oriented parsers (csv); newlines untranslated."""
    if not isinstance(stream, io.BufferedIOBase):
        stream = io.BufferedReader(_Replay(b"", stream), CHUNK)
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
