"""Shared helpers for the extractor tests: run an extraction, pick blocks apart."""

from __future__ import annotations

import io

from scanner.extract import ExtractLimits, extract
from contract.models import ColumnBlock, MemberEvent, TextBlock

from .builders import item


def run(data: bytes, name: str, limits: ExtractLimits = ExtractLimits(), fd_path: str | None = None):
    """(format, blocks) of ``data`` extracted as a file called ``name``."""
    ex = extract(io.BytesIO(data), item(name, len(data)), fd_path, limits)
    return ex.format, list(ex)


def texts(blocks, container: str | None = None) -> str:
    """The text of one container (all containers when None), blocks concatenated."""
    return "".join(b.text for b in blocks if isinstance(b, TextBlock) and (container is None or b.container == container))


def columns(blocks) -> dict[tuple[str, str], ColumnBlock]:
    """ColumnBlocks by (container, header)."""
    return {(b.container, b.header): b for b in blocks if isinstance(b, ColumnBlock)}


def events(blocks) -> dict[str, MemberEvent]:
    """MemberEvents by container (containers are unique per item)."""
    found = [b for b in blocks if isinstance(b, MemberEvent)]
    by_container = {e.container: e for e in found}
    assert len(by_container) == len(found), "a member was reported twice"
    return by_container

