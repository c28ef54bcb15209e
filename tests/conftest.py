"""Fixtures shared across test packages: the real servers and the CLI runner."""

from __future__ import annotations

from tests.agents.conftest import remote_tree, served_parent, smbd_server, sshd_server  # noqa: F401
from tests.servers.databases import maria_db, pg_db  # noqa: F401
