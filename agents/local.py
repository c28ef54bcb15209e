"""The local agent: a folder (or a single file) on this machine.

Scanned folders are writable by people who may try to turn a scan run as root
against its operator: swap a listed file for a symbolic link to ``/etc/shadow``
between listing and reading, say. So every path is walked one component at a
time, from a descriptor of the target's folder: the listing opens each folder
with ``O_DIRECTORY | O_NOFOLLOW`` relative to its parent, and a worker opens an
item the same way, the file itself with ``O_NOFOLLOW``, then checks with
``fstat`` that it is the very file the listing saw (device, inode, size,
modification time). Anything else is an error "changed during scan", and
nothing outside the target is ever opened. Python 3.11 has no ``openat2``
(``RESOLVE_BENEATH``); ``dir_fd`` opens give the same guarantee one component at
a time. Extractors get the opened descriptor (a stream, or ``/proc/self/fd/N``
for libraries that only take a path), never the listed path.

With ``follow_symlinks`` a link is resolved once, at listing, and followed only
when it leads to a place beneath the target's folder; its item then refers to
the resolved path, opened like any other. A link leading elsewhere is skipped:
to scan that place, name it as a target of its own.

Names are bytes so that names that are not valid UTF-8 survive intact (the
inventory shows them with ``\\xNN`` escapes). FIFOs, sockets and devices are
skipped; files are opened read-only with ``O_NOATIME`` where the OS allows so
that a scan does not touch access times.
"""

from __future__ import annotations

import errno
import functools
import operator
import os
import pwd
import stat
from typing import BinaryIO, Callable, Iterator, NamedTuple

from agents.base import Agent, AgentError, EnumerationProblem
from contract.models import ERROR, SKIPPED, Item

