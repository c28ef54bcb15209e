"""UK driving licence number (DVLA): surname, birth date, initials and check characters.

Sixteen characters: five of the surname (padded with 9), the decade digit,
the birth month (plus 5 for women), the day, the year's last digit, two
initials (or 9), a digit and two check letters. The layout, with a real
month and day, is distinctive enough to stand alone; the DVLA check digits
are not public.
"""

from detectors.recognizers.common import LogicPattern, LogicRecognizer

_LICENCE = r"[A-Z9]{5}\d(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12]\d|3[01])\d[A-Z9]{2}\d[A-Z]{2}"


class UkDrivingLicenceRecognizer(LogicRecognizer):
    """Finds UK driving licence numbers with a plausible surname part and birth date."""

    ENTITY = "UK_DRIVING_LICENCE"
    FLAGS = 0
    PATTERNS = [LogicPattern("licence", rf"(?<![\w-]){_LICENCE}(?: ?\d{{2}})?(?![\w-])", 0.5)]
    CONTEXT = ["driving licence", "driving license", "driver's licence", "driver's license", "dvla",
               "licence number", "license number", "dl number", "driver number"]
    ANCHORS = [rf"\b{_LICENCE}"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 19

    def score_match(self, match, score, text):
        """A surname part of letters padded with 9s, not all 9s."""
        surname = match.group()[:5]
        if surname == "99999" or "9" in surname.rstrip("9"):
            return None
        return score
