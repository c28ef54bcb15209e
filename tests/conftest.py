"""Fixtures shared across test packages: the real servers and the CLI runner."""

from __future__ import annotations

import pytest

from tests.agents.conftest import remote_tree, served_parent, smbd_server, sshd_server  # noqa: F401
from tests.servers.databases import maria_db, pg_db  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def fork_server_as_the_cli_starts_it():
    """One fork server serves every scan of the test process, started as ``piisweep scan``
    starts it by default (preloading NER too): else the first test to scan would fix its
    preload for all, and NER workers of later tests would start seconds slower than in use."""
    from scanner.fork import start_server

    start_server(ner=True)
