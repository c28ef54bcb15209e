"""Person names written under a label: ``Name: Jane Doe``, ``lastName: Jansen``, ``"owner": "Ann Lee"``.

Forms, e-mail headers, key/value configs and XML or JSON extracted as
``key: value`` lines state outright that a value is a name; NER, which sees
no sentence there, misses most of them. The label is case-insensitive, the
value must look like a name (capitalised words, no digits) and not be a word
that commonly follows such labels without being a name ("Name: Invoice").
"""

import re

from detectors.recognizers.common import LogicPattern, LogicRecognizer, keyword_anchor

_LABELS = [
    r"(?:first|last|sur|given|family|full|middle|maiden|fore|display|contact|customer|employee|patient|"
    r"client|staff|account[ _]?holder|user)?[ _-]?names?",
    r"surname", r"forename", r"employee", r"patient", r"applicant", r"assigned[ _-]?to", r"assignee",
    r"owner", r"requester", r"requestor", r"reporter", r"recipient", r"next[ _-]?of[ _-]?kin",
    r"emergency[ _-]?contact", r"beneficiary", r"tenant", r"guardian", r"signed[ _-]?by", r"prepared[ _-]?by",
    r"naam", r"voornaam", r"achternaam", r"nom", r"pr[ée]nom", r"vorname", r"nachname",
]
_NAME = r"[A-ZÀ-Ý][a-zà-ÿ'’\-]+(?:[ \-](?:van|de|der|den|von|da|di|le|la|du|[A-ZÀ-Ý][a-zà-ÿ'’\-]+)){0,3}"
_NOT_NAMES = {"invoice", "order", "total", "none", "null", "unknown", "test", "admin", "administrator", "user",
              "customer", "employee", "manager", "support", "service", "team", "department", "company", "ltd",
              "limited", "inc", "true", "false", "yes", "no", "n/a", "name", "value", "string", "default"}


class LabelledNameRecognizer(LogicRecognizer):
    """Finds the name value after a name label."""

    ENTITY = "PERSON"
    FLAGS = 0  # the value must be capitalised; the label is matched case-insensitively inline
    PATTERNS = [LogicPattern(
        "labelled name",
        rf"(?<![\w-])(?i:{'|'.join(_LABELS)})[\"']?\s*[:=]\s*[\"']?(?P<v>{_NAME})(?![\w@])",
        0.85)]
    CONTEXT = []
    ANCHORS = [keyword_anchor(_LABELS) + r"[\"']?\s*[:=]"]
    MAX_MATCH = 120

    def score_match(self, match: re.Match, score: float, text: str) -> float | None:
        """Drop values that are common non-name words after a name label."""
        words = match.group("v").lower().split()
        if any(w in _NOT_NAMES for w in words):
            return None
        return score
