"""Italian codice fiscale: surname and name letters, birth date and place, a check letter.

Sixteen characters in a fixed letter/digit layout (digits may be replaced by
letters for homonyms) with a check letter: the shape stands without a label,
in capitals; in lower case only next to it.
"""

from stdnum.it import codicefiscale

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor

_DIGIT = "[0-9LMNPQRSTUV]"  # omocodia: digits replaced by letters
_CF = rf"[A-Z]{{6}}{_DIGIT}{{2}}[A-EHLMPR-T]{_DIGIT}{{2}}[A-Z]{_DIGIT}{{3}}[A-Z]"


class ItFiscalCodeRecognizer(LogicRecognizer):
    """Finds Italian fiscal codes whose check letter agrees."""

    ENTITY = "IT_FISCAL_CODE"
    FLAGS = 0  # written in capitals; in lower case only next to its label
    PATTERNS = [
        LogicPattern("codice fiscale", rf"(?<![\w-]){_CF}(?![\w-])", 0.7),
        LogicPattern("lower-case codice fiscale", rf"(?<![\w-])(?i:{_CF})(?![\w-])", WEAK),
    ]
    CONTEXT = ["codice fiscale", "cod. fiscale", "cod fisc", "c.f.", "cf", "fiscal code", "tax code"]
    ANCHORS = [rf"\b{_CF}\b",
               "(?i:" + keyword_anchor([r"codice\s+fiscale", r"\bcod\.?\s*fisc", r"\bc\.?f\b", r"fiscal\s+code",
                                        r"tax\s+code"]) + ")"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only codes whose check letter agrees; a code in capitals is that form's."""
        value = match.group()
        if score == WEAK and value == value.upper():
            return None
        return score if codicefiscale.is_valid(value.upper()) else None
