"""The folder map, the grouped tables and the one-minute summary, clicked in a real headless Chromium.

Every expectation is recomputed here from findings.parquet and items.parquet
with pyarrow and posixpath, independently of reports/: a folder's boxes, its
records, the files per type in each folder.
"""

import os
import posixpath
import re
import shutil
from collections import defaultdict

import pyarrow as pa
import pyarrow.parquet as pq

from reports.html import render_report
from contract.models import ItemRecord
from tests.reports.fixtures import EPOCH_2026, TargetSpec, write_scan
from tests.reports.folder_estate import folder_targets, write_folder_estate

SENSITIVE = {"special category", "criminal offence", "credential"}


def no_user(target):
    """A target URI without its user name, as the map prints it."""
    return re.sub(r"//[^@/]*@", "//", target)


def locations(scan_dir):
    """Per location URI: (target, folder, category, entity type, records) of each finding."""
    items = pq.read_table(os.path.join(scan_dir, "items.parquet")).to_pylist()
    top = {r["uri"]: r for r in items if r["container"] == ""}
    out = defaultdict(list)
    for f in pq.read_table(os.path.join(scan_dir, "findings.parquet")).to_pylist():
        item = top[f["uri"]]
        folder = (item["path"].rsplit(".", 1)[0] if item["kind"] == "table"
                  else posixpath.dirname(item["path"].strip("/")))
        out[f["uri"]].append((no_user(f["target"]), folder, f["category"], f["entity_type"], f["count"]))
    return out


def folder_items(scan_dir):
    """Top-level items directly in each (target, folder)."""
    counts = defaultdict(int)
    for r in pq.read_table(os.path.join(scan_dir, "items.parquet")).to_pylist():
        if r["container"] == "":
            folder = (r["path"].rsplit(".", 1)[0] if r["kind"] == "table"
                      else posixpath.dirname(r["path"].strip("/")))
            counts[(no_user(r["target"]), folder)] += 1
    return counts


def folder_rollup(scan_dir):
    """Records beneath every folder that holds findings (the folder and all its parents)."""
    records = defaultdict(int)
    for found in locations(scan_dir).values():
        for target, folder, _, _, count in found:
            parts = folder.split("/") if folder else []
            for depth in range(len(parts)):
                records[(target, "/".join(parts[:depth + 1]))] += count
    return records


def boxes(page, selector):
    return page.js(f"""Array.from(document.querySelectorAll({selector!r})).map(function (b) {{
        return {{node: b.dataset.node, target: b.dataset.target, path: b.dataset.path, kind: b.dataset.kind,
                 records: Number(b.dataset.records), label: b.dataset.label}}; }})""")


def shown(page, selector, attribute):
    """The ``attribute`` of every element matching ``selector`` that is laid out (itself and its ancestors shown)."""
    return page.js(f"""Array.from(document.querySelectorAll({selector!r}))
        .filter(function (e) {{ return e.getClientRects().length > 0; }})
        .map(function (e) {{ return e.getAttribute({attribute!r}); }})""")


def test_one_box_per_folder_holding_findings(page, folders):
    want = folder_rollup(folders["scan"])
    drawn = boxes(page, "g.box.personal[data-kind=folder]")
    assert sorted((b["target"], b["path"]) for b in drawn) == sorted(want)      # each folder once
    assert {(b["target"], b["path"]): b["records"] for b in drawn} == dict(want)
    grey = boxes(page, "g.box:not(.personal)")
    assert sorted((b["target"], b["path"]) for b in grey) == [("file:///home", "bob"), ("file:///srv/files", "public")]
    # systems, and the target level only where one system holds several targets
    assert sorted(b["label"] for b in boxes(page, "g.box[data-kind=system]")) == [
        "fs1 (local files)", "postgresql://db1/crm", "smb://nas/share"]
    assert sorted(b["target"] for b in boxes(page, "g.box[data-kind=target]")) == ["file:///home", "file:///srv/files"]


