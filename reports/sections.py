"""The sections of the HTML report: one function per section, each given the report's data.

A section function takes a :class:`ReportData` and returns its body's HTML;
:data:`reports.html.SECTIONS` lists them in page order with their titles, so a
new section is one function here and one line there. ``ReportData`` computes
what several sections share (summary, folder tree, map, diff) once, on first use.

Every table is capped (folders, files per folder, locations per type) so that
a scan of a million findings still renders quickly into a small file; each
capped table says so.
"""

from __future__ import annotations

from functools import cached_property
from html import escape

from contract.categories import CREDENTIAL, CRIMINAL, SENSITIVITY, SPECIAL
from reports import risk
from reports.diff import diff_summary
from reports.folders import FolderTree, Node, target_label
from reports.foldermap import GREY, FolderMap
from reports.markup import (COLOURS, capped, chip, date, grouped_table, level, level_badge, loc, metric, n, num,
                            risk_cell, row, size, table)
from reports.oneminute import one_minute
from reports.query import Inventory, folder_key

SENSITIVE_CATEGORIES = (SPECIAL, CRIMINAL, CREDENTIAL)
SENSITIVE_FOLDERS = 200      # folder groups in the special-category table
FILES_PER_FOLDER = 10        # (location, type) rows inside one of its groups
LOCATION_FOLDERS = 200       # folder groups in the data map's location table
LOCATIONS_PER_FOLDER = 10
TOP_RISK = 50
RETENTION_CAP = 500
PER_ENTITY = 100
EXAMPLES = 3
LEDGER_CAP = 5000
CHANGES_CAP = 500


class ReportData:
    """One scan opened for the report, with what several sections share computed once."""

    def __init__(self, scan_dir: str, previous_dir: str | None = None, retention_years: float = 5):
        self.inv = Inventory(scan_dir)
        self.previous_dir = previous_dir
        self.retention_years = retention_years

    @cached_property
    def summary(self) -> dict:
        """The headline numbers (see :meth:`Inventory.summary`)."""
        return self.inv.summary()

    @cached_property
    def tree(self) -> FolderTree:
        """The client › system › target › folder roll-up."""
        return FolderTree(self.inv)

    @cached_property
    def map(self) -> FolderMap:
        """The folder map, which also decides the folder each table row filters under."""
        return FolderMap(self.tree, COLOURS)

    @cached_property
    def retention(self) -> tuple[int, int, list[dict]]:
        """(locations, records, oldest rows) past the retention window."""
        return self.inv.retention(self.retention_years, RETENTION_CAP)

    @cached_property
    def problems(self) -> tuple[list[dict], list[dict], int]:
        """(reasons, listed items, total) of skipped and failed items."""
        return self.inv.problems(LEDGER_CAP)

    @cached_property
    def diff(self) -> dict | None:
        """Changes since the previous scan, when one was given."""
        return diff_summary(self.previous_dir, self.inv.dir, CHANGES_CAP) if self.previous_dir else None

    def at(self, r: dict) -> str:
        """The folder-map node a location row belongs to (its folder, or the nearest drawn one above)."""
        return self.map.anchor(self.tree.folder_of(r.get("client"), r.get("system"), r.get("target"), r.get("folder")))

    def folder_name(self, node: Node) -> str:
        """A folder as a sentence names it: its path, with its system when the scan covers several."""
        where = "the top folder" if node.folder == "" else node.folder
        if self.tree.systems > 1 or node.folder == "":
            return f'<span class="mono">{escape(where)}</span> on <span class="mono">{escape(node.system)}</span>'
        return f'<span class="mono">{escape(where)}</span>'


# --- summary ---------------------------------------------------------------------------------------------

