"""Portuguese NIF (número de identificação fiscal): nine digits with a mod-11 check digit.

One nine-digit number in eleven passes, so a NIF is reported only next to
its label.
"""

from stdnum.pt import nif

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import digits_of


class PtNifRecognizer(LogicRecognizer):
    """Finds valid Portuguese tax numbers near their label."""

    ENTITY = "PT_NIF"
    PATTERNS = [LogicPattern("nif", r"(?<![\d-])[1-35-9]\d{2} ?\d{3} ?\d{3}(?![\d-])", WEAK)]
    CONTEXT = ["nif", "contribuinte", "número de contribuinte", "numero de contribuinte",
               "número de identificação fiscal", "numero de identificacao fiscal", "nº contribuinte"]
    ANCHORS = [keyword_anchor([r"\bnif\b", "contribuinte", r"identifica[çc][ãa]o\s+fiscal"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers whose check digit agrees."""
        return score if nif.is_valid(digits_of(match.group())) else None
