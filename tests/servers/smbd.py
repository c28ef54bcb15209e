"""Start a real Samba server on 127.0.0.1 for tests.

Every state folder (private, lock, state, cache, pid) lives in a temporary
folder so that the test server never touches the system's Samba, and the test
user is added to a private passdb. One read-only share ``[data]`` serves the
folder given by the caller.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from contract.targets import CredentialRef, Target, parse_target

from tests.servers import (TEST_PASSWORD, TEST_USER, ServerProcess, ensure_test_user, free_port, make_served_dir,
                           wait_for_port)

SMBD = "/usr/sbin/smbd"
SHARE = "data"
PASSWORD_ENV = "PIISWEEP_TEST_SMB_PASSWORD"


@dataclass
class SmbdServer(ServerProcess):
    """A running smbd and everything a client needs to reach it."""

    host: str
    port: int
    user: str
    password: str
    share: str
    root: str          # the local folder the share serves
    log_path: str
    workdir: str
    proc: subprocess.Popen = field(repr=False)

    def target(self, rel: str = "", password_env: str = PASSWORD_ENV) -> Target:
        """An ``smb://`` target for folder ``rel`` of the share (the password comes from ``password_env``)."""
        if password_env == PASSWORD_ENV:
            os.environ[PASSWORD_ENV] = self.password
        tail = "/" + rel.strip("/") if rel.strip("/") else ""
        return parse_target(f"smb://{self.user}@{self.host}:{self.port}/{self.share}{tail}",
                            CredentialRef(password_env=password_env))



def start_smbd(root: str, log_level: int = 2) -> SmbdServer:
    """Start smbd on a free loopback port serving ``root`` read-only as share ``data``."""
    ensure_test_user()
    workdir = make_served_dir("piisweep-smbd-")
    port = free_port()
    dirs = {name: os.path.join(workdir, name) for name in ("private", "lock", "state", "cache", "pid", "ncalrpc")}
    for path in dirs.values():
        os.makedirs(path, exist_ok=True)
    config = os.path.join(workdir, "smb.conf")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(
            "[global]\n"
            "server role = standalone server\n"
            f"smb ports = {port}\n"
            "interfaces = 127.0.0.1\n"
            "bind interfaces only = yes\n"
            f"private dir = {dirs['private']}\n"
            f"lock directory = {dirs['lock']}\n"
            f"state directory = {dirs['state']}\n"
            f"cache directory = {dirs['cache']}\n"
            f"pid directory = {dirs['pid']}\n"
            f"ncalrpc dir = {dirs['ncalrpc']}\n"
            f"passdb backend = tdbsam:{workdir}/passdb.tdb\n"
            "server min protocol = SMB2\n"
            "smb encrypt = desired\n"
            "disable netbios = yes\n"
            "load printers = no\n"
            "printing = bsd\n"
            "printcap name = /dev/null\n"
            "disable spoolss = yes\n"
            "unix charset = UTF-8\n"
            f"log level = {log_level} auth:3\n"
            f"log file = {workdir}/log.%m\n"
            "\n"
            f"[{SHARE}]\n"
            f"path = {root}\n"
            "read only = yes\n"
            "browseable = yes\n"
        )
    subprocess.run(["smbpasswd", "-c", config, "-a", "-s", TEST_USER], input=f"{TEST_PASSWORD}\n{TEST_PASSWORD}\n",
                   text=True, check=True, capture_output=True)
    log_path = os.path.join(workdir, "smbd.log")
    with open(log_path, "wb") as log:
        # smbd --foreground exits when a piped stdin reaches EOF (as under CI or a heredoc):
        # give it a pipe of its own that stays open until stop()
        proc = subprocess.Popen([SMBD, "--foreground", "--no-process-group", "--debug-stdout", "-s", config],
                                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = SmbdServer("127.0.0.1", port, TEST_USER, TEST_PASSWORD, SHARE, root, log_path, workdir, proc)
    try:
        wait_for_port(port, proc)
    except Exception:
        server.stop()
        raise
    return server
