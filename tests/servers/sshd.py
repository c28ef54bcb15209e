"""Start a real OpenSSH server on 127.0.0.1 for tests.

It uses freshly generated host keys and its own config in a temporary folder,
authenticates the unprivileged test user by password or by a generated key,
and logs at VERBOSE so tests can count authentication attempts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field, replace

from contract.targets import CredentialRef, Target, parse_target

from tests.servers import (TEST_PASSWORD, TEST_USER, ServerProcess, ensure_test_user, free_port, make_served_dir,
                           wait_for_port)

SSHD = "/usr/sbin/sshd"
PASSWORD_ENV = "PIISWEEP_TEST_SSH_PASSWORD"


@dataclass
class SshdServer(ServerProcess):
    """A running sshd and everything a client needs to reach it."""

    host: str
    port: int
    user: str
    password: str
    identity: str        # private key file of the test user
    known_hosts: str     # a known_hosts file that pins this server's host keys
    host_key_pub: str    # the ed25519 host public key line
    log_path: str
    workdir: str
    proc: subprocess.Popen = field(repr=False)

    def target(self, root: str, auth: str = "key", known_hosts: str | None = None,
               accept_new_host_key: bool = False) -> Target:
        """An ``ssh://`` target for ``root`` on this server, authenticating by ``key`` or ``password``."""
        creds = CredentialRef(known_hosts=known_hosts or self.known_hosts, accept_new_host_key=accept_new_host_key)
        if auth == "password":
            os.environ[PASSWORD_ENV] = self.password
            creds = replace(creds, password_env=PASSWORD_ENV)
        else:
            creds = replace(creds, identity=self.identity)
        return parse_target(f"ssh://{self.user}@{self.host}:{self.port}{root}", creds)

    def restart(self) -> None:
        """Start a killed server again on the same port with the same keys (a host back after an outage)."""
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", os.path.join(self.workdir, "sshd_config")],
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port, self.proc)


def _keygen(path: str, kind: str) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-f", path], check=True)


def start_sshd(extra_config: str = "") -> SshdServer:
    """Start sshd on a free loopback port; ``extra_config`` is appended to sshd_config."""
    ensure_test_user()
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation dir sshd insists on
    workdir = make_served_dir("piisweep-sshd-")
    host_key = os.path.join(workdir, "host_ed25519")
    _keygen(host_key, "ed25519")
    identity = os.path.join(workdir, "client_ed25519")
    _keygen(identity, "ed25519")
    authorized = os.path.join(workdir, "authorized_keys")
    shutil.copy(identity + ".pub", authorized)
    os.chmod(authorized, 0o644)
    port = free_port()
    with open(host_key + ".pub", encoding="ascii") as handle:
        host_key_pub = handle.read().strip()
    known_hosts = os.path.join(workdir, "known_hosts")
    with open(known_hosts, "w", encoding="ascii") as handle:
        key_type, key_b64 = host_key_pub.split()[:2]
        handle.write(f"[127.0.0.1]:{port} {key_type} {key_b64}\n")
    config = os.path.join(workdir, "sshd_config")
    with open(config, "w", encoding="ascii") as handle:
        handle.write(
            f"ListenAddress 127.0.0.1:{port}\n"
            f"HostKey {host_key}\n"
            f"PidFile {workdir}/sshd.pid\n"
            f"AuthorizedKeysFile {authorized}\n"
            "UsePAM no\n"
            "PasswordAuthentication yes\n"
            "KbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\n"
            "PermitRootLogin no\n"
            f"AllowUsers {TEST_USER}\n"
            "StrictModes no\n"
            "LogLevel VERBOSE\n"
            "MaxAuthTries 6\n"
            "Subsystem sftp internal-sftp\n"
            + extra_config
        )
    log_path = os.path.join(workdir, "sshd.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([SSHD, "-D", "-e", "-f", config], stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = SshdServer("127.0.0.1", port, TEST_USER, TEST_PASSWORD, identity, known_hosts,
                        host_key_pub, log_path, workdir, proc)
    try:
        wait_for_port(port, proc)
    except Exception:
        server.stop()
        raise
    return server
