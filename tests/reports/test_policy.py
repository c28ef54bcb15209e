"""The policy check against a real scan of files on disk: each kind of violation found, and
not found just past its boundary (max_age exactly met, a glob that does not match)."""

from __future__ import annotations

import os
import random
from datetime import datetime, timezone

import pytest
from dateutil.relativedelta import relativedelta

from contract.policy import PlacementRule, Policy, RetentionRule, Selector
from reports.policy import cutoff, evaluate, mark_new, noun
from reports.policy_html import policy_body, policy_lead
from bench.fakedata import card
from tests.scanner.conftest import write_tree
from tests.scanner.helpers import scan

AUDIT = datetime(2026, 12, 7, 12, 0, 0, tzinfo=timezone.utc)
LIMIT = AUDIT - relativedelta(months=13)  # 2025-11-07 12:00 UTC
VISA_CARD = card(random.Random(27))
EMAIL = "Contact: olaf.fixture@estate-test.example\n"
HEALTH = "Sick note: she was diagnosed with diabetes and is on sick leave.\n"
FILES = {
    "Support/chat-just-too-old.txt": EMAIL,
    "Support/chat-exactly-13-months.txt": EMAIL,
    "Support/2024/deep/chat-old.txt": EMAIL,
    "Supporting/chat-old.txt": EMAIL,        # Support/** must not match a sibling folder
    "Archive/chat-old.txt": EMAIL,
    "HR/sick-note.txt": HEALTH,
    "Finance/sick-note.txt": HEALTH,
    "Finance/cards.txt": f"Card on file: {VISA_CARD}\n",
    "IT/access.log": "10.20.0.11 login ok\n",
}
AGES = {  # modification times, as integral seconds like the inventory keeps them
    "Support/chat-just-too-old.txt": LIMIT.timestamp() - 1,
    "Support/chat-exactly-13-months.txt": LIMIT.timestamp(),
    "Support/2024/deep/chat-old.txt": LIMIT.timestamp() - 86400 * 400,
    "Supporting/chat-old.txt": LIMIT.timestamp() - 86400 * 400,
    "Archive/chat-old.txt": LIMIT.timestamp() - 86400 * 400,
}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    root = tmp_path_factory.mktemp("estate")
    write_tree(root, FILES)
    for rel, mtime in AGES.items():
        os.utime(root / rel, (mtime, mtime))
    os.environ.setdefault("PIISWEEP_KEY", "policy-tests-key-0123456789")
    result, read = scan(root, tmp_path_factory.mktemp("out"))
    found = {(f["path"], f["entity_type"]) for f in read.findings}
    # what the scanner must find for these tests to test anything
    assert {("Finance/cards.txt", "CREDIT_CARD"), ("IT/access.log", "IP_ADDRESS"),
            ("HR/sick-note.txt", "SPECIAL_CATEGORY_HEALTH"),
            ("Support/chat-exactly-13-months.txt", "EMAIL_ADDRESS")} <= found, found
    return result.scan_dir


def kinds(violations: list[dict]) -> set[tuple[str, str, str]]:
    return {(v["rule"], v["path"], v["entity_type"]) for v in violations}


def test_retention_counts_from_the_audits_start_and_max_age_exactly_met_is_kept(inventory):
    policy = Policy(retention=(RetentionRule("13 months", 13, "months", ("Support/**",)),))
    found = evaluate(inventory, policy, AUDIT)
    assert kinds(found) == {("retention", "Support/chat-just-too-old.txt", "EMAIL_ADDRESS"),
                            ("retention", "Support/2024/deep/chat-old.txt", "EMAIL_ADDRESS")}
    one = next(v for v in found if v["path"] == "Support/chat-just-too-old.txt")
    assert one["records"] == 1 and one["category"] == "contact" and one["new"] is False
    assert one["detail"] == ("the notice promises to keep personal data in Support/** for at most 13 months: "
                             "1 e-mail address in Support/chat-just-too-old.txt, last modified 2025-11-07 "
                             "(audit started 2026-12-07)")


def test_retention_without_paths_covers_everything_and_selectors_narrow_it(inventory):
    everywhere = evaluate(inventory, Policy(retention=(RetentionRule("13 months", 13, "months"),)), AUDIT)
    assert {v["path"] for v in everywhere} == {"Support/chat-just-too-old.txt", "Support/2024/deep/chat-old.txt",
                                               "Supporting/chat-old.txt", "Archive/chat-old.txt"}
    other_type = RetentionRule("13 months", 13, "months", (), Selector((), ("PHONE_NUMBER",)))
    assert evaluate(inventory, Policy(retention=(other_type,)), AUDIT) == []
    # the first rule broken is the one reported, once per place
    two = Policy(retention=(RetentionRule("2 years", 2, "years", ("Support/**",)),
                            RetentionRule("1 day", 1, "days")))
    details = {v["path"]: v["detail"] for v in evaluate(inventory, two, AUDIT)}
    assert "at most 2 years" in details["Support/2024/deep/chat-old.txt"]
    assert "at most 1 day" in details["Support/chat-just-too-old.txt"]


