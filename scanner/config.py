"""The estate file: every client of an MSP, its targets and credentials by reference.

```toml
key_file = "/etc/piisweep/estate.key"      # optional: the estate's hashing key

[[client]]
name = "acme"
include = ["*.docx", "*.xlsx"]             # optional globs
exclude = ["node_modules", "*.iso"]
max_file_size = "200MB"

  [[client.target]]
  url = "ssh://scanner@127.0.0.1:22022/srv/data"
  identity = "keys/acme_ed25519"           # paths are relative to the estate file
  known_hosts = "keys/known_hosts"

  [[client.target]]
  url = "smb://ACME;scanner@127.0.0.1:14450/share"
  password_env = "ACME_SMB_PASSWORD"       # or: keyring = "piisweep:acme-smb"

  [client.policy]                          # optional: the client's privacy promises
  never_stored = ["CREDIT_CARD"]           # (scanner.policy_config has the whole table)
```

``keep = N`` (estate level, or per client) is how many complete audits of a client
``piisweep audit`` keeps; older inventories are deleted.

``executor = "tcp://HOST:PORT"`` or ``"tls://HOST:PORT"`` (estate level, with ``tls_ca_file``,
``tls_cert``, ``tls_key`` for tls:// and ``max_connections_per_host``, default 4) runs every
client's scan on a Dask cluster (docs/dask.md); ``--executor`` on the command line wins.

A password never belongs in the file: ``password`` keys and ``user:pass@`` URLs
are refused. Every mistake is reported, each with its line, in one go.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass

from contract.policy import Policy
from contract.targets import CredentialRef, Target, TargetError, parse_target
from scanner.cluster.options import DEFAULT_MAX_CONNECTIONS_PER_HOST, ClusterError, ClusterOptions, parse_executor
from scanner.policy_config import parse_policy
from scanner.sizes import parse_size

# Complete audits of a client that ``piisweep audit`` keeps when the estate file does not say.
DEFAULT_KEEP = 12


class EstateError(ValueError):
    """The estate file has mistakes; the message lists them all with line numbers."""


@dataclass
class ClientEntry:
    """One client of the estate, ready to scan."""

    name: str
    targets: list[Target]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int | None = None
    key_file: str | None = None
    policy: Policy | None = None
    keep: int = DEFAULT_KEEP
    cluster: ClusterOptions | None = None  # the estate's Dask scheduler, or the local pool


_CLUSTER_KEYS = {"executor", "tls_ca_file", "tls_cert", "tls_key", "max_connections_per_host"}
_ESTATE_KEYS = {"key_file", "keep", "client"} | _CLUSTER_KEYS
_CLIENT_KEYS = {"name", "include", "exclude", "max_file_size", "target", "policy", "keep"}
_TARGET_KEYS = {"url", "identity", "known_hosts", "password_env", "keyring", "accept_new_host_key",
                "use_ssh_agent"}
_SECRET_KEYS = re.compile(r"pass(word|wd)?$|secret|token|api_?key", re.I)


class _Lines:
    """Finds the line of a key or value in the source, for messages."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def of(self, needle: str, after: int = 0) -> int:
        pattern = re.compile(r"^\s*" + re.escape(needle) + r"\s*=|" + re.escape(needle))
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.search(line):
                return number
        return after + 1 if after else 1

    def client_start(self, index: int) -> int:
        seen = -1
        for number, line in enumerate(self.lines):
            if line.strip() == "[[client]]":
                seen += 1
                if seen == index:
                    return number
        return 0

    def table_start(self, client_start: int, header: str, index: int = 0) -> int:
        """The 0-based line of a client's index-th ``header`` (``[[client.target]]``,
        ``[client.policy]``...), so that each table's keys get their own lines."""
        seen = -1
        for number in range(client_start + 1, len(self.lines)):
            line = self.lines[number].split("#", 1)[0].strip()
            if line == "[[client]]":
                break  # tables written inline: the client's line is the best we have
            if line == header:
                seen += 1
                if seen == index:
                    return number
        return client_start

    def policy_line(self, client_start: int):
        """``line_of(key, table, index)`` for scanner.policy_config: the line of ``key`` in the
        client's ``[client.policy]`` (table "") or its index-th ``[[client.policy.<table>]]``."""
        def line_of(key: str, table: str, index: int) -> int:
            header = f"[[client.policy.{table}]]" if table else "[client.policy]"
            return self.of(key, self.table_start(client_start, header, index))
        return line_of


