"""Agentless scanning of a host over SSH: one remote ``find`` to list, SFTP to read.

Nothing is installed or written on the scanned host. Enumeration runs a single
read-only ``find -printf`` and streams its null-separated output, so a tree of
any depth costs one round trip instead of one per folder; when the account may
not run commands (SFTP-only), it walks the tree with SFTP instead. Files are
read through SFTP in pipelined windows, never copied to disk.

Security choices: the server's host key is checked against a known_hosts file
*before* any credential is sent; ssh-agent and ``~/.ssh`` keys are used only
when asked; a password is offered exactly once, so a wrong one cannot lock an
account.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import itertools
import logging
import os
import shlex
import socket
import stat
from typing import Callable, Iterator

import paramiko

from agents.base import Agent, AgentError, AgentOptions
from agents.remote_common import (RawReader, buffered, decode_name, denied, encode_name, item_uri, skipped)
from contract.models import Item
from contract.targets import Target, TargetError

log = logging.getLogger(__name__)

# Errors that mean the connection itself failed (worth one reconnect), as
# opposed to a file-level refusal such as PermissionError.
TRANSPORT_ERRORS = (paramiko.SSHException, EOFError, ConnectionError, socket.timeout)

# One SFTP read window: this many bytes are requested at once (in 32 KiB
# pipelined requests), so a read costs one round trip per window, and memory
# per open file stays bounded.
SMALL_READ = 64 << 10  # paramiko readv stalled now and then on the small random reads of zip readers
READ_WINDOW = 4 << 20
SFTP_WINDOW = 16 << 20

# find(1) types that are not regular files, and why they are skipped.
_SKIPPED_TYPES = {
    "l": "symbolic link (not followed)",
    "p": "FIFO",
    "c": "character device",
    "b": "block device",
    "s": "socket",
    "D": "door",
}
# Fields find prints per entry: type, size, mtime, mode, owner, path.
_FIELDS = 6
# An unreadable folder is printed with type "X" and pruned, so that it becomes
# a permission-denied row instead of an error message on stderr.
_FIND_FORMAT = "%y\\0%s\\0%T@\\0%m\\0%u\\0%P\\0"
_DENIED_FORMAT = "X\\0%s\\0%T@\\0%m\\0%u\\0%P\\0"


def fingerprint(key: paramiko.PKey) -> str:
    """The OpenSSH-style SHA256 fingerprint of a host key, as users compare them."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def find_command(root: str, follow_symlinks: bool) -> str:
    """The single remote command that lists the whole tree below ``root``."""
    return (
        f"LC_ALL=C find {'-L' if follow_symlinks else '-P'} {shlex.quote(root)} -xdev "
        f"\\( -type d \\! \\( -readable -executable \\) -printf '{_DENIED_FORMAT}' -prune \\) "
        f"-o -printf '{_FIND_FORMAT}'"
    )


