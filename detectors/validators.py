"""Check digits of the identifiers we recognise, from python-stdnum where it has them.

A checksum is what lets a bare digit run count as an identifier: without one
(or context words), a 9- or 11-digit number is just a number. python-stdnum
(LGPL-2.1) implements the check digits, birth dates and formats of nearly
every national number, kept up to date by its maintainers; the few rules it
lacks (Korean numbers issued to foreigners, NI number prefixes) stay in the
recognisers. Every function here takes the candidate text as written, drops
its separators, and returns True only when the number is valid.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from stdnum import iban, luhn
from stdnum.be import nn as be_nn
from stdnum.exceptions import ValidationError
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.kr import rrn
from stdnum.nl import bsn

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_of(text: str) -> str:
    """The candidate without spaces, dashes, dots or slashes."""
    return _NON_ALNUM.sub("", text)


def luhn_ok(text: str) -> bool:
    """Luhn (mod 10): credit cards, Canadian SINs, IMEIs."""
    digits = digits_of(text)
    return digits.isdigit() and luhn.is_valid(digits)


def nhs_ok(text: str) -> bool:
    """NHS number: mod-11 check digit (10 is never issued); ten equal digits are a placeholder."""
    digits = digits_of(text)
    return nhs.is_valid(digits) and len(set(digits)) > 1


def bsn_ok(text: str) -> bool:
    """Dutch BSN "11-test" over nine digits (all zeros is a placeholder)."""
    digits = digits_of(text)
    return len(digits) == 9 and digits != "000000000" and bsn.is_valid(digits)


def be_national_number_ok(text: str) -> bool:
    """Belgian national register number: a birth date, a serial and a mod-97 check (before or after 2000)."""
    digits = digits_of(text)
    return len(digits) == 11 and be_nn.is_valid(digits)


def fr_nir_ok(text: str) -> bool:
    """French NIR (social security number): 13 characters and a mod-97 key (Corsica's 2A/2B included)."""
    raw = digits_of(text).upper()
    return len(raw) == 15 and nir.is_valid(raw)


def kr_rrn_ok(text: str) -> bool:
    """Korean resident registration number: a birth date and the check digit of numbers issued
    before October 2020 (residents' formula; foreigners' numbers have their own, see
    :func:`kr_foreigner_ok`)."""
    digits = digits_of(text)
    return len(digits) == 13 and rrn.is_valid(digits)


def kr_birth_date_ok(text: str) -> bool:
    """Whether a Korean registration number starts with a real birth date for its century digit
    (numbers issued since October 2020 end in random digits: the date is all there is to check)."""
    digits = digits_of(text)
    if len(digits) != 13 or not digits.isdigit():
        return False
    try:
        rrn.get_birth_date(digits)
    except ValidationError:
        return False
    return True


def kr_foreigner_ok(text: str) -> bool:
    """Korean foreigner registration number (century digit 5-8): the residents' weights, but
    check = (13 - sum mod 11) mod 10. python-stdnum checks residents' numbers only."""
    digits = digits_of(text)
    if len(digits) != 13 or not digits.isdigit() or digits[6] not in "5678" or not kr_birth_date_ok(digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)))
    return (13 - total % 11) % 10 == int(digits[12])


# A -> "10" … Z -> "35", as ISO 13616 spells letters for the check: one translate, not a call per character
_IBAN_LETTER_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(65, 91)})


# digits and letters of a BBAN as the registry's formats tell them apart ("4!a6!n8!n")
_BBAN_SHAPE = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "n" * 10 + "a" * 26)
_REGISTRY_VERDICTS: dict[str, bool] = {}  # country + BBAN shape -> registered format
_REGISTRY_VERDICTS_MAX = 4096


@functools.lru_cache(maxsize=4096)  # an IBAN comes back (a log, a statement)
def iban_ok(text: str) -> bool:
    """IBAN: mod 97 of the rearranged number equal to 1, a registered country and its BBAN format
    (python-stdnum's registry). National account checks are not required: an IBAN is personal
    data whoever issued it. The mod-97 test runs first, in one expression: it turns down all
    but one in 97 candidates before the registry lookup (~100 µs) is paid, and the lookup's
    verdict is kept per country and shape of the BBAN (which characters are digits), all it
    depends on: a column of a thousand British IBANs pays it once."""
    raw = digits_of(text).upper()
    if len(raw) < 15 or not raw[2:4].isdigit() or not raw.isalnum() or not raw.isascii():
        return False
    if int((raw[4:] + raw[:4]).translate(_IBAN_LETTER_DIGITS)) % 97 != 1:
        return False
    shape = raw[:2] + raw[4:].translate(_BBAN_SHAPE)
    registered = _REGISTRY_VERDICTS.get(shape)
    if registered is None:
        try:
            iban.validate(raw, check_country=False)
            registered = True
        except ValidationError:
            registered = False
        if len(_REGISTRY_VERDICTS) >= _REGISTRY_VERDICTS_MAX:
            _REGISTRY_VERDICTS.clear()
        _REGISTRY_VERDICTS[shape] = registered
    return registered


def valid_date(year: int, month: int, day: int) -> bool:
    """A real calendar date."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
