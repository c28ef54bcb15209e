"""Fixtures: the two-scan estate of tests/reports/fixtures.py, the folder estate and its
report, and a headless Chromium driven over the DevTools protocol."""

import pytest

from reports.html import render_report
from tests.reports.browser import ConnectionCounter
from tests.reports.cdp import Browser
from tests.reports.fixtures import write_estate
from tests.reports.folder_estate import write_folder_estate


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    """(scan A folder, scan B folder, the inventory folder holding both)."""
    root = tmp_path_factory.mktemp("inventory")
    return write_estate(str(root), "a"), write_estate(str(root), "b"), str(root)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The folder estate's scan ("scan"), its report ("out") and their folder ("root")."""
    root = tmp_path_factory.mktemp("folders")
    scan = write_folder_estate(str(root))
    out = str(root / "report.html")
    render_report(scan, out)
    return {"scan": scan, "out": out, "root": root}


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; at the end, no request may have left a page."""
    counter = ConnectionCounter()
    chromium = Browser(counter.port)
    yield chromium
    chromium.close()
    counter.close()
    assert counter.page_requests() == [], "a report made an outside request"


@pytest.fixture
def page(browser, folders):
    """The folder estate's report freshly loaded; afterwards no console error may have been
    seen and nothing injected may have run."""
    browser.events.clear()
    browser.open(folders["out"])
    yield browser
    assert browser.problems() == []
    assert browser.js("document.documentElement.hasAttribute('data-pwned')") is False
