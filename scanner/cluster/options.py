"""What the user chose for a cluster scan: the scheduler, its TLS files, per-host limits.

A light module without Dask: the plan and the command line name a cluster without
importing ``distributed`` (only a cluster scan needs it installed).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

# How many batches may read one remote host (ssh, smb, sql) at once, whatever the
# number of workers: fifty workers must not open fifty sessions on one NAS or database.
DEFAULT_MAX_CONNECTIONS_PER_HOST = 4
# Seconds to reach the scheduler before giving up: an unreachable one is an error at start.
CONNECT_TIMEOUT = 5.0
SCHEMES = ("tcp", "tls")


class ClusterError(Exception):
    """The cluster cannot run this scan (unreachable, mismatched, unsafe); the message says
    what is wrong and what to do, and never carries a secret or a scanned value."""


@dataclass(frozen=True)
class ClusterOptions:
    """A Dask scheduler to run the scan on, recorded in the plan so a resume uses it too."""

    address: str
    tls_ca_file: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    max_connections_per_host: int = DEFAULT_MAX_CONNECTIONS_PER_HOST
    connect_timeout: float = CONNECT_TIMEOUT

    @property
    def tls(self) -> bool:
        """Whether the connection to the scheduler and workers is encrypted."""
        return self.address.startswith("tls://")

    def security(self):
        """The ``distributed.security.Security`` of this address (``None`` for tcp://)."""
        if not self.tls:
            return None
        from distributed.security import Security

        return Security(tls_ca_file=self.tls_ca_file, tls_client_cert=self.tls_cert,
                        tls_client_key=self.tls_key, require_encryption=True)


def parse_executor(text: str | None, tls_ca_file: str | None = None, tls_cert: str | None = None,
                   tls_key: str | None = None,
                   max_connections_per_host: int = DEFAULT_MAX_CONNECTIONS_PER_HOST) -> ClusterOptions | None:
    """``--executor`` / ``executor =`` as options: ``None`` or "local" is the local process
    pool; ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` a Dask scheduler. Raises ClusterError
    on anything else, or on TLS files without tls://."""
    if text is None or text == "local":
        if tls_ca_file or tls_cert or tls_key:
            raise ClusterError("--tls-ca-file, --tls-cert and --tls-key need --executor tls://HOST:PORT")
        return None
    parts = urlsplit(text)
    if parts.scheme not in SCHEMES or not parts.hostname or parts.port is None or parts.path not in ("", "/"):
        raise ClusterError(f"executor {text!r}: expected local, tcp://HOST:PORT or tls://HOST:PORT")
    if parts.scheme == "tls" and not (tls_ca_file and tls_cert and tls_key):
        raise ClusterError(f"executor {text}: tls:// needs --tls-ca-file, --tls-cert and --tls-key "
                           "(tls_ca_file, tls_cert, tls_key in the estate file)")
    if parts.scheme == "tcp" and (tls_ca_file or tls_cert or tls_key):
        raise ClusterError(f"executor {text}: TLS files were given but the address is tcp://; use tls://")
    if max_connections_per_host < 1:
        raise ClusterError("max_connections_per_host must be at least 1")
    return ClusterOptions(f"{parts.scheme}://{parts.netloc}", tls_ca_file, tls_cert, tls_key,
                          max_connections_per_host)


def is_loopback(address: str) -> bool:
    """Whether a scheduler address names this machine's loopback interface (every address
    its name resolves to is loopback): only then may secrets cross tcp:// in clear."""
    host = urlsplit(address).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)
