"""NHS number: ten digits (often 3-3-4) whose last is a mod-11 check digit.

One random ten-digit number in eleven passes the check, and 3-3-4 is also a
North American phone shape, so a match is reported only next to a context word.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import nhs_ok

_CONTEXT = ["nhs", "nhs number", "nhs no", "patient", "health", "hospital", "chi number", "gp"]


class UkNhsRecognizer(LogicRecognizer):
    """Finds checksum-valid NHS numbers near health context."""

    ENTITY = "UK_NHS"
    PATTERNS = [LogicPattern("nhs", r"(?<![\d-])\d{3}([ -]?)\d{3}\1\d{4}(?![\d-])", WEAK)]
    CONTEXT = _CONTEXT
    ANCHORS = [keyword_anchor(["nhs", "patient", "health", "hospital", r"\bgp\b", "chi number"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers with a valid check digit."""
        return score if nhs_ok(match.group()) else None
