"""Fixtures: the two-scan estate of tests/reports/fixtures.py, written once per module."""

import pytest

from tests.reports.fixtures import write_estate


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    """(scan A folder, scan B folder, the inventory folder holding both)."""
    root = tmp_path_factory.mktemp("inventory")
    return write_estate(str(root), "a"), write_estate(str(root), "b"), str(root)
