"""Cheap shape tests for cell values that no pattern recogniser claims alone.

Used only together with a column header that names the entity: a value that
looks like a name under a "Surname" header is a name; the same word in a
column called "Product" is not.
"""

from __future__ import annotations

import re
from datetime import datetime

_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del", "della", "dos", "das",
                        "do", "ten", "ter", "zu"})
_WORD = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*$")  # letters of any alphabet: "Łukasz", "O'Brien"
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y",
                 "%d %b %Y", "%B %d, %Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
_ADDRESS = re.compile(r"\d+[A-Za-z]?\s+\S+|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|\b\d{4} ?[A-Z]{2}\b|\b\d{5}\b", re.I)


def name_like(value: str) -> bool:
    """One to four words of letters, the first capitalised (particles aside: "de la Cruz"), or a
    name in capitals: a personal name or surname."""
    words = value.split()
    names = [w for w in words if w not in _PARTICLES]
    return 0 < len(names) <= 4 and len(words) <= 6 and len(value) <= 60 and names[0][0].isupper() and \
        all(_WORD.match(w) for w in words)


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
