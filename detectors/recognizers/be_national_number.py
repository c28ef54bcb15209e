"""Belgian national register number (rijksregisternummer): YY.MM.DD-SSS.CC, mod 97.

The dotted form is distinctive; eleven bare digits are reported only with context.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import be_national_number_ok

_CONTEXT = ["rijksregisternummer", "rijksregister", "national number", "numéro national", "numero national",
            "nn", "insz", "niss", "registre national", "national register", "identificatienummer"]


class BeNationalNumberRecognizer(LogicRecognizer):
    """Finds Belgian national numbers whose check digits agree."""

    ENTITY = "BE_NATIONAL_NUMBER"
    PATTERNS = [
        LogicPattern("formatted", r"(?<![\d.-])\d{2}\.\d{2}\.\d{2}[- ]\d{3}\.\d{2}(?![\d-]|\.\d)", 0.7),
        LogicPattern("bare", r"(?<![\d.-])\d{6}[- ]?\d{3}[- ]?\d{2}(?![\d-]|\.\d)", WEAK),
    ]
    CONTEXT = _CONTEXT
    ANCHORS = [r"\d{2}\.\d{2}\.\d{2}[- ]\d{3}\.\d{2}",
               keyword_anchor(["rijksregister", r"national\s+(?:register|number)", r"num[ée]ro\s+national",
                               r"\bnn\b", r"\binsz\b", r"\bniss\b", "registre national", "identificatienummer"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers with a valid birth date part and check digits."""
        return score if be_national_number_ok(match.group()) else None
