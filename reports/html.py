"""The self-contained HTML findings report the MSP hands to its client.

Everything the page needs is inline (CSS, the page's own script, SVG) and its
Content-Security-Policy forbids everything else: no request leaves the page,
and no script runs but the page's own, admitted by its SHA-256 hash (an
injected ``<script>`` or ``onerror=`` attribute is refused by the browser even
if a name ever slipped through escaping). Data the script needs travels in
escaped attributes, never in script text. Every number is aggregated by
:mod:`reports.query` in DuckDB and every table is capped, so a scan of a
million findings still renders quickly into a small file.

The page is a list of sections (:data:`SECTIONS`); a section is a function of
:class:`reports.sections.ReportData` returning its body, so adding one is a
function in :mod:`reports.sections` and a line here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from importlib import resources
from string import Template
from typing import Callable

from reports import sections as s
from reports.completeness import incomplete_banner
from reports.policy_html import policy_body, policy_lead
from reports.sections import ReportData


@dataclass(frozen=True)
class Section:
    """One section of the page: its anchor, its table-of-contents label, title, lead and body."""

    id: str
    toc: str
    title: str
    lead: str | Callable[[ReportData], str]
    body: Callable[[ReportData], str]

    def html(self, data: ReportData) -> str:
        """The section's HTML (its lead is trusted markup written here, its body escapes its data)."""
        lead = self.lead(data) if callable(self.lead) else self.lead
        return (f'<section id="{self.id}"><h2>{escape(self.title)}</h2><p class="lead">{lead}</p>'
                f"{self.body(data)}</section>")


SECTIONS = [
    Section("summary", "Summary", "Summary", "What was scanned, how much personal data was found and how risky it is.",
            s.summary),
    Section("sensitive", "Special category &amp; credentials",
            "Special-category, criminal-offence and credential findings",
            "GDPR Art. 9 and Art. 10 data and secrets come first: they do the most harm when exposed.", s.sensitive),
    Section("datamap", "Data map", "Data map",
            "Where the personal data sits: client › system › folder, then every location by folder.", s.datamap),
    Section("risk", "Top risks", "Top risk locations", "Where exposure would hurt most, with the score explained.",
            s.top_risk),
    Section("retention", "Retention", "Retention", s.retention_lead, s.retention),
    Section("entities", "By entity type", "Findings by entity type",
            "Per-location aggregates with a few masked example previews; filter and sort each table.", s.entities),
    Section("changes", "Changes", "Changes since the previous scan",
            "New, removed and unchanged personal data per location (compared by keyed hash).", s.changes),
    Section("coverage", "Coverage", "Coverage ledger", "Every skipped or failed item, with its reason.", s.coverage),
]


def _asset(name: str) -> str:
    return resources.files("reports").joinpath("templates", name).read_text(encoding="utf-8")


def script_hash(source: str) -> str:
    """The CSP source expression admitting exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts: list[str]) -> str:
    """Nothing may load; only the given scripts may run; inline event handlers never."""
    return ("default-src 'none'; script-src " + " ".join(script_hash(x) for x in scripts)
            + "; script-src-attr 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
              "form-action 'none'")


def render_page(data: ReportData, sections: list[Section], banner: str = "") -> str:
    """The whole page for ``data`` with the given sections, after ``banner`` (a warning) if any."""
    early, script = _asset("early.js"), _asset("report.js")
    m = data.inv.manifest
    return Template(_asset("report.html")).substitute(
        csp=escape(content_security_policy([early, script])), early_script=early, script=script,
        style=_asset("report.css"),
        client=escape(data.inv.client or "unknown client"), scan_id=escape(data.inv.scan_id),
        scan_period=escape(f"{str(m.get('started', '?'))[:19]} – {str(m.get('ended', '?'))[:19]}"),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        toc="".join(f'<a href="#{x.id}">{x.toc}</a>' for x in sections),
        sections="\n".join([banner] + [x.html(data) for x in sections]))


def policy(violations: list[dict]) -> Section:
    """The Policy section of an audit's report: the client's promises this scan contradicts."""
    return Section("policy", "Policy", "Policy", lambda d: policy_lead(violations),
                   lambda d: policy_body(violations))


def render_report(scan_dir: str, out_path: str, previous_dir: str | None = None, retention_years: float = 5,
                  violations: list[dict] | None = None) -> dict:
    """Write the HTML report of ``scan_dir`` to ``out_path``; return the summary numbers it shows.

    With ``previous_dir`` the report includes what changed since that scan; with
    ``violations`` (reports.policy, for an audit) a Policy section after the summary.
    The returned dict has the summary (items, bytes_scanned, scanned, skipped,
    errors, pct_scanned, records, findings, distinct_values, locations,
    risk_score, risk_level, locations_by_level), ``retention_locations`` /
    ``retention_records``, ``problems``, ``changes`` (or None), ``bytes`` (file
    size) and ``seconds``.
    """
    started = time.perf_counter()
    data = ReportData(scan_dir, previous_dir, retention_years)
    sections = SECTIONS if violations is None else [SECTIONS[0], policy(violations), *SECTIONS[1:]]
    page = render_page(data, sections, incomplete_banner(scan_dir))
    tmp = out_path + ".partial"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, out_path)
    ret_count, ret_records, _ = data.retention
    changes = {k: data.diff[k] for k in ("added", "removed", "unchanged")} if data.diff else None
    return {**data.summary, "retention_locations": ret_count, "retention_records": ret_records,
            "problems": data.problems[2], "changes": changes, "bytes": os.path.getsize(out_path),
            "seconds": time.perf_counter() - started}
