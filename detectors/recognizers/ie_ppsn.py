"""Irish PPS number: seven digits, a check letter and an optional second letter.

Seven digits and a letter are a common reference shape, so a PPSN is
reported only next to its label.
"""

from stdnum.ie import pps

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor


class IePpsnRecognizer(LogicRecognizer):
    """Finds Irish PPS numbers whose check letter agrees, near their label."""

    ENTITY = "IE_PPSN"
    PATTERNS = [LogicPattern("ppsn", r"(?<![\w-])\d{7}[A-W][ABHWTX]?(?![\w-])", WEAK)]
    CONTEXT = ["pps", "ppsn", "pps number", "pps no", "personal public service", "rsi"]
    ANCHORS = [keyword_anchor([r"\bppsn?\b", "personal public service", r"\brsi\b"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers whose check letter agrees."""
        return score if pps.is_valid(match.group().upper()) else None
