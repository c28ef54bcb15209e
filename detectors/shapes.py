"""Cheap shape tests for cell values that no pattern recogniser claims alone.

Used only together with a column header that names the entity: a value that
looks like a name under a "Surname" header is a name; the same word in a
column called "Product" is not.
"""

from __future__ import annotations

import re
from datetime import datetime

_NAME = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'’\-]+(?:[ \-][A-ZÀ-Ýa-zà-ÿ][a-zà-ÿ'’\-]*){0,3}$|^[A-ZÀ-Ý][A-ZÀ-Ý'’\-]+(?: [A-ZÀ-Ý][A-ZÀ-Ý'’\-]+){0,3}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y",
                 "%d %b %Y", "%B %d, %Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
_ADDRESS = re.compile(r"\d+[A-Za-z]?\s+\S+|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{4} ?[A-Z]{2}\b|\b\d{5}\b", re.I)


def name_like(value: str) -> bool:
    """One to four capitalised words of letters: a personal name or surname."""
    return bool(_NAME.match(value.strip())) and len(value) <= 60


def date_like(value: str) -> bool:
    """A calendar date in a common format, in a plausible range for a birth date."""
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return 1900 <= parsed.year <= datetime.now().year
    return False


def address_like(value: str) -> bool:
    """Has a house number or a postcode: more than a town name."""
    return len(value) >= 6 and bool(_ADDRESS.search(value))
