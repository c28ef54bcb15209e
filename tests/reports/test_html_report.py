"""The HTML report, opened in a real headless Chromium, against the inventory it came from."""

import html
import json
import os
import re

import pytest

from detectors.masking import mask
from reports.html import render_report
from tests.reports.browser import ConnectionCounter, dump_dom, screenshot
from tests.reports.fixtures import JANE
from tests.reports.test_query_datamap import expected_summary

ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "artifacts")
SECTIONS = "summary,sensitive,datamap,risk,retention,entities,changes,coverage"


@pytest.fixture(scope="module")
def rendered(estate, tmp_path_factory):
    a, b, _ = estate
    out = str(tmp_path_factory.mktemp("report") / "report.html")
    shown = render_report(b, out, previous_dir=a, retention_years=5)
    counter = ConnectionCounter()
    try:
        dom = dump_dom(out, counter.port, "#selftest")
        os.makedirs(ARTIFACTS, exist_ok=True)
        png = os.path.join(ARTIFACTS, "report.png")
        screenshot(out, png, counter.port)
        # a second report without history, and with an old item inside the retention window
        out_a = str(tmp_path_factory.mktemp("report") / "report_a.html")
        render_report(a, out_a, retention_years=5)
        dom_a = dump_dom(out_a, counter.port)
    finally:
        counter.close()
    return {"out": out, "shown": shown, "dom": dom, "dom_a": dom_a, "png": png,
            "page_requests": counter.page_requests()}


def metrics(dom):
    return {m: html.unescape(v) for m, v in re.findall(r'data-metric="([^"]+)" data-value="([^"]*)"', dom)}


def selfcheck(dom):
    tag = re.search(r'<div id="selfcheck"[^>]*>', dom).group(0)
    return {k: html.unescape(v) for k, v in re.findall(r'data-([a-z-]+)="([^"]*)"', tag)}


def test_no_request_leaves_the_page(rendered):
    assert rendered["page_requests"] == []
    check = selfcheck(rendered["dom"])
    assert check["done"] == "1" and check["resources"] == "0"
    with open(rendered["out"], encoding="utf-8") as fh:
        page = fh.read()
    assert not re.search(r"(https?:|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\()", page, re.I)


def test_no_console_errors_and_sections_exist(rendered):
    for dom in (rendered["dom"], rendered["dom_a"]):
        check = selfcheck(dom)
        assert json.loads(check["problems"]) == []
        assert check["sections"] == SECTIONS


def test_tables_sort_and_filter_in_the_page(rendered):
    check = selfcheck(rendered["dom"])
    assert check["sort-ok"] == "true"
    assert int(check["filter-shown"]) >= 1


def test_numbers_shown_equal_inventory(rendered, estate):
    a, b, _ = estate
    shown = metrics(rendered["dom"])
    want = expected_summary(b)
    for key, value in want.items():
        assert int(shown[key]) == value, key
    assert shown["risk_level"] == rendered["shown"]["risk_level"]
    # changes against scan A: see test_diff for the planted changes
    assert (shown["diff_added"], shown["diff_removed"], shown["items_added"], shown["items_removed"],
            shown["items_changed"]) == ("2", "3", "1", "1", "1")
    assert shown["problems"] == "2"            # binary file skipped, encrypted PDF
    assert shown["entity_records_EMAIL_ADDRESS"] == "5003"
    shown_a = metrics(rendered["dom_a"])
    assert (shown_a["retention_locations"], shown_a["retention_records"]) == ("1", "2")
    assert shown_a["problems"] == "3"          # + the encrypted zip member


def test_sensitive_first_and_masked_previews(rendered):
    dom = rendered["dom"]
    assert dom.index('id="sensitive"') < dom.index('id="datamap"') < dom.index('id="entities"')
    assert "SPECIAL_CATEGORY_HEALTH" in dom[dom.index('id="sensitive"'):dom.index('id="datamap"')]
    assert mask("EMAIL_ADDRESS", JANE["email"]) in dom and mask("IBAN_CODE", JANE["iban"]) in dom
    for raw in [*JANE.values(), "type 2 diabetes", "Alice Jones", "hunter2-secret", "QQ 12 34 56 C"]:
        assert raw.lower() not in dom.lower() and raw.lower() not in rendered["dom_a"].lower()


def test_coverage_ledger_lists_every_problem(rendered):
    ledger = rendered["dom_a"][rendered["dom_a"].index('id="coverage"'):]
    for reason in ("binary file", "encrypted PDF", "encrypted zip member"):
        assert reason in ledger


def test_screenshot_saved(rendered):
    with open(rendered["png"], "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(rendered["png"]) > 50_000


def test_request_detector_sees_a_leaking_page(tmp_path):
    """Control: a page that does load an external image is caught by the same harness."""
    page = tmp_path / "leak.html"
    page.write_text('<!DOCTYPE html><img src="http://piisweep-canary.invalid/pixel.png">')
    counter = ConnectionCounter()
    try:
        dump_dom(str(page), counter.port)
    finally:
        counter.close()
    assert "piisweep-canary.invalid" in counter.page_requests()
