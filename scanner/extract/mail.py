"""E-mail messages (.eml): headers, text bodies, and attachments through the dispatcher.

Containers: "headers" for the From/To/Cc/Reply-To/Subject/Date lines, "body"
for the text/plain part ("body 2"... for more), "body.html" for HTML parts,
and "attachment:NAME" for each attachment, whose own blocks nest below it
("attachment:files.zip!a.docx").
"""

from __future__ import annotations

import io
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Iterator

from contract.models import PROSE, Block

from . import dispatch
from .base import Context, Source, join, read_all
from .blocks import text_blocks
from .markup import html_text_blocks

_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")


def _header_lines(msg: EmailMessage) -> Iterator[str]:
    for name in _HEADERS:
        for value in msg.get_all(name, []):
            try:
                text = str(value)
            except Exception:  # a malformed header must not lose the rest of the message
                continue
            yield f"{name}: {' '.join(text.split())}\n"


def _leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    """Leaf parts in order; an attached message is one leaf (it is extracted as its own .eml)."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for sub in part.iter_parts():
        yield from _leaves(sub)


def _text_content(part: EmailMessage) -> str:
    """A text part decoded with its charset; an unknown charset falls back to UTF-8."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")


def _unique(name: str, used: dict[str, int], pattern: str = "{} ({})") -> str:
    """``name``, then ``name (2)``... so that two parts never share a container."""
    used[name] = used.get(name, 0) + 1
    return name if used[name] == 1 else pattern.format(name, used[name])


def extract_eml(src: Source, ctx: Context) -> Iterator[Block]:
    """Headers, decoded text parts, then each attachment as a member of the message."""
    data = read_all(src, ctx, "e-mail message")
    with ctx.holding(len(data), "e-mail message"):
        msg = BytesParser(policy=policy.default).parsebytes(data)
        yield from text_blocks(_header_lines(msg), join(src.container, "headers"), ctx.limits.block_chars)
        used: dict[str, int] = {}
        for index, part in enumerate(_leaves(msg), 1):
            ctype = part.get_content_type()
            filename = part.get_filename()
            is_attachment = part.get_content_disposition() == "attachment" or filename or ctype == "message/rfc822"
            if not is_attachment and ctype in ("text/plain", "text/html"):
                body = _text_content(part)
                if ctype == "text/plain":
                    name = join(src.container, _unique("body", used, "{} {}"))
                    yield from text_blocks([body], name, ctx.limits.block_chars, PROSE)
                else:
                    name = join(src.container, _unique("body.html", used, "{} {}"))
                    yield from html_text_blocks(iter([body]), name, ctx)
                continue
            if not is_attachment:
                continue
            if ctype == "message/rfc822":
                payload = part.get_payload()
                inner = payload[0].as_bytes() if isinstance(payload, list) and payload else b""
                filename = filename or "message.eml"
            else:
                inner = part.get_payload(decode=True) or b""
            label = _unique(f"attachment:{filename or f'part-{index}'}", used)
            yield from dispatch.member(io.BytesIO(inner), filename or label, join(src.container, label), ctx, len(inner))
