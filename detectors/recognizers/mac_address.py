"""MAC addresses: six hex pairs with ':' or '-', or Cisco's three dotted quads.

Colon-separated fingerprints (16 pairs) and longer runs are excluded by
requiring that no further pair follows or precedes.
"""

from detectors.recognizers.common import LogicPattern, LogicRecognizer

_PAIR = r"[0-9a-f]{2}"


class MacAddressRecognizer(LogicRecognizer):
    """Finds MAC addresses, not hash fingerprints."""

    ENTITY = "MAC_ADDRESS"
    PATTERNS = [
        LogicPattern("colon/dash", rf"(?<![\w:-]){_PAIR}([:-]){_PAIR}(?:\1{_PAIR}){{4}}(?![\w]|[:-]\w)", 0.6),
        LogicPattern("cisco", r"(?<![\w.])[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}(?![\w]|\.\w)", 0.4),
    ]
    CONTEXT = ["mac", "mac address", "hwaddr", "hw addr", "ether", "bssid", "physical address", "adresse mac"]
    ANCHORS = [r"[0-9a-f]{2}[:-][0-9a-f]{2}[:-][0-9a-f]{2}[:-][0-9a-f]{2}[:-][0-9a-f]{2}[:-][0-9a-f]{2}",
               r"[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}"]
    MAX_MATCH = 25

    def score_match(self, match, score, text):
        """All-zero and all-digit runs are padding and times, and all-F the broadcast address: no adapters."""
        value = match.group().lower()
        hexdigits = value.replace(":", "").replace("-", "").replace(".", "")
        if set(hexdigits) in ({"0"}, {"f"}):
            return None
        if "." in value and hexdigits.isdigit():
            return None
        return score
