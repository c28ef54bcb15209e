"""The MSP overview page (``AUDIT_DIR/index.html``): every client's latest audit at a glance.

One row per client: last audit time, status, coverage, overall risk, open violations
(new ones highlighted), and the trend over its past audits as an inline SVG — each
linking to the client's own report. Like the report, the page is self-contained and
offline: its Content-Security-Policy allows only its own style and script (by a nonce
made for each page) and loads nothing. The script only records, for tests and
support, whether anything was blocked or loaded; the page needs none to read or print.
Numbers carry ``data-metric`` / ``data-value`` per client row.
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from html import escape
from importlib import resources
from string import Template
from urllib.parse import quote

from reports.policy_html import RULE_NAMES
from reports.trend_svg import trend_svg


def _metric(name: str, value, text: str) -> str:
    return f'<span data-metric="{name}" data-value="{escape(str(value))}">{escape(text)}</span>'


def _when(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        return datetime.fromisoformat(iso).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


def _violations(latest: dict) -> str:
    found = latest.get("violations") or []
    new = sum(1 for v in found if v.get("new"))
    if latest.get("status") == "failed" and not found:
        return _metric("violations", 0, "not checked") + _metric("new", 0, "")
    text = _metric("violations", len(found), f"{len(found):,}")
    if new:
        text += f' <mark class="new">{_metric("new", new, f"{new:,} new")}</mark>'
    else:
        text += _metric("new", 0, "")
    kinds: dict[str, int] = {}
    for v in found:
        kinds[v["rule"]] = kinds.get(v["rule"], 0) + 1
    if kinds:
        text += '<div class="note">' + escape(", ".join(f"{RULE_NAMES.get(k, k)} {n:,}"
                                                        for k, n in sorted(kinds.items()))) + "</div>"
    return text


def _row(client: dict) -> str:
    name, history = client["client"], client["history"]
    link = escape(quote(client["folder"]) + "/report.html")
    title = (f'<a href="{link}">{escape(name)}</a>' if client.get("report") else escape(name))
    if not history:
        return (f'<tr data-client="{escape(name)}"><td class="client">{title}</td>'
                '<td colspan="6" class="muted">not audited yet</td></tr>')
    latest = history[-1]
    status = latest.get("status") or "failed"
    error = f'<div class="note">{escape(latest["error"])}</div>' if latest.get("error") else ""
    coverage = latest.get("coverage")
    pct = coverage.get("pct_scanned") if coverage else None
    cov = _metric("coverage", pct if pct is not None else "", f"{pct:.1f}%" if pct is not None else "—")
    risk = latest.get("risk")
    level = risk.get("level") if risk else None
    risk_html = (f'<span class="level level-{escape(level)}">{_metric("risk", level, level)}</span> '
                 f'<span class="note">{risk.get("score", 0):.1f}</span>' if level else _metric("risk", "", "—"))
    chart = trend_svg([_when(r.get("audit_started")) for r in history], [
        ("t-records", "records of personal data", [r.get("records") for r in history]),
        ("t-high", "high-risk locations", [r.get("high_risk_locations") for r in history]),
        ("t-violations", "violations", [None if r.get("status") == "failed" else len(r.get("violations") or [])
                                        for r in history]),
    ])
    return (f'<tr data-client="{escape(name)}" class="row-{escape(status)}">'
            f'<td class="client">{title}</td><td>{escape(_when(latest.get("audit_started")))}</td>'
            f'<td><span class="status status-{escape(status)}">{_metric("status", status, status)}'
            f"</span>{error}</td><td class=num>{cov}</td><td>{risk_html}</td>"
            f"<td>{_violations(latest)}</td><td>{chart}</td></tr>")


def render_overview(out_path: str, clients: list[dict], audit_started: str) -> None:
    """Write the overview of ``clients`` to ``out_path``.

    Each client is ``{"client", "folder" (its folder, relative to the page), "report"
    (whether its report.html exists), "history" (its audit records, oldest first)}``; an
    audit record holds the summary.json fields plus ``audit_started``, ``records`` and
    ``high_risk_locations``.
    """
    latest = [c["history"][-1] for c in clients if c["history"]]
    open_total = sum(len(r.get("violations") or []) for r in latest)
    new_total = sum(1 for r in latest for v in r.get("violations") or [] if v.get("new"))
    attention = sum(1 for r in latest if r.get("status") != "complete")
    cards = "".join(f'<div class="card"><div class="label">{label}</div><div class="big">{value}</div></div>' for label, value in (
        ("Clients", _metric("clients", len(clients), f"{len(clients):,}")),
        ("Open violations", _metric("open_violations", open_total, f"{open_total:,}")),
        ("New since last audit", _metric("new_violations", new_total, f"{new_total:,}")),
        ("Audits incomplete or failed", _metric("attention", attention, f"{attention:,}")),
    ))
    nonce = secrets.token_urlsafe(18)
    template = Template(resources.files("reports").joinpath("templates/overview.html").read_text(encoding="utf-8"))
    page = template.substitute(
        nonce=nonce, audit_started=escape(_when(audit_started)),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        cards=cards, rows="\n".join(_row(c) for c in clients))
    tmp = out_path + ".partial"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, out_path)
