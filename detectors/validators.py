"""Check-digit algorithms of the identifiers we recognise.

A checksum is what lets a bare digit run count as an identifier: without one
(or context words), a 9- or 11-digit number is just a number. Every function
takes the candidate text, ignores separators, and returns True only when the
check digits agree.
"""

from __future__ import annotations

import re
from datetime import date

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_of(text: str) -> str:
    """The candidate without spaces, dashes, dots or slashes."""
    return _NON_ALNUM.sub("", text)


def luhn_ok(text: str) -> bool:
    """Luhn (mod 10): credit cards, Canadian SINs, IMEIs."""
    digits = digits_of(text)
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def nhs_ok(text: str) -> bool:
    """NHS number: weights 10..2 over nine digits, check = 11 - sum mod 11 (10 is never issued)."""
    digits = digits_of(text)
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9]) and len(set(digits)) > 1


def bsn_ok(text: str) -> bool:
    """Dutch BSN "11-test": weights 9..2 and -1 over nine digits, sum divisible by 11."""
    digits = digits_of(text)
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def be_national_number_ok(text: str) -> bool:
    """Belgian national register number: YYMMDD + serial + 97 - (number mod 97); "2" prefixed after 2000."""
    digits = digits_of(text)
    if len(digits) != 11 or not digits.isdigit():
        return False
    body, check = int(digits[:9]), int(digits[9:])
    month, day = int(digits[2:4]), int(digits[4:6])
    if month > 12 or day > 31:  # 00 is allowed: birth date partly unknown
        return False
    return check in (97 - body % 97, 97 - (2_000_000_000 + body) % 97)


def fr_nir_ok(text: str) -> bool:
    """French NIR (social security number): 13 characters + key = 97 - (number mod 97).

    Corsica's departments 2A/2B count as 19/18 in the key computation.
    """
    raw = digits_of(text).upper()
    if len(raw) != 15 or raw[0] not in "1278" or not raw[13:].isdigit():
        return False
    body = raw[:13].replace("2A", "19", 1).replace("2B", "18", 1) if raw[5:7] in ("2A", "2B") else raw[:13]
    if not body.isdigit():
        return False
    month = int(body[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return int(raw[13:]) == 97 - int(body) % 97


def kr_rrn_ok(text: str) -> bool:
    """Korean resident registration number: YYMMDD + 7 digits, weighted mod-11 check digit."""
    digits = digits_of(text)
    if len(digits) != 13 or not digits.isdigit():
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31) or digits[6] not in "1234567890":
        return False
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = (11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11) % 10
    return check == int(digits[12])


# IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


# A -> "10" … Z -> "35", as ISO 13616 spells letters for the check: one translate, not a call per character
_IBAN_LETTER_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(65, 91)})


def iban_ok(text: str) -> bool:
    """IBAN: known country, its registered length, and mod 97 of the rearranged number equal to 1."""
    raw = digits_of(text).upper()
    if IBAN_LENGTHS.get(raw[:2]) != len(raw) or not raw[2:4].isdigit():
        return False
    rearranged = raw[4:] + raw[:4]
    return int(rearranged.translate(_IBAN_LETTER_DIGITS)) % 97 == 1


def valid_date(year: int, month: int, day: int) -> bool:
    """A real calendar date."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
