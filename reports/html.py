"""The self-contained HTML findings report the MSP hands to its client.

Everything the page needs is inline (CSS, JS, SVG) and a Content-Security-Policy
forbids loading anything else, so the file works offline and leaks nothing
when opened. Every number is aggregated by :mod:`reports.query` in DuckDB, and
every table is capped (per-location aggregates with a few masked previews),
so a scan of a million findings still renders quickly into a small file.
Numbers carry ``data-metric`` / ``data-value`` attributes so that tests (and
anyone auditing the report) can read exactly what was displayed.
"""

from __future__ import annotations

import math
import os
import time
from datetime import datetime, timezone
from html import escape
from importlib import resources
from string import Template

from contract.categories import (CONTACT, CREDENTIAL, CRIMINAL, FINANCIAL, IDENTITY, ONLINE, SENSITIVITY,
                                  SPECIAL)
from reports import risk
from reports.completeness import incomplete_banner
from reports.diff import diff_summary
from reports.query import Inventory
from reports.treemap import svg_treemap

# Caps that keep the page small whatever the scan size; each capped table says so.
LOCATIONS_CAP = 1000
SENSITIVE_CAP = 500
TOP_RISK = 50
RETENTION_CAP = 500
PER_ENTITY = 100
EXAMPLES = 3
LEDGER_CAP = 5000
CHANGES_CAP = 500
TREEMAP_SYSTEMS = 12

COLOURS = {SPECIAL: "#a1161c", CRIMINAL: "#6f2dbd", CREDENTIAL: "#d9480f", FINANCIAL: "#b07d00",
           IDENTITY: "#1c5fb8", CONTACT: "#2b8a3e", ONLINE: "#5c6f82"}
SENSITIVE_CATEGORIES = (SPECIAL, CRIMINAL, CREDENTIAL)


def _n(value) -> str:
    return f"{int(value or 0):,}"


def _bytes(value: int) -> str:
    size = float(value or 0)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


def _date(epoch) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d") if epoch is not None else "—"


def _metric(name: str, value, text: str | None = None) -> str:
    """A displayed number that tests can find: ``data-metric`` plus its exact ``data-value``."""
    return f'<span data-metric="{name}" data-value="{escape(str(value))}">{escape(text or _n(value))}</span>'


def _level(score: float | None) -> str:
    name = risk.level(score) if score is not None else "none"
    return f'<span class="level level-{name}">{name}</span>'


def _chip(category: str, count: int | None = None) -> str:
    label = category + (f" {_n(count)}" if count is not None else "")
    return f'<span class="chip" style="background:{COLOURS.get(category, "#888")}">{escape(label)}</span>'


def _loc(row: dict) -> str:
    container = row.get("containers") or row.get("container")
    extra = f' <span class="note">[{escape(container)}]</span>' if container else ""
    return f'<td class="loc mono" title="{escape(row["uri"])}">{escape(row.get("path") or row["uri"])}{extra}</td>'