def test_never_stored(inventory):
    found = evaluate(inventory, Policy(never_stored=("CREDIT_CARD",)), AUDIT)
    assert kinds(found) == {("never_stored", "Finance/cards.txt", "CREDIT_CARD")}
    assert found[0]["detail"] == ("the notice says card details are never stored: 1 card number in "
                                  "Finance/cards.txt")
    assert evaluate(inventory, Policy(never_stored=("IBAN_CODE",)), AUDIT) == []


def test_placement_allows_the_union_of_the_rules_places(inventory):
    hr_only = Policy(placement=(PlacementRule(("HR/**",), Selector(("special category",))),))
    assert kinds(evaluate(inventory, hr_only, AUDIT)) == {
        ("placement", "Finance/sick-note.txt", "SPECIAL_CATEGORY_HEALTH")}
    both = Policy(placement=(PlacementRule(("HR/**",), Selector(("special category",))),
                             PlacementRule(("Finance/**",), Selector((), ("SPECIAL_CATEGORY_HEALTH",)))))
    assert evaluate(inventory, both, AUDIT) == []
    # a glob that does not match where the data is: every place is a violation
    nowhere_near = Policy(placement=(PlacementRule(("hr/**",), Selector(("special category",))),))
    assert {v["path"] for v in evaluate(inventory, nowhere_near, AUDIT)} == {"HR/sick-note.txt",
                                                                              "Finance/sick-note.txt"}


def test_undeclared_category(inventory):
    declared = Policy(declared_categories=("identity", "contact", "financial", "special category"))
    assert kinds(evaluate(inventory, declared, AUDIT)) == {
        ("undeclared_category", "IT/access.log", "IP_ADDRESS")}
    everything = Policy(declared_categories=declared.declared_categories + ("online identifier",))
    assert evaluate(inventory, everything, AUDIT) == []
    assert evaluate(inventory, Policy(), AUDIT) == []  # no declared categories given: nothing undeclared


def test_violations_come_in_report_order(inventory):
    policy = Policy(declared_categories=("contact",), never_stored=("CREDIT_CARD",),
                    retention=(RetentionRule("13 months", 13, "months", ("Archive/**",)),),
                    placement=(PlacementRule(("HR/**",), Selector(("special category",))),))
    rules = [v["rule"] for v in evaluate(inventory, policy, AUDIT)]
    assert rules == sorted(rules, key=["never_stored", "placement", "retention", "undeclared_category"].index)
    assert set(rules) == {"never_stored", "placement", "retention", "undeclared_category"}


@pytest.mark.parametrize("unit, amount, audit, expected", [
    ("months", 1, datetime(2026, 3, 31, tzinfo=timezone.utc), datetime(2026, 2, 28, tzinfo=timezone.utc)),
    ("years", 1, datetime(2028, 2, 29, tzinfo=timezone.utc), datetime(2027, 2, 28, tzinfo=timezone.utc)),
    ("weeks", 2, datetime(2026, 1, 10, tzinfo=timezone.utc), datetime(2025, 12, 27, tzinfo=timezone.utc)),
    ("days", 30, datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 1, 30, tzinfo=timezone.utc)),
])
def test_durations_are_calendar_units(unit, amount, audit, expected):
    assert cutoff(RetentionRule(f"{amount} {unit}", amount, unit), audit) == expected


def test_new_means_not_a_violation_of_the_previous_audit():
    a = {"rule": "retention", "path": "Support/a.txt", "entity_type": "EMAIL_ADDRESS", "container": ""}
    b = {**a, "path": "Support/b.txt"}
    same_place_other_container = {**a, "container": "page 2"}
    assert [v["new"] for v in mark_new([a, b], None)] == [True, True]  # a first audit: everything is new
    assert [v["new"] for v in mark_new([a, b, same_place_other_container], [a])] == [False, True, False]
    assert [v["new"] for v in mark_new([a], [{**a, "rule": "placement"}])] == [True]


def test_plain_words():
    assert noun("CREDIT_CARD", 30) == "30 card numbers" and noun("CREDIT_CARD", 1) == "1 card number"
    assert noun("SPECIAL_CATEGORY_HEALTH", 2) == "2 passages about health"
    assert noun("FR_NIR", 1) == "1 FR_NIR value"


def test_the_policy_section_escapes_what_it_shows():
    hostile = {"rule": "never_stored", "path": "<img src=x onerror=alert(1)>.csv", "container": "<b>",
               "category": "financial", "entity_type": "CREDIT_CARD", "records": 3, "new": True,
               "detail": "the notice says card details are never stored: 3 card numbers in <img src=x>.csv"}
    html = policy_lead([hostile]) + policy_body([hostile])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;.csv" in html
    assert 'data-metric="policy_violations" data-value="1"' in html and "<mark>new</mark>" in html
    assert "style=" not in html and "<script" not in html
    assert 'data-value="0"' in policy_lead([]) and "Every promise checked holds" in policy_body([])