def test_clicking_folders_filters_the_tables_and_the_breadcrumb_leads_back(page, folders):
    found = locations(folders["scan"])
    every_risk_row = shown(page, "#t-risk tbody tr", "data-at")
    page.click("g.view.current g.box[data-label='fs1 (local files)']")
    page.click("g.view.current g.box[data-target='file:///srv/files'][data-kind=target]")
    page.click("g.view.current g.box[data-path='HR']")
    assert page.js("document.querySelector('figure.foldermap nav.crumbs').textContent") == \
        "globex › fs1 (local files) › file:///srv/files › HR"
    under_hr = {uri for uri in found if uri.startswith("file:///srv/files/HR/")}
    assert set(shown(page, "#t-risk tbody tr td.loc", "title")) == under_hr
    assert set(shown(page, "#t-datamap tbody.group", "data-folder")) == {"HR", "HR/contracts", "HR/contracts/archive"}
    assert set(shown(page, "#t-sensitive tbody.group", "data-folder")) == {"HR/contracts", "HR/contracts/archive"}
    entity_rows = set(shown(page, "#entities tbody tr td.loc", "title"))
    assert entity_rows and entity_rows <= under_hr
    assert page.js("document.getElementById('folder-filter').hidden") is False

    page.click("g.view.current g.box.here")           # HR's own files, not its sub-folders
    assert set(shown(page, "#t-datamap tbody.group", "data-folder")) == {"HR"}
    assert set(shown(page, "#t-risk tbody tr td.loc", "title")) == {"file:///srv/files/HR/payroll.xlsx"}

    page.click("figure.foldermap nav.crumbs button")  # the first crumb: the whole client
    assert page.js("document.querySelector('figure.foldermap nav.crumbs').textContent") == "globex"
    assert shown(page, "#t-risk tbody tr", "data-at") == every_risk_row
    assert page.js("document.getElementById('folder-filter').hidden") is True


def test_grouped_sensitive_view_lists_each_folder_once_with_its_counts(page, folders):
    files = defaultdict(lambda: defaultdict(set))
    for uri, found in locations(folders["scan"]).items():
        for target, folder, category, entity_type, _ in found:
            if category in SENSITIVE:
                files[(target, folder)][entity_type].add(uri)
    of = folder_items(folders["scan"])
    want = {key: {et: (len(uris), of[key]) for et, uris in types.items()} for key, types in files.items()}
    groups = page.js("""Array.from(document.querySelectorAll('#t-sensitive tbody.group')).map(function (g) {
        return [g.dataset.target, g.dataset.folder, Number(g.dataset.files),
                Array.from(g.querySelectorAll('.typecount')).map(function (t) {
                    return [t.dataset.type, Number(t.dataset.files), Number(t.dataset.of), t.textContent]; })]; })""")
    assert len(groups) == len({(t, f) for t, f, _, _ in groups})                 # each folder once
    got = {(t, f): {et: (k, n) for et, k, n, _ in types} for t, f, _, types in groups}
    assert got == want
    for t, f, total, types in groups:
        assert total == len(set().union(*files[(t, f)].values()))
        for et, k, n, text in types:
            assert text.endswith(f"{et} in {k} of {n} files")
    contracts = next(g for g in groups if g[1] == "HR/contracts")
    assert contracts[3][0][3].endswith("SPECIAL_CATEGORY_HEALTH in 6 of 6 files")


def test_groups_expand_to_their_files_and_sort_by_risk(page, folders):
    assert shown(page, "#t-sensitive tr.member", "class") == []
    page.click("#t-sensitive tbody.group[data-folder='HR/contracts'] button.toggle")
    titles = shown(page, "#t-sensitive tr.member td.loc", "title")
    assert sorted(titles) == sorted(f"file:///srv/files/HR/contracts/contract{i}.docx" for i in range(1, 7))
    page.click("#t-datamap thead th:nth-child(7)")       # Risk: highest first
    risks = page.js("""Array.from(document.querySelectorAll('#t-datamap tbody.group')).map(function (g) {
        return Number(g.rows[0].cells[6].dataset.sort); })""")
    assert risks == sorted(risks, reverse=True) and len(set(risks)) > 1
    page.click("#t-datamap thead th:nth-child(7)")
    assert page.js("""Array.from(document.querySelectorAll('#t-datamap tbody.group')).map(function (g) {
        return Number(g.rows[0].cells[6].dataset.sort); })""") == sorted(risks)


