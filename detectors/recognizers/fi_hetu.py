"""Finnish personal identity code (henkilötunnus, HETU): DDMMYY, a century sign, a serial and a check character.

The century sign and the check character (mod 31) make the shape distinctive:
a HETU stands without a label.
"""

from stdnum.fi import hetu

from detectors.recognizers.common import LogicPattern, LogicRecognizer


class FiHetuRecognizer(LogicRecognizer):
    """Finds Finnish identity codes whose check character agrees."""

    ENTITY = "FI_HETU"
    FLAGS = 0
    PATTERNS = [LogicPattern("hetu", r"(?<![\w-])\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![\w-])", 0.6)]
    CONTEXT = ["henkilötunnus", "hetu", "sosiaaliturvatunnus", "personbeteckning", "personal identity code"]
    ANCHORS = [r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]\b"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 11

    def score_match(self, match, score, text):
        """Keep only codes with a real birth date and matching check character."""
        return score if hetu.is_valid(match.group()) else None