def _table(table_id: str, headers: list[tuple[str, bool]], body: list[str], filter_hint: str = "") -> str:
    """A sortable (click a header) and filterable table; headers are (label, numeric)."""
    if not body:
        return '<p class="empty">Nothing to show.</p>'
    head = "".join(f'<th{" class=num" if num else ""}>{escape(label)}</th>' for label, num in headers)
    box = (f'<input class="filter" type="search" data-table="{table_id}" '
           f'placeholder="Filter {escape(filter_hint or "rows")}…" aria-label="Filter">')
    return (f'{box}<table id="{table_id}" class="sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _num(value, text: str | None = None) -> str:
    return f'<td class="num" data-sort="{value if value is not None else ""}">{escape(text or _n(value))}</td>'


def _capped(shown: int, total: int, what: str) -> str:
    if total > shown:
        return (f'<p class="note" data-capped="{what}">Showing {_n(shown)} of {_n(total)} {what}; '
                f'the full list is in the inventory and in <code>piisweep datamap</code>.</p>')
    return ""


def _section(sid: str, title: str, lead: str, body: str) -> str:
    return f'<section id="{sid}"><h2>{escape(title)}</h2><p class="lead">{lead}</p>{body}</section>'


def _summary(s: dict, categories: list[dict], retention: tuple[int, int], changes: dict | None) -> str:
    total = s["items"] or 1
    score_text = f"{s['risk_score']:.1f}"
    bar = "".join(f'<span style="width:{100.0 * s[k] / total:.2f}%;background:{c}" title="{k}"></span>'
                  for k, c in (("scanned", "#2b8a3e"), ("skipped", "#c99a06"), ("errors", "#a1161c")))
    cards = [
        ("Items visited", _metric("items", s["items"]), f"{_metric('bytes_scanned', s['bytes_scanned'], _bytes(s['bytes_scanned']))} scanned"),
        ("Coverage", _metric("pct_scanned", s["pct_scanned"], f"{s['pct_scanned']:.1f}%"),
         f"{_metric('scanned', s['scanned'])} scanned · {_metric('skipped', s['skipped'])} skipped · "
         f"{_metric('errors', s['errors'])} errors"),
        ("Records affected", _metric("records", s["records"]), f"{_metric('findings', s['findings'])} findings"),
        ("Distinct values", _metric("distinct_values", s["distinct_values"]), "keyed hashes, never stored in clear"),
        ("Locations with personal data", _metric("locations", s["locations"]), "files, members' items and tables"),
        ("Overall risk", f'<span data-metric="risk_level" data-value="{s["risk_level"]}">{_level(s["risk_score"] if s["locations"] else None)}</span>',
         "highest location score " + _metric("risk_score", s["risk_score"], score_text)),
        ("Retention", _metric("retention_locations", retention[0]), f"locations, {_metric('retention_records', retention[1])} records past the limit"),
    ]
    if changes is not None:
        cards.append(("Since previous scan", f'+{_metric("changes_added", changes["added"])} / −{_metric("changes_removed", changes["removed"])}',
                      f"{_metric('changes_unchanged', changes['unchanged'])} unchanged values"))
    html = '<div class="cards">' + "".join(
        f'<div class="card"><div class="label">{label}</div><div class="num">{num}</div><div class="sub">{sub}</div></div>'
        for label, num, sub in cards) + "</div>"
    html += f'<div class="bar" title="scanned / skipped / errors">{bar}</div>'
    levels = " ".join(f'{_level_name(lvl)} {_metric("level_" + lvl, n)}' for lvl, n in s["locations_by_level"].items())
    html += f'<p class="note">Locations by risk level: {levels}</p>'
    body = [f"<tr><td>{_chip(c['category'])}</td>{_num(c['sensitivity'])}{_num(c['records'])}{_num(c['findings'])}"
            f"{_num(c['locations'])}</tr>" for c in categories]
    html += "<h3>Categories of personal data</h3>" + _table(
        "t-categories", [("Category", False), ("Sensitivity", True), ("Records", True), ("Findings", True),
                         ("Locations", True)], body, "categories")
    return html


def _level_name(name: str) -> str:
    return f'<span class="level level-{name}">{name}</span>'


def _area(records: float) -> float:
    """Treemap weight: logarithmic, or one huge table would hide every other system."""
    return 1.0 + math.log10(max(records, 1))


def _sensitive(inv: Inventory) -> str:
    found = inv.sensitive_findings(SENSITIVE_CATEGORIES, SENSITIVE_CAP, EXAMPLES)
    total = inv.con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT uri, entity_type FROM f WHERE cat IN (SELECT cat FROM wanted_cats))"
    ).fetchone()[0]
    body = [f"<tr>{_loc(r)}<td>{escape(r['system'] or '')}</td><td>{_chip(r['cat'])} <code>{escape(r['entity_type'])}</code></td>"
            f"{_num(r['records'])}<td class=mono>{escape(' · '.join(r['previews']))}</td></tr>" for r in found]
    return (f'<p>{_metric("sensitive_pairs", total)} location/type pairs hold special-category, criminal-offence '
            f"or credential data.</p>" + _table(
                "t-sensitive", [("Location", False), ("System", False), ("Type", False), ("Records", True),
                                ("Examples (masked)", False)], body, "locations or types")
            + _capped(len(found), total, "location/type pairs"))


