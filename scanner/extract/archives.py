"""ZIP and TAR archives, and single-stream gzip / bz2 / xz, extracted recursively.

Members stream through the dispatcher like any file; nothing is written to
disk, so path-traversal names are inert strings. Container names of members
are the member paths joined to the parent container with "!" (see
``base.LEVEL_SEP``): ``outer member path!inner member path``. gzip/bz2/xz
wrap one stream (``x.log.gz``), so their content stays in the same container.

Limits are enforced while bytes stream: every decompressed byte is charged to
the item's budget and each member's expansion ratio is checked (guard.py);
the member count and nesting depth are checked per member (dispatch.member).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import posixpath
import tarfile
import zipfile
from typing import Iterator

from contract.models import ERROR, Block, MemberEvent

from . import dispatch
from .base import Context, ExtractError, Source, forward_only, join, seekable_stream
from .guard import CountingReader, guarded

_OOXML_MARKERS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_SUFFIXES = {"gzip": (".gz", ".gzip"), "bz2": (".bz2",), "xz": (".xz",)}
_TAR_SHORT = {".tgz": ".tar", ".tbz2": ".tar", ".tbz": ".tar", ".txz": ".tar"}


def extract_zip(src: Source, ctx: Context) -> Iterator[Block]:
    """Each file member through the dispatcher; encrypted members are errors, not failures."""
    stream, held = seekable_stream(src, ctx, "zip archive")
    with ctx.holding(held, "zip archive"):
        try:
            zf = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ExtractError("corrupt zip archive") from exc
        with zf:
            names = set(zf.namelist())
            for marker, fmt in _OOXML_MARKERS.items():
                if marker in names:  # an office package whose head did not tell: hand it over
                    yield from dispatch.run(_rewound(src, stream), ctx, fmt)
                    return
            for info in zf.infolist():
                if info.is_dir():
                    continue
                yield from _zip_member(zf, info, src.container, ctx)


def _rewound(src: Source, stream) -> Source:
    """The same source rewound, for a second handler to read it from the beginning."""
    stream.seek(0)
    return Source(stream, src.name, src.container, src.head, src.size, src.fd_path)


def _zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, container: str, ctx: Context) -> Iterator[Block]:
    name = info.filename
    where = join(container, name)
    if info.flag_bits & 0x1:
        ctx.count_member()
        yield MemberEvent(where, ERROR, "encrypted archive member", info.file_size)
        return
    try:
        raw = zf.open(info)
    except NotImplementedError:
        ctx.count_member()
        yield MemberEvent(where, ERROR, f"unsupported zip compression method {info.compress_type}", info.file_size)
        return
    except (zipfile.BadZipFile, OSError, ValueError):
        ctx.count_member()
        yield MemberEvent(where, ERROR, "corrupt archive member", info.file_size)
        return
    with guarded(raw, ctx, lambda: info.compress_size, "zip member") as stream:
        yield from dispatch.member(stream, name, where, ctx, info.file_size)


def extract_tar(src: Source, ctx: Context) -> Iterator[Block]:
    """Regular-file members in archive order, streamed (the tar is read once, forwards)."""
    try:
        tf = tarfile.open(fileobj=src.stream, mode="r|")
    except tarfile.TarError as exc:
        raise ExtractError("corrupt tar archive") from exc
    with tf:
        while True:
            try:
                info = tf.next()
            except tarfile.TarError as exc:
                raise ExtractError("corrupt tar archive") from exc
            if info is None:
                return
            if not info.isfile():
                continue  # directories, links, devices hold no content of their own
            stream = forward_only(tf.extractfile(info))  # a tar stream cannot seek back
            yield from dispatch.member(stream, info.name, join(src.container, info.name), ctx, info.size)


def _inner_name(name: str, fmt: str) -> str:
    base, ext = posixpath.splitext(name)
    if ext.lower() in _TAR_SHORT:
        return base + _TAR_SHORT[ext.lower()]
    return base if ext.lower() in _SUFFIXES[fmt] else name


def extract_compressed(src: Source, ctx: Context) -> Iterator[Block]:
    """gzip/bz2/xz: decompress as a stream (guarded) and extract the content in place."""
    fmt = {b"\x1f\x8b": "gzip", b"BZ": "bz2", b"\xfd7": "xz"}[src.head[:2]]
    counter = CountingReader(src.stream)
    if fmt == "gzip":
        decompressed = gzip.GzipFile(fileobj=counter, mode="rb")
    elif fmt == "bz2":
        decompressed = bz2.BZ2File(counter, "rb")
    else:
        decompressed = lzma.LZMAFile(counter, "rb")
    with guarded(decompressed, ctx, lambda: counter.count, f"{fmt} stream") as stream:
        yield from dispatch.transparent(stream, _inner_name(src.name, fmt), src.container, ctx)
