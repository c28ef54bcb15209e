"""E-mail addresses, including internal domains (jane@acme.local).

Replaces Presidio's recogniser, whose check drops any domain that is not a
public suffix: Active Directory user names such as ``j.doe@corp.local`` and
reserved test domains are still someone's address. File names that look like
addresses (``logo@2x.png``) are rejected by their extension.
"""

import re

from detectors.public_suffix import has_public_suffix
from detectors.recognizers.base import Pattern, PiiRecognizer

# "=" and "/" are legal in a local part but in practice separate keys from values (user=jane@…)
_LOCAL = r"[a-z0-9!#$%&'*+?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+?^_`{|}~-]+)*"
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
# the characters a local part may hold, read backwards from the "@"
_LOCAL_BACKWARDS = re.compile(r"[a-z0-9!#$%&'*+?^_`{|}~.-]*", re.I)
_FILE_EXTENSIONS = {
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "css", "js", "ts", "json", "xml",
    "html", "htm", "txt", "pdf", "zip", "gz", "tar", "md", "yml", "yaml", "py", "rb", "java", "map", "woff",
    "woff2", "ttf", "eot", "mp3", "mp4", "mov", "avi", "wav", "csv", "xls", "xlsx", "doc", "docx", "exe", "dll",
}


class EmailRecognizer(PiiRecognizer):
    """Finds e-mail addresses; public suffixes score highest."""

    ENTITY = "EMAIL_ADDRESS"
    # not after ":" (but after "mail:"): in scheme://user:secret@host the part before "@" is a credential
    PATTERNS = [Pattern("email", rf"(?:(?<=mail:)|(?<=mailto:)|(?<![\w.!#$%&'*+?^`{{|}}~:-])){_LOCAL}@{_DOMAIN}\b",
                        0.85)]
    ANCHORS = [r"[a-z0-9!#$%&'*+?^_`{|}~.-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b"]
    ANCHORS_AT_VALUE = True
    CONTEXT = ["email", "e-mail", "mail", "from", "to", "cc", "contact"]
    MAX_MATCH = 254

    def anchor_start(self, text: str, end: int) -> int:
        """Where the address of an anchor hit ending at ``end`` can start: the local part before
        its "@" (at most 64 characters), not MAX_MATCH back (the anchor cannot track its start
        cheaply, and a 254-character window holds the previous lines' addresses too)."""
        at = text.rfind("@", max(0, end - self.MAX_MATCH), end)
        if at < 0:
            return max(0, end - self.MAX_MATCH)
        local = _LOCAL_BACKWARDS.match(text[max(0, at - 64):at][::-1])
        return at - local.end()

    def validate_result(self, pattern_text: str):
        """True for a public suffix, None (keep 0.85) for other domains, False for file names."""
        tld = pattern_text.rsplit(".", 1)[-1].lower()
        if tld in _FILE_EXTENSIONS:
            return False
        return True if has_public_suffix(pattern_text.rpartition("@")[2].lower()) else None
