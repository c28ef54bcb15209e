"""Payment card numbers: a real issuer prefix, 13-19 digits in the usual groupings, Luhn.

UATP cards (15 digits from 1) are reported after a card word only.

Replaces Presidio's recogniser, whose pattern accepts any 1/3/4/5/6 prefix and
any 3-5 digit groups, so that Luhn alone (one in ten) separates a card from
a reference number.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor
from detectors.validators import luhn_ok

# Visa, Mastercard (51-55, 2221-2720), Amex, Discover, Diners, JCB, Maestro/UnionPay
_ISSUER = r"(?:4\d{3}|5[1-5]\d{2}|222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720|6011|65\d{2}|64[4-9]\d|3[47]\d{2}|3[068]\d{2}|35\d{2}|62\d{2}|67\d{2}|50\d{2}|5[6-8]\d{2})"
_GROUPED = rf"{_ISSUER}([ -])\d{{4}}\1\d{{4}}\1\d{{4}}(?:\1\d{{1,3}})?"
_AMEX = r"3[47]\d{2}([ -])\d{6}\2\d{5}"
_BARE = rf"{_ISSUER}\d{{9,15}}"


class CreditCardRecognizer(LogicRecognizer):
    """Finds Luhn-valid card numbers with an issuer prefix."""

    ENTITY = "CREDIT_CARD"
    PATTERNS = [
        LogicPattern("card", rf"(?<![\d-])(?:{_GROUPED}|{_AMEX}|{_BARE})(?![\d-])", 0.7),
        # UATP (airline) cards: fifteen digits from 1, a timestamp's shape too, so only after a card word
        LogicPattern("uatp", r"(?<![\d-])1\d{3}([ -]?)\d{5}\1\d{6}(?![\d-])", WEAK),
    ]
    CONTEXT = ["card", "credit", "debit", "visa", "mastercard", "amex", "cc", "pan", "carte", "kaart", "uatp"]
    ANCHORS = [r"[2-6]\d{3}[ -]?\d{4,6}[ -]?\d{4,5}", keyword_anchor([r"\bcard", r"\buatp\b", r"\bairplus\b"])]
    MAX_MATCH = 30
    NOT_AFTER = ["order", "invoice", "ref", "reference", "tracking", "ticket", "transaction", "txn", "id", "#"]

    def score_match(self, match, score, text):
        """Keep only Luhn-valid numbers of their issuer's length (a 15-digit "35..." is an IMEI, not JCB)."""
        digits = "".join(c for c in match.group() if c.isdigit())
        if digits[:2] in ("34", "37") or digits[0] == "1":  # Amex, UATP
            lengths = (15,)
        elif digits[:2] in ("36", "38", "30"):
            lengths = (14, 16)
        elif digits[0] == "4":
            lengths = (13, 16, 19)
        else:
            lengths = (16, 17, 18, 19)
        return score if len(digits) in lengths and luhn_ok(digits) else None
