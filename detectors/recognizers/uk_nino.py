"""UK National Insurance number: two prefix letters, six digits, a suffix A-D.

The prefix rules (HMRC): first letter not D, F, I, Q, U or V; second letter not
D, F, I, O, Q, U or V; the pairs BG, GB, KN, NK, NT, TN and ZZ are never issued.
Spaced ("QQ 12 34 56 C") and unspaced forms are both common.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor

_FIRST = "A-CEGHJ-PR-TW-Z"
_SECOND = "A-CEGHJ-NPR-TW-Z"
_INVALID_PAIRS = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


class UkNinoRecognizer(LogicRecognizer):
    """Finds UK NI numbers with valid prefix letters; in lower case only after an NI label."""

    ENTITY = "UK_NINO"
    FLAGS = 0  # letters must be capitals: "ab123456c" in a hash is not a NINO
    PATTERNS = [
        LogicPattern("nino", rf"\b[{_FIRST}][{_SECOND}] ?\d{{2}} ?\d{{2}} ?\d{{2}} ?[A-D]\b", 0.6),
        LogicPattern("lower-case nino", rf"\b(?i:[{_FIRST}][{_SECOND}] ?\d{{2}} ?\d{{2}} ?\d{{2}} ?[A-D])\b", WEAK),
    ]
    CONTEXT = ["national insurance", "ni number", "ni no", "nino", "insurance number", "ni"]
    ANCHORS = [rf"[{_FIRST}][{_SECOND}] ?\d{{2}} ?\d{{2}} ?\d{{2}} ?[A-D]",
               # the label in any case; the value's anchor stays capitals-only
               "(?i:" + keyword_anchor([r"national\s+insurance", r"\bni\s*(?:no|number|num)\b", r"\bnino\b"]) + ")"]
    MAX_MATCH = 110
    ANCHORS_CASELESS = False

    def score_match(self, match, score, text):
        """Reject never-issued prefix pairs; a lower-case match of the capitals form is that form's."""
        value = match.group()
        if value[:2].upper() in _INVALID_PAIRS or (score == WEAK and value == value.upper()):
            return None
        return score
