"""diff_scans reports exactly the planted changes between two scans."""

from reports.diff import diff_scans, diff_summary

CONTACTS = "file:///srv/data/hr/contacts.txt"
NEW = "file:///srv/data/hr/new-starters.txt"
OLD = "file:///srv/data/archive/2014.zip"


def test_items_added_removed_changed(estate):
    a, b, _ = estate
    d = diff_scans(a, b)
    assert [r["uri"] for r in d["items"]["added"]] == [NEW]
    assert [r["uri"] for r in d["items"]["removed"]] == [OLD]
    assert [(r["uri"], r["size_a"], r["size_b"]) for r in d["items"]["changed"]] == [(CONTACTS, 2048, 2100)]
    assert d["items"]["changed"][0]["mtime_b"].startswith("2026-01-02")
    # unchanged: health.md, tool, locked.pdf, payroll.xlsx, customers table
    assert d["items"]["unchanged"] == 5


def test_findings_keyed_by_uri_type_hash(estate):
    a, b, _ = estate
    d = diff_scans(a, b)
    changed = {(r["uri"], r["entity_type"]): (r["added"], r["removed"]) for r in d["findings"]["by_location"]
               if r["added"] or r["removed"]}
    assert changed == {
        (CONTACTS, "EMAIL_ADDRESS"): (1, 1),      # bob removed, carol added
        (NEW, "PERSON"): (1, 0),
        (OLD, "UK_NINO"): (0, 1),
        (OLD, "PASSWORD"): (0, 1),
    }
    assert (d["findings"]["added"], d["findings"]["removed"]) == (2, 3)
    # unchanged keys: jane email+phone, Bob Smith, health, Alice, 3 payroll, column marker + 3 sampled values
    assert d["findings"]["unchanged"] == 12


def test_same_scan_has_no_changes(estate):
    a, _, _ = estate
    d = diff_scans(a, a)
    assert d["findings"]["added"] == d["findings"]["removed"] == 0
    assert not d["items"]["added"] and not d["items"]["removed"] and not d["items"]["changed"]


def test_diff_summary_matches_full_diff(estate):
    a, b, _ = estate
    full, short = diff_scans(a, b), diff_summary(a, b, limit=2)
    assert (short["added"], short["removed"], short["unchanged"]) == (2, 3, 12)
    assert (short["items_added"], short["items_removed"], short["items_changed"]) == (1, 1, 1)
    assert short["locations_changed"] == len({r["uri"] for r in full["findings"]["by_location"]})
    assert [r["uri"] for r in short["per_location"]] == [OLD, CONTACTS]   # most changed first, capped at 2
    assert short["per_location"][1]["entity_types"] == "EMAIL_ADDRESS"
