"""German tax identification number (Steuer-ID, IdNr): eleven digits, one repeated, a mod-11,10 check.

Eleven bare digits are anything (a phone number, an order number), so a
Steuer-ID is reported only next to its label. python-stdnum checks the digit
rules and the check digit.
"""

from stdnum.de import idnr

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import digits_of

_WORDS = ["steuer-id", "steuer id", "steuerid", "steuer-idnr", "steueridentifikationsnummer",
          "steuerliche identifikationsnummer", "identifikationsnummer", "idnr", "id-nr", "tax id", "tax identification",
          "steuernummer"]


class DeTaxIdRecognizer(LogicRecognizer):
    """Finds valid German tax IDs near their label."""

    ENTITY = "DE_TAX_ID"
    PATTERNS = [LogicPattern("idnr", r"(?<![\d-])[1-9]\d(?: ?\d{3}){3}(?![\d-])", WEAK)]
    CONTEXT = _WORDS
    ANCHORS = [keyword_anchor([r"steuer.?id", r"steuer.?identifikation", r"steuerliche\s+identifikation",
                               r"identifikationsnummer", r"\bid.?nr\b", r"tax\s+id", r"steuernummer"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers passing the IdNr rules."""
        return score if idnr.is_valid(digits_of(match.group())) else None
