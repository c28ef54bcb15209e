"""Austrian social security number (Versicherungsnummer): a serial, a check digit and DDMMYY.

Ten digits, often written 4 + 6 ("1237 010180"), need a label; python-stdnum
checks the check digit.
"""

from stdnum.at import vnr

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import digits_of


class AtSsnRecognizer(LogicRecognizer):
    """Finds valid Austrian social security numbers near their label."""

    ENTITY = "AT_SSN"
    PATTERNS = [LogicPattern("versicherungsnummer", r"(?<![\d-])[1-9]\d{3} ?\d{6}(?![\d-])", WEAK)]
    CONTEXT = ["sozialversicherungsnummer", "versicherungsnummer", "svnr", "sv-nr", "sv-nummer", "vsnr",
               "social security"]
    ANCHORS = [keyword_anchor([r"versicherungsnummer", r"\bsv.?n(?:umme)?r\b", r"\bvsnr\b", "social security"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers whose check digit agrees."""
        return score if vnr.is_valid(digits_of(match.group())) else None