def summary(d: ReportData) -> str:
    """Headline cards, the coverage bar, risk levels and the category table."""
    s = d.summary
    ret_count, ret_records, _ = d.retention
    total = s["items"] or 1
    bar = "".join(f'<span style="width:{100.0 * s[k] / total:.2f}%;background:{c}" title="{k}"></span>'
                  for k, c in (("scanned", "#2b8a3e"), ("skipped", "#c99a06"), ("errors", "#a1161c")))
    cards = [
        ("Items visited", metric("items", s["items"]),
         f"{metric('bytes_scanned', s['bytes_scanned'], size(s['bytes_scanned']))} scanned"),
        ("Coverage", metric("pct_scanned", s["pct_scanned"], f"{s['pct_scanned']:.1f}%"),
         f"{metric('scanned', s['scanned'])} scanned · {metric('skipped', s['skipped'])} skipped · "
         f"{metric('errors', s['errors'])} errors"),
        ("Records affected", metric("records", s["records"]), f"{metric('findings', s['findings'])} findings"),
        ("Distinct values", metric("distinct_values", s["distinct_values"]), "keyed hashes, never stored in clear"),
        ("Locations with personal data", metric("locations", s["locations"]), "files, members' items and tables"),
        ("Overall risk", f'<span data-metric="risk_level" data-value="{s["risk_level"]}">'
                         f'{level(s["risk_score"] if s["locations"] else None)}</span>',
         "highest location score " + metric("risk_score", s["risk_score"], f"{s['risk_score']:.1f}")),
        ("Retention", metric("retention_locations", ret_count),
         f"locations, {metric('retention_records', ret_records)} records past the limit"),
    ]
    if d.diff is not None:
        cards.append(("Since previous scan", f'+{metric("changes_added", d.diff["added"])} / '
                                             f'−{metric("changes_removed", d.diff["removed"])}',
                      f"{metric('changes_unchanged', d.diff['unchanged'])} unchanged values"))
    html = one_minute(d) + '<div class="cards">' + "".join(
        f'<div class="card"><div class="label">{label}</div><div class="num">{value}</div><div class="sub">{sub}</div></div>'
        for label, value, sub in cards) + "</div>"
    html += f'<div class="bar" title="scanned / skipped / errors">{bar}</div>'
    levels = " ".join(f'{level_badge(lvl)} {metric("level_" + lvl, count)}' for lvl, count in s["locations_by_level"].items())
    html += f'<p class="note">Locations by risk level: {levels}</p>'
    body = [f"<tr><td>{chip(c['category'])}</td>{num(c['sensitivity'])}{num(c['records'])}{num(c['findings'])}"
            f"{num(c['locations'])}</tr>" for c in d.inv.category_totals()]
    html += "<h3>Categories of personal data</h3>" + table(
        "t-categories", [("Category", False), ("Sensitivity", True), ("Records", True), ("Findings", True),
                         ("Locations", True)], body, "categories")
    return html


# --- special categories, criminal offences, credentials, grouped by folder --------------------------------

