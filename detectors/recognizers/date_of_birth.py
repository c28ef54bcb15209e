"""Dates of birth: a date is one only when the text says so.

Dates are everywhere (logs, invoices); a date becomes personal data when a
word like "DOB", "born" or "geboortedatum" is next to it. The pre-filter
anchors on those words, not on dates, so log timestamps cost nothing.
"""

import re

from detectors.recognizers.common import LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import valid_date

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
           "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
           "januari|februari|maart|mei|juni|juli|augustus|oktober|"
           "januar|februar|märz|oktober|dezember")
_NUMERIC = r"(?:\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)?\d{2}|(?:19|20)\d{2}[./\-]\d{1,2}[./\-]\d{1,2})"
_WORDY = (rf"(?:\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}}"
          rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})")
_WORDS = ["dob", "d.o.b", "d.o.b.", "date of birth", "birth date", "birthdate", "born", "born on", "birthday",
          "geboortedatum", "geboren", "date de naissance", "né le", "née le", "né", "née", "geburtsdatum",
          "geb.", "fecha de nacimiento", "data di nascita", "birth"]


class DateOfBirthRecognizer(LogicRecognizer):
    """Finds dates next to a birth-date word."""

    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [LogicPattern("date", rf"(?<![\w./\-]){_NUMERIC}(?![\w/\-]|\.\d)|(?<!\w){_WORDY}(?!\w)", 0.3)]
    CONTEXT = _WORDS
    NEEDS_CONTEXT = True
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 0  # "born" after a date is usually another sentence
    ANCHORS = [keyword_anchor([r"\bdob\b", r"d\.o\.b", "birth", r"\bborn\b", "geboorte", "geboren", "naissance",
                               r"\bn[ée]e?\s+le", r"\bgeb\.", "geburtsdatum", "nacimiento", "nascita"])]
    MAX_MATCH = 70

    def score_match(self, match, score, text):
        """Numeric dates must be real calendar dates in either day/month order."""
        parts = [int(p) for p in re.split(r"[./\-]", match.group()) if p.isdigit()]
        if len(parts) != 3:
            return score
        if parts[0] > 31:
            year, month, day = parts
            return score if valid_date(year, month, day) else None
        year = parts[2] + (1900 if parts[2] > 30 else 2000) if parts[2] < 100 else parts[2]
        ok = valid_date(year, parts[1], parts[0]) or valid_date(year, parts[0], parts[1])
        return score if ok else None
