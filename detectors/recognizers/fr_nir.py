"""French NIR (numéro de sécurité sociale): 13 characters + a mod-97 key.

The leading sex digit, the month range and the key make a random 15-digit
number pass about once in a thousand; that plus the usual spaced layout
(1 85 07 75 123 456 78) is enough without context.
"""

from detectors.recognizers.common import LogicPattern, LogicRecognizer
from detectors.validators import fr_nir_ok

_NIR = r"[1278] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}"


class FrNirRecognizer(LogicRecognizer):
    """Finds French social security numbers whose key agrees."""

    ENTITY = "FR_NIR"
    PATTERNS = [LogicPattern("nir", rf"(?<![\dA-Za-z]){_NIR}(?![\dA-Za-z])", 0.6)]
    CONTEXT = ["nir", "sécurité sociale", "securite sociale", "numéro de sécurité", "insee", "carte vitale",
               "social security"]
    # what the pattern's look-behind asks for, as a character the anchor consumes: without it the
    # pre-filter starts a candidate at every 1, 2, 7 or 8 inside a digit run, and on digit-dense
    # logs this one anchor cost a fifth of the whole pass
    ANCHORS = [r"(?:^|[^0-9a-z])" + _NIR]
    MAX_MATCH = 30
    NOT_AFTER = ["order", "commande", "invoice", "facture", "ref", "réf", "tracking", "#"]

    def score_match(self, match, score, text):
        """Keep only numbers whose key is 97 - (number mod 97)."""
        return score if fr_nir_ok(match.group()) else None
