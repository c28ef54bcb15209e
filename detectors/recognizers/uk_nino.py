"""UK National Insurance number: two prefix letters, six digits, a suffix A-D.

The prefix rules (HMRC): first letter not D, F, I, Q, U or V; second letter not
D, F, I, O, Q, U or V; the pairs BG, GB, KN, NK, NT, TN and ZZ are never issued.
Spaced ("QQ 12 34 56 C") and unspaced forms are both common.
"""

from detectors.recognizers.base import Pattern, PiiRecognizer

_FIRST = "A-CEGHJ-PR-TW-Z"
_SECOND = "A-CEGHJ-NPR-TW-Z"
_INVALID_PAIRS = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


class UkNinoRecognizer(PiiRecognizer):
    """Finds UK NI numbers with valid prefix letters."""

    ENTITY = "UK_NINO"
    PATTERNS = [
        Pattern("nino", rf"\b[{_FIRST}][{_SECOND}] ?\d{{2}} ?\d{{2}} ?\d{{2}} ?[A-D]\b", 0.6),
    ]
    CONTEXT = ["national insurance", "ni number", "ni no", "nino", "insurance number", "ni"]
    MAX_MATCH = 20
    ANCHORS_CASELESS = False

    def __init__(self):
        super().__init__()
        self.global_regex_flags = 0  # letters must be capitals: "ab123456c" in a hash is not a NINO

    def validate_result(self, pattern_text: str):
        """Reject never-issued prefix pairs."""
        prefix = pattern_text[:2].upper()
        return False if prefix in _INVALID_PAIRS else None
