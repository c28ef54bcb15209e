"""IP addresses, v4 and v6, but not version strings, OIDs or timestamps.

Replaces Presidio's recogniser: a dotted quad inside a longer dotted run
(1.3.6.1.4.1) or after "version"/"v"/"build" is not an address, and "::" in
source code (std::move) is not IPv6.
"""

import ipaddress

from detectors.recognizers.common import LogicPattern, LogicRecognizer

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_V4 = rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}"
_H = r"[0-9a-f]{1,4}"
_V6 = (rf"(?:{_H}:){{7}}{_H}|(?:{_H}:){{1,7}}:(?:{_H}(?::{_H}){{0,6}})?|::(?:{_H}(?::{_H}){{0,6}})"
       rf"|(?:{_H}:){{6}}{_V4}|::ffff:{_V4}")

class IpRecognizer(LogicRecognizer):
    """Finds IPv4 and IPv6 addresses."""

    ENTITY = "IP_ADDRESS"
    PATTERNS = [
        LogicPattern("ipv4", rf"(?<![\w.]){_V4}(?![\w]|\.\d)", 0.6),
        # the look-ahead fails fast at the many positions that cannot start an address
        # not the start of a malformed IPv4-mapped address ("::ffff:256.0.0.1" is no "::ffff:256")
        LogicPattern("ipv6", rf"(?<![\w:.])(?=[0-9a-f]{{0,4}}:[0-9a-f:])(?:{_V6})(?![\w:]|\.\d)", 0.6),
    ]
    CONTEXT = ["ip", "ip address", "address", "host", "client", "remote", "src", "dst", "from"]
    # bounded and ending at a word boundary: one hit per address, and cheap to locate its start
    ANCHORS = [r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
               r"(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}",
               r"(?:[0-9a-f]{1,4}:){0,7}[0-9a-f]{0,4}::[0-9a-f]{0,4}"]
    MAX_MATCH = 45
    ANCHORS_AT_VALUE = True
    NOT_AFTER = ["v", "ver", "version", "versions", "release", "build", "firmware", "fw", "rev", "revision",
                 "os", "android", "ios", "chrome", "firefox", "safari", "edge", "msie", "windows nt", "update", "patch",
                 "driver", "bios", "kernel", "sdk", "api"]
    NOT_AFTER_REACH = 12
    PATTERN_NEEDS = {"ipv4": ".", "ipv6": ":"}
    # an IPv4 match never reaches past its anchor's hit, and score_match reads the match alone:
    # the engine may cache the judgement of a hit (an address on every line of a log)
    WITHIN_ANCHOR = ["ipv4"]

    def score_match(self, match, score, text):
        """IPv6 candidates must parse and look like addresses (two groups, a digit)."""
        value = match.group()
        if "." in value and ":" not in value:
            return score
        groups = [g for g in value.split(":") if g]
        if len(groups) < 2 or not any(c.isdigit() for c in value):
            return None
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            return None
        return score
