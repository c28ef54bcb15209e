"""Hostile-estate tests: each builds its hostile input itself and scans it for real."""

from __future__ import annotations

import pytest

from tests.scanner.conftest import estate_key  # noqa: F401  (a fixed key for inline scans)


@pytest.fixture
def race(monkeypatch):
    """Install ``agents.local.race_window`` for one test: ``race(moment, action)`` runs
    ``action(item)`` once, at that moment of the first item it applies to."""
    import agents.local

    def install(moment: str, action, path: str | None = None):
        done = []

        def window(at, item):
            if at == moment and not done and (path is None or item.path == path):
                done.append(item.path)
                action(item)

        monkeypatch.setattr(agents.local, "race_window", window)
        return done

    return install
