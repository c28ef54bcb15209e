"""Fixtures for remote agent tests: real sshd and smbd on loopback, and the trees they serve.

The servers are session-scoped (each starts in well under a second, but once is
enough); tests that kill a server start their own with :func:`start_sshd` /
:func:`start_smbd`. To reuse these fixtures elsewhere (the end-to-end CLI
test), import them into that conftest: ``from tests.agents.conftest import
served_parent, remote_tree, fixture_tree, sshd_server, smbd_server``.
"""

from __future__ import annotations

import itertools
import shutil
import socket
import threading

import pytest

from tests.servers import make_served_dir
from tests.servers.smbd import start_smbd
from tests.servers.sshd import start_sshd
from tests.servers.tree import make_fixture_tree


@pytest.fixture(scope="session")
def served_parent():
    """A world-traversable folder that smbd shares as ``data``; fixture trees are created inside."""
    path = make_served_dir("piisweep-share-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def remote_tree(served_parent) -> str:
    """The standard fixture tree (share path ``data/tree``)."""
    return make_fixture_tree(served_parent, "tree")


@pytest.fixture(scope="session")
def fixture_tree(served_parent):
    """Factory: ``fixture_tree()`` makes a fresh tree in the served folder and returns its root."""
    counter = itertools.count(1)

    def make() -> str:
        return make_fixture_tree(served_parent, f"tree-{next(counter)}")

    return make


@pytest.fixture(scope="session")
def sshd_server():
    """A running sshd for the test user; see :class:`tests.servers.sshd.SshdServer`."""
    server = start_sshd()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smbd_server(served_parent):
    """A running smbd sharing ``served_parent`` as ``data``; see :class:`tests.servers.smbd.SmbdServer`."""
    server = start_smbd(served_parent)
    yield server
    server.stop()


@pytest.fixture
def silent_listener():
    """A TCP port that accepts connections but never sends a byte (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for conn in accepted:
        conn.close()
    sock.close()


@pytest.fixture
def private_parent():
    """A served-style folder for tests that start (and kill) their own server."""
    path = make_served_dir("piisweep-own-")
    yield path
    shutil.rmtree(path, ignore_errors=True)

