"""Canadian Social Insurance Number: nine digits (3-3-3) with a Luhn check digit.

One nine-digit number in ten passes Luhn, so a SIN needs a context word.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import luhn_ok

_WORDS = ["sin", "social insurance", "numéro d'assurance sociale", "nas", "assurance sociale"]


class CaSinRecognizer(LogicRecognizer):
    """Finds Luhn-valid SINs near a SIN label."""

    ENTITY = "CA_SIN"
    PATTERNS = [LogicPattern("sin", r"(?<![\d-])[1-79]\d{2}([ -]?)\d{3}\1\d{3}(?![\d-])", WEAK)]
    CONTEXT = _WORDS
    ANCHORS = [keyword_anchor([r"\bsin\b", "social insurance", r"\bnas\b", "assurance sociale"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only Luhn-valid numbers."""
        return score if luhn_ok(match.group()) else None
