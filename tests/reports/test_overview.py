"""The MSP overview page from audit records: escaping, clients never audited, failed audits in the trend.
(The page in a real browser against summary.json: tests/piisweep/test_audit_e2e.py.)"""

from __future__ import annotations

import re

from reports.overview import render_overview
from reports.trend_svg import trend_svg


def record(status: str, records: int | None, violations: list[dict], when: str, error: str | None = None) -> dict:
    return {"status": status, "records": records, "high_risk_locations": None if records is None else 1,
            "violations": violations, "audit_started": when, "error": error,
            "risk": None if records is None else {"level": "high", "score": 30.0},
            "coverage": None if records is None else {"pct_scanned": 97.5}}


def test_names_and_errors_are_text_and_the_page_has_no_inline_style(tmp_path):
    hostile = '<script>alert(1)</script>"'
    out = tmp_path / "index.html"
    render_overview(str(out), [
        {"client": hostile, "folder": "x-script", "report": True,
         "history": [record("failed", None, [], "2026-11-01T02:00:00Z", error=f"smb://{hostile}: refused")]},
        {"client": "never", "folder": "never", "report": False, "history": []},
    ], "2026-12-01T02:00:00Z")
    page = out.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in page
    assert "not audited yet" in page and 'href="x-script/report.html"' in page
    assert "style=" not in page
    nonce = re.search(r"'nonce-([^']+)'", page).group(1)
    assert page.count(f'nonce="{nonce}"') == 3  # two scripts and the style sheet: nothing else may run
    assert len(nonce) >= 16


def test_a_failed_audit_breaks_the_trend_line():
    svg = trend_svg(["a", "b", "c", "d"], [("t-records", "records", [5, None, 7, 9])])
    assert svg.count("<polyline") == 1  # a lone point before the gap is a dot, not a line
    assert svg.count("<circle") == 3 and svg.count("<title>") == 4  # three dots and the latest value
    assert ">9<title>" in svg
    assert trend_svg(["a"], [("t-records", "records", [None])]).count("—") == 1
