"""Secrets: the value of a password/secret/token key, or the password in a connection string.

Config files, .env files, INI/YAML keys, JSON (extracted as "key: value"
lines), XML elements and URLs with credentials. The span is the secret value
only. Placeholders, variable references, empty values and type annotations
are not secrets, and a key name alone never is.
"""

import re

from presidio_analyzer import RecognizerResult

from detectors.recognizers.common import LogicPattern, LogicRecognizer

_KEY = (r"(?:password|passwd|passphrase|pass|pwd|secret|token|api[_\-]?key|apikey|access[_\-]?key|"
        r"secret[_\-]?key|private[_\-]?key|client[_\-]?secret|auth[_\-]?token|access[_\-]?token|"
        r"refresh[_\-]?token|credentials?|mot[_\- ]de[_\- ]passe|wachtwoord|kennwort|passwort)")
_VALUE = r"(?:\"(?P<dq>[^\"\r\n]{1,200})\"|'(?P<sq>[^'\r\n]{1,200})'|(?P<bare>[^\s\"'<>,;(){}\[\]]{1,200}+)(?![(\[]))"
_PLACEHOLDER = re.compile(
    r"^(?:\**|x+|\.+|-+|_+|\?+|#+|null|none|nil|true|false|undefined|empty|str|string|int|bool|bytes|"
    r"optional.*|password|passwd|pass|pwd|secret|token|changeit|redacted|masked|hidden|your[_\-]?\w*|"
    r"<[^>]*>|\[[^\]]*\]|\$\{?[\w.:\-]*\}?|\{\{.*\}\}|\{[\w.]*\}|%\(?\w*\)?s?|%[a-z]|env\(.*|os\.\S*|"
    r"process\.env\S*|getenv.*|self\.\S*|config\.\S*|settings\.\S*|\w+\(.*|\w+\[.*)$", re.I)


class PasswordRecognizer(LogicRecognizer):
    """Finds secret values in configuration and connection strings."""

    ENTITY = "PASSWORD"
    PATTERNS = [
        LogicPattern("key = value",
                rf"(?<![a-z0-9])(?:[\w.\-]*[_.\-])?{_KEY}[\"']?[ \t]*(?::=|=(?!=)|:(?!:))[ \t]*{_VALUE}", 0.7),
        LogicPattern("xml element", rf"<(?P<tag>(?:\w+[_\-])?{_KEY})>(?P<xml>[^<\r\n]{{1,200}})</(?P=tag)>", 0.7),
        LogicPattern("connection string", r"[a-z][a-z0-9+.\-]{1,20}://[^:/@\s]{1,64}:(?P<url>[^@\s/]{1,128})@[\w.\-\[\]]+", 0.8),
    ]
    CONTEXT = []
    ANCHORS = [rf"{_KEY}[\"']?[ \t]*[:=]", rf"<(?:\w+[_\-])?{_KEY}>", r"://[^:/@\s]{1,64}:[^@\s/]{1,128}@"]
    MAX_MATCH = 260

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """The secret value of each match: the quoted, bare, XML or URL group."""
        results = []
        for score, regex in self._compiled:
            for match in regex.finditer(text):
                group = next((g for g in ("dq", "sq", "bare", "xml", "url") if match.groupdict().get(g)), None)
                if group is None:
                    continue
                start, end = match.span(group)
                value = text[start:end]
                stripped = value.strip()
                if not stripped or _PLACEHOLDER.match(stripped):
                    continue
                if group == "bare" and stripped.isdigit() and len(stripped) < 6:
                    continue  # token counts, timeouts, ports
                start += len(value) - len(value.lstrip())
                results.append(RecognizerResult(self.ENTITY, start, start + len(stripped), score))
        return results
