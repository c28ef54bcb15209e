"""Masked previews: enough for a person to recognise the kind of value, never the value.

The preview is the only rendering of a finding in any output. It keeps the
shape (separators, length class) and at most a few characters that identify
nobody: the first letter of an e-mail's parts, the last four digits of a card
or account (as a bank statement does), never more than a quarter of the value.
"""

from __future__ import annotations

import re
import string

_WORDCHAR = re.compile(r"[^\W_]", re.UNICODE)  # exactly str.isalnum: re's word characters but "_"

_LAST4 = {"CREDIT_CARD", "IBAN_CODE", "UK_BANK_ACCOUNT", "US_BANK_NUMBER"}
# ASCII letters and digits to "*": the shape-only preview of an ASCII identifier in one
# C call (a log has a new address on every few lines; two regex passes cost 2 µs each)
_ASCII_ALNUM_TO_STAR = str.maketrans(dict.fromkeys(string.ascii_letters + string.digits, "*"))


def _mask_word(word: str) -> str:
    return word[:1] + "***" if word else word


def _keep_last(value: str, keep: int) -> str:
    """Mask every letter and digit except the last ``keep`` ones (by regex: a preview is made
    for every new value, and a character loop took ~20 µs a phone number)."""
    positions = [m.start() for m in _WORDCHAR.finditer(value)]
    cut = len(value) if not keep else positions[-keep] if len(positions) >= keep else 0
    return _WORDCHAR.sub("*", value[:cut]) + value[cut:]


def mask(entity_type: str, value: str) -> str:
    """A masked preview of ``value`` for ``entity_type``; never the raw value."""
    value = value.strip()
    if len(value) > 80:
        value = value[:80]
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        labels = domain.split(".")
        masked_domain = ".".join([_mask_word(l) for l in labels[:-1]] + labels[-1:])
        return f"{_mask_word(local)}@{masked_domain}"
    if entity_type in _LAST4:
        alnum = len(_WORDCHAR.findall(value))
        return _keep_last(value, 4 if alnum >= 12 else 0)
    if entity_type == "PHONE_NUMBER":
        return _keep_last(value, 2)
    if entity_type in ("PERSON", "STREET_ADDRESS", "LOCATION") or entity_type.startswith(
            ("SPECIAL_CATEGORY", "CRIMINAL")):
        return " ".join(_mask_word(w) for w in value.split()[:6])
    if entity_type == "PASSWORD":
        return "********"  # not even the length of a secret
    # identifiers, dates, addresses of machines: keep shape only
    if value.isascii():
        return value.translate(_ASCII_ALNUM_TO_STAR)
    return _WORDCHAR.sub("*", value)
