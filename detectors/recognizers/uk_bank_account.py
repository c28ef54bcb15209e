"""UK bank account: a sort code (12-34-56) with its 8-digit account number.

An 8-digit number alone is anything (a date, a reference); it counts only
when the sort code is next to it, or under an "account number" label. A sort
code alone is reported under a "sort code" label.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor

_SORT = r"\d{2}([- ])\d{2}\1\d{2}"
_LABEL = r"(?:a/?c|acc(?:oun)?t|account)\.?\s*(?:no\.?|number|num|#)?\s*[:=]?\s*"


class UkBankAccountRecognizer(LogicRecognizer):
    """Finds sort code + account number pairs, or either under its label."""

    ENTITY = "UK_BANK_ACCOUNT"
    PATTERNS = [
        LogicPattern("sort code + account",
                rf"(?<![\d-]){_SORT}(?:\s*[,;/|]?\s*(?:{_LABEL})?)\d{{8}}(?!\d)", 0.75),
        LogicPattern("account number under a label", r"(?<![\d-])\d{8}(?![\d-])", WEAK),
        LogicPattern("sort code under a label", rf"(?<![\d-]){_SORT}(?![\d-])", WEAK),
    ]
    CONTEXT = ["sort code", "account number", "account no", "acct no", "a/c", "bank account", "acc no",
               "bank details", "account"]
    ANCHORS = [rf"\d{{2}}[- ]\d{{2}}[- ]\d{{2}}\s*[,;/|]?\s*(?:{_LABEL})?\d{{8}}",
               keyword_anchor(["sort code", r"account\s*(?:no|number|num)", r"acc(?:oun)?t\s*no", "a/c", "bank account"])]
    MAX_MATCH = 110
    CONTEXT_AFTER = 0  # the label comes before the number