class SshAgent(Agent):
    """Files of one directory tree on a host reachable by SSH."""

    name = "ssh"

    def __init__(self, target: Target, options: AgentOptions = AgentOptions()):
        super().__init__(target, options)
        self._transport: paramiko.Transport | None = None
        self._sftp: paramiko.SFTPClient | None = None
        self._root = encode_name(target.path or "/")
        self._where = f"ssh://{target.host}:{target.port or 22}"

    # -- connection -------------------------------------------------------

    def _connected(self) -> paramiko.Transport:
        """The live transport, connecting on first use (agents are built lazily in each worker)."""
        if self._transport is None or not self._transport.is_active():
            self.close()
            self._transport = self._connect()
        return self._transport

    def _connect(self) -> paramiko.Transport:
        host, port, timeout = self.target.host, self.target.port or 22, self.options.connect_timeout
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except socket.timeout:
            raise AgentError(f"{self._where}: TCP connect timed out after {timeout:g}s", transient=True) from None
        except OSError as exc:
            raise AgentError(f"{self._where}: cannot connect: {exc.strerror or exc}", transient=True) from None
        transport = paramiko.Transport(sock)
        transport.banner_timeout = transport.handshake_timeout = transport.auth_timeout = timeout
        try:
            known, known_name = self._known_hosts(), self._known_name()
            self._prefer_pinned_key_type(transport, known.lookup(known_name))
            try:
                transport.start_client(timeout=timeout)
                server_key = transport.get_remote_server_key()  # raises if the handshake never completed
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise AgentError(f"{self._where}: SSH handshake failed or timed out after {timeout:g}s ({exc})",
                                 transient=True) from None
            self._verify_host_key(server_key, known, known_name)
            self._authenticate(transport)
        except BaseException:
            transport.close()
            raise
        return transport

    def _known_name(self) -> str:
        port = self.target.port or 22
        return self.target.host if port == 22 else f"[{self.target.host}]:{port}"

    def _known_hosts_path(self) -> str:
        return os.path.expanduser(self.target.creds.known_hosts or "~/.ssh/known_hosts")

    def _known_hosts(self) -> paramiko.HostKeys:
        path = self._known_hosts_path()
        keys = paramiko.HostKeys()
        if os.path.exists(path):
            try:
                keys.load(path)
            except OSError as exc:
                raise AgentError(f"cannot read known_hosts file {path}: {exc.strerror or exc}") from None
        return keys

    @staticmethod
    def _prefer_pinned_key_type(transport: paramiko.Transport, pinned) -> None:
        """Negotiate the host key type we have pinned, so a known host is not reported as unknown."""
        if not pinned:
            return
        options = transport.get_security_options()
        wanted = []
        for key_type in pinned.keys():
            wanted += ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] if key_type == "ssh-rsa" else [key_type]
        wanted = [k for k in wanted if k in options.key_types]
        options.key_types = wanted + [k for k in options.key_types if k not in wanted]

    def _verify_host_key(self, key: paramiko.PKey, known: paramiko.HostKeys, name: str) -> None:
        pinned = known.lookup(name)
        print_ = fingerprint(key)
        if pinned is not None and key.get_name() in pinned:
            if pinned[key.get_name()] == key:
                return
            raise AgentError(
                f"{self._where}: HOST KEY MISMATCH: the server offered {key.get_name()} {print_}, which differs "
                f"from the key pinned in {self._known_hosts_path()}; refusing to connect (possible "
                "man-in-the-middle). Remove the old entry only if the host was really reinstalled."
            )
        if not self.target.creds.accept_new_host_key:
            raise AgentError(
                f"{self._where}: unknown host key {key.get_name()} {print_}; not in "
                f"{self._known_hosts_path()}. Verify this fingerprint with the host's administrator, then add it "
                "to known_hosts (ssh-keyscan) or allow pinning new keys with accept_new_host_key."
            )
        self._pin(key, name)

    def _pin(self, key: paramiko.PKey, name: str) -> None:
        """Trust on first use: append the new host key so later connections (and workers) check it."""
        path = self._known_hosts_path()
        os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="ascii") as handle:
            handle.write(f"{name} {key.get_name()} {key.get_base64()}\n")
        log.warning("%s: pinned new host key %s in %s", self._where, fingerprint(key), path)

    def _authenticate(self, transport: paramiko.Transport) -> None:
        """Offer the configured credentials, each once, in the order ssh(1) would."""
        creds = self.target.creds
        user = self.target.user or getpass.getuser()
        try:
            password = creds.password()
        except TargetError as exc:
            raise AgentError(f"{self._where}: {exc}") from None
        tried = []
        keys: list[paramiko.PKey] = []
        if creds.identity:
            pkey = self._load_identity(creds.identity, password)
            if pkey is not None:
                keys.append(pkey)
                password = None  # it was the key's passphrase, not a login password
        if creds.use_ssh_agent:
            keys += list(paramiko.Agent().get_keys())
        for pkey in keys:
            tried.append("public key")
            try:
                transport.auth_publickey(user, pkey)
                return
            except paramiko.AuthenticationException:
                continue
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise AgentError(f"{self._where}: authentication failed: {exc}", transient=True) from None
        if password is not None:
            tried.append("password")
            try:
                transport.auth_password(user, password, fallback=False)
                return
            except paramiko.BadAuthenticationType:
                pass
            except paramiko.AuthenticationException:
                pass
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise AgentError(f"{self._where}: authentication failed: {exc}", transient=True) from None
        if not tried:
            raise AgentError(f"{self._where}: no SSH credentials: give an identity file, a password "
                             "(--password-env) or allow the ssh-agent")
        raise AgentError(f"{self._where}: authentication as {user} refused (tried {', '.join(tried)} once); "
                         "not retrying so the account is not locked")

    def _load_identity(self, path: str, passphrase: str | None) -> paramiko.PKey | None:
        path = os.path.expanduser(path)
        try:
            return paramiko.PKey.from_path(path)
        except paramiko.PasswordRequiredException:
            if passphrase is None:
                raise AgentError(f"identity file {path} is encrypted: give its passphrase as the password") from None
            try:
                return paramiko.PKey.from_path(path, passphrase)
            except paramiko.SSHException:
                raise AgentError(f"identity file {path}: wrong passphrase") from None
        except (OSError, paramiko.SSHException, ValueError) as exc:
            raise AgentError(f"cannot load identity file {path}: {exc}") from None

    def _sftp_client(self) -> paramiko.SFTPClient:
        transport = self._connected()
        if self._sftp is None:
            try:
                # A wide window keeps a whole read window in flight on high-latency links.
                channel = transport.open_session(window_size=SFTP_WINDOW, timeout=self.options.op_timeout)
                channel.invoke_subsystem("sftp")
                channel.settimeout(self.options.op_timeout)
                self._sftp = paramiko.SFTPClient(channel)
            except TRANSPORT_ERRORS as exc:
                raise AgentError(f"{self._where}: cannot start SFTP: {exc}", transient=True) from None
        return self._sftp

    def _exec(self, command: str) -> paramiko.Channel:
        """Run a read-only command; its stdin is closed at once so nothing waits for input."""
        channel = self._connected().open_session(timeout=self.options.op_timeout)
        channel.settimeout(self.options.op_timeout)
        channel.exec_command(command)
        channel.shutdown_write()
        return channel

    def _run(self, command: str) -> tuple[int, bytes]:
        """Run a short read-only command and return (exit status, stdout)."""
        channel = self._exec(command)
        try:
            out = bytearray()
            while chunk := channel.recv(65536):
                out += chunk
            if not channel.status_event.wait(self.options.op_timeout):
                return -1, bytes(out)
            return channel.recv_exit_status(), bytes(out)
        finally:
            channel.close()

    # -- enumeration ------------------------------------------------------

    def items(self) -> Iterator:
        """Yield items and problems, from one remote ``find`` or, if exec is refused, an SFTP walk."""
        self._connected()
        try:
            records = self._find_records()
            first = next(records, None)
        except (paramiko.ChannelException, paramiko.SSHException) as exc:
            if not self._transport or not self._transport.is_active():
                raise AgentError(f"{self._where}: connection lost: {exc}", transient=True) from None
            log.info("%s: remote commands not allowed (%s); listing with SFTP", self._where, exc)
            first = None
        if first is None:
            yield from self._walk_sftp()
            return
        for record in itertools.chain([first], records):
            entry = self._entry(*record)
            if entry is not None:  # folders themselves are not items
                yield entry

    def _find_records(self) -> Iterator[list[bytes]]:
        """Parse the null-separated ``find`` output into records as it streams in."""
        channel = self._exec(find_command(self.target.path or "/", self.options.follow_symlinks))
        errors = 0
        try:
            pending, fields = b"", []
            while True:
                try:
                    chunk = channel.recv(1 << 16)
                    while channel.recv_stderr_ready():
                        errors += channel.recv_stderr(1 << 16).count(b"\n")
                except socket.timeout:
                    raise AgentError(f"{self._where}: listing timed out (no data for "
                                     f"{self.options.op_timeout:g}s)", transient=True) from None
                except (EOFError, OSError, paramiko.SSHException):  # the server went away mid-listing
                    raise AgentError(f"{self._where}: connection lost during listing", transient=True) from None
                if not chunk:
                    break
                parts = (pending + chunk).split(b"\0")
                pending = parts.pop()
                for part in parts:
                    fields.append(part)
                    if len(fields) == _FIELDS:
                        yield fields
                        fields = []
            if not channel.status_event.wait(self.options.op_timeout) or channel.recv_exit_status() < 0:
                raise AgentError(f"{self._where}: connection lost during listing", transient=True)
            if errors:
                log.warning("%s: find reported %d errors while listing", self._where, errors)
        finally:
            try:
                channel.close()
            except (EOFError, OSError, paramiko.SSHException):
                pass  # closing a channel of a dead connection

    def _entry(self, kind: bytes, size: bytes, mtime: bytes, mode: bytes, owner: bytes, rel: bytes):
        """Turn one ``find`` record into an Item or an EnumerationProblem."""
        type_ = kind.decode("ascii", "replace")
        path = decode_name(rel) if rel else decode_name(os.path.basename(self._root.rstrip(b"/")))
        if type_ == "X":
            return denied(self.target, decode_name(rel))
        if type_ == "d":
            return None
        if type_ != "f":
            return skipped(self.target, path, _SKIPPED_TYPES.get(type_, f"not a regular file ({type_})"))
        return Item(
            uri=item_uri(self.target, path) if rel else self.target.uri,
            path=path,
            size=int(size),
            mtime=float(mtime),
            owner=decode_name(owner),
            mode=int(mode, 8),
            ref=self._join(rel),
        )

    def _join(self, rel: bytes) -> bytes:
        if not rel:
            return self._root
        return self._root.rstrip(b"/") + b"/" + rel

    def _walk_sftp(self) -> Iterator:
        """List the tree with SFTP, one request per folder (for accounts that may not run commands)."""
        sftp = self._sftp_client()
        try:
            top = sftp.stat(self._root)
        except FileNotFoundError:
            raise AgentError(f"{self._where}: {self.target.path} does not exist") from None
        except PermissionError:
            yield denied(self.target, "")
            return
        except TRANSPORT_ERRORS as exc:
            raise AgentError(f"{self._where}: connection lost: {exc}", transient=True) from None
        if not stat.S_ISDIR(top.st_mode or 0):
            yield self._attr_item(b"", top)
            return
        stack, seen = [b""], set()
        while stack:
            rel = stack.pop()
            try:
                if self.options.follow_symlinks:
                    real = sftp.normalize(self._join(rel))
                    if real in seen:
                        yield skipped(self.target, decode_name(rel), "symbolic link loop")
                        continue
                    seen.add(real)
                entries = sftp.listdir_attr(self._join(rel))
            except PermissionError:
                yield denied(self.target, decode_name(rel))
                continue
            except UnicodeDecodeError:
                yield skipped(self.target, decode_name(rel), "folder holds names that are not UTF-8 (SFTP listing)")
                continue
            except TRANSPORT_ERRORS as exc:
                raise AgentError(f"{self._where}: connection lost: {exc}", transient=True) from None
            for attr in sorted(entries, key=lambda a: a.filename, reverse=True):
                child = (rel + b"/" if rel else b"") + encode_name(attr.filename)
                if self.options.follow_symlinks and stat.S_ISLNK(attr.st_mode or 0):
                    try:
                        attr = sftp.stat(self._join(child))
                    except OSError:
                        yield skipped(self.target, decode_name(child), "broken symbolic link")
                        continue
                mode = attr.st_mode or 0
                if stat.S_ISDIR(mode):
                    stack.append(child)
                elif stat.S_ISREG(mode):
                    yield self._attr_item(child, attr)
                else:
                    yield skipped(self.target, decode_name(child), _skip_reason(mode))

    def _attr_item(self, rel: bytes, attr: paramiko.SFTPAttributes) -> Item:
        path = decode_name(rel) if rel else decode_name(os.path.basename(self._root.rstrip(b"/")))
        owner = str(attr.st_uid) if attr.st_uid is not None else None
        if attr.longname:  # "-rw-r--r-- 1 alice staff ..." names the owner without another round trip
            parts = attr.longname.split(None, 4)
            owner = parts[2] if len(parts) > 3 else owner
        return Item(
            uri=item_uri(self.target, path) if rel else self.target.uri,
            path=path,
            size=attr.st_size,
            mtime=float(attr.st_mtime) if attr.st_mtime is not None else None,
            owner=owner,
            mode=stat.S_IMODE(attr.st_mode) if attr.st_mode is not None else None,
            ref=self._join(rel),
        )

    # -- reading ----------------------------------------------------------

    def open(self, item: Item):
        """Open a file read-only as a buffered stream; reconnect once if the session dropped."""
        try:
            return self._open(item)
        except TRANSPORT_ERRORS:
            log.info("%s: session lost; reconnecting once", self._where)
            self.close()
            try:
                return self._open(item)
            except TRANSPORT_ERRORS as exc:
                raise AgentError(f"{self._where}: cannot open file: {exc}", transient=True) from None

    def _open(self, item: Item):
        sftp = self._sftp_client()
        handle = sftp.open(item.ref, "rb")  # PermissionError / FileNotFoundError reach the engine as-is
        try:
            size = handle.stat().st_size
        except BaseException:
            handle.close()
            raise
        _guard_prefetch(handle)
        return buffered(RawReader(self._window_reader(handle, size), handle.close, size))

    def _window_reader(self, handle: paramiko.SFTPFile, size: int | None) -> Callable[[int, int], bytes]:
        """A ``read_at`` that fetches one pipelined window per call, bounded in memory."""

        def read_at(offset: int, n: int) -> bytes:
            if size is not None:
                n = min(n, size - offset)
            if n <= 0:
                return b""
            n = min(n, READ_WINDOW)
            try:
                if n <= SMALL_READ:  # seeks of zip/docx readers: a plain read, no readv prefetch thread
                    handle.seek(offset)
                    return handle.read(n)
                return b"".join(handle.readv([(offset, n)]))
            except TRANSPORT_ERRORS as exc:
                raise AgentError(f"{self._where}: read failed, connection lost or timed out ({exc})",
                                 transient=True) from None

        return read_at

    # -- facts ------------------------------------------------------------

    def facts(self) -> dict:
        """Hostname, kernel and distribution of the host, from read-only commands."""
        transport = self._connected()
        facts = {
            "ssh_server": transport.remote_version,
            "host_key": fingerprint(transport.get_remote_server_key()),
        }
        try:
            _, out = self._run("uname -n; uname -sr; cat /etc/os-release 2>/dev/null")
        except (paramiko.SSHException, socket.timeout) as exc:
            log.info("%s: cannot run commands for host facts (%s)", self._where, exc)
            return facts
        lines = out.decode("utf-8", "replace").splitlines()
        if len(lines) >= 2:
            facts["hostname"], facts["os"] = lines[0].strip(), lines[1].strip()
        for line in lines[2:]:
            if line.startswith("PRETTY_NAME="):
                facts["os_release"] = line.split("=", 1)[1].strip().strip('"')
        return facts

    def close(self) -> None:
        """Close SFTP and the SSH connection; safe to call twice."""
        sftp, transport = self._sftp, self._transport
        self._sftp = self._transport = None
        if sftp is not None:
            try:
                sftp.close()
            except Exception:  # a dead session cannot be closed politely; the transport close below suffices
                pass
        if transport is not None:
            transport.close()


def _guard_prefetch(handle: paramiko.SFTPFile) -> None:
    """Keep paramiko's readv thread from dying with a traceback when the connection drops.

    readv sends its read requests from a thread of its own, which has no way to report a
    failure: a server that dies mid-read made it print an EOFError traceback to stderr.
    The reader waiting for those reads gets the same failure and turns it into the item's
    error row, so the thread only has to stop quietly.
    """
    send_requests = handle._prefetch_thread  # paramiko's thread target, looked up per file

    def quietly(*args, **kwargs):
        try:
            send_requests(*args, **kwargs)
        except TRANSPORT_ERRORS + (OSError,) as exc:
            log.debug("read-ahead stopped: %s", type(exc).__name__)

    handle._prefetch_thread = quietly


def _skip_reason(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return _SKIPPED_TYPES["l"]
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "not a regular file"
