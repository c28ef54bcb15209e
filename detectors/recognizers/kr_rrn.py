"""Korean resident registration number: YYMMDD-GNNNNNC with a weighted mod-11 check digit.

The dashed form with a valid date and check digit stands alone; thirteen bare
digits need a context word.
"""

from detectors.recognizers.base import Pattern
from detectors.recognizers.common import WEAK, LogicRecognizer
from detectors.validators import kr_rrn_ok


class KrRrnRecognizer(LogicRecognizer):
    """Finds Korean RRNs with a valid birth date and check digit."""

    ENTITY = "KR_RRN"
    PATTERNS = [
        Pattern("dashed", r"(?<![\d-])\d{6}-[1-8]\d{6}(?![\d-])", 0.7),
        Pattern("bare", r"(?<![\d-])\d{6}[1-8]\d{6}(?![\d-])", WEAK),
    ]
    CONTEXT = ["rrn", "resident registration", "주민등록번호", "주민번호", "registration number"]
    ANCHORS = [r"\d{6}-[1-8]\d{6}", r"(?:rrn|resident registration|주민등록번호|주민번호)"]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers with a real date and matching check digit."""
        return score if kr_rrn_ok(match.group()) else None
