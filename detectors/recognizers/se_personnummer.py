"""Swedish personnummer: a birth date, a serial and a Luhn check digit, YYMMDD-NNNC.

With its dash (or "+" for people over a hundred) a personnummer stands alone;
ten or twelve bare digits need a label.
"""

from stdnum.se import personnummer

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor

_WORDS = ["personnummer", "personnr", "person nr", "pers.nr", "samordningsnummer", "personal identity number"]


class SePersonnummerRecognizer(LogicRecognizer):
    """Finds valid Swedish personal identity numbers."""

    ENTITY = "SE_PERSONNUMMER"
    PATTERNS = [
        LogicPattern("dashed", r"(?<![\d-])(?:19|20)?\d{6}[-+]\d{4}(?![\d-])", 0.5),
        LogicPattern("bare", r"(?<![\d-])(?:19|20)?\d{10}(?![\d-])", WEAK),
    ]
    CONTEXT = _WORDS
    ANCHORS = [r"\b(?:19|20)?\d{6}[-+]\d{4}\b", keyword_anchor([r"person.?n(?:umme)?r", r"pers\.nr", "samordningsnummer",
                                                     "personal identity number"])]
    MAX_MATCH = 110
    NOT_AFTER = ["order", "invoice", "faktura", "ref", "tel", "phone", "telefon", "#"]

    def score_match(self, match, score, text):
        """Keep only numbers with a real birth date and Luhn check digit."""
        return score if personnummer.is_valid(match.group()) else None
