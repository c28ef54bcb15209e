"""Content sniffing: which format a byte head is, the file name only as a tie-breaker.

Magic numbers and structure decide; the extension only settles what content
cannot (an OLE2 container that could be .xls or .doc, a short CSV). A PDF named
.txt is still a PDF, and a docx named .zip still a docx.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import struct

from .encoding import decode_head, detect_encoding

# (offset, magic, format) for binary formats recognised by their first bytes.
_MAGIC: list[tuple[int, bytes, str]] = [
    (0, b"SQLite format 3\x00", "sqlite"),
    (0, b"\x1f\x8b", "gzip"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"Rar!\x1a\x07", "rar"),
    (0, b"!BDN", "pst"),  # Outlook .pst and .ost
    (0, b"{\\rtf", "rtf"),
    (0, b"\x28\xb5\x2f\xfd", "zstd"),
    (0, b"\x04\x22\x4d\x18", "lz4"),
    (0, b"MSCF", "cab"),
    (0, b"!<arch>\n", "ar"),
    (0, b"\xed\xab\xee\xdb", "rpm"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (0, b"BM", "bmp"),
    (0, b"8BPS", "psd"),
    (0, b"\x00\x00\x01\x00", "ico"),
    (0, b"ID3", "mp3"),
    (0, b"OggS", "ogg"),
    (0, b"fLaC", "flac"),
    (0, b"\x1aE\xdf\xa3", "matroska"),
    (0, b"\x7fELF", "elf"),
    (0, b"MZ", "exe"),
    (0, b"\xca\xfe\xba\xbe", "macho"),
    (0, b"\xcf\xfa\xed\xfe", "macho"),
    (0, b"\xce\xfa\xed\xfe", "macho"),
    (0, b"\x00asm", "wasm"),
    (0, b"wOFF", "woff"),
    (0, b"wOF2", "woff"),
    (0, b"PAR1", "parquet"),
    (4, b"ftyp", "mp4"),
]
_RIFF = {b"WEBP": "webp", b"WAVE": "wav", b"AVI ": "avi"}
_OOXML_PREFIX = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF = {b"opendocument.spreadsheet": "ods", b"opendocument.text": "odt", b"opendocument.presentation": "odp",
        b"application/epub+zip": "epub"}
_EXT = {
    ".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pptx": "pptx", ".pptm": "pptx",
    ".ods": "ods", ".odt": "odt", ".xls": "xls", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json", ".jsonl": "json", ".ndjson": "json", ".geojson": "json",
    ".xml": "xml", ".html": "html", ".htm": "html", ".xhtml": "html", ".eml": "eml",
}
_MAIL_HEADERS = {"from", "to", "cc", "subject", "date", "received", "return-path", "message-id",
                 "mime-version", "delivered-to", "reply-to", "content-type", "x-mailer", "sender"}
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]")
_JSON_SCALAR_START = re.compile(r'(?:["{\[\]\-0-9]|true\b|false\b|null\b)')


def sniff(head: bytes, name: str) -> str:
    """Format name of content starting with ``head`` (file ``name`` breaks ties).

    One of: text, csv, tsv, json, xml, html, eml, docx, xlsx, xls, ods, odt,
    odp, pptx, epub, rtf, pdf, zip, tar, gzip, bz2, xz, 7z, rar, sqlite, ole2 (.doc,
    .ppt, .msg or a workbook: told apart by its streams), pst, the image formats
    png, jpeg, gif, tiff, bmp, webp, and for content not scanned a binary format
    name (exe, mp3...) or "binary".
    """
    ext = posixpath.splitext(name.lower())[1]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(head, ext)
    for offset, magic, fmt in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            if magic.isalnum() and detect_encoding(head) is not None:
                continue  # printable magic ("MZ", "ID3") at the start of a text file
            return "xls" if fmt == "ole2" and ext == ".xls" else fmt
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return "bz2"
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if _is_tar(head):
        return "tar"
    encoding = detect_encoding(head)
    if encoding is None:
        return "binary"
    return _text_kind(decode_head(head, encoding), ext)


def _zip_kind(head: bytes, ext: str) -> str:
    """OOXML/ODF packages are zips: tell them apart by the entry names in the head."""
    if head[30:38] == b"mimetype":
        for marker, fmt in _ODF.items():
            if marker in head[38:130]:
                return fmt
    pos = head.find(b"PK\x03\x04")
    while pos != -1 and pos + 30 <= len(head):
        name_len = struct.unpack_from("<H", head, pos + 26)[0]
        entry = head[pos + 30:pos + 30 + name_len].decode("cp437", "replace")
        for prefix, fmt in _OOXML_PREFIX.items():
            if entry.startswith(prefix):
                return fmt
        pos = head.find(b"PK\x03\x04", pos + 4)
    fmt = _EXT.get(ext)
    return fmt if fmt in ("docx", "xlsx", "pptx", "ods", "odt") else "epub" if ext == ".epub" else "zip"


def _is_tar(head: bytes) -> bool:
    """ustar magic, or a valid header checksum for old-style (v7) tar."""
    if len(head) < 512:
        return False
    if head[257:262] == b"ustar":
        return True
    try:
        stored = int(head[148:156].replace(b"\x00", b" ").strip() or b"-1", 8)
    except ValueError:
        return False
    computed = sum(head[:148]) + 8 * 32 + sum(head[156:512])
    return stored == computed and head[0] != 0


def _text_kind(text: str, ext: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    lower = stripped[:2048].lower()
    if lower.startswith(("<!doctype html", "<html")) or (
        lower.startswith("<") and re.search(r"<(html|head|body)[\s>]", lower)
    ):
        return "html"
    if lower.startswith("<?xml") or (lower.startswith("<") and re.match(r"<[a-z_][\w.:-]*[\s>/]", lower)):
        return "html" if ext in (".html", ".htm", ".xhtml") else "xml"
    if _looks_json(stripped, ext):
        return "json"
    if _looks_mail(text, ext):
        return "eml"
    delimited = _delimited(text, ext)
    if delimited:
        return delimited
    return "text"


def _looks_json(text: str, ext: str) -> bool:
    if not text[:1] in ("{", "["):
        return False
    rest = text[1:].lstrip()
    if text[0] == "{":
        return rest[:1] in ('"', "}") or (ext in (".json", ".jsonl", ".ndjson") and not rest)
    if not rest:
        return ext in (".json", ".jsonl", ".ndjson")
    if _JSON_SCALAR_START.match(rest) is None:
        return False
    try:  # a complete first value settles it; a cut one is fine too
        json.JSONDecoder().raw_decode(text)
        return True
    except json.JSONDecodeError as exc:
        return exc.pos > len(text) - 200 or ext in (".json", ".jsonl", ".ndjson")


def _looks_mail(text: str, ext: str) -> bool:
    """An RFC 822 header section: header lines up to a blank line, naming known mail headers."""
    known, seen_header = 0, False
    for line in text.splitlines()[:200]:
        if not line.strip():
            break
        if line[0] in " \t" and seen_header:
            continue  # folded continuation
        m = _HEADER_LINE.match(line)
        if not m:
            return False
        seen_header = True
        known += m.group(1).lower() in _MAIL_HEADERS
    else:
        return False
    return known >= 3 or (ext == ".eml" and known >= 1)


def _delimited(text: str, ext: str) -> str | None:
    """csv/tsv when every line has the same number (at least 3, or 2 for tabs) of fields."""
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the head cut the last line
    lines = [ln for ln in lines[:50] if ln.strip()]
    if ext in (".csv", ".tsv", ".tab"):
        return _EXT[ext]
    if len(lines) < 3:
        return None
    for delim, fmt, minimum in (("\t", "tsv", 2), (",", "csv", 3), (";", "csv", 3), ("|", "csv", 3)):
        try:
            counts = {len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)}
        except csv.Error:
            continue
        if len(counts) == 1 and counts.pop() >= minimum:
            return fmt
    return None
