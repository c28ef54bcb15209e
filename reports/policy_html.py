"""The client report's Policy section: each broken promise, in plain words, and where.

The lead and body of the section (reports.html wraps them like every section), made
from the violations of reports.policy. No inline style or script, so it renders under
the report's Content-Security-Policy; its counts carry ``data-metric`` / ``data-value``
like the rest of the report.
"""

from __future__ import annotations

from html import escape

from contract.policy import NEVER_STORED, PLACEMENT, RETENTION, UNDECLARED_CATEGORY

# The most violations listed; the inventory and summary.json hold them all.
POLICY_CAP = 500

RULE_NAMES = {NEVER_STORED: "never stored", PLACEMENT: "placement", RETENTION: "retention",
              UNDECLARED_CATEGORY: "undeclared category"}


def policy_lead(violations: list[dict]) -> str:
    """The section's lead: how many promises are broken, how many newly."""
    new = sum(1 for v in violations if v.get("new"))
    return (f'The client\'s privacy notice, checked against this scan: '
            f'<span data-metric="policy_violations" data-value="{len(violations)}">{len(violations):,}</span> '
            f'violation{"s" if len(violations) != 1 else ""}, '
            f'<span data-metric="policy_new" data-value="{new}">{new:,}</span> new since the previous audit.')


def policy_body(violations: list[dict]) -> str:
    """The table of ``violations`` (new ones first and marked), capped at POLICY_CAP rows."""
    if not violations:
        return '<p class="empty">Every promise checked holds.</p>'
    shown = sorted(violations, key=lambda v: not v.get("new"))[:POLICY_CAP]
    body = "".join(
        f'<tr data-rule="{escape(v["rule"])}"{" data-new=true" if v.get("new") else ""}>'
        f'<td>{escape(RULE_NAMES.get(v["rule"], v["rule"]))}{" <mark>new</mark>" if v.get("new") else ""}</td>'
        f'<td>{escape(v["detail"])}</td>'
        f'<td class="loc mono">{escape(v["path"])}'
        f'{" <span class=note>[" + escape(v["container"]) + "]</span>" if v["container"] else ""}</td>'
        f'<td>{escape(v["entity_type"])}</td><td class="num">{v["records"]:,}</td></tr>'
        for v in shown)
    capped = (f'<p class="note">Showing {len(shown):,} of {len(violations):,} violations (new ones first); '
              "all are in summary.json.</p>" if len(shown) < len(violations) else "")
    return ('<table id="t-policy"><thead><tr><th>Rule</th>'
            '<th>Promise broken</th><th>Where</th><th>Type</th><th class="num">Records</th></tr></thead>'
            f'<tbody>{body}</tbody></table>{capped}')