def test_one_minute_summary_says_where_the_sensitive_data_is(page, folders):
    special = defaultdict(set)
    for uri, found in locations(folders["scan"]).items():
        for target, folder, category, _, _ in found:
            if category == "special category":
                special[(target, folder)].add(uri)
    sentences = page.js("""Array.from(document.querySelectorAll('.oneminute p')).map(function (p) {
        return [p.dataset.sentence, p.textContent]; })""")
    names = [name for name, _ in sentences]
    assert 3 <= len(sentences) <= 5 and names[0] == "special category" and names[-1] == "coverage"
    text = dict(sentences)["special category"]
    total = sum(len(u) for u in special.values())
    top = sorted(special.items(), key=lambda kv: -len(kv[1]))[:2]
    assert text.startswith(f"Special-category data (health in 10, religion in 1) sits in {total} files "
                           f"in {len(special)} folders, most of them in ")
    for (target, folder), uris in top:
        assert f"{folder} on " in text and f"({len(uris)})" in text
    status = [r["status"] for r in pq.read_table(os.path.join(folders["scan"], "items.parquet")).to_pylist()]
    assert dict(sentences)["coverage"].startswith(
        f"{status.count('scanned')} of {len(status)} items visited were read "
        f"({round(100 * status.count('scanned') / len(status), 1):g}%); {status.count('skipped')} skipped and "
        f"{status.count('error')} failed.")
    links = page.js("Array.from(document.querySelectorAll('.oneminute a')).map(function (a) { return a.hash; })")
    assert links and all(page.js(f"!!document.getElementById({h[1:]!r})") for h in links)


def test_a_scan_without_personal_data_says_so(tmp_path):
    files = TargetSpec("file:///srv/clean", "local", "fs1")
    files.items = [ItemRecord(uri=f"file:///srv/clean/docs/{i}.txt", path=f"docs/{i}.txt", size=10, mtime=EPOCH_2026)
                   for i in range(3)]
    scan = write_scan(str(tmp_path), "20260301T000000Z-clean", "clean", [files])
    render_report(scan, str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text()
    sentences = re.findall(r'<p data-sentence="([^"]+)">(.*?)</p>', page)
    assert [(name, re.sub("<[^>]+>", "", text)) for name, text in sentences] == [
        ("nothing", "No personal data was found in the 3 items read."),
        ("coverage", "3 of 3 items visited were read (100%); 0 skipped and 0 failed.")]
    assert re.findall(r'<g class="box[^"]*" data-node="[^"]+" data-parent="[^"]+" data-kind="(\w+)"', page) == [
        "system"]                                                     # one grey box: coverage, nothing to open
    assert 'class="box personal' not in page


def test_several_clients_get_one_map_each(tmp_path, browser):
    scans = [write_folder_estate(str(tmp_path / name), client=name, scan_id=f"20260301T000000Z-{name}", tag=name)
             for name in ("acme", "globex")]
    merged = tmp_path / "merged"
    merged.mkdir()
    for name in ("findings.parquet", "items.parquet", "values.parquet"):
        pq.write_table(pa.concat_tables([pq.read_table(os.path.join(s, name)) for s in scans]), merged / name)
    shutil.copy(os.path.join(scans[0], "manifest.json"), merged / "manifest.json")
    out = str(tmp_path / "report.html")
    render_report(str(merged), out)
    browser.events.clear()
    browser.open(out)
    assert browser.js("Array.from(document.querySelectorAll('figure.foldermap')).map(function (f) "
                      "{ return f.dataset.client; })") == ["acme", "globex"]
    browser.click("#map-1 g.view.current g.box[data-label='fs1 (local files)']")
    assert browser.js("document.querySelector('#map-1 nav.crumbs').textContent") == "globex › fs1 (local files)"
    assert browser.js("document.querySelector('#map-0 nav.crumbs').textContent") == "acme"
    assert browser.problems() == []


def test_one_system_opens_at_its_folders(tmp_path, browser):
    # A client with a single share: the first picture must already show where the data is, not
    # one box for the whole system.
    files = [t for t in folder_targets() if t.target == "file:///srv/files"]
    scan = write_scan(str(tmp_path / "out"), "20260301T000000Z-solo", "solo", files)
    out = str(tmp_path / "report.html")
    render_report(scan, out)
    browser.events.clear()
    browser.open(out)
    opening = boxes(browser, "figure.foldermap g.view.current g.box")
    assert {b["path"] for b in opening if b["kind"] == "folder"} >= {"HR", "public"}
    assert browser.js("document.querySelector('figure.foldermap nav.crumbs').textContent") == \
        "solo › fs1 (local files)"
    browser.click("figure.foldermap nav.crumbs button")  # the whole client: its one system
    assert [b["kind"] for b in boxes(browser, "figure.foldermap g.view.current g.box")] == ["system"]
    assert browser.problems() == []
