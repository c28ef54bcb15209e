"""Danish CPR number: DDMMYY-SSSS, the seventh digit telling the century.

CPR numbers issued since 2007 need not pass the old mod-11 check, so the
birth date is all python-stdnum can check: a CPR number is reported only
next to its label.
"""

from stdnum.dk import cpr

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor


class DkCprRecognizer(LogicRecognizer):
    """Finds Danish CPR numbers with a real birth date near their label."""

    ENTITY = "DK_CPR"
    PATTERNS = [LogicPattern("cpr", r"(?<![\d-])\d{6}-?\d{4}(?![\d-])", WEAK)]
    CONTEXT = ["cpr", "cpr-nr", "cpr nr", "cpr-nummer", "cpr number", "personnummer", "personnr"]
    ANCHORS = [keyword_anchor([r"\bcpr\b", r"person.?n(?:umme)?r"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers with a real birth date."""
        return score if cpr.is_valid(match.group()) else None
