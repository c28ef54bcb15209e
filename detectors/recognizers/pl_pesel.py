"""Polish PESEL: a birth date (with the century in the month), a serial and a check digit.

Eleven bare digits need the label PESEL; python-stdnum checks the date and
the check digit.
"""

from stdnum.pl import pesel

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor


class PlPeselRecognizer(LogicRecognizer):
    """Finds valid PESEL numbers near their label."""

    ENTITY = "PL_PESEL"
    PATTERNS = [LogicPattern("pesel", r"(?<![\d-])\d{11}(?![\d-])", WEAK)]
    CONTEXT = ["pesel", "numer pesel", "nr pesel"]
    ANCHORS = [keyword_anchor([r"\bpesel\b"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers with a real birth date and check digit."""
        return score if pesel.is_valid(match.group()) else None
