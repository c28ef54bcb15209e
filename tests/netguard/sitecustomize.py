"""Loaded by every Python process of a guarded test run (PYTHONPATH): records and refuses
any network connection or DNS lookup to a non-loopback address."""

import ipaddress
import os
import sys

_LOG = os.environ.get("PIISWEEP_NETGUARD_LOG")


def _loopback(host) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _hook(event, args):
    host = None
    if event == "socket.connect" and isinstance(args[1], tuple):
        host = args[1][0]
    elif event == "socket.getaddrinfo":
        host = args[0]
        host = host.decode() if isinstance(host, bytes) else host
    else:
        return
    if not _loopback(host):
        with open(_LOG, "a") as fh:
            fh.write(f"{os.getpid()} {event} {host}\n")
        raise OSError(f"netguard: connection to {host} refused in tests")


if _LOG:
    sys.addaudithook(_hook)
