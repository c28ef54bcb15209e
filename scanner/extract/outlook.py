"""Outlook: saved messages (.msg, through extract-msg) and mailboxes (.pst/.ost, through libpff).

A message gives the same containers as an .eml (mail.py): "headers" (From,
To, Cc, Reply-To, Subject, Date), "body" (the plain text, else the HTML, else
the RTF body), and "attachment:NAME" for each attachment, extracted through
the dispatcher (an attached message nests: "attachment:NAME!body").
Contacts, appointments and tasks keep their personal data in properties
(phone numbers, addresses), so their string properties go to "properties".

A mailbox is a folder tree of messages: each message is a member whose
container is its folder path and number ("Inbox/Clients/message 3"), with its
own row in items.parquet, its own error if it cannot be read, and its own
limits (a mailbox is not an archive bomb because it holds many messages). The
file is read in place by libpff (random access), one message at a time, so a
multi-GB mailbox costs the memory of its largest message.
"""

from __future__ import annotations

import io
import logging
from email import policy
from email.parser import HeaderParser
from typing import Iterator

import pypff
from extract_msg import openMsg
from extract_msg.exceptions import InvalidFileFormatError

from contract.models import ERROR, PROSE, SCANNED, SKIPPED, Block, MemberEvent

from . import dispatch
from .base import Budget, Context, ExtractError, Source, join, read_all, seekable_stream
from .blocks import text_blocks
from .encoding import detect_encoding
from .markup import html_text_blocks
from .rtf import rtf_plain_text

logging.getLogger("extract_msg").setLevel(logging.ERROR)  # its warnings may quote property values

_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")
_MAX_FOLDER_DEPTH = 64  # a folder tree deeper than this is corrupt or hostile
# MAPI property tags ([MS-OXPROPS])
_MESSAGE_CLASS = 0x001A
_ATTACH_METHOD, _ATTACH_EMBEDDED = 0x3705, 5
_ATTACH_NAMES = (0x3707, 0x3704, 0x3001)  # long file name, 8.3 file name, display name
_STRING_TYPES = (0x001F, 0x001E)  # PT_UNICODE, PT_STRING8
_NOT_PROPERTIES = {0x007D, 0x1000, 0x1013, 0x1009, _MESSAGE_CLASS}  # headers, bodies: read as such


def _header_lines(pairs) -> Iterator[str]:
    for name, value in pairs:
        if value:
            yield f"{name}: {' '.join(str(value).split())}\n"


def _body_blocks(plain: str | None, html: bytes | None, rtf: bytes | None, container: str,
                 ctx: Context) -> Iterator[Block]:
    """The first body a message has: plain text, else HTML, else RTF."""
    where = join(container, "body")
    if plain and plain.strip():
        yield from text_blocks([plain.replace("\r\n", "\n")], where, ctx.limits.block_chars, PROSE)
    elif html:
        encoding = detect_encoding(html[:65536]) or "cp1252"
        yield from html_text_blocks(iter([html.decode(encoding, "replace")]), where, ctx)
    elif rtf:
        yield from text_blocks([rtf_plain_text(rtf)], where, ctx.limits.block_chars, PROSE)


def _unique(name: str, used: dict[str, int]) -> str:
    used[name] = used.get(name, 0) + 1
    return name if used[name] == 1 else f"{name} ({used[name]})"


# ---- .msg ----------------------------------------------------------------------------------------

def extract_msg(src: Source, ctx: Context) -> Iterator[Block]:
    """Headers, body and attachments of a saved Outlook message."""
    data = read_all(src, ctx, "Outlook message")
    with ctx.holding(len(data), "Outlook message"):
        try:
            msg = openMsg(data, delayAttachments=False)
        except InvalidFileFormatError as exc:
            raise ExtractError("corrupt Outlook message") from exc
        with msg:
            yield from _msg_blocks(msg, src.container, ctx)


