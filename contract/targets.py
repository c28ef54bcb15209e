"""Target parsing: what the user names on the command line or in an estate file.

A target is a local path, ``ssh://user@host[:port]/path``,
``smb://[domain;]user@host[:port]/share/path``, ``postgresql://user@host[:port]/db``,
``mysql://`` / ``mariadb://`` (same shape) or ``sqlite:///path``. Credentials
never travel inside the URL: a password in it is refused, and secrets are named
by reference (environment variable, key file, keyring entry) in
:class:`CredentialRef`, resolved only where a connection is made.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

LOCAL, SSH, SMB, SQL = "local", "ssh", "smb", "sql"
SQL_SCHEMES = {"postgresql", "postgres", "mysql", "mariadb", "sqlite"}


class TargetError(ValueError):
    """A target the user wrote cannot be used as written."""


@dataclass(frozen=True)
class CredentialRef:
    """Where a target's secrets are, never the secrets themselves.

    ``password_env`` names an environment variable; ``keyring`` names a
    ``service:username`` entry of the OS keyring; ``identity`` is an SSH
    private key file. ``known_hosts`` and ``accept_new_host_key`` govern SSH
    host key checking.
    """

    password_env: str | None = None
    keyring: str | None = None
    identity: str | None = None
    known_hosts: str | None = None
    accept_new_host_key: bool = False
    use_ssh_agent: bool = False

    def password(self) -> str | None:
        """Resolve the password; raise if a named source is empty."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise TargetError(f"environment variable {self.password_env} is not set")
            return value
        if self.keyring:
            service, _, username = self.keyring.partition(":")
            try:
                import keyring  # optional: only when an estate asks for it
            except ImportError as exc:
                raise TargetError("keyring credentials need: pip install 'piisweep[keyring]'") from exc
            value = keyring.get_password(service, username)
            if value is None:
                raise TargetError(f"no keyring entry {self.keyring}")
            return value
        return None


@dataclass(frozen=True)
class Target:
    """One place to scan, parsed and validated, safe to print and to pickle."""

    kind: str
    scheme: str
    path: str  # local root, remote root, SMB path inside the share, database name/file
    host: str | None = None
    port: int | None = None
    user: str | None = None
    domain: str | None = None
    share: str | None = None
    creds: CredentialRef = field(default_factory=CredentialRef)

    @property
    def uri(self) -> str:
        """The target as a URI without any secret, used as prefix of item URIs."""
        if self.kind == LOCAL:
            return "file://" + self.path
        if self.scheme == "sqlite":
            return "sqlite:///" + self.path  # SQLAlchemy form: four slashes for an absolute path
        auth = ""
        if self.user:
            auth = (f"{self.domain};" if self.domain else "") + self.user + "@"
        hostport = f"[{self.host}]" if self.host and ":" in self.host else (self.host or "")
        if self.port:
            hostport += f":{self.port}"
        if self.kind == SMB:
            tail = "/" + (self.share or "") + ("/" + self.path.strip("/") if self.path.strip("/") else "")
        else:
            tail = "/" + self.path.lstrip("/") if self.path else ""
        return f"{self.scheme}://{auth}{hostport}{tail}"

    def with_creds(self, creds: CredentialRef) -> "Target":
        """The same target with credential references attached."""
        return replace(self, creds=creds)


def parse_target(text: str, creds: CredentialRef | None = None) -> Target:
    """Parse one target string; raise :class:`TargetError` with a helpful message."""
    creds = creds or CredentialRef()
    if "://" not in text:
        if not text:
            raise TargetError("empty target")
        return Target(kind=LOCAL, scheme="file", path=os.path.abspath(text), creds=creds)
    scheme = text.split("://", 1)[0].lower()
    if scheme == "file":
        return Target(kind=LOCAL, scheme="file", path=os.path.abspath(unquote(text[7:]) or "/"), creds=creds)
    if scheme == "sqlite":
        path = unquote(text[len("sqlite://"):])
        if not path.startswith("/"):
            raise TargetError("sqlite targets are sqlite:///relative/path or sqlite:////absolute/path")
        return Target(kind=SQL, scheme="sqlite", path=os.path.abspath(path[1:]), creds=creds)
    parts = urlsplit(text)
    if parts.password is not None:
        raise TargetError(
            "a password must not be written in the target URL; put it in an environment "
            "variable and pass --password-env VARNAME (or password_env in the estate file)"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise TargetError(f"bad port in {scheme} target") from exc
    host = parts.hostname
    if not host:
        raise TargetError(f"{scheme} target needs a host: {scheme}://user@host/…")
    user = unquote(parts.username) if parts.username else None
    path = unquote(parts.path)
    if scheme == "ssh":
        return Target(kind=SSH, scheme="ssh", path=path or "/", host=host, port=port or 22, user=user, creds=creds)
    if scheme == "smb":
        domain = None
        if user and ";" in user:
            domain, user = user.split(";", 1)
        segments = [s for s in path.split("/") if s]
        if not segments:
            raise TargetError("smb target needs a share: smb://user@host/share[/path]")
        return Target(kind=SMB, scheme="smb", path="/".join(segments[1:]), host=host, port=port or 445,
                      user=user, domain=domain, share=segments[0], creds=creds)
    if scheme in SQL_SCHEMES:
        canonical = "postgresql" if scheme == "postgres" else scheme
        return Target(kind=SQL, scheme=canonical, path=path.strip("/"), host=host, port=port, user=user, creds=creds)
    raise TargetError(f"unknown target scheme {scheme!r}: use a path, ssh://, smb://, postgresql://, mysql://, sqlite:///")
