"""Checking a client's privacy promises (contract.policy) against one scan inventory.

A violation is one (path, entity type) of the inventory that breaks a promise:

* ``never_stored`` — an entity type the notice says is never stored was found;
* ``placement`` — data a placement rule selects lies outside every place the rules
  that select it allow (two rules for one category add up: either's places will do);
* ``retention`` — the item was last modified longer ago than a retention rule that
  selects its data and its path allows, measured from the audit's start (exactly
  ``max_age`` old is still within the promise); items without a modification time
  (database tables) are never judged on age;
* ``undeclared_category`` — a category the notice does not declare was found.

Paths are matched against the item's path relative to its target root (a table
column's ``db.schema.table.column``), case-insensitively on SMB shares. Everything
is aggregated in DuckDB first: Python sees one row per (path, entity type), not
one per finding.
"""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
from dateutil.relativedelta import relativedelta

from contract.categories import category_of
from contract.policy import (NEVER_STORED, PLACEMENT, RETENTION, UNDECLARED_CATEGORY, VIOLATION_KINDS, Policy,
                             RetentionRule, Selector, path_matcher)
from reports.query import attach, rows

# What one record of an entity type is called in a sentence: (one, many).
_NOUNS = {
    "CREDIT_CARD": ("card number", "card numbers"),
    "IBAN_CODE": ("IBAN", "IBANs"),
    "UK_BANK_ACCOUNT": ("bank account number", "bank account numbers"),
    "EMAIL_ADDRESS": ("e-mail address", "e-mail addresses"),
    "PHONE_NUMBER": ("phone number", "phone numbers"),
    "STREET_ADDRESS": ("street address", "street addresses"),
    "PERSON": ("name", "names"),
    "DATE_OF_BIRTH": ("date of birth", "dates of birth"),
    "UK_NINO": ("National Insurance number", "National Insurance numbers"),
    "UK_NHS": ("NHS number", "NHS numbers"),
    "US_SSN": ("social security number", "social security numbers"),
    "IP_ADDRESS": ("IP address", "IP addresses"),
    "MAC_ADDRESS": ("MAC address", "MAC addresses"),
    "DEVICE_ID": ("device ID", "device IDs"),
    "PASSWORD": ("password", "passwords"),
    "CRIMINAL_OFFENCE": ("passage about a criminal offence", "passages about criminal offences"),
}
_SPECIAL = {"HEALTH": "health", "RELIGION": "religion", "TRADE_UNION": "trade union membership",
            "SEXUAL_ORIENTATION": "sexual orientation", "ETHNICITY": "ethnic origin",
            "POLITICAL": "political opinions", "BIOMETRIC": "biometric data", "GENETIC": "genetic data"}
# How a promise names an entity type, where its plural noun would not read well.
_PROMISE_NAMES = {"CREDIT_CARD": "card details", "PERSON": "names of people"}

_GROUPS_SQL = """
    WITH top AS (
        SELECT uri, CAST(max(epoch(mtime)) AS BIGINT) AS mtime FROM items WHERE container = '' GROUP BY uri)
    SELECT fi.target, any_value(fi.agent) AS agent, fi.path, fi.entity_type,
           any_value(fi.category) AS category, sum(fi.count) AS records,
           string_agg(DISTINCT nullif(fi.container, ''), ', ' ORDER BY nullif(fi.container, '')) AS containers,
           max(top.mtime) AS mtime
    FROM findings fi LEFT JOIN top USING (uri)
    GROUP BY fi.target, fi.path, fi.entity_type
    ORDER BY fi.path, fi.entity_type, fi.target
"""


def noun(entity_type: str, count: int) -> str:
    """``30 card numbers``: a count of one entity type in plain words."""
    if entity_type.startswith("SPECIAL_CATEGORY_"):
        topic = _SPECIAL.get(entity_type[len("SPECIAL_CATEGORY_"):], entity_type.lower())
        return f"{count:,} passage{'s' if count != 1 else ''} about {topic}"
    one, many = _NOUNS.get(entity_type, (f"{entity_type} value", f"{entity_type} values"))
    return f"{count:,} {one if count == 1 else many}"


def promised(entity_type: str) -> str:
    """How a promise names an entity type: "card details", "IBANs", "health data"."""
    if entity_type in _PROMISE_NAMES:
        return _PROMISE_NAMES[entity_type]
    if entity_type.startswith("SPECIAL_CATEGORY_"):
        return _SPECIAL.get(entity_type[len("SPECIAL_CATEGORY_"):], entity_type.lower()) + " data"
    return _NOUNS.get(entity_type, (entity_type, f"{entity_type} values"))[1]


