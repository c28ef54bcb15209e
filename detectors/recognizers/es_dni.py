"""Spanish DNI: eight digits and a check letter (number mod 23).

The letter makes a random digit run pass once in 23 and the shape (digits
then a capital) is rare elsewhere, so a DNI stands without a label; the
label raises the score.
"""

from stdnum.es import dni

from detectors.recognizers.common import LogicPattern, LogicRecognizer
from detectors.validators import digits_of


class EsDniRecognizer(LogicRecognizer):
    """Finds Spanish DNIs whose check letter agrees."""

    ENTITY = "ES_DNI"
    FLAGS = 0  # the letter is a capital: "12345678z" in a hash is not a DNI
    PATTERNS = [LogicPattern("dni", r"(?<![\w-])\d{8}[ -]?[A-Z](?![\w-])", 0.5)]
    CONTEXT = ["dni", "d.n.i", "nif", "documento nacional de identidad", "documento de identidad", "identity card"]
    # whole words: "Gecko/20100101 Firefox" in every browser's user agent is no DNI
    ANCHORS = [r"\b\d{8}[ -]?[A-Z]\b"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 12
    NOT_AFTER = ["order", "pedido", "factura", "invoice", "ref", "#"]

    def score_match(self, match, score, text):
        """Keep only numbers whose letter is the check letter."""
        return score if dni.is_valid(digits_of(match.group())) else None