def _msg_blocks(msg, container: str, ctx: Context) -> Iterator[Block]:
    yield from text_blocks(_header_lines(_msg_headers(msg)), join(container, "headers"), ctx.limits.block_chars)
    html = getattr(msg, "htmlBody", None)
    rtf = getattr(msg, "rtfBody", None)
    yield from _body_blocks(getattr(msg, "body", None), html, rtf, container, ctx)
    if not (getattr(msg, "classType", "") or "IPM.Note").startswith("IPM.Note"):
        yield from text_blocks(_msg_properties(msg), join(container, "properties"), ctx.limits.block_chars)
    used: dict[str, int] = {}
    for index, attachment in enumerate(getattr(msg, "attachments", ()), 1):
        name = attachment.longFilename or attachment.shortFilename or f"part-{index}"
        where = join(container, _unique(f"attachment:{name}", used))
        payload = attachment.data
        if isinstance(payload, (bytes, bytearray)):
            yield from dispatch.member(io.BytesIO(payload), name, where, ctx, len(payload))
        elif payload is not None and hasattr(payload, "attachments"):  # an attached Outlook message
            yield from _embedded_msg(payload, where, ctx)
        else:
            ctx.count_member()
            yield MemberEvent(where, SKIPPED, "attachment without data (a link or an OLE object)")


def _embedded_msg(msg, container: str, ctx: Context) -> Iterator[Block]:
    ctx.count_member()
    if ctx.depth + 1 > ctx.limits.max_depth:
        yield MemberEvent(container, SKIPPED, f"nested deeper than {ctx.limits.max_depth} levels")
        return
    try:
        yield from _msg_blocks(msg, container, ctx.deeper())
    except ExtractError as exc:
        yield MemberEvent(container, ERROR, str(exc))
        return
    yield MemberEvent(container, SCANNED, "")


def _msg_headers(msg) -> list[tuple[str, object]]:
    header = getattr(msg, "header", None)
    if header is not None and header.get("From"):
        return [(name, value) for name in _HEADERS for value in (header.get_all(name) or [])]
    return [("From", getattr(msg, "sender", None)), ("To", getattr(msg, "to", None)),
            ("Cc", getattr(msg, "cc", None)), ("Subject", getattr(msg, "subject", None)),
            ("Date", getattr(msg, "date", None))]


def _msg_properties(msg) -> Iterator[str]:
    """String properties of the message itself (not of its recipients or attachments)."""
    for path in msg.listDir(streams=True, storages=False):
        if len(path) != 1 or not path[0].startswith("__substg1.0_"):
            continue
        tag, kind = int(path[0][12:16], 16), int(path[0][16:20], 16)
        if kind in _STRING_TYPES and tag not in _NOT_PROPERTIES:
            value = msg.getStringStream(path[0][:16])
            if value and value.strip():
                yield " ".join(value.split()) + "\n"


# ---- .pst / .ost ---------------------------------------------------------------------------------

def extract_pst(src: Source, ctx: Context) -> Iterator[Block]:
    """Every message of the mailbox as a member, folder by folder (depth first)."""
    mailbox = pypff.file()
    held = 0
    try:
        if src.fd_path:
            mailbox.open(src.fd_path)
        else:
            stream, held = seekable_stream(src, ctx, "Outlook mailbox")
            mailbox.open_file_object(stream)
    except OSError as exc:
        raise ExtractError("corrupt or unreadable Outlook mailbox") from exc
    with ctx.holding(held, "Outlook mailbox"):
        try:
            yield from _folder(mailbox.root_folder, "", src.container, ctx, 0)
        finally:
            mailbox.close()


