"""The one dispatcher: sniff a source, run its format's handler, contain member failures.

Archives and e-mails call :func:`member` for what they hold, so nested content
goes through exactly the same sniffing and handlers as a top-level file, and a
failing member becomes a MemberEvent instead of ending the item.
"""

from __future__ import annotations

import importlib
import importlib.util
import posixpath
from typing import BinaryIO, Callable, Iterator

from agents.base import AgentError
from contract.models import ERROR, SCANNED, SKIPPED, Block, MemberEvent

from .base import Context, ExtractError, LimitExceeded, Source, Unsupported, read_head
from .sniff import sniff

Handler = Callable[[Source, Context], Iterator[Block]]


# Format name -> (handler module, function). A handler is imported on its format's first
# item, so a scan of plain logs never loads PDFium, lxml or the e-mail package: imported by
# the fork server up front, they added 25-30 ms to every scan's start. (Imported here, not
# at the top, also because archive and mail handlers call back into this module.)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("textfile", "extract_text"),
    "csv": ("delimited", "extract_delimited"),
    "tsv": ("delimited", "extract_delimited"),
    "json": ("jsondoc", "extract_json"),
    "xml": ("markup", "extract_xml"),
    "html": ("markup", "extract_html"),
    "eml": ("mail", "extract_eml"),
    "docx": ("office", "extract_docx"),
    "pptx": ("office", "extract_pptx"),
    "odt": ("office", "extract_odf"),
    "odp": ("office", "extract_odf"),
    "xlsx": ("sheets", "extract_workbook"),
    "xls": ("sheets", "extract_workbook"),
    "ods": ("sheets", "extract_workbook"),
    "ole2": ("legacy", "extract_ole2"),
    "doc": ("legacy", "extract_doc"),
    "ppt": ("legacy", "extract_ppt"),
    "msg": ("outlook", "extract_msg"),
    "pst": ("outlook", "extract_pst"),
    "rtf": ("rtf", "extract_rtf"),
    "epub": ("office", "extract_epub"),
    "pdf": ("pdf", "extract_pdf"),
    "zip": ("archives", "extract_zip"),
    "tar": ("archives", "extract_tar"),
    "gzip": ("archives", "extract_compressed"),
    "bz2": ("archives", "extract_compressed"),
    "xz": ("archives", "extract_compressed"),
    "7z": ("sevenzip", "extract_7z"),
    "rar": ("rar", "extract_rar"),
    "sqlite": ("sqlitedb", "extract_sqlite"),
    **{image: ("images", "extract_image") for image in ("png", "jpeg", "gif", "tiff", "bmp", "webp")},
}
# What the handlers import beyond the standard library (import names). The readers of
# mailboxes, 7z and RAR archives, RTF and OCR are optional (the "formats" extra): without
# them those items are skipped with a reason that names what to install (OPTIONAL).
LIBRARIES = ("lxml", "pypdfium2", "python_calamine", "olefile")
OPTIONAL = {"extract_msg": "extract-msg", "pypff": "libpff-python", "py7zr": "py7zr", "rarfile": "rarfile",
            "striprtf": "striprtf", "tesserocr": "tesserocr", "PIL": "Pillow"}

_HANDLERS: dict[str, Handler] = {}


def check_libraries() -> None:
    """Raise ImportError naming a library a handler needs that is not installed, found without
    importing it: a worker then stops at start-up instead of failing every item of a format."""
    for name in LIBRARIES:
        if importlib.util.find_spec(name) is None:
            raise ImportError(f"{name} is not installed: it is needed to read some formats "
                              f"(reinstall piisweep with its dependencies)")


def handler(fmt: str) -> Handler | None:
    """The handler of a format, imported on first use; None for formats not scanned.

    A handler whose optional library is missing is replaced by one that skips its items
    with a reason naming the package to install.
    """
    found = _HANDLERS.get(fmt)
    if found is None and fmt in FORMATS:
        module, function = FORMATS[fmt]
        try:
            found = getattr(importlib.import_module(f".{module}", __package__), function)
        except ImportError as exc:
            if exc.name not in OPTIONAL:
                raise
            found = _missing(fmt, OPTIONAL[exc.name])
        _HANDLERS[fmt] = found
    return found


def _missing(fmt: str, package: str) -> Handler:
    """A handler that skips every item of ``fmt``, naming the package to install."""
    extra = "ocr" if package in ("tesserocr", "Pillow") else "formats"

    def skip(src: Source, ctx: Context) -> Iterator[Block]:
        raise Unsupported(f"{fmt} needs the Python package {package} (pip install 'piisweep[{extra}]')")

    return skip


def run(src: Source, ctx: Context, fmt: str | None = None) -> Iterator[Block]:
    """Blocks of one source; raises Unsupported or ExtractError (with a content-free reason)."""
    fmt = fmt or sniff(src.head, src.name)
    extract = handler(fmt)
    if extract is None:
        raise Unsupported(f"binary format not scanned: {fmt}")
    try:
        yield from extract(src, ctx)
    except (ExtractError, Unsupported, AgentError):  # AgentError: the target failed, not the content
        raise
    except MemoryError as exc:
        raise ExtractError(f"{fmt} needs more memory than available") from exc
    except Exception as exc:  # library errors on hostile input: report the kind, never the message
        raise ExtractError(f"corrupt or unreadable {fmt} ({type(exc).__name__})") from exc


def member(stream: BinaryIO, name: str, container: str, ctx: Context, size: int | None = None) -> Iterator[Block]:
    """Extract one archive member or attachment, then yield its one MemberEvent.

    ``name`` is the member's path (its basename tie-breaks sniffing) and
    ``container`` its full container name. Only an item-wide limit propagates.
    """
    ctx.count_member()
    if ctx.depth + 1 > ctx.limits.max_depth:
        yield MemberEvent(container, SKIPPED, f"nested deeper than {ctx.limits.max_depth} levels", size)
        return
    try:
        head, stream = read_head(stream)
        src = Source(stream, posixpath.basename(name), container, head, size)
        yield from run(src, ctx.deeper())
    except LimitExceeded as exc:
        yield MemberEvent(container, ERROR, str(exc), size)
        raise
    except Unsupported as exc:
        yield MemberEvent(container, SKIPPED, str(exc), size)
        return
    except ExtractError as exc:
        yield MemberEvent(container, ERROR, str(exc), size)
        return
    except AgentError:  # the connection to the target failed: the whole item could not be read
        raise
    except Exception as exc:  # the stream itself failed (truncated archive): contain it
        yield MemberEvent(container, ERROR, f"unreadable member ({type(exc).__name__})", size)
        return
    yield MemberEvent(container, SCANNED, "", size)


def transparent(stream: BinaryIO, name: str, container: str, ctx: Context) -> Iterator[Block]:
    """Extract decompressed content that is the same item (x.log.gz): no new container level."""
    if ctx.depth + 1 > ctx.limits.max_depth:
        raise ExtractError(f"nested deeper than {ctx.limits.max_depth} levels")
    head, stream = read_head(stream)
    yield from run(Source(stream, posixpath.basename(name), container, head), ctx.deeper())

