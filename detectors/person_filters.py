"""Precision filters for PERSON spans, shared by the spaCy and the gazetteer name tiers.

Both tiers propose capitalised word runs as people; these checks are the
minimum evidence either must show, so that headings, products and company
names are held to the same bar whichever tier proposed them.
"""

from __future__ import annotations

import re

MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"})
# Capitalised words spaCy's small model likes to call people, which are not. Months are names
# beside a title or a first name ("Mr. May", "Theresa May", "April Jones"): see MONTHS.
NOT_NAMES = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "ltd", "limited", "plc", "inc",
    "llc", "gmbh", "corp", "team", "department", "dept", "manager", "director", "invoice", "order", "customer",
    "employee", "name", "address", "email", "phone", "mobile", "total", "subject", "dear", "regards", "thanks",
    "hello", "hi", "re", "fw", "fwd", "note", "notes", "page", "section", "table", "figure", "appendix",
    "summary", "report", "policy", "version", "release", "server", "client", "admin", "user", "support",
    "service", "services", "product", "account", "payroll", "hr", "it", "ceo", "cto", "cfo", "dpo", "gdpr", "nhs",
    "iban", "vat", "lorem", "ipsum", "muslim", "hindu", "sikh", "jewish", "catholic", "buddhist", "protestant",
    "stichting", "stiftung", "fondation", "fundación", "fondazione", "verein",
})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "herr", "frau", "hr", "fr",
                        "mme", "mlle", "m", "sr", "sra", "srta", "sig", "dhr", "mevr", "pan", "pani", "bay", "bayan"})
# abbreviations that label a line or a letter's parts ("Tel: 0161 …"), too short for the word lists
LABELS = frozenset({"tel", "fax", "ref", "refs", "attn", "encl", "enc", "cc", "bcc", "pp", "ps", "etc", "eg",
                    "ie", "approx", "ext", "mob", "dept", "no", "nr", "st", "rd", "ave"})
# lower-case words that stand inside a name: particles ("Jan van der Berg", "María de la Cruz")
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "ten", "ter", "del", "della",
                       "dos", "das", "do", "zu", "'t", "af", "al", "bin", "ibn", "mc", "mac", "o'"})
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃŞÇĞİÖÜ][\w'’\-]*\.?$")
STRONG_BEFORE = re.compile(
    r"(?:\bname|\bemployee|\bfrom|\bto|\bcc|\bdear|\bmr|\bmrs|\bms|\bmiss|\bdr|\bprof|\bcontact|"
    r"\bcustomer|\bpatient|\bapplicant|\bsigned|\bauthor|\bmanager|\bby|\bwith|\bsincerely|\bregards|\bthanks|"
    r"\bbest|\bcheers)\W{0,3}$", re.I)


def is_name_token(token: str) -> bool:
    """A capitalised word (or an initial) without digits, or a particle."""
    return token.lower() in PARTICLES or (bool(_NAME_TOKEN.match(token)) and not any(c.isdigit() for c in token))


def plausible_person(text: str, start: int, end: int, single_ok: bool = False) -> bool:
    """Minimum evidence for a name at ``text[start:end]``: name-shaped tokens, not a
    deny-listed word, and two tokens or strong context for a lone token (``single_ok``:
    the caller has other evidence for a lone token)."""
    tokens = [t.strip(".,") for t in text[start:end].split()]
    if not tokens or len(tokens) > 5 or any(ch.isdigit() for ch in text[start:end]):
        return False
    if any(not t or not is_name_token(t) for t in tokens):
        return False
    lowered = [t.lower() for t in tokens]
    if any(t in NOT_NAMES for t in lowered):
        return False
    if any(t in MONTHS for t in lowered) and not _month_is_name(lowered):
        return False
    if all(t.isupper() and len(t) > 1 for t in tokens):  # headings in capitals
        return False
    if len(tokens) == 1:
        return single_ok or bool(STRONG_BEFORE.search(text[max(0, start - 24):start]))
    return True


def _month_is_name(tokens: list[str]) -> bool:
    """Whether the months among ``tokens`` stand beside a title or another name word ("Mr. May",
    "Theresa May", "April Jones"), not alone ("May")."""
    return len(tokens) > 1 and (tokens[0] in HONORIFICS or any(t not in MONTHS | HONORIFICS for t in tokens))
