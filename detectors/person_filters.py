"""Precision filters for PERSON spans, shared by the spaCy and the gazetteer name tiers.

Both tiers propose capitalised word runs as people; these checks are the
minimum evidence either must show, so that headings, products and company
names are held to the same bar whichever tier proposed them.
"""

from __future__ import annotations

import re

# Capitalised words spaCy's small model likes to call people, which are not.
NOT_NAMES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "ltd", "limited", "plc", "inc", "llc", "gmbh", "corp",
    "team", "department", "dept", "manager", "director", "invoice", "order", "customer",
    "employee", "name", "address", "email", "phone", "mobile", "total", "subject", "dear",
    "regards", "thanks", "hello", "hi", "re", "fw", "fwd", "note", "notes", "page", "section",
    "table", "figure", "appendix", "summary", "report", "policy", "version", "release",
    "server", "client", "admin", "user", "support", "service", "services", "product",
    "account", "payroll", "hr", "it", "ceo", "cto", "cfo", "dpo", "gdpr", "nhs", "iban", "vat",
})
_NAME_TOKEN = re.compile(r"^[A-Z][a-zA-Z'\-]+$|^[A-Z]\.?$|^(?:van|de|der|den|von|da|di|le|la|du|mc|mac|o')$", re.I)
STRONG_BEFORE = re.compile(
    r"(?:\bname|\bemployee|\bfrom|\bto|\bcc|\bdear|\bmr|\bmrs|\bms|\bmiss|\bdr|\bprof|\bcontact|"
    r"\bcustomer|\bpatient|\bapplicant|\bsigned|\bauthor|\bmanager|\bby|\bwith|\bsincerely|\bregards)"
    r"\W{0,3}$", re.I)


def plausible_person(text: str, start: int, end: int) -> bool:
    """Minimum evidence for a name at ``text[start:end]``: name-shaped tokens, not a
    deny-listed word, and two tokens or strong context for a lone token."""
    tokens = text[start:end].split()
    if not tokens or len(tokens) > 5 or any(ch.isdigit() for ch in text[start:end]):
        return False
    if any(not _NAME_TOKEN.match(t.strip(".,")) for t in tokens):
        return False
    if any(t.strip(".,").lower() in NOT_NAMES for t in tokens):
        return False
    if all(t.isupper() and len(t) > 1 for t in tokens):  # headings in capitals
        return False
    if len(tokens) == 1:
        return bool(STRONG_BEFORE.search(text[max(0, start - 24):start]))
    return True
