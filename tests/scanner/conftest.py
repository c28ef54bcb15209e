"""Fixtures for the scanner core tests: a fixed estate key and inline scans of small trees."""

from __future__ import annotations

import os

import pytest

TEST_KEY = "scanner-tests-key-0123456789"


@pytest.fixture
def estate_key(monkeypatch) -> bytes:
    """The estate key engine tests hash with (PIISWEEP_KEY), so hashes can be recomputed."""
    monkeypatch.setenv("PIISWEEP_KEY", TEST_KEY)
    monkeypatch.delenv("PIISWEEP_KEY_FILE", raising=False)
    return TEST_KEY.encode()


def write_tree(root, files: dict[str, str | bytes]) -> None:
    """Create ``files`` (relative path -> content) under ``root``."""
    for rel, content in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(content.encode() if isinstance(content, str) else content)
