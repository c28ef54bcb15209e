"""Spanish NIE (foreigners' identity number): X, Y or Z, seven digits and a check letter.

The leading letter and the check letter make the shape distinctive: a NIE
stands without a label.
"""

from stdnum.es import nie

from detectors.recognizers.common import LogicPattern, LogicRecognizer
from detectors.validators import digits_of


class EsNieRecognizer(LogicRecognizer):
    """Finds Spanish NIEs whose check letter agrees."""

    ENTITY = "ES_NIE"
    FLAGS = 0
    PATTERNS = [LogicPattern("nie", r"(?<![\w-])[XYZ][ -]?\d{7}[ -]?[A-Z](?![\w-])", 0.6)]
    CONTEXT = ["nie", "n.i.e", "número de identidad de extranjero", "numero de identidad de extranjero",
               "tarjeta de residencia", "residence card"]
    ANCHORS = [r"\b[XYZ][ -]?\d{7}[ -]?[A-Z]\b"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 12

    def score_match(self, match, score, text):
        """Keep only numbers whose letter is the check letter."""
        return score if nie.is_valid(digits_of(match.group())) else None