def sensitive(d: ReportData) -> str:
    """Special-category, criminal and credential findings grouped by folder, each group expandable to its files."""
    folders = d.inv.folder_types(SENSITIVE_CATEGORIES)
    pairs = sum(t["files"] for entry in folders.values() for t in entry["types"])
    ranked = sorted(folders.items(), key=lambda kv: (-(kv[1]["total"]["score"] or 0), -kv[1]["total"]["files"], kv[0]))
    shown = ranked[:SENSITIVE_FOLDERS]
    members: dict[tuple[str, str, str, str], list[dict]] = {}
    for r in d.inv.folder_findings(SENSITIVE_CATEGORIES, [k for k, _ in shown], FILES_PER_FOLDER, EXAMPLES):
        members.setdefault(folder_key(r), []).append(r)
    groups = []
    for key, entry in shown:
        node = d.tree.folder_of(*key)
        of, word = (node.direct.items, node.direct.item_word) if node else (0, "files")
        total = entry["total"]
        types = " · ".join(
            f'<span class="typecount" data-type="{escape(t["entity_type"])}" data-files="{t["files"]}" data-of="{of}">'
            f'{chip(t["cat"])} <code>{escape(t["entity_type"])}</code> in {n(t["files"])} of {n(of)} {word}</span>'
            for t in entry["types"])
        rows_here = [
            f"{loc(r)}<td></td><td>{chip(r['cat'])} <code>{escape(r['entity_type'])}</code></td><td></td>"
            f"{num(r['records'])}{risk_cell(r['risk'])}<td class=mono>{escape(' · '.join(r['previews']))}</td>"
            for r in members.get(key, [])]
        in_folder = sum(t["files"] for t in entry["types"])
        if in_folder > len(rows_here):
            rows_here.append(f'<td colspan="7" class="note">… and {n(in_folder - len(rows_here))} more '
                             f"location/type pairs in this folder (see <code>piisweep datamap</code>)</td>")
        groups.append((
            {"at": d.map.anchor(node), "folder": key[3], "target": target_label(key[2]), "files": total["files"]},
            escape(node.label() if node else key[3] or "/"),
            f'<td class="mono">{escape(key[1])}</td><td>{types}</td>{num(total["files"])}{num(total["records"])}'
            f'{risk_cell(total["score"])}<td></td>',
            rows_here))
    return (f'<p>{metric("sensitive_pairs", pairs)} location/type pairs in {metric("sensitive_folders", len(folders))} '
            "folders hold special-category, criminal-offence or credential data. Each row is a folder: open it "
            "for its files.</p>"
            + grouped_table("t-sensitive", [("Folder / location", False), ("System", False), ("Types found", False),
                                            ("Files", True), ("Records", True), ("Risk", False),
                                            ("Examples (masked)", False)], groups, "folders, files or types")
            + capped(len(shown), len(folders), "folders"))


# --- data map: the folder map, systems, locations grouped by folder ---------------------------------------

def datamap(d: ReportData) -> str:
    """The folder map, the systems table and the location table grouped by folder."""
    legend = '<div class="legend">' + "".join(
        f'<span><i style="background:{COLOURS[c]}"></i>{escape(c)} (sensitivity {SENSITIVITY[c]})</span>'
        for c in COLOURS) + f'<span><i style="background:{GREY}"></i>nothing personal found</span></div>'
    picture = ""
    if d.tree.roots:
        picture = (d.map.html() + legend
                   + '<p class="note">Click a box to open the folder and to filter the tables of this report to it; '
                     "the path above the map leads back. Area grows with the logarithm of the records inside "
                     "(1 + log10), so a small store of sensitive data stays visible beside a large table; colour is "
                     "the most sensitive category inside; hover a box for its numbers.</p>")
    systems = []
    for root in d.tree.roots:
        for node in sorted(root.children.values(), key=lambda s: -s.total.records):
            cats = sorted(node.total.categories.items(), key=lambda kv: (-SENSITIVITY.get(kv[0], 0), -kv[1]))
            systems.append(row(f"<td>{escape(root.client)}</td><td class=mono>{escape(node.name)}</td>"
                               f"<td>{' '.join(chip(c, count) for c, count in cats)}</td>{num(node.total.locations)}"
                               f"{num(node.total.records)}", d.map.anchor(node)))
    return (picture + f"<h3>Systems ({metric('systems', len(systems))})</h3>"
            + table("t-systems", [("Client", False), ("System", False), ("Categories (records)", False),
                                  ("Locations", True), ("Records", True)], systems, "systems")
            + "<h3>Locations by folder</h3>" + _locations_by_folder(d))