def _datamap(inv: Inventory) -> str:
    totals = inv.system_category_totals()
    systems: dict[tuple[str, str], list[dict]] = {}
    for row in totals:
        systems.setdefault((row["client"], row["system"]), []).append(row)
    ranked = sorted(systems.items(), key=lambda kv: -sum(r["records"] for r in kv[1]))
    groups = []
    for (client, system), cats in ranked[:TREEMAP_SYSTEMS]:
        groups.append((f"{client} › {system}", [(c["category"], _area(c["records"]),
                                                 f"{client} › {system} › {c['category']}: {c['records']:,} records "
                                                 f"in {c['locations']:,} locations") for c in cats]))
    other: dict[str, float] = {}
    for _, cats in ranked[TREEMAP_SYSTEMS:]:
        for c in cats:
            other[c["category"]] = other.get(c["category"], 0) + c["records"]
    if other:
        groups.append((f"{len(ranked) - TREEMAP_SYSTEMS} other systems",
                       [(k, _area(v), f"other systems › {k}: {int(v):,} records") for k, v in other.items()]))
    legend = '<div class="legend">' + "".join(
        f'<span><i style="background:{COLOURS[c]}"></i>{escape(c)} (sensitivity {SENSITIVITY[c]})</span>'
        for c in COLOURS) + "</div>"
    picture = (svg_treemap(groups, COLOURS) + legend
               + '<p class="note">Area grows with the logarithm of records (1 + log10), so that a small store of '
                  "sensitive data stays visible beside a large table; hover a box for its exact numbers.</p>") if groups else ""
    sys_body = []
    for (client, system), cats in ranked:
        records = sum(c["records"] for c in cats)
        sys_body.append(f"<tr><td>{escape(client or '')}</td><td class=mono>{escape(system or '')}</td>"
                        f"<td>{' '.join(_chip(c['category'], c['records']) for c in cats)}</td>{_num(records)}</tr>")
    locs = inv.locations(order="client, system, score DESC, uri", limit=LOCATIONS_CAP)
    cats_of = inv.location_categories([r["uri"] for r in locs])
    loc_body = [f"<tr><td>{escape(r['client'] or '')}</td><td class=mono>{escape(r['system'] or '')}</td>{_loc(r)}"
                f"<td>{' '.join(_chip(c, n) for c, n in cats_of.get(r['uri'], []))}</td>{_num(r['records'])}"
                f"{_num(r['subjects'])}<td data-sort='{r['score']:.3f}'>{_level(r['score'])}</td></tr>" for r in locs]
    return (picture + f"<h3>Systems ({_metric('systems', len(ranked))})</h3>"
            + _table("t-systems", [("Client", False), ("System", False), ("Categories (records)", False),
                                   ("Records", True)], sys_body, "systems")
            + "<h3>Locations</h3>"
            + _table("t-datamap", [("Client", False), ("System", False), ("Location", False),
                                   ("Categories (records)", False), ("Records", True), ("Subjects (est.)", True),
                                   ("Risk", False)], loc_body, "locations")
            + _capped(len(locs), inv.count_locations(), "locations"))


def _top_risk(inv: Inventory) -> str:
    explained = ('<div class="formula"><b>score = S × V × E</b> — S: highest sensitivity of the categories found '
                 "(special category / criminal 10, credential 8, financial 6, identity 5, contact 2, online identifier 1); "
                 "V: 1 + log<sub>10</sub>(records); E: exposure, 1.0 plus 0.5 if world-readable (POSIX o+r) and 0.5 "
                 "on a network share. Levels: low &lt; 10 ≤ medium &lt; 25 ≤ high &lt; 50 ≤ critical.</div>")
    locs = inv.locations(limit=TOP_RISK)
    body = []
    for r in locs:
        reasons = ", ".join(risk.exposure_reasons(r["agent"], r["mode"])) or "restricted"
        vol, expo, score = risk.volume(r["records"]), r["exposure"], r["score"]
        body.append(f"<tr>{_loc(r)}<td class=mono>{escape(r['system'] or '')}</td>"
                    f"<td>{_chip(r['top_category'])}</td>{_num(r['sensitivity'])}{_num(r['records'])}"
                    + _num(round(vol, 2), f"{vol:.2f}") + _num(expo, f"{expo:.1f}")
                    + f"<td>{escape(reasons)}</td>" + _num(round(score, 1), f"{score:.1f}")
                    + f"<td>{_level(score)}</td></tr>")
    return explained + _table("t-risk", [("Location", False), ("System", False), ("Worst category", False),
                                         ("S", True), ("Records", True), ("V", True), ("E", True),
                                         ("Exposure", False), ("Score", True), ("Level", False)], body, "locations")