_NOATIME = getattr(os, "O_NOATIME", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
# O_NONBLOCK: a file replaced by a FIFO since listing must not hang the worker
_FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | _CLOEXEC
_PROC_FD = "/proc/self/fd"
# Folder descriptors a worker keeps open between items (see _Folders): items arrive roughly
# in listing order, so a few dozen cover the folders in flight; well under the usual 1024 fds.
FOLDER_CACHE = 64

#: Called as ``race_window(moment, item)`` with moment "listed" (before a worker opens the
#: item) and "opened" (after it is open, before extraction); None in use. Tests set it to
#: swap a file at exactly the moment an attacker would aim for, which makes the race
#: deterministic instead of a matter of timing.
race_window: Callable[[str, Item], None] | None = None


class LocalRef(NamedTuple):
    """How a worker reopens a listed file: from ``base`` (a folder named by the user), down
    ``rel`` ("/"-separated bytes, no symbolic links), expecting the file the listing saw."""

    base: bytes
    rel: bytes
    dev: int
    ino: int


class ChangedDuringScan(OSError):
    """The file at a listed path is no longer the file the listing saw (or a link now stands
    in its path): it is not read."""

    def __init__(self, detail: str):
        super().__init__(errno.ESTALE, f"changed during scan ({detail})")


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


_first = operator.itemgetter(0)


def _join(rel: bytes, name: bytes) -> bytes:
    return rel + b"/" + name if rel else name


def _open_child(name: bytes, parent_fd: int, flags: int) -> int:
    """Open ``name`` in ``parent_fd`` without following a link; a link (or a file where a
    folder was) means the tree changed under the scan."""
    try:
        return os.open(name, flags, dir_fd=parent_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
            raise ChangedDuringScan("a symbolic link or another kind of file now stands in its path") from None
        raise


def _changed(st: os.stat_result, ref: LocalRef):
    """Raise why the opened file is not the one listed."""
    if not stat.S_ISREG(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "no longer a regular file")
    if (st.st_dev, st.st_ino) != (ref.dev, ref.ino):
        raise ChangedDuringScan("another file now has its name")
    raise ChangedDuringScan("size or modification time differs from the listing")


class _Folders:
    """Descriptors of folders beneath the base folders, opened component by component, kept
    for the next items (least recently used closed first).

    Keeping them is as safe as reopening: a descriptor names the folder it was opened on,
    reached from the base without links and checked at the time. Renaming that folder later
    moves it, it does not make it another folder; a file opened in it must still be the
    file the listing saw (device and inode), so a swap is caught whatever the folder path
    has become.
    """

    def __init__(self, size: int = FOLDER_CACHE):
        self.size = size
        self.fds: dict[tuple[bytes, bytes], int] = {}  # oldest use first

    def fd(self, base: bytes, rel: bytes) -> int:
        """The descriptor of folder ``rel`` beneath ``base`` (``b""``: base itself)."""
        key = (base, rel)
        fd = self.fds.pop(key, None)
        if fd is not None:
            self.fds[key] = fd  # now the most recent
            return fd
        if rel:
            parent, _, name = rel.rpartition(b"/")
            fd = _open_child(name, self.fd(base, parent), _DIR_FLAGS)
        else:
            fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)  # named by the user
        self.fds[key] = fd
        if len(self.fds) > self.size:
            os.close(self.fds.pop(next(iter(self.fds))))
        return fd

    def close(self) -> None:
        while self.fds:
            os.close(self.fds.popitem()[1])


class LocalAgent(Agent):
    """Enumerates and opens files under a local path."""

    name = "local"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._folders = _Folders()

    @property
    def host(self) -> str:
        return os.uname().nodename

    def facts(self) -> dict:
        uname = os.uname()
        return {"hostname": uname.nodename, "os": f"{uname.sysname} {uname.release}"}

    def _item(self, rel: bytes, ref: LocalRef, st: os.stat_result) -> Item:
        rel_text = display_path(rel)
        return Item(
            uri=self.target.uri.rstrip("/") + "/" + rel_text if rel else self.target.uri,
            path=rel_text,
            size=st.st_size,
            mtime=st.st_mtime,
            owner=owner_name(st.st_uid),
            mode=stat.S_IMODE(st.st_mode),
            ref=ref,
        )

    def _problem(self, rel: bytes, status: str, reason: str) -> EnumerationProblem:
        rel_text = display_path(rel)
        return EnumerationProblem(self.target.uri.rstrip("/") + "/" + rel_text, rel_text, status, reason)

    def items(self) -> Iterator[Item | EnumerationProblem]:
        root = os.fsencode(self.target.path)
        try:
            st = os.stat(root)
        except OSError as exc:
            raise AgentError(f"cannot read {self.target.path}: {exc.strerror}") from None
        if not stat.S_ISDIR(st.st_mode):
            # a single file named by the user: its folder is the base, the file itself is not followed
            base, name = os.path.split(os.path.realpath(root))
            item = self._item(b"", LocalRef(base, name, st.st_dev, st.st_ino), st)
            yield Item(**{**item.__dict__, "path": display_path(os.path.basename(root))})
            return
        try:
            fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
        except OSError as exc:
            raise AgentError(f"cannot read {self.target.path}: {exc.strerror}") from None
        try:
            real_root = os.path.realpath(root) if self.options.follow_symlinks else root
            yield from self._walk(_Walk(root, real_root), fd, b"", b"", {(st.st_dev, st.st_ino)})
        finally:
            os.close(fd)

    def _walk(self, walk: "_Walk", dir_fd: int, rel: bytes, real_rel: bytes,
              ancestors: set) -> Iterator[Item | EnumerationProblem]:
        """Entries of the folder open as ``dir_fd``: ``rel`` is its path as shown, ``real_rel``
        its path beneath the root without links (they differ below a followed link)."""
        try:
            # names as bytes (scandir on a descriptor gives str), sorted in byte order
            entries = sorted(((os.fsencode(e.name), e) for e in os.scandir(dir_fd)), key=_first)
        except PermissionError:
            yield self._problem(rel, ERROR, "permission denied (folder)")
            return
        except OSError as exc:
            yield self._problem(rel, ERROR, f"cannot list folder: {exc.strerror}")
            return
        follow = self.options.follow_symlinks
        for name, entry in entries:
            child_rel = _join(rel, name)
            child_real = child_rel if real_rel == rel else _join(real_rel, name)  # differ below a followed link
            try:
                is_link = entry.is_symlink()
                if is_link and not follow:
                    yield self._problem(child_rel, SKIPPED, "symbolic link not followed")
                    continue
                st = entry.stat(follow_symlinks=is_link)
            except OSError as exc:
                reason = "symbolic link loop" if exc.errno == errno.ELOOP else (
                    "broken symbolic link" if exc.errno == errno.ENOENT else f"cannot stat: {exc.strerror}")
                yield self._problem(child_rel, ERROR, reason)
                continue
            if is_link:  # resolved once, here: items below it refer to where it leads
                child_real = walk.beneath(_join(walk.root + b"/" + real_rel if real_rel else walk.root, name))
                if child_real == b"" and stat.S_ISDIR(st.st_mode):
                    yield self._problem(child_rel, SKIPPED, "symbolic link loop")
                    continue
                if child_real is None:
                    yield self._problem(child_rel, SKIPPED, "symbolic link leads outside the target")
                    continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    yield self._problem(child_rel, SKIPPED, "symbolic link loop")
                    continue
                yield from self._subfolder(walk, dir_fd, name, is_link, child_rel, child_real, st,
                                           ancestors | {key})
            elif stat.S_ISREG(st.st_mode):
                yield self._item(child_rel, LocalRef(walk.root, child_real, st.st_dev, st.st_ino), st)
            else:
                kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                        else "device")
                yield self._problem(child_rel, SKIPPED, f"not a regular file ({kind})")

    def _subfolder(self, walk: "_Walk", dir_fd: int, name: bytes, via_link: bool, rel: bytes, real_rel: bytes,
                   st: os.stat_result, ancestors: set) -> Iterator[Item | EnumerationProblem]:
        """Walk a subfolder, opened without following links and checked to be the folder listed."""
        try:
            # a followed link is opened where it leads, from the root
            fd = walk.open_folder(real_rel) if via_link else _open_child(name, dir_fd, _DIR_FLAGS)
        except OSError as exc:
            yield self._problem(rel, ERROR, exc.strerror or "cannot open folder")
            return
        try:
            opened = os.fstat(fd)
            if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino):
                yield self._problem(rel, ERROR, ChangedDuringScan("another folder").strerror)
                return
            yield from self._walk(walk, fd, rel, real_rel, ancestors)
        finally:
            os.close(fd)

    def open(self, item: Item) -> BinaryIO:
        ref: LocalRef = item.ref
        if race_window is not None:
            race_window("listed", item)
        parent, _, name = ref.rel.rpartition(b"/")
        folder = self._folders.fd(ref.base, parent)
        try:
            fd = _open_child(name, folder, _FILE_FLAGS | _NOATIME)
        except PermissionError:
            if not _NOATIME:
                raise
            fd = _open_child(name, folder, _FILE_FLAGS)  # O_NOATIME is refused on files we do not own
        try:
            st = os.fstat(fd)
            # the same inode as listed is the same regular file: one comparison in the usual case
            if (st.st_ino, st.st_dev, st.st_size, st.st_mtime) != (ref.ino, ref.dev, item.size, item.mtime):
                _changed(st, ref)
            os.set_blocking(fd, True)
            stream = os.fdopen(fd, "rb", buffering=1 << 20)
        except BaseException:
            os.close(fd)
            raise
        if race_window is not None:
            race_window("opened", item)
        return stream

    def fd_path(self, stream: BinaryIO) -> str | None:
        """``/proc/<pid>/fd/N`` of the opened item: the same open file, for libraries that only
        take a path (the kernel resolves it to the open file, not by walking a path again).
        Named by this process's id rather than ``self``, so that a helper program it runs
        (unar, for RAR) opens this process's file, not its own descriptor N."""
        return f"/proc/{os.getpid()}/fd/{stream.fileno()}" if os.path.isdir(_PROC_FD) else None

    def close(self) -> None:
        self._folders.close()


class _Walk:
    """The root of one listing, and where links followed there may lead."""

    def __init__(self, root: bytes, real_root: bytes):
        self.root = root
        self.real_root = real_root.rstrip(b"/")

    def beneath(self, link_path: bytes) -> bytes | None:
        """Where the link at ``link_path`` leads, relative to the root (``b""``: the root
        itself); None when that is not beneath the root."""
        resolved = os.path.realpath(link_path)
        if resolved == self.real_root:
            return b""
        if not resolved.startswith(self.real_root + b"/"):
            return None
        return resolved[len(self.real_root) + 1:]

    def open_folder(self, rel: bytes) -> int:
        """A descriptor of folder ``rel``, opened from the root one component at a time."""
        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
        try:
            for name in rel.split(b"/"):
                child = _open_child(name, fd, _DIR_FLAGS)
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return fd