def _locations_by_folder(d: ReportData) -> str:
    personal = [(key, node) for key, node in d.tree.folders() if node.direct.locations]
    personal.sort(key=lambda kn: (-(kn[1].direct.score or 0), -kn[1].direct.records, kn[0]))
    shown = personal[:LOCATION_FOLDERS]
    members: dict[tuple[str, str, str, str], list[dict]] = {}
    locs = d.inv.folder_locations([k for k, _ in shown], LOCATIONS_PER_FOLDER)
    cats_of = d.inv.location_categories([r["uri"] for r in locs])
    for r in locs:
        members.setdefault(folder_key(r), []).append(r)
    groups = []
    for key, node in shown:
        t = node.direct
        cats = sorted(t.categories.items(), key=lambda kv: (-SENSITIVITY.get(kv[0], 0), -kv[1]))
        rows_here = [f"{loc(r)}<td></td><td>{' '.join(chip(c, count) for c, count in cats_of.get(r['uri'], []))}</td>"
                     f"<td></td>{num(r['records'])}{num(r['subjects'])}{risk_cell(r['score'])}"
                     for r in members.get(key, [])]
        if t.locations > len(rows_here):
            rows_here.append(f'<td colspan="7" class="note">… and {n(t.locations - len(rows_here))} more locations '
                             "in this folder (see <code>piisweep datamap</code>)</td>")
        groups.append((
            {"at": d.map.anchor(node), "folder": key[3], "target": target_label(key[2])},
            escape(node.label()),
            f'<td class="mono">{escape(key[1])}</td><td>{" ".join(chip(c, count) for c, count in cats)}</td>'
            + num(t.locations, f"{n(t.locations)} of {n(t.items)}") + num(t.records) + "<td></td>"
            + risk_cell(t.score),
            rows_here))
    return (grouped_table("t-datamap", [("Folder / location", False), ("System", False),
                                        ("Categories (records)", False), ("Locations", True), ("Records", True),
                                        ("Subjects (est.)", True), ("Risk", False)], groups, "folders or locations")
            + capped(len(shown), len(personal), "folders"))


# --- top risks, retention, entity types ----------------------------------------------------------------

def top_risk(d: ReportData) -> str:
    """The riskiest locations with S, V and E shown."""
    explained = ('<div class="formula"><b>score = S × V × E</b> — S: highest sensitivity of the categories found '
                 "(special category / criminal 10, credential 8, financial 6, identity 5, contact 2, online identifier 1); "
                 "V: 1 + log<sub>10</sub>(records); E: exposure, 1.0 plus 0.5 if world-readable (POSIX o+r) and 0.5 "
                 "on a network share. Levels: low &lt; 10 ≤ medium &lt; 25 ≤ high &lt; 50 ≤ critical.</div>")
    body = []
    for r in d.inv.locations(limit=TOP_RISK):
        reasons = ", ".join(risk.exposure_reasons(r["agent"], r["mode"])) or "restricted"
        vol, expo, score = risk.volume(r["records"]), r["exposure"], r["score"]
        body.append(row(f"{loc(r)}<td class=mono>{escape(r['system'] or '')}</td>"
                        f"<td>{chip(r['top_category'])}</td>{num(r['sensitivity'])}{num(r['records'])}"
                        + num(round(vol, 2), f"{vol:.2f}") + num(expo, f"{expo:.1f}")
                        + f"<td>{escape(reasons)}</td>" + num(round(score, 1), f"{score:.1f}")
                        + f"<td>{level(score)}</td>", d.at(r)))
    return explained + table("t-risk", [("Location", False), ("System", False), ("Worst category", False),
                                        ("S", True), ("Records", True), ("V", True), ("E", True),
                                        ("Exposure", False), ("Score", True), ("Level", False)], body, "locations")


def retention_lead(d: ReportData) -> str:
    """The retention section's lead, naming its window."""
    return f"Personal data in items not modified for more than {d.retention_years:g} years."


def retention(d: ReportData) -> str:
    """Locations with personal data older than the retention window."""
    count, records, found = d.retention
    years = d.retention_years
    body = [row(f"{loc(r)}<td class=mono>{escape(r['system'] or '')}</td><td data-sort='{r['mtime']}'>{date(r['mtime'])}</td>"
                f"<td>{escape(r['categories'] or '')}</td>{num(r['records'])}<td>{level(r['score'])}</td>", d.at(r))
            for r in found]
    return (f"<p>{metric('retention_locations_detail', count)} locations holding "
            f"{metric('retention_records_detail', records)} records were last modified more than "
            f"{metric('retention_years', years, f'{years:g}')} years before the scan "
            f"({d.inv.reference_time:%Y-%m-%d}). Review whether they must still be kept.</p>"
            + table("t-retention", [("Location", False), ("System", False), ("Last modified", False),
                                    ("Categories", False), ("Records", True), ("Risk", False)], body, "locations")
            + capped(len(found), count, "locations"))


