"""Norwegian fødselsnummer (and D-number): a birth date, a serial and two mod-11 check digits.

Eleven bare digits need a label; python-stdnum checks the date and both
check digits.
"""

from stdnum.no import fodselsnummer

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor


class NoFodselsnummerRecognizer(LogicRecognizer):
    """Finds valid Norwegian national identity numbers near their label."""

    ENTITY = "NO_FODSELSNUMMER"
    PATTERNS = [LogicPattern("fødselsnummer", r"(?<![\d-])\d{6} ?\d{5}(?![\d-])", WEAK)]
    CONTEXT = ["fødselsnummer", "fodselsnummer", "fødselsnr", "fnr", "f.nr", "personnummer", "d-nummer",
               "national identity number"]
    ANCHORS = [keyword_anchor([r"f(?:ø|o|oe)dselsn", r"\bf\.?nr\b", r"person.?n(?:umme)?r", r"\bd-nummer",
                               "national identity number"])]
    MAX_MATCH = 110

    def score_match(self, match, score, text):
        """Keep only numbers with a real birth date and both check digits."""
        return score if fodselsnummer.is_valid(match.group().replace(" ", "")) else None