def _folder(folder, path: str, container: str, ctx: Context, depth: int) -> Iterator[Block]:
    if depth > _MAX_FOLDER_DEPTH:
        raise ExtractError(f"corrupt Outlook mailbox: folders nested deeper than {_MAX_FOLDER_DEPTH}")
    for index in range(folder.number_of_sub_messages):
        where = join(container, f"{path}/message {index + 1}" if path else f"message {index + 1}")
        # each message has the limits of a file of its own, within the memory the mailbox holds
        message_ctx = Context(ctx.limits, Budget(in_memory=ctx.budget.in_memory), ctx.depth + 1)
        try:
            message = folder.get_sub_message(index)
            if not isinstance(message, pypff.message):
                yield MemberEvent(where, SKIPPED, "Outlook system item, not a message")
                continue
            yield from _pst_message(message, where, message_ctx)
        except ExtractError as exc:
            yield MemberEvent(where, ERROR, str(exc))
            continue
        except Exception as exc:  # libpff errors on a damaged message: report the kind, go on
            yield MemberEvent(where, ERROR, f"unreadable message ({type(exc).__name__})")
            continue
        yield MemberEvent(where, SCANNED, "")
    for index in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(index)
        name = (sub.name or f"folder {index + 1}").replace("/", "_")
        yield from _folder(sub, f"{path}/{name}" if path else name, container, ctx, depth + 1)


def _properties(item) -> dict[int, object]:
    """Property tag -> record entry of a pypff item (its first value of each tag)."""
    found: dict[int, object] = {}
    for index in range(item.number_of_record_sets):
        for entry in item.get_record_set(index).entries:
            found.setdefault(entry.entry_type, entry)
    return found


def _string(entry) -> str | None:
    if entry is None or entry.value_type not in _STRING_TYPES:
        return None
    return entry.data_as_string


def _pst_message(message, container: str, ctx: Context) -> Iterator[Block]:
    props = _properties(message)
    yield from text_blocks(_header_lines(_pst_headers(message)), join(container, "headers"), ctx.limits.block_chars)
    plain = message.plain_text_body
    yield from _body_blocks(plain.decode("utf-8", "replace") if plain else None, message.html_body,
                            message.rtf_body, container, ctx)
    if not (_string(props.get(_MESSAGE_CLASS)) or "IPM.Note").startswith("IPM.Note"):
        lines = (" ".join(value.split()) + "\n" for tag, entry in props.items()
                 if tag not in _NOT_PROPERTIES and (value := _string(entry)) and value.strip())
        yield from text_blocks(lines, join(container, "properties"), ctx.limits.block_chars)
    used: dict[str, int] = {}
    for index in range(message.number_of_attachments):
        yield from _pst_attachment(message.get_attachment(index), index + 1, container, used, ctx)


def _pst_headers(message) -> list[tuple[str, object]]:
    raw = message.transport_headers
    if raw:
        parsed = HeaderParser(policy=policy.default).parsestr(raw if isinstance(raw, str) else raw.decode("utf-8", "replace"))
        return [(name, value) for name in _HEADERS for value in (parsed.get_all(name) or [])]
    pairs: list[tuple[str, object]] = [("From", message.sender_name)]
    recipients = message.recipients
    for index in range(recipients.number_of_record_sets if recipients is not None else 0):
        names = {e.entry_type: e for e in recipients.get_record_set(index).entries}
        shown = [v for tag in (0x3001, 0x39FE, 0x3003) if (v := _string(names.get(tag)))]
        pairs.append(("To", " ".join(dict.fromkeys(shown))))
    pairs.append(("Subject", message.subject))
    return pairs


def _pst_attachment(attachment, number: int, container: str, used: dict[str, int], ctx: Context) -> Iterator[Block]:
    props = _properties(attachment)
    name = next((v for tag in _ATTACH_NAMES if (v := _string(props.get(tag)))), None) or f"part-{number}"
    where = join(container, _unique(f"attachment:{name}", used))
    size = attachment.size
    method = props.get(_ATTACH_METHOD)
    if method is not None and method.data[:1] == bytes([_ATTACH_EMBEDDED]):
        ctx.count_member()
        yield MemberEvent(where, SKIPPED, "attached message inside a mailbox not read (libpff cannot open it)", size)
        return
    if size > ctx.limits.max_in_memory - ctx.budget.in_memory:
        ctx.count_member()
        yield MemberEvent(where, ERROR, f"attachment too large to open in memory "
                                        f"(limit {ctx.limits.max_in_memory >> 20} MiB)", size)
        return
    with ctx.holding(size, "attachment"):
        data = attachment.read_buffer(size) if size else b""
        yield from dispatch.member(io.BytesIO(data), name, where, ctx, size)
