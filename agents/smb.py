"""Agentless scanning of an SMB 2/3 file share (Windows, Samba, NAS).

Uses smbprotocol with a connection cache private to this agent (smbclient's
global cache would mix targets and outlive :meth:`SmbAgent.close`). The session
authenticates with NTLM exactly once, is encrypted whenever the server can
encrypt, and files are opened read-only with full share access so that users
are never locked out of the files being scanned.
"""

from __future__ import annotations

import errno
import io
import logging
import uuid
from typing import Callable, Iterator

import smbclient
from smbprotocol.connection import Connection
from smbprotocol.exceptions import SMBConnectionClosed, SMBException, SMBOSError, SMBResponseException
from smbprotocol.file_info import FileAttributes
from smbprotocol.header import NtStatus
from smbprotocol.session import Session

from agents.base import Agent, AgentError, AgentOptions
from agents.remote_common import RawReader, buffered, denied, item_uri, skipped
from contract.models import Item
from contract.targets import Target, TargetError

log = logging.getLogger(__name__)

# Statuses that mean the session, not the file, is gone: reconnect and retry once.
_SESSION_LOST = {
    0xC000035C,  # STATUS_NETWORK_SESSION_EXPIRED (not named by smbprotocol)
    NtStatus.STATUS_USER_SESSION_DELETED,
    NtStatus.STATUS_NETWORK_NAME_DELETED,
}
_DIALECTS = {0x202: "2.0.2", 0x210: "2.1", 0x300: "3.0", 0x302: "3.0.2", 0x311: "3.1.1"}
_DENIED = {NtStatus.STATUS_ACCESS_DENIED, NtStatus.STATUS_PRIVILEGE_NOT_HELD}


def is_transport_error(exc: BaseException) -> bool:
    """True when an exception means the connection or session dropped, not that a file was refused."""
    if isinstance(exc, SMBConnectionClosed):
        return True
    status = getattr(exc, "ntstatus", None) or getattr(exc, "status", None)
    if isinstance(exc, (SMBOSError, SMBResponseException)):
        return status in _SESSION_LOST
    return isinstance(exc, (SMBException, OSError))


def file_error(exc: SMBOSError | SMBResponseException, path: str) -> OSError:
    """The ordinary OSError for a file-level refusal, so the engine records it like a local one."""
    status = getattr(exc, "ntstatus", None) or getattr(exc, "status", None)
    if status in _DENIED:
        return PermissionError(errno.EACCES, "permission denied", path)
    if status in (NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, NtStatus.STATUS_OBJECT_PATH_NOT_FOUND):
        return FileNotFoundError(errno.ENOENT, "no such file", path)
    return OSError(errno.EIO, f"SMB error 0x{(status or 0):08x}", path)