def entities(d: ReportData) -> str:
    """One expandable table per entity type: its top locations with masked examples."""
    by_type: dict[str, list[dict]] = {}
    for r in d.inv.entity_locations(PER_ENTITY, EXAMPLES):
        by_type.setdefault(r["entity_type"], []).append(r)
    parts = []
    for i, t in enumerate(d.inv.entity_types()):
        et = t["entity_type"]
        confidence = [round(r["max_score"] or 0.0, 2) for r in by_type.get(et, [])]
        body = [row(f"{loc(r)}<td class=mono>{escape(r['system'] or '')}</td>{num(r['records'])}"
                    f"{num(r['distinct_values'])}" + num(c, f"{c:.2f}")
                    + f"<td class=mono>{escape(' · '.join(r['previews']))}</td>", d.at(r))
                for r, c in zip(by_type.get(et, []), confidence)]
        parts.append(
            f'<details class="entity" data-entity="{escape(et)}"{" open" if i < 3 else ""}><summary>{chip(t["category"])} '
            f"<code>{escape(et)}</code> — {metric('entity_records_' + et, t['records'])} records in "
            f"{metric('entity_locations_' + et, t['locations'])} locations</summary>"
            + table(f"t-entity-{i}", [("Location", False), ("System", False), ("Records", True),
                                      ("Distinct values", True), ("Max confidence", True),
                                      ("Examples (masked)", False)], body, "locations")
            + capped(len(body), t["locations"], "locations") + "</details>")
    return "".join(parts) or '<p class="empty">No personal data was found.</p>'


# --- changes, coverage -----------------------------------------------------------------------------------

def changes(d: ReportData) -> str:
    """What changed since the previous scan, per location."""
    diff = d.diff
    if diff is None:
        return '<p class="empty">No previous scan was given (use <code>--previous SCAN_DIR</code>).</p>'
    shown = diff["per_location"]
    body = [f"<tr><td class='loc mono'>{escape(r['uri'])}</td>{num(r['added'])}{num(r['removed'])}"
            f"{num(r['unchanged'])}<td>{escape(r['entity_types'] or '')}</td></tr>" for r in shown]
    return (f"<p>Compared with scan <code>{escape(diff['a']['scan_id'])}</code>: "
            f"{metric('diff_added', diff['added'])} new, {metric('diff_removed', diff['removed'])} removed and "
            f"{metric('diff_unchanged', diff['unchanged'])} unchanged personal-data values; items "
            f"{metric('items_added', diff['items_added'])} added, {metric('items_removed', diff['items_removed'])} "
            f"removed, {metric('items_changed', diff['items_changed'])} modified.</p>"
            + table("t-changes", [("Location", False), ("New", True), ("Removed", True), ("Unchanged", True),
                                  ("Types changed", False)], body, "locations")
            + capped(len(shown), diff["locations_changed"], "locations"))


def coverage(d: ReportData) -> str:
    """Every skipped or failed item, with its reason."""
    reasons, listed, total = d.problems
    reason_body = [f"<tr><td>{escape(r['status'])}</td><td>{escape(r['reason'])}</td>{num(r['items'])}</tr>"
                   for r in reasons]
    item_body = [f"<tr><td>{escape(r['status'])}</td>{loc(r)}<td>{escape(r['agent'] or '')}</td>"
                 f"<td>{escape(r['reason'])}</td></tr>" for r in listed]
    return (f"<p>{metric('problems', total)} items or archive members could not be checked.</p>"
            + "<h3>By reason</h3>" + table("t-reasons", [("Status", False), ("Reason", False), ("Items", True)],
                                           reason_body, "reasons")
            + "<h3>Every item not scanned</h3>"
            + table("t-ledger", [("Status", False), ("Location", False), ("Agent", False), ("Reason", False)],
                    item_body, "items or reasons")
            + capped(len(listed), total, "items"))
