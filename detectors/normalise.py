"""Normalisation of values before hashing, so equal data hashes equal.

"Jane@Example.COM" and "jane@example.com", "+44 7700 900123" and
"07700 900123", "GB82 WEST 1234…" and "gb82west1234…" must produce the same
``value_hash`` — in a scan and in a data-subject lookup alike.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_ALNUM = re.compile(r"[^0-9A-Za-z]")
_SPACES = re.compile(r"\s+")

# Identifiers whose punctuation and spacing carry no meaning.
_COMPACT = {
    "CREDIT_CARD", "IBAN_CODE", "UK_NINO", "UK_NHS", "US_SSN", "CA_SIN", "BE_NATIONAL_NUMBER",
    "FR_NIR", "NL_BSN", "KR_RRN", "UK_BANK_ACCOUNT", "DEVICE_ID", "US_PASSPORT", "UK_PASSPORT",
    "US_DRIVER_LICENSE", "US_BANK_NUMBER", "UK_DRIVING_LICENCE", "DE_TAX_ID", "ES_DNI", "ES_NIE",
    "IT_FISCAL_CODE", "PL_PESEL", "SE_PERSONNUMMER", "FI_HETU", "DK_CPR", "NO_FODSELSNUMMER", "IE_PPSN", "PT_NIF",
    "AT_SSN", "POSTAL_CODE", "PASSPORT", "ID_CARD",
}
# A name as a machine-readable zone writes it: SURNAME<<GIVEN<NAMES
_MRZ_NAME = re.compile(r"^([A-Z<]+?)<<([A-Z<]*)$")


def normalise_phone(value: str, region: str = "GB") -> str:
    """E.164 when the number parses (national numbers read in ``region``), else digits."""
    if region == "GB" and value[:1] == "0" and "1" <= value[1:2] <= "9":
        # most numbers are UK national ones ("01632 960 123"): eleven digits, which
        # libphonenumber reads as +44 and the ten after the 0, at ~30 µs a number
        digits = value.replace(" ", "")
        if len(digits) == 11 and digits.isascii() and digits.isdigit():
            return "+44" + digits[1:]
    try:
        number = phonenumbers.parse(value, region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"\D", "", value)
    return ("+" if value.strip().startswith("+") else "") + digits


def normalise(entity_type: str, value: str) -> str:
    """The canonical form of ``value`` for hashing; deterministic and locale-free."""
    value = unicodedata.normalize("NFKC", value).strip()
    if entity_type in _COMPACT:
        return _ALNUM.sub("", value).upper()
    if entity_type == "EMAIL_ADDRESS":
        return value.lower()
    if entity_type == "PHONE_NUMBER":
        return normalise_phone(value)
    if entity_type in ("MAC_ADDRESS",):
        return _ALNUM.sub("", value).lower()
    if entity_type == "IP_ADDRESS":
        return value.lower()
    if entity_type == "PERSON":
        mrz = _MRZ_NAME.match(value)
        if mrz:  # given names first, as the name is written elsewhere
            value = f"{mrz.group(2).replace('<', ' ')} {mrz.group(1).replace('<', ' ')}"
    return _SPACES.sub(" ", value).strip().casefold()
