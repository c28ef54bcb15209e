"""The client report's Policy section: each broken promise, in plain words, and where.

One self-contained HTML fragment made from the violations of reports.policy (the
report includes it with one call). It uses no inline style or script, so it renders
under any Content-Security-Policy the report has, and its counts carry
``data-metric`` / ``data-value`` like the rest of the report.
"""

from __future__ import annotations

from html import escape

from contract.policy import NEVER_STORED, PLACEMENT, RETENTION, UNDECLARED_CATEGORY

# The most violations listed; the inventory and summary.json hold them all.
POLICY_CAP = 500

RULE_NAMES = {NEVER_STORED: "never stored", PLACEMENT: "placement", RETENTION: "retention",
              UNDECLARED_CATEGORY: "undeclared category"}


def policy_section(violations: list[dict]) -> str:
    """``<section id="policy">`` listing ``violations`` (new ones first and marked)."""
    new = sum(1 for v in violations if v.get("new"))
    lead = (f'<p class="lead">The client\'s privacy notice, checked against this scan: '
            f'<span data-metric="policy_violations" data-value="{len(violations)}">{len(violations):,}</span> '
            f'violation{"s" if len(violations) != 1 else ""}, '
            f'<span data-metric="policy_new" data-value="{new}">{new:,}</span> new since the previous audit.</p>')
    if not violations:
        return (f'<section id="policy"><h2>Policy</h2>{lead}'
                '<p class="empty">Every promise checked holds.</p></section>')
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
    return (f'<section id="policy"><h2>Policy</h2>{lead}<table id="t-policy"><thead><tr><th>Rule</th>'
            '<th>Promise broken</th><th>Where</th><th>Type</th><th class="num">Records</th></tr></thead>'
            f'<tbody>{body}</tbody></table>{capped}</section>')