def _retention(inv: Inventory, years: float, count: int, records: int, rows: list[dict]) -> str:
    body = [f"<tr>{_loc(r)}<td class=mono>{escape(r['system'] or '')}</td><td data-sort='{r['mtime']}'>{_date(r['mtime'])}</td>"
            f"<td>{escape(r['categories'] or '')}</td>{_num(r['records'])}<td>{_level(r['score'])}</td></tr>" for r in rows]
    return (f"<p>{_metric('retention_locations_detail', count)} locations holding "
            f"{_metric('retention_records_detail', records)} records were last modified more than "
            f"{_metric('retention_years', years, f'{years:g}')} years before the scan "
            f"({inv.reference_time:%Y-%m-%d}). Review whether they must still be kept.</p>"
            + _table("t-retention", [("Location", False), ("System", False), ("Last modified", False),
                                     ("Categories", False), ("Records", True), ("Risk", False)], body, "locations")
            + _capped(len(rows), count, "locations"))


def _entities(inv: Inventory) -> str:
    types = inv.entity_types()
    per = inv.entity_locations(PER_ENTITY, EXAMPLES)
    by_type: dict[str, list[dict]] = {}
    for r in per:
        by_type.setdefault(r["entity_type"], []).append(r)
    parts = []
    for i, t in enumerate(types):
        et = t["entity_type"]
        body = [f"<tr>{_loc(r)}<td class=mono>{escape(r['system'] or '')}</td>{_num(r['records'])}"
                f"{_num(r['distinct_values'])}" + _confidence(r["max_score"])
                + f"<td class=mono>{escape(' · '.join(r['previews']))}</td></tr>" for r in by_type.get(et, [])]
        parts.append(
            f'<details class="entity" data-entity="{escape(et)}"{" open" if i < 3 else ""}><summary>{_chip(t["category"])} '
            f"<code>{escape(et)}</code> — {_metric('entity_records_' + et, t['records'])} records in "
            f"{_metric('entity_locations_' + et, t['locations'])} locations</summary>"
            + _table(f"t-entity-{i}", [("Location", False), ("System", False), ("Records", True),
                                       ("Distinct values", True), ("Max confidence", True),
                                       ("Examples (masked)", False)], body, "locations")
            + _capped(len(body), t["locations"], "locations") + "</details>")
    return "".join(parts) or '<p class="empty">No personal data was found.</p>'


def _confidence(value: float | None) -> str:
    value = round(value or 0.0, 2)
    return _num(value, f"{value:.2f}")


def _changes(diff: dict | None) -> str:
    if diff is None:
        return '<p class="empty">No previous scan was given (use <code>--previous SCAN_DIR</code>).</p>'
    shown = diff["per_location"]
    body = [f"<tr><td class='loc mono'>{escape(r['uri'])}</td>{_num(r['added'])}{_num(r['removed'])}"
            f"{_num(r['unchanged'])}<td>{escape(r['entity_types'] or '')}</td></tr>" for r in shown]
    return (f"<p>Compared with scan <code>{escape(diff['a']['scan_id'])}</code>: "
            f"{_metric('diff_added', diff['added'])} new, {_metric('diff_removed', diff['removed'])} removed and "
            f"{_metric('diff_unchanged', diff['unchanged'])} unchanged personal-data values; items "
            f"{_metric('items_added', diff['items_added'])} added, {_metric('items_removed', diff['items_removed'])} "
            f"removed, {_metric('items_changed', diff['items_changed'])} modified.</p>"
            + _table("t-changes", [("Location", False), ("New", True), ("Removed", True), ("Unchanged", True),
                                   ("Types changed", False)], body, "locations")
            + _capped(len(shown), diff["locations_changed"], "locations"))


