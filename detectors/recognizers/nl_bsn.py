"""Dutch BSN (burgerservicenummer): nine digits passing the 11-test.

One nine-digit number in eleven passes the test, so a BSN is reported only
next to a context word.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import bsn_ok

_WORDS = ["bsn", "burgerservicenummer", "sofinummer", "sofi-nummer", "sofi nummer", "citizen service number"]


class NlBsnRecognizer(LogicRecognizer):
    """Finds 11-test-valid BSNs near a BSN label."""

    ENTITY = "NL_BSN"
    PATTERNS = [LogicPattern("bsn", r"(?<![\d.-])\d{4}\.?\d{2}\.?\d{3}(?![\d-]|\.\d)|(?<![\d.-])\d{3} ?\d{3} ?\d{3}(?![\d-]|\.\d)", WEAK)]
    CONTEXT = _WORDS
    ANCHORS = [keyword_anchor(["bsn", "burgerservicenummer", "sofi.?nummer", "citizen service number"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers passing the 11-test."""
        return score if bsn_ok(match.group()) else None