class SmbAgent(Agent):
    """Files of one folder of an SMB share."""

    name = "smb"

    def __init__(self, target: Target, options: AgentOptions = AgentOptions()):
        super().__init__(target, options)
        self._cache: dict[str, Connection] = {}
        self._session: Session | None = None
        self._where = f"smb://{target.host}:{target.port or 445}/{target.share}"

    # -- connection -------------------------------------------------------

    def _connected(self) -> Session:
        """The live session, connecting on first use (each worker builds its own agent)."""
        if self._session is None or not self._session.connection.transport.connected:
            self.close()
            self._session = self._connect()
        return self._session

    def _connect(self) -> Session:
        host, port = self.target.host, self.target.port or 445
        connection = Connection(uuid.uuid4(), host, port, require_signing=True)
        # The receive worker sends an echo after this much silence and gives the
        # connection up after twice as much: the bound on a server that stops answering.
        connection._receive_timeout = max(1.0, self.options.op_timeout / 2)
        try:
            connection.connect(timeout=self.options.connect_timeout)
        except (SMBException, ValueError, OSError) as exc:
            if connection.transport.connected:
                connection.disconnect(close=True)
            raise AgentError(f"{self._where}: cannot negotiate SMB within "
                             f"{self.options.connect_timeout:g}s ({_describe(exc)})", transient=True) from None
        self._cache[f"{host.lower()}:{port}"] = connection
        try:
            password = self.target.creds.password()
        except TargetError as exc:
            self.close()
            raise AgentError(f"{self._where}: {exc}") from None
        user = self.target.user
        if user and self.target.domain:
            user = f"{self.target.domain}\\{user}"
        session = Session(connection, username=user, password=password,
                          require_encryption=bool(connection.supports_encryption), auth_protocol="ntlm")
        try:
            session.connect()
        except (SMBException, OSError) as exc:
            self.close()
            if is_transport_error(exc) and not isinstance(exc, SMBResponseException):
                raise AgentError(f"{self._where}: connection lost during authentication ({_describe(exc)})",
                                 transient=True) from None
            raise AgentError(f"{self._where}: authentication as {self.target.user} refused "
                             f"({_describe(exc)}); tried once, not retrying so the account is not locked") from None
        return session

    def _kwargs(self) -> dict:
        self._connected()
        return {"port": self.target.port or 445, "connection_cache": self._cache}

    def _unc(self, rel: str) -> str:
        parts = [p for p in (self.target.path.split("/") + rel.split("/")) if p]
        return "\\\\" + "\\".join([self.target.host, self.target.share, *parts])

    def _retry_once(self, operation: Callable):
        """Run an operation; if the session dropped, reconnect and run it once more."""
        try:
            return operation()
        except (SMBException, OSError) as exc:
            if isinstance(exc, AgentError) or not is_transport_error(exc):
                raise
            log.info("%s: session lost (%s); reconnecting once", self._where, _describe(exc))
            self.close()
        try:
            return operation()
        except (SMBException, OSError) as exc:
            if isinstance(exc, AgentError) or not is_transport_error(exc):
                raise
            self.close()
            raise AgentError(f"{self._where}: connection lost ({_describe(exc)})", transient=True) from None

    # -- enumeration ------------------------------------------------------

    def items(self) -> Iterator:
        """Walk the share folder by folder (SMB has no recursive listing)."""
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                entries = self._retry_once(lambda: self._list(rel))
            except (SMBOSError, SMBResponseException) as exc:
                if rel == "" and not isinstance(file_error(exc, rel), PermissionError):
                    raise AgentError(f"{self._where}: cannot list {self.target.path or 'share root'} "
                                     f"({_describe(exc)})") from None
                yield denied(self.target, rel) if isinstance(file_error(exc, rel), PermissionError) \
                    else skipped(self.target, rel, f"cannot list folder ({_describe(exc)})")
                continue
            for name, info in sorted(entries, key=lambda e: e[0], reverse=True):
                child = f"{rel}/{name}" if rel else name
                attributes = info.file_attributes
                if attributes & FileAttributes.FILE_ATTRIBUTE_REPARSE_POINT:
                    yield skipped(self.target, child, "reparse point (link, not followed)")
                elif attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY:
                    stack.append(child)
                else:
                    yield Item(
                        uri=item_uri(self.target, child),
                        path=child,
                        size=info.end_of_file,
                        mtime=info.last_write_time.timestamp(),
                        ref=child,
                    )

    def _list(self, rel: str) -> list:
        """One folder's entries as (name, directory information), excluding . and .. (the
        folder is opened sharing read, write and delete, so users are never locked out)."""
        with smbclient.scandir(self._unc(rel), **self._kwargs()) as folder:
            return [(entry.name, entry.smb_info) for entry in folder]

    # -- reading ----------------------------------------------------------

    def open(self, item: Item):
        """Open a file read-only (others may still read, write and delete it) as a buffered stream."""
        try:
            raw = self._retry_once(lambda: smbclient.open_file(
                self._unc(item.ref), mode="rb", buffering=0, share_access="rwd", **self._kwargs()))
        except (SMBOSError, SMBResponseException) as exc:
            raise file_error(exc, item.path) from None
        max_read = self._connected().connection.max_read_size or (1 << 16)

        def read_at(offset: int, n: int) -> bytes:
            try:
                raw.seek(offset)
                return raw.read(min(n, max_read))
            except (SMBException, OSError) as exc:
                if isinstance(exc, (SMBOSError, SMBResponseException)) and not is_transport_error(exc):
                    raise file_error(exc, item.path) from None
                raise AgentError(f"{self._where}: read failed, connection lost or timed out "
                                 f"({_describe(exc)})", transient=True) from None

        # the size lets readers seek from the end (a zip's central directory is at its end)
        size = item.size if item.size is not None else raw.seek(0, io.SEEK_END)
        return buffered(RawReader(read_at, lambda: _quiet_close(raw), size))

    # -- facts ------------------------------------------------------------

    def facts(self) -> dict:
        """The server's SMB dialect, and whether the session is encrypted and signed."""
        session = self._connected()
        connection = session.connection
        return {
            "hostname": self.target.host,
            "server_guid": str(connection.server_guid),
            "dialect": _DIALECTS.get(connection.dialect, f"0x{connection.dialect:x}"),
            "encryption": bool(session.encrypt_data),
            "signing_required": bool(connection.require_signing),
        }

    def close(self) -> None:
        """Close the session and this agent's connections; safe to call twice."""
        self._session = None
        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)


def _quiet_close(raw) -> None:
    """Close a remote file; if the session is already gone there is nothing left to release."""
    try:
        raw.close()
    except (SMBException, OSError):
        pass


def _describe(exc: BaseException) -> str:
    """A short, secret-free description of an SMB failure."""
    status = getattr(exc, "ntstatus", None) or getattr(exc, "status", None)
    if isinstance(status, int):
        for name, value in vars(NtStatus).items():
            if value == status:
                return name
        return f"NTSTATUS 0x{status:08x}"
    return type(exc).__name__ + (f": {exc}" if str(exc) else "")
