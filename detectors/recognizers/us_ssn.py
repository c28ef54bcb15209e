"""US Social Security number: AAA-GG-SSSS with the SSA's never-issued ranges excluded.

Replaces Presidio's recogniser, whose anchor (any nine digits) fires all over
logs. The dashed form stands alone; spaced, dotted or bare digits need a context word.
"""

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor


class UsSsnRecognizer(LogicRecognizer):
    """Finds US SSNs outside the never-issued area/group/serial ranges."""

    ENTITY = "US_SSN"
    PATTERNS = [
        LogicPattern("dashed", r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.5),
        LogicPattern("spaced, dotted or bare", r"(?<![\d.-])\d{3}([ .]?)\d{2}\1\d{4}(?![\d-]|\.\d)", WEAK),
    ]
    CONTEXT = ["ssn", "social security", "social security number", "ss#", "ss #", "ssa", "ssns"]
    ANCHORS = [r"\d{3}-\d{2}-\d{4}", keyword_anchor([r"\bssn", "social security", r"ss ?#"])]
    MAX_MATCH = 110
    NOT_AFTER = ["order", "invoice", "ref", "tracking", "ticket", "phone", "tel", "fax", "#"]

    def score_match(self, match, score, text):
        """Drop area 000, 666 and 900-999, group 00 and serial 0000."""
        digits = "".join(c for c in match.group() if c.isdigit())
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            return None
        return score
