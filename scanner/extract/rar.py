"""RAR archives through rarfile, with Debian's unar unpacking compressed members.

unar reads the archive by path and streams one member at a time to rarfile
through a pipe, so nothing is written to disk. An archive that is not a local
file (a member of another archive, a file on an SSH or SMB share) is held in
an anonymous memory file (memfd, within max_in_memory) that unar opens by its
/proc path. Members go through the same decompression guard and dispatcher
as zip members.
"""

from __future__ import annotations

import os
from typing import Iterator

import rarfile

from contract.models import ERROR, Block, MemberEvent

from . import dispatch
from .base import Context, ExtractError, Source, Unsupported, join, read_all
from .guard import guarded

# unar is the free backend Debian ships (unrar is non-free; 7-Zip's RAR codec is removed there)
rarfile.tool_setup(unrar=False, unar=True, bsdtar=False, sevenzip=False, sevenzip2=False)


def extract_rar(src: Source, ctx: Context) -> Iterator[Block]:
    """Each file member through the dispatcher; encrypted members are errors."""
    if src.fd_path:
        yield from _members(src.fd_path, src.container, ctx)
        return
    data = read_all(src, ctx, "RAR archive")
    with ctx.holding(len(data), "RAR archive"):
        fd = os.memfd_create("piisweep-rar", os.MFD_CLOEXEC)
        try:
            os.write(fd, data)
            del data
            yield from _members(f"/proc/{os.getpid()}/fd/{fd}", src.container, ctx)
        finally:
            os.close(fd)


def _members(path: str, container: str, ctx: Context) -> Iterator[Block]:
    try:
        archive = rarfile.RarFile(path)
    except rarfile.PasswordRequired as exc:
        raise ExtractError("encrypted RAR archive") from exc
    except (rarfile.Error, OSError) as exc:
        raise ExtractError(f"corrupt RAR archive ({type(exc).__name__})") from exc
    with archive:
        if archive.needs_password() and not archive.infolist():
            raise ExtractError("encrypted RAR archive (file names too)")
        for info in archive.infolist():
            if info.is_dir() or info.is_symlink():
                continue
            where = join(container, info.filename)
            if info.needs_password():
                ctx.count_member()
                yield MemberEvent(where, ERROR, "encrypted archive member", info.file_size)
                continue
            try:
                raw = archive.open(info)
            except rarfile.RarCannotExec as exc:
                raise Unsupported("RAR needs the unar program (apt install unar)") from exc
            except (rarfile.Error, OSError) as exc:
                ctx.count_member()
                yield MemberEvent(where, ERROR, f"corrupt archive member ({type(exc).__name__})", info.file_size)
                continue
            with guarded(raw, ctx, lambda: info.compress_size, "RAR member") as stream:
                yield from dispatch.member(stream, info.filename, where, ctx, info.file_size)
