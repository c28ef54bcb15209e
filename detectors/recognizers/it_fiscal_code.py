"""Italian codice fiscale: surname and name letters, birth date and place, a check letter.

Sixteen characters in a fixed letter/digit layout (digits may be replaced by
letters for homonyms) with a check letter: the shape stands without a label.
"""

from stdnum.it import codicefiscale

from detectors.recognizers.base import Pattern
from detectors.recognizers.common import LogicRecognizer

_DIGIT = "[0-9LMNPQRSTUV]"  # omocodia: digits replaced by letters
_CF = rf"[A-Z]{{6}}{_DIGIT}{{2}}[A-EHLMPR-T]{_DIGIT}{{2}}[A-Z]{_DIGIT}{{3}}[A-Z]"


class ItFiscalCodeRecognizer(LogicRecognizer):
    """Finds Italian fiscal codes whose check letter agrees."""

    ENTITY = "IT_FISCAL_CODE"
    PATTERNS = [Pattern("codice fiscale", rf"(?<![\w-]){_CF}(?![\w-])", 0.7)]
    CONTEXT = ["codice fiscale", "cod. fiscale", "cod fisc", "c.f.", "cf", "fiscal code", "tax code"]
    ANCHORS = [r"[a-z]{6}[0-9lmnpqrstuv]{2}[a-ehlmpr-t][0-9lmnpqrstuv]{2}[a-z][0-9lmnpqrstuv]{3}[a-z]"]
    MAX_MATCH = 16

    def score_match(self, match, score, text):
        """Keep only codes whose check letter agrees."""
        return score if codicefiscale.is_valid(match.group().upper()) else None
