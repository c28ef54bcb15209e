"""Korean resident registration number: YYMMDD-GNNNNNC, G telling the century and sex.

Numbers issued before October 2020 end in a weighted mod-11 check digit
(residents' and foreigners' formulas differ); since then the last six digits
are random, so only the birth date can be checked. The dashed form with a
valid check digit stands alone; a dashed number without one, and thirteen
bare digits, need a context word.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer
from detectors.validators import kr_birth_date_ok, kr_foreigner_ok, kr_rrn_ok


class KrRrnRecognizer(LogicRecognizer):
    """Finds Korean registration numbers of residents and foreigners with a valid birth date."""

    ENTITY = "KR_RRN"
    PATTERNS = [
        LogicPattern("dashed", r"(?<![\d-])\d{6}-[1-8]\d{6}(?![\d-])", 0.7),
        LogicPattern("bare", r"(?<![\d-])\d{6}[1-8]\d{6}(?![\d-])", WEAK),
    ]
    CONTEXT = ["rrn", "resident registration", "주민등록번호", "주민번호", "registration number", "외국인등록번호",
               "frn", "foreigner registration", "alien registration"]
    ANCHORS = [r"\d{6}-[1-8]\d{6}", r"(?:rrn|resident registration|주민등록번호|주민번호|외국인등록번호|\bfrn\b|"
                                      r"foreigner registration|alien registration)"]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """A check digit that agrees keeps the form's score; a real birth date without one (a
        number issued since October 2020) needs a context word."""
        value = match.group()
        if kr_rrn_ok(value) or kr_foreigner_ok(value):
            return score
        return WEAK if kr_birth_date_ok(value) else None