def _data_words(selector: Selector) -> str:
    """What a rule is about, in words: "special category data and card details"."""
    names = [f"{c} data" for c in selector.categories] + [promised(e) for e in selector.entity_types]
    return " and ".join(names) or "personal data"


def _places(paths: tuple[str, ...]) -> str:
    return ", ".join(paths) if paths else "no place at all"


def cutoff(rule: RetentionRule, audit_started: datetime) -> datetime:
    """The oldest modification time a retention rule allows: the audit's start less max_age
    in calendar units (13 months before 7 December is 7 November of the year before)."""
    return audit_started - relativedelta(**{rule.unit: rule.amount})


def _where(group: dict) -> str:
    return group["path"] + (f" [{group['containers']}]" if group["containers"] else "")


def evaluate(scan_dir: str, policy: Policy, audit_started: datetime,
             con: duckdb.DuckDBPyConnection | None = None) -> list[dict]:
    """The violations of ``policy`` in the inventory ``scan_dir``, in report order.

    Each is ``{"rule", "path", "container", "category", "entity_type", "records",
    "detail", "new"}`` (``new`` is False here: :func:`mark_new` sets it). ``audit_started``
    (an aware datetime) is what retention ages are measured from.
    """
    con = con or duckdb.connect()
    attach(con, scan_dir)
    cutoffs = [cutoff(rule, audit_started).timestamp() for rule in policy.retention]
    matchers: dict[tuple, object] = {}

    def matches(paths: tuple[str, ...], path: str, agent: str | None) -> bool:
        key = (paths, agent == "smb")
        if key not in matchers:
            matchers[key] = path_matcher(paths, ignore_case=agent == "smb")
        return matchers[key].match(path)

    found = []
    for group in rows(con, _GROUPS_SQL):
        category = group["category"] or category_of(group["entity_type"])
        entity_type, path, agent = group["entity_type"], group["path"] or "", group["agent"]
        what = noun(entity_type, int(group["records"] or 0))

        def violation(rule: str, detail: str) -> None:
            found.append({"rule": rule, "path": path, "container": group["containers"] or "",
                          "category": category, "entity_type": entity_type, "records": int(group["records"] or 0),
                          "detail": detail, "new": False})

        if entity_type in policy.never_stored:
            violation(NEVER_STORED, f"the notice says {promised(entity_type)} are never stored: {what} in "
                                    f"{_where(group)}")
        placing = [rule for rule in policy.placement if rule.selector.selects(category, entity_type)]
        if placing and not any(rule.paths and matches(rule.paths, path, agent) for rule in placing):
            violation(PLACEMENT, f"the notice promises to keep {_data_words(placing[0].selector)} only in "
                                 f"{_places(tuple(p for r in placing for p in r.paths))}: {what} in {_where(group)}")
        mtime = group["mtime"]
        for rule, oldest in zip(policy.retention, cutoffs):
            if (mtime is not None and mtime < oldest and rule.selector.selects(category, entity_type)
                    and (not rule.paths or matches(rule.paths, path, agent))):
                modified = datetime.fromtimestamp(mtime, timezone.utc)
                scope = f" in {', '.join(rule.paths)}" if rule.paths else ""
                violation(RETENTION, f"the notice promises to keep {_data_words(rule.selector)}{scope} for at most "
                                     f"{rule.max_age}: {what} in {_where(group)}, last modified "
                                     f"{modified:%Y-%m-%d} (audit started {audit_started:%Y-%m-%d})")
                break  # one retention violation per place: the first rule it breaks
        if policy.declared_categories is not None and category not in policy.declared_categories:
            violation(UNDECLARED_CATEGORY, f"the notice does not declare {category} data: {what} in {_where(group)}")
    order = {kind: i for i, kind in enumerate(VIOLATION_KINDS)}
    found.sort(key=lambda v: (order[v["rule"]], v["path"], v["entity_type"], v["container"]))
    return found


def violation_key(violation: dict) -> tuple[str, str, str]:
    """What makes a violation "the same" across audits of one client: (rule, path, entity type)."""
    return violation["rule"], violation["path"], violation["entity_type"]


def mark_new(violations: list[dict], previous: list[dict] | None) -> list[dict]:
    """``violations`` with ``new`` set: true when the previous audit's violations (None when
    there was no previous audit) had none with the same :func:`violation_key`."""
    before = {violation_key(v) for v in previous or []}
    return [{**v, "new": violation_key(v) not in before} for v in violations]
