"""The local agent: a folder (or a single file) on this machine.

Walks with ``os.scandir`` on bytes paths so that names that are not valid
UTF-8 survive intact (the inventory shows them with ``\\xNN`` escapes), does
not follow symlinks unless asked (then with loop detection by device and
inode), skips FIFOs, sockets and devices, and opens files read-only with
``O_NOATIME`` where the OS allows so a scan does not touch access times.
"""

from __future__ import annotations

import errno
import functools
import os
import pwd
import stat
from typing import BinaryIO, Iterator

from agents.base import Agent, EnumerationProblem
from contract.models import ERROR, SKIPPED, Item

_NOATIME = getattr(os, "O_NOATIME", 0)


def display_path(raw: bytes) -> str:
    """A path as text for the inventory: undecodable bytes become ``\\xNN``."""
    return raw.decode("utf-8", "backslashreplace")


@functools.lru_cache(maxsize=4096)
def owner_name(uid: int) -> str:
    """The user name of a uid, or the number when it has no name here."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


class LocalAgent(Agent):
    """Enumerates and opens files under a local path."""

    name = "local"

    @property
    def host(self) -> str:
        return os.uname().nodename

    def facts(self) -> dict:
        uname = os.uname()
        return {"hostname": uname.nodename, "os": f"{uname.sysname} {uname.release}"}

    def _item(self, raw_path: bytes, rel: bytes, st: os.stat_result) -> Item:
        rel_text = display_path(rel)
        return Item(
            uri=self.target.uri.rstrip("/") + "/" + rel_text if rel else self.target.uri,
            path=rel_text,
            size=st.st_size,
            mtime=st.st_mtime,
            owner=owner_name(st.st_uid),
            mode=stat.S_IMODE(st.st_mode),
            ref=raw_path,
        )

    def _problem(self, rel: bytes, status: str, reason: str) -> EnumerationProblem:
        rel_text = display_path(rel)
        return EnumerationProblem(self.target.uri.rstrip("/") + "/" + rel_text, rel_text, status, reason)

    def items(self) -> Iterator[Item | EnumerationProblem]:
        root = os.fsencode(self.target.path)
        try:
            st = os.stat(root)
        except OSError as exc:
            from agents.base import AgentError

            raise AgentError(f"cannot read {self.target.path}: {exc.strerror}") from None
        if not stat.S_ISDIR(st.st_mode):
            item = self._item(root, b"", st)
            yield Item(**{**item.__dict__, "path": display_path(os.path.basename(root))})
            return
        yield from self._walk(root, b"", {(st.st_dev, st.st_ino)})

    def _walk(self, directory: bytes, rel: bytes, ancestors: set) -> Iterator[Item | EnumerationProblem]:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except PermissionError:
            yield self._problem(rel, ERROR, "permission denied (folder)")
            return
        except OSError as exc:
            yield self._problem(rel, ERROR, f"cannot list folder: {exc.strerror}")
            return
        follow = self.options.follow_symlinks
        for entry in entries:
            child_rel = rel + b"/" + entry.name if rel else entry.name
            try:
                is_link = entry.is_symlink()
                if is_link and not follow:
                    yield self._problem(child_rel, SKIPPED, "symbolic link not followed")
                    continue
                st = entry.stat(follow_symlinks=follow)
            except OSError as exc:
                reason = "symbolic link loop" if exc.errno == errno.ELOOP else (
                    "broken symbolic link" if exc.errno == errno.ENOENT else f"cannot stat: {exc.strerror}")
                yield self._problem(child_rel, ERROR, reason)
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    yield self._problem(child_rel, SKIPPED, "symbolic link loop")
                    continue
                yield from self._walk(entry.path, child_rel, ancestors | {key})
            elif stat.S_ISREG(st.st_mode):
                yield self._item(entry.path, child_rel, st)
            else:
                kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                        else "device")
                yield self._problem(child_rel, SKIPPED, f"not a regular file ({kind})")

    def open(self, item: Item) -> BinaryIO:
        # O_NONBLOCK: a file replaced by a FIFO since enumeration must not hang the worker
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(item.ref, flags | _NOATIME)
        except PermissionError:
            if not _NOATIME:
                raise
            fd = os.open(item.ref, flags)  # O_NOATIME is refused on files we do not own
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise IsADirectoryError(errno.EISDIR, "no longer a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=1 << 20)

    def local_path(self, item: Item) -> str | None:
        return os.fsdecode(item.ref)