def _coverage(inv: Inventory, reasons: list[dict], listed: list[dict], total: int) -> str:
    reason_body = [f"<tr><td>{escape(r['status'])}</td><td>{escape(r['reason'])}</td>{_num(r['items'])}</tr>"
                   for r in reasons]
    item_body = [f"<tr><td>{escape(r['status'])}</td>{_loc(r)}<td>{escape(r['agent'] or '')}</td>"
                 f"<td>{escape(r['reason'])}</td></tr>" for r in listed]
    return (f"<p>{_metric('problems', total)} items or archive members could not be checked.</p>"
            + "<h3>By reason</h3>" + _table("t-reasons", [("Status", False), ("Reason", False), ("Items", True)],
                                            reason_body, "reasons")
            + "<h3>Every item not scanned</h3>"
            + _table("t-ledger", [("Status", False), ("Location", False), ("Agent", False), ("Reason", False)],
                     item_body, "items or reasons")
            + _capped(len(listed), total, "items"))


def _template() -> Template:
    return Template(resources.files("reports").joinpath("templates/report.html").read_text(encoding="utf-8"))


def render_report(scan_dir: str, out_path: str, previous_dir: str | None = None, retention_years: float = 5) -> dict:
    """Write the HTML report of ``scan_dir`` to ``out_path``; return the summary numbers it shows.

    With ``previous_dir`` the report includes what changed since that scan.
    The returned dict has the summary (items, bytes_scanned, scanned, skipped,
    errors, pct_scanned, records, findings, distinct_values, locations,
    risk_score, risk_level, locations_by_level), ``retention_locations`` /
    ``retention_records``, ``problems``, ``changes`` (or None), ``bytes`` (file
    size) and ``seconds``.
    """
    started = time.perf_counter()
    inv = Inventory(scan_dir)
    summary = inv.summary()
    ret_count, ret_records, ret_rows = inv.retention(retention_years, RETENTION_CAP)
    reasons, listed, problems = inv.problems(LEDGER_CAP)
    diff = diff_summary(previous_dir, scan_dir, CHANGES_CAP) if previous_dir else None
    changes = ({k: diff[k] for k in ("added", "removed", "unchanged")} if diff else None)
    sections = [
        _section("summary", "Summary", "What was scanned, how much personal data was found and how risky it is.",
                 _summary(summary, inv.category_totals(), (ret_count, ret_records), changes)),
        _section("sensitive", "Special-category, criminal-offence and credential findings",
                 "GDPR Art. 9 and Art. 10 data and secrets come first: they do the most harm when exposed.",
                 _sensitive(inv)),
        _section("datamap", "Data map", "Client › system › location › categories of personal data.", _datamap(inv)),
        _section("risk", "Top risk locations", "Where exposure would hurt most, with the score explained.",
                 _top_risk(inv)),
        _section("retention", "Retention", f"Personal data in items not modified for more than {retention_years:g} years.",
                 _retention(inv, retention_years, ret_count, ret_records, ret_rows)),
        _section("entities", "Findings by entity type",
                 "Per-location aggregates with a few masked example previews; filter and sort each table.",
                 _entities(inv)),
        _section("changes", "Changes since the previous scan",
                 "New, removed and unchanged personal data per location (compared by keyed hash).", _changes(diff)),
        _section("coverage", "Coverage ledger", "Every skipped or failed item, with its reason.",
                 _coverage(inv, reasons, listed, problems)),
    ]
    sections.insert(0, incomplete_banner(scan_dir))
    m = inv.manifest
    page = _template().substitute(
        client=escape(inv.client or "unknown client"), scan_id=escape(inv.scan_id),
        scan_period=escape(f"{str(m.get('started', '?'))[:19]} – {str(m.get('ended', '?'))[:19]}"),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), sections="\n".join(sections))
    tmp = out_path + ".partial"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(page)
    os.replace(tmp, out_path)
    return {**summary, "retention_locations": ret_count, "retention_records": ret_records, "problems": problems,
            "changes": changes, "bytes": os.path.getsize(out_path), "seconds": time.perf_counter() - started}