def load_estate(path: str, only: str | None = None) -> list[ClientEntry]:
    """Parse and validate an estate file; raise EstateError listing every mistake."""
    with open(path, "rb") as fh:
        raw = fh.read()
    text = raw.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EstateError(f"{path}: {exc}") from None
    lines = _Lines(text)
    base = os.path.dirname(os.path.abspath(path))
    errors: list[str] = []
    clients: list[ClientEntry] = []
    for key in data:
        if key not in _ESTATE_KEYS:
            errors.append(f"line {lines.of(key)}: unknown setting {key!r}")
    key_file = _path(base, data.get("key_file"))
    keep = _keep(data.get("keep", DEFAULT_KEEP), lines.of("keep"), errors)
    cluster = _cluster(data, base, lines, errors)
    names = set()
    for index, client in enumerate(data.get("client", [])):
        start = lines.client_start(index)
        name = client.get("name")
        if not isinstance(name, str) or not name:
            errors.append(f"line {start + 1}: client without a name")
            name = f"client-{index + 1}"
        elif name in names:
            errors.append(f"line {lines.of('name', start)}: client {name!r} appears twice")
        names.add(name)
        for key in client:
            if key not in _CLIENT_KEYS:
                hint = " (passwords are given by reference: password_env or keyring)" if _SECRET_KEYS.search(key) else ""
                errors.append(f"line {lines.of(key, start)}: unknown setting {key!r} in client {name!r}{hint}")
        size = None
        if "max_file_size" in client:
            try:
                size = parse_size(client["max_file_size"])
            except ValueError as exc:
                errors.append(f"line {lines.of('max_file_size', start)}: {exc}")
        globs = {}
        for key in ("include", "exclude"):
            value = client.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(f"line {lines.of(key, start)}: {key} must be a list of glob strings")
                value = []
            globs[key] = tuple(value)
        targets = []
        if not client.get("target"):
            errors.append(f"line {start + 1}: client {name!r} has no [[client.target]]")
        for position, spec in enumerate(client.get("target", [])):
            target, problems = _target(spec, base, lines, lines.table_start(start, "[[client.target]]", position))
            errors.extend(problems)
            if target:
                targets.append(target)
        policy, problems = parse_policy(client.get("policy"), name, lines.policy_line(start))
        errors.extend(problems)
        client_keep = _keep(client["keep"], lines.of("keep", start), errors) if "keep" in client else keep
        clients.append(ClientEntry(name, targets, globs["include"], globs["exclude"], size, key_file, policy,
                                   client_keep, cluster))
    if not data.get("client"):
        errors.append("line 1: no [[client]] in the estate file")
    if only is not None and only not in names:
        errors.append(f"no client named {only!r} (clients: {', '.join(sorted(names)) or 'none'})")
    if errors:
        errors.sort(key=_line_number)  # stable: mistakes on one line keep the order they were found in
        raise EstateError(f"{path}: {len(errors)} mistake(s):\n  " + "\n  ".join(errors))
    return [c for c in clients if only is None or c.name == only]


def _line_number(message: str) -> int:
    """The line a mistake is on, for reading them in file order (those without one go last)."""
    match = re.match(r"line (\d+):", message)
    return int(match.group(1)) if match else 1 << 30


def _cluster(data: dict, base: str, lines: _Lines, errors: list[str]) -> ClusterOptions | None:
    """The estate's ``executor`` and its TLS files (relative to the estate file)."""
    executor = data.get("executor")
    limit = data.get("max_connections_per_host", DEFAULT_MAX_CONNECTIONS_PER_HOST)
    if isinstance(limit, bool) or not isinstance(limit, int):
        errors.append(f"line {lines.of('max_connections_per_host')}: max_connections_per_host must be a whole number")
        return None
    if executor is not None and not isinstance(executor, str):
        errors.append(f"line {lines.of('executor')}: executor must be a string such as \"tls://HOST:8786\"")
        return None
    try:
        return parse_executor(executor, _path(base, data.get("tls_ca_file")), _path(base, data.get("tls_cert")),
                              _path(base, data.get("tls_key")), limit)
    except ClusterError as exc:
        errors.append(f"line {lines.of('executor') if executor else 1}: {exc}")
        return None


def _keep(value, line: int, errors: list[str]) -> int:
    """``keep``: how many complete audits to keep, a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors.append(f"line {line}: keep must be a whole number of audits, at least 1 (got {value!r})")
        return DEFAULT_KEEP
    return value


def _target(spec: dict, base: str, lines: _Lines, start: int) -> tuple[Target | None, list[str]]:
    errors = []
    url = spec.get("url")
    where = lines.of(url, start) if isinstance(url, str) else start + 1
    for key in spec:
        if key not in _TARGET_KEYS:
            if _SECRET_KEYS.search(key):
                errors.append(f"line {lines.of(key, start)}: a password must not be written in the estate "
                              "file; use password_env = \"VARNAME\" or keyring = \"service:user\"")
            else:
                errors.append(f"line {lines.of(key, start)}: unknown target setting {key!r}")
    if not isinstance(url, str):
        return None, errors + [f"line {where}: target without url"]
    creds = CredentialRef(
        password_env=spec.get("password_env"), keyring=spec.get("keyring"),
        identity=_path(base, spec.get("identity")), known_hosts=_path(base, spec.get("known_hosts")),
        accept_new_host_key=bool(spec.get("accept_new_host_key", False)),
        use_ssh_agent=bool(spec.get("use_ssh_agent", False)))
    if creds.identity and not os.path.exists(creds.identity):
        errors.append(f"line {lines.of('identity', start)}: identity file not found: {creds.identity}")
    try:
        if "://" not in url:
            url = _path(base, url)
        elif url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            # like every other path in the file: relative to the estate file, not to cron's cwd
            url = "sqlite:///" + _path(base, url[len("sqlite:///"):])
        return parse_target(url, creds), errors
    except TargetError as exc:
        return None, errors + [f"line {where}: {exc}"]


def _path(base: str, value: str | None) -> str | None:
    if not value:
        return None
    value = os.path.expanduser(value)
    return value if os.path.isabs(value) else os.path.join(base, value)
